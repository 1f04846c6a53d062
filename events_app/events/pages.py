"""An event's page: shown by its own handler, and again by the domains whose panel holds a form
that was refused (registering for a conference), with the refusal in that panel."""

from __future__ import annotations

from litestar.response import Template

from events_app.core.panels import Panel
from events_app.events import networks, services
from events_app.reference.services import list_groups, list_provinces, list_regions


async def event_page(event: dict, panels: list[Panel], *, status_code: int = 200) -> Template:
    groups = {g["id"]: g for g in await list_groups()}
    provinces = {p["id"]: p["name"] for p in await list_provinces()}
    regions = {r["id"]: r["name"] for r in await list_regions()}
    rules = services.rules_for(event)
    return Template(
        "events/detail.html",
        context={
            "event": event,
            "network": await networks.network_of(event),
            "sessions": await services.sessions_of(event["id"]),
            "opening_hours": await services.opening_hours_of(event["id"]),
            "eligible_groups": [groups[i] for i in sorted(rules.group_ids) if i in groups],
            "eligible_places": sorted(
                [provinces[i] for i in rules.province_ids if i in provinces]
                + [regions[i] for i in rules.region_ids if i in regions]
            ),
            "eligible_types": sorted(rules.producer_types),
            "window_open": services.application_window_open(event),
            "panels": panels,
        },
        status_code=status_code,
    )
