"""The booths panel of a fair's or a showroom's page: how many booths are free, how to apply,
and the signed-in producer's own application and booth."""

from __future__ import annotations

from typing import Any

from events_app.core.identity import CurrentUser
from events_app.booths import decisions, floorplan, rules, services, waiting
from events_app.core.clock import now
from events_app.events.eligibility import NOT_YET_OPEN, window_state
from events_app.events.services import application_window_open
from events_app.core.panels import Panel


def apply_state(event: dict, user: CurrentUser | None, application: dict | None, obstacles: list | None = None) -> str:
    """What the panel offers: `open` (the apply button), `applied`, or why one cannot apply now."""
    if application is not None and application["is_live"] and event["kind"] != "showroom":
        return "applied"
    if event["status"] != "published":
        return "event_" + event["status"]
    if not application_window_open(event):
        state = window_state(event["application_opens_at"], event["application_closes_at"], now())
        return "not_yet_open" if state == NOT_YET_OPEN else "window_closed"
    if user is None:
        return "log_in"
    if not user.is_producer:
        return "producers_only"
    if obstacles:
        return "not_eligible"
    return "open"


async def booth_panel(event: dict[str, Any], user: CurrentUser | None) -> Panel | None:
    if event["kind"] not in rules.BOOTH_KINDS:
        return None
    showroom = services.is_showroom(event)
    period = services.showroom_month(event) if showroom else services.event_period(event)
    producer_id = user.producer_id if user is not None and user.is_producer else None
    await waiting.settle(event["id"])
    plans = await services.floor_plan(event, period, producer_id)
    application = await services.producer_application(event["id"], producer_id) if producer_id else None
    obstacles = await decisions.obstacles(event, producer_id) if producer_id and not (application and application["is_live"]) else []
    return Panel(
        "booths/_panel.html",
        {
            "event": event,
            "showroom": showroom,
            "period": period,
            "counts": services.counts(plans),
            "total": sum(len(plan.booths) for plan in plans),
            "own_codes": [b.code for plan in plans for b in plan.booths if b.own],
            "application": application,
            "state": apply_state(event, user, application, obstacles),
            "obstacles": [str(reason) for reason in obstacles],
            "status_label": floorplan.status_label,
        },
    )
