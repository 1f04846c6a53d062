"""Staff's working schedule of a conference: run the scheduler as a preview, pin or move meetings
by hand, set each participant's availability, limit and fixed table, then publish.

The working schedule is `PlannedMeeting`; the published one, the only one participants see (and
agendas and feeds read), is `Meeting`. Every write here decides on what it reads, so it runs in
one write transaction holding the locks placement takes: the event's B2B session rows (their
tables) and, for what touches published meetings, each party's named lock. The exclusion
constraints on both tables stay the last line of defence.
"""

from __future__ import annotations

import asyncio

import datetime as dt

from events_app.core.audit import audit
from events_app.core.clock import now
from events_app.core.db import for_update, is_integrity_error, lock_names, write_transaction
from events_app.core.errors import Conflict, DomainError, NotFound
from events_app.core.i18n import N_, format_time
from events_app.events.services import event_days
from events_app.events.tables import Session, SessionKind
from events_app.matchmaking import matching, scheduler
from events_app.directory.tables import Distributor, Producer
from events_app.events.tables import Attendance
from events_app.matchmaking.attendance import attending_ids, require_conference
from events_app.matchmaking.scheduler import Booking, Problem, Request, distributor_key, producer_key
from events_app.matchmaking.services import interests_of, offers_of
from events_app.matchmaking.tables import Meeting, MeetingRequest, MeetingTerms, PlannedMeeting, RequestStatus

ACCEPTED = RequestStatus.accepted.value
MAX_MEETINGS = 200  # a limit staff may set: more meetings than any conference day holds
MAX_TABLE = 1000
# Meetings being moved at publication wait here, a minute each, so that no two of them (nor any
# real meeting) overlap while the others move.
PARKING = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
ALWAYS = (dt.datetime(1990, 1, 1, tzinfo=dt.timezone.utc), dt.datetime(2200, 1, 1, tzinfo=dt.timezone.utc))


def _booking(row: dict) -> Booking:
    return Booking(row["request"], row["producer"], row["distributor"], row["session"], row["starts_at"],
                   row["ends_at"], row["table_number"])


def _b2b_sessions_query(event_id: int):
    return (Session.select().where((Session.event == event_id) & (Session.kind == SessionKind.b2b.value))
            .order_by(Session.id))


async def _b2b_sessions(event_id: int) -> list[dict]:
    """The event's B2B sessions, read without locking them."""
    return await _b2b_sessions_query(event_id)


async def _lock_schedule(event_id: int) -> list[dict]:
    """Hold the event's B2B sessions (and with them every placement into them) until the transaction ends."""
    return await for_update(_b2b_sessions_query(event_id))


async def _scores(event: dict, pairs: set[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """The match score of each (producer, distributor) pair, as the matches pages rank them."""
    producers = sorted({p for p, _ in pairs})
    distributors = sorted({d for _, d in pairs})
    offers, interests = await offers_of(producers), await interests_of(distributors)
    valid_on = event_days(event)[1]
    return {(p, d): sum(fit.points for fit in matching.fits(interests[d], offers[p], valid_on)) for p, d in pairs}


async def terms_of(event_id: int) -> list[dict]:
    return await MeetingTerms.select(
        MeetingTerms.all_columns(), MeetingTerms.producer.name.as_alias("producer_name"),
        MeetingTerms.distributor.name.as_alias("distributor_name"),
    ).where(MeetingTerms.event == event_id)


def _terms_into(problem: Problem, rows: list[dict]) -> None:
    for row in rows:
        key = producer_key(row["producer"]) if row["producer"] else distributor_key(row["distributor"])
        if row["available_from"] or row["available_until"]:
            problem.availability[key] = [(row["available_from"] or ALWAYS[0], row["available_until"] or ALWAYS[1])]
        if row["max_meetings"] is not None:
            problem.limits[key] = row["max_meetings"]
        if row["producer"] and row["fixed_table"]:
            problem.fixed_tables[row["producer"]] = row["fixed_table"]


async def problem_for(event: dict, sessions: list[dict]) -> tuple[Problem, list[dict], list[dict]]:
    """The scheduler's input as the database holds it now: (problem, plan rows, published rows)."""
    accepted = await MeetingRequest.select(
        MeetingRequest.id, MeetingRequest.producer, MeetingRequest.distributor, MeetingRequest.mutual,
    ).where((MeetingRequest.event == event["id"]) & (MeetingRequest.status == ACCEPTED))
    scores = await _scores(event, {(r["producer"], r["distributor"]) for r in accepted})
    planned = await PlannedMeeting.select().where(PlannedMeeting.event == event["id"])
    published = await Meeting.select().where(Meeting.event == event["id"])
    live = {r["id"] for r in accepted}
    previous = {r["request"]: _booking(r) for r in planned if r["request"] in live}
    previous.update({r["request"]: _booking(r) for r in published if r["request"] in live})  # published wins
    problem = Problem(
        slots=scheduler.session_slots(sessions),
        requests=[Request(r["id"], r["producer"], r["distributor"], bool(r["mutual"]),
                          scores[(r["producer"], r["distributor"])]) for r in accepted],
        pinned=[_booking(r) for r in planned if r["pinned"] and r["request"] in live],
        previous=previous,
    )
    _terms_into(problem, await terms_of(event["id"]))
    return problem, planned, published


def _planned(event_id: int, booking: Booking, pinned: bool) -> PlannedMeeting:
    return PlannedMeeting(
        request=booking.request_id, event=event_id, session=booking.session_id, producer=booking.producer_id,
        distributor=booking.distributor_id, starts_at=booking.starts_at, ends_at=booking.ends_at,
        table_number=booking.table, pinned=pinned,
    )


# The scheduler runs outside any transaction; what it was given is read again under the locks
# before its answer is written, and when that changed meanwhile it runs again, this many times
# in all before staff are told.
PREVIEW_TRIES = 3
CHANGED_WHILE_PLANNING = N_(
    "Meeting requests, participants' terms or the schedule kept changing while the scheduler ran; "
    "nothing was saved. Run the scheduler again.")


def _inputs(problem: Problem) -> tuple:
    """What a plan is computed from, in a form that compares equal whatever order rows came in."""
    return (
        frozenset(problem.slots), frozenset(problem.requests), frozenset(problem.pinned),
        frozenset(problem.previous.items()), frozenset((k, tuple(v)) for k, v in problem.availability.items()),
        frozenset(problem.limits.items()), frozenset(problem.fixed_tables.items()),
    )


async def preview(event: dict, actor_id: int | None = None) -> scheduler.Plan:
    """Run the scheduler into the working schedule; pinned meetings stay, nothing is published.

    The plan, seconds of pure computing on a large conference, is made from a reading of the
    event outside any transaction, on a thread (the worker's other requests are answered
    meanwhile, and nobody waits for the schedule's locks). Then, in one short write transaction
    holding those locks, the event is read again: unchanged, the plan replaces the working
    schedule; changed (a request accepted, a meeting pinned, terms set meanwhile), the plan is
    made again from the new reading, and after `PREVIEW_TRIES` such tries staff are told.
    """
    require_conference(event)
    for _ in range(PREVIEW_TRIES):
        problem, _, _ = await problem_for(event, await _b2b_sessions(event["id"]))
        result = await asyncio.to_thread(scheduler.plan, problem)
        async with write_transaction():
            sessions = await _lock_schedule(event["id"])
            current, _, _ = await problem_for(event, sessions)
            if _inputs(current) != _inputs(problem):
                continue  # changed while the plan was made: make it again from what is there now
            await PlannedMeeting.delete().where(PlannedMeeting.event == event["id"])
            pinned = {b.request_id for b in problem.pinned}
            if result.placed:
                await PlannedMeeting.insert(*[_planned(event["id"], b, b.request_id in pinned) for b in result.placed])
            await audit("schedule.previewed", actor_id=actor_id, target=("event", event["id"]),
                        detail={"placed": len(result.placed), "unplaced": len(result.unplaced), "moved": len(result.moved)})
            return result
    raise Conflict(CHANGED_WHILE_PLANNING)


async def pin(event: dict, request_id: int, session_id: int, starts_at: dt.datetime, table: int,
              actor_id: int | None = None) -> None:
    """Put one accepted meeting at a slot and table of the working schedule by hand; the scheduler keeps it there."""
    require_conference(event)
    try:
        async with write_transaction():
            sessions = await _lock_schedule(event["id"])
            problem, planned, _ = await problem_for(event, sessions)
            request = next((r for r in problem.requests if r.request_id == request_id), None)
            if request is None:
                raise NotFound(N_("This meeting request does not exist."))
            slot = next((s for s in problem.slots if (s.session_id, s.starts_at) == (session_id, starts_at)), None)
            if slot is None:
                raise DomainError(scheduler.NOT_A_SLOT)
            if not 1 <= table <= slot.tables:
                raise DomainError(N_("Choose a table from 1 to %(n)d."), n=slot.tables)
            booking = Booking(request_id, request.producer_id, request.distributor_id, session_id, slot.starts_at,
                              slot.ends_at, table)
            others = [_booking(r) for r in planned if r["request"] != request_id]
            refuse(problem, booking, others)
            await PlannedMeeting.delete().where(PlannedMeeting.request == request_id)
            await PlannedMeeting.insert(_planned(event["id"], booking, True))
            await audit("schedule.pinned", actor_id=actor_id, target=("meeting_request", request_id),
                        detail={"table": table, "starts_at": starts_at.isoformat()})
    except Exception as exc:
        if is_integrity_error(exc):
            raise Conflict(N_("Someone changed the schedule at the same moment; choose again.")) from exc
        raise


def refuse(problem: Problem, booking: Booking, others: list[Booking]) -> None:
    """The first rule of participants' terms or of the schedule a hand-placed meeting would break, as
    the staff's message (`others`: every other meeting it must not clash with)."""
    time = format_time(booking.starts_at)
    for key in (producer_key(booking.producer_id), distributor_key(booking.distributor_id)):
        if not scheduler.within(problem.availability.get(key), booking.starts_at, booking.ends_at):
            raise Conflict(N_("This party is not available at %(time)s."), time=time)
        mine = [b for b in others if key in (producer_key(b.producer_id), distributor_key(b.distributor_id))]
        if key in problem.limits and len(mine) >= problem.limits[key]:
            raise Conflict(N_("This party already has its limit of %(limit)d meetings."), limit=problem.limits[key])
        if any(b.starts_at < booking.ends_at and booking.starts_at < b.ends_at for b in mine):
            raise Conflict(N_("This party already has a meeting at %(time)s."), time=time)
    fixed = problem.fixed_tables.get(booking.producer_id)
    if fixed is not None and booking.table != fixed:
        raise Conflict(N_("This producer meets everyone at its own table %(table)d."), table=fixed)
    if fixed is None and booking.table in problem.fixed_tables.values():
        raise Conflict(N_("Table %(table)d is a producer's own table."), table=booking.table)
    if any((b.session_id, b.table) == (booking.session_id, booking.table)
           and b.starts_at < booking.ends_at and booking.starts_at < b.ends_at for b in others):
        raise Conflict(N_("Table %(table)d is already taken at %(time)s."), table=booking.table, time=time)


async def unpin(event: dict, request_id: int, *, leave_out: bool = False, actor_id: int | None = None) -> None:
    """Let the scheduler move a pinned meeting again, or take it out of the working schedule."""
    async with write_transaction():
        await _lock_schedule(event["id"])
        where = (PlannedMeeting.event == event["id"]) & (PlannedMeeting.request == request_id)
        if not await PlannedMeeting.exists().where(where):
            raise NotFound(N_("This meeting is not in the schedule."))
        if leave_out:
            await PlannedMeeting.delete().where(where)
        else:
            await PlannedMeeting.update({PlannedMeeting.pinned: False}).where(where)
        await audit("schedule.left_out" if leave_out else "schedule.unpinned", actor_id=actor_id,
                    target=("meeting_request", request_id))


def _key(row: dict) -> tuple:
    return (row["session"], row["starts_at"], row["ends_at"], row["table_number"])


async def changes(event_id: int) -> dict[str, int]:
    """How the working schedule differs from the published one: meetings new, moved and withdrawn."""
    planned = {r["request"]: _key(r) for r in await PlannedMeeting.select().where(PlannedMeeting.event == event_id)}
    published = {r["request"]: _key(r) for r in await Meeting.select().where(Meeting.event == event_id)}
    return {
        "new": sum(1 for rid in planned if rid not in published),
        "moved": sum(1 for rid, at in planned.items() if rid in published and published[rid] != at),
        "withdrawn": sum(1 for rid in published if rid not in planned),
    }


async def publish(event: dict, actor_id: int | None = None) -> dict[str, int]:
    """Make the published schedule the working one, in one transaction: meetings kept keep their
    rows (and so their calendar entries), moved ones are updated, the rest added or removed."""
    require_conference(event)
    try:
        async with write_transaction():
            sessions = await _lock_schedule(event["id"])
            problem, planned, published = await problem_for(event, sessions)
            live = {r.request_id for r in problem.requests}
            parties = {f"meeting:producer:{r['producer']}" for r in planned + published}
            parties |= {f"meeting:distributor:{r['distributor']}" for r in planned + published}
            await lock_names(*parties)
            planned = [r for r in planned if r["request"] in live]
            broken = scheduler.violations(Problem(slots=problem.slots, requests=problem.requests),
                                          [_booking(r) for r in planned])
            if broken:  # a session shortened or a table removed since: the preview is to run again
                raise Conflict(N_("The schedule no longer fits the programme; run the scheduler again before publishing."))
            now_at = {r["request"]: r for r in planned}
            was_at = {r["request"]: r for r in published}
            gone = [r["id"] for rid, r in was_at.items() if rid not in now_at]
            moved = [(r, now_at[rid]) for rid, r in was_at.items() if rid in now_at and _key(r) != _key(now_at[rid])]
            new = [r for rid, r in now_at.items() if rid not in was_at]
            if gone:
                await Meeting.delete().where(Meeting.id.is_in(gone))
            for old, _ in moved:
                parked = PARKING + dt.timedelta(minutes=2 * old["id"])
                await Meeting.update({Meeting.starts_at: parked, Meeting.ends_at: parked + dt.timedelta(minutes=1)}).where(
                    Meeting.id == old["id"])
            for old, row in moved:
                await Meeting.update({
                    Meeting.session: row["session"], Meeting.starts_at: row["starts_at"], Meeting.ends_at: row["ends_at"],
                    Meeting.table_number: row["table_number"],
                }).where(Meeting.id == old["id"])
            if new:
                await Meeting.insert(*[Meeting(
                    request=r["request"], event=event["id"], session=r["session"], producer=r["producer"],
                    distributor=r["distributor"], starts_at=r["starts_at"], ends_at=r["ends_at"],
                    table_number=r["table_number"],
                ) for r in new])
            counts = {"new": len(new), "moved": len(moved), "withdrawn": len(gone)}
            await audit("schedule.published", actor_id=actor_id, target=("event", event["id"]),
                        detail={**counts, "at": now().isoformat()})
    except Exception as exc:
        if is_integrity_error(exc):
            raise Conflict(N_("Someone changed the schedule at the same moment; publish again.")) from exc
        raise
    return counts


async def save_terms(event: dict, side: str, org_id: int, *, available_from: dt.datetime | None,
                     available_until: dt.datetime | None, max_meetings: int | None, fixed_table: int | None,
                     actor_id: int | None = None) -> None:
    """Set one participant's availability, meeting limit and (a producer's) fixed table; all empty removes them."""
    require_conference(event)
    if available_from and available_until and available_from >= available_until:
        raise DomainError(N_("The participant must arrive before it leaves."))
    if fixed_table is not None and side != scheduler.PRODUCER_SIDE:
        raise DomainError(N_("Only a producer has a table of its own, at its booth."))
    column = MeetingTerms.producer if side == scheduler.PRODUCER_SIDE else MeetingTerms.distributor
    try:
        async with write_transaction():
            await _lock_schedule(event["id"])
            where = (MeetingTerms.event == event["id"]) & (column == org_id)
            await MeetingTerms.delete().where(where)
            values = (available_from, available_until, max_meetings, fixed_table)
            if any(v is not None for v in values):
                await MeetingTerms.insert(MeetingTerms({
                    MeetingTerms.event: event["id"], column: org_id, MeetingTerms.available_from: available_from,
                    MeetingTerms.available_until: available_until, MeetingTerms.max_meetings: max_meetings,
                    MeetingTerms.fixed_table: fixed_table,
                }))
            await audit("schedule.terms", actor_id=actor_id, target=("event", event["id"]),
                        detail={side: org_id, "max_meetings": max_meetings, "fixed_table": fixed_table})
    except Exception as exc:
        if is_integrity_error(exc):
            raise Conflict(N_("Table %(table)d is already another producer's own table."), table=fixed_table) from exc
        raise


async def overview(event: dict) -> dict:
    """What the scheduling page shows: the working schedule, what is left out and why, the
    differences from the published schedule, and each participant's terms."""
    require_conference(event)
    sessions = await Session.select().where(
        (Session.event == event["id"]) & (Session.kind == SessionKind.b2b.value)).order_by(Session.starts_at)
    problem, planned, _ = await problem_for(event, sessions)
    live = {r.request_id for r in problem.requests}
    planned = [r for r in planned if r["request"] in live]
    names = {
        r["id"]: r for r in await MeetingRequest.select(
            MeetingRequest.id, MeetingRequest.producer.name.as_alias("producer_name"),
            MeetingRequest.distributor.name.as_alias("distributor_name"),
        ).where((MeetingRequest.event == event["id"]) & (MeetingRequest.status == ACCEPTED))
    }
    titles = {s["id"]: s["title"] for s in sessions}
    left = scheduler.reasons(problem, [_booking(r) for r in planned])
    terms = await terms_of(event["id"])
    slots = problem.slots
    return {
        "slots": [{"slot": s, "key": scheduler.slot_key(s.session_id, s.starts_at), "title": titles[s.session_id]}
                  for s in slots],
        "max_tables": max((s.tables for s in slots), default=0),
        "planned": sorted(({**r, **names[r["request"]], "session_title": titles.get(r["session"], ""),
                            "slot_key": scheduler.slot_key(r["session"], r["starts_at"])}
                           for r in planned), key=lambda r: (r["starts_at"], r["table_number"])),
        "left": [{"request": u.request, **names[u.request.request_id], "message": u.message, "limit": u.limit,
                  "table": u.table} for u in left],
        "changes": await changes(event["id"]),
        "terms": terms,
        "participants": await _participants(event["id"], terms),
    }


async def _participants(event_id: int, terms: list[dict]) -> list[dict]:
    """Every registered producer, then distributor, with its terms (empty when none are set)."""
    by_key = {(scheduler.PRODUCER_SIDE, t["producer"]) if t["producer"] else (scheduler.DISTRIBUTOR_SIDE, t["distributor"]): t
              for t in terms}
    out = []
    for side, table, column in ((scheduler.PRODUCER_SIDE, Producer, Attendance.producer),
                                (scheduler.DISTRIBUTOR_SIDE, Distributor, Attendance.distributor)):
        ids = await attending_ids(event_id, column)
        rows = await table.select(table.id, table.name).where(table.id.is_in(ids)).order_by(table.name) if ids else []
        out += [{"side": side, "id": r["id"], "name": r["name"], "terms": by_key.get((side, r["id"]), {})} for r in rows]
    return out
