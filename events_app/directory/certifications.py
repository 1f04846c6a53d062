"""Certifications besides OCOP's (VietGAP, GlobalGAP, HACCP, ISO 22000, organic) and compliance
documents (food-safety certificate, standards declaration, trademark): held by a product, or by its
producer for every product it makes. Each runs from a day to a day, but a standards declaration may
have no end date (OPEN_ENDED_KINDS).

A producer adds and removes its own; a product id or certification id of someone else is
answered as if it did not exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from events_app.core.audit import audit
from events_app.core.clock import today
from events_app.core.dates import add_months
from events_app.core.db import write_transaction
from events_app.core.errors import DomainError, NotFound, ValidationError
from events_app.core.i18n import N_
from events_app.directory.profiles import KINDS, validity
from events_app.directory.services import require
from events_app.directory.tables import OPEN_ENDED_KINDS, Certification, Product

NUMBER_LENGTH = 80
ISSUER_LENGTH = 200
EARLIEST = dt.date(1990, 1, 1)  # no certification of a product on sale today is older
LONGEST_YEARS = 10  # the longest any of these certifications runs


@dataclass
class CertificationInput:
    kind: str
    number: str
    issuer: str
    valid_from: dt.date | None
    valid_until: dt.date | None  # None: no end date, for the kinds that may have none
    product_id: int | None = None  # None: the producer's own, for all its products


COLUMNS = (
    Certification.id, Certification.product, Certification.producer, Certification.kind, Certification.number,
    Certification.issuer, Certification.valid_from, Certification.valid_until,
)


def _shown(row: dict, on: dt.date) -> dict:
    return {**row, "validity": validity(row["valid_from"], row["valid_until"], on)}


async def held_by(product_ids: list[int], producer_ids: list[int]) -> dict[tuple[str, int], list[dict]]:
    """Certifications of these products and producers, by ("product", id) or ("producer", id)."""
    out: dict[tuple[str, int], list[dict]] = {}
    if not product_ids and not producer_ids:
        return out
    where = None
    if product_ids:
        where = Certification.product.is_in(product_ids)
    if producer_ids:
        by_producer = Certification.producer.is_in(producer_ids)
        where = by_producer if where is None else where | by_producer
    for row in await Certification.select(*COLUMNS).where(where).order_by(Certification.kind, Certification.id):
        key = ("product", row["product"]) if row["product"] else ("producer", row["producer"])
        out.setdefault(key, []).append(row)
    return out


async def shown_for(product_ids: list[int], producer_ids: list[int], on: dt.date | None = None) -> dict:
    """As `held_by`, each with its validity today: valid, expiring, expired or not_yet."""
    on = on or today()
    return {key: [_shown(row, on) for row in rows] for key, rows in (await held_by(product_ids, producer_ids)).items()}


async def of_product(product_id: int) -> list[dict]:
    return (await shown_for([product_id], [])).get(("product", product_id), [])


async def of_producer(producer_id: int) -> list[dict]:
    return (await shown_for([], [producer_id])).get(("producer", producer_id), [])


def rule_errors(data: CertificationInput) -> dict[str, DomainError]:
    errors: dict[str, DomainError] = {}
    if data.kind not in KINDS:
        errors["kind"] = DomainError(N_("Choose one of the options."))
    require(errors, "number", data.number.strip())
    if data.valid_from is None:
        errors.setdefault("valid_from", DomainError(N_("Enter the date the certification was given.")))
    elif data.valid_from < EARLIEST:
        errors["valid_from"] = DomainError(N_("Enter a date from 1990 on."))
    elif data.valid_from > today():
        errors["valid_from"] = DomainError(N_("A certification is added once it has been given."))
    if data.valid_until is None:
        if data.kind not in OPEN_ENDED_KINDS:
            errors.setdefault("valid_until", DomainError(N_("Enter the last day the certification is valid.")))
    elif data.valid_from is not None and "valid_from" not in errors:
        if data.valid_until < data.valid_from:
            errors["valid_until"] = DomainError(N_("The certification cannot end before it begins."))
        elif data.valid_until > add_months(data.valid_from, 12 * LONGEST_YEARS):
            errors["valid_until"] = DomainError(N_("No such certification runs longer than ten years."))
    return errors


async def add(producer_id: int, data: CertificationInput, *, actor_id: int,
              parse_errors: dict[str, DomainError] | None = None) -> int:
    """Record a certification of the producer or of one of its products; returns its id."""
    if data.product_id is not None:
        await _own_product(producer_id, data.product_id)
    errors = {**rule_errors(data), **(parse_errors or {})}
    if errors:
        raise ValidationError(errors)
    values = {
        "kind": data.kind, "number": data.number.strip(), "issuer": data.issuer.strip(),
        "valid_from": data.valid_from, "valid_until": data.valid_until,
    }
    async with write_transaction():
        row = Certification(
            **values,
            product=data.product_id,
            producer=None if data.product_id is not None else producer_id,
        )
        await row.save()
        await audit("certification.add", actor_id=actor_id,
                    target=("product", data.product_id) if data.product_id else ("producer", producer_id),
                    after={"id": row.id, **values})
    return row.id


async def _own_product(producer_id: int | None, product_id: int) -> dict:
    row = None
    if producer_id is not None:
        row = await Product.select(Product.id, Product.name).where(
            (Product.id == product_id) & (Product.producer == producer_id)
        ).first()
    if row is None:
        raise NotFound(N_("This product does not exist."))
    return row


async def own(producer_id: int | None, certification_id: int) -> dict:
    """A certification of the producer or of one of its products."""
    row = None
    if producer_id is not None:
        row = await Certification.select(*COLUMNS).where(
            (Certification.id == certification_id)
            & ((Certification.producer == producer_id) | (Certification.product.producer == producer_id))
        ).first()
    if row is None:
        raise NotFound(N_("This certification does not exist."))
    return row


async def remove(producer_id: int | None, certification_id: int, *, actor_id: int) -> dict:
    row = await own(producer_id, certification_id)
    async with write_transaction():
        await Certification.delete().where(Certification.id == certification_id)
        await audit("certification.remove", actor_id=actor_id,
                    target=("product", row["product"]) if row["product"] else ("producer", row["producer"]),
                    before={"id": row["id"], "kind": row["kind"], "number": row["number"]})
    return row
