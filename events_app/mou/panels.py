"""The MoU panel of a conference's page: how many MoUs were signed there, for how much."""

from __future__ import annotations

from typing import Any

from events_app.core.identity import CurrentUser
from events_app.events.tables import EventKind
from events_app.mou.ceremony import totals
from events_app.core.panels import Panel


async def mou_panel(event: dict[str, Any], user: CurrentUser | None) -> Panel | None:
    if event["kind"] != EventKind.conference.value:
        return None
    return Panel("mou/panel.html", {"event": event, "user": user, "totals": await totals(event["id"])})
