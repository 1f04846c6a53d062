"""The filters of the event list, the month calendar and the public feed, read from the query
string once and handed to their handlers as `EventFilters`."""

from __future__ import annotations

from litestar.di import Provide
from litestar.params import FromQuery

from events_app.events.services import EventFilters


def provide_event_filters(
    kind: FromQuery[str] = "", province: FromQuery[str] = "", region: FromQuery[str] = "", month: FromQuery[str] = ""
) -> EventFilters:
    return EventFilters.parse(kind, province, region, month)


EVENT_FILTERS = {"filters": Provide(provide_event_filters, sync_to_thread=False)}
