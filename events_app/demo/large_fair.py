"""The large set's national fair: a venue with halls, a floor plan of booths, and exhibitors from
every province with approved or confirmed applications, a live booth each and four products shown.

Rows are written in bulk, but each is what the booth services would have written: the products
pass the fair's eligibility rules, statuses come from the application and rental status machines,
each application holds one active rental for the fair's days on a booth nobody else holds. A
second run adds only the halls, booths and exhibitors still missing.
"""

from __future__ import annotations

import datetime as dt
import math

from events_app.booths import floorplan, rules
from events_app.booths.services import event_period
from events_app.booths.tables import (
    ApplicationProduct, ApplicationStatus, Booth, BoothApplication, BoothPreference, BoothRental, RentalStatus,
)
from events_app.core.clock import LOCAL_TZ
from events_app.core.db import write_transaction
from events_app.directory.tables import Producer, Product
from events_app.events import eligibility
from events_app.events.services import get_event_by_id, rules_for
from events_app.events.tables import Event, EventKind, EventStatus, Hall, Session, SessionKind, Venue
from events_app.reference.tables import Province

FAIR = "large-hoi-cho-ocop-toan-quoc"
FAIR_TITLE = "Hội chợ OCOP toàn quốc quy mô lớn"
VENUE = "large-venue-trien-lam-quoc-gia"
PRODUCTS_SHOWN = 4
# One hall: 8 rows of 12 booths of 3 × 3 m, back to back in pairs with an aisle between pairs.
ROWS, COLUMNS = 8, 12
PER_HALL = ROWS * COLUMNS
HALL_PREFIXES = "ABCDEFGHKLMN"
SPARE = 1.2  # booths laid out per exhibitor: some stay free, a few are blocked
BLOCKED_NUMBERS = {47, 48}  # where each hall's pillars stand
PRICES = {"premium": 8_000_000, "corner": 6_000_000, "standard": 4_500_000}
BATCH = 100  # applications written per transaction
WINDOW = 500  # producers whose products are read at once
EXHIBITING = (ApplicationStatus.approved.value, ApplicationStatus.confirmed.value)


async def load_fair(exhibitors: int, today: dt.date) -> dict[str, int]:
    """Top the fair up to `exhibitors`; how many exhibitors, booths and shown products it now holds."""
    if exhibitors <= 0:
        return {"exhibitors": 0, "booths": 0, "products_shown": 0}
    event = await _event(today)
    halls = await _halls(event["venue"], math.ceil(exhibitors * SPARE / PER_HALL))
    await _booths(event["id"], halls)
    await _exhibitors(event, exhibitors)
    return await fair_counts(event["id"])


async def fair_counts(event_id: int) -> dict[str, int]:
    exhibiting = (BoothApplication.event == event_id) & BoothApplication.status.is_in(list(EXHIBITING))
    return {
        "exhibitors": await BoothApplication.count().where(exhibiting),
        "booths": await Booth.count().where(Booth.event == event_id),
        "products_shown": await ApplicationProduct.count().where(
            ApplicationProduct.application.is_in(BoothApplication.select(BoothApplication.id).where(exhibiting))
        ),
    }


async def _event(today: dt.date) -> dict:
    row = await Event.select(Event.id).where(Event.slug == FAIR).first()
    if row is not None:
        return await get_event_by_id(row["id"])
    hanoi = await Province.select(Province.id, Province.region).where(Province.name == "Hà Nội").first()
    venue = await Venue.select(Venue.id).where(Venue.slug == VENUE).first()
    if venue is None:
        [venue] = await Venue.insert(Venue(
            name="Trung tâm Triển lãm Quốc gia", slug=VENUE, province=hanoi["id"], address="Xã Đông Anh, Hà Nội",
        ))
    # A month from today, five days, as the national fair usually runs.
    starts = dt.datetime.combine(today + dt.timedelta(days=30), dt.time(8, 0), LOCAL_TZ)
    ends = starts + dt.timedelta(days=4, hours=13)
    [event] = await Event.insert(Event(
        slug=FAIR, title_vi=FAIR_TITLE, title_en="National OCOP Fair", kind=EventKind.fair.value,
        status=EventStatus.published.value, venue=venue["id"], province=hanoi["id"], region=hanoi["region"],
        starts_at=starts, ends_at=ends,
        organiser="Bộ Công Thương và Văn phòng Điều phối Chương trình OCOP Trung ương",
        description="Chủ thể OCOP của 34 tỉnh, thành phố trưng bày, giới thiệu và kết nối tiêu thụ sản phẩm OCOP 3–5 sao.",
        application_opens_at=starts - dt.timedelta(days=75), application_closes_at=starts - dt.timedelta(days=7),
        min_stars=3,
    ))
    await Session.insert(*[
        Session(
            event=event["id"], title=title, kind=kind.value, room=room,
            starts_at=starts + dt.timedelta(days=day, minutes=minute),
            ends_at=starts + dt.timedelta(days=day, minutes=minute + 90),
        )
        for day, minute, title, kind, room in [
            (0, 30, "Khai mạc Hội chợ OCOP toàn quốc", SessionKind.plenary, "Sân khấu chính"),
            (1, 60, "Hội thảo: đưa sản phẩm OCOP vào chuỗi siêu thị", SessionKind.other, "Hội trường Nhà A"),
            (2, 60, "Hội thảo: sản phẩm OCOP trên sàn thương mại điện tử", SessionKind.other, "Hội trường Nhà A"),
            (3, 660, "Đêm văn hoá ẩm thực vùng miền", SessionKind.other, "Sân khấu chính"),
            (4, 480, "Bế mạc, trao chứng nhận gian hàng tiêu biểu", SessionKind.plenary, "Sân khấu chính"),
        ]
    ])
    return await get_event_by_id(event["id"])


def _spots(prefix: str) -> list[floorplan.BoothSpot]:
    return floorplan.grid(ROWS, COLUMNS, prefix)


async def _halls(venue_id: int, count: int) -> list[dict]:
    """The venue's exhibition halls, as many as the exhibitors need, each big enough for its grid."""
    spots = _spots("A")
    width = math.ceil(max(s.x + s.width for s in spots) + 1)
    depth = math.ceil(max(s.y + s.depth for s in spots) + 1)
    halls = await Hall.select().where(Hall.venue == venue_id).order_by(Hall.id)
    missing = [
        Hall(venue=venue_id, name=f"Nhà {prefix}", width=width, depth=depth)
        for prefix in HALL_PREFIXES[len(halls):min(count, len(HALL_PREFIXES))]
    ]
    if missing:
        await Hall.insert(*missing)
        halls = await Hall.select().where(Hall.venue == venue_id).order_by(Hall.id)
    return halls


def _booth_type(spot: floorplan.BoothSpot, number: int) -> str:
    row, column = divmod(number - 1, COLUMNS)
    if row == 0:
        return "premium"  # along the main entrance
    return "corner" if column in (0, COLUMNS - 1) else "standard"


async def _booths(event_id: int, halls: list[dict]) -> None:
    existing = set(await Booth.select(Booth.code).where(Booth.event == event_id).output(as_list=True))
    rows = []
    for hall, prefix in zip(halls, HALL_PREFIXES):
        for number, spot in enumerate(_spots(prefix), start=1):
            if spot.code in existing:
                continue
            kind = _booth_type(spot, number)
            rows.append(Booth(
                event=event_id, hall=hall["id"], code=spot.code, booth_type=kind, price=PRICES[kind],
                x=spot.x, y=spot.y, width=spot.width, depth=spot.depth, is_blocked=number in BLOCKED_NUMBERS,
            ))
    if rows:
        async with write_transaction():
            await Booth.insert(*rows)


async def _exhibitors(event: dict, wanted: int) -> None:
    applied = set(
        await BoothApplication.select(BoothApplication.producer).where(BoothApplication.event == event["id"])
        .output(as_list=True)
    )
    live = (BoothApplication.event == event["id"]) & BoothApplication.status.is_in(list(EXHIBITING))
    missing = wanted - await BoothApplication.count().where(live)
    if missing <= 0:
        return
    chosen = await _candidates(event, applied, missing)
    booths = await _free_booths(event["id"])
    period = event_period(event)
    approved = rules.application_after("approve", ApplicationStatus.submitted.value)
    confirmed = rules.application_after("confirm", approved)
    active = rules.rental_after("activate", RentalStatus.held.value)
    submitted = event["application_opens_at"] + dt.timedelta(days=3)
    for start in range(0, min(len(chosen), len(booths)), BATCH):
        batch = list(zip(chosen[start:start + BATCH], booths[start:start + BATCH]))
        async with write_transaction():
            made = await BoothApplication.insert(*[
                BoothApplication(
                    event=event["id"], producer=producer_id,
                    # Two in three producers have confirmed their booth; the others still have to.
                    status=confirmed if (start + i) % 3 else approved,
                    submitted_at=submitted + dt.timedelta(hours=start + i),
                    decided_at=submitted + dt.timedelta(days=10, hours=start + i),
                )
                for i, ((producer_id, _), _) in enumerate(batch)
            ])
            ids = [row["id"] for row in made]
            await ApplicationProduct.insert(*[
                ApplicationProduct(application=application, product=product)
                for application, ((_, products), _) in zip(ids, batch)
                for product in products
            ])
            await BoothPreference.insert(*[
                BoothPreference(application=application, booth=booth, rank=1)
                for application, (_, booth) in zip(ids, batch)
            ])
            await BoothRental.insert(*[
                BoothRental(
                    booth=booth, application=application, producer=producer_id,
                    starts_on=period.starts_on, ends_on=period.ends_on, status=active,
                )
                for application, ((producer_id, _), booth) in zip(ids, batch)
            ])


async def _candidates(event: dict, applied: set[int], count: int) -> list[tuple[int, list[int]]]:
    """Producers of the large set not yet applying, spread over the provinces, with four products
    the fair admits (enough stars, a certificate valid on its last day): (producer, products)."""
    fair_rules = rules_for(event)
    producers = [
        row["id"] for row in await Producer.select(Producer.id).where(Producer.slug.like("large-producer-%"))
        .order_by(Producer.id)
        if row["id"] not in applied
    ]
    # Every fifth producer first, then the rest: five steps through the producers cycle through
    # all 34 provinces, and through those written with a former province name and the others.
    ordered = producers[::5] + [p for i, p in enumerate(producers) if i % 5]
    chosen: list[tuple[int, list[int]]] = []
    for start in range(0, len(ordered), WINDOW):
        if len(chosen) >= count:
            break
        window = ordered[start:start + WINDOW]
        products: dict[int, list[int]] = {}
        for row in await Product.select(
            Product.id, Product.producer, Product.name, Product.stars, Product.group, Product.valid_until
        ).where(Product.producer.is_in(window)).order_by(Product.id):
            facts = eligibility.ProductFacts(row["name"], row["stars"], row["group"], row["valid_until"])
            if not eligibility.product_reasons(fair_rules, facts):
                products.setdefault(row["producer"], []).append(row["id"])
        for producer_id in window:
            if len(products.get(producer_id, [])) >= PRODUCTS_SHOWN and len(chosen) < count:
                chosen.append((producer_id, products[producer_id][:PRODUCTS_SHOWN]))
    return chosen


async def _free_booths(event_id: int) -> list[int]:
    """Booths of the fair not blocked and held by no live rental, hall by hall, in code order."""
    held = set(
        await BoothRental.select(BoothRental.booth)
        .where((BoothRental.booth.event == event_id) & (BoothRental.status != RentalStatus.cancelled.value))
        .output(as_list=True)
    )
    booths = await Booth.select(Booth.id, Booth.code).where((Booth.event == event_id) & (Booth.is_blocked == False))  # noqa: E712
    return [b["id"] for b in sorted(booths, key=lambda b: b["code"]) if b["id"] not in held]
