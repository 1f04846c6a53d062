"""Fairs and showrooms with booths, and signed-in clients, for the booths tests.

Dates are relative to today, so the application window is open and certificates are valid unless
a test says otherwise.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from events_app.booths import floorplan
from events_app.booths.tables import Booth
from events_app.events.tables import Event, Hall, Venue
from events_app.core.i18n import LOCAL_TZ
from events_app.reference.tables import Province
from tests.factories import PASSWORD, make_producer, make_product, make_user
from tests.helpers import login

_numbers = itertools.count(1)
UTC = dt.timezone.utc


def local(day: dt.date, hour: int = 8) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), LOCAL_TZ).astimezone(UTC)


def today() -> dt.date:
    return dt.datetime.now(LOCAL_TZ).date()


async def make_venue(halls=(("Khu A", 40, 24),), province: str = "Nghệ An") -> tuple[Venue, list[Hall]]:
    row = await Province.select(Province.id).where(Province.name == province).first()
    n = next(_numbers)
    venue = Venue(name=f"Quảng trường {n}", slug=f"quang-truong-{n}", province=row["id"])
    await venue.save()
    made = []
    for name, width, depth in halls:
        hall = Hall(venue=venue.id, name=name, width=width, depth=depth)
        await hall.save()
        made.append(hall)
    return venue, made


async def make_event(venue: Venue, *, kind: str = "fair", status: str = "published", starts: dt.date | None = None,
                     ends: dt.date | None = None, province: str = "Nghệ An", **fields) -> dict:
    row = await Province.select(Province.id, Province.region).where(Province.name == province).first()
    starts = starts or today() + dt.timedelta(days=30)
    ends = ends or starts + dt.timedelta(days=4)
    n = next(_numbers)
    defaults = dict(
        application_opens_at=local(today() - dt.timedelta(days=5)),
        application_closes_at=local(today() + dt.timedelta(days=20), 17),
    )
    event = Event(
        slug=f"{kind}-{n}", title_vi=f"Sự kiện thử {n} ({kind})", kind=kind, status=status, venue=venue.id,
        province=row["id"], region=row["region"], starts_at=local(starts), ends_at=local(ends, 20),
        **{**defaults, **fields},
    )
    await event.save()
    from events_app.events.services import get_event_by_id

    return await get_event_by_id(event.id)


async def add_booths(event: dict, hall: Hall, rows: int, columns: int, prefix: str, *, booth_type: str = "standard",
                     price: int = 3_500_000) -> dict[str, int]:
    """Booths laid out with floorplan.grid; returns {code: id}."""
    ids = {}
    for spot in floorplan.grid(rows, columns, prefix):
        booth = Booth(event=event["id"], hall=hall.id, code=spot.code, booth_type=booth_type, price=price,
                      x=spot.x, y=spot.y, width=spot.width, depth=spot.depth)
        await booth.save()
        ids[spot.code] = booth.id
    return ids


@pytest.fixture
async def fair(clean_db):
    """A published fair in 30 days, applications open, with booths A-01…A-08 in Khu A (40 × 24 m)."""
    venue, halls = await make_venue()
    event = await make_event(venue)
    booths = await add_booths(event, halls[0], 2, 4, "A")
    return {"event": event, "hall": halls[0], "booths": booths}


@pytest.fixture
async def showroom(clean_db):
    """A showroom open from the first of this month for a year, with shelf slots K-01…K-04 at 1.5 million a month."""
    venue, halls = await make_venue((("Nhà trưng bày", 16, 8),))
    first = today().replace(day=1)
    event = await make_event(
        venue, kind="showroom", starts=first, ends=first.replace(year=first.year + 1) - dt.timedelta(days=1),
        application_opens_at=local(first - dt.timedelta(days=30)), application_closes_at=None,
    )
    booths = await add_booths(event, halls[0], 1, 4, "K", booth_type="shelf", price=1_500_000)
    return {"event": event, "hall": halls[0], "booths": booths}


async def producer_with_products(name: str | None = None, *, products: int = 1, **producer_fields):
    producer = await make_producer(name, **producer_fields)
    made = [await make_product(producer) for _ in range(products)]
    user = await make_user("producer", producer=producer)
    return producer, made, user


async def log_in(client, user) -> None:
    await login(client, user.email, PASSWORD)


def next_month(day: dt.date | None = None) -> dt.date:
    day = (day or today()).replace(day=1)
    return (day + dt.timedelta(days=32)).replace(day=1)
