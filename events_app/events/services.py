"""Events: finding them, their dates in Vietnam's time, and the eligibility rules they carry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from events_app.core.clock import now
from events_app.core.kept import Kept
from events_app.core.revisions import CALENDAR, revision
from events_app.directory.tables import Producer, Product
from events_app.core.errors import NotFound
from events_app.core.forms import parse_month
from events_app.events import eligibility
from events_app.events.eligibility import Candidate, ProductFacts, Rules
from events_app.events.tables import Event, EventStatus
from events_app.core.i18n import LOCAL_TZ, N_
from events_app.core.pagination import Page, paginate
from events_app.reference.services import group_name


EVENT_COLUMNS = (
    Event.all_columns(),
    Event.venue.name.as_alias("venue_name"),
    Event.venue.address.as_alias("venue_address"),
    Event.province.name.as_alias("province_name"),
    Event.region.name.as_alias("region_name"),
)


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LOCAL_TZ).date()


def event_days(event: dict) -> tuple[dt.date, dt.date]:
    """First and last day of the event, in Vietnam's calendar."""
    return local_day(event["starts_at"]), local_day(event["ends_at"])


async def get_event(slug: str, *, public: bool = True) -> dict[str, Any]:
    """An event by its slug; visitors see published, closed and cancelled events, not drafts."""
    query = Event.select(*EVENT_COLUMNS).where(Event.slug == slug)
    if public:
        query = query.where(Event.status != EventStatus.draft)
    event = await query.first()
    if event is None:
        raise NotFound(N_("This event does not exist or is not published yet."))
    return event


async def get_event_by_id(event_id: int) -> dict[str, Any]:
    event = await Event.select(*EVENT_COLUMNS).where(Event.id == event_id).first()
    if event is None:
        raise NotFound(N_("This event does not exist."))
    return event


async def upcoming_events(limit: int = 6) -> list[dict]:
    """Published events not yet over, soonest first."""
    return (
        await Event.select(*EVENT_COLUMNS)
        .where((Event.status == EventStatus.published) & (Event.ends_at >= now()))
        .order_by(Event.starts_at)
        .limit(limit)
    )


def rules_for(event: dict) -> Rules:
    starts_on, ends_on = event_days(event)
    return Rules(
        starts_on=starts_on,
        ends_on=ends_on,
        min_stars=event["min_stars"],
        group_ids=frozenset(_ids(event["eligible_groups"])),
        province_ids=frozenset(_ids(event["eligible_provinces"])),
        region_ids=frozenset(_ids(event["eligible_regions"])),
        producer_types=frozenset(_list(event["eligible_producer_types"])),
        opens_at=event["application_opens_at"],
        closes_at=event["application_closes_at"],
    )


async def candidate_for(producer_id: int) -> Candidate:
    row = await Producer.select(
        Producer.producer_type,
        Producer.province.id.as_alias("province_id"),
        Producer.province.region.as_alias("region_id"),
        Producer.province.name.as_alias("province_name"),
    ).where(Producer.id == producer_id).first()
    if row is None:
        raise NotFound(N_("This producer does not exist."))
    return Candidate(
        producer_type=row["producer_type"],
        province_id=row["province_id"],
        region_id=row["region_id"],
        province_name=row["province_name"],
    )


async def product_facts(producer_id: int, product_ids: list[int]) -> list[ProductFacts]:
    """The producer's own products among `product_ids` (others are silently ignored)."""
    if not product_ids:
        return []
    rows = await Product.select(
        Product.name,
        Product.stars,
        Product.valid_until,
        Product.group.id.as_alias("group_id"),
        Product.group.name_vi.as_alias("name_vi"),
        Product.group.name_en.as_alias("name_en"),
    ).where((Product.producer == producer_id) & Product.id.is_in(product_ids))
    return [
        ProductFacts(
            name=row["name"],
            stars=row["stars"],
            group_id=row["group_id"],
            valid_until=row["valid_until"],
            group_name=group_name(row),
        )
        for row in rows
    ]


def _list(value: Any) -> list:
    if isinstance(value, str):
        import json

        value = json.loads(value or "[]")
    return list(value or [])


def _ids(value: Any) -> list[int]:
    return [int(v) for v in _list(value)]


# Public listing ------------------------------------------------------------------------------

PUBLIC_STATUSES = (EventStatus.published.value, EventStatus.closed.value)


@dataclass(frozen=True)
class EventFilters:
    """Filters of /events, /calendar and /calendar.ics; values that make no sense are dropped."""

    kind: str = ""
    province: str = ""  # slug
    region: str = ""  # slug
    month: dt.date | None = None  # first day of the month

    @classmethod
    def parse(cls, kind: str = "", province: str = "", region: str = "", month: str = "") -> "EventFilters":
        from events_app.events.tables import EventKind

        return cls(
            kind=kind if kind in {k.value for k in EventKind} else "",
            province=province.strip()[:120],
            region=region.strip()[:120],
            month=parse_month(month),
        )

    def params(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "province": self.province,
            "region": self.region,
            "month": self.month.strftime("%Y-%m") if self.month else "",
        }


def month_bounds(first: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month as a UTC interval [start, end) of Vietnam's time."""
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    start = dt.datetime.combine(first, dt.time(), LOCAL_TZ).astimezone(dt.timezone.utc)
    end = dt.datetime.combine(following, dt.time(), LOCAL_TZ).astimezone(dt.timezone.utc)
    return start, end


def _conditions(filters: EventFilters, statuses: tuple[str, ...]) -> list:
    conditions = [Event.status.is_in(list(statuses))]
    if filters.kind:
        conditions.append(Event.kind == filters.kind)
    if filters.province:
        conditions.append(Event.province.slug == filters.province)
    if filters.region:
        conditions.append(Event.region.slug == filters.region)
    if filters.month:
        conditions.append(_meets(*month_bounds(filters.month)))
    return conditions


def _meets(start: dt.datetime, end: dt.datetime):
    """Events on at some moment of [start, end)."""
    return (Event.starts_at < end) & (Event.ends_at >= start)


def filtered_events(filters: EventFilters, *, statuses: tuple[str, ...] = PUBLIC_STATUSES, upcoming_only: bool = False):
    """A select of events matching the filters (not yet run), soonest first."""
    query = Event.select(*EVENT_COLUMNS).where(*_conditions(filters, statuses)).order_by(Event.starts_at)
    if upcoming_only and not filters.month:
        query = query.where(Event.ends_at >= now())
    return query


async def list_events(filters: EventFilters, *, upcoming_only: bool = True) -> list[dict]:
    return await filtered_events(filters, upcoming_only=upcoming_only)


# What the month calendar shows of an event: its grid cell and its line in the list below.
CALENDAR_COLUMNS = (
    Event.id,
    Event.slug,
    Event.title_vi,
    Event.title_en,
    Event.kind,
    Event.status,
    Event.starts_at,
    Event.ends_at,
    Event.venue.name.as_alias("venue_name"),
    Event.province.name.as_alias("province_name"),
    Event.region.name.as_alias("region_name"),
)
# A month of the national programme holds a few hundred events; the page reads no more than this.
MONTH_LIMIT = 2000


async def month_events(filters: EventFilters) -> list[dict]:
    """The public events of the filters' month (the calendar always sets one), in date order."""
    query = Event.select(*CALENDAR_COLUMNS).where(*_conditions(filters, PUBLIC_STATUSES))
    return await query.order_by(Event.starts_at).order_by(Event.id).limit(MONTH_LIMIT)


async def events_between(
    filters: EventFilters, start: dt.datetime, end: dt.datetime, limit: int
) -> tuple[list[dict], int]:
    """Public events matching the filters (their month aside) and on during [start, end), in date
    order: the first `limit`, and how many there are."""
    conditions = [*_conditions(replace(filters, month=None), PUBLIC_STATUSES), _meets(start, end)]
    query = Event.select(*EVENT_COLUMNS).where(*conditions).order_by(Event.starts_at).order_by(Event.id)
    rows = await query.limit(limit)
    return rows, len(rows) if len(rows) < limit else await Event.count().where(*conditions)


EVENTS_PER_PAGE = 20
UPCOMING, PAST = "upcoming", "past"


async def events_page(filters: EventFilters, number: int, when: str = UPCOMING) -> Page:
    """A page of the public list: events not yet over, soonest first, or those over, latest first.
    A month filter shows that whole month in date order."""
    # Kept by the calendar's revision and the minute: which events are over moves with the clock,
    # so a page may say an event is still to come for up to a minute after it ended.
    minute = now().replace(second=0, microsecond=0)
    key = ("events", tuple(sorted(filters.params().items())), number, when, await revision(CALENDAR), minute)
    return await _pages.get(key, lambda: _events_page(filters, number, when, minute, key))


_pages: Kept[Page] = Kept(256)


async def _events_page(filters: EventFilters, number: int, when: str, at: dt.datetime, key: tuple) -> Page:
    conditions = _conditions(filters, PUBLIC_STATUSES)
    past = when == PAST and not filters.month
    if not filters.month:
        conditions.append(Event.ends_at < at if past else Event.ends_at >= at)
    query = Event.select(*EVENT_COLUMNS).where(*conditions).order_by(Event.starts_at, ascending=not past)
    query = query.order_by(Event.id)
    params = {**filters.params(), "when": when if when == PAST else ""}
    page = await paginate(query, Event.count().where(*conditions), number, EVENTS_PER_PAGE, params)
    return replace(page, key=key)


async def sessions_of(event_id: int) -> list[dict]:
    from events_app.events.tables import Session

    return await Session.select().where(Session.event == event_id).order_by(Session.starts_at)


async def opening_hours_of(event_id: int) -> list[dict]:
    from events_app.events.tables import OpeningHours

    return await OpeningHours.select().where(OpeningHours.event == event_id).order_by(OpeningHours.weekday)


def application_window_open(event: dict, at: dt.datetime | None = None) -> bool:
    """A published event whose application window holds `at` (now by default)."""
    if event["status"] != EventStatus.published.value:
        return False
    state = eligibility.window_state(event["application_opens_at"], event["application_closes_at"], at or now())
    return state == eligibility.OPEN
