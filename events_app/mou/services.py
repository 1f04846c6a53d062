"""MoUs between a producer and a distributor: proposed by one party, agreed by the other, withdrawn
by either before signing; staff order agreed MoUs into a conference's signing ceremony and record
the signature."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from events_app.core.audit import audit
from events_app.core.db import for_update, is_integrity_error, write_transaction
from events_app.directory.tables import Distributor, Producer, Product
from events_app.core.errors import Conflict, DomainError, Forbidden, NotFound, ValidationError
from events_app.core.clock import now
from events_app.events.tables import Attendance, EventKind, Session, SessionKind
from events_app.core.i18n import N_, format_time
from events_app.matchmaking.attendance import attending_ids, is_attending
from events_app.matchmaking.parties import Participant
from events_app.matchmaking import scheduler
from events_app.matchmaking.scheduler import slot_key, slot_times
from events_app.mou import rules
from events_app.mou.rules import COUNTED_AS_SIGNED
from events_app.mou.tables import Mou, MouProduct, MouStatus
from events_app.core.pagination import Page, paginate
from events_app.core.text import fold

PROPOSED = MouStatus.proposed.value
AGREED = MouStatus.agreed.value
SIGNED = MouStatus.signed.value
FULFILLED = MouStatus.fulfilled.value

TITLE_LIMIT = 300
VOLUME_LIMIT = 200
TERMS_LIMIT = 5000
MOUS_PER_PAGE = 20

MOU_COLUMNS = (
    Mou.all_columns(),
    Mou.producer.name.as_alias("producer_name"),
    Mou.producer.slug.as_alias("producer_slug"),
    Mou.distributor.name.as_alias("distributor_name"),
    Mou.event.slug.as_alias("event_slug"),
    Mou.event.title_vi.as_alias("event_title_vi"),
    Mou.event.title_en.as_alias("event_title_en"),
    Mou.signing_session.title.as_alias("signing_session_title"),
    Mou.signing_session.room.as_alias("signing_session_room"),
)


# Proposing --------------------------------------------------------------------------------------------

@dataclass
class Proposal:
    counterpart_id: int | None
    product_ids: list[int] = field(default_factory=list)
    title: str = ""
    value_vnd: int | None = None
    volume: str = ""
    terms: str = ""


def _other_table(participant: Participant):
    return Distributor if participant.is_producer else Producer


async def counterpart_choices(participant: Participant, event: dict | None = None) -> list[tuple[int, str]]:
    """Whom the participant may propose an MoU to: the other side's attendees of the event, or everyone."""
    table = _other_table(participant)
    query = table.select(table.id, table.name)
    if event is not None:
        side = Attendance.distributor if participant.is_producer else Attendance.producer
        ids = await attending_ids(event["id"], side)
        if not ids:
            return []
        query = query.where(table.id.is_in(ids))
    rows = await query
    return sorted(((row["id"], row["name"]) for row in rows), key=lambda pair: fold(pair[1]))


async def counterpart(participant: Participant, counterpart_id: int) -> dict:
    table = _other_table(participant)
    row = await table.select(table.id, table.name).where(table.id == counterpart_id).first()
    if row is None:
        raise NotFound(N_("This producer or distributor does not exist."))
    return row


async def products_of(producer_id: int) -> list[dict]:
    return await Product.select(Product.id, Product.name, Product.stars, Product.unit).where(
        Product.producer == producer_id
    ).order_by(Product.name)


def _check_event(event: dict) -> None:
    if event["kind"] != EventKind.conference.value:
        raise DomainError(N_("MoUs are proposed at connection conferences; this event is not one."))


async def _check_attending(event: dict, participant: Participant, other: dict) -> None:
    _check_event(event)
    if not await is_attending(event["id"], participant):
        raise Forbidden(N_("Register for this conference before proposing MoUs there."))
    if not await is_attending(event["id"], Participant(participant.other_side, other["id"], 0)):
        raise Conflict(N_("%(name)s is not attending this conference."), name=other["name"])


async def proposal_form(participant: Participant, counterpart_id: int | None, event: dict | None) -> dict:
    """What the proposal form offers: the parties to choose from, or the chosen party and the producer's products."""
    if event is not None:
        _check_event(event)
        if not await is_attending(event["id"], participant):
            raise Forbidden(N_("Register for this conference before proposing MoUs there."))
    if counterpart_id is None:
        return {"counterpart": None, "choices": await counterpart_choices(participant, event), "products": []}
    other = await counterpart(participant, counterpart_id)
    if event is not None:
        await _check_attending(event, participant, other)
    producer_id, _ = participant.pair_with(other["id"])
    products = [(row["id"], f"{row['name']} ({row['stars']}★)") for row in await products_of(producer_id)]
    return {"counterpart": other, "choices": [], "products": products}


async def proposal_errors(participant: Participant, proposal: Proposal, event: dict | None = None) -> dict[str, DomainError]:
    """What is wrong with each field of a proposal (empty: nothing). A missing party or a party not
    at the conference is no field mistake: it is raised."""
    if proposal.counterpart_id is None:
        return {"party": DomainError(N_("Choose who the MoU is with."))}
    other = await counterpart(participant, proposal.counterpart_id)
    if event is not None:
        await _check_attending(event, participant, other)
    errors: dict[str, DomainError] = {}
    # Lengths and the amount's bounds are the form's to check (mou.controllers); here, what is missing.
    if not proposal.title.strip():
        errors["title"] = DomainError(N_("This field is required."))
    if proposal.value_vnd is None:
        errors["value_vnd"] = DomainError(N_("Enter the estimated value in VND."))
    producer_id, _ = participant.pair_with(other["id"])
    own = {row["id"] for row in await products_of(producer_id)}
    chosen = set(proposal.product_ids)
    if not chosen:
        errors["product_ids"] = DomainError(N_("Choose at least one product of the producer."))
    elif not chosen <= own:
        errors["product_ids"] = DomainError(N_("Choose among the producer's own products."))
    return errors


async def propose(participant: Participant, proposal: Proposal, event: dict | None = None) -> int:
    """Record an MoU proposed by the participant to a party of the other side; returns its id."""
    if errors := await proposal_errors(participant, proposal, event):
        raise ValidationError(errors)
    producer_id, distributor_id = participant.pair_with(proposal.counterpart_id)
    title = proposal.title.strip()
    chosen = list(dict.fromkeys(proposal.product_ids))
    async with write_transaction():
        rows = await Mou.insert(
            Mou(
                event=event["id"] if event else None, producer=producer_id, distributor=distributor_id,
                proposed_by=participant.side, title=title, value_vnd=proposal.value_vnd, volume=proposal.volume.strip(),
                terms=proposal.terms.strip(), status=PROPOSED, created_at=now(),
            )
        )
        mou_id = rows[0]["id"]
        await MouProduct.insert(*[MouProduct(mou=mou_id, product=product_id) for product_id in chosen])
    await audit("mou.proposed", actor_id=participant.user_id, target=("mou", mou_id),
                detail={"value_vnd": proposal.value_vnd})
    return mou_id


# A party's MoUs -------------------------------------------------------------------------------------

def _shown(row: dict, participant: Participant | None = None) -> dict:
    row = dict(row)
    if participant is not None:
        row["other_name"] = row["distributor_name"] if participant.is_producer else row["producer_name"]
        row["proposed_by_me"] = row["proposed_by"] == participant.side
        row["can_agree"] = rules.MOUS.allows("agree", row["status"]) and not row["proposed_by_me"]
        row["can_withdraw"] = rules.MOUS.allows("withdraw", row["status"])
    return row


def _own(participant: Participant):
    return (Mou.producer if participant.is_producer else Mou.distributor) == participant.org_id


async def list_for(participant: Participant, number: int = 1) -> Page:
    query = Mou.select(*MOU_COLUMNS).where(_own(participant)).order_by(Mou.created_at, ascending=False).order_by(
        Mou.id, ascending=False
    )
    page = await paginate(query, Mou.count().where(_own(participant)), number, MOUS_PER_PAGE)
    page.items = [_shown(row, participant) for row in page.items]
    return page


async def _products(mou_ids: list[int]) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {mou_id: [] for mou_id in mou_ids}
    if not mou_ids:
        return out
    rows = await MouProduct.select(
        MouProduct.mou, MouProduct.product.name.as_alias("name"), MouProduct.product.slug.as_alias("slug"),
        MouProduct.product.stars.as_alias("stars"),
    ).where(MouProduct.mou.is_in(mou_ids)).order_by(MouProduct.id)
    for row in rows:
        out[row["mou"]].append(row)
    return out


async def get_for(participant: Participant, mou_id: int) -> dict:
    """One of the participant's MoUs with its products; another party's MoU is as good as missing."""
    row = await Mou.select(*MOU_COLUMNS).where((Mou.id == mou_id) & _own(participant)).first()
    if row is None:
        raise NotFound(N_("This MoU does not exist."))
    row = _shown(row, participant)
    row["products"] = (await _products([mou_id]))[mou_id]
    return row


async def _locked(mou_id: int, participant: Participant) -> dict:
    row = await for_update(
        Mou.select(Mou.id, Mou.producer, Mou.distributor, Mou.proposed_by, Mou.status).where(Mou.id == mou_id)
    ).first()
    if row is None or not participant.owns(row["producer"], row["distributor"]):
        raise NotFound(N_("This MoU does not exist."))
    return row


async def agree(mou_id: int, participant: Participant) -> None:
    """The party the MoU was proposed to agrees to it."""
    async with write_transaction():
        row = await _locked(mou_id, participant)
        if row["proposed_by"] == participant.side:
            raise Forbidden(N_("Only the other party can agree to this MoU."))
        status = rules.after("agree", row["status"])
        await Mou.update({Mou.status: status, Mou.agreed_at: now()}).where(Mou.id == mou_id)
    await audit("mou.agreed", actor_id=participant.user_id, target=("mou", mou_id))


async def withdraw(mou_id: int, participant: Participant) -> None:
    """Either party withdraws the MoU before it is signed; its signing slot is freed."""
    async with write_transaction():
        row = await _locked(mou_id, participant)
        status = rules.after("withdraw", row["status"])
        await Mou.update({Mou.status: status, Mou.signing_session: None, Mou.signing_at: None}).where(Mou.id == mou_id)
    await audit("mou.withdrawn", actor_id=participant.user_id, target=("mou", mou_id))


# The signing ceremony (staff) ----------------------------------------------------------------------

def signing_minutes(session: dict) -> int:
    return scheduler.signing_minutes(session["slot_minutes"])


async def signing_sessions(event_id: int) -> list[dict]:
    return await Session.select().where(
        (Session.event == event_id) & (Session.kind == SessionKind.signing.value)
    ).order_by(Session.starts_at)


async def _event_mou(event: dict, mou_id: int) -> dict:
    row = await for_update(
        Mou.select(Mou.id, Mou.status, Mou.signing_session, Mou.signing_at).where(
            (Mou.id == mou_id) & (Mou.event == event["id"])
        )
    ).first()
    if row is None:
        raise NotFound(N_("This MoU does not exist."))
    return row


async def event_overview(event: dict) -> dict:
    """The event's MoUs by status, the signing sessions with their free slots, and the totals."""
    _check_event(event)
    rows = await Mou.select(*MOU_COLUMNS).where(Mou.event == event["id"]).order_by(Mou.created_at)
    products = await _products([row["id"] for row in rows])
    for row in rows:
        row["products"] = products[row["id"]]
    sessions = await signing_sessions(event["id"])
    taken = {(row["signing_session"], row["signing_at"]) for row in rows if row["signing_at"]}
    slots = [
        {"key": slot_key(s["id"], start), "session": s, "starts_at": start, "ends_at": end}
        for s in sessions
        for start, end in slot_times(s["starts_at"], s["ends_at"], signing_minutes(s))
        if (s["id"], start) not in taken
    ]
    ceremony = sorted((r for r in rows if r["status"] == AGREED and r["signing_at"]), key=lambda r: r["signing_at"])
    return {
        "sessions": sessions,
        "free_slots": slots,
        "ceremony": ceremony,
        "to_order": [r for r in rows if r["status"] == AGREED and not r["signing_at"]],
        "proposed": [r for r in rows if r["status"] == PROPOSED],
        "signed": [r for r in rows if r["status"] in COUNTED_AS_SIGNED],
        "closed": [r for r in rows if r["status"] not in (PROPOSED, AGREED, SIGNED, FULFILLED)],
        "totals": await totals(event["id"]),
    }


async def _check_slot(event: dict, session_id: int, starts_at: dt.datetime) -> dict:
    session = await Session.select().where((Session.id == session_id) & (Session.event == event["id"])).first()
    if session is None or session["kind"] != SessionKind.signing.value:
        raise NotFound(N_("This signing session does not exist."))
    minutes = signing_minutes(session)
    if not session["starts_at"] <= starts_at < session["ends_at"] or starts_at + dt.timedelta(minutes=minutes) > session["ends_at"]:
        raise DomainError(
            N_("%(time)s is outside the signing session (%(start)s–%(end)s)."),
            time=format_time(starts_at), start=format_time(session["starts_at"]), end=format_time(session["ends_at"]),
        )
    if starts_at not in {start for start, _ in slot_times(session["starts_at"], session["ends_at"], minutes)}:
        raise DomainError(
            N_("Signing slots start every %(n)d minutes from %(start)s."), n=minutes, start=format_time(session["starts_at"])
        )
    return session


async def assign_slot(event: dict, mou_id: int, session_id: int, starts_at: dt.datetime, actor_id: int | None = None) -> None:
    """Give an agreed MoU its moment in the signing ceremony; one MoU per slot."""
    _check_event(event)
    try:
        async with write_transaction():
            row = await _event_mou(event, mou_id)
            if row["status"] != AGREED:
                raise Conflict(N_("Only agreed MoUs are signed at the ceremony."))
            await for_update(Session.select(Session.id).where(Session.id == session_id))
            await _check_slot(event, session_id, starts_at)
            taken = await Mou.exists().where(
                (Mou.signing_session == session_id) & (Mou.signing_at == starts_at) & (Mou.id != mou_id)
            )
            if taken:
                raise Conflict(N_("The slot at %(time)s is already given to another MoU."), time=format_time(starts_at))
            await Mou.update({Mou.signing_session: session_id, Mou.signing_at: starts_at}).where(Mou.id == mou_id)
    except Exception as exc:
        if is_integrity_error(exc):
            raise Conflict(N_("The slot at %(time)s is already given to another MoU."), time=format_time(starts_at)) from exc
        raise
    await audit("mou.slot_assigned", actor_id=actor_id, target=("mou", mou_id), detail={"signing_at": starts_at.isoformat()})


async def clear_slot(event: dict, mou_id: int, actor_id: int | None = None) -> None:
    async with write_transaction():
        row = await _event_mou(event, mou_id)
        if row["status"] != AGREED:
            raise Conflict(N_("Only agreed MoUs are signed at the ceremony."))
        await Mou.update({Mou.signing_session: None, Mou.signing_at: None}).where(Mou.id == mou_id)
    await audit("mou.slot_cleared", actor_id=actor_id, target=("mou", mou_id))


async def order_ceremony(event: dict, actor_id: int | None = None) -> tuple[int, int]:
    """Give every agreed MoU without a slot the next free one, oldest agreement first; returns (given, left)."""
    _check_event(event)
    try:
        async with write_transaction():
            sessions = await for_update(
                Session.select().where((Session.event == event["id"]) & (Session.kind == SessionKind.signing.value))
            )
            rows = await for_update(
                Mou.select(Mou.id, Mou.status, Mou.signing_session, Mou.signing_at, Mou.agreed_at).where(
                    (Mou.event == event["id"]) & (Mou.status == AGREED)
                )
            )
            taken = {
                (row["signing_session"], row["signing_at"])
                for row in await Mou.select(Mou.signing_session, Mou.signing_at).where(Mou.signing_at.is_not_null())
            }
            free = sorted(
                (start, s["id"])
                for s in sessions
                for start, _ in slot_times(s["starts_at"], s["ends_at"], signing_minutes(s))
                if (s["id"], start) not in taken
            )
            waiting = sorted((r for r in rows if not r["signing_at"]), key=lambda r: (r["agreed_at"] or now(), r["id"]))
            given = 0
            for row, (start, session_id) in zip(waiting, free):
                await Mou.update({Mou.signing_session: session_id, Mou.signing_at: start}).where(Mou.id == row["id"])
                given += 1
    except Exception as exc:
        if is_integrity_error(exc):
            raise Conflict(N_("Someone changed the ceremony at the same moment; try again.")) from exc
        raise
    await audit("mou.ceremony_ordered", actor_id=actor_id, target=("event", event["id"]), detail={"given": given})
    return given, len(waiting) - given


async def mark_signed(event: dict, mou_id: int, actor_id: int | None = None) -> None:
    _check_event(event)
    async with write_transaction():
        row = await _event_mou(event, mou_id)
        status = rules.after("sign", row["status"])
        await Mou.update({Mou.status: status, Mou.signed_at: now()}).where(Mou.id == mou_id)
    await audit("mou.signed", actor_id=actor_id, target=("mou", mou_id))


async def totals(event_id: int) -> dict:
    """Signed MoUs of the event (number and value in VND) and how many agreed ones wait for the ceremony."""
    signed = await Mou.select(Mou.value_vnd).where((Mou.event == event_id) & Mou.status.is_in(list(COUNTED_AS_SIGNED)))
    return {
        "signed_count": len(signed),
        "signed_value": sum(row["value_vnd"] or 0 for row in signed),
        "agreed_waiting": await Mou.count().where((Mou.event == event_id) & (Mou.status == AGREED)),
    }

