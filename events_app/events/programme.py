"""An event's programme: its agenda of sessions, and a showroom's weekly opening hours.

Plain values in (already typed by the web layer's form reader), rows out; every refusal is a
DomainError carrying the field it concerns when there is one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from events_app.core.audit import audit
from events_app.core.db import for_update, is_integrity_error, write_transaction
from events_app.core.errors import Conflict, DomainError, NotFound, ValidationError
from events_app.events.tables import (
    Event,
    OpeningHours,
    Session,
    SessionKind,
)
from events_app.core.i18n import N_, format_datetime, format_time


# Agenda -------------------------------------------------------------------------------------------

@dataclass
class SessionInput:
    title: str
    kind: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    room: str = ""
    tables_count: int | None = 0
    slot_minutes: int | None = 0


async def save_session(event_id: int, session_id: int | None, data: SessionInput, *, actor_id: int) -> int:
    from events_app.events.services import get_event_by_id

    event = await get_event_by_id(event_id)
    errors: dict[str, DomainError] = {}
    if not data.title:
        errors["title"] = DomainError(N_("Enter the title of the session."))
    if data.kind not in {k.value for k in SessionKind}:
        errors["kind"] = DomainError(N_("Choose the kind of session."))
    if data.starts_at is None:
        errors.setdefault("starts_at", DomainError(N_("Enter when the session starts.")))
    if data.ends_at is None:
        errors.setdefault("ends_at", DomainError(N_("Enter when the session ends.")))
    if data.starts_at and data.ends_at:
        if data.ends_at <= data.starts_at:
            errors["ends_at"] = DomainError(N_("The session must end after it starts."))
        elif data.starts_at < event["starts_at"] or data.ends_at > event["ends_at"]:
            errors["starts_at"] = DomainError(
                N_("The session must take place during the event (%(start)s – %(end)s)."),
                start=format_datetime(event["starts_at"]), end=format_datetime(event["ends_at"]),
            )
    tables, slot = data.tables_count or 0, data.slot_minutes or 0
    if data.kind == SessionKind.b2b.value and (tables < 1 or slot < 5):
        errors["tables_count"] = DomainError(N_("A B2B session needs at least one table and slots of 5 minutes or more."))
    if tables < 0 or tables > 500:
        errors["tables_count"] = DomainError(N_("Enter a number of at most %(n)d."), n=500)
    if slot < 0 or slot > 240:
        errors["slot_minutes"] = DomainError(N_("Enter a number of at most %(n)d."), n=240)
    if errors:
        raise ValidationError(errors)

    values = {
        Session.title: data.title, Session.kind: data.kind, Session.starts_at: data.starts_at,
        Session.ends_at: data.ends_at, Session.room: data.room, Session.tables_count: tables, Session.slot_minutes: slot,
    }
    try:
        async with write_transaction():
            # Lock the event so two sessions cannot take the same room at once.
            await for_update(Event.select(Event.id).where(Event.id == event_id)).first()
            if data.room:
                clash = await _room_clash(event_id, session_id, data)
                if clash:
                    raise Conflict(
                        N_("%(room)s is taken by “%(title)s” from %(start)s to %(end)s."),
                        room=data.room, title=clash["title"],
                        start=format_datetime(clash["starts_at"]), end=format_time(clash["ends_at"]),
                    )
            before = None
            if session_id is None:
                session = Session(event=event_id, **{c._meta.name: v for c, v in values.items()})
                await session.save()
                session_id = session.id
            else:
                before = await Session.select(*values).where(
                    (Session.id == session_id) & (Session.event == event_id)
                ).first()
                if before is None:
                    raise NotFound(N_("This session does not exist."))
                await Session.update(values).where(Session.id == session_id)
            await audit("session.saved", actor_id=actor_id, target=("session", session_id),
                        detail={"event": event_id}, before=before, after=values)
    except Exception as exc:
        if is_integrity_error(exc):
            raise Conflict(N_("%(room)s is taken at that time by another session."), room=data.room) from exc
        raise
    return session_id


async def _room_clash(event_id: int, session_id: int | None, data: SessionInput) -> dict | None:
    query = Session.select(Session.title, Session.starts_at, Session.ends_at).where(
        (Session.event == event_id)
        & (Session.room == data.room)
        & (Session.starts_at < data.ends_at)
        & (Session.ends_at > data.starts_at)
    )
    if session_id is not None:
        query = query.where(Session.id != session_id)
    return await query.first()


async def delete_session(event_id: int, session_id: int, *, actor_id: int) -> None:
    async with write_transaction():
        deleted = await Session.delete().where((Session.id == session_id) & (Session.event == event_id)).returning(
            Session.title, Session.kind, Session.starts_at, Session.ends_at, Session.room
        )
        if not deleted:
            raise NotFound(N_("This session does not exist."))
        await audit("session.deleted", actor_id=actor_id, target=("session", session_id),
                    detail={"event": event_id}, before=deleted[0])


# Showroom opening hours -----------------------------------------------------------------------

async def set_opening_hours(event_id: int, hours: dict[int, tuple[dt.time, dt.time] | None], *, actor_id: int) -> None:
    """Replace the weekly hours; `hours` maps weekday (0 = Monday) to (opens, closes) or None when closed."""
    errors: dict[str, DomainError] = {}
    for weekday, span in hours.items():
        if span and span[1] <= span[0]:
            errors[f"closes_{weekday}"] = DomainError(N_("Closing time must come after opening time."))
    if errors:
        raise ValidationError(errors)
    async with write_transaction():
        before = {str(row["weekday"]): [row["opens_at"], row["closes_at"]] for row in await OpeningHours.select(
            OpeningHours.weekday, OpeningHours.opens_at, OpeningHours.closes_at).where(OpeningHours.event == event_id)}
        await OpeningHours.delete().where(OpeningHours.event == event_id)
        for weekday, span in sorted(hours.items()):
            if span:
                await OpeningHours(event=event_id, weekday=weekday, opens_at=span[0], closes_at=span[1]).save()
        await audit("event.opening_hours", actor_id=actor_id, target=("event", event_id), before=before,
                    after={str(weekday): list(span) for weekday, span in sorted(hours.items()) if span})
