"""Public event pages: the list, an event, the month calendar."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from events_app.events import services
from events_app.events.dependencies import EVENT_FILTERS
from events_app.events.calendar_month import (
    ONGOING_SHOWN,
    month_grid,
    on_day,
    parse_day,
    shift_month,
    split_long_running,
    upcoming_first,
)
from events_app.events.pages import event_page
from events_app.core.clock import now, today
from events_app.core.kept import Kept
from events_app.core.revisions import CALENDAR, revision
from events_app.core.pagination import page_number, page_of
from events_app.reference.services import list_provinces, list_regions
from events_app.core.identity import CurrentUser
from events_app.core.panels import EventPanels


_months: Kept[dict] = Kept(128)  # what a calendar page shows, by what it follows from


async def filter_choices() -> dict:
    return {"provinces": await list_provinces(), "regions": await list_regions()}


class EventController(Controller):
    dependencies = EVENT_FILTERS

    @get("/events", name="events")
    async def events(
        self, filters: NamedDependency[services.EventFilters], page: FromQuery[str] = "", when: FromQuery[str] = ""
    ) -> Template:
        when = services.PAST if when == services.PAST else services.UPCOMING
        listing = await services.events_page(filters, page_number(page), when)
        # The other half of the list, with the same filters but the month (which shows both halves).
        other = {**filters.params(), "month": "", "when": "" if when == services.PAST else services.PAST}
        return Template(
            "events/list.html",
            context={
                "page": listing,
                "when": when,
                "other_half": urlencode({key: value for key, value in other.items() if value}),
                "filters": filters.params(),
                "year": (filters.month or today()).year,  # of the printed calendar
                **await filter_choices(),
            },
        )

    @get("/events/{slug:str}", name="event")
    async def event(
        self, slug: FromPath[str], event_panels: NamedDependency[EventPanels], current_user: NamedDependency[CurrentUser | None]
    ) -> Template:
        event = await services.get_event(slug)
        return await event_page(event, await event_panels.for_event(event, current_user))

    @get("/calendar", name="calendar")
    async def calendar(
        self, filters: NamedDependency[services.EventFilters], page: FromQuery[str] = "", day: FromQuery[str] = ""
    ) -> Template:
        chosen = parse_day(day)  # a day's events in the list under the grid, else the whole month's
        first = chosen.replace(day=1) if chosen else filters.month or today().replace(day=1)
        filters = replace(filters, month=first)  # the calendar always shows a month
        number = page_number(page)
        # Kept by the calendar's revision and the minute, like the list: what is still to come, and
        # today, move with the clock.
        minute = now().replace(second=0, microsecond=0)
        key = ("calendar", tuple(sorted(filters.params().items())), chosen, number, await revision(CALENDAR), minute)

        async def month() -> dict:
            short, ongoing = split_long_running(await services.month_events(filters))
            listed = upcoming_first(on_day(short, chosen) if chosen else short, minute)
            params = {**filters.params(), "day": chosen.isoformat() if chosen else ""}
            return {
                "key": key,
                "weeks": month_grid(first, short),
                "ongoing": ongoing[:ONGOING_SHOWN],
                "ongoing_more": max(0, len(ongoing) - ONGOING_SHOWN),
                "listing": page_of(listed, number, services.EVENTS_PER_PAGE, params),
                "first": first,
                "day": chosen,
                "today": today(),
                "previous": shift_month(first, -1).strftime("%Y-%m"),
                "next": shift_month(first, 1).strftime("%Y-%m"),
                "filters": filters.params(),
                **await filter_choices(),
            }

        return Template("events/calendar.html", context=await _months.get(key, month))

from events_app.events.network_controllers import ROUTES as NETWORK_ROUTES  # noqa: E402
from events_app.events.staff_controllers import ROUTES as STAFF_ROUTES  # noqa: E402

ROUTES = [EventController, *NETWORK_ROUTES, *STAFF_ROUTES]
