"""Staff place accepted meeting requests into the slots and tables of a conference's B2B sessions.

A placement decides on what it reads (who is busy when, which tables are free), so it runs in
one write transaction holding the locks that cover what it decides on: on SQLite the database
write lock; on PostgreSQL the session's row (its tables) and an advisory lock per party (its
time, whichever session the meeting is in). The migrations' exclusion constraints refuse
overlapping meetings of a party or a table behind both.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from events_app.core.audit import audit
from events_app.core.db import for_update, is_integrity_error, lock_names, write_transaction
from events_app.core.errors import Conflict, DomainError, NotFound
from events_app.events.tables import Session, SessionKind
from events_app.core.i18n import N_, format_time
from events_app.matchmaking.attendance import require_conference
from events_app.matchmaking import planning, scheduler
from events_app.matchmaking.scheduler import Booking, Schedule, clashes, session_slots, slot_key
from events_app.matchmaking.tables import Meeting, MeetingRequest, PlannedMeeting, RequestStatus

ACCEPTED = RequestStatus.accepted.value


async def b2b_sessions(event_id: int) -> list[dict]:
    return await Session.select().where((Session.event == event_id) & (Session.kind == SessionKind.b2b.value)).order_by(
        Session.starts_at
    )


def _bookings(rows: list[dict]) -> list[Booking]:
    return [
        Booking(r["request"], r["producer"], r["distributor"], r["session"], r["starts_at"], r["ends_at"], r["table_number"])
        for r in rows
    ]


async def _meetings(event_id: int) -> list[dict]:
    """The meetings published and those in staff's working schedule: a meeting placed here is
    both at once, so it must clash with neither."""
    published = await Meeting.select().where(Meeting.event == event_id)
    done = {row["request"] for row in published}
    planned = await PlannedMeeting.select().where(PlannedMeeting.event == event_id)
    return published + [row for row in planned if row["request"] not in done]


def _rows(event_id: int, b: Booking) -> tuple[Meeting, PlannedMeeting]:
    """A placed meeting, published and pinned in the working schedule where it was put."""
    values = dict(request=b.request_id, event=event_id, session=b.session_id, producer=b.producer_id,
                  distributor=b.distributor_id, starts_at=b.starts_at, ends_at=b.ends_at, table_number=b.table)
    return Meeting(**values), PlannedMeeting(**values, pinned=True)


async def _lock_parties(producer_id: int, distributor_id: int) -> None:
    """Hold both parties' time until the transaction ends (PostgreSQL; SQLite's write lock holds it already).

    Two placements for one producer, even into two sessions, then run one after the other and
    the second sees the first's meeting. Keys are taken in one order, after every row lock, so
    two placements never wait on each other crosswise.
    """
    await lock_names(f"meeting:producer:{producer_id}", f"meeting:distributor:{distributor_id}")


async def overview(event: dict) -> dict:
    """What the staff page shows: sessions and their slots, requests to place, meetings placed."""
    require_conference(event)
    sessions = await b2b_sessions(event["id"])
    slots = session_slots(sessions)
    placed = await Meeting.select(
        Meeting.all_columns(),
        Meeting.producer.name.as_alias("producer_name"),
        Meeting.distributor.name.as_alias("distributor_name"),
        Meeting.session.title.as_alias("session_title"),
    ).where(Meeting.event == event["id"]).order_by(Meeting.starts_at).order_by(Meeting.table_number)
    placed_requests = {row["request"] for row in placed}
    accepted = await MeetingRequest.select(
        MeetingRequest.id, MeetingRequest.created_at, MeetingRequest.requested_by,
        MeetingRequest.producer.name.as_alias("producer_name"),
        MeetingRequest.distributor.name.as_alias("distributor_name"),
    ).where((MeetingRequest.event == event["id"]) & (MeetingRequest.status == ACCEPTED)).order_by(
        MeetingRequest.created_at
    )
    by_status = {}
    for status in RequestStatus:
        by_status[status.value] = await MeetingRequest.count().where(
            (MeetingRequest.event == event["id"]) & (MeetingRequest.status == status.value)
        )
    titles = {s["id"]: s["title"] for s in sessions}
    used: dict[tuple[int, dt.datetime], int] = {}
    for row in placed:
        used[(row["session"], row["starts_at"])] = used.get((row["session"], row["starts_at"]), 0) + 1
    return {
        "sessions": sessions,
        "slots": [
            {
                "slot": slot,
                "key": slot_key(slot.session_id, slot.starts_at),
                "title": titles[slot.session_id],
                "free": slot.tables - used.get((slot.session_id, slot.starts_at), 0),
            }
            for slot in slots
        ],
        "max_tables": max((s["tables_count"] for s in sessions), default=0),
        "to_place": [row for row in accepted if row["id"] not in placed_requests],
        "placed": placed,
        "by_status": by_status,
    }


async def place(event: dict, request_id: int, session_id: int, starts_at: dt.datetime, table: int | None,
                actor_id: int | None = None) -> int:
    """Place one accepted request at a table (the first free one when None) in a slot; returns the meeting id."""
    require_conference(event)
    try:
        async with write_transaction():
            session = await for_update(
                Session.select().where((Session.id == session_id) & (Session.event == event["id"]))
            ).first()
            if session is None or session["kind"] != SessionKind.b2b.value:
                raise NotFound(N_("This B2B session does not exist."))
            slot = next((s for s in session_slots([session]) if s.starts_at == starts_at), None)
            if slot is None:
                raise DomainError(
                    N_("%(time)s is not the start of a meeting slot of %(session)s."),
                    time=format_time(starts_at), session=session["title"],
                )
            request = await for_update(
                MeetingRequest.select(
                    MeetingRequest.id, MeetingRequest.status, MeetingRequest.producer, MeetingRequest.distributor,
                ).where((MeetingRequest.id == request_id) & (MeetingRequest.event == event["id"]))
            ).first()
            if request is None:
                raise NotFound(N_("This meeting request does not exist."))
            if request["status"] != ACCEPTED:
                raise Conflict(N_("Only accepted requests can be placed."))
            if await Meeting.exists().where(Meeting.request == request_id):
                raise Conflict(N_("This meeting is already placed; unplace it first."))
            await _lock_parties(request["producer"], request["distributor"])
            booked = [b for b in _bookings(await _meetings(event["id"])) if b.request_id != request_id]
            terms, _, _ = await planning.problem_for(event, [session])
            if table is None:  # the producer's own table, or the first free one nobody owns
                taken = {b.table for b in booked if b.session_id == slot.session_id
                         and b.starts_at < slot.ends_at and slot.starts_at < b.ends_at}
                table = terms.fixed_tables.get(request["producer"]) or next(
                    (t for t in range(1, slot.tables + 1) if t not in taken and t not in terms.fixed_tables.values()),
                    None)
                if table is None:
                    raise Conflict(N_("Every table is taken at %(time)s."), time=format_time(slot.starts_at))
            if not 1 <= table <= slot.tables:
                raise DomainError(N_("Choose a table from 1 to %(n)d."), n=slot.tables)
            booking = Booking(request_id, request["producer"], request["distributor"], session_id,
                              slot.starts_at, slot.ends_at, table)
            _refuse_clashes(clashes(booking, booked), booking, await _pair_names(request_id))
            planning.refuse(terms, booking, booked)  # availability, limits, own tables
            meeting, planned = _rows(event["id"], booking)
            rows = await Meeting.insert(meeting)
            await PlannedMeeting.delete().where(PlannedMeeting.request == request_id)
            await PlannedMeeting.insert(planned)
            await audit("meeting.placed", actor_id=actor_id, target=("meeting", rows[0]["id"]),
                        detail={"request": request_id, "table": table, "starts_at": starts_at.isoformat()})
    except Exception as exc:
        if is_integrity_error(exc):  # another placement took the table or a party in the same moment
            raise Conflict(N_("Someone placed another meeting in this slot at the same moment; choose again.")) from exc
        raise
    return rows[0]["id"]


async def _pair_names(request_id: int) -> dict:
    return await MeetingRequest.select(
        MeetingRequest.producer.name.as_alias("producer"), MeetingRequest.distributor.name.as_alias("distributor")
    ).where(MeetingRequest.id == request_id).first()


def _refuse_clashes(found: list[str], booking: Booking, names: dict) -> None:
    time = format_time(booking.starts_at)
    if "producer" in found:
        raise Conflict(N_("%(name)s already has a meeting at %(time)s."), name=names["producer"], time=time)
    if "distributor" in found:
        raise Conflict(N_("%(name)s already has a meeting at %(time)s."), name=names["distributor"], time=time)
    if "table" in found:
        raise Conflict(N_("Table %(table)d is already taken at %(time)s."), table=booking.table, time=time)


async def unplace(event: dict, meeting_id: int, actor_id: int | None = None) -> None:
    async with write_transaction():
        deleted = await Meeting.delete().where((Meeting.id == meeting_id) & (Meeting.event == event["id"])).returning(
            Meeting.request, Meeting.starts_at, Meeting.table_number
        )
        if not deleted:
            raise NotFound(N_("This meeting does not exist."))
        await PlannedMeeting.delete().where(PlannedMeeting.request == deleted[0]["request"])
        await audit("meeting.unplaced", actor_id=actor_id, target=("meeting", meeting_id), before=deleted[0])


async def place_all(event: dict, actor_id: int | None = None) -> tuple[int, list[dict]]:
    """Run the greedy scheduler over every accepted request not yet placed; returns (placed, left out)."""
    require_conference(event)
    try:
        async with write_transaction():
            # Holding every B2B session of the event keeps out any other placement into it; the
            # parties' time is only ever decided inside the event, so no party lock is needed.
            sessions = await for_update(
                Session.select().where((Session.event == event["id"]) & (Session.kind == SessionKind.b2b.value))
            )
            booked = _bookings(await _meetings(event["id"]))
            done = {b.request_id for b in booked}
            accepted = await for_update(
                MeetingRequest.select(MeetingRequest.id, MeetingRequest.producer, MeetingRequest.distributor).where(
                    (MeetingRequest.event == event["id"]) & (MeetingRequest.status == ACCEPTED)
                ).order_by(MeetingRequest.created_at).order_by(MeetingRequest.id)
            )
            # The conference scheduler with every meeting already placed kept where it is: the
            # participants' availability, limits and own tables hold here too.
            problem, _, _ = await planning.problem_for(event, sessions)
            ranked = {r.request_id: r for r in problem.requests}
            waiting = [ranked[r["id"]] for r in accepted if r["id"] not in done and r["id"] in ranked]
            found = scheduler.plan(dataclasses.replace(problem, requests=waiting, pinned=booked, previous={}))
            result = Schedule(placed=[b for b in found.placed if b.request_id not in done],
                              unplaced=[u.request for u in found.unplaced])
            why = {u.request.request_id: u for u in found.unplaced}
            if result.placed:
                rows = [_rows(event["id"], b) for b in result.placed]
                await Meeting.insert(*[meeting for meeting, _ in rows])
                await PlannedMeeting.insert(*[planned for _, planned in rows])
            await audit("meeting.placed_all", actor_id=actor_id, target=("event", event["id"]),
                        detail={"placed": len(result.placed), "unplaced": len(result.unplaced)})
    except Exception as exc:
        if is_integrity_error(exc):
            raise Conflict(N_("Someone placed meetings at the same moment; run the placement again.")) from exc
        raise
    left = []
    if result.unplaced:
        left = await MeetingRequest.select(
            MeetingRequest.id, MeetingRequest.producer.name.as_alias("producer_name"),
            MeetingRequest.distributor.name.as_alias("distributor_name"),
        ).where(MeetingRequest.id.is_in([w.request_id for w in result.unplaced]))
        left = [{**row, "message": why[row["id"]].message, "limit": why[row["id"]].limit,
                 "table": why[row["id"]].table} for row in left]
    return len(result.placed), left
