"""Staff lay out an event's booths: a grid at a time, then booth by booth.

Codes are unique per event and booths stay on their hall's floor; a booth someone holds is
neither blocked nor deleted. The unique index on (event, code) is the last defence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from events_app.core.audit import audit
from events_app.booths import floorplan, geometry
from events_app.booths.tables import Booth, BoothRental, BoothType, PlanFeature, RentalStatus
from events_app.core.db import for_update, is_integrity_error, lock_names, write_transaction
from events_app.core.errors import Conflict, DomainError, NotFound, ValidationError
from events_app.events.tables import Event, Hall
from events_app.core.i18n import N_
from events_app.core.labels import label

PREFIX_RE = re.compile(r"^[A-Z0-9]{1,8}$")
CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,19}$")
MAX_ROWS, MAX_COLUMNS = 30, 40
SHOWN_CODES = 12  # codes listed in a message before "…"


@dataclass(frozen=True)
class GridRequest:
    hall_id: int
    rows: int
    columns: int
    prefix: str
    booth_type: str
    price: int
    width: float
    depth: float
    origin_x: float
    origin_y: float
    first_number: int = 1


@dataclass(frozen=True)
class BoothChanges:
    code: str
    booth_type: str
    hall_id: int | None
    width: float
    depth: float
    price: int
    x: float
    y: float
    is_blocked: bool


def code_list(codes: list[str]) -> str:
    shown = ", ".join(codes[:SHOWN_CODES])
    return shown + (", …" if len(codes) > SHOWN_CODES else "")


def normalise_code(text: str) -> str:
    return text.strip().upper()


async def lock_floor(event_id: int) -> None:
    """Serialise the changes to one event's floor plan (SQLite: the write transaction already does)."""
    await lock_names(f"booths.floor-plan:{event_id}")


async def hall_of(event: dict, hall_id: int | None) -> dict | None:
    if hall_id is None:
        return None
    return await Hall.select().where((Hall.id == hall_id) & (Hall.venue == event["venue"])).first()


async def shapes(event_id: int, hall_id: int) -> list[geometry.Shape]:
    """The booths and features that stand on a hall for the event."""
    booths = await Booth.select(Booth.id, Booth.code, Booth.x, Booth.y, Booth.width, Booth.depth).where(
        (Booth.event == event_id) & (Booth.hall == hall_id))
    features = await PlanFeature.select().where((PlanFeature.event == event_id) & (PlanFeature.hall == hall_id))
    return [
        *(geometry.Shape(b["code"], geometry.Rect(b["x"], b["y"], b["width"], b["depth"]), "booth", b["id"])
          for b in booths),
        *(geometry.Shape(feature_name(f), geometry.Rect(f["x"], f["y"], f["width"], f["depth"]), f["kind"], f["id"])
          for f in features),
    ]


def feature_name(feature: dict) -> str:
    """A feature as a message names it: its label, else its kind ("Sân khấu")."""
    return feature["label"] or label("feature_kind", feature["kind"])


def _check_values(errors: dict[str, DomainError], booth_type: str, width: float, depth: float, price: int) -> None:
    if booth_type not in {t.value for t in BoothType}:
        errors["booth_type"] = DomainError(N_("Choose one of the options."))
    if width <= 0:
        errors["width"] = DomainError(N_("Enter a size greater than zero."))
    if depth <= 0:
        errors["depth"] = DomainError(N_("Enter a size greater than zero."))
    if price < 0:
        errors["price"] = DomainError(N_("Enter an amount of zero or more."))


async def generate_grid(event: dict, request: GridRequest, *, staff_id: int, ip: str = "") -> list[str]:
    """Add a grid of booths to a hall; every problem is reported at once and nothing is written then."""
    errors: dict[str, DomainError] = {}
    prefix = normalise_code(request.prefix)
    hall = await hall_of(event, request.hall_id)
    if hall is None:
        errors["hall_id"] = DomainError(N_("Choose a hall of this event's venue."))
    if not PREFIX_RE.match(prefix):
        errors["prefix"] = DomainError(N_("Use 1 to 8 letters or digits, without accents, e.g. A."))
    if not 1 <= request.rows <= MAX_ROWS:
        errors["rows"] = DomainError(N_("Enter a number from 1 to %(n)d."), n=MAX_ROWS)
    if not 1 <= request.columns <= MAX_COLUMNS:
        errors["columns"] = DomainError(N_("Enter a number from 1 to %(n)d."), n=MAX_COLUMNS)
    if request.first_number < 1:
        errors["first_number"] = DomainError(N_("Enter a number of at least %(n)d."), n=1)
    if request.origin_x < 0:
        errors["origin_x"] = DomainError(N_("Enter a number of at least %(n)s."), n=0)
    if request.origin_y < 0:
        errors["origin_y"] = DomainError(N_("Enter a number of at least %(n)s."), n=0)
    _check_values(errors, request.booth_type, request.width, request.depth, request.price)
    if errors:
        raise ValidationError(errors)
    spots = floorplan.grid(
        request.rows,
        request.columns,
        prefix,
        width=request.width,
        depth=request.depth,
        origin=(request.origin_x, request.origin_y),
        first_number=request.first_number,
    )
    assert hall is not None
    off_floor = floorplan.outside(spots, hall["width"], hall["depth"])
    if off_floor:
        errors["layout"] = DomainError(
            N_("These booths would fall outside %(hall)s (%(width)s × %(depth)s m): %(codes)s. "
               "Use fewer rows or columns, smaller booths or another origin."),
            hall=hall["name"], width=hall["width"], depth=hall["depth"], codes=code_list(off_floor),
        )
        raise ValidationError(errors)
    try:
        async with write_transaction():
            # One layout change per event at a time: the codes checked stay free until written.
            await for_update(Event.select(Event.id).where(Event.id == event["id"]))
            await lock_floor(event["id"])
            taken = await _taken_codes(event["id"], [spot.code for spot in spots])
            if taken:
                raise ValidationError(
                    {"prefix": DomainError(N_("These codes are already taken: %(codes)s. Choose another prefix or first number."),
                                           codes=code_list(taken))}
                )
            standing = await shapes(event["id"], hall["id"])
            crossing = [spot.code for spot in spots
                        if geometry.clashes(geometry.Rect(spot.x, spot.y, spot.width, spot.depth), standing)]
            if crossing:
                raise ValidationError({"layout": DomainError(
                    N_("These booths would overlap booths or features already on the plan: %(codes)s. "
                       "Choose another origin."), codes=code_list(crossing))})
            await Booth.insert(
                *[
                    Booth(
                        event=event["id"], hall=hall["id"], code=spot.code, booth_type=request.booth_type,
                        price=request.price, x=spot.x, y=spot.y, width=spot.width, depth=spot.depth,
                    )
                    for spot in spots
                ]
            )
            await audit(
                "booths.grid", actor_id=staff_id, target=("event", event["id"]), ip=ip,
                detail={"hall": hall["name"], "codes": [spots[0].code, spots[-1].code], "count": len(spots)},
            )
    except Exception as exc:
        if is_integrity_error(exc):
            raise Conflict(N_("Some of these booth codes were taken meanwhile; reload the page and try again.")) from exc
        raise
    return [spot.code for spot in spots]


async def _taken_codes(event_id: int, codes: list[str]) -> list[str]:
    rows = await Booth.select(Booth.code).where((Booth.event == event_id) & Booth.code.is_in(codes))
    taken = {row["code"] for row in rows}
    return [code for code in codes if code in taken]


async def get_booth(event_id: int, booth_id: int) -> dict:
    booth = await Booth.select().where((Booth.id == booth_id) & (Booth.event == event_id)).first()
    if booth is None:
        raise NotFound(N_("This booth does not exist."))
    return booth


async def _live_rental(booth_id: int) -> dict | None:
    return await (
        BoothRental.select(BoothRental.id, BoothRental.producer.name.as_alias("producer_name"))
        .where((BoothRental.booth == booth_id) & (BoothRental.status != RentalStatus.cancelled))
        .first()
    )


async def _lock_booth(event_id: int, booth_id: int) -> dict:
    booth = await for_update(Booth.select().where((Booth.id == booth_id) & (Booth.event == event_id))).first()
    if booth is None:
        raise NotFound(N_("This booth does not exist."))
    return booth


async def update_booth(event: dict, booth_id: int, changes: BoothChanges, *, staff_id: int, ip: str = "") -> None:
    errors: dict[str, DomainError] = {}
    code = normalise_code(changes.code)
    if not CODE_RE.match(code):
        errors["code"] = DomainError(N_("Use letters, digits and dashes, without accents, e.g. A-01."))
    hall = await hall_of(event, changes.hall_id)
    if changes.hall_id is not None and hall is None:
        errors["hall_id"] = DomainError(N_("Choose a hall of this event's venue."))
    if changes.x < 0:
        errors["x"] = DomainError(N_("Enter a number of at least %(n)s."), n=0)
    if changes.y < 0:
        errors["y"] = DomainError(N_("Enter a number of at least %(n)s."), n=0)
    _check_values(errors, changes.booth_type, changes.width, changes.depth, changes.price)
    if not errors and hall is not None:
        spot = floorplan.BoothSpot(code, changes.x, changes.y, changes.width, changes.depth)
        if floorplan.outside([spot], hall["width"], hall["depth"]):
            errors["x"] = DomainError(
                N_("The booth would fall outside %(hall)s (%(width)s × %(depth)s m)."),
                hall=hall["name"], width=hall["width"], depth=hall["depth"],
            )
    if errors:
        raise ValidationError(errors)
    try:
        async with write_transaction():
            await lock_floor(event["id"])
            before = await _lock_booth(event["id"], booth_id)
            if hall is not None:
                rect = geometry.Rect(changes.x, changes.y, changes.width, changes.depth)
                problem = geometry.placement_error(rect, hall, await shapes(event["id"], hall["id"]), ignore=[booth_id])
                if problem is not None:
                    raise ValidationError({"x": problem})
            if await Booth.exists().where((Booth.event == event["id"]) & (Booth.code == code) & (Booth.id != booth_id)):
                raise ValidationError({"code": DomainError(N_("The code %(code)s is already taken."), code=code)})
            if changes.is_blocked and not before["is_blocked"]:
                holder = await _live_rental(booth_id)
                if holder:
                    raise ValidationError(
                        {"is_blocked": DomainError(
                            N_("%(producer)s holds this booth: cancel or move that application before blocking it."),
                            producer=holder["producer_name"])}
                    )
            await Booth.update(
                {
                    Booth.code: code, Booth.booth_type: changes.booth_type, Booth.hall: changes.hall_id,
                    Booth.width: changes.width, Booth.depth: changes.depth, Booth.price: changes.price,
                    Booth.x: changes.x, Booth.y: changes.y, Booth.is_blocked: changes.is_blocked,
                }
            ).where(Booth.id == booth_id)
            await audit("booths.update", actor_id=staff_id, target=("booth", booth_id), ip=ip,
                        detail={"code": code, "was": before["code"], "blocked": changes.is_blocked})
    except Exception as exc:
        if is_integrity_error(exc):
            raise ValidationError({"code": DomainError(N_("The code %(code)s is already taken."), code=code)}) from exc
        raise


async def delete_booth(event: dict, booth_id: int, *, staff_id: int, ip: str = "") -> str:
    async with write_transaction():
        await lock_floor(event["id"])
        booth = await _lock_booth(event["id"], booth_id)
        holder = await _live_rental(booth_id)
        if holder:
            raise Conflict(
                N_("Booth %(code)s is held by %(producer)s: cancel or move that application before deleting the booth."),
                code=booth["code"], producer=holder["producer_name"],
            )
        await Booth.delete().where(Booth.id == booth_id)
        await audit("booths.delete", actor_id=staff_id, target=("booth", booth_id), ip=ip, detail={"code": booth["code"]})
    return booth["code"]
