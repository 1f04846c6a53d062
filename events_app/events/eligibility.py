"""Who may take part in an event: the rules staff set, checked for a producer and its products.

Pure logic: rules and candidates in, every reason for refusal out, so a producer learns all that
stands in the way at once rather than one reason per attempt.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Sequence

from events_app.core.clock import LOCAL_TZ
from events_app.core.dates import is_valid
from events_app.core.errors import DomainError
from events_app.core.i18n import N_


@dataclass(frozen=True)
class Rules:
    starts_on: dt.date
    ends_on: dt.date
    min_stars: int | None = None
    group_ids: frozenset[int] = frozenset()
    province_ids: frozenset[int] = frozenset()
    region_ids: frozenset[int] = frozenset()
    producer_types: frozenset[str] = frozenset()
    opens_at: dt.datetime | None = None
    closes_at: dt.datetime | None = None


@dataclass(frozen=True)
class Candidate:
    producer_type: str
    province_id: int
    region_id: int
    province_name: str = ""


@dataclass(frozen=True)
class ProductFacts:
    name: str
    stars: int
    group_id: int
    valid_until: dt.date
    group_name: str = ""


@dataclass
class Verdict:
    reasons: list[DomainError] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.reasons

    def messages(self) -> list[str]:
        return [str(reason) for reason in self.reasons]


NOT_YET_OPEN, OPEN, CLOSED = "not_yet_open", "open", "closed"


def window_state(opens_at: dt.datetime | None, closes_at: dt.datetime | None, at: dt.datetime) -> str:
    """Where `at` falls in an application window; a missing end leaves that side open."""
    if opens_at is not None and at < opens_at:
        return NOT_YET_OPEN
    if closes_at is not None and at > closes_at:
        return CLOSED
    return OPEN


def window_reasons(rules: Rules, now: dt.datetime) -> list[DomainError]:
    state = window_state(rules.opens_at, rules.closes_at, now)
    if state == NOT_YET_OPEN:
        return [DomainError(N_("Applications open on %(date)s."), date=_day(rules.opens_at))]
    if state == CLOSED:
        return [DomainError(N_("Applications closed on %(date)s."), date=_day(rules.closes_at))]
    return []


def producer_reasons(rules: Rules, candidate: Candidate) -> list[DomainError]:
    reasons: list[DomainError] = []
    if rules.producer_types and candidate.producer_type not in rules.producer_types:
        reasons.append(DomainError(N_("Your type of producer is not admitted to this event.")))
    if rules.province_ids or rules.region_ids:
        admitted = candidate.province_id in rules.province_ids or candidate.region_id in rules.region_ids
        if not admitted:
            reasons.append(
                DomainError(N_("Producers from %(province)s are not admitted to this event."),
                            province=candidate.province_name or "?")
            )
    return reasons


def product_reasons(rules: Rules, product: ProductFacts, today: dt.date | None = None) -> list[DomainError]:
    """Why the product cannot be shown; `today`, when given, tells a certificate already run out
    from one that only ends before the event does."""
    reasons: list[DomainError] = []
    if today is not None and product.valid_until < today:
        reasons.append(
            DomainError(
                N_("%(product)s: its certificate expired on %(date)s."),
                product=product.name,
                date=product.valid_until.strftime("%d/%m/%Y"),
            )
        )
    elif not is_valid(product.valid_until, on=rules.ends_on):
        reasons.append(
            DomainError(
                N_("%(product)s: its certificate is valid until %(date)s, before the event ends."),
                product=product.name,
                date=product.valid_until.strftime("%d/%m/%Y"),
            )
        )
    if rules.min_stars and product.stars < rules.min_stars:
        reasons.append(
            DomainError(
                N_("%(product)s: %(stars)d stars, the event asks for at least %(min)d."),
                product=product.name,
                stars=product.stars,
                min=rules.min_stars,
            )
        )
    if rules.group_ids and product.group_id not in rules.group_ids:
        reasons.append(
            DomainError(N_("%(product)s: the group %(group)s is not admitted."), product=product.name,
                        group=product.group_name or "?")
        )
    return reasons


def check(
    rules: Rules,
    candidate: Candidate,
    products: Sequence[ProductFacts],
    now: dt.datetime,
    *,
    require_products: bool = True,
) -> Verdict:
    """Every reason the producer, with these products, cannot take part now."""
    verdict = Verdict(window_reasons(rules, now) + producer_reasons(rules, candidate))
    if require_products and not products:
        verdict.reasons.append(DomainError(N_("Choose at least one product to show.")))
    for product in products:
        verdict.reasons.extend(product_reasons(rules, product, today=now.astimezone(LOCAL_TZ).date()))
    return verdict


def _day(moment: dt.datetime) -> str:
    from events_app.core.i18n import format_date

    return format_date(moment)
