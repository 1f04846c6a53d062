"""The re-recognition cycle: certificates ending soon, dossiers sent, evaluated and decided.

A decision that re-recognises a product changes the product and appends its history in one
write transaction that locks the dossier and the product first; an audit entry records both.
A failure anywhere leaves the product, its history and the dossier as they were.
"""

from __future__ import annotations

import datetime as dt

from piccolo.query.functions.aggregate import Count

from events_app.core.audit import audit
from events_app.core.clock import now, today
from events_app.core.db import for_update, is_integrity_error, write_transaction
from events_app.core.errors import Conflict, DomainError, NotFound, ValidationError
from events_app.core.i18n import N_
from events_app.core.pagination import Page, paginate
from events_app.directory.tables import Product
from events_app.recognition import rules
from events_app.recognition.rules import EXPIRY_WINDOW_DAYS, OPEN_STATUSES, Decision, Evaluation
from events_app.recognition.tables import Dossier, DossierStatus, Recognition

PER_PAGE = 25

_PRODUCT_COLUMNS = (
    Product.id, Product.name, Product.slug, Product.stars, Product.certificate_number, Product.certified_on,
    Product.valid_until, Product.evaluation_level,
    Product.producer.id.as_alias("producer_id"),
    Product.producer.name.as_alias("producer_name"),
    Product.producer.province.name.as_alias("province_name"),
)


def _expiring_where(on: dt.date, window: int, province_id: int | None, stars: int | None):
    where = (Product.valid_until >= on) & (Product.valid_until <= on + dt.timedelta(days=window))
    if province_id is not None:
        where &= Product.producer.province == province_id
    if stars is not None:
        where &= Product.stars == stars
    return where


async def open_dossiers(product_ids: list[int]) -> dict[int, dict]:
    """The open dossier of each product that has one."""
    if not product_ids:
        return {}
    rows = await Dossier.select(Dossier.id, Dossier.product, Dossier.status, Dossier.submitted_at).where(
        Dossier.product.is_in(product_ids) & Dossier.status.is_in(list(OPEN_STATUSES))
    )
    return {row["product"]: row for row in rows}


async def _with_days_and_dossiers(rows: list[dict], on: dt.date) -> list[dict]:
    dossiers = await open_dossiers([row["id"] for row in rows])
    for row in rows:
        row["days_left"] = rules.days_left(row["valid_until"], on)
        row["dossier"] = dossiers.get(row["id"])
    return rows


async def expiring(
    number: int = 1, *, province_id: int | None = None, stars: int | None = None, on: dt.date | None = None,
    window: int = EXPIRY_WINDOW_DAYS, params: dict | None = None,
) -> Page:
    """Products whose certificate ends within `window` days (today included), soonest first."""
    on = on or today()
    where = _expiring_where(on, window, province_id, stars)
    page = await paginate(
        Product.select(*_PRODUCT_COLUMNS).where(where).order_by(Product.valid_until, Product.id),
        Product.count().where(where), number, PER_PAGE, params,
    )
    await _with_days_and_dossiers(page.items, on)
    return page


async def expiring_count(on: dt.date | None = None, window: int = EXPIRY_WINDOW_DAYS) -> int:
    return await Product.count().where(_expiring_where(on or today(), window, None, None))


_DOSSIER_COLUMNS = (
    Dossier.all_columns(),
    Dossier.product.name.as_alias("product_name"),
    Dossier.product.stars.as_alias("product_stars"),
    Dossier.product.valid_until.as_alias("product_valid_until"),
    Dossier.product.producer.id.as_alias("producer_id"),
    Dossier.product.producer.name.as_alias("producer_name"),
    Dossier.product.producer.province.name.as_alias("province_name"),
)


async def dossiers(status: str, number: int = 1, params: dict | None = None) -> tuple[Page, dict[str, int]]:
    """Dossiers of one status, oldest first (the first sent is the first to evaluate), and the count of each;
    `params` are the query of the page they are shown on, for the links to its other pages."""
    where = Dossier.status == status
    page = await paginate(
        Dossier.select(*_DOSSIER_COLUMNS).where(where).order_by(Dossier.submitted_at, Dossier.id),
        Dossier.count().where(where), number, PER_PAGE, params,
    )
    counted = await Dossier.select(Dossier.status, Count()).group_by(Dossier.status)
    counts = {s.value: 0 for s in DossierStatus} | {row["status"]: row["count"] for row in counted}
    return page, counts


async def history(product_id: int) -> list[dict]:
    """The product's recognitions, newest first, with who decided them."""
    return await Recognition.select(
        Recognition.all_columns(), Recognition.decided_by.name.as_alias("decided_by_name"),
    ).where(Recognition.product == product_id).order_by(Recognition.id, ascending=False)


async def dossier(dossier_id: int) -> dict:
    row = await Dossier.select(
        *_DOSSIER_COLUMNS,
        Dossier.product.certificate_number.as_alias("product_certificate_number"),
        Dossier.product.certified_on.as_alias("product_certified_on"),
        Dossier.submitted_by.name.as_alias("submitted_by_name"),
        Dossier.evaluated_by.name.as_alias("evaluated_by_name"),
        Dossier.decided_by.name.as_alias("decided_by_name"),
    ).where(Dossier.id == dossier_id).first()
    if row is None:
        raise NotFound(N_("This dossier does not exist."))
    row["days_left"] = rules.days_left(row["product_valid_until"], today())
    row["actions"] = rules.DOSSIERS.actions_from(row["status"])
    return row


# The producer's side ------------------------------------------------------------------------------

async def producer_certificates(producer_id: int, on: dt.date | None = None) -> list[dict]:
    """The producer's products whose certificate ends within the window or has ended, soonest first,
    each with its days left and its open dossier."""
    on = on or today()
    rows = await Product.select(*_PRODUCT_COLUMNS).where(
        (Product.producer == producer_id) & (Product.valid_until <= on + dt.timedelta(days=EXPIRY_WINDOW_DAYS))
    ).order_by(Product.valid_until, Product.id)
    return await _with_days_and_dossiers(rows, on)


async def producer_dossiers(producer_id: int) -> list[dict]:
    return await Dossier.select(*_DOSSIER_COLUMNS).where(
        Dossier.product.producer == producer_id
    ).order_by(Dossier.id, ascending=False)


async def submit(producer_id: int, product_id: int, note: str, *, actor_id: int) -> int:
    """A producer sends a re-recognition dossier for its own product (another's is not found), once
    the certificate ends within the window or has ended; one open dossier per product."""
    async with write_transaction():
        product = await for_update(Product.select(Product.id, Product.name, Product.valid_until).where(
            (Product.id == product_id) & (Product.producer == producer_id)
        )).first()
        if product is None:
            raise NotFound(N_("This product does not exist."))
        if rules.days_left(product["valid_until"], today()) > EXPIRY_WINDOW_DAYS:
            raise Conflict(N_("A re-recognition dossier can be sent from %(days)d days before the certificate ends."),
                           days=EXPIRY_WINDOW_DAYS)
        if await Dossier.exists().where((Dossier.product == product_id) & Dossier.status.is_in(list(OPEN_STATUSES))):
            raise Conflict(N_("A re-recognition dossier for this product is already being reviewed."))
        try:
            row = Dossier(product=product_id, note=note, submitted_by=actor_id, submitted_at=now())
            await row.save()
        except Exception as exc:
            if is_integrity_error(exc):  # sent twice at the same moment
                raise Conflict(N_("A re-recognition dossier for this product is already being reviewed.")) from exc
            raise
        await audit("dossier.submit", actor_id=actor_id, target=("dossier", row.id),
                    detail={"product": product_id, "name": product["name"]}, after={"status": row.status})
    return row.id


# Staff's decisions --------------------------------------------------------------------------------

async def _locked_dossier(dossier_id: int, action: str) -> tuple[dict, str]:
    row = await for_update(Dossier.select().where(Dossier.id == dossier_id)).first()
    if row is None:
        raise NotFound(N_("This dossier does not exist."))
    return row, rules.dossier_after(action, row["status"])


async def evaluate(dossier_id: int, data: Evaluation, *, actor_id: int,
                   parse_errors: dict[str, DomainError] | None = None) -> None:
    """Record the council's evaluation: the stars it scored and its notes. `parse_errors` are what
    reading the form found, shown with what the rules say."""
    if errors := {**rules.evaluation_errors(data), **(parse_errors or {})}:
        raise ValidationError(errors)
    async with write_transaction():
        row, status = await _locked_dossier(dossier_id, "evaluate")
        changes = {Dossier.status: status, Dossier.new_stars: data.stars, Dossier.evaluation_notes: data.notes,
                   Dossier.evaluated_at: now(), Dossier.evaluated_by: actor_id}
        await Dossier.update(changes).where(Dossier.id == dossier_id)
        await audit("dossier.evaluate", actor_id=actor_id, target=("dossier", dossier_id),
                    before={"status": row["status"], "new_stars": row["new_stars"]},
                    after={"status": status, "new_stars": data.stars})


async def recognise(dossier_id: int, data: Decision, *, actor_id: int,
                    parse_errors: dict[str, DomainError] | None = None) -> None:
    """Re-recognise the dossier's product: its new stars and certificate on the product, the same
    appended to its history, the dossier decided; all or nothing."""
    async with write_transaction():
        row, status = await _locked_dossier(dossier_id, "recognise")
        product = await for_update(Product.select(
            Product.id, Product.stars, Product.certificate_number, Product.certified_on, Product.valid_until,
            Product.evaluation_level,
        ).where(Product.id == row["product"])).first()
        if product is None:
            raise NotFound(N_("This product does not exist."))
        errors = rules.decision_errors(data, today=today(), previous_certified_on=product["certified_on"])
        if errors := {**errors, **(parse_errors or {})}:
            raise ValidationError(errors)
        assert data.stars is not None and data.certified_on is not None
        valid_until = rules.new_valid_until(data)
        recognised = {
            Product.stars: data.stars,
            Product.certificate_number: data.certificate_number.strip(),
            Product.certified_on: data.certified_on,
            Product.valid_until: valid_until,
            Product.evaluation_level: rules.evaluation_level(data.stars),
        }
        # The history row first, with who decided: the product's trigger then finds it newest and adds none.
        await Recognition.insert(Recognition(
            product=product["id"], stars=data.stars, certificate_number=data.certificate_number.strip(),
            certified_on=data.certified_on, valid_until=valid_until, dossier=dossier_id, decided_by=actor_id,
            created_at=now(),
        ))
        await Product.update({**recognised, Product.updated_at: now()}).where(Product.id == product["id"])
        await Dossier.update({
            Dossier.status: status, Dossier.new_stars: data.stars,
            Dossier.new_certificate_number: data.certificate_number.strip(),
            Dossier.new_certified_on: data.certified_on, Dossier.new_valid_until: valid_until,
            Dossier.decision_notes: data.notes, Dossier.decided_at: now(), Dossier.decided_by: actor_id,
        }).where(Dossier.id == dossier_id)
        await audit("product.re_recognise", actor_id=actor_id, target=("product", product["id"]),
                    detail={"dossier": dossier_id}, before=product, after={**recognised, Product.id: product["id"]})
        await audit("dossier.recognise", actor_id=actor_id, target=("dossier", dossier_id),
                    before={"status": row["status"]}, after={"status": status})


async def refuse(dossier_id: int, reason: str, *, actor_id: int,
                 parse_errors: dict[str, DomainError] | None = None) -> None:
    """Not re-recognised: the product keeps its certificate until it ends."""
    errors = {} if reason.strip() else {"reason": DomainError(N_("Give the reason, for the producer."))}
    if errors := {**errors, **(parse_errors or {})}:
        raise ValidationError(errors)
    async with write_transaction():
        row, status = await _locked_dossier(dossier_id, "refuse")
        await Dossier.update({
            Dossier.status: status, Dossier.decision_notes: reason.strip(), Dossier.decided_at: now(),
            Dossier.decided_by: actor_id,
        }).where(Dossier.id == dossier_id)
        await audit("dossier.refuse", actor_id=actor_id, target=("dossier", dossier_id),
                    before={"status": row["status"]}, after={"status": status, "decision_notes": reason.strip()})
