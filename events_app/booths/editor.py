"""The floor-plan editor's writes: booths added, moved, resized, retyped, merged, split; aisles,
the entrance, the stage and pillars drawn; a price set for each type of booth.

Every change runs in one write transaction that first takes the lock of the event's floor plan
(`lock_floor`), then reads what stands on the hall and checks the change against it with the pure
rules of `booths.geometry`: two staff editing one hall at once are served one after the other, so
neither can place a booth where the other just did. The unique index on (event, code) stays the
last defence for codes. Each change is audited in its own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from events_app.booths import geometry, layout
from events_app.booths.layout import feature_name, hall_of, lock_floor, shapes
from events_app.booths.floorplan import code_order
from events_app.booths.rules import LIVE_STATUSES
from events_app.booths.tables import (
    AllocationMark,
    ApplicationStatus,
    Booth,
    BoothHold,
    BoothPreference,
    BoothRental,
    BoothType,
    BoothTypePrice,
    FeatureKind,
    MarkKind,
    PlanFeature,
    RentalStatus,
)
from events_app.core.audit import audit
from events_app.core.clock import now
from events_app.core.db import for_update, is_integrity_error, write_transaction
from events_app.core.errors import Conflict, DomainError, NotFound, ValidationError
from events_app.core.i18n import N_, gettext

BOOTH_TYPES = [t.value for t in BoothType]
FEATURE_KINDS = [k.value for k in FeatureKind]
MAX_LABEL = 60


@dataclass(frozen=True)
class Placement:
    """Where a booth stands and what it is; the code only for a new booth."""

    x: float
    y: float
    width: float
    depth: float
    booth_type: str
    price: int | None  # None: the fair's price for the type
    hall_id: int | None = None
    code: str = ""

    @property
    def rect(self) -> geometry.Rect:
        return geometry.Rect(self.x, self.y, self.width, self.depth)


@dataclass(frozen=True)
class FeatureRequest:
    hall_id: int
    kind: str
    label: str
    x: float
    y: float
    width: float
    depth: float

    @property
    def rect(self) -> geometry.Rect:
        return geometry.Rect(self.x, self.y, self.width, self.depth)


async def features_of(event_id: int) -> list[dict]:
    return await PlanFeature.select().where(PlanFeature.event == event_id).order_by(PlanFeature.id)


async def type_prices(event_id: int) -> dict[str, int]:
    rows = await BoothTypePrice.select(BoothTypePrice.booth_type, BoothTypePrice.price).where(
        BoothTypePrice.event == event_id)
    return {row["booth_type"]: row["price"] for row in rows}


RENTAL_STATES = {
    ApplicationStatus.confirmed.value: N_("rented"),
    ApplicationStatus.approved.value: N_("held until the producer confirms"),
}


async def in_use(event_id: int, booth_ids: Iterable[int]) -> dict[int, str]:
    """Booths someone rents, holds, asks for or is pinned to: {id: why}, as a message id."""
    ids = list(booth_ids)
    if not ids:
        return {}
    why: dict[int, str] = {}
    for row in await BoothRental.select(BoothRental.booth, BoothRental.application.status.as_alias("status")).where(
        BoothRental.booth.is_in(ids) & (BoothRental.status != RentalStatus.cancelled.value)
    ):
        # Only a confirmed booth is rented; one approved waits for its producer, a slot asked for waits for staff.
        why.setdefault(row["booth"], RENTAL_STATES.get(row["status"], N_("asked for in an application")))
    for row in await BoothHold.select(BoothHold.booth).where(BoothHold.booth.is_in(ids) & (BoothHold.expires_at > now())):
        why.setdefault(row["booth"], N_("held by a producer booking it"))
    for row in await BoothPreference.select(BoothPreference.booth).where(
        BoothPreference.booth.is_in(ids) & BoothPreference.application.status.is_in(list(LIVE_STATUSES))
    ):
        why.setdefault(row["booth"], N_("asked for in an application"))
    for row in await AllocationMark.select(AllocationMark.booth).where(
        AllocationMark.booth.is_in(ids) & (AllocationMark.kind == MarkKind.pin.value) & (AllocationMark.event == event_id)
    ):
        why.setdefault(row["booth"], N_("pinned to an application in the allocation"))
    return why


def _refuse_in_use(booths: list[dict], busy: dict[int, str], message: str) -> None:
    used = [f"{b['code']} ({gettext(busy[b['id']])})" for b in booths if b["id"] in busy]
    if used:
        raise Conflict(message, codes=", ".join(used))


def _check_placement_values(placement: Placement) -> dict[str, DomainError]:
    errors = geometry.check_rect(placement.rect)
    if placement.booth_type not in BOOTH_TYPES:
        errors["booth_type"] = DomainError(N_("Choose one of the options."))
    if placement.price is not None and placement.price < 0:
        errors["price"] = DomainError(N_("Enter an amount of zero or more."))
    return errors


def _place_or_refuse(rect: geometry.Rect, hall: dict, others: list[geometry.Shape], *, ignore=(), what="booth") -> None:
    problem = geometry.placement_error(rect, hall, others, ignore=ignore, what=what)
    if problem is not None:
        raise ValidationError({"form": problem})


async def _locked_booth(event_id: int, booth_id: int) -> dict:
    booth = await for_update(Booth.select().where((Booth.id == booth_id) & (Booth.event == event_id))).first()
    if booth is None:
        raise NotFound(N_("This booth does not exist."))
    return booth


def _booth_hall(booth: dict, hall: dict | None) -> dict:
    if hall is None:
        raise ValidationError({"form": DomainError(N_("Give booth %(code)s a hall first."), code=booth["code"])})
    return hall


def _code_taken(code: str) -> ValidationError:
    return ValidationError({"code": DomainError(N_("The code %(code)s is already taken."), code=code)})


async def add_booth(event: dict, placement: Placement, *, staff_id: int, ip: str = "") -> str:
    errors = _check_placement_values(placement)
    code = layout.normalise_code(placement.code)
    if not layout.CODE_RE.match(code):
        errors["code"] = DomainError(N_("Use letters, digits and dashes, without accents, e.g. A-01."))
    hall = await hall_of(event, placement.hall_id)
    if hall is None:
        errors["hall_id"] = DomainError(N_("Choose a hall of this event's venue."))
    if errors:
        raise ValidationError(errors)
    assert hall is not None
    try:
        async with write_transaction():
            await lock_floor(event["id"])
            if await Booth.exists().where((Booth.event == event["id"]) & (Booth.code == code)):
                raise _code_taken(code)
            _place_or_refuse(placement.rect, hall, await shapes(event["id"], hall["id"]))
            price = placement.price
            if price is None:
                price = (await type_prices(event["id"])).get(placement.booth_type, 0)
            booth = Booth(event=event["id"], hall=hall["id"], code=code, booth_type=placement.booth_type, price=price,
                          x=placement.x, y=placement.y, width=placement.width, depth=placement.depth)
            await booth.save()
            await audit("booths.add", actor_id=staff_id, target=("booth", booth.id), ip=ip,
                        detail={"code": code, "hall": hall["name"], "x": placement.x, "y": placement.y,
                                "width": placement.width, "depth": placement.depth, "type": placement.booth_type,
                                "price": price})
    except Exception as exc:
        if is_integrity_error(exc):
            raise _code_taken(code) from exc
        raise
    return code


async def place_booth(event: dict, booth_id: int, placement: Placement, *, staff_id: int, ip: str = "") -> str:
    """Move, resize, retype or reprice a booth on its hall."""
    errors = _check_placement_values(placement)
    if errors:
        raise ValidationError(errors)
    async with write_transaction():
        await lock_floor(event["id"])
        before = await _locked_booth(event["id"], booth_id)
        hall = _booth_hall(before, await hall_of(event, before["hall"]))
        _place_or_refuse(placement.rect, hall, await shapes(event["id"], hall["id"]), ignore=[booth_id])
        price = before["price"] if placement.price is None else placement.price
        await Booth.update({
            Booth.x: placement.x, Booth.y: placement.y, Booth.width: placement.width, Booth.depth: placement.depth,
            Booth.booth_type: placement.booth_type, Booth.price: price,
        }).where(Booth.id == booth_id)
        await audit("booths.place", actor_id=staff_id, target=("booth", booth_id), ip=ip, detail={
            "code": before["code"],
            "was": [before["x"], before["y"], before["width"], before["depth"], before["booth_type"], before["price"]],
            "now": [placement.x, placement.y, placement.width, placement.depth, placement.booth_type, price],
        })
    return before["code"]


async def move_booth(event: dict, booth_id: int, x: float, y: float, *, staff_id: int, ip: str = "") -> str:
    """A booth dragged to (x, y), keeping its size, type and price."""
    booth = await layout.get_booth(event["id"], booth_id)
    placement = Placement(x, y, booth["width"], booth["depth"], booth["booth_type"], None)
    return await place_booth(event, booth_id, placement, staff_id=staff_id, ip=ip)


async def merge_booths(event: dict, booth_ids: list[int], *, staff_id: int, ip: str = "") -> str:
    """Booths side by side made one: the first by code keeps its row and code, the prices add up."""
    if len(set(booth_ids)) < 2:
        raise ValidationError({"booth_ids": DomainError(N_("Choose at least two booths to merge."))})
    async with write_transaction():
        await lock_floor(event["id"])
        booths = await for_update(Booth.select().where((Booth.event == event["id"]) & Booth.id.is_in(booth_ids)))
        if len(booths) != len(set(booth_ids)):
            raise ValidationError({"booth_ids": DomainError(N_("Choose among the options shown."))})
        booths.sort(key=lambda b: code_order(b["code"]))
        if len({b["hall"] for b in booths}) != 1 or booths[0]["hall"] is None:
            raise ValidationError({"booth_ids": DomainError(N_("Booths merged must stand in the same hall."))})
        _refuse_in_use(booths, await in_use(event["id"], booth_ids),
                       N_("These booths cannot be merged while in use: %(codes)s."))
        try:
            box = geometry.merged([geometry.Rect(b["x"], b["y"], b["width"], b["depth"]) for b in booths])
        except DomainError as exc:
            raise ValidationError({"booth_ids": exc}) from exc
        if not geometry.is_measure(box.width, geometry.MIN_SIZE, geometry.MAX_SIZE) or not geometry.is_measure(
                box.depth, geometry.MIN_SIZE, geometry.MAX_SIZE):
            raise ValidationError({"booth_ids": DomainError(N_("Enter a size from %(low)s to %(high)s m."),
                                                            low=geometry.MIN_SIZE, high=int(geometry.MAX_SIZE))})
        keep, gone = booths[0], booths[1:]
        await Booth.delete().where(Booth.id.is_in([b["id"] for b in gone]))
        await Booth.update({
            Booth.x: box.x, Booth.y: box.y, Booth.width: box.width, Booth.depth: box.depth,
            Booth.price: sum(b["price"] for b in booths),
        }).where(Booth.id == keep["id"])
        await audit("booths.merge", actor_id=staff_id, target=("booth", keep["id"]), ip=ip,
                    detail={"code": keep["code"], "merged": [b["code"] for b in gone],
                            "now": [box.x, box.y, box.width, box.depth]})
    return keep["code"]


async def split_booth(event: dict, booth_id: int, parts: int, axis: str, *, staff_id: int, ip: str = "") -> list[str]:
    """One booth cut into `parts` equal booths (A-01 → A-01A, A-01B…), the price shared out."""
    async with write_transaction():
        await lock_floor(event["id"])
        booth = await _locked_booth(event["id"], booth_id)
        _booth_hall(booth, await hall_of(event, booth["hall"]))
        _refuse_in_use([booth], await in_use(event["id"], [booth_id]),
                       N_("This booth cannot be split while in use: %(codes)s."))
        try:
            pieces = geometry.split(geometry.Rect(booth["x"], booth["y"], booth["width"], booth["depth"]), parts, axis)
        except DomainError as exc:
            raise ValidationError({"parts": exc}) from exc
        codes = geometry.split_codes(booth["code"], parts)
        if any(not layout.CODE_RE.match(code) for code in codes):
            raise ValidationError({"parts": DomainError(N_("The code %(code)s is too long to split: shorten it first."),
                                                        code=booth["code"])})
        taken = await Booth.select(Booth.code).where((Booth.event == event["id"]) & Booth.code.is_in(codes))
        if taken:
            raise ValidationError({"parts": DomainError(N_("These codes are already taken: %(codes)s."),
                                                        codes=", ".join(sorted(r["code"] for r in taken)))})
        share, rest = divmod(booth["price"], parts)
        prices = [share + (rest if i == 0 else 0) for i in range(parts)]
        first = pieces[0]
        await Booth.update({Booth.code: codes[0], Booth.x: first.x, Booth.y: first.y, Booth.width: first.width,
                            Booth.depth: first.depth, Booth.price: prices[0]}).where(Booth.id == booth_id)
        await Booth.insert(*[
            Booth(event=event["id"], hall=booth["hall"], code=code, booth_type=booth["booth_type"], price=price,
                  x=piece.x, y=piece.y, width=piece.width, depth=piece.depth, is_blocked=booth["is_blocked"])
            for code, piece, price in zip(codes[1:], pieces[1:], prices[1:])
        ])
        await audit("booths.split", actor_id=staff_id, target=("booth", booth_id), ip=ip,
                    detail={"code": booth["code"], "into": codes, "axis": axis})
    return codes


async def add_feature(event: dict, request: FeatureRequest, *, staff_id: int, ip: str = "") -> int:
    errors = geometry.check_rect(request.rect)
    if request.kind not in FEATURE_KINDS:
        errors["kind"] = DomainError(N_("Choose one of the options."))
    hall = await hall_of(event, request.hall_id)
    if hall is None:
        errors["hall_id"] = DomainError(N_("Choose a hall of this event's venue."))
    if errors:
        raise ValidationError(errors)
    assert hall is not None
    async with write_transaction():
        await lock_floor(event["id"])
        booths = [s for s in await shapes(event["id"], hall["id"]) if s.kind == "booth"]  # features may cross
        _place_or_refuse(request.rect, hall, booths, what="feature")
        feature = PlanFeature(event=event["id"], hall=hall["id"], kind=request.kind, label=request.label,
                              x=request.x, y=request.y, width=request.width, depth=request.depth)
        await feature.save()
        await audit("booths.feature_add", actor_id=staff_id, target=("plan_feature", feature.id), ip=ip,
                    detail={"kind": request.kind, "label": request.label, "hall": hall["name"],
                            "rect": [request.x, request.y, request.width, request.depth]})
    return feature.id


async def remove_feature(event: dict, feature_id: int, *, staff_id: int, ip: str = "") -> str:
    async with write_transaction():
        await lock_floor(event["id"])
        feature = await PlanFeature.select().where(
            (PlanFeature.id == feature_id) & (PlanFeature.event == event["id"])).first()
        if feature is None:
            raise NotFound(N_("This plan feature does not exist."))
        await PlanFeature.delete().where(PlanFeature.id == feature_id)
        await audit("booths.feature_remove", actor_id=staff_id, target=("plan_feature", feature_id), ip=ip,
                    detail={"kind": feature["kind"], "label": feature["label"]})
    return feature_name(feature)


async def set_type_prices(event: dict, prices: dict[str, int], *, apply_to_free: bool, staff_id: int,
                          ip: str = "") -> int:
    """The fair's price for each booth type; with `apply_to_free`, booths of those types that no
    one uses take it too. How many booths were repriced."""
    if any(kind not in BOOTH_TYPES for kind in prices) or any(p < 0 for p in prices.values()):
        raise ValidationError({"form": DomainError(N_("Choose among the options shown."))})
    repriced = 0
    async with write_transaction():
        await lock_floor(event["id"])
        await BoothTypePrice.delete().where(BoothTypePrice.event == event["id"])
        if prices:
            await BoothTypePrice.insert(*[BoothTypePrice(event=event["id"], booth_type=kind, price=price)
                                          for kind, price in prices.items()])
        if apply_to_free and prices:
            booths = await Booth.select(Booth.id, Booth.booth_type, Booth.price).where(
                (Booth.event == event["id"]) & Booth.booth_type.is_in(list(prices)))
            busy = await in_use(event["id"], [b["id"] for b in booths])
            for kind, price in prices.items():
                ids = [b["id"] for b in booths if b["booth_type"] == kind and b["id"] not in busy and b["price"] != price]
                if ids:
                    await Booth.update({Booth.price: price}).where(Booth.id.is_in(ids))
                    repriced += len(ids)
        await audit("booths.type_prices", actor_id=staff_id, target=("event", event["id"]), ip=ip,
                    detail={"prices": prices, "repriced": repriced})
    return repriced


# What the editor page shows -----------------------------------------------------------------------

@dataclass(frozen=True)
class FormState:
    """One of the editor's forms sent back: its name, what was typed, what was wrong."""

    name: str
    values: dict
    errors: dict


FORMS = ("add_booth", "place", "split", "merge", "feature", "prices")


def _measure(value: float) -> str:
    return f"{value:g}"


async def page_context(event: dict, plans: list, selected: tuple[str, int] | None, form: FormState | None) -> dict:
    """The editor's part of the staff floor plan page: each form's values and errors, the booth
    or feature selected on the plan, and the fair's price for each booth type."""
    prices = await type_prices(event["id"])
    booth = feature = None
    if selected and selected[0] == "b":
        booth = await Booth.select().where((Booth.id == selected[1]) & (Booth.event == event["id"])).first()
    elif selected and selected[0] == "f":
        feature = await PlanFeature.select().where(
            (PlanFeature.id == selected[1]) & (PlanFeature.event == event["id"])).first()
    first_hall = next((plan.hall_id for plan in plans if plan.hall_id), "")
    forms: dict[str, dict] = {
        "add_booth": {"values": {"hall_id": first_hall, "booth_type": "standard", "width": "3", "depth": "3"},
                      "errors": {}},
        "place": {"values": {}, "errors": {}},
        "split": {"values": {"parts": "2", "axis": geometry.ACROSS}, "errors": {}},
        "merge": {"values": {}, "errors": {}},
        "feature": {"values": {"hall_id": first_hall, "kind": "aisle", "width": "2", "depth": "10"}, "errors": {}},
        "prices": {"values": {f"price_{kind}": str(price) for kind, price in prices.items()}, "errors": {}},
    }
    if booth is not None:
        forms["place"]["values"] = {
            "x": _measure(booth["x"]), "y": _measure(booth["y"]), "width": _measure(booth["width"]),
            "depth": _measure(booth["depth"]), "booth_type": booth["booth_type"], "price": str(booth["price"]),
        }
    if form is not None and form.name in forms:
        values = {**forms[form.name]["values"], **form.values}
        if "booth_ids" in values and not isinstance(values["booth_ids"], list):  # one box ticked
            values["booth_ids"] = [values["booth_ids"]]
        forms[form.name] = {"values": values, "errors": form.errors}
    busy = await in_use(event["id"], [booth["id"]]) if booth else {}
    return {
        "forms": forms,
        "selected": selected,
        "selected_booth": booth,
        "selected_booth_in_use": busy.get(booth["id"]) if booth else None,
        "selected_feature": {**feature, "name": feature_name(feature)} if feature else None,
        "type_prices": prices,
        "type_sizes": geometry.TYPE_SIZES,
        "max_split": geometry.MAX_SPLIT,
        "feature_kinds": FEATURE_KINDS,
    }
