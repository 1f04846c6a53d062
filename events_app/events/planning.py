"""Staff planning of events: their details, eligibility rules and life cycle.

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
from events_app.core.transitions import StatusMachine, transition
from events_app.core.usage import Question
from events_app.core.errors import Conflict, DomainError, NotFound, ValidationError
from events_app.events.tables import (
    Attendance,
    Event,
    EventKind,
    EventStatus,
    Venue,
)
from events_app.core.i18n import N_
from events_app.reference.tables import ProductGroup, Province, Region


# Events -------------------------------------------------------------------------------------------

# Asked before an event's kind changes or it is unpublished; the booths domain answers.
EVENT_USES = Question("booths or applications of an event")

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
        async with write_transaction():
            await event.save()
            await audit("event.created", actor_id=actor_id, target=("event", event.id), after=values)
    except Exception as exc:
        if is_integrity_error(exc):  # two events created with the same title at once
            raise Conflict(N_("An event with a similar title was created at the same moment. Please try again.")) from exc
        raise
    return {"id": event.id, "slug": event.slug}


async def update_event(event_id: int, data: EventInput, *, actor_id: int) -> None:
    from events_app.events.services import get_event_by_id

    existing = await get_event_by_id(event_id)
    values = await _check_event(data, existing)
    async with write_transaction():
        before = await for_update(Event.select(*values).where(Event.id == event_id)).first()
        if before is None:
            raise NotFound(N_("This event does not exist."))
        await Event.update(values).where(Event.id == event_id)
        await audit("event.updated", actor_id=actor_id, target=("event", event_id), before=before, after=values)


# The life of an event: which action moves it from which status to which.
EVENTS = StatusMachine({
    "publish": transition((EventStatus.draft,), EventStatus.published,
                          N_("This cannot be done to an event with its current status.")),
    "unpublish": transition((EventStatus.published,), EventStatus.draft,
                            N_("This cannot be done to an event with its current status.")),
    "close": transition((EventStatus.published,), EventStatus.closed,
                        N_("This cannot be done to an event with its current status.")),
    "reopen": transition((EventStatus.closed,), EventStatus.published,
                         N_("This cannot be done to an event with its current status.")),
    "cancel": transition((EventStatus.draft, EventStatus.published), EventStatus.cancelled,
                         N_("This cannot be done to an event with its current status.")),
})

STATUS_MESSAGES = {
    "publish": N_("The event is published: it shows on /events, the calendar and the feeds."),
    "unpublish": N_("The event is a draft again and no longer public."),
    "close": N_("The event is closed."),
    "reopen": N_("The event is published again."),
    "cancel": N_("The event is cancelled."),
}


async def change_status(event_id: int, action: str, *, actor_id: int) -> str:
    if action not in EVENTS.transitions:
        raise DomainError(N_("This action is not possible here"))
    async with write_transaction():
        event = await for_update(Event.select(Event.id, Event.status).where(Event.id == event_id)).first()
        if event is None:
            raise NotFound(N_("This event does not exist."))
        target = EVENTS.after(action, event["status"])
        if action == "unpublish" and await _has_participants(event_id):
            raise Conflict(N_("Producers have applied or registered already: close or cancel the event instead."))
        await Event.update({Event.status: target, Event.updated_at: now()}).where(Event.id == event_id)
        await audit(f"event.{action}", actor_id=actor_id, target=("event", event_id),
                    before={"status": event["status"]}, after={"status": target})
    return STATUS_MESSAGES[action]
