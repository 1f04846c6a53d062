"""The signing ceremony (staff): agreed MoUs ordered into a conference's signing slots, the
signature recorded, and the totals of what was signed."""

from __future__ import annotations

import datetime as dt

from events_app.core.audit import audit
from events_app.core.db import for_update, is_integrity_error, write_transaction
from events_app.core.errors import Conflict, DomainError, NotFound
from events_app.core.clock import now
from events_app.events.tables import Session, SessionKind
from events_app.core.i18n import N_, format_time
from events_app.matchmaking import scheduler
from events_app.matchmaking.scheduler import slot_key, slot_times
from events_app.mou import follow_up, parties, rules
from events_app.mou.rules import COUNTED_AS_SIGNED
from events_app.mou.proposals import AGREED, MOU_COLUMNS, PROPOSED, check_conference, mou_products
from events_app.mou.tables import Mou


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
    check_conference(event)
    await follow_up.lapse_overdue(Mou.event == event["id"])
    rows = await Mou.select(*MOU_COLUMNS).where(Mou.event == event["id"]).order_by(Mou.created_at)
    products = await mou_products([row["id"] for row in rows])
    of = await parties.of_mous([row["id"] for row in rows])
    for row in rows:
        row["products"] = products[row["id"]]
        row["parties"] = of[row["id"]]
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
        "closed": [r for r in rows if r["status"] not in (PROPOSED, AGREED, *COUNTED_AS_SIGNED)],
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
    check_conference(event)
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
            await audit("mou.slot_assigned", actor_id=actor_id, target=("mou", mou_id),
                        detail={"signing_at": starts_at.isoformat()})
    except Exception as exc:
        if is_integrity_error(exc):
            raise Conflict(N_("The slot at %(time)s is already given to another MoU."), time=format_time(starts_at)) from exc
        raise


async def clear_slot(event: dict, mou_id: int, actor_id: int | None = None) -> None:
    async with write_transaction():
        row = await _event_mou(event, mou_id)
        if row["status"] != AGREED:
            raise Conflict(N_("Only agreed MoUs are signed at the ceremony."))
        await Mou.update({Mou.signing_session: None, Mou.signing_at: None}).where(Mou.id == mou_id)
        await audit("mou.slot_cleared", actor_id=actor_id, target=("mou", mou_id))


async def order_ceremony(event: dict, actor_id: int | None = None) -> tuple[int, int]:
    """Give every agreed MoU without a slot the next free one, oldest agreement first; returns (given, left)."""
    check_conference(event)
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
            await audit("mou.ceremony_ordered", actor_id=actor_id, target=("event", event["id"]), detail={"given": given})
    except Exception as exc:
        if is_integrity_error(exc):
            raise Conflict(N_("Someone changed the ceremony at the same moment; try again.")) from exc
        raise
    return given, len(waiting) - given


async def mark_signed(event: dict, mou_id: int, actor_id: int | None = None, *, at: dt.datetime | None = None) -> dt.datetime:
    """Record that the MoU was signed, now: from the start of its slot in the ceremony, never
    before (see rules.check_signing). Returns the moment recorded. Pages always record now();
    `at` is for a story told afterwards (the demo's history), and obeys the same rule."""
    check_conference(event)
    async with write_transaction():
        row = await _event_mou(event, mou_id)
        moment = at or now()
        status = rules.check_signing(row["status"], row["signing_at"], moment)
        await Mou.update({Mou.status: status, Mou.signed_at: moment}).where(Mou.id == mou_id)
        await audit("mou.signed", actor_id=actor_id, target=("mou", mou_id),
                    before={"status": row["status"], "signed_at": None}, after={"status": status, "signed_at": moment})
    return moment


async def totals(event_id: int) -> dict:
    """Signed MoUs (fulfilled since, too; not lapsed ones) of the event (number and value in VND) and how many agreed ones wait for the ceremony."""
    signed = await Mou.select(Mou.value_vnd).where((Mou.event == event_id) & Mou.status.is_in(list(COUNTED_AS_SIGNED)))
    return {
        "signed_count": len(signed),
        "signed_value": sum(row["value_vnd"] or 0 for row in signed),
        "agreed_waiting": await Mou.count().where((Mou.event == event_id) & (Mou.status == AGREED)),
    }
