"""Allocating a fair's booths among more applicants than fit: pure logic, no database.

Staff set the fair's rules (priority weights, quotas per province, region or product group,
booth types kept for well-rated products, producers of one group kept apart, pins and
forbidden booths) and run the allocation as a preview; the result says for every application
what it got and why, in the reader's language.

The objective, stated so that it can be measured:
1. **Who gets a booth follows priority.** Applications are ranked by priority points (stars,
   first-time exhibitor, producer type, as weighted by staff; ties go to the earlier
   application, then the smaller id). Pinned applications come first, then each quota's
   minimum is met from its best-ranked applications, then the rest in rank order, each
   admitted while the booths and the quotas' maxima still allow. A quota counts the booths its
   province, region or group holds already at the fair, not only those given now. Those left wait, in rank order.
2. **Where follows preferences.** Among the admitted, the placement maximises preference
   points: an application's k-th choice earns `PREFERENCE_POINTS[k]`, any other booth nothing.
   It is computed exactly, as a min-cost flow; among placements of equal points the
   higher-ranked application's choice wins. Pins are kept, forbidden booths avoided, reserved
   booth types go only to well-rated products. When staff keep one group's producers apart,
   each clash is then settled by the move that keeps the most points, which may cost some.
   `bench/bench_allocation.py` measures the result against networkx's min-cost flow.

Deterministic: equal input, equal output.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from events_app.core.errors import DomainError
from events_app.core.i18n import N_

PREFERENCE_POINTS = (5, 4, 3, 2, 1)  # the first five choices count
MAX_PREFERENCES = len(PREFERENCE_POINTS)
_TOUCH = 0.01  # metres: booths closer than this are side by side


# Input -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Spot:
    """A booth offered for allocation, with where it is on its hall's floor."""

    id: int
    code: str
    booth_type: str = "standard"
    hall: int | None = None
    x: float = 0.0
    y: float = 0.0
    width: float = 3.0
    depth: float = 3.0


@dataclass(frozen=True)
class Candidate:
    """An application, with what the rules weigh."""

    id: int
    stars: int  # the best certified product it shows
    province: str
    region: str
    group: str  # the product group of its main product
    producer_type: str
    applied_at: dt.datetime
    first_time: bool = False
    preferences: tuple[int, ...] = ()  # booth ids, best first


@dataclass(frozen=True)
class Exhibitor:
    """A booth held before this allocation (approved or confirmed): not offered again, but it
    counts towards its holder's quotas, and is a neighbour when one group is kept apart."""

    spot: Spot
    province: str
    region: str
    group: str


@dataclass(frozen=True)
class Quota:
    minimum: int = 0
    maximum: int | None = None


@dataclass(frozen=True)
class Weights:
    per_star: float = 10.0
    first_time: float = 5.0
    producer_type: Mapping[str, float] = field(default_factory=dict)  # e.g. cooperatives +3


@dataclass(frozen=True)
class Rules:
    weights: Weights = field(default_factory=Weights)
    # Quotas by province name, region name and product group name.
    province_quotas: Mapping[str, Quota] = field(default_factory=dict)
    region_quotas: Mapping[str, Quota] = field(default_factory=dict)
    group_quotas: Mapping[str, Quota] = field(default_factory=dict)
    # Booth types kept for applications with at least `reserved_min_stars` (corner, premium).
    reserved_types: frozenset[str] = frozenset()
    reserved_min_stars: int = 4
    separate_groups: bool = False  # no two producers of one product group side by side
    pinned: Mapping[int, int] = field(default_factory=dict)  # application id → booth id
    forbidden: frozenset[tuple[int, int]] = frozenset()  # (application id, booth id)


# Output ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    application: int
    booth: int | None
    waiting_place: int | None  # 1 for the first in line
    priority: float
    reasons: tuple[DomainError, ...]  # shown joined, translated when shown

    def explanation(self) -> str:
        return ", ".join(str(reason) for reason in self.reasons)


@dataclass(frozen=True)
class Allocation:
    assignments: Mapping[int, int]  # application id → booth id
    waiting: tuple[int, ...]  # application ids in line order
    outcomes: Mapping[int, Outcome]
    points: int  # preference points of the placement
    first_choices: int  # admitted applications on their first choice


def priority(candidate: Candidate, weights: Weights) -> float:
    return (
        candidate.stars * weights.per_star
        + (weights.first_time if candidate.first_time else 0.0)
        + weights.producer_type.get(candidate.producer_type, 0.0)
    )


def preference_points(candidate: Candidate, booth: int) -> int:
    try:
        rank = candidate.preferences.index(booth)
    except ValueError:
        return 0
    return PREFERENCE_POINTS[rank] if rank < MAX_PREFERENCES else 0


def neighbours(spots: Iterable[Spot]) -> dict[int, frozenset[int]]:
    """Booths side by side: in one hall, sharing a stretch of wall (touching corners do not count)."""
    by_hall: dict[int | None, list[Spot]] = {}
    for spot in spots:
        by_hall.setdefault(spot.hall, []).append(spot)
    found: dict[int, set[int]] = {}
    for hall_spots in by_hall.values():
        for i, a in enumerate(hall_spots):
            found.setdefault(a.id, set())
            for b in hall_spots[i + 1:]:
                if _side_by_side(a, b):
                    found[a.id].add(b.id)
                    found.setdefault(b.id, set()).add(a.id)
    return {booth: frozenset(ids) for booth, ids in found.items()}


def _side_by_side(a: Spot, b: Spot) -> bool:
    overlap_x = min(a.x + a.width, b.x + b.width) - max(a.x, b.x)
    overlap_y = min(a.y + a.depth, b.y + b.depth) - max(a.y, b.y)
    return (overlap_x > _TOUCH and abs(overlap_y) <= _TOUCH) or (overlap_y > _TOUCH and abs(overlap_x) <= _TOUCH)


# The engine ------------------------------------------------------------------------------------

class _Market:
    """The booths, who may take which, and the placement being built."""

    def __init__(self, spots: list[Spot], by_id: dict[int, Candidate], rules: Rules,
                 held: list[Exhibitor] | None = None) -> None:
        held = held or []
        self.spots = {spot.id: spot for spot in spots}
        self.order = sorted(self.spots, key=lambda b: (self.spots[b].code, b))  # for deterministic choices
        self.rules = rules
        self.by_id = by_id
        self.next_to = neighbours([*spots, *(h.spot for h in held)]) if rules.separate_groups else {}
        self.held_group = {h.spot.id: h.group for h in held if h.group}  # booth → group of its earlier holder
        self.pins = {a: b for a, b in sorted(rules.pinned.items()) if a in by_id and b in self.spots}
        self.pinned_booths = set(self.pins.values())
        self.holder: dict[int, int] = {}  # booth → application
        self.booth_of: dict[int, int] = {}  # application → booth

    def high(self, application: int) -> bool:
        """Rated well enough for the reserved booth types."""
        return self.by_id[application].stars >= self.rules.reserved_min_stars

    def reserved(self, booth: int) -> bool:
        return self.spots[booth].booth_type in self.rules.reserved_types

    def may_take(self, application: int, booth: int) -> bool:
        if (application, booth) in self.rules.forbidden:
            return False
        if booth in self.pinned_booths and self.pins.get(application) != booth:
            return False
        return not self.reserved(booth) or self.high(application)

    def apart(self, application: int, booth: int, ignore: Iterable[int] = ()) -> bool:
        """No neighbour of `booth` shows the same product group (when staff asked for that)."""
        if not self.rules.separate_groups:
            return True
        group = self.by_id[application].group
        skip = {application, *ignore}
        for other_booth in self.next_to.get(booth, ()):
            if self.held_group.get(other_booth) == group:
                return False
            other = self.holder.get(other_booth)
            if other is not None and other not in skip and self.by_id[other].group == group:
                return False
        return True

    def place(self, application: int, booth: int) -> None:
        old = self.booth_of.pop(application, None)
        if old is not None:
            del self.holder[old]
        self.holder[booth] = application
        self.booth_of[application] = booth

    def points(self, application: int, booth: int | None) -> int:
        return 0 if booth is None else preference_points(self.by_id[application], booth)


def _fits(market: _Market, admitted: list[int], candidate: int) -> bool:
    """Whether `admitted` plus the candidate can all have a booth each: a bipartite matching,
    answered by counting when nobody has forbidden booths (each takes any booth of its class)."""
    group = [*admitted, candidate]
    if len(group) > len(market.spots):
        return False
    if not market.rules.forbidden:
        open_booths = [b for b in market.spots if b not in market.pinned_booths]
        unpinned = [a for a in group if a not in market.pins]
        plain = sum(1 for b in open_booths if not market.reserved(b))
        low = sum(1 for a in unpinned if not market.high(a))
        return len(unpinned) <= len(open_booths) and low <= plain
    return _matching_size(market, group) == len(group)


def _matching_size(market: _Market, applications: list[int]) -> int:
    """Kuhn's augmenting paths, on a scratch placement: for the fairs where staff forbid booths."""
    scratch = _Market.__new__(_Market)
    scratch.__dict__ = {**market.__dict__, "holder": {}, "booth_of": {}}
    return sum(1 for application in applications if _augment(scratch, application, set()))


def _augment(market: _Market, application: int, seen: set[int]) -> bool:
    """Give `application` a booth, moving others along a chain of booths they may also take."""
    for booth in market.order:
        if booth in seen or not market.may_take(application, booth):
            continue
        seen.add(booth)
        other = market.holder.get(booth)
        if other is None or _augment(market, other, seen):
            market.place(application, booth)
            return True
    return False


def _quota_checks(rules: Rules, candidate: Candidate | Exhibitor) -> list[tuple[str, str, Quota]]:
    checks = []
    for kind, quotas, key in (
        ("province", rules.province_quotas, candidate.province),
        ("region", rules.region_quotas, candidate.region),
        ("group", rules.group_quotas, candidate.group),
    ):
        if key in quotas:
            checks.append((kind, key, quotas[key]))
    return checks


QUOTA_FULL = {
    "province": N_("the quota of %(name)s is full (%(maximum)s booths)"),
    "region": N_("the quota of the %(name)s region is full (%(maximum)s booths)"),
    "group": N_("the quota for %(name)s is full (%(maximum)s booths)"),
}
QUOTA_MINIMUM = {
    "province": N_("admitted to reach the minimum of %(minimum)s booths for %(name)s"),
    "region": N_("admitted to reach the minimum of %(minimum)s booths for the %(name)s region"),
    "group": N_("admitted to reach the minimum of %(minimum)s booths for %(name)s"),
}


def allocate(
    spots: Iterable[Spot], candidates: Iterable[Candidate], rules: Rules = Rules(), held: Iterable[Exhibitor] = (),
) -> Allocation:
    """Place the candidates on the free `spots`; `held` are the booths already taken at the fair,
    so that a quota counts every booth of its province, region or group, not only new ones."""
    spots = list(spots)
    held = list(held)
    by_id = {c.id: c for c in candidates}
    market = _Market(spots, by_id, rules, held)
    points_of = {c.id: priority(c, rules.weights) for c in by_id.values()}
    ranked = sorted(by_id, key=lambda a: (-points_of[a], by_id[a].applied_at, a))
    notes: dict[int, list[DomainError]] = {a: [] for a in ranked}

    # Who: pins, then the quotas' minima, then rank order.
    admitted: list[int] = []
    counts: dict[tuple[str, str], int] = {}
    for exhibitor in held:
        for kind, key, _ in _quota_checks(rules, exhibitor):
            counts[kind, key] = counts.get((kind, key), 0) + 1
    refusal: dict[int, DomainError] = {}

    def admit(application: int) -> None:
        admitted.append(application)
        for kind, key, _ in _quota_checks(rules, by_id[application]):
            counts[kind, key] = counts.get((kind, key), 0) + 1

    def blocked_by_quota(application: int) -> DomainError | None:
        for kind, key, quota in _quota_checks(rules, by_id[application]):
            if quota.maximum is not None and counts.get((kind, key), 0) >= quota.maximum:
                return DomainError(QUOTA_FULL[kind], name=key, maximum=quota.maximum)
        return None

    for application in ranked:
        if application in market.pins:
            admit(application)
            notes[application].append(DomainError(N_("booth set by the organisers")))
    for kinds in (("province", rules.province_quotas), ("region", rules.region_quotas), ("group", rules.group_quotas)):
        kind, quotas = kinds
        for key, quota in sorted(quotas.items()):
            for application in ranked:
                if counts.get((kind, key), 0) >= quota.minimum:
                    break
                if application in admitted or _key(by_id[application], kind) != key:
                    continue
                if blocked_by_quota(application) is None and _fits(market, admitted, application):
                    admit(application)
                    notes[application].append(DomainError(QUOTA_MINIMUM[kind], minimum=quota.minimum, name=key))
    for application in ranked:
        if application in admitted:
            continue
        if (reason := blocked_by_quota(application)) is not None:
            refusal[application] = reason
        elif _fits(market, admitted, application):
            admit(application)
        elif len(admitted) >= len(market.spots):
            refusal[application] = DomainError(N_("every booth is allocated"))
        elif not market.high(application) and rules.reserved_types:
            refusal[application] = DomainError(
                N_("the booths left are kept for products of %(stars)s stars or more"), stars=rules.reserved_min_stars
            )
        # else: the booths left are barred to it by hand, which the default reason says

    _place(market, [a for a in ranked if a in set(admitted)])

    waiting = tuple(a for a in ranked if a not in market.booth_of)
    outcomes = {}
    for rank, application in enumerate(ranked, start=1):
        candidate = by_id[application]
        reasons = [DomainError(N_("%(stars)s★, %(points)s priority points, ranked %(rank)s"),
                               stars=candidate.stars, points=_shown(points_of[application]), rank=rank)]
        reasons += notes[application]
        booth = market.booth_of.get(application)
        place = None
        if booth is not None:
            reasons.append(_where(candidate, market.spots[booth], pinned=application in market.pins))
            if not market.apart(application, booth):
                reasons.append(DomainError(N_("next to a producer of the same group: no other booth was left")))
        else:
            place = waiting.index(application) + 1
            reasons.append(refusal.get(application) or DomainError(N_("no booth could be found that the rules allow")))
            reasons.append(DomainError(N_("number %(place)s on the waiting list"), place=place))
        outcomes[application] = Outcome(application, booth, place, points_of[application], tuple(reasons))
    return Allocation(
        assignments=dict(market.booth_of),
        waiting=waiting,
        outcomes=outcomes,
        points=sum(market.points(a, b) for a, b in market.booth_of.items()),
        first_choices=sum(1 for a, b in market.booth_of.items() if by_id[a].preferences[:1] == (b,)),
    )


def may_be_offered(rules: Rules, applicant: Exhibitor, held: Iterable[Exhibitor]) -> bool:
    """Whether a booth freed after the allocation (`applicant.spot`) may go to this application
    from the waiting list under the fair's rules: no quota of its province, region or group full
    with the booths held, and, when one group is kept apart, no neighbour of its group."""
    held = list(held)
    for kind, key, quota in _quota_checks(rules, applicant):
        if quota.maximum is not None and sum(1 for h in held if _key(h, kind) == key) >= quota.maximum:
            return False
    if rules.separate_groups and applicant.group:
        beside = neighbours([applicant.spot, *(h.spot for h in held)]).get(applicant.spot.id, frozenset())
        if any(h.group == applicant.group for h in held if h.spot.id in beside):
            return False
    return True


def _key(candidate: Candidate | Exhibitor, kind: str) -> str:
    return {"province": candidate.province, "region": candidate.region, "group": candidate.group}[kind]


def _shown(points: float) -> str:
    return f"{points:g}"


def _where(candidate: Candidate, spot: Spot, pinned: bool = False) -> DomainError:
    if candidate.preferences[:1] == (spot.id,):
        return DomainError(N_("booth %(code)s, the first choice"), code=spot.code)
    if spot.id in candidate.preferences:
        return DomainError(N_("booth %(code)s, choice %(rank)s"), code=spot.code, rank=candidate.preferences.index(spot.id) + 1)
    if candidate.preferences and not pinned:  # a pinned booth is there by the organisers' choice, said before
        return DomainError(N_("booth %(code)s: the booths chosen went to applications ranked higher"), code=spot.code)
    return DomainError(N_("booth %(code)s"), code=spot.code)


def _place(market: _Market, admitted: list[int]) -> None:
    """Pins first; then the placement of most preference points (exact); then, if staff keep
    one group's producers apart, moves that settle each clash for the fewest points."""
    for application, booth in market.pins.items():
        market.place(application, booth)
    unplaced = [a for a in admitted if a not in market.booth_of]
    for application, booth in _most_points(market, unplaced, [b for b in market.order if b not in market.holder]).items():
        market.place(application, booth)
    free = [b for b in market.order if b not in market.holder]
    for application in unplaced:  # a chain of moves for any the flow could not place (forbidden booths)
        if application not in market.booth_of and _augment(market, application, set()):
            free = [b for b in market.order if b not in market.holder]
    if market.rules.separate_groups:
        _separate(market, admitted, free)
    _improve(market, free)


def _most_points(market: _Market, applications: list[int], booths: list[int]) -> dict[int, int]:
    """A booth for each application, with the most preference points: a min-cost flow by
    successive shortest paths (Bellman-Ford with a queue), which is exact.

    Points dominate; among placements of equal points the higher-ranked application's choice
    wins (a tie-break too small to outweigh one point). Booths nobody chose are reached through
    one hub per class, so the graph stays sparse: about five edges per application.
    """
    if not applications or not booths:
        return {}
    rank = {a: i for i, a in enumerate(applications)}
    unit = len(applications) + 1
    index: dict[tuple[str, int], int] = {}
    SOURCE, SINK, PLAIN, RESERVED = 0, 1, 2, 3
    size = 4
    for kind, ids in (("a", applications), ("b", booths)):
        for item in ids:
            index[kind, item] = size
            size += 1
    graph: list[list[list]] = [[] for _ in range(size)]

    def edge(u: int, v: int, capacity: int, cost: int) -> None:
        forward, backward = [v, capacity, cost, None], [u, 0, -cost, None]
        forward[3], backward[3] = backward, forward
        graph[u].append(forward)
        graph[v].append(backward)

    offered = set(booths)
    by_hand = {a for a, _ in market.rules.forbidden}
    for application in applications:
        node = index["a", application]
        edge(SOURCE, node, 1, 0)
        candidate = market.by_id[application]
        for booth in dict.fromkeys(candidate.preferences[:MAX_PREFERENCES]):
            if booth in offered and market.may_take(application, booth):
                points = market.points(application, booth)
                edge(node, index["b", booth], 1, -(points * unit * unit + (unit - rank[application])))
        if application in by_hand:  # its own list of the booths it may have
            for booth in booths:
                if market.may_take(application, booth):
                    edge(node, index["b", booth], 1, 0)
            continue
        edge(node, PLAIN, 1, 0)
        if market.high(application):
            edge(node, RESERVED, 1, 0)
    for booth in booths:
        node = index["b", booth]
        edge(RESERVED if market.reserved(booth) else PLAIN, node, 1, 0)
        edge(node, SINK, 1, 0)

    for _ in applications:
        distance = [None] * size
        via: list = [None] * size
        distance[SOURCE] = 0
        queue, queued = deque([SOURCE]), [False] * size
        while queue:
            u = queue.popleft()
            queued[u] = False
            base = distance[u]
            for e in graph[u]:
                if e[1] > 0 and (distance[e[0]] is None or base + e[2] < distance[e[0]]):
                    distance[e[0]] = base + e[2]
                    via[e[0]] = e
                    if not queued[e[0]]:
                        queued[e[0]] = True
                        queue.append(e[0])
        if distance[SINK] is None:
            break  # the rest cannot be placed by the flow; chains of moves try after
        v = SINK
        while v != SOURCE:
            e = via[v]
            e[1] -= 1
            e[3][1] += 1
            v = e[3][0]

    booth_at = {node: booth for (kind, booth), node in index.items() if kind == "b"}
    placed: dict[int, int] = {}
    for application in applications:
        for e in graph[index["a", application]]:
            if e[1] == 0 and e[0] != SOURCE and e[3][1] == 1:
                placed[application] = booth_at.get(e[0]) if e[0] in booth_at else _through_hub(graph, e[0], booth_at, placed)
                break
    return placed


def _through_hub(graph: list[list[list]], hub: int, booth_at: dict[int, int], placed: dict[int, int]) -> int:
    """A booth the hub sent one unit of flow to and that is not yet given out."""
    given = set(placed.values())
    for e in graph[hub]:
        if e[0] in booth_at and e[3][1] > 0 and booth_at[e[0]] not in given:
            return booth_at[e[0]]
    raise AssertionError("the flow through a hub must reach a booth")


def _separate(market: _Market, admitted: list[int], free: list[int]) -> None:
    """Settle each clash of one group's producers side by side: the lower-ranked of the two moves
    to the free booth that keeps most of its points, or swaps with a neighbour's neighbour."""
    for application in reversed(admitted):
        booth = market.booth_of.get(application)
        if booth is None or market.apart(application, booth) or application in market.pins:
            continue
        options = [b for b in free if market.may_take(application, b) and market.apart(application, b)]
        if options:
            best = max(options, key=lambda b: (market.points(application, b), -market.order.index(b)))
            market.place(application, best)
            free.remove(best)
            free.append(booth)
            continue
        for other, other_booth in sorted(market.booth_of.items()):
            if (other != application and other not in market.pins
                    and market.may_take(application, other_booth) and market.may_take(other, booth)
                    and market.apart(application, other_booth, ignore=(other,))
                    and market.apart(other, booth, ignore=(application,))):
                market.holder[booth], market.holder[other_booth] = other, application
                market.booth_of[application], market.booth_of[other] = other_booth, booth
                break


def _improve(market: _Market, free: list[int]) -> None:
    """Local search: move to a free preferred booth, or swap with a holder, when the total rises."""
    pinned = market.pins
    improved = True
    while improved:
        improved = False
        for application in sorted(market.booth_of):
            if application in pinned:
                continue
            current = market.booth_of[application]
            now = market.points(application, current)
            for booth in market.by_id[application].preferences[:MAX_PREFERENCES]:
                gain = market.points(application, booth) - now
                if gain <= 0 or booth not in market.spots or not market.may_take(application, booth):
                    continue
                other = market.holder.get(booth)
                if other is None:
                    if market.apart(application, booth, ignore=()):
                        market.place(application, booth)
                        free.remove(booth)
                        free.append(current)
                        improved = True
                        break
                    continue
                if other in pinned or not market.may_take(other, current):
                    continue
                swap_gain = gain + market.points(other, current) - market.points(other, booth)
                if swap_gain > 0 and market.apart(application, booth, ignore=(other,)) and market.apart(other, current, ignore=(application,)):
                    market.holder[booth], market.holder[current] = application, other
                    market.booth_of[application], market.booth_of[other] = booth, current
                    improved = True
                    break
