"""A connection conference with attendees, made through the tables the application uses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from events_app.directory.tables import SourcingInterest
from events_app.events.tables import Attendance, Event, Session, Venue
from events_app.reference.tables import ProductGroup, Province, Region
from tests.factories import make_distributor, make_producer, make_product, make_user

UTC = dt.timezone.utc


def now() -> dt.datetime:
    return dt.datetime.now(UTC).replace(microsecond=0)


async def region_id(name: str) -> int:
    return (await Region.select(Region.id).where(Region.name == name).first())["id"]


async def province_row(name: str) -> dict:
    return await Province.select(Province.id, Province.region).where(Province.name == name).first()


async def group(code: str) -> int:
    return (await ProductGroup.select(ProductGroup.id).where(ProductGroup.code == code).first())["id"]


@dataclass
class Conference:
    event: Event
    b2b: Session
    signing: Session
    plenary: Session
    extra: dict = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.event.slug


async def make_conference(
    slug: str = "hoi-nghi-ket-noi",
    *,
    kind: str = "conference",
    status: str = "published",
    regions: tuple[str, ...] = ("Bắc Trung Bộ và Duyên hải miền Trung", "Tây Nguyên"),
    min_stars: int | None = 3,
    window: tuple[dt.datetime | None, dt.datetime | None] | None = None,
    tables: int = 3,
    slot_minutes: int = 20,
    b2b_minutes: int = 60,
    signing_minutes: int = 0,
) -> Conference:
    province = await province_row("Đắk Lắk")
    venue = await Venue.select(Venue.id).where(Venue.slug == "tt-hoi-nghi").first()
    if venue is None:
        created = Venue(name="Trung tâm Hội nghị", slug="tt-hoi-nghi", province=province["id"])
        await created.save()
        venue_id = created.id
    else:
        venue_id = venue["id"]
    day = (now() + dt.timedelta(days=10)).replace(hour=1, minute=0, second=0)  # 08:00 in Vietnam
    opens, closes = window if window is not None else (now() - dt.timedelta(days=5), now() + dt.timedelta(days=5))
    event = Event(
        slug=slug, title_vi=f"Hội nghị kết nối cung cầu {slug}", title_en="Connection conference", kind=kind,
        status=status, venue=venue_id, province=province["id"], region=province["region"], starts_at=day,
        ends_at=day + dt.timedelta(hours=9), application_opens_at=opens, application_closes_at=closes,
        min_stars=min_stars, eligible_regions=[await region_id(name) for name in regions],
    )
    await event.save()
    plenary = Session(event=event.id, title="Phiên toàn thể", kind="plenary", starts_at=day,
                      ends_at=day + dt.timedelta(minutes=90), room="Hội trường A")
    b2b_start = day + dt.timedelta(minutes=105)  # 09:45
    b2b = Session(event=event.id, title="Kết nối giao thương B2B", kind="b2b", starts_at=b2b_start,
                  ends_at=b2b_start + dt.timedelta(minutes=b2b_minutes), room="Sảnh B2B", tables_count=tables,
                  slot_minutes=slot_minutes)
    signing_start = day + dt.timedelta(hours=6)  # 14:00
    signing = Session(event=event.id, title="Lễ ký kết biên bản ghi nhớ", kind="signing", starts_at=signing_start,
                      ends_at=signing_start + dt.timedelta(hours=1), room="Hội trường A", slot_minutes=signing_minutes)
    for session in (plenary, b2b, signing):
        await session.save()
    return Conference(event, b2b, signing, plenary)


async def attend(event_id: int, *, producer=None, distributor=None) -> None:
    await Attendance.insert(
        Attendance(event=event_id, producer=producer.id if producer else None,
                   distributor=distributor.id if distributor else None)
    )


async def interest(distributor, *, group_code: str | None = None, min_stars: int = 3, province: str | None = None,
                   region: str | None = None, volume: str = "", active: bool = True) -> SourcingInterest:
    row = SourcingInterest(
        distributor=distributor.id, group=await group(group_code) if group_code else None, min_stars=min_stars,
        province=(await province_row(province))["id"] if province else None,
        region=await region_id(region) if region else None, volume=volume, is_active=active,
    )
    await row.save()
    return row


@dataclass
class Cast:
    """The people of a conference: two producers and two distributors with their users, all registered."""

    conference: Conference
    producer: object
    producer_user: object
    producer2: object
    producer2_user: object
    distributor: object
    distributor_user: object
    distributor2: object
    distributor2_user: object
    staff_user: object


async def make_cast(**conference_options) -> Cast:
    conference = await make_conference(**conference_options)
    producer = await make_producer("HTX Trà Con Cuông", province="Nghệ An")
    await make_product(producer, "Trà linh chi", group="beverages", stars=4, certified_on=dt.date(2025, 6, 1))
    await make_product(producer, "Nấm linh chi", group="herbal", stars=5, certified_on=dt.date(2025, 6, 1))
    producer2 = await make_producer("HTX Cà phê Buôn Ma Thuột", province="Đắk Lắk")
    await make_product(producer2, "Cà phê rang xay", group="beverages", stars=3, certified_on=dt.date(2025, 6, 1))
    distributor = await make_distributor("Siêu thị Co.op Test")
    await interest(distributor, group_code="beverages", min_stars=4, volume="5.000 chai/quý")
    distributor2 = await make_distributor("Central Retail Test")
    await interest(distributor2, group_code="herbal", min_stars=4, region="Bắc Trung Bộ và Duyên hải miền Trung")
    cast = Cast(
        conference=conference,
        producer=producer, producer_user=await make_user("producer", "sx1@test.example", producer=producer),
        producer2=producer2, producer2_user=await make_user("producer", "sx2@test.example", producer=producer2),
        distributor=distributor,
        distributor_user=await make_user("distributor", "pp1@test.example", distributor=distributor),
        distributor2=distributor2,
        distributor2_user=await make_user("distributor", "pp2@test.example", distributor=distributor2),
        staff_user=await make_user("staff", "staff@test.example"),
    )
    for who in (producer, producer2):
        await attend(conference.event.id, producer=who)
    for who in (distributor, distributor2):
        await attend(conference.event.id, distributor=who)
    return cast
