"""Fairs with exhibitors, and catalogue products with their full search text, for the directory and
catalogue tests. Dates are relative to today so events lie ahead unless a test says otherwise."""

from __future__ import annotations

import datetime as dt
import itertools

from events_app.booths.tables import ApplicationProduct, Booth, BoothApplication, BoothRental
from events_app.directory.services import refresh_search_text
from events_app.directory.tables import Producer, Product
from events_app.events.tables import Event, Hall, Venue
from events_app.core.i18n import LOCAL_TZ
from events_app.reference.tables import Province
from tests.factories import make_product

_numbers = itertools.count(1)


def today() -> dt.date:
    return dt.datetime.now(LOCAL_TZ).date()


def local(day: dt.date, hour: int = 8) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), LOCAL_TZ).astimezone(dt.timezone.utc)


async def catalogue_product(producer: Producer, name: str, *, description: str = "", story: str = "", **fields) -> Product:
    """A product whose search columns name its producer, province, group and story, as the app keeps them."""
    product = await make_product(producer, name, **fields)
    if description or story:
        await Product.update({Product.description: description, Product.story: story}).where(Product.id == product.id)
    await refresh_search_text(producer.id)
    return product


async def make_fair(
    *,
    title: str = "Hội chợ OCOP thử nghiệm",
    status: str = "published",
    kind: str = "fair",
    starts: dt.date | None = None,
    days: int = 4,
    halls: tuple[tuple[str, str, int], ...] = (("Khu A", "A", 6), ("Khu B", "B", 4)),
) -> tuple[dict, dict[str, int]]:
    """An event with halls of booths; returns the event row and {booth code: booth id}."""
    province = await Province.select(Province.id, Province.region).where(Province.name == "Nghệ An").first()
    n = next(_numbers)
    venue = Venue(name=f"Quảng trường Hồ Chí Minh {n}", slug=f"quang-truong-{n}", address="Đường Trường Thi",
                  province=province["id"])
    await venue.save()
    starts = starts or today() + dt.timedelta(days=30)
    event = Event(
        slug=f"hoi-cho-thu-{n}", title_vi=f"{title} {n}", title_en=f"Test fair {n}", kind=kind, status=status,
        venue=venue.id, province=province["id"], region=province["region"], starts_at=local(starts),
        ends_at=local(starts + dt.timedelta(days=days), 20), organiser="Sở Công Thương Nghệ An",
    )
    await event.save()
    booths = {}
    for hall_name, prefix, count in halls:
        hall = Hall(venue=venue.id, name=hall_name)
        await hall.save()
        for i in range(1, count + 1):
            booth = Booth(event=event.id, hall=hall.id, code=f"{prefix}-{i:02d}", x=i * 3.0, y=1.0)
            await booth.save()
            booths[booth.code] = booth.id
    row = await Event.select().where(Event.id == event.id).first()
    return row, booths


async def exhibit(
    event: dict, producer: Producer, products: list[Product], *, status: str = "approved",
    booth_id: int | None = None, rental_status: str = "active",
) -> BoothApplication:
    """A booth application showing `products`, with a rental of `booth_id` when given."""
    application = BoothApplication(event=event["id"], producer=producer.id, status=status)
    await application.save()
    for product in products:
        await ApplicationProduct(application=application.id, product=product.id).save()
    if booth_id is not None:
        first = event["starts_at"].astimezone(LOCAL_TZ).date()
        last = event["ends_at"].astimezone(LOCAL_TZ).date()
        await BoothRental(booth=booth_id, application=application.id, producer=producer.id, starts_on=first,
                          ends_on=last, status=rental_status).save()
    return application
