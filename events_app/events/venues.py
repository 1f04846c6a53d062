"""Staff planning of places: venues and the halls inside them.

Plain values in (already typed by the web layer's form reader), rows out; every refusal is a
DomainError carrying the field it concerns when there is one.
"""

from __future__ import annotations

from dataclasses import dataclass

from events_app.core.audit import audit
from events_app.core.db import for_update, write_transaction
from events_app.core.slugs import unique_slug
from events_app.core.usage import Question
from events_app.core.errors import Conflict, DomainError, NotFound, ValidationError
from events_app.events.tables import (
    Hall,
    Venue,
)
from events_app.core.i18n import N_
from events_app.reference.tables import Province


# Venues and halls -------------------------------------------------------------------------------

# Asked before a hall is deleted; the booths domain answers.
HALL_USES = Question("booths placed in a hall")

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
    async with write_transaction():
        if venue_id is None:
            venue = Venue(**{c._meta.name: v for c, v in values.items()}, slug=await unique_slug(Venue, data.name))
            await venue.save()
            venue_id = venue.id
            await audit("venue.created", actor_id=actor_id, target=("venue", venue_id), after=values)
        else:
            before = await for_update(Venue.select(*values).where(Venue.id == venue_id)).first()
            if before is None:
                raise NotFound(N_("This venue does not exist."))
            await Venue.update(values).where(Venue.id == venue_id)
            await audit("venue.updated", actor_id=actor_id, target=("venue", venue_id), before=before, after=values)
    return venue_id


async def save_hall(venue_id: int, hall_id: int | None, name: str, width: int | None, depth: int | None,
                    *, actor_id: int | None = None) -> int:
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
    values = {Hall.name: name, Hall.width: width, Hall.depth: depth}
    async with write_transaction():
        if hall_id is None:
            hall = Hall(venue=venue_id, name=name, width=width, depth=depth)
            await hall.save()
            await audit("hall.created", actor_id=actor_id, target=("hall", hall.id),
                        detail={"venue": venue_id}, after=values)
            return hall.id
        before = await for_update(
            Hall.select(*values).where((Hall.id == hall_id) & (Hall.venue == venue_id))
        ).first()
        if before is None:
            raise NotFound(N_("This hall does not exist."))
        await Hall.update(values).where(Hall.id == hall_id)
        await audit("hall.updated", actor_id=actor_id, target=("hall", hall_id),
                    detail={"venue": venue_id}, before=before, after=values)
    return hall_id


async def delete_hall(venue_id: int, hall_id: int, *, actor_id: int | None = None) -> None:
    async with write_transaction():
        if await HALL_USES.ask(hall_id):
            raise Conflict(N_("Booths are placed in this hall: remove them from the floor plans first."))
        deleted = await Hall.delete().where((Hall.id == hall_id) & (Hall.venue == venue_id)).returning(
            Hall.name, Hall.width, Hall.depth
        )
        if not deleted:
            raise NotFound(N_("This hall does not exist."))
        await audit("hall.deleted", actor_id=actor_id, target=("hall", hall_id),
                    detail={"venue": venue_id}, before=deleted[0])
