"""The national-scale data set: made in bulk, topped up rather than doubled, searchable and shown
like any other data; its national fair obeys the booth rules its rows did not go through."""

from __future__ import annotations

from events_app.booths.tables import ApplicationProduct, Booth, BoothApplication, BoothRental
from events_app.core.clock import now, today as vietnam_today
from events_app.demo.large import Size, load_large
from events_app.demo.large_fair import FAIR, FAIR_TITLE, PER_HALL
from events_app.directory.tables import Distributor, Producer, Product, SourcingInterest
from events_app.events.tables import Event, Hall
from events_app.reference.tables import FormerProvince
from tests.helpers import text_of

SMALL = Size(products=120, events=24, exhibitors=5, distributors=6)
COUNTS = {"products": 120, "producers": 6, "events": 24, "distributors": 6, "exhibitors": 5, "booths": PER_HALL,
          "products_shown": 20}


async def _fair_rows() -> dict[str, int]:
    fair = (await Event.select(Event.id).where(Event.slug == FAIR).first())["id"]
    applications = BoothApplication.select(BoothApplication.id).where(BoothApplication.event == fair)
    return {
        "applications": await BoothApplication.count().where(BoothApplication.event == fair),
        "booths": await Booth.count().where(Booth.event == fair),
        "rentals": await BoothRental.count().where(BoothRental.application.is_in(applications)),
        "shown": await ApplicationProduct.count().where(ApplicationProduct.application.is_in(applications)),
    }


async def test_the_set_is_made_once_and_topped_up(clean_db):
    assert await load_large(SMALL) == COUNTS
    assert await load_large(SMALL) == COUNTS
    assert await Product.count() == 120 and await Event.count() == 24 + 1  # and the national fair
    assert await Producer.count() == 120 // 20  # 20 products each
    assert await Distributor.count() == 6 and await SourcingInterest.count() >= 6
    assert await _fair_rows() == {"applications": 5, "booths": PER_HALL, "rentals": 5, "shown": 20}
    bigger = Size(products=130, events=30, exhibitors=7, distributors=8)
    assert await load_large(bigger) == COUNTS | {
        "products": 130, "producers": 7, "events": 30, "distributors": 8, "exhibitors": 7, "products_shown": 28,
    }
    assert await Product.count() == 130 and await Event.count() == 31
    assert await _fair_rows() == {"applications": 7, "booths": PER_HALL, "rentals": 7, "shown": 28}


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


async def test_the_national_fair_keeps_the_booth_rules(clean_db):
    await load_large(Size(products=400, events=4, exhibitors=12, distributors=2))
    fair = await Event.select().where(Event.slug == FAIR).first()
    rentals = await BoothRental.select(
        BoothRental.booth, BoothRental.application, BoothRental.producer, BoothRental.status, BoothRental.starts_on,
        BoothRental.ends_on, BoothRental.application.producer.as_alias("applicant"),
        BoothRental.booth.is_blocked.as_alias("blocked"), BoothRental.booth.event.as_alias("event"),
    )
    assert len(rentals) == 12
    assert len({r["booth"] for r in rentals}) == 12 and len({r["application"] for r in rentals}) == 12
    assert all(r["producer"] == r["applicant"] and r["event"] == fair["id"] and not r["blocked"] for r in rentals)
    assert {r["status"] for r in rentals} == {"active"}
    assert {(r["starts_on"], r["ends_on"]) for r in rentals} == {(fair["starts_at"].date(), fair["ends_at"].date())}
    statuses = await BoothApplication.select(BoothApplication.status).output(as_list=True)
    assert set(statuses) == {"approved", "confirmed"}
    # The products shown are the producer's own, with enough stars and a certificate valid to the last day.
    shown = await ApplicationProduct.select(
        ApplicationProduct.product.producer.as_alias("owner"), ApplicationProduct.application.producer.as_alias("applicant"),
        ApplicationProduct.product.stars.as_alias("stars"), ApplicationProduct.product.valid_until.as_alias("valid_until"),
    )
    assert len(shown) == 48
    assert all(s["owner"] == s["applicant"] and s["stars"] >= 3 and s["valid_until"] >= fair["ends_at"].date() for s in shown)
    # Booths stand on their hall's floor, one code each.
    booths = await Booth.select(Booth.code, Booth.x, Booth.y, Booth.width, Booth.depth, Booth.hall.width.as_alias("hw"),
                                Booth.hall.depth.as_alias("hd")).where(Booth.event == fair["id"])
    assert len({b["code"] for b in booths}) == len(booths) == PER_HALL
    assert all(b["x"] + b["width"] <= b["hw"] and b["y"] + b["depth"] <= b["hd"] for b in booths)
    assert await Hall.count().where(Hall.venue == fair["venue"]) == 1


async def test_its_products_are_found_without_accents_and_its_fair_shown(client):
    await load_large(SMALL)
    product = await Product.select(Product.name, Product.slug).where(Product.slug == "large-1-1").first()
    assert product["name"].startswith("Mật ong rừng")
    found = await client.get("/products", params={"q": "mat ong rung"})
    assert product["name"] in text_of(found.text)
    listed = await client.get("/events")
    assert "sự kiện sắp diễn ra" in text_of(listed.text) and FAIR_TITLE in text_of(listed.text)
    page = text_of((await client.get(f"/events/{FAIR}")).text)
    assert "5 đơn vị trưng bày · 20 sản phẩm OCOP được trưng bày" in page
    shown = text_of((await client.get("/products", params={"event": FAIR})).text)
    assert "20 sản phẩm" in shown
    plan = await client.get(f"/events/{FAIR}/floor-plan")
    assert plan.status_code == 200 and "A-01" in plan.text and "Nhà A" in text_of(plan.text)
