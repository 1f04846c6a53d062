"""A connection conference with its agenda filled in: meetings placed at tables in the B2B
session and MoUs in the signing ceremony, written through the tables the application uses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from events_app.core.slugs import unique_slug
from events_app.directory.tables import Agency, Distributor, Producer
from events_app.matchmaking.tables import Meeting, MeetingRequest
from events_app.mou.parties import PartyRef, rows_for
from events_app.mou.tables import Mou, MouParty, MouProduct
from events_app.directory.tables import Product
from events_app.reference.tables import Province
from tests.matchmaking.builders import Cast, make_cast

TWENTY = dt.timedelta(minutes=20)


async def insert_mou(producer_id: int | None, distributor_id: int | None, *, more: tuple[tuple[str, int], ...] = (),
                     **fields) -> int:
    """An MoU row with `fields`, its parties the producer (Party A), the distributor (Party B) and
    `more` (kind, id) after them, as the application writes them; returns its id."""
    rows = await Mou.insert(Mou(**fields))
    mou_id = rows[0]["id"]
    refs = [PartyRef(kind, org_id) for kind, org_id in (("producer", producer_id), ("distributor", distributor_id), *more)
            if org_id is not None]
    await MouParty.insert(*rows_for(mou_id, refs))
    return mou_id


async def place(cast: Cast, producer, distributor, slot: int, table: int, *, status: str = "accepted") -> int:
    """A meeting request between the two, accepted, placed in the B2B session's `slot` (from 0) at `table`."""
    session = cast.conference.b2b
    request = MeetingRequest(event=session.event, producer=producer.id, distributor=distributor.id,
                             requested_by="distributor", status=status)
    await request.save()
    starts = session.starts_at + slot * TWENTY
    meeting = Meeting(request=request.id, event=session.event, session=session.id, producer=producer.id,
                      distributor=distributor.id, starts_at=starts, ends_at=starts + TWENTY, table_number=table)
    await meeting.save()
    return meeting.id


@dataclass
class Agenda:
    cast: Cast
    meetings: dict[str, int]
    mou: int

    @property
    def event_id(self) -> int:
        return self.cast.conference.event.id


async def make_agenda() -> Agenda:
    """Two producers and two distributors at the conference (09:45–10:45, three tables of 20-minute
    slots; signing 14:00–15:00): HTX Trà Con Cuông meets Co.op at 09:45 at table 2 and Central
    Retail at 10:05 at table 3, HTX Cà phê meets Co.op at 10:05 at table 1; a cancelled meeting is
    left out. HTX Trà Con Cuông and Co.op sign an MoU at 14:10."""
    cast = await make_cast()
    await Producer.update({Producer.phone: "0238 3871 234", Producer.address: "Xã Môn Sơn, huyện Con Cuông"}).where(
        Producer.id == cast.producer.id)
    await Distributor.update({Distributor.address: "168 Nguyễn Đình Chiểu, TP Hồ Chí Minh",
                              Distributor.website: "https://coop.example"}).where(Distributor.id == cast.distributor.id)
    meetings = {
        "tra_coop": await place(cast, cast.producer, cast.distributor, 0, 2),
        "tra_central": await place(cast, cast.producer, cast.distributor2, 1, 3),
        "caphe_coop": await place(cast, cast.producer2, cast.distributor, 1, 1),
        "cancelled": await place(cast, cast.producer2, cast.distributor2, 2, 2, status="cancelled"),
    }
    signing = cast.conference.signing
    mou_id = await insert_mou(
        cast.producer.id, cast.distributor.id, event=cast.conference.event.id,
        proposed_by="distributor", title="Cung ứng trà linh chi cho hệ thống Co.opmart", value_vnd=1_250_000_000,
        volume="2.000 hộp mỗi quý", terms="Giao hàng hằng tháng tại kho Bình Dương.\nThanh toán trong 30 ngày.",
        status="agreed", agreed_at=dt.datetime.now(dt.timezone.utc), signing_session=signing.id,
        signing_at=signing.starts_at + dt.timedelta(minutes=10), due_on=dt.date.today() + dt.timedelta(days=120),
    )
    product = await Product.select(Product.id).where(Product.producer == cast.producer.id).order_by(Product.id).first()
    await MouProduct.insert(MouProduct(mou=mou_id, product=product["id"]))
    return Agenda(cast, meetings, mou_id)


async def add_mou(cast: Cast, producer, distributor, *, title: str, value_vnd: int, status: str,
                  slot: int | None = None, due_on: dt.date | None = None, products: tuple[str, ...] = ()) -> int:
    """An MoU of the conference between the two, with its status as given, in the signing session's
    `slot` (5-minute slots from 14:00) when one is given, naming the producer's `products` by name."""
    signing = cast.conference.signing
    at = signing.starts_at + dt.timedelta(minutes=5 * slot) if slot is not None else None
    moment = dt.datetime.now(dt.timezone.utc)
    mou_id = await insert_mou(
        producer.id, distributor.id, event=cast.conference.event.id, proposed_by="producer",
        title=title, value_vnd=value_vnd, status=status, agreed_at=moment,
        signing_session=signing.id if at else None, signing_at=at, due_on=due_on,
        signed_at=moment if status in ("signed", "fulfilled", "lapsed") else None,
        fulfilled_at=moment if status == "fulfilled" else None,
    )
    for name in products:
        product = await Product.select(Product.id).where((Product.producer == producer.id) & (Product.name == name)).first()
        await MouProduct.insert(MouProduct(mou=mou_id, product=product["id"]))
    return mou_id


async def make_agency(name: str, province: str, *, kind: str = "industry_trade_department", representative: str = "",
                      title: str = "") -> int:
    """A provincial agency of the directory; returns its id."""
    province_id = (await Province.select(Province.id).where(Province.name == province).first())["id"]
    rows = await Agency.insert(Agency(name=name, slug=await unique_slug(Agency, name), agency_kind=kind,
                                      province=province_id, representative=representative,
                                      representative_title=title))
    return rows[0]["id"]
