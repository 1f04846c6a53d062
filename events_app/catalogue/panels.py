"""The exhibitors panel of a fair's page."""

from __future__ import annotations

from events_app.catalogue import services
from events_app.core.identity import CurrentUser
from events_app.core.panels import Panel


async def exhibitors_panel(event: dict, user: CurrentUser | None) -> Panel | None:
    """On a fair's page: how many exhibitors and products, with links to browse and print them."""
    if event["kind"] not in services.BOOTH_EVENT_KINDS:
        return None
    summary = await services.exhibitor_summary(event["id"])
    if not summary["exhibitors"]:
        return None
    return Panel("catalogue/_event_panel.html", {"event": event, **summary})
