"""Staff planning: venues and halls, events with their rules and life cycle, agendas, opening hours.

Plain values in (already typed by the web layer's form reader), rows out; every refusal is a
DomainError carrying the field it concerns when there is one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from events_app.core.clock import now
from events_app.core.audit import audit
from events_app.core.db import for_update, is_integrity_error, write_transaction
from events_app.core.slugs import unique_slug
from events_app.core.usage import Question
from events_app.core.errors import Conflict, DomainError, NotFound, ValidationError
from events_app.events.tables import (
    Attendance,
    Event,
    EventKind,
    EventStatus,
    Hall,
    OpeningHours,
    Session,
    SessionKind,
    Venue,
)
from events_app.core.i18n import N_, format_datetime, format_time
from events_app.reference.tables import ProductGroup, Province, Region

# Asked before a hall is deleted or an event's kind changes; the booths domain answers.
HALL_USES = Question("booths placed in a hall")
EVENT_USES = Question("booths or applications of an event")

# Venues and halls -------------------------------------------------------------------------------

@dataclass
class VenueInput:
    name: str
    province_id: int | None
    address: str = ""
    description: str = ""


async def list_venues() -> list[dict]:
    venues = await Venue.select(Venue.all_columns(), Venue.province.name.as_alias("province_name")).order_by(Venue.name)
    halls = await Hall.select().order_by(Hall.name)
    for venue in venues:
        venue["halls"] = [h for h in halls if h["venue"] == venue["id"]]
    return venues


async def get_venue(venue_id: int) -> dict:
    venue = await Venue.select(Venue.all_columns(), Venue.province.name.as_alias("province_name")).where(
        Venue.id == venue_id
    ).first()
    if venue is None:
        raise NotFound(N_("This venue does not exist."))
    venue["halls"] = await Hall.select().where(Hall.venue == venue_id).order_by(Hall.name)
    return venue


async def save_venue(venue_id: int | None, data: VenueInput, *, actor_id: int) -> int:
    errors: dict[str, DomainError] = {}
    if not data.name:
        errors["name"] = DomainError(N_("Enter the name of the venue."))
    if data.province_id is None or not await Province.exists().where(Province.id == data.province_id):
        errors["province_id"] = DomainError(N_("Choose the province."))
    if errors:
        raise ValidationError(errors)
    values = {Venue.name: data.name, Venue.province: data.province_id, Venue.address: data.address,
              Venue.description: data.description}
    if venue_id is None:
        venue = Venue(**{c._meta.name: v for c, v in values.items()}, slug=await unique_slug(Venue, data.name))
        await venue.save()
        venue_id = venue.id
        await audit("venue.created", actor_id=actor_id, target=("venue", venue_id))
    else:
        await get_venue(venue_id)
        await Venue.update(values).where(Venue.id == venue_id)
        await audit("venue.updated", actor_id=actor_id, target=("venue", venue_id))
    return venue_id


async def save_hall(venue_id: int, hall_id: int | None, name: str, width: int | None, depth: int | None) -> int:
    await get_venue(venue_id)
    errors: dict[str, DomainError] = {}
    if not name:
        errors["hall_name"] = DomainError(N_("Enter the name of the hall."))
    for key, value in (("width", width), ("depth", depth)):
        if value is None or not 1 <= value <= 1000:
            errors[key] = DomainError(N_("Enter a size between 1 and 1000 metres."))
    clash = Hall.exists().where((Hall.venue == venue_id) & (Hall.name == name))
    if hall_id is not None:
        clash = clash.where(Hall.id != hall_id)
    if name and await clash:
        errors["hall_name"] = DomainError(N_("This venue has a hall of that name already."))
    if errors:
        raise ValidationError(errors)
    if hall_id is None:
        hall = Hall(venue=venue_id, name=name, width=width, depth=depth)
        await hall.save()
        return hall.id
    updated = await Hall.update({Hall.name: name, Hall.width: width, Hall.depth: depth}).where(
        (Hall.id == hall_id) & (Hall.venue == venue_id)
    ).returning(Hall.id)
    if not updated:
        raise NotFound(N_("This hall does not exist."))
    return hall_id


async def delete_hall(venue_id: int, hall_id: int) -> None:
    if await HALL_USES.ask(hall_id):
        raise Conflict(N_("Booths are placed in this hall: remove them from the floor plans first."))
    deleted = await Hall.delete().where((Hall.id == hall_id) & (Hall.venue == venue_id)).returning(Hall.id)
    if not deleted:
        raise NotFound(N_("This hall does not exist."))


# Events -------------------------------------------------------------------------------------------

@dataclass
class EventInput:
    title_vi: str
    kind: str
    venue_id: int | None
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    title_en: str = ""
    province_id: int | None = None  # defaults to the venue's
    region_id: int | None = None  # defaults to the province's
    organiser: str = ""
    description: str = ""
    application_opens_at: dt.datetime | None = None
    application_closes_at: dt.datetime | None = None
    min_stars: int | None = None
    group_codes: list[str] = field(default_factory=list)
    province_ids: list[int] = field(default_factory=list)
    region_ids: list[int] = field(default_factory=list)
    producer_types: list[str] = field(default_factory=list)


async def list_all_events(status: str = "", kind: str = "") -> list[dict]:
    from events_app.events.services import EVENT_COLUMNS

    query = Event.select(*EVENT_COLUMNS).order_by(Event.starts_at, ascending=False)
    if status in {s.value for s in EventStatus}:
        query = query.where(Event.status == status)
    if kind in {k.value for k in EventKind}:
        query = query.where(Event.kind == kind)
    return await query


async def _check_event(data: EventInput, existing: dict | None) -> dict:
    errors: dict[str, DomainError] = {}
    if not data.title_vi:
        errors["title_vi"] = DomainError(N_("Enter the title in Vietnamese."))
    if data.kind not in {k.value for k in EventKind}:
        errors["kind"] = DomainError(N_("Choose the kind of event."))
    elif existing and data.kind != existing["kind"] and await _has_participants(existing["id"]):
        errors["kind"] = DomainError(N_("The kind cannot change once booths, applications or attendees exist."))
    venue = None
    if data.venue_id is not None:
        venue = await Venue.select(Venue.id, Venue.province).where(Venue.id == data.venue_id).first()
    if venue is None:
        errors["venue_id"] = DomainError(N_("Choose the venue."))
    if data.starts_at is None:
        errors.setdefault("starts_at", DomainError(N_("Enter when the event starts.")))
    if data.ends_at is None:
        errors.setdefault("ends_at", DomainError(N_("Enter when the event ends.")))
    if data.starts_at and data.ends_at and data.ends_at < data.starts_at:
        errors["ends_at"] = DomainError(N_("The event cannot end before it starts."))
    opens, closes = data.application_opens_at, data.application_closes_at
    if opens and closes and closes < opens:
        errors["application_closes_at"] = DomainError(N_("Applications cannot close before they open."))
    if closes and data.ends_at and closes > data.ends_at:
        errors["application_closes_at"] = DomainError(N_("Applications must close before the event ends."))
    if data.min_stars is not None and not 3 <= data.min_stars <= 5:
        errors["min_stars"] = DomainError(N_("OCOP stars go from 3 to 5."))
    province_id = data.province_id or (venue["province"] if venue else None)
    province = None
    if province_id is not None:
        province = await Province.select(Province.id, Province.region).where(Province.id == province_id).first()
    if province is None and "venue_id" not in errors:
        errors["province_id"] = DomainError(N_("Choose the province."))
    region_id = data.region_id or (province["region"] if province else None)
    if data.region_id and not await Region.exists().where(Region.id == data.region_id):
        errors["region_id"] = DomainError(N_("Choose the region."))
    if errors:
        raise ValidationError(errors)
    groups = await ProductGroup.select(ProductGroup.id).where(ProductGroup.code.is_in(data.group_codes or [""]))
    return {
        Event.title_vi: data.title_vi,
        Event.title_en: data.title_en,
        Event.kind: data.kind,
        Event.venue: data.venue_id,
        Event.province: province_id,
        Event.region: region_id,
        Event.starts_at: data.starts_at,
        Event.ends_at: data.ends_at,
        Event.organiser: data.organiser,
        Event.description: data.description,
        Event.application_opens_at: opens,
        Event.application_closes_at: closes,
        Event.min_stars: data.min_stars,
        Event.eligible_groups: sorted(g["id"] for g in groups),
        Event.eligible_provinces: sorted(set(data.province_ids)),
        Event.eligible_regions: sorted(set(data.region_ids)),
        Event.eligible_producer_types: sorted(set(data.producer_types)),
        Event.updated_at: now(),
    }


async def _has_participants(event_id: int) -> bool:
    return (
        await Attendance.exists().where(Attendance.event == event_id)
        or bool(await EVENT_USES.ask(event_id))
    )


async def create_event(data: EventInput, *, actor_id: int) -> dict:
    values = await _check_event(data, None)
    event = Event(**{column._meta.name: value for column, value in values.items()},
                  slug=await unique_slug(Event, data.title_vi), status=EventStatus.draft.value)
    try:
        await event.save()
    except Exception as exc:
        if is_integrity_error(exc):  # two events created with the same title at once
            raise Conflict(N_("An event with a similar title was created at the same moment. Please try again.")) from exc
        raise
    await audit("event.created", actor_id=actor_id, target=("event", event.id))
    return {"id": event.id, "slug": event.slug}


async def update_event(event_id: int, data: EventInput, *, actor_id: int) -> None:
    from events_app.events.services import get_event_by_id

    existing = await get_event_by_id(event_id)
    values = await _check_event(data, existing)
    await Event.update(values).where(Event.id == event_id)
    await audit("event.updated", actor_id=actor_id, target=("event", event_id))


# The life of an event: which action moves it from which status to which.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "publish": ((EventStatus.draft.value,), EventStatus.published.value),
    "unpublish": ((EventStatus.published.value,), EventStatus.draft.value),
    "close": ((EventStatus.published.value,), EventStatus.closed.value),
    "reopen": ((EventStatus.closed.value,), EventStatus.published.value),
    "cancel": ((EventStatus.draft.value, EventStatus.published.value), EventStatus.cancelled.value),
}

STATUS_MESSAGES = {
    "publish": N_("The event is published: it shows on /events, the calendar and the feeds."),
    "unpublish": N_("The event is a draft again and no longer public."),
    "close": N_("The event is closed."),
    "reopen": N_("The event is published again."),
    "cancel": N_("The event is cancelled."),
}


async def change_status(event_id: int, action: str, *, actor_id: int) -> str:
    if action not in TRANSITIONS:
        raise DomainError(N_("This action is not possible here"))
    allowed_from, target = TRANSITIONS[action]
    async with write_transaction():
        event = await for_update(Event.select(Event.id, Event.status).where(Event.id == event_id)).first()
        if event is None:
            raise NotFound(N_("This event does not exist."))
        if event["status"] not in allowed_from:
            raise Conflict(N_("This cannot be done to an event with its current status."))
        if action == "unpublish" and await _has_participants(event_id):
            raise Conflict(N_("Producers have applied or registered already: close or cancel the event instead."))
        await Event.update({Event.status: target, Event.updated_at: now()}).where(Event.id == event_id)
    await audit(f"event.{action}", actor_id=actor_id, target=("event", event_id))
    return STATUS_MESSAGES[action]


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
            if session_id is None:
                session = Session(event=event_id, **{c._meta.name: v for c, v in values.items()})
                await session.save()
                session_id = session.id
            else:
                updated = await Session.update(values).where(
                    (Session.id == session_id) & (Session.event == event_id)
                ).returning(Session.id)
                if not updated:
                    raise NotFound(N_("This session does not exist."))
    except Exception as exc:
        if is_integrity_error(exc):
            raise Conflict(N_("%(room)s is taken at that time by another session."), room=data.room) from exc
        raise
    await audit("session.saved", actor_id=actor_id, target=("session", session_id))
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
    deleted = await Session.delete().where((Session.id == session_id) & (Session.event == event_id)).returning(Session.id)
    if not deleted:
        raise NotFound(N_("This session does not exist."))
    await audit("session.deleted", actor_id=actor_id, target=("session", session_id))


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
        await OpeningHours.delete().where(OpeningHours.event == event_id)
        for weekday, span in sorted(hours.items()):
            if span:
                await OpeningHours(event=event_id, weekday=weekday, opens_at=span[0], closes_at=span[1]).save()
    await audit("event.opening_hours", actor_id=actor_id, target=("event", event_id))
