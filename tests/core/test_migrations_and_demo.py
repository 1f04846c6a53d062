"""Migrations run forwards on the engine under test, and running them or the demo load again changes nothing."""

from piccolo.apps.migrations.tables import Migration

from events_app.accounts.tables import User
from events_app.booths.tables import Booth
from events_app.cli import migrate_database
from events_app.demo.loader import is_empty, load_demo
from events_app.directory.tables import Distributor, Producer, Product, SourcingInterest
from events_app.events.tables import Event, OpeningHours, Session
from events_app.reference.tables import FormerProvince, ProductGroup, Province, Region


async def _counts() -> dict[str, int]:
    tables = [Region, Province, FormerProvince, ProductGroup, Producer, Product, Distributor, SourcingInterest,
              User, Event, Session, Booth, OpeningHours]
    return {t._meta.tablename: await t.count() for t in tables}


async def test_migrations_are_idempotent(clean_db):
    applied = await Migration.count()
    assert applied >= 13
    await migrate_database()
    assert await Migration.count() == applied


async def test_reference_data_is_complete(clean_db):
    assert await Province.count() == 34
    assert await ProductGroup.count() == 6
    assert await Region.count() == 6
    bac_lieu = await FormerProvince.select(FormerProvince.province.name).where(FormerProvince.name == "Bạc Liêu").first()
    assert bac_lieu["province.name"] == "Cà Mau"


async def test_demo_load_is_idempotent(clean_db):
    assert await is_empty()
    await load_demo()
    first = await _counts()
    assert not await is_empty()
    assert first["producer"] >= 15 and first["product"] >= 20 and first["distributor"] >= 4
    assert first["event"] == 4 and first["booth"] == 40 + 16 + 12 + 6
    assert {u["role"] for u in await User.select(User.role)} == {"admin", "staff", "producer", "distributor"}
    kinds = {e["kind"]: e for e in await Event.select(Event.kind, Event.province.name)}
    assert set(kinds) == {"fair", "conference", "showroom"}
    assert kinds["conference"]["province.name"] == "Đắk Lắk"
    await load_demo()
    assert await _counts() == first


async def test_demo_activity_follows_the_rules(clean_db):
    from events_app.booths.tables import BoothApplication, BoothRental
    from events_app.matchmaking.tables import Meeting
    from events_app.directory.tables import Agency
    from events_app.mou import parties as mou_parties
    from events_app.mou.tables import Mou, MouParty

    await load_demo()
    statuses = [r["status"] for r in await BoothApplication.select(BoothApplication.status)]
    assert {"submitted", "approved", "confirmed", "waitlisted", "rejected"} <= set(statuses)
    live = await BoothRental.select(BoothRental.booth, BoothRental.starts_on, BoothRental.ends_on).where(
        BoothRental.status != "cancelled").order_by(BoothRental.booth, BoothRental.starts_on)
    assert len(live) >= 10
    for before, after in zip(live, live[1:]):  # no booth held twice at once; a shelf rented again later
        assert before["booth"] != after["booth"] or before["ends_on"] < after["starts_on"]
    assert await Meeting.count() == 4
    signed = await Mou.select(Mou.id, Mou.value_vnd).where(Mou.status == "signed")
    assert len(signed) == 4 and sum(r["value_vnd"] for r in signed) == 3_550_000_000
    # Among them, the agencies of three provinces, and an agency, a distributor and three producers.
    of = await mou_parties.of_mous([r["id"] for r in signed])
    kinds = sorted(tuple(p["kind"] for p in parties) for parties in of.values())
    assert ("agency", "agency", "agency") in kinds and ("agency", "distributor", "producer", "producer", "producer") in kinds
    assert {p["name"] for parties in of.values() for p in parties if p["kind"] == "agency"} == {
        "Sở Công Thương tỉnh Đắk Lắk", "Sở Công Thương tỉnh Nghệ An", "Sở Công Thương tỉnh Gia Lai",
        "Trung tâm Xúc tiến thương mại tỉnh Nghệ An"}
    before = {t._meta.tablename: await t.count() for t in (BoothApplication, BoothRental, Meeting, Mou, MouParty, Agency)}
    await load_demo()
    assert {t._meta.tablename: await t.count() for t in (BoothApplication, BoothRental, Meeting, Mou, MouParty, Agency)} == before


async def test_demo_products_come_from_the_articles(clean_db):
    await load_demo()
    names = set(await Product.select(Product.name).output(as_list=True))
    assert {"Gà Tiên Yên", "Tảo xoắn Spirulina Michio", "Nước mắm Tân Hội Cửa Lò", "Trà túi lọc Cà gai leo",
            "Nấm linh chi ATC", "Cam Vinh"} <= names
    bac_lieu = await Producer.select(Producer.province.name, Producer.province_as_written).where(
        Producer.slug == "htx-muoi-tom-bac-lieu"
    ).first()
    assert bac_lieu == {"province.name": "Cà Mau", "province_as_written": "Bạc Liêu"}
