"""Reading the booths domain: floor plans with each booth's status, showroom slot schedules,
applications as producers and staff see them. Writes live in layout.py and decisions.py."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from typing import Iterable

from piccolo.query import OrderByRaw
from piccolo.query.functions.aggregate import Count

from events_app.booths import floorplan
from events_app.booths.rules import LIVE_STATUSES, is_live, require_booths
from events_app.booths.periods import Period, months_from, rental_price
from events_app.booths.tables import (
    ApplicationProduct,
    ApplicationStatus,
    Booth,
    BoothApplication,
    BoothHold,
    BoothPreference,
    BoothRental,
    PlanFeature,
    RentalStatus,
)
from events_app.directory.tables import Product
from events_app.core.errors import NotFound
from events_app.events import eligibility
from events_app.events.services import (
    candidate_for,
    event_days,
    get_event_by_id,
    local_day,
    now,
    product_facts,
    rules_for,
)
from events_app.events.tables import EventKind, Hall
from events_app.core.i18n import N_
from events_app.core.pagination import Page, paginate
from events_app.reference.services import group_name

STATUS_ORDER = [status.value for status in ApplicationStatus]
SCHEDULE_MONTHS = 6
PER_PAGE = 20


def is_showroom(event: dict) -> bool:
    return event["kind"] == EventKind.showroom.value


def event_period(event: dict) -> Period:
    return Period(*event_days(event))


def showroom_month(event: dict, month: dt.date | None = None, today: dt.date | None = None) -> Period:
    """The month a showroom's plan shows: the one asked for, else this month, kept within the showroom's dates."""
    span = event_period(event)
    first = (month or today or local_day(now())).replace(day=1)
    first = min(max(first, span.starts_on.replace(day=1)), span.ends_on.replace(day=1))
    return months_from(first, 1)


# Booths and rentals ---------------------------------------------------------------------------

async def halls_of(event: dict) -> list[dict]:
    return await Hall.select().where(Hall.venue == event["venue"]).order_by(Hall.id)


async def booths_of(event_id: int) -> list[dict]:
    return await (
        Booth.select(Booth.all_columns(), Booth.hall.name.as_alias("hall_name"))
        .where(Booth.event == event_id)
        .order_by(Booth.code)
    )


RENTAL_COLUMNS = (
    BoothRental.all_columns(),
    BoothRental.booth.code.as_alias("booth_code"),
    BoothRental.booth.booth_type.as_alias("booth_type"),
    BoothRental.booth.price.as_alias("booth_price"),
    BoothRental.producer.name.as_alias("producer_name"),
    BoothRental.producer.slug.as_alias("producer_slug"),
    BoothRental.application.status.as_alias("application_status"),
)


async def live_rentals(event_id: int, period: Period | None = None) -> list[dict]:
    """Rentals not cancelled of the event's booths, those overlapping `period` when given."""
    query = (
        BoothRental.select(*RENTAL_COLUMNS)
        .where((BoothRental.booth.event == event_id) & (BoothRental.status != RentalStatus.cancelled))
        .order_by(BoothRental.starts_on)
    )
    if period is not None:
        query = query.where((BoothRental.starts_on <= period.ends_on) & (BoothRental.ends_on >= period.starts_on))
    return await query


def _strongest(rentals: list[dict]) -> dict | None:
    """Of the rentals of one booth in a period, the one that says most about it (taken before held)."""
    ranked = sorted(
        rentals, key=lambda r: floorplan.status_of(False, r["status"], r["application_status"]) != floorplan.TAKEN
    )
    return ranked[0] if ranked else None


def placed_booths(
    booths: Iterable[dict], rentals: Iterable[dict], viewer_producer_id: int | None, *, all_holders: bool = False
) -> list[tuple]:
    """(hall id, PlacedBooth) for each booth, with its status given the rentals that overlap the period shown.

    Who holds a booth is public once staff have given it; who merely asked is shown to staff only.
    """
    per_booth: dict[int, list[dict]] = defaultdict(list)
    for rental in rentals:
        per_booth[rental["booth"]].append(rental)
    placed = []
    for booth in booths:
        held = per_booth.get(booth["id"], [])
        rental = _strongest(held)
        placed.append(
            (
                booth["hall"],
                floorplan.PlacedBooth(
                    id=booth["id"],
                    code=booth["code"],
                    booth_type=booth["booth_type"],
                    x=booth["x"],
                    y=booth["y"],
                    width=booth["width"],
                    depth=booth["depth"],
                    price=booth["price"],
                    status=floorplan.status_of(
                        booth["is_blocked"],
                        rental["status"] if rental else None,
                        rental["application_status"] if rental else None,
                    ),
                    holder=", ".join(
                        dict.fromkeys(r["producer_name"] for r in held if all_holders or r["status"] == RentalStatus.active)
                    ),
                    own=viewer_producer_id is not None and any(r["producer"] == viewer_producer_id for r in held),
                ),
            )
        )
    return placed


async def floor_plan(
    event: dict, period: Period, viewer_producer_id: int | None = None, *, all_holders: bool = False
) -> list[floorplan.HallPlan]:
    booths = await booths_of(event["id"])
    rentals = await live_rentals(event["id"], period) + await live_holds(event["id"])
    placed = placed_booths(booths, rentals, viewer_producer_id, all_holders=all_holders)
    return floorplan.hall_plans(await halls_of(event), placed, await placed_features(event["id"]))


async def placed_features(event_id: int) -> list[tuple[int, floorplan.PlacedFeature]]:
    """(hall id, PlacedFeature) for what the event's plan shows but nobody rents."""
    rows = await PlanFeature.select().where(PlanFeature.event == event_id).order_by(PlanFeature.id)
    return [(row["hall"], floorplan.PlacedFeature(row["id"], row["kind"], row["label"], row["x"], row["y"],
                                                  row["width"], row["depth"])) for row in rows]


async def live_holds(event_id: int) -> list[dict]:
    """Unexpired holds of a first-come fair (see booths.holds), shaped as the rentals the floor
    plan draws: a booth someone is booking shows as held."""
    return [
        {**row, "status": RentalStatus.held.value, "application_status": None, "application": None}
        for row in await BoothHold.select(
            BoothHold.booth, BoothHold.producer, BoothHold.expires_at,
            BoothHold.producer.name.as_alias("producer_name"),
        ).where((BoothHold.event == event_id) & (BoothHold.expires_at > now()))
    ]


def counts(plans: Iterable[floorplan.HallPlan]) -> dict[str, int]:
    plans = list(plans)
    return {status: sum(plan.count(status) for plan in plans) for status in floorplan.STATUSES}


async def slot_schedule(event: dict, first: dt.date, months: int = SCHEDULE_MONTHS) -> dict[int, list[dict]]:
    """A showroom's rentals per slot over the coming months (from the month of `first`)."""
    schedule: dict[int, list[dict]] = defaultdict(list)
    for rental in await live_rentals(event["id"], months_from(first, months)):
        schedule[rental["booth"]].append(rental)
    return schedule


def free_booths(booths: Iterable[dict], rentals: Iterable[dict], period: Period, *, except_application: int | None = None) -> list[dict]:
    """Booths not blocked and held by nobody (but `except_application`) at any time in `period`."""
    busy = {
        r["booth"]
        for r in rentals
        if r["application"] != except_application and Period(r["starts_on"], r["ends_on"]).overlaps(period)
    }
    return [b for b in booths if not b["is_blocked"] and b["id"] not in busy]


async def free_booths_of(event: dict, period: Period) -> list[dict]:
    return free_booths(await booths_of(event["id"]), await live_rentals(event["id"], period), period)


# Applications ---------------------------------------------------------------------------------

async def products_of(producer_id: int) -> list[dict]:
    """A producer's products, to choose those it shows, with what eligibility looks at."""
    return await (
        Product.select(
            Product.id, Product.name, Product.stars, Product.valid_until,
            Product.group.name_vi.as_alias("name_vi"), Product.group.name_en.as_alias("name_en"),
        )
        .where(Product.producer == producer_id)
        .order_by(Product.name)
    )


APPLICATION_COLUMNS = (
    BoothApplication.all_columns(),
    BoothApplication.producer.name.as_alias("producer_name"),
    BoothApplication.producer.slug.as_alias("producer_slug"),
    BoothApplication.producer.producer_type.as_alias("producer_type"),
    BoothApplication.producer.province.name.as_alias("province_name"),
    BoothApplication.event.slug.as_alias("event_slug"),
    BoothApplication.event.title_vi.as_alias("title_vi"),
    BoothApplication.event.title_en.as_alias("title_en"),
    BoothApplication.event.kind.as_alias("event_kind"),
    BoothApplication.event.status.as_alias("event_status"),
    BoothApplication.event.starts_at.as_alias("starts_at"),
    BoothApplication.event.ends_at.as_alias("ends_at"),
)


async def with_details(applications: list[dict]) -> list[dict]:
    """Add each application's products, preferred booths and rental (its live one, else its last)."""
    ids = [a["id"] for a in applications]
    if not ids:
        return applications
    products: dict[int, list[dict]] = defaultdict(list)
    for row in await ApplicationProduct.select(
        ApplicationProduct.application,
        ApplicationProduct.product.id.as_alias("id"),
        ApplicationProduct.product.name.as_alias("name"),
        ApplicationProduct.product.slug.as_alias("slug"),
        ApplicationProduct.product.stars.as_alias("stars"),
        ApplicationProduct.product.valid_until.as_alias("valid_until"),
        ApplicationProduct.product.group.name_vi.as_alias("name_vi"),
        ApplicationProduct.product.group.name_en.as_alias("name_en"),
    ).where(ApplicationProduct.application.is_in(ids)).order_by(ApplicationProduct.id):
        products[row["application"]].append({**row, "group": group_name(row)})
    preferences: dict[int, list[dict]] = defaultdict(list)
    for row in await BoothPreference.select(
        BoothPreference.application, BoothPreference.rank, BoothPreference.booth,
        BoothPreference.booth.code.as_alias("code"),
    ).where(BoothPreference.application.is_in(ids)).order_by(BoothPreference.rank):
        preferences[row["application"]].append(row)
    rentals: dict[int, dict] = {}
    for row in await BoothRental.select(*RENTAL_COLUMNS).where(BoothRental.application.is_in(ids)).order_by(BoothRental.id):
        current = rentals.get(row["application"])
        if current is None or row["status"] != RentalStatus.cancelled or current["status"] == RentalStatus.cancelled:
            rentals[row["application"]] = row
    out = []
    for a in applications:
        rental = rentals.get(a["id"])
        live = rental if rental is not None and rental["status"] != RentalStatus.cancelled else None
        out.append(
            {
                **a,
                "products": products.get(a["id"], []),
                "preferences": preferences.get(a["id"], []),
                "rental": rental,
                "live_rental": live,
                "price": _price(a, live),
                "is_live": is_live(a["status"]),
            }
        )
    return out


def _price(application: dict, rental: dict | None) -> int | None:
    """What the booth costs the producer: a fair booth's price, a showroom slot's monthly price over the period."""
    if rental is None:
        return None
    if application.get("event_kind") == EventKind.showroom.value:
        return rental_price(rental["booth_price"], Period(rental["starts_on"], rental["ends_on"]))
    return rental["booth_price"]


async def get_application(application_id: int, *, producer_id: int | None = None) -> dict:
    """An application with its details; a producer only finds its own (others are not found)."""
    query = BoothApplication.select(*APPLICATION_COLUMNS).where(BoothApplication.id == application_id)
    if producer_id is not None:
        query = query.where(BoothApplication.producer == producer_id)
    row = await query.first()
    if row is None:
        raise NotFound(N_("This application does not exist."))
    return (await with_details([row]))[0]


async def producer_application(event_id: int, producer_id: int) -> dict | None:
    """The producer's live application to the event, else its latest one."""
    rows = await (
        BoothApplication.select(*APPLICATION_COLUMNS)
        .where((BoothApplication.event == event_id) & (BoothApplication.producer == producer_id))
        .order_by(BoothApplication.id, ascending=False)
    )
    if not rows:
        return None
    live = [row for row in rows if row["status"] in LIVE_STATUSES]
    return (await with_details([(live or rows)[0]]))[0]


# The waiting list's order: the place the allocation gave, then the earlier application.
LINE_ORDER = OrderByRaw(
    "booth_application.waiting_place IS NULL, booth_application.waiting_place, "
    "booth_application.submitted_at, booth_application.id"
)


def line_order(query):
    return query.order_by(LINE_ORDER)


async def places_in_line(event_ids: list[int]) -> dict[int, int]:
    """Each waiting application's place in its fair's line today, 1 first."""
    if not event_ids:
        return {}
    rows = await line_order(BoothApplication.select(BoothApplication.id, BoothApplication.event).where(
        BoothApplication.event.is_in(event_ids) & (BoothApplication.status == ApplicationStatus.waitlisted.value)
    ))
    places: dict[int, int] = {}
    counted: dict[int, int] = {}
    for row in rows:
        counted[row["event"]] = counted.get(row["event"], 0) + 1
        places[row["id"]] = counted[row["event"]]
    return places


async def my_applications(producer_id: int, page: int) -> Page:
    query = (
        BoothApplication.select(*APPLICATION_COLUMNS)
        .where(BoothApplication.producer == producer_id)
        .order_by(BoothApplication.submitted_at, ascending=False)
        .order_by(BoothApplication.id, ascending=False)
    )
    listing = await paginate(query, BoothApplication.count().where(BoothApplication.producer == producer_id), page, PER_PAGE)
    listing.items = await with_details(listing.items)
    places = await places_in_line(sorted({a["event"] for a in listing.items
                                        if a["status"] == ApplicationStatus.waitlisted.value}))
    for item in listing.items:
        item["place_in_line"] = places.get(item["id"])
    return listing


async def inbox(status: str, page: int) -> tuple[Page, dict[str, int]]:
    """Applications of every event with booths, of one status (the oldest first: they waited
    longest), with how many each status holds; for the staff's inbox."""
    counts_by_status = {s: 0 for s in STATUS_ORDER}
    for row in await BoothApplication.select(BoothApplication.status, Count()).group_by(BoothApplication.status):
        counts_by_status[row["status"]] = row["count"]
    where = BoothApplication.status == status
    query = BoothApplication.select(*APPLICATION_COLUMNS).where(where).order_by(BoothApplication.submitted_at).order_by(
        BoothApplication.id)
    listing = await paginate(query, BoothApplication.count().where(where), page, PER_PAGE, params={"status": status})
    return listing, counts_by_status


def application_period(event: dict, application: dict) -> Period:
    """The days an application asks for: the fair's, or the showroom period of its rental."""
    rental = application.get("rental")
    if is_showroom(event) and rental is not None:
        return Period(rental["starts_on"], rental["ends_on"])
    return event_period(event)


async def warnings_now(event: dict, application: dict) -> list[str]:
    """Why the application would not be eligible today (the application window aside)."""
    period = application_period(event, application)
    rules = dataclasses.replace(
        rules_for(event), starts_on=period.starts_on, ends_on=period.ends_on, opens_at=None, closes_at=None
    )
    candidate = await candidate_for(application["producer"])
    products = await product_facts(application["producer"], [p["id"] for p in application["products"]])
    return eligibility.check(rules, candidate, products, now(), require_products=False).messages()


def booth_choices(application: dict, booths: list[dict], rentals: list[dict], period: Period) -> list[dict]:
    """Booths staff may give the application: its own, then its free preferences in order, then the other free ones."""
    free = {b["id"]: b for b in free_booths(booths, rentals, period, except_application=application["id"])}
    current = application["live_rental"]["booth"] if application.get("live_rental") else None
    choices: list[dict] = []
    if current in free:
        choices.append({"id": current, "code": free[current]["code"], "note": "current"})
    for preference in application["preferences"]:
        if preference["booth"] in free and preference["booth"] != current:
            choices.append({"id": preference["booth"], "code": preference["code"], "note": "preference", "rank": preference["rank"]})
    chosen = {c["id"] for c in choices}
    choices.extend({"id": b["id"], "code": b["code"], "note": ""} for b in free.values() if b["id"] not in chosen)
    return choices


async def staff_applications(event: dict, status: str, page: int) -> tuple[Page, dict[str, int]]:
    """A page of the event's applications (of one status, or all), each with what staff decide on."""
    where = BoothApplication.event == event["id"]
    counts_by_status = {s: 0 for s in STATUS_ORDER}
    for row in await BoothApplication.select(BoothApplication.status).where(where):
        counts_by_status[row["status"]] = counts_by_status.get(row["status"], 0) + 1
    if status:
        where = where & (BoothApplication.status == status)
    query = (
        BoothApplication.select(*APPLICATION_COLUMNS)
        .where(where)
        .order_by(BoothApplication.submitted_at)
        .order_by(BoothApplication.id)
    )
    listing = await paginate(query, BoothApplication.count().where(where), page, PER_PAGE, {"status": status})
    items = await with_details(listing.items)
    booths = await booths_of(event["id"])
    rentals = await live_rentals(event["id"])
    for item in items:
        period = application_period(event, item)
        item["period"] = period
        item["warnings"] = await warnings_now(event, item)
        item["booth_choices"] = booth_choices(item, booths, rentals, period)
    listing.items = items
    return listing, counts_by_status


async def get_booth_event(event_id: int) -> dict:
    """An event by id for the staff pages, when it has booths."""
    return require_booths(await get_event_by_id(event_id))
