"""A fair's booth market in the database: the allocation's rules and staff's marks, the input
read for the engine (`booths.allocation`), a preview, and its commit in one transaction.

The preview carries a token: a digest of everything the allocation read (the applications and
rentals through the fair's revision, the candidates as read, the rules, the marks). Commit recomputes it under the
fair's lock and refuses when it moved, so staff commit exactly what they looked at.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field

from events_app.booths import allocation, decisions, notices, waiting
from events_app.booths.allocation import Candidate, Quota, Rules, Spot, Weights
from events_app.booths.rules import require_booths
from events_app.booths.tables import (
    AllocationMark, AllocationPolicy, ApplicationStatus, Booth, BoothApplication, BoothPreference,
    BoothRental, BoothType, MarkKind, RentalStatus,
)
from events_app.core.audit import audit
from events_app.core.clock import now, today
from events_app.core.db import for_update, lock_names, write_transaction
from events_app.core.errors import Conflict, DomainError, NotFound, ValidationError
from events_app.core.i18n import N_, language
from events_app.core.revisions import CATALOGUE, fair_scope, revision
from events_app.events.tables import EventKind
from events_app.reference.tables import ProductGroup, Province, Region

# Applications the allocation decides on; approved and confirmed ones keep their booths.
OPEN = (ApplicationStatus.submitted.value, ApplicationStatus.waitlisted.value)
EXHIBITED = (ApplicationStatus.approved.value, ApplicationStatus.confirmed.value)
QUOTA_KINDS = ("province", "region", "group")
MAX_QUOTAS = 80
MAX_POINTS = 1000
MAX_HOLD_MINUTES = 120
COOPERATIVES = ("cooperative", "cooperative_group")
RESERVABLE = (BoothType.corner.value, BoothType.premium.value)


# Rules -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class QuotaRow:
    kind: str
    name: str
    minimum: int = 0
    maximum: int | None = None


@dataclass(frozen=True)
class Policy:
    per_star: int = 10
    first_time: int = 5
    cooperative: int = 0
    reserved_types: tuple[str, ...] = ()
    reserved_min_stars: int = 4
    separate_groups: bool = False
    quotas: tuple[QuotaRow, ...] = ()
    first_come: bool = False  # booths held and booked on the plan instead (see booths.holds)
    hold_minutes: int = 15


def require_fair(event: dict) -> dict:
    event = require_booths(event)
    if event["kind"] != EventKind.fair.value:
        raise NotFound(N_("Booths are allocated at fairs; a showroom's shelves are rented one at a time."))
    return event


async def policy_of(event_id: int) -> Policy:
    row = await AllocationPolicy.select().where(AllocationPolicy.event == event_id).first()
    if row is None:
        return Policy()
    quotas = row["quotas"]
    if isinstance(quotas, str):  # SQLite keeps JSON as text
        quotas = json.loads(quotas or "[]")
    return Policy(
        per_star=row["per_star"], first_time=row["first_time"], cooperative=row["cooperative"],
        reserved_types=tuple(t for t in row["reserved_types"].split(",") if t),
        reserved_min_stars=row["reserved_min_stars"], separate_groups=row["separate_groups"],
        quotas=tuple(QuotaRow(**q) for q in quotas),
        first_come=row["first_come"], hold_minutes=row["hold_minutes"],
    )


async def quota_names() -> dict[str, list[str]]:
    """What a quota may name, by kind: provinces, regions and product groups, as shown."""
    return {
        "province": [r["name"] for r in await Province.select(Province.name).order_by(Province.name)],
        "region": [r["name"] for r in await Region.select(Region.name).order_by(Region.name)],
        "group": [r["name_vi"] for r in await ProductGroup.select(ProductGroup.name_vi).order_by(ProductGroup.name_vi)],
    }


async def policy_errors(policy: Policy) -> dict[str, DomainError]:
    errors: dict[str, DomainError] = {}
    for name in ("per_star", "first_time", "cooperative"):
        if not 0 <= getattr(policy, name) <= MAX_POINTS:
            errors[name] = DomainError(N_("Enter a number from 0 to %(n)d."), n=MAX_POINTS)
    if not 1 <= policy.hold_minutes <= MAX_HOLD_MINUTES:
        errors["hold_minutes"] = DomainError(N_("Enter a number from 1 to %(n)d."), n=MAX_HOLD_MINUTES)
    if policy.reserved_min_stars not in (3, 4, 5):
        errors["reserved_min_stars"] = DomainError(N_("Choose 3, 4 or 5 stars."))
    if set(policy.reserved_types) - set(RESERVABLE):
        errors["reserved_types"] = DomainError(N_("Choose among the options shown."))
    if len(policy.quotas) > MAX_QUOTAS:
        errors["quotas"] = DomainError(N_("At most %(n)d quotas."), n=MAX_QUOTAS)
    names = await quota_names()
    seen = set()
    for n, quota in enumerate(policy.quotas, start=1):
        if quota.kind not in QUOTA_KINDS or quota.name not in names[quota.kind]:
            errors.setdefault("quotas", DomainError(N_("Quota %(n)d: there is no such province, region or product group: “%(name)s”."),
                                                    n=n, name=quota.name))
        elif (quota.kind, quota.name) in seen:
            errors.setdefault("quotas", DomainError(N_("Quota %(n)d: %(name)s has a quota already."), n=n, name=quota.name))
        elif quota.maximum is not None and quota.maximum < quota.minimum:
            errors.setdefault("quotas", DomainError(N_("Quota %(n)d: the maximum is below the minimum."), n=n))
        seen.add((quota.kind, quota.name))
    return errors


async def save_policy(event: dict, policy: Policy, *, staff_id: int, ip: str = "") -> None:
    if errors := await policy_errors(policy):
        raise ValidationError(errors)
    values = {
        AllocationPolicy.per_star: policy.per_star,
        AllocationPolicy.first_time: policy.first_time,
        AllocationPolicy.cooperative: policy.cooperative,
        AllocationPolicy.reserved_types: ",".join(policy.reserved_types),
        AllocationPolicy.reserved_min_stars: policy.reserved_min_stars,
        AllocationPolicy.separate_groups: policy.separate_groups,
        AllocationPolicy.quotas: json.dumps([q.__dict__ for q in policy.quotas], ensure_ascii=False),
        AllocationPolicy.first_come: policy.first_come,
        AllocationPolicy.hold_minutes: policy.hold_minutes,
        AllocationPolicy.updated_at: now(),
    }
    async with write_transaction():
        await lock_names(f"allocation:{event['id']}")
        if await AllocationPolicy.exists().where(AllocationPolicy.event == event["id"]):
            await AllocationPolicy.update(values).where(AllocationPolicy.event == event["id"])
        else:
            await AllocationPolicy.insert(AllocationPolicy(event=event["id"], **{c._meta.name: v for c, v in values.items()}))
        await audit("booths.allocation_rules", actor_id=staff_id, target=("event", event["id"]), ip=ip,
                    detail={"quotas": len(policy.quotas), "reserved": list(policy.reserved_types)})


def rules_of(policy: Policy) -> Rules:
    by_kind: dict[str, dict[str, Quota]] = {kind: {} for kind in QUOTA_KINDS}
    for quota in policy.quotas:
        by_kind[quota.kind][quota.name] = Quota(quota.minimum, quota.maximum)
    return Rules(
        weights=Weights(per_star=policy.per_star, first_time=policy.first_time,
                        producer_type={kind: policy.cooperative for kind in COOPERATIVES}),
        province_quotas=by_kind["province"], region_quotas=by_kind["region"], group_quotas=by_kind["group"],
        reserved_types=frozenset(policy.reserved_types), reserved_min_stars=policy.reserved_min_stars,
        separate_groups=policy.separate_groups,
    )


# Staff's marks ---------------------------------------------------------------------------------

async def marks_of(event_id: int) -> list[dict]:
    return await AllocationMark.select(
        AllocationMark.id, AllocationMark.application, AllocationMark.booth, AllocationMark.kind,
        AllocationMark.booth.code.as_alias("code"),
    ).where(AllocationMark.event == event_id).order_by(AllocationMark.id)


async def set_mark(event: dict, application_id: int, booth_id: int, kind: str, *, staff_id: int, ip: str = "") -> None:
    """Pin an application to a booth (replacing its pin, and any pin on that booth), or forbid it one."""
    if kind not in {k.value for k in MarkKind}:
        raise ValidationError({"kind": DomainError(N_("Choose one of the options."))})
    async with write_transaction():
        await lock_names(f"allocation:{event['id']}")
        if not await BoothApplication.exists().where(
            (BoothApplication.id == application_id) & (BoothApplication.event == event["id"])
            & BoothApplication.status.is_in(list(OPEN))
        ):
            raise NotFound(N_("This application is not waiting for a booth."))
        if not await Booth.exists().where((Booth.id == booth_id) & (Booth.event == event["id"])):
            raise ValidationError({"booth_id": DomainError(N_("Choose a booth of this event."))})
        mine = (AllocationMark.application == application_id)
        await AllocationMark.delete().where(mine & (AllocationMark.booth == booth_id))
        if kind == MarkKind.pin.value:
            await AllocationMark.delete().where(mine & (AllocationMark.kind == MarkKind.pin.value))
            await AllocationMark.delete().where(
                (AllocationMark.booth == booth_id) & (AllocationMark.kind == MarkKind.pin.value)
            )
        await AllocationMark.insert(AllocationMark(event=event["id"], application=application_id, booth=booth_id, kind=kind))
        await audit(f"booths.allocation_{kind}", actor_id=staff_id, target=("booth_application", application_id), ip=ip,
                    detail={"booth": booth_id})


async def clear_marks(event: dict, application_id: int, *, staff_id: int, ip: str = "") -> None:
    async with write_transaction():
        await lock_names(f"allocation:{event['id']}")
        await AllocationMark.delete().where(
            (AllocationMark.event == event["id"]) & (AllocationMark.application == application_id)
        )
        await audit("booths.allocation_unmark", actor_id=staff_id, target=("booth_application", application_id), ip=ip)


# The engine's input ----------------------------------------------------------------------------

@dataclass
class Market:
    spots: list[Spot]
    candidates: list[Candidate]
    rules: Rules
    applications: dict[int, dict]  # id → producer name, status, …, for the page
    token: str = ""
    held: int = 0  # booths kept by approved or confirmed applications
    exhibitors: list[allocation.Exhibitor] = field(default_factory=list)  # those booths, for quotas and neighbours


async def _booths_and_holders(event_id: int) -> tuple[list[dict], dict[int, int]]:
    """The fair's booths, and which of them are held (booth → application)."""
    booths = await Booth.select(
        Booth.id, Booth.code, Booth.booth_type, Booth.hall, Booth.x, Booth.y, Booth.width, Booth.depth, Booth.is_blocked,
    ).where(Booth.event == event_id).order_by(Booth.id)
    live = {r["booth"]: r["application"] for r in await BoothRental.select(BoothRental.booth, BoothRental.application).where(
        (BoothRental.booth.event == event_id) & (BoothRental.status != RentalStatus.cancelled.value)
    )}
    return booths, live


async def exhibitors_of(event_id: int) -> list[allocation.Exhibitor]:
    """The booths held at the fair now, with their holders: what a booth offered from the line is checked against."""
    return await _exhibitors(*await _booths_and_holders(event_id))


async def market_of(event: dict) -> Market:
    event_id = event["id"]
    booths, live = await _booths_and_holders(event_id)
    spots = [
        Spot(id=b["id"], code=b["code"], booth_type=b["booth_type"], hall=b["hall"], x=b["x"], y=b["y"],
             width=b["width"], depth=b["depth"])
        for b in booths if not b["is_blocked"] and b["id"] not in live
    ]
    applications = await BoothApplication.select(
        BoothApplication.id, BoothApplication.status, BoothApplication.submitted_at, BoothApplication.producer,
        BoothApplication.waiting_place,
        BoothApplication.producer.name.as_alias("producer_name"),
        BoothApplication.producer.producer_type.as_alias("producer_type"),
        BoothApplication.producer.province.name.as_alias("province"),
        BoothApplication.producer.province.region.name.as_alias("region"),
    ).where((BoothApplication.event == event_id) & BoothApplication.status.is_in(list(OPEN))).order_by(BoothApplication.id)
    ids = [a["id"] for a in applications]
    best = await waiting.best_stars(ids)
    preferences: dict[int, list[int]] = {}
    exhibited_before: set[int] = set()
    if ids:
        for row in await BoothPreference.select(BoothPreference.application, BoothPreference.booth).where(
            BoothPreference.application.is_in(ids)
        ).order_by(BoothPreference.application, BoothPreference.rank):
            preferences.setdefault(row["application"], []).append(row["booth"])
        producers = list({a["producer"] for a in applications})
        exhibited_before = {r["producer"] for r in await BoothApplication.select(BoothApplication.producer).where(
            BoothApplication.producer.is_in(producers) & BoothApplication.status.is_in(list(EXHIBITED))
            & (BoothApplication.event != event_id)
        )}
    candidates = [
        Candidate(
            id=a["id"], stars=best.get(a["id"], {}).get("stars", 0), province=a["province"], region=a["region"],
            group=best.get(a["id"], {}).get("group", ""), producer_type=a["producer_type"], applied_at=a["submitted_at"],
            first_time=a["producer"] not in exhibited_before, preferences=tuple(preferences.get(a["id"], ())),
        )
        for a in applications
    ]
    policy = await policy_of(event_id)
    marks = await marks_of(event_id)
    rules = rules_of(policy)
    open_ids = set(ids)
    rules = dataclasses.replace(
        rules,
        pinned={m["application"]: m["booth"] for m in marks if m["kind"] == MarkKind.pin.value and m["application"] in open_ids},
        forbidden=frozenset((m["application"], m["booth"]) for m in marks if m["kind"] == MarkKind.forbid.value),
    )
    digest = hashlib.blake2b(digest_size=12)
    version = await revision(CATALOGUE, fair_scope(event_id))
    # The candidates too: whether one exhibited before is read from other fairs, outside this one's revision.
    digest.update(repr((version, str(today()), policy, [tuple(m.values()) for m in marks], candidates)).encode())
    return Market(
        spots=spots, candidates=candidates, rules=rules,
        applications={a["id"]: {**a, "stars": best.get(a["id"], {}).get("stars", 0), "group": best.get(a["id"], {}).get("group", "")}
                      for a in applications},
        token=digest.hexdigest(), held=len(live), exhibitors=await _exhibitors(booths, live),
    )


async def _exhibitors(booths: list[dict], live: dict[int, int]) -> list[allocation.Exhibitor]:
    """The booths held already (booth → application), each with its holder's province, region and group."""
    if not live:
        return []
    holders = {a["id"]: a for a in await BoothApplication.select(
        BoothApplication.id,
        BoothApplication.producer.province.name.as_alias("province"),
        BoothApplication.producer.province.region.name.as_alias("region"),
    ).where(BoothApplication.id.is_in(sorted(set(live.values()))))}
    best = await waiting.best_stars(list(holders))
    return [
        allocation.Exhibitor(
            spot=Spot(id=b["id"], code=b["code"], booth_type=b["booth_type"], hall=b["hall"], x=b["x"], y=b["y"],
                      width=b["width"], depth=b["depth"]),
            province=holders[live[b["id"]]]["province"], region=holders[live[b["id"]]]["region"],
            group=best.get(live[b["id"]], {}).get("group", ""),
        )
        for b in booths if b["id"] in live and live[b["id"]] in holders
    ]


@dataclass
class Preview:
    market: Market
    result: allocation.Allocation
    rows: list[dict] = field(default_factory=list)  # in rank order


async def preview(event: dict) -> Preview:
    await waiting.settle(event["id"])
    market = await market_of(require_fair(event))
    result = allocation.allocate(market.spots, market.candidates, market.rules, held=market.exhibitors)
    codes = {s.id: s.code for s in market.spots}
    pins = market.rules.pinned
    forbidden: dict[int, list[int]] = {}
    for application, booth in sorted(market.rules.forbidden):
        forbidden.setdefault(application, []).append(booth)
    ranked = sorted(result.outcomes.values(), key=lambda o: (-o.priority, market.applications[o.application]["submitted_at"], o.application))
    rows = [
        {
            **market.applications[o.application],
            "booth": o.booth,
            "code": codes.get(o.booth) if o.booth else None,
            "waiting_place": o.waiting_place,
            "priority": o.priority,
            "reasons": o.explanation(),
            "pinned": codes.get(pins.get(o.application)),
            "forbidden": [codes.get(b, "?") for b in forbidden.get(o.application, [])],
        }
        for o in ranked
    ]
    return Preview(market=market, result=result, rows=rows)


async def commit(event: dict, token: str, *, staff_id: int, ip: str = "") -> tuple[int, int]:
    """Apply the allocation previewed under `token`: approve those placed with their booth, put
    the rest on the waiting list in order, each with its reason. All of it or nothing."""
    event = require_fair(event)
    async with write_transaction(), notices.watching_line() as line:
        await lock_names(f"allocation:{event['id']}")
        await line.event(event["id"])  # the line as it was: those whose place moves are told once, at the end
        current = await preview(event)
        if current.market.token != token:
            raise Conflict(N_("Applications, booths or rules changed since this preview: look at the new preview before committing."))
        booths = sorted(current.result.assignments.values())
        if booths:  # one acquisition, in id order: two commits never wait on each other crosswise
            await for_update(Booth.select(Booth.id).where(Booth.id.is_in(booths)).order_by(Booth.id))
        with language("vi"):  # the reason stays in the application, in the producers' language
            reasons = {o.application: o.explanation() for o in current.result.outcomes.values()}
        for application, booth in sorted(current.result.assignments.items()):
            await decisions.approve(application, booth, staff_id=staff_id, event_id=event["id"], ip=ip,
                                    reason=reasons[application][:2000])
        for application in current.result.waiting:
            if current.market.applications[application]["status"] != ApplicationStatus.waitlisted.value:
                await decisions.waitlist(application, staff_id=staff_id, event_id=event["id"], ip=ip,
                                         reason=reasons[application][:2000])
        for application, reason in reasons.items():
            place = current.result.outcomes[application].waiting_place
            await BoothApplication.update({
                BoothApplication.decision_reason: reason[:2000],
                BoothApplication.waiting_place: place,
            }).where(BoothApplication.id == application)
        await AllocationMark.delete().where(AllocationMark.event == event["id"])
        await audit("booths.allocate", actor_id=staff_id, target=("event", event["id"]), ip=ip,
                    detail={"approved": len(current.result.assignments), "waiting": len(current.result.waiting),
                            "points": current.result.points})
    return len(current.result.assignments), len(current.result.waiting)
