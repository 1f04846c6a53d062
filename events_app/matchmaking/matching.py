"""Producer–distributor matching: a score and the reasons behind it, from plain facts.

A distributor's sourcing interest fits a product when the product group is the one asked for (or
the interest takes any group), the product has at least the stars asked for, and the producer is
from the province or region asked for (or the interest takes anywhere). Only products whose
certificate is still valid on the conference's last day count.

Each product counts once, with the interest it fits best; a producer–distributor pair scores the
sum over its fitting products, so the score is the same whichever side looks at it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Sequence

from events_app.core.i18n import N_, gettext
from events_app.core.text import fold

# Points of one fitting product: what any fit is worth, and more the more precisely it was asked for.
BASE_POINTS = 10
GROUP_POINTS = 10
PROVINCE_POINTS = 6
REGION_POINTS = 4
POINTS_PER_STAR_ABOVE_THREE = 2


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


@dataclass(frozen=True)
class Offer:
    """A product of a producer, with where the producer is from."""

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


@dataclass(frozen=True)
class Fit:
    offer: Offer
    interest: Interest
    points: int


@dataclass(frozen=True)
class Candidate:
    """A counterpart (a producer for a distributor, or the reverse) and the products that make the match."""

    id: int
    name: str
    fits: tuple[Fit, ...]

    @property
    def score(self) -> int:
        return sum(fit.points for fit in self.fits)


def points(interest: Interest, offer: Offer) -> int:
    """What the offer is worth to the interest; 0 when it does not fit."""
    if interest.group_id is not None and interest.group_id != offer.group_id:
        return 0
    if offer.stars < interest.min_stars:
        return 0
    anywhere = interest.province_id is None and interest.region_id is None
    in_province = interest.province_id is not None and interest.province_id == offer.province_id
    in_region = interest.region_id is not None and interest.region_id == offer.region_id
    if not (anywhere or in_province or in_region):
        return 0
    total = BASE_POINTS + POINTS_PER_STAR_ABOVE_THREE * max(0, offer.stars - 3)
    if interest.group_id is not None:
        total += GROUP_POINTS
    if in_province:
        total += PROVINCE_POINTS
    elif in_region:
        total += REGION_POINTS
    return total


def fits(interests: Sequence[Interest], offers: Sequence[Offer], valid_on: dt.date) -> tuple[Fit, ...]:
    """Each offer with a valid certificate and the interest it fits best, best first."""
    found = []
    for offer in offers:
        if offer.valid_until < valid_on:
            continue
        scored = [(points(interest, offer), interest) for interest in interests]
        best_points, best = max(scored, key=lambda pair: pair[0], default=(0, None))
        if best is not None and best_points > 0:
            found.append(Fit(offer, best, best_points))
    return tuple(sorted(found, key=lambda fit: (-fit.points, fold(fit.offer.name))))


def rank(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Candidates that match at all, highest score first, then by name."""
    return sorted((c for c in candidates if c.fits), key=lambda c: (-c.score, fold(c.name), c.id))


def producers_for(
    interests: Sequence[Interest], producers: Iterable[tuple[int, str, Sequence[Offer]]], valid_on: dt.date
) -> list[Candidate]:
    """The producers, as (id, name, offers), that a distributor with these interests should meet."""
    return rank(Candidate(pid, name, fits(interests, offers, valid_on)) for pid, name, offers in producers)


def distributors_for(
    offers: Sequence[Offer], distributors: Iterable[tuple[int, str, Sequence[Interest]]], valid_on: dt.date
) -> list[Candidate]:
    """The distributors, as (id, name, interests), interested in what a producer with these offers makes."""
    return rank(Candidate(did, name, fits(interests, offers, valid_on)) for did, name, interests in distributors)


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


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
