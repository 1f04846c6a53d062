"""The database itself refuses dishonest data, on both engines."""

import datetime as dt

import pytest

from events_app.booths.tables import Booth, BoothApplication, BoothRental
from events_app.core.db import is_integrity_error
from events_app.directory.tables import Product
from events_app.events.tables import Event, Session, Venue
from events_app.reference.tables import Province
from tests.factories import group_id, make_producer, make_product

UTC = dt.timezone.utc


async def _refused(query) -> bool:
    try:
        await query
    except Exception as exc:  # noqa: BLE001 - we assert on the kind below
        assert is_integrity_error(exc), repr(exc)
        return True
    return False


async def _event() -> Event:
    province = (await Province.select(Province.id, Province.region).where(Province.name == "Nghệ An").first())
    venue = Venue(name="Quảng trường", slug="qt", province=province["id"])
    await venue.save()
    event = Event(
        slug="hoi-cho", title_vi="Hội chợ", kind="fair", venue=venue.id, province=province["id"],
        region=province["region"], starts_at=dt.datetime(2026, 12, 17, 1, tzinfo=UTC),
        ends_at=dt.datetime(2026, 12, 21, 15, tzinfo=UTC),
    )
    await event.save()
    return event


async def test_product_stars_must_be_3_to_5(clean_db):
    producer = await make_producer()
    product = await make_product(producer, stars=3)
    assert await _refused(Product.update({Product.stars: 6}).where(Product.id == product.id))
    assert await _refused(Product.update({Product.stars: 2}).where(Product.id == product.id))
    await Product.update({Product.stars: 5}).where(Product.id == product.id)


async def test_certificate_validity_is_36_months(clean_db):
    producer = await make_producer()
    row = dict(producer=producer.id, name="X", slug="x", group=await group_id(), stars=4, certified_on=dt.date(2024, 2, 29))
    assert await _refused(Product.insert(Product(**row, valid_until=dt.date(2027, 3, 1))))
    await Product.insert(Product(**row, valid_until=dt.date(2027, 2, 28)))


async def test_booth_codes_are_unique_per_event(clean_db):
    event = await _event()
    await Booth.insert(Booth(event=event.id, code="A-01"))
    assert await _refused(Booth.insert(Booth(event=event.id, code="A-01")))


async def test_two_live_rentals_of_a_booth_never_overlap(clean_db):
    event = await _event()
    booth = Booth(event=event.id, code="A-01")
    await booth.save()
    first, second = await make_producer(), await make_producer()
    apps = []
    for producer in (first, second):
        application = BoothApplication(event=event.id, producer=producer.id)
        await application.save()
        apps.append(application)
    december = dict(booth=booth.id, starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2026, 12, 31))
    await BoothRental.insert(BoothRental(**december, application=apps[0].id, producer=first.id))
    overlapping = BoothRental(
        booth=booth.id, starts_on=dt.date(2026, 12, 31), ends_on=dt.date(2027, 1, 31), application=apps[1].id,
        producer=second.id,
    )
    assert await _refused(BoothRental.insert(overlapping))
    # A cancelled rental frees the booth; the period right after is free anyway.
    await BoothRental.update({BoothRental.status: "cancelled"}).where(BoothRental.application == apps[0].id)
    await BoothRental.insert(overlapping)


async def test_one_live_booth_per_application(clean_db):
    event = await _event()
    booths = [Booth(event=event.id, code=f"A-0{i}") for i in (1, 2)]
    for booth in booths:
        await booth.save()
    producer = await make_producer()
    application = BoothApplication(event=event.id, producer=producer.id)
    await application.save()
    span = dict(starts_on=dt.date(2026, 12, 17), ends_on=dt.date(2026, 12, 21), application=application.id, producer=producer.id)
    await BoothRental.insert(BoothRental(booth=booths[0].id, **span))
    assert await _refused(BoothRental.insert(BoothRental(booth=booths[1].id, **span)))


async def test_sessions_in_one_room_never_overlap(clean_db):
    event = await _event()
    start = dt.datetime(2026, 12, 17, 1, tzinfo=UTC)
    await Session.insert(Session(event=event.id, title="Khai mạc", room="Hội trường A", starts_at=start,
                                 ends_at=start + dt.timedelta(hours=1)))
    clash = Session(event=event.id, title="Tọa đàm", room="Hội trường A", starts_at=start + dt.timedelta(minutes=30),
                    ends_at=start + dt.timedelta(hours=2))
    assert await _refused(Session.insert(clash))
    # Back to back in the same room, or at the same time elsewhere, is fine.
    await Session.insert(Session(event=event.id, title="Tọa đàm", room="Hội trường A",
                                 starts_at=start + dt.timedelta(hours=1), ends_at=start + dt.timedelta(hours=2)))
    await Session.insert(Session(event=event.id, title="B2B", room="Sảnh B2B", starts_at=start,
                                 ends_at=start + dt.timedelta(hours=2)))


@pytest.mark.parametrize("width", [0, -3])
async def test_booth_size_must_be_positive(clean_db, width):
    event = await _event()
    assert await _refused(Booth.insert(Booth(event=event.id, code="Z-01", width=width)))
