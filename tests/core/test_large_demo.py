"""The national-scale data set: made in bulk, topped up rather than doubled, searchable and shown
like any other data."""

from __future__ import annotations


from events_app.core.clock import now, today as vietnam_today
from events_app.demo.large import Size, load_large
from events_app.directory.tables import Producer, Product
from events_app.events.tables import Event
from events_app.reference.tables import FormerProvince
from tests.helpers import text_of

SMALL = Size(products=120, events=24)


async def test_the_set_is_made_once_and_topped_up(clean_db):
    assert await load_large(SMALL) == {"products": 120, "events": 24}
    assert await load_large(SMALL) == {"products": 120, "events": 24}
    assert await Product.count() == 120 and await Event.count() == 24
    assert await Producer.count() == 120 // 25 + 1  # 25 products each, the last one fewer
    assert await load_large(Size(products=130, events=30)) == {"products": 130, "events": 30}
    assert await Product.count() == 130 and await Event.count() == 30


async def test_it_holds_former_provinces_lapsed_certificates_and_a_season_around_today(clean_db):
    await load_large(SMALL)
    written = await Producer.select(Producer.province_as_written).where(Producer.province_as_written != "")
    former = set(await FormerProvince.select(FormerProvince.name).output(as_list=True))
    assert written and {row["province_as_written"] for row in written} <= former
    today = vietnam_today()
    validity = await Product.select(Product.valid_until).output(as_list=True)
    assert any(day < today for day in validity) and any(day >= today for day in validity)
    starts = await Event.select(Event.starts_at).output(as_list=True)
    assert min(starts) < now() < max(starts)
    assert {row["kind"] for row in await Event.select(Event.kind)} == {"fair", "conference", "showroom"}


async def test_its_products_are_found_without_accents_and_its_events_listed(client):
    await load_large(SMALL)
    product = await Product.select(Product.name, Product.slug).where(Product.slug == "large-1-1").first()
    assert product["name"].startswith("Mật ong rừng")
    found = await client.get("/products", params={"q": "mat ong rung"})
    assert product["name"] in text_of(found.text)
    listed = await client.get("/events")
    assert "sự kiện sắp diễn ra" in text_of(listed.text)
