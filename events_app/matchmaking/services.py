"""Matches at a conference, meeting requests between its attendees, and each party's meetings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from events_app.core.audit import audit
from events_app.core.db import for_update, is_integrity_error, write_transaction
from events_app.directory import certifications
from events_app.directory.profiles import CHANNELS, KINDS, parse_codes
from events_app.directory.tables import Distributor, Producer, Product, SourcingInterest
from events_app.core.errors import Conflict, DomainError, Forbidden, NotFound, ValidationError
from events_app.core.clock import now
from events_app.events.services import event_days
from events_app.events.tables import Attendance, EventStatus
from events_app.core.i18n import N_, format_datetime
from events_app.matchmaking import matching, shortlist
from events_app.matchmaking.attendance import attending_ids, is_attending, require_conference
from events_app.matchmaking.parties import Participant
from events_app.matchmaking.tables import Meeting, MeetingRequest, PlannedMeeting, RequestStatus
from events_app.core.pagination import paginate
from events_app.reference.services import group_name

REQUESTED = RequestStatus.requested.value
ACCEPTED = RequestStatus.accepted.value
DECLINED = RequestStatus.declined.value
CANCELLED = RequestStatus.cancelled.value
MESSAGE_LIMIT = 1000
REASON_LIMIT = 500
# How long the asked party has to answer, in days; a request never outlives its conference.
EXPIRY_DAYS = (1, 2, 3, 7, 14)
DEFAULT_EXPIRY_DAYS = 3


def is_expired(row: dict, at: dt.datetime | None = None) -> bool:
    """An unanswered request past its expiry: shown as expired, never accepted (checked on read)."""
    return row["status"] == REQUESTED and row.get("expires_at") is not None and row["expires_at"] <= (at or now())


def expiry_for(event: dict, days: int | None, at: dt.datetime) -> dt.datetime:
    """When a request sent at `at` expires: after `days` (None: the default), at the latest when the conference ends."""
    return min(at + dt.timedelta(days=days or DEFAULT_EXPIRY_DAYS), event["ends_at"])


# Facts for matching -------------------------------------------------------------------------------

async def offers_of(producer_ids: list[int]) -> dict[int, list[matching.Offer]]:
    """The products of these producers as matching offers, by producer, with the certifications
    each holds (its own and its producer's)."""
    if not producer_ids:
        return {}
    rows = await Product.select(
        Product.id, Product.producer, Product.name, Product.stars, Product.valid_until,
        Product.channels, Product.monthly_capacity, Product.capacity_unit,
        Product.group.id.as_alias("group_id"), Product.group.name_vi.as_alias("name_vi"),
        Product.group.name_en.as_alias("name_en"),
        Product.producer.province.id.as_alias("province_id"),
        Product.producer.province.region.as_alias("region_id"),
        Product.producer.province.name.as_alias("province_name"),
    ).where(Product.producer.is_in(producer_ids))
    held = await certifications.held_by([row["id"] for row in rows], producer_ids)
    out: dict[int, list[matching.Offer]] = {pid: [] for pid in producer_ids}
    for row in rows:
        out[row["producer"]].append(
            matching.Offer(
                product_id=row["id"], producer_id=row["producer"], name=row["name"], group_id=row["group_id"],
                group_name=group_name(row), stars=row["stars"], province_id=row["province_id"],
                region_id=row["region_id"], province_name=row["province_name"], valid_until=row["valid_until"],
                certifications=tuple(
                    matching.Held(c["kind"], c["valid_from"], c["valid_until"], c["number"])
                    for c in held.get(("product", row["id"]), []) + held.get(("producer", row["producer"]), [])
                ),
                channels=parse_codes(row["channels"], CHANNELS), monthly_capacity=row["monthly_capacity"],
                capacity_unit=row["capacity_unit"],
            )
        )
    return out


async def interests_of(distributor_ids: list[int]) -> dict[int, list[matching.Interest]]:
    """The active sourcing interests of these distributors, by distributor."""
    if not distributor_ids:
        return {}
    rows = await SourcingInterest.select(
        SourcingInterest.id, SourcingInterest.distributor, SourcingInterest.group, SourcingInterest.min_stars,
        SourcingInterest.province, SourcingInterest.region, SourcingInterest.volume,
        SourcingInterest.certification_kinds, SourcingInterest.channels, SourcingInterest.min_monthly_volume,
        SourcingInterest.volume_unit,
        SourcingInterest.group.name_vi.as_alias("name_vi"), SourcingInterest.group.name_en.as_alias("name_en"),
        SourcingInterest.province.name.as_alias("province_name"),
        SourcingInterest.region.name.as_alias("region_name"),
    ).where(SourcingInterest.distributor.is_in(distributor_ids) & (SourcingInterest.is_active == True))  # noqa: E712
    out: dict[int, list[matching.Interest]] = {did: [] for did in distributor_ids}
    for row in rows:
        out[row["distributor"]].append(
            matching.Interest(
                id=row["id"], distributor_id=row["distributor"], min_stars=row["min_stars"], group_id=row["group"],
                group_name=group_name(row) if row["group"] else "", province_id=row["province"],
                region_id=row["region"], place_name=row["province_name"] or row["region_name"] or "",
                volume=row["volume"], required_kinds=parse_codes(row["certification_kinds"], KINDS),
                channels=parse_codes(row["channels"], CHANNELS), min_monthly_volume=row["min_monthly_volume"],
                volume_unit=row["volume_unit"],
            )
        )
    return out


async def _names(table, ids: list[int]) -> dict[int, dict]:
    if not ids:
        return {}
    columns = [table.id, table.name, table.slug]
    if table is Producer:
        columns.append(Producer.province.name.as_alias("place"))
    else:
        columns.append(Distributor.distributor_type.as_alias("kind"))
    return {row["id"]: row for row in await table.select(*columns).where(table.id.is_in(ids))}


@dataclass
class MatchRow:
    """A counterpart as the matches page shows it."""

    id: int
    name: str
    slug: str
    detail: str
    score: int
    reasons: list[str]
    explanation: matching.Explanation = field(default_factory=matching.Explanation)
    passes: bool = True
    mutual: bool = False
    products: list[dict] = field(default_factory=list)  # the matching products, for a distributor's shortlist
    request: dict | None = None

    @property
    def can_request(self) -> bool:
        """A meeting may be asked for: none was, or the last one was cancelled."""
        return self.request is None or self.request["status"] == CANCELLED or is_expired(self.request)


@dataclass
class Matches:
    ranked: list[MatchRow] = field(default_factory=list)
    others: list[MatchRow] = field(default_factory=list)  # attendees without a match, for a request all the same


async def matches_for(event: dict, participant: Participant, *, limit: int | None = None) -> Matches:
    """The attendees of the other side, ranked by how well they match the participant: those a
    hard filter keeps out after those that pass, mutual interest first."""
    require_conference(event)
    valid_on = event_days(event)[1]
    requests = await _requests_with(event["id"], participant)
    if participant.is_producer:
        others = await attending_ids(event["id"], Attendance.distributor)
        offers = (await offers_of([participant.org_id]))[participant.org_id]
        interests = await interests_of(others)
        names = await _names(Distributor, others)
        keen = await shortlist.shortlisting_distributors(participant.org_id, others)
        mutual = {d for d in others if _mutual(requests.get(d), d in keen)}
        ranked = matching.distributors_for(
            offers, [(d, names[d]["name"], interests[d]) for d in others if d in names], valid_on, mutual
        )
        listed: set[int] = set()
    else:
        others = await attending_ids(event["id"], Attendance.producer)
        interests = (await interests_of([participant.org_id]))[participant.org_id]
        offers = await offers_of(others)
        names = await _names(Producer, others)
        listed = await shortlist.product_ids(participant.org_id)
        keen = {offer.producer_id for found in offers.values() for offer in found if offer.product_id in listed}
        mutual = {p for p in others if _mutual(requests.get(p), p in keen)}
        ranked = matching.producers_for(
            interests, [(p, names[p]["name"], offers[p]) for p in others if p in names], valid_on, mutual
        )

    def row(org_id: int, candidate: matching.Candidate | None) -> MatchRow:
        info = names[org_id]
        products = []
        if candidate and not participant.is_producer:
            products = [{"id": fit.offer.product_id, "name": fit.offer.name, "shortlisted": fit.offer.product_id in listed}
                        for fit in candidate.fits + candidate.blocked]
        return MatchRow(
            id=org_id,
            name=info["name"],
            slug=info["slug"],
            detail=info.get("place") or info.get("kind") or "",
            score=candidate.score if candidate else 0,
            reasons=matching.reasons(candidate, reader_is_producer=participant.is_producer) if candidate else [],
            explanation=(matching.explain(candidate, reader_is_producer=participant.is_producer)
                         if candidate else matching.Explanation()),
            passes=candidate.passes if candidate else False,
            mutual=candidate.mutual if candidate else False,
            products=products,
            request=requests.get(org_id),
        )

    result = Matches(ranked=[row(c.id, c) for c in ranked])
    matched = {c.id for c in ranked}
    result.others = sorted(
        (row(org_id, None) for org_id in others if org_id in names and org_id not in matched), key=lambda r: r.name
    )
    if limit is not None:
        result.ranked = result.ranked[:limit]
    return result


def _mutual(request: dict | None, shortlisted: bool) -> bool:
    if request is not None and request.get("mutual"):
        return True
    return matching.is_mutual(
        request_status=request["status"] if request else None,
        requested_by=request["requested_by"] if request else None,
        shortlisted=shortlisted,
    )


async def _requests_with(event_id: int, participant: Participant) -> dict[int, dict]:
    """The participant's meeting requests at the event, by the other party's id."""
    own = MeetingRequest.producer if participant.is_producer else MeetingRequest.distributor
    other = MeetingRequest.distributor if participant.is_producer else MeetingRequest.producer
    rows = await MeetingRequest.select(
        MeetingRequest.id, MeetingRequest.status, MeetingRequest.requested_by, MeetingRequest.expires_at,
        other.as_alias("other"),
    ).where((MeetingRequest.event == event_id) & (own == participant.org_id))
    return {row["other"]: row for row in rows}


# Meeting requests ---------------------------------------------------------------------------------

async def _other_name(participant: Participant, other_id: int) -> str:
    table = Distributor if participant.is_producer else Producer
    row = await table.select(table.name).where(table.id == other_id).first()
    if row is None:
        raise NotFound(N_("This producer or distributor does not exist."))
    return row["name"]


async def request_meeting(event: dict, participant: Participant, other_id: int, message: str = "",
                          expires_in_days: int | None = None) -> int:
    """Ask an attendee of the other side for a meeting at the conference; one request per pair.

    When the other party has asked already and the request still waits, asking back accepts it:
    both want the meeting, so it is mutual and scheduled first.
    """
    require_conference(event)
    if event["status"] != EventStatus.published.value or event["ends_at"] < now():
        raise DomainError(N_("Meetings can only be requested while the conference is open."))
    message = message.strip()  # its length is the form's to bound (MESSAGE_LIMIT)
    other_name = await _other_name(participant, other_id)
    if not await is_attending(event["id"], participant):
        raise Forbidden(N_("Register for this conference before requesting meetings."))
    other = Participant(participant.other_side, other_id, 0)
    if not await is_attending(event["id"], other):
        raise Conflict(N_("%(name)s is not attending this conference."), name=other_name)
    producer_id, distributor_id = participant.pair_with(other_id)
    pair = (
        (MeetingRequest.event == event["id"]) & (MeetingRequest.producer == producer_id)
        & (MeetingRequest.distributor == distributor_id)
    )
    try:
        async with write_transaction():
            existing = await for_update(MeetingRequest.select(
                MeetingRequest.id, MeetingRequest.status, MeetingRequest.requested_by, MeetingRequest.expires_at,
            ).where(pair)).first()
            at = now()
            values = {
                MeetingRequest.requested_by: participant.side,
                MeetingRequest.message: message,
                MeetingRequest.status: REQUESTED,
                MeetingRequest.created_at: at,
                MeetingRequest.responded_at: None,
                MeetingRequest.expires_at: expiry_for(event, expires_in_days, at),
                MeetingRequest.decline_reason: "",
                MeetingRequest.mutual: False,
                MeetingRequest.cancelled_by: "",
            }
            if existing is None:
                rows = await MeetingRequest.insert(
                    MeetingRequest({MeetingRequest.event: event["id"], MeetingRequest.producer: producer_id,
                                    MeetingRequest.distributor: distributor_id, **values})
                )
                request_id = rows[0]["id"]
            elif existing["status"] == CANCELLED or is_expired(existing, at):  # asking again
                await MeetingRequest.update(values).where(MeetingRequest.id == existing["id"])
                request_id = existing["id"]
            elif existing["status"] == REQUESTED and existing["requested_by"] != participant.side:
                await MeetingRequest.update({
                    MeetingRequest.status: ACCEPTED, MeetingRequest.mutual: True, MeetingRequest.responded_at: at,
                }).where(MeetingRequest.id == existing["id"])
                await audit("meeting.accepted", actor_id=participant.user_id,
                            target=("meeting_request", existing["id"]), detail={"mutual": True})
                return existing["id"]
            elif existing["status"] == DECLINED:
                raise Conflict(N_("A meeting with %(name)s at this conference was declined."), name=other_name)
            else:
                raise Conflict(N_("There is already a meeting request with %(name)s at this conference."), name=other_name)
            await audit("meeting.requested", actor_id=participant.user_id, target=("meeting_request", request_id))
    except Exception as exc:
        if is_integrity_error(exc):
            raise Conflict(N_("There is already a meeting request with %(name)s at this conference."), name=other_name) from exc
        raise
    return request_id


async def _locked_request(request_id: int, participant: Participant) -> dict:
    """The request, locked, if the participant is one of its parties; anyone else learns nothing of it."""
    row = await for_update(
        MeetingRequest.select(
            MeetingRequest.id, MeetingRequest.producer, MeetingRequest.distributor, MeetingRequest.requested_by,
            MeetingRequest.status, MeetingRequest.event, MeetingRequest.expires_at,
        ).where(MeetingRequest.id == request_id)
    ).first()
    if row is None or not participant.owns(row["producer"], row["distributor"]):
        raise NotFound(N_("This meeting request does not exist."))
    return row


async def respond(request_id: int, participant: Participant, *, accept: bool, reason: str = "") -> str:
    """The asked party accepts, or declines with a reason the asking party reads; returns the new status."""
    reason = reason.strip()  # its length is the form's to bound (REASON_LIMIT)
    async with write_transaction():
        row = await _locked_request(request_id, participant)
        if row["requested_by"] == participant.side:
            raise Forbidden(N_("Only the party you asked can answer this request."))
        if not accept and not reason:
            raise ValidationError({"reason": DomainError(N_("Say why you decline: the other party reads it."))})
        if is_expired(row):
            raise Conflict(N_("This request expired on %(date)s; it can no longer be answered."),
                           date=format_datetime(row["expires_at"]))
        if row["status"] != REQUESTED:
            raise Conflict(N_("This request has already been answered or cancelled."))
        status = ACCEPTED if accept else DECLINED
        await MeetingRequest.update({
            MeetingRequest.status: status, MeetingRequest.responded_at: now(),
            MeetingRequest.decline_reason: "" if accept else reason,
        }).where(MeetingRequest.id == request_id)
        await audit(f"meeting.{status}", actor_id=participant.user_id, target=("meeting_request", request_id))
    return status


async def cancel(request_id: int, participant: Participant) -> None:
    """The party who asked withdraws its request; either party cancels an accepted meeting (its
    time and table, published or planned, are given up)."""
    async with write_transaction():
        row = await _locked_request(request_id, participant)
        if row["status"] == REQUESTED and row["requested_by"] != participant.side:
            raise Forbidden(N_("Only the party who asked can withdraw this request; decline it instead."))
        if row["status"] not in (REQUESTED, ACCEPTED) or is_expired(row):
            raise Conflict(N_("This request is no longer open."))
        await Meeting.delete().where(Meeting.request == request_id)
        await PlannedMeeting.delete().where(PlannedMeeting.request == request_id)
        await MeetingRequest.update({
            MeetingRequest.status: CANCELLED, MeetingRequest.responded_at: now(),
            MeetingRequest.cancelled_by: participant.side,
        }).where(MeetingRequest.id == request_id)
        await audit("meeting.cancelled", actor_id=participant.user_id, target=("meeting_request", request_id))


# A party's meetings --------------------------------------------------------------------------------

HISTORY_PER_PAGE = 20

REQUEST_COLUMNS = (
    MeetingRequest.all_columns(),
    MeetingRequest.event.slug.as_alias("event_slug"),
    MeetingRequest.event.title_vi.as_alias("event_title_vi"),
    MeetingRequest.event.title_en.as_alias("event_title_en"),
    MeetingRequest.producer.name.as_alias("producer_name"),
    MeetingRequest.producer.slug.as_alias("producer_slug"),
    MeetingRequest.distributor.name.as_alias("distributor_name"),
)


def _with_other(row: dict, participant: Participant) -> dict:
    row = dict(row)
    row["other_name"] = row["distributor_name"] if participant.is_producer else row["producer_name"]
    row["other_id"] = row["distributor"] if participant.is_producer else row["producer"]
    row["incoming"] = row["requested_by"] != participant.side
    return row


async def my_meetings(participant: Participant, history_page: int = 1) -> dict:
    """Incoming and outgoing open requests, scheduled meetings, and a page of closed requests."""
    own = MeetingRequest.producer if participant.is_producer else MeetingRequest.distributor
    mine = own == participant.org_id
    at = now()
    # An unanswered request past its expiry is closed, though nothing wrote it so.
    expired = (MeetingRequest.status == REQUESTED) & MeetingRequest.expires_at.is_not_null() & (
        MeetingRequest.expires_at <= at)
    live = ((MeetingRequest.status == ACCEPTED) | ((MeetingRequest.status == REQUESTED) & (
        MeetingRequest.expires_at.is_null() | (MeetingRequest.expires_at > at))))
    open_rows = await MeetingRequest.select(*REQUEST_COLUMNS).where(mine & live).order_by(MeetingRequest.created_at)
    placed = {
        row["request"]: row
        for row in await Meeting.select(
            Meeting.all_columns(), Meeting.session.title.as_alias("session_title"),
            Meeting.session.room.as_alias("session_room"),
        ).where((Meeting.producer if participant.is_producer else Meeting.distributor) == participant.org_id)
    }
    incoming, outgoing, waiting, scheduled = [], [], [], []
    for raw in open_rows:
        row = _with_other(raw, participant)
        if row["status"] == REQUESTED:
            (incoming if row["incoming"] else outgoing).append(row)
        elif row["id"] in placed:
            scheduled.append({**row, "meeting": placed[row["id"]]})
        else:
            waiting.append(row)
    scheduled.sort(key=lambda row: row["meeting"]["starts_at"])
    ended = mine & (MeetingRequest.status.is_in([DECLINED, CANCELLED]) | expired)
    history = await paginate(
        MeetingRequest.select(*REQUEST_COLUMNS).where(ended).order_by(MeetingRequest.created_at, ascending=False),
        MeetingRequest.count().where(ended),
        history_page,
        HISTORY_PER_PAGE,
    )
    history.items = [{**_with_other(row, participant), "expired": is_expired(row, at)} for row in history.items]
    return {"incoming": incoming, "outgoing": outgoing, "waiting": waiting, "scheduled": scheduled, "history": history}

