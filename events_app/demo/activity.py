"""The demo's activity — booth applications and decisions, shelf rentals, conference attendance,
meeting requests and placements, MoUs — made through the services the pages use, so the demo
obeys every rule the application enforces."""

from __future__ import annotations

import datetime as dt

from events_app.accounts.tables import User
from events_app.booths import decisions, rules
from events_app.booths.periods import months_from, shift_month
from events_app.booths.tables import Booth
from events_app.demo import data
from events_app.events.services import get_event_by_id
from events_app.events.tables import Event, Session, SessionKind
from events_app.matchmaking import attendance, placement
from events_app.matchmaking import services as meetings
from events_app.matchmaking.parties import DISTRIBUTOR, PRODUCER, Participant
from events_app.directory.tables import Agency, Product
from events_app.mou import arrangements as mou_arrangements
from events_app.mou import ceremony as mou_ceremony
from events_app.mou.parties import PartyRef
from events_app.mou import parties as mou_parties
from events_app.mou import proposals as mou_proposals
from events_app.mou.tables import Mou


async def load_activity(created: set[str], producers: dict[str, int], distributors: dict[str, int], today: dt.date) -> None:
    staff = (await User.select(User.id).where(User.email == "staff@ocop.example").first())["id"]
    users = {
        **{("producer", r["producer"]): r["id"] for r in await User.select(User.id, User.producer).where(User.role == "producer")},
        **{("distributor", r["distributor"]): r["id"] for r in await User.select(User.id, User.distributor).where(User.role == "distributor")},
    }

    def party(side: str, slug: str) -> Participant:
        org = producers[slug] if side == PRODUCER else distributors[slug]
        return Participant(side, org, users.get((side, org)))  # type: ignore[arg-type]

    events = {e["slug"]: e["id"] for e in await Event.select(Event.id, Event.slug).where(Event.slug.is_in(list(created or [""])))}
    if data.FAIR in events:
        await _fair(await get_event_by_id(events[data.FAIR]), producers, staff)
    for showroom, rentals in ((data.SHOWROOM, data.SHOWROOM_RENTALS), (data.SHOWROOM_NAM_DAN, data.NAM_DAN_RENTALS)):
        if showroom in events:
            await _showroom(await get_event_by_id(events[showroom]), rentals, producers, staff, today)
    if data.CONFERENCE in events:
        await _conference(await get_event_by_id(events[data.CONFERENCE]), party, producers, distributors, staff)


async def _product_ids(producer_id: int, names: list[str]) -> list[int]:
    rows = await Product.select(Product.id, Product.name).where(Product.producer == producer_id)
    return [r["id"] for r in rows if r["name"] in names]


async def _booths(event_id: int) -> dict[str, int]:
    return {b["code"]: b["id"] for b in await Booth.select(Booth.id, Booth.code).where(Booth.event == event_id)}


async def _fair(event: dict, producers: dict[str, int], staff: int) -> None:
    booths = await _booths(event["id"])
    for slug, products, preferences, decision, booth in data.FAIR_APPLICATIONS:
        producer = producers[slug]
        form = rules.ApplicationForm(
            product_ids=await _product_ids(producer, products),
            preference_ids=[booths[code] for code in preferences],
        )
        application = await decisions.apply(event, producer, form)
        if decision in ("approved", "confirmed"):
            await decisions.approve(application, booths[booth], staff_id=staff, event_id=event["id"])
            if decision == "confirmed":
                await decisions.confirm(application, producer_id=producer)
        elif decision == "waitlisted":
            await decisions.waitlist(application, staff_id=staff, event_id=event["id"])
        elif decision != "submitted":
            await decisions.reject(application, staff_id=staff, reason=decision, event_id=event["id"])


async def _showroom(event: dict, rentals: list[tuple], producers: dict[str, int], staff: int, today: dt.date) -> None:
    booths = await _booths(event["id"])
    this_month = today.replace(day=1)
    for slug, products, slot, offset, months, approved in rentals:
        producer = producers[slug]
        first = shift_month(this_month, offset)
        form = rules.ApplicationForm(
            product_ids=await _product_ids(producer, products), booth_id=booths[slot], period=months_from(first, months)
        )
        application = await decisions.apply(event, producer, form)
        if approved:
            await decisions.approve(application, booths[slot], staff_id=staff, event_id=event["id"])


async def _conference(event: dict, party, producers: dict[str, int], distributors: dict[str, int], staff: int) -> None:
    for slug in data.CONFERENCE_PRODUCERS:
        await attendance.register(event, party(PRODUCER, slug))
    for slug in data.CONFERENCE_DISTRIBUTORS:
        await attendance.register(event, party(DISTRIBUTOR, slug))

    for side, producer, distributor, message, answer in data.MEETING_REQUESTS:
        asker = party(side, producer if side == PRODUCER else distributor)
        other = distributors[distributor] if side == PRODUCER else producers[producer]
        request = await meetings.request_meeting(event, asker, other, message)
        if answer:
            answering = party(DISTRIBUTOR, distributor) if side == PRODUCER else party(PRODUCER, producer)
            await meetings.respond(request, answering, accept=answer == "accepted")
    await placement.place_all(event, actor_id=staff)

    signing = await Session.select(Session.id).where(
        (Session.event == event["id"]) & (Session.kind == SessionKind.signing.value)
    ).first()
    for side, producer, distributor, title, products, value, volume, stage in data.MOUS:
        proposer = party(side, producer if side == PRODUCER else distributor)
        counterpart = distributors[distributor] if side == PRODUCER else producers[producer]
        proposal = mou_proposals.Proposal(
            counterpart_id=counterpart, product_ids=await _product_ids(producers[producer], products),
            title=title, value_vnd=value, volume=volume,
        )
        mou = await mou_proposals.propose(proposer, proposal, event)
        if stage in ("agreed", "signed"):
            other = party(DISTRIBUTOR, distributor) if side == PRODUCER else party(PRODUCER, producer)
            await mou_proposals.agree(mou, other)
    orgs = {"producer": producers, "distributor": distributors,
            "agency": {r["slug"]: r["id"] for r in await Agency.select(Agency.id, Agency.slug)}}
    arranged = []
    for title, party_specs, products, value, volume, terms, stage in data.ARRANGED_MOUS:
        product_ids = [pid for slug, name in products for pid in await _product_ids(producers[slug], [name])]
        mou = await mou_arrangements.arrange(event, mou_arrangements.Arrangement(
            parties=[PartyRef(kind, orgs[kind][slug], who, capacity) for kind, slug, who, capacity in party_specs],
            product_ids=product_ids, title=title, value_vnd=value, volume=volume, terms=terms,
        ), actor_id=staff)
        if stage == "signed":
            arranged.append(mou)
    if signing:
        await mou_ceremony.order_ceremony(event, actor_id=staff)
        signed = [await _mou_id(event["id"], producers[producer], distributors[distributor])
                  for side, producer, distributor, title, *_rest, stage in data.MOUS if stage == "signed"]
        for row in signed + arranged:
            # The demo's conference is next week: its story has these signed at their slot.
            slot = await Mou.select(Mou.signing_at).where(Mou.id == row).first()
            await mou_ceremony.mark_signed(event, row, actor_id=staff, at=slot["signing_at"])


async def _mou_id(event_id: int, producer: int, distributor: int) -> int:
    row = await Mou.select(Mou.id).where(
        (Mou.event == event_id) & mou_parties.involving("producer", producer) & mou_parties.involving("distributor", distributor)
    ).first()
    return row["id"]
