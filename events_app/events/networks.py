"""Showroom networks: several showroom points at tourist sites run under one programme, with
their opening hours combined into one week.

Plain values in (already typed by the web layer's form reader), rows out; every refusal is a
DomainError carrying the field it concerns. `week_table` is pure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from events_app.core.audit import audit
from events_app.core.db import for_update, is_integrity_error, write_transaction
from events_app.core.errors import Conflict, DomainError, NotFound, ValidationError
from events_app.core.i18n import N_
from events_app.core.slugs import unique_slug
from events_app.events.tables import Event, EventKind, EventStatus, OpeningHours, ShowroomNetwork

WEEKDAYS = range(7)  # 0 is Monday
PUBLIC_POINT_STATUSES = (EventStatus.published.value, EventStatus.closed.value)

POINT_COLUMNS = (
    Event.id, Event.slug, Event.title_vi, Event.title_en, Event.status, Event.starts_at, Event.ends_at,
    Event.tourist_site, Event.network,
    Event.venue.name.as_alias("venue_name"),
    Event.venue.address.as_alias("venue_address"),
    Event.province.name.as_alias("province_name"),
)


@dataclass
class NetworkInput:
    name: str
    organiser: str = ""
    description: str = ""


# Reading --------------------------------------------------------------------------------------

async def list_networks(*, public: bool = True) -> list[dict]:
    """Networks by name, each with how many points it has (visitors count public points only,
    and see no network without one)."""
    networks = await ShowroomNetwork.select().order_by(ShowroomNetwork.name)
    query = Event.select(Event.network).where(Event.network.is_not_null())
    if public:
        query = query.where(Event.status.is_in(list(PUBLIC_POINT_STATUSES)))
    counted: dict[int, int] = {}
    for row in await query:
        counted[row["network"]] = counted.get(row["network"], 0) + 1
    out = [{**network, "points_count": counted.get(network["id"], 0)} for network in networks]
    return [n for n in out if n["points_count"]] if public else out


async def get_network(slug: str) -> dict:
    network = await ShowroomNetwork.select().where(ShowroomNetwork.slug == slug).first()
    if network is None:
        raise NotFound(N_("This showroom network does not exist."))
    return network


async def get_network_by_id(network_id: int) -> dict:
    network = await ShowroomNetwork.select().where(ShowroomNetwork.id == network_id).first()
    if network is None:
        raise NotFound(N_("This showroom network does not exist."))
    return network


async def points_of(network_id: int, *, public: bool = True) -> list[dict]:
    """The network's showroom points, oldest first (the same order on every engine, whatever its
    collation); visitors see published and closed ones only."""
    query = Event.select(*POINT_COLUMNS).where(Event.network == network_id).order_by(Event.id)
    if public:
        query = query.where(Event.status.is_in(list(PUBLIC_POINT_STATUSES)))
    return await query


async def hours_of(event_ids: list[int]) -> list[dict]:
    if not event_ids:
        return []
    return await OpeningHours.select().where(OpeningHours.event.is_in(event_ids)).order_by(
        OpeningHours.weekday, OpeningHours.opens_at)


async def network_of(event: dict) -> dict | None:
    """The network an event belongs to, for its page's link; None when it has none."""
    if not event.get("network"):
        return None
    return await ShowroomNetwork.select(ShowroomNetwork.name, ShowroomNetwork.slug).where(
        ShowroomNetwork.id == event["network"]).first()


async def unattached_showrooms() -> list[dict]:
    """Showrooms in no network yet, that staff may attach to one."""
    return await Event.select(Event.id, Event.title_vi, Event.status).where(
        (Event.kind == EventKind.showroom.value) & Event.network.is_null()
        & (Event.status != EventStatus.cancelled.value)
    ).order_by(Event.title_vi)


# The combined week ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Span:
    opens_at: dt.time
    closes_at: dt.time


@dataclass
class WeekDay:
    weekday: int
    # Per point, in the order of the points: its spans that day (empty when closed).
    cells: list[list[Span]] = field(default_factory=list)

    @property
    def open_points(self) -> int:
        return sum(1 for cell in self.cells if cell)

    @property
    def first_opening(self) -> dt.time | None:
        return min((span.opens_at for cell in self.cells for span in cell), default=None)

    @property
    def last_closing(self) -> dt.time | None:
        return max((span.closes_at for cell in self.cells for span in cell), default=None)


def week_table(point_ids: list[int], hours: list[dict]) -> list[WeekDay]:
    """Monday to Sunday, which of the points open when: one row per weekday, one cell per point
    (its opening spans that day, empty when closed), and the network's first opening and last
    closing of the day."""
    per: dict[tuple[int, int], list[Span]] = {}
    for row in hours:
        per.setdefault((row["event"], row["weekday"]), []).append(Span(row["opens_at"], row["closes_at"]))
    return [
        WeekDay(weekday, [sorted(per.get((point, weekday), []), key=lambda s: s.opens_at) for point in point_ids])
        for weekday in WEEKDAYS
    ]


# Staff's changes ------------------------------------------------------------------------------

def _check(data: NetworkInput) -> None:
    if not data.name:
        raise ValidationError({"name": DomainError(N_("Enter the name of the network."))})


async def save_network(network_id: int | None, data: NetworkInput, *, actor_id: int) -> int:
    _check(data)
    values = {ShowroomNetwork.name: data.name, ShowroomNetwork.organiser: data.organiser,
              ShowroomNetwork.description: data.description}
    try:
        async with write_transaction():
            if network_id is None:
                network = ShowroomNetwork(**{c._meta.name: v for c, v in values.items()},
                                          slug=await unique_slug(ShowroomNetwork, data.name))
                await network.save()
                network_id = network.id
                await audit("network.created", actor_id=actor_id, target=("showroom_network", network_id),
                            detail={"name": data.name})
            else:
                updated = await ShowroomNetwork.update(values).where(ShowroomNetwork.id == network_id).returning(
                    ShowroomNetwork.id)
                if not updated:
                    raise NotFound(N_("This showroom network does not exist."))
                await audit("network.updated", actor_id=actor_id, target=("showroom_network", network_id),
                            detail={"name": data.name})
    except Exception as exc:
        if is_integrity_error(exc):  # two networks of the same name created at once
            raise Conflict(N_("A network with a similar name was created at the same moment. Please try again.")) from exc
        raise
    return network_id


async def attach_point(network_id: int, event_id: int | None, tourist_site: str, *, actor_id: int) -> None:
    """Make a showroom a point of the network (or change the tourist site it serves)."""
    if event_id is None:
        raise ValidationError({"event_id": DomainError(N_("Choose a showroom."))})
    async with write_transaction():
        network = await for_update(ShowroomNetwork.select(ShowroomNetwork.id).where(ShowroomNetwork.id == network_id)).first()
        if network is None:
            raise NotFound(N_("This showroom network does not exist."))
        event = await for_update(
            Event.select(Event.id, Event.kind, Event.network, Event.tourist_site).where(Event.id == event_id)).first()
        if event is None or event["kind"] != EventKind.showroom.value:
            raise ValidationError({"event_id": DomainError(N_("Only showrooms can be points of a network."))})
        if event["network"] not in (None, network_id):
            raise ValidationError({"event_id": DomainError(N_("This showroom is a point of another network already."))})
        await Event.update({Event.network: network_id, Event.tourist_site: tourist_site}).where(Event.id == event_id)
        await audit("network.point_attached", actor_id=actor_id, target=("event", event_id),
                    detail={"network": network_id, "tourist_site": tourist_site})


async def detach_point(network_id: int, event_id: int, *, actor_id: int) -> None:
    async with write_transaction():
        detached = await Event.update({Event.network: None}).where(
            (Event.id == event_id) & (Event.network == network_id)).returning(Event.id)
        if not detached:
            raise NotFound(N_("This showroom is not a point of this network."))
        await audit("network.point_detached", actor_id=actor_id, target=("event", event_id),
                    detail={"network": network_id})
