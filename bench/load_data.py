"""`python -m bench.load_data`: what bench_load's writers need, added to the database DATABASE_URL
names (a copy of the large set): race_data's first-come fair (RACE_BOOTHS booths, RACE_PRODUCERS
producers with a log-in each) and a connection conference those producers and DISTRIBUTORS
distributors (a log-in each) attend. Prints what the load's script needs as JSON."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os

from bench import race_data

DISTRIBUTORS = int(os.environ.get("LOAD_DISTRIBUTORS", "40"))


async def build() -> dict:
    from events_app.accounts.passwords import hash_password
    from events_app.accounts.tables import User
    from events_app.booths.tables import Booth
    from events_app.core import db
    from events_app.core.clock import now
    from events_app.core.settings import get_settings
    from events_app.directory.tables import Distributor, Producer, Product
    from events_app.events.tables import Attendance, Event

    fair = await race_data.build()
    await db.connect(get_settings().database_pool_size)
    try:
        fair_event = await Event.select(Event.province, Event.region, Event.venue).where(Event.id == fair["event_id"]).first()
        start = now() + dt.timedelta(days=40)
        conference = Event(
            slug="load-conference", title_vi="Hội nghị kết nối cung cầu thử tải", kind="conference",
            status="published", venue=fair_event["venue"], province=fair_event["province"],
            region=fair_event["region"], starts_at=start, ends_at=start + dt.timedelta(days=2),
        )
        await conference.save()
        producers = await Producer.select(Producer.id).where(Producer.slug.like("race-%")).order_by(Producer.id)
        password_hash = await hash_password(race_data.PASSWORD)
        distributors = []
        for n in range(DISTRIBUTORS):
            distributor = Distributor(name=f"Siêu thị Thử tải {n}", slug=f"load-distributor-{n}",
                                      distributor_type="supermarket_chain")
            await distributor.save()
            distributors.append(distributor.id)
        await User.insert(*[
            User(email=f"load-buyer{n}@ocop.example", password_hash=password_hash, role="distributor",
                 distributor=distributor_id, name=f"Người mua {n}")
            for n, distributor_id in enumerate(distributors)
        ])
        await Attendance.insert(
            *[Attendance(event=conference.id, producer=row["id"]) for row in producers],
            *[Attendance(event=conference.id, distributor=distributor_id) for distributor_id in distributors],
        )
        products = {
            row["producer"]: row["id"]
            for row in await Product.select(Product.producer, Product.id).where(Product.slug.like("race-product-%"))
        }
        booths = await Booth.select(Booth.id).where(Booth.event == fair["event_id"]).output(as_list=True)
        return {
            **fair, "conference": conference.slug, "booth_ids": booths,
            "producer_products": [products[row["id"]] for row in producers],
            "producer_ids": [row["id"] for row in producers], "distributors": DISTRIBUTORS,
        }
    finally:
        await db.disconnect()


if __name__ == "__main__":
    print(json.dumps(asyncio.run(build())))
