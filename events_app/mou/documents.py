"""The MoU document: what a printed memorandum of understanding says, gathered as plain values
for a PDF builder (the catalogue's renderer lays it out). Its parties read their own MoU; staff
any MoU of the conference whose page they are on; anyone else finds none."""

from __future__ import annotations

from events_app.accounts.tables import User
from events_app.core.clock import today
from events_app.core.errors import NotFound
from events_app.core.i18n import N_
from events_app.directory.tables import Agency, Distributor, Producer
from events_app.events.services import event_days, get_event_by_id
from events_app.matchmaking.parties import Participant
from events_app.mou import follow_up, parties
from events_app.mou.tables import Mou, MouProduct

NO_MOU = N_("This MoU does not exist.")


def reference(event_id: int | None, mou_id: int) -> str:
    """The document's number, as the organisers file it: BBGN (biên bản ghi nhớ), the event, the MoU."""
    return f"BBGN-{event_id or 0:04d}-{mou_id:06d}"


async def account_email(*, producer_id: int | None = None, distributor_id: int | None = None) -> str:
    """The e-mail of the organisation's first active account: whom the other party writes to."""
    column = User.producer if producer_id is not None else User.distributor
    row = await User.select(User.email).where(
        (column == (producer_id if producer_id is not None else distributor_id)) & (User.is_active == True)  # noqa: E712
    ).order_by(User.id).first()
    return row["email"] if row else ""


async def producer_card(producer_id: int) -> dict:
    row = await Producer.select(
        Producer.name, Producer.producer_type, Producer.address, Producer.phone, Producer.email,
        Producer.province.name.as_alias("province"),
    ).where(Producer.id == producer_id).first()
    return {"name": row["name"], "type": row["producer_type"], "address": row["address"], "province": row["province"],
            "phone": row["phone"], "email": row["email"] or await account_email(producer_id=producer_id), "website": ""}


async def distributor_card(distributor_id: int) -> dict:
    row = await Distributor.select(
        Distributor.name, Distributor.distributor_type, Distributor.address, Distributor.website,
        Distributor.province.name.as_alias("province"),
    ).where(Distributor.id == distributor_id).first()
    return {"name": row["name"], "type": row["distributor_type"], "address": row["address"],
            "province": row["province"] or "", "phone": "", "email": await account_email(distributor_id=distributor_id),
            "website": row["website"]}


async def agency_card(agency_id: int) -> dict:
    row = await Agency.select(
        Agency.name, Agency.agency_kind, Agency.address, Agency.phone, Agency.email,
        Agency.province.name.as_alias("province"),
    ).where(Agency.id == agency_id).first()
    return {"name": row["name"], "type": row["agency_kind"], "address": row["address"], "province": row["province"],
            "phone": row["phone"], "email": row["email"], "website": ""}


CARDS = {"producer": producer_card, "distributor": distributor_card, "agency": agency_card}


async def party_cards(mou_id: int) -> list[dict]:
    """Every party of the MoU in its order, with how to reach it and who signs for it."""
    out = []
    for party in (await parties.of_mous([mou_id]))[mou_id]:
        card = await CARDS[party["kind"]](party["org_id"])
        out.append({**card, "kind": party["kind"], "letter": party["letter"],
                    "representative": party["representative"], "representative_title": party["representative_title"]})
    return out


async def mou_document(
    mou_id: int, public_url: str, *, participant: Participant | None = None, event_id: int | None = None
) -> dict:
    """What the document shows. A party finds only its own MoU, staff one of the event whose page they are on."""
    condition = Mou.id == mou_id
    if participant is not None:
        condition &= parties.involving(participant.side, participant.org_id)
    else:
        condition &= Mou.event == event_id
    await follow_up.lapse_overdue(condition)
    mou = await Mou.select(
        Mou.all_columns(),
        Mou.signing_session.title.as_alias("session_title"),
        Mou.signing_session.room.as_alias("session_room"),
        Mou.signing_session.slot_minutes.as_alias("slot_minutes"),
    ).where(condition).first()
    if mou is None:
        raise NotFound(NO_MOU)
    products = await MouProduct.select(
        MouProduct.product.name.as_alias("name"), MouProduct.product.stars.as_alias("stars"),
        MouProduct.product.certificate_number.as_alias("certificate"), MouProduct.product.unit.as_alias("unit"),
        MouProduct.product.price.as_alias("price"),
    ).where(MouProduct.mou == mou_id).order_by(MouProduct.id)
    event = None
    if mou["event"]:
        row = await get_event_by_id(mou["event"])
        first, last = event_days(row)
        event = {
            "title_vi": row["title_vi"], "title_en": row["title_en"], "organiser": row["organiser"],
            "venue": row["venue_name"], "province": row["province_name"], "first_day": first, "last_day": last,
            "url": f"{public_url.rstrip('/')}/events/{row['slug']}",
        }
    return {
        "reference": reference(mou["event"], mou["id"]),
        "issued_on": today(),
        "status": mou["status"],
        "title": mou["title"],
        "value_vnd": mou["value_vnd"] or 0,
        "volume": mou["volume"],
        "terms": mou["terms"],
        "due_on": mou["due_on"],
        "agreed_at": mou["agreed_at"],
        "signed_at": mou["signed_at"],
        "fulfilled_at": mou["fulfilled_at"],
        "signing": {"at": mou["signing_at"], "session": mou["session_title"], "room": mou["session_room"]}
        if mou["signing_at"] else None,
        "event": event,
        "parties": await party_cards(mou_id),
        "products": [dict(p) for p in products],
    }

