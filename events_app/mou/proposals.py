"""MoUs as their parties see them. A producer and a distributor negotiate an MoU between the two of
them: proposed by one, agreed or declined (with a reason) by the other, withdrawn by the proposer,
or by either once agreed, before signing. Every party — of those, or of an MoU staff arranged
between several parties or with agencies (`arrangements`) — sees it among its MoUs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from events_app.core.audit import audit
from events_app.core.db import for_update, write_transaction
from events_app.directory.tables import Distributor, Producer, Product
from events_app.core.errors import Conflict, DomainError, Forbidden, NotFound, ValidationError
from events_app.core.clock import now, today
from events_app.events.tables import Attendance, EventKind
from events_app.core.i18n import N_
from events_app.matchmaking.attendance import attending_ids, is_attending
from events_app.matchmaking.parties import Participant
from events_app.mou import follow_up, parties, rules
from events_app.mou.parties import PartyRef
from events_app.mou.tables import BY_STAFF, Mou, MouParty, MouProduct, MouStatus
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
    Mou.event.slug.as_alias("event_slug"),
    Mou.event.title_vi.as_alias("event_title_vi"),
    Mou.event.title_en.as_alias("event_title_en"),
    Mou.signing_session.title.as_alias("signing_session_title"),
    Mou.signing_session.room.as_alias("signing_session_room"),
)


# Proposing --------------------------------------------------------------------------------------------

@dataclass(kw_only=True)
class Terms:
    """What an MoU agrees, as a form gives it: the products, title, value and terms, the follow-up date."""

    product_ids: list[int] = field(default_factory=list)
    title: str = ""
    value_vnd: int | None = None
    volume: str = ""
    terms: str = ""
    due_on: dt.date | None = None


@dataclass(kw_only=True)
class Proposal(Terms):
    counterpart_id: int | None


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


def check_conference(event: dict) -> None:
    if event["kind"] != EventKind.conference.value:
        raise DomainError(N_("MoUs are proposed at connection conferences; this event is not one."))


async def _check_attending(event: dict, participant: Participant, other: dict) -> None:
    check_conference(event)
    if not await is_attending(event["id"], participant):
        raise Forbidden(N_("Register for this conference before proposing MoUs there."))
    if not await is_attending(event["id"], Participant(participant.other_side, other["id"], 0)):
        raise Conflict(N_("%(name)s is not attending this conference."), name=other["name"])


async def proposal_form(participant: Participant, counterpart_id: int | None, event: dict | None) -> dict:
    """What the proposal form offers: the parties to choose from, or the chosen party and the producer's products."""
    if event is not None:
        check_conference(event)
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
    if due_error := rules.check_due_date(proposal.due_on, today()):
        errors["due_on"] = due_error
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
                event=event["id"] if event else None, proposed_by=participant.side, title=title, value_vnd=proposal.value_vnd, volume=proposal.volume.strip(),
                terms=proposal.terms.strip(), status=PROPOSED, created_at=now(), due_on=proposal.due_on,
            )
        )
        mou_id = rows[0]["id"]
        # The producer is Party A, the distributor Party B, as the document has always listed them.
        await MouParty.insert(*parties.rows_for(mou_id, [PartyRef("producer", producer_id), PartyRef("distributor", distributor_id)]))
        await MouProduct.insert(*[MouProduct(mou=mou_id, product=product_id) for product_id in chosen])
        await audit("mou.proposed", actor_id=participant.user_id, target=("mou", mou_id),
                    detail={"value_vnd": proposal.value_vnd})
    return mou_id


# A party's MoUs -------------------------------------------------------------------------------------

def negotiated(row: dict, mou_parties: list[dict]) -> bool:
    """Whether the MoU's parties answer it themselves: a producer and a distributor, one of whom
    proposed it. Staff keep an MoU they arranged (several parties, agencies) until it is signed."""
    return row["proposed_by"] != BY_STAFF and parties.is_pair(mou_parties)


def _shown(row: dict, mou_parties: list[dict], participant: Participant | None = None) -> dict:
    row = dict(row)
    row["parties"] = mou_parties
    row["negotiated"] = negotiated(row, mou_parties)
    proposer = next((p for p in mou_parties if p["kind"] == row["proposed_by"]), None) if row["negotiated"] else None
    row["proposer_name"] = proposer["name"] if proposer else ""
    if participant is not None:
        row["others"] = parties.others(mou_parties, participant.side, participant.org_id)
        row["other_name"] = parties.names(row["others"])
        row["proposed_by_me"] = row["proposed_by"] == participant.side
        answers = rules.answers(row["status"], row["proposed_by_me"]) if row["negotiated"] else []
        row["can_agree"] = "agree" in answers
        row["can_decline"] = "decline" in answers
        row["can_withdraw"] = "withdraw" in answers
        row["can_follow_up"] = rules.can_follow_up(row["status"])
    return row


def _own(participant: Participant):
    return parties.involving(participant.side, participant.org_id)


async def list_for(participant: Participant, number: int = 1) -> Page:
    await follow_up.lapse_overdue(_own(participant))
    query = Mou.select(*MOU_COLUMNS).where(_own(participant)).order_by(Mou.created_at, ascending=False).order_by(
        Mou.id, ascending=False
    )
    page = await paginate(query, Mou.count().where(_own(participant)), number, MOUS_PER_PAGE)
    of = await parties.of_mous([row["id"] for row in page.items])
    page.items = [_shown(row, of[row["id"]], participant) for row in page.items]
    return page


async def mou_products(mou_ids: list[int]) -> dict[int, list[dict]]:
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
    """One of the participant's MoUs with its products and notes; another party's MoU is as good as missing."""
    await follow_up.lapse_overdue((Mou.id == mou_id) & _own(participant))
    row = await Mou.select(*MOU_COLUMNS).where((Mou.id == mou_id) & _own(participant)).first()
    if row is None:
        raise NotFound(N_("This MoU does not exist."))
    row = _shown(row, (await parties.of_mous([mou_id]))[mou_id], participant)
    row["products"] = (await mou_products([mou_id]))[mou_id]
    row["notes"] = await follow_up.notes_of(mou_id)
    return row


async def get_for_event(event: dict, mou_id: int) -> dict:
    """One MoU of the event, as staff see it: products, notes, and what they may record."""
    await follow_up.lapse_overdue((Mou.id == mou_id) & (Mou.event == event["id"]))
    row = await Mou.select(*MOU_COLUMNS).where((Mou.id == mou_id) & (Mou.event == event["id"])).first()
    if row is None:
        raise NotFound(N_("This MoU does not exist."))
    row = _shown(row, (await parties.of_mous([mou_id]))[mou_id])
    row["can_follow_up"] = rules.can_follow_up(row["status"])
    row["products"] = (await mou_products([mou_id]))[mou_id]
    row["notes"] = await follow_up.notes_of(mou_id)
    return row


async def party_name(participant: Participant) -> str:
    """The name of the participant's organisation, as its notes are signed."""
    table = Producer if participant.is_producer else Distributor
    row = await table.select(table.name).where(table.id == participant.org_id).first()
    return row["name"] if row else ""


async def _locked(mou_id: int, participant: Participant) -> dict:
    """The participant's MoU, locked, for an answer; one staff keep is not the parties' to answer."""
    row = await for_update(
        Mou.select(Mou.id, Mou.proposed_by, Mou.status).where((Mou.id == mou_id) & _own(participant))
    ).first()
    if row is None:
        raise NotFound(N_("This MoU does not exist."))
    if not negotiated(row, (await parties.of_mous([mou_id]))[mou_id]):
        raise Forbidden(N_("The organisers keep this MoU; ask the trade-promotion staff to change it."))
    return row


async def agree(mou_id: int, participant: Participant) -> None:
    """The party the MoU was proposed to agrees to it."""
    async with write_transaction():
        row = await _locked(mou_id, participant)
        if row["proposed_by"] == participant.side:
            raise Forbidden(N_("Only the other party can agree to this MoU."))
        status = rules.after("agree", row["status"])
        await Mou.update({Mou.status: status, Mou.agreed_at: now()}).where(Mou.id == mou_id)
        await audit("mou.agreed", actor_id=participant.user_id, target=("mou", mou_id),
                    before={"status": row["status"]}, after={"status": status})


async def withdraw(mou_id: int, participant: Participant) -> None:
    """The proposer withdraws its proposal, or either party an agreed MoU, before it is signed; its
    signing slot is freed. The party a proposal was made to declines it instead."""
    async with write_transaction():
        row = await _locked(mou_id, participant)
        status = rules.after("withdraw", row["status"])
        if "withdraw" not in rules.answers(row["status"], row["proposed_by"] == participant.side):
            raise Forbidden(N_("A proposal made to you is declined, not withdrawn."))
        await Mou.update({Mou.status: status, Mou.signing_session: None, Mou.signing_at: None,
                          Mou.closed_at: now()}).where(Mou.id == mou_id)
        await audit("mou.withdrawn", actor_id=participant.user_id, target=("mou", mou_id),
                    before={"status": row["status"]}, after={"status": status})


async def decline(mou_id: int, participant: Participant, reason: str) -> None:
    """The party the MoU was proposed to declines it, saying why (the form bounds the reason's length)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": DomainError(N_("Say why you decline, so the other party knows."))})
    async with write_transaction():
        row = await _locked(mou_id, participant)
        if row["proposed_by"] == participant.side:
            raise Forbidden(N_("Only the party the MoU was proposed to can decline it; withdraw your own proposal instead."))
        status = rules.after("decline", row["status"])
        await Mou.update({Mou.status: status, Mou.decline_reason: reason, Mou.closed_at: now()}).where(Mou.id == mou_id)
        await audit("mou.declined", actor_id=participant.user_id, target=("mou", mou_id),
                    before={"status": row["status"]}, after={"status": status}, detail={"reason": reason})
