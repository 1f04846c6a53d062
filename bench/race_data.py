"""`python -m bench.race_data`: a first-come fair with BOOTHS booths and PRODUCERS producers (one
product and one log-in each), in the database DATABASE_URL names, for bench_booth_race."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os

BOOTHS = int(os.environ.get("RACE_BOOTHS", "50"))
PRODUCERS = int(os.environ.get("RACE_PRODUCERS", "200"))
PASSWORD = "race-password-2026"


async def build() -> dict:
    from events_app.accounts.passwords import hash_password
    from events_app.accounts.tables import User
    from events_app.booths import floorplan
    from events_app.booths.tables import AllocationPolicy, Booth
    from events_app.cli import migrate_database
    from events_app.core import db
    from events_app.core.clock import now
    from events_app.core.dates import certificate_valid_until
    from events_app.core.settings import get_settings
    from events_app.directory.search import product_search_columns
    from events_app.directory.tables import Producer, Product
    from events_app.events.tables import Event, Hall, Venue
    from events_app.reference.tables import ProductGroup, Province

    await db.connect(get_settings().database_pool_size)
    try:
        await migrate_database()
        province = await Province.select(Province.id, Province.region).where(Province.name == "Nghệ An").first()
        group = (await ProductGroup.select(ProductGroup.id).where(ProductGroup.code == "food").first())["id"]
        venue = Venue(name="Trung tâm Hội chợ Vinh", slug="race-venue", province=province["id"])
        await venue.save()
        hall = Hall(venue=venue.id, name="Nhà A", width=80, depth=40)
        await hall.save()
        start = now() + dt.timedelta(days=30)
        event = Event(
            slug="race-fair", title_vi="Hội chợ thử tranh gian hàng", kind="fair", status="published", venue=venue.id,
            province=province["id"], region=province["region"], starts_at=start, ends_at=start + dt.timedelta(days=3),
            application_opens_at=now() - dt.timedelta(days=1), application_closes_at=now() + dt.timedelta(days=20),
        )
        await event.save()
        await AllocationPolicy.insert(AllocationPolicy(event=event.id, first_come=True, hold_minutes=15))
        await Booth.insert(*[
            Booth(event=event.id, hall=hall.id, code=spot.code, x=spot.x, y=spot.y, width=spot.width, depth=spot.depth,
                  price=3_500_000)
            for spot in floorplan.grid(BOOTHS // 10 + (BOOTHS % 10 > 0), 10, "A")[:BOOTHS]
        ])
        password_hash = await hash_password(PASSWORD)
        certified = (now() - dt.timedelta(days=200)).date()
        users = []
        for n in range(PRODUCERS):
            producer = Producer(name=f"HTX Tranh gian {n}", slug=f"race-{n}", producer_type="cooperative",
                                province=province["id"])
            await producer.save()
            name = f"Mật ong rừng {n}"
            await Product.insert(Product(
                producer=producer.id, name=name, slug=f"race-product-{n}", group=group, stars=4,
                certificate_number=f"RACE-{n}", certified_on=certified, valid_until=certificate_valid_until(certified),
                **product_search_columns(name=name, producer=producer.name, province="Nghệ An", group="Thực phẩm"),
            ))
            users.append(User(email=f"race{n}@ocop.example", password_hash=password_hash, role="producer",
                              producer=producer.id, name=producer.name))
        await User.insert(*users)
        return {"slug": event.slug, "booths": BOOTHS, "producers": PRODUCERS, "event_id": event.id}
    finally:
        await db.disconnect()


if __name__ == "__main__":
    print(json.dumps(asyncio.run(build())))
