"""Writing a checked import: what the database holds is read again, the rows planned against it,
and every row to add or update written in the caller's transaction, in batches, with slugs made in
memory, search text computed as the directory computes it, and an audit entry per row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from events_app.core.audit import audit, audit_many
from events_app.core.clock import now
from events_app.core.dates import certificate_valid_until
from events_app.core.slugs import unique_slugs
from events_app.directory.services import refresh_search_text
from events_app.directory.tables import Distributor, Producer, Product
from events_app.imports import columns as c
from events_app.imports.checking import NEW, UPDATE, Existing, Plan, Planned, Reference, certificate_key, name_key
from events_app.imports.columns import Kind
from events_app.reference.services import province_names
from events_app.reference.tables import ProductGroup, Province

BATCH = 500  # rows per INSERT: well within both engines' limits on bound values


async def load_reference() -> Reference:
    return Reference.of(
        await province_names(),
        await Province.select(Province.id, Province.name),
        await ProductGroup.select(ProductGroup.id, ProductGroup.code, ProductGroup.name_vi, ProductGroup.name_en),
    )


async def load_existing(kind: Kind) -> Existing:
    existing = Existing()
    if kind in (Kind.producers, Kind.products):
        for row in await Producer.select(Producer.id, Producer.name, Producer.province):
            existing.producers.setdefault((name_key(row["name"]), row["province"]), row["id"])
    if kind == Kind.products:
        for row in await Product.select(Product.id, Product.name, Product.producer, Product.certificate_number):
            if row["certificate_number"]:
                existing.products_by_certificate.setdefault(certificate_key(row["certificate_number"]), row["id"])
            existing.products_by_name.setdefault((row["producer"], name_key(row["name"])), row["id"])
    if kind == Kind.distributors:
        for row in await Distributor.select(Distributor.id, Distributor.name, Distributor.province):
            existing.distributors.setdefault((name_key(row["name"]), row["province"] or 0), row["id"])
    return existing


async def write(plan: Plan, ref: Reference, *, actor_id: int | None, ip: str = "", source: str = "") -> dict[str, int]:
    """Write the plan's new and updated rows; the caller holds the transaction. Returns the counts."""
    writer = {Kind.producers: _producers, Kind.products: _products, Kind.distributors: _distributors}[plan.kind]
    written = await writer(plan, ref)
    detail = {"file": source}
    for (target, change), ids in written.items():
        await audit_many(f"{target}.import_{change}", [(target, i) for i in ids], actor_id=actor_id, detail=detail, ip=ip)
    target = {Kind.producers: "producer", Kind.products: "product", Kind.distributors: "distributor"}[plan.kind]
    counts = {**plan.counts(), "created": len(written[target, "create"]), "updated": len(written[target, "update"])}
    await audit(f"import.{plan.kind.value}", actor_id=actor_id, detail={"file": source, **counts}, ip=ip)
    return counts


Written = dict[tuple[str, str], list[int]]  # (target type, "create" or "update") → ids


async def _insert(table, rows: list) -> list[int]:
    ids: list[int] = []
    for start in range(0, len(rows), BATCH):
        ids += [row["id"] for row in await table.insert(*rows[start:start + BATCH])]
    return ids


def _present(values: dict[str, Any], fields: dict[str, Any]) -> dict:
    """The columns to change on an update: those the file has (a column it lacks is left as it is)."""
    return {column: values[key] for key, column in fields.items() if key in values}


# Producers and distributors ---------------------------------------------------------------------

_PRODUCER_FIELDS = {
    c.NAME: Producer.name, c.PRODUCER_TYPE: Producer.producer_type, c.PROVINCE: Producer.province,
    "province_as_written": Producer.province_as_written, c.ADDRESS: Producer.address, c.PHONE: Producer.phone,
    c.EMAIL: Producer.email, c.WEBSITE: Producer.website, c.DESCRIPTION: Producer.description,
}
_DISTRIBUTOR_FIELDS = {
    c.NAME: Distributor.name, c.DISTRIBUTOR_TYPE: Distributor.distributor_type, c.PROVINCE: Distributor.province,
    c.ADDRESS: Distributor.address, c.WEBSITE: Distributor.website, c.DESCRIPTION: Distributor.description,
}


async def _organisations(plan: Plan, table, fields: dict) -> tuple[list[int], list[Planned]]:
    new = [p for p in plan.to_write() if p.action == NEW]
    slugs = await unique_slugs(table, [p.row.values[c.NAME] for p in new])
    rows = [table(**{column._meta.name: p.row.values[key] for key, column in fields.items()
                     if key in p.row.values}, slug=slug) for p, slug in zip(new, slugs)]
    created = await _insert(table, rows)
    updates = [p for p in plan.to_write() if p.action == UPDATE]
    for p in updates:
        await table.update(_present(p.row.values, fields)).where(table.id == p.target_id)
    return created, updates


async def _producers(plan: Plan, ref: Reference) -> Written:
    updates = [p.target_id for p in plan.to_write() if p.action == UPDATE]
    before = {row["id"]: row for row in await _facts(updates)}
    created, updated = await _organisations(plan, Producer, _PRODUCER_FIELDS)
    after = {row["id"]: row for row in await _facts(updates)}
    await _refresh([i for i in updates if before[i] != after[i]])  # products are found by their producer's name
    return {("producer", "create"): created, ("producer", "update"): [p.target_id for p in updated]}


async def _refresh(producer_ids: Iterable[int]) -> None:
    """Let the directory compute the search columns of these producers' products, as it does after
    a producer's name or province changed: one recipe for what a product is found by."""
    for producer_id in sorted(set(producer_ids)):
        await refresh_search_text(producer_id)


async def _distributors(plan: Plan, ref: Reference) -> Written:
    created, updated = await _organisations(plan, Distributor, _DISTRIBUTOR_FIELDS)
    return {("distributor", "create"): created, ("distributor", "update"): [p.target_id for p in updated]}


async def _facts(producer_ids: Iterable[int | None]) -> list[dict]:
    """Name, province and former province of producers, as the search text needs them."""
    ids = sorted({i for i in producer_ids if i is not None})
    rows: list[dict] = []
    for start in range(0, len(ids), BATCH):
        rows += await Producer.select(
            Producer.id, Producer.name, Producer.province_as_written, Producer.province.name.as_alias("province_name")
        ).where(Producer.id.is_in(ids[start:start + BATCH]))
    return rows


# Products ---------------------------------------------------------------------------------------

_PRODUCT_FIELDS = {
    c.NAME: Product.name, c.GROUP: Product.group, c.STARS: Product.stars, c.CERTIFICATE: Product.certificate_number,
    c.CERTIFIED_ON: Product.certified_on, c.LEVEL: Product.evaluation_level, c.PRICE: Product.price,
    c.UNIT: Product.unit, c.DESCRIPTION: Product.description, c.STORY: Product.story,
    c.TRACEABILITY: Product.traceability_url,
}


def _product_values(p: Planned) -> dict[str, Any]:
    values = dict(p.row.values)
    values[c.NAME] = values[c.NAME].strip()
    values[c.CERTIFIED_ON] = dt.date.fromisoformat(values[c.CERTIFIED_ON])
    return values


async def _products(plan: Plan, ref: Reference) -> Written:
    # Producers named by the file and not yet in the database, once each.
    keys = list(plan.new_producers)
    slugs = await unique_slugs(Producer, [plan.new_producers[k]["name"] for k in keys])
    producer_rows = [
        Producer(slug=slug, **{field: plan.new_producers[k][field]
                               for field in ("name", "producer_type", "province", "province_as_written")})
        for k, slug in zip(keys, slugs)
    ]
    new_producer_ids = dict(zip(keys, await _insert(Producer, producer_rows)))

    writes = plan.to_write()
    for p in writes:
        if p.producer_id is None:
            p.producer_id = new_producer_ids[p.producer_key]
    stamp = now()

    def columns(p: Planned) -> dict:
        values = _product_values(p)
        out = _present(values, _PRODUCT_FIELDS)
        out[Product.producer] = p.producer_id
        out[Product.valid_until] = certificate_valid_until(values[c.CERTIFIED_ON])
        return out

    new = [p for p in writes if p.action == NEW]
    slugs = await unique_slugs(Product, [p.row.values[c.NAME] for p in new])
    rows = [Product(**{column._meta.name: value for column, value in columns(p).items()}, slug=slug)
            for p, slug in zip(new, slugs)]
    created = await _insert(Product, rows)
    updated = []
    for p in writes:
        if p.action == UPDATE:
            await Product.update({**columns(p), Product.updated_at: stamp}).where(Product.id == p.target_id)
            updated.append(p.target_id)
    await _refresh(p.producer_id for p in writes)
    return {("producer", "create"): list(new_producer_ids.values()), ("product", "create"): created,
            ("product", "update"): updated}
