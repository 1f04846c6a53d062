"""Producer–distributor matching: a score and the reasons behind it, from plain facts.

A distributor's sourcing interest concerns a product when the product group is the one asked for
(or the interest takes any group) and the producer is from the province or region asked for (or
the interest takes anywhere). A product it concerns then passes the hard filters or it does not:
its OCOP certificate valid on the conference's last day, at least the stars asked for, and every
certification the interest requires (VietGAP, HACCP…), held by the product or its producer and
valid on that day. A product that fails one is never scored: it is shown below every passing
match, with what is missing. A passing product scores by soft preferences, each a factor with
its points: what any fit is worth, the group and the place asked for precisely, stars above
three, a channel both sell through, a monthly capacity that covers the volume asked for.

Each product counts once, with the interest it fits best; a producer–distributor pair scores the
sum over its passing products, so the score is the same whichever side looks at it. Mutual
interest (an accepted meeting request, or a producer's request to a distributor that shortlisted
one of its products) ranks a pair first among those that pass, whatever their scores.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from events_app.core.i18n import N_, format_date, gettext
from events_app.core.labels import label
from events_app.core.text import fold

# Points of the soft preferences of one passing product.
BASE_POINTS = 10
GROUP_POINTS = 10
PROVINCE_POINTS = 6
REGION_POINTS = 4
POINTS_PER_STAR_ABOVE_THREE = 2
CHANNEL_POINTS = 5
VOLUME_POINTS = 5

# Units a capacity and a volume can be compared in: a unit's dimension and its size in that dimension.
UNITS = {"kg": ("mass", 1), "tonne": ("mass", 1000), "litre": ("volume", 1), "item": ("count", 1)}


@dataclass(frozen=True)
class Held:
    """A certification a product holds (its own or its producer's)."""

    kind: str
    valid_from: dt.date
    valid_until: dt.date | None  # None: no end date (a standards declaration)
    number: str = ""

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


@dataclass(frozen=True)
class Interest:
    """An active sourcing interest of a distributor; names are in the reader's language."""

    id: int
    distributor_id: int
    min_stars: int
    group_id: int | None = None
    group_name: str = ""
    province_id: int | None = None
    region_id: int | None = None
    place_name: str = ""
    volume: str = ""
    required_kinds: frozenset[str] = frozenset()
    channels: frozenset[str] = frozenset()
    min_monthly_volume: int | None = None
    volume_unit: str = "kg"


@dataclass(frozen=True)
class Offer:
    """A product of a producer, with where the producer is from and what it holds."""

    product_id: int
    producer_id: int
    name: str
    group_id: int
    group_name: str
    stars: int
    province_id: int
    region_id: int
    province_name: str
    valid_until: dt.date
    certifications: tuple[Held, ...] = ()
    channels: frozenset[str] = frozenset()
    monthly_capacity: int | None = None
    capacity_unit: str = "kg"


@dataclass(frozen=True)
class Factor:
    """A soft preference that moved the score: its code, its points, and what to say of it."""

    code: str
    points: int
    params: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True)
class Problem:
    """A hard filter the product fails: too few stars, a certification missing or not valid."""

    code: str
    params: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True)
class Fit:
    offer: Offer
    interest: Interest
    factors: tuple[Factor, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def passes(self) -> bool:
        return not self.problems

    @property
    def points(self) -> int:
        return sum(f.points for f in self.factors) if self.passes else 0


@dataclass(frozen=True)
class Candidate:
    """A counterpart (a producer for a distributor, or the reverse), the products that make the match,
    those a hard filter keeps out, and whether the interest is mutual."""

    id: int
    name: str
    fits: tuple[Fit, ...]
    blocked: tuple[Fit, ...] = ()
    mutual: bool = False

    @property
    def score(self) -> int:
        return sum(fit.points for fit in self.fits)

    @property
    def passes(self) -> bool:
        return bool(self.fits)


def concerns(interest: Interest, offer: Offer) -> bool:
    """Whether the interest is about such a product at all: its group and where it comes from."""
    if interest.group_id is not None and interest.group_id != offer.group_id:
        return False
    anywhere = interest.province_id is None and interest.region_id is None
    in_province = interest.province_id is not None and interest.province_id == offer.province_id
    in_region = interest.region_id is not None and interest.region_id == offer.region_id
    return anywhere or in_province or in_region


def problems(interest: Interest, offer: Offer, valid_on: dt.date) -> tuple[Problem, ...]:
    """The hard filters the offer fails for the interest, in a stable order."""
    found = []
    if offer.valid_until < valid_on:
        found.append(Problem("ocop_expired", (("until", offer.valid_until),)))
    if offer.stars < interest.min_stars:
        found.append(Problem("stars", (("stars", offer.stars), ("min", interest.min_stars))))
    for kind in sorted(interest.required_kinds):
        held = [c for c in offer.certifications if c.kind == kind]
        if not held:
            found.append(Problem("missing", (("kind", kind),)))
        elif not any(c.valid_on(valid_on) for c in held):
            last = max(held, key=lambda c: c.valid_until or dt.date.max)
            code = "not_yet" if last.valid_from > valid_on else "expired"
            found.append(Problem(code, (("kind", kind), ("from", last.valid_from), ("until", last.valid_until))))
    return tuple(found)


def _in_base_unit(amount: int, unit: str) -> tuple[str, int] | None:
    if unit not in UNITS:
        return None
    dimension, size = UNITS[unit]
    return dimension, amount * size


def factors(interest: Interest, offer: Offer) -> tuple[Factor, ...]:
    """The soft preferences the offer meets, each with its points (for an offer the interest concerns)."""
    found = [Factor("base", BASE_POINTS)]
    if interest.group_id is not None:
        found.append(Factor("group", GROUP_POINTS, (("group", interest.group_name),)))
    if interest.province_id is not None and interest.province_id == offer.province_id:
        found.append(Factor("province", PROVINCE_POINTS, (("place", interest.place_name),)))
    elif interest.region_id is not None and interest.region_id == offer.region_id:
        found.append(Factor("region", REGION_POINTS, (("place", interest.place_name),)))
    if offer.stars > 3:
        found.append(Factor("stars", POINTS_PER_STAR_ABOVE_THREE * (offer.stars - 3), (("stars", offer.stars),)))
    if shared := sorted(interest.channels & offer.channels):
        found.append(Factor("channels", CHANNEL_POINTS, (("channels", tuple(shared)),)))
    if interest.min_monthly_volume is not None and offer.monthly_capacity is not None:
        wanted = _in_base_unit(interest.min_monthly_volume, interest.volume_unit)
        able = _in_base_unit(offer.monthly_capacity, offer.capacity_unit)
        if wanted and able and wanted[0] == able[0] and able[1] >= wanted[1]:
            found.append(Factor("volume", VOLUME_POINTS, (
                ("capacity", offer.monthly_capacity), ("capacity_unit", offer.capacity_unit),
                ("volume", interest.min_monthly_volume), ("volume_unit", interest.volume_unit),
            )))
    return tuple(found)


def assess(interest: Interest, offer: Offer, valid_on: dt.date) -> Fit | None:
    """The offer as the interest sees it: None when the interest does not concern it."""
    if not concerns(interest, offer):
        return None
    found = problems(interest, offer, valid_on)
    return Fit(offer, interest, () if found else factors(interest, offer), found)


def points(interest: Interest, offer: Offer, valid_on: dt.date = dt.date.min) -> int:
    """What the offer is worth to the interest; 0 when it does not concern it or fails a hard filter."""
    fit = assess(interest, offer, valid_on)
    return fit.points if fit else 0


def assessed(
    interests: Sequence[Interest], offers: Sequence[Offer], valid_on: dt.date
) -> tuple[tuple[Fit, ...], tuple[Fit, ...]]:
    """(passing, blocked): each offer once, with the interest it fits best, or when none passes, the
    one it comes nearest to (fewest problems); best first."""
    passing, blocked = [], []
    for offer in offers:
        seen = [fit for interest in interests if (fit := assess(interest, offer, valid_on)) is not None]
        good = [fit for fit in seen if fit.passes]
        if good:
            passing.append(max(good, key=lambda fit: fit.points))  # max keeps the first of equals
        elif seen:
            blocked.append(min(seen, key=lambda fit: len(fit.problems)))
    passing.sort(key=lambda fit: (-fit.points, fold(fit.offer.name), fit.offer.product_id))
    blocked.sort(key=lambda fit: (len(fit.problems), fold(fit.offer.name), fit.offer.product_id))
    return tuple(passing), tuple(blocked)


def fits(interests: Sequence[Interest], offers: Sequence[Offer], valid_on: dt.date) -> tuple[Fit, ...]:
    """Each offer that passes, with the interest it fits best, best first."""
    return assessed(interests, offers, valid_on)[0]


def rank(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Candidates that match at all: those that pass before those a hard filter keeps out; among
    them, mutual interest first, then the highest score, then by name."""
    return sorted(
        (c for c in candidates if c.fits or c.blocked),
        key=lambda c: (not c.passes, not c.mutual, -c.score, fold(c.name), c.id),
    )


def producers_for(
    interests: Sequence[Interest], producers: Iterable[tuple[int, str, Sequence[Offer]]], valid_on: dt.date,
    mutual: frozenset[int] | set[int] = frozenset(),
) -> list[Candidate]:
    """The producers, as (id, name, offers), that a distributor with these interests should meet;
    `mutual` the ids of those whose interest is mutual."""
    return rank(
        Candidate(pid, name, *assessed(interests, offers, valid_on), mutual=pid in mutual)
        for pid, name, offers in producers
    )


def distributors_for(
    offers: Sequence[Offer], distributors: Iterable[tuple[int, str, Sequence[Interest]]], valid_on: dt.date,
    mutual: frozenset[int] | set[int] = frozenset(),
) -> list[Candidate]:
    """The distributors, as (id, name, interests), interested in what a producer with these offers makes."""
    return rank(
        Candidate(did, name, *assessed(interests, offers, valid_on), mutual=did in mutual)
        for did, name, interests in distributors
    )


def is_mutual(*, request_status: str | None, requested_by: str | None, shortlisted: bool) -> bool:
    """Both sides want to meet: a request was accepted, or the producer asked a distributor that
    had shortlisted one of its products."""
    if request_status == "accepted":
        return True
    return shortlisted and requested_by == "producer" and request_status == "requested"


# Reasons, in the reader's language -----------------------------------------------------------

def describe_interest(interest: Interest) -> str:
    """E.g. "beverages ≥ 4★ from Nghệ An" or "any product ≥ 3★"."""
    params = {"stars": interest.min_stars, "place": interest.place_name}
    if interest.group_id is not None:
        params["group"] = _lower_first(interest.group_name)
        message = N_("%(group)s ≥ %(stars)d★ from %(place)s") if interest.place_name else N_("%(group)s ≥ %(stars)d★")
    else:
        message = N_("any product ≥ %(stars)d★ from %(place)s") if interest.place_name else N_("any product ≥ %(stars)d★")
    return gettext(message) % params


def reason_for_distributor(fit: Fit) -> str:
    """Why a producer's product suits the distributor reading."""
    offer = fit.offer
    return gettext(N_("%(product)s: %(stars)d★ %(group)s from %(province)s, matches your interest in %(interest)s")) % {
        "product": offer.name,
        "stars": offer.stars,
        "group": offer.group_name,
        "province": offer.province_name,
        "interest": describe_interest(fit.interest),
    }


def reason_for_producer(fit: Fit) -> str:
    """Why a distributor is interested in the producer reading."""
    params = {
        "product": fit.offer.name,
        "stars": fit.offer.stars,
        "group": fit.offer.group_name,
        "interest": describe_interest(fit.interest),
        "volume": fit.interest.volume,
    }
    if fit.interest.volume:
        message = N_("Your %(product)s (%(stars)d★ %(group)s) matches their interest in %(interest)s, volume %(volume)s")
    else:
        message = N_("Your %(product)s (%(stars)d★ %(group)s) matches their interest in %(interest)s")
    return gettext(message) % params


def reasons(candidate: Candidate, *, reader_is_producer: bool) -> list[str]:
    describe = reason_for_producer if reader_is_producer else reason_for_distributor
    return [describe(fit) for fit in candidate.fits]


FACTOR_TEXT = {
    "base": N_("fits a sourcing interest"),
    "group": N_("the product group asked for: %(group)s"),
    "province": N_("from the province asked for: %(place)s"),
    "region": N_("from the region asked for: %(place)s"),
    "stars": N_("%(stars)d★, above the 3★ every OCOP product has"),
    "channels": N_("sold through a channel both use: %(channels)s"),
    "volume": N_("supplies %(capacity)s a month, at least the %(volume)s asked for"),
}

PROBLEM_TEXT = {
    "ocop_expired": N_("its OCOP certificate ran out on %(until)s"),
    "stars": N_("%(stars)d★, below the %(min)d★ asked for"),
    "missing": N_("no %(kind)s certification, which is required"),
    "expired": N_("its %(kind)s certification ran out on %(until)s"),
    "not_yet": N_("its %(kind)s certification is valid only from %(from)s"),
}


def amount(value: int, unit: str) -> str:
    """E.g. "2 tonnes" / "2 tấn"."""
    return f"{value:,}".replace(",", ".") + " " + label("volume_unit", unit)


def _shown(params: tuple[tuple[str, object], ...]) -> dict:
    out = {}
    values = dict(params)
    for key, value in values.items():
        if key in ("capacity_unit", "volume_unit"):
            continue
        if key == "kind":
            value = label("certification_kind", value)
        elif key == "channels":
            value = ", ".join(label("channel", c) for c in value)
        elif key == "group":
            value = _lower_first(str(value))
        elif isinstance(value, dt.date):
            value = format_date(value)
        out[key] = value
    if "capacity" in values:
        out["capacity"] = amount(values["capacity"], values["capacity_unit"])
        out["volume"] = amount(values["volume"], values["volume_unit"])
    return out


def factor_text(factor: Factor) -> str:
    """E.g. "+6 from the province asked for: Nghệ An"."""
    return f"+{factor.points} " + gettext(FACTOR_TEXT[factor.code]) % _shown(factor.params)


def problem_text(problem: Problem) -> str:
    return gettext(PROBLEM_TEXT[problem.code]) % _shown(problem.params)


@dataclass
class Explanation:
    """Everything the matches page says of a candidate: each passing product with the factors of
    its points, the products kept out with why, and the mutual interest."""

    fits: list[tuple[str, list[str]]] = field(default_factory=list)
    blocked: list[tuple[str, list[str]]] = field(default_factory=list)
    mutual: str = ""


def explain(candidate: Candidate, *, reader_is_producer: bool) -> Explanation:
    describe = reason_for_producer if reader_is_producer else reason_for_distributor
    out = Explanation(mutual=gettext(N_("Mutual interest: you both want to meet")) if candidate.mutual else "")
    for fit in candidate.fits:
        out.fits.append((describe(fit), [factor_text(f) for f in fit.factors if f.points]))
    for fit in candidate.blocked:
        heading = gettext(N_("%(product)s, for the interest in %(interest)s")) % {
            "product": fit.offer.name, "interest": describe_interest(fit.interest),
        }
        out.blocked.append((heading, [problem_text(p) for p in fit.problems]))
    return out


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]

