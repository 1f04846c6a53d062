"""The matchmaking panel of a conference's page: who attends, the reader's registration and best matches."""

from __future__ import annotations

from typing import Any

from events_app.core.identity import CurrentUser
from events_app.core.errors import Forbidden
from events_app.events.services import application_window_open
from events_app.events.tables import EventKind
from events_app.matchmaking import attendance, services
from events_app.matchmaking.parties import Participant
from events_app.core.panels import Panel

TOP_MATCHES = 3
TEMPLATE = "matchmaking/panel.html"


async def matchmaking_panel(event: dict[str, Any], user: CurrentUser | None) -> Panel | None:
    if event["kind"] != EventKind.conference.value:
        return None
    context: dict[str, Any] = {
        "event": event,
        "user": user,
        "counts": await attendance.counts(event["id"]),
        "window_open": application_window_open(event),
        "participant": None,
        "attending": False,
        "top": [],
        "has_more": False,
        "refusal": None,  # why registering or unregistering was just refused, with every reason
        "reasons": [],
    }
    try:
        participant = Participant.of(user) if user is not None and not user.is_staff else None
    except Forbidden:
        participant = None
    if participant is not None:
        context["participant"] = participant
        context["attending"] = await attendance.is_attending(event["id"], participant)
        if context["attending"]:
            found = await services.matches_for(event, participant)
            context["top"] = found.ranked[:TOP_MATCHES]
            context["has_more"] = len(found.ranked) > TOP_MATCHES
    return Panel(TEMPLATE, context)


def with_refusal(panels: list[Panel], refusal: str, reasons: list[str]) -> list[Panel]:
    """An event page's panels, the matchmaking one telling why the registration form was refused."""
    for panel in panels:
        if panel.template == TEMPLATE:
            panel.context.update(refusal=refusal, reasons=reasons)
    return panels
