"""Registering producers and distributors for a connection conference."""

from __future__ import annotations

import datetime as dt

from events_app.core.audit import audit
from events_app.core.db import for_update, is_integrity_error, write_transaction
from events_app.directory.tables import Product
from events_app.core.errors import Conflict, DomainError
from events_app.events import eligibility
from events_app.core.clock import LOCAL_TZ, now
from events_app.events.services import candidate_for, product_facts, rules_for
from events_app.events.tables import Attendance, AttendanceStatus, EventKind, EventStatus
from events_app.core.i18n import N_
from events_app.matchmaking.parties import Participant
from events_app.matchmaking.tables import Meeting, MeetingRequest, PlannedMeeting, RequestStatus

REGISTERED = AttendanceStatus.registered.value


class NotAdmitted(DomainError):
    """Registration refused; `reasons` holds everything that stands in the way."""

    def __init__(self, reasons: list[DomainError]) -> None:
        super().__init__(N_("You cannot register for this conference:"))
        self.reasons = reasons

    def messages(self) -> list[str]:
        return [str(reason) for reason in self.reasons]


def _party_column(participant: Participant):
    return Attendance.producer if participant.is_producer else Attendance.distributor


def require_conference(event: dict) -> None:
    if event["kind"] != EventKind.conference.value:
        raise DomainError(N_("Only connection conferences take part in matchmaking; this event is not one."))


async def is_attending(event_id: int, participant: Participant) -> bool:
    return await Attendance.exists().where(
        (Attendance.event == event_id) & (_party_column(participant) == participant.org_id) & (Attendance.status == REGISTERED)
    )


async def attending_ids(event_id: int, side_column) -> list[int]:
    rows = await Attendance.select(side_column.as_alias("org")).where(
        (Attendance.event == event_id) & (Attendance.status == REGISTERED) & side_column.is_not_null()
    )
    return [row["org"] for row in rows]


async def counts(event_id: int) -> dict[str, int]:
    live = (Attendance.event == event_id) & (Attendance.status == REGISTERED)
    return {
        "producers": await Attendance.count().where(live & Attendance.producer.is_not_null()),
        "distributors": await Attendance.count().where(live & Attendance.distributor.is_not_null()),
    }


async def admission_reasons(event: dict, participant: Participant, at: dt.datetime | None = None) -> list[DomainError]:
    """Everything that keeps the participant from registering now (empty: it may)."""
    require_conference(event)
    if event["status"] != EventStatus.published.value:
        return [DomainError(N_("This conference is not open for registration."))]
    rules = rules_for(event)
    reasons = eligibility.window_reasons(rules, at or now())
    if not participant.is_producer:
        return reasons
    reasons += eligibility.producer_reasons(rules, await candidate_for(participant.org_id))
    product_ids = await Product.select(Product.id).where(Product.producer == participant.org_id).output(as_list=True)
    products = await product_facts(participant.org_id, product_ids)
    if not products:
        reasons.append(DomainError(N_("Add your OCOP products first: a producer takes part with at least one product.")))
    else:
        on = (at or now()).astimezone(LOCAL_TZ).date()
        per_product = [eligibility.product_reasons(rules, product, today=on) for product in products]
        if all(per_product):  # one admitted product is enough
            reasons += [reason for found in per_product for reason in found]
    return reasons


async def register(event: dict, participant: Participant) -> None:
    reasons = await admission_reasons(event, participant)
    if reasons:
        raise NotAdmitted(reasons)
    column = _party_column(participant)
    try:
        async with write_transaction():
            row = await for_update(
                Attendance.select(Attendance.id, Attendance.status).where(
                    (Attendance.event == event["id"]) & (column == participant.org_id)
                )
            ).first()
            if row is None:
                await Attendance.insert(Attendance({Attendance.event: event["id"], column: participant.org_id}))
            elif row["status"] != REGISTERED:
                await Attendance.update({Attendance.status: REGISTERED}).where(Attendance.id == row["id"])
            else:
                raise Conflict(N_("You are already registered for this conference."))
            await audit("conference.registered", actor_id=participant.user_id, target=("event", event["id"]),
                        detail={participant.side: participant.org_id})
    except Exception as exc:
        if is_integrity_error(exc):  # a second click that raced the first
            raise Conflict(N_("You are already registered for this conference.")) from exc
        raise


async def unregister(event: dict, participant: Participant) -> int:
    """Leave the conference; its open meeting requests are cancelled and its meetings freed. Returns how many."""
    require_conference(event)
    column = _party_column(participant)
    side = MeetingRequest.producer if participant.is_producer else MeetingRequest.distributor
    async with write_transaction():
        row = await for_update(
            Attendance.select(Attendance.id).where(
                (Attendance.event == event["id"]) & (column == participant.org_id) & (Attendance.status == REGISTERED)
            )
        ).first()
        if row is None:
            raise Conflict(N_("You are not registered for this conference."))
        await Attendance.update({Attendance.status: AttendanceStatus.cancelled.value}).where(Attendance.id == row["id"])
        open_requests = await MeetingRequest.select(MeetingRequest.id).where(
            (MeetingRequest.event == event["id"]) & (side == participant.org_id)
            & MeetingRequest.status.is_in([RequestStatus.requested.value, RequestStatus.accepted.value])
        ).output(as_list=True)
        if open_requests:
            await Meeting.delete().where(Meeting.request.is_in(open_requests))
            await PlannedMeeting.delete().where(PlannedMeeting.request.is_in(open_requests))
            await MeetingRequest.update(
                {MeetingRequest.status: RequestStatus.cancelled.value, MeetingRequest.responded_at: now()}
            ).where(MeetingRequest.id.is_in(open_requests))
        await audit("conference.unregistered", actor_id=participant.user_id, target=("event", event["id"]),
                    detail={participant.side: participant.org_id, "requests_cancelled": len(open_requests)})
    return len(open_requests)
