"""What each export lists: the rows of the staff's lists and of the catalogue, read from the
database, with their values in the reader's language, ready for `sheets`.

The product catalogue is read through `catalogue.services.matching_products`, so a file holds
what /products shows under the same filters, in the same order. Producers and distributors are
filtered by place as the catalogue checks places (former provinces included) and by type.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from piccolo.query.functions.aggregate import Count

from events_app.accounts.tables import User
from events_app.booths.dashboard import Dashboard
from events_app.catalogue.qr import product_url
from events_app.catalogue.services import CatalogueFilters, exhibitors, matching_products, parse_filters
from events_app.core.clock import today
from events_app.core.i18n import gettext, to_local
from events_app.core.labels import LABELS, label
from events_app.core.templating import localized
from events_app.core.text import fold, slugify
from events_app.directory.tables import PRODUCER_ATTRIBUTES, Distributor, Producer, Product, ProductListing
from events_app.exports import columns
from events_app.exports.sheets import Column, Kind, Sheet
from events_app.reference.services import group_name

# Rows one file holds at most: the national catalogue is some 20,000 products.
EXPORT_ROWS = 50_000
FILE_NAME_LENGTH = 120


# Filters of the staff's lists ---------------------------------------------------------------------

@dataclass(frozen=True)
class DirectoryFilters:
    """Producers or distributors asked for by place and type. A value that names nothing is
    dropped, as the catalogue drops it: the file then lists more, never fails."""

    province: str = ""
    region: str = ""
    organisation_type: str = ""
    province_id: int | None = None
    region_id: int | None = None


async def parse_directory_filters(province: str, region: str, organisation_type: str, *, kind: str) -> DirectoryFilters:
    """`kind` is "producer_type" or "distributor_type": the types the list is filtered by. Places
    are read by the catalogue's own reading (slugs, and former provinces for the current one)."""
    place = await parse_filters(province=province, region=region)
    organisation_type = organisation_type.strip()
    return DirectoryFilters(
        province=place.province, region=place.region,
        organisation_type=organisation_type if organisation_type in LABELS[kind] else "",
        province_id=place.province_id, region_id=place.region_id,
    )


def _place_conditions(table, filters: DirectoryFilters) -> list:
    conditions = []
    if filters.province_id:
        conditions.append(table.province == filters.province_id)
    if filters.region_id:
        conditions.append(table.province.region == filters.region_id)
    return conditions


def _by_name(rows: list[dict]) -> list[dict]:
    """Sorted by folded name, then id: the same order on both engines, whatever their collations."""
    return sorted(rows, key=lambda row: (fold(row["name"]), row["id"]))


def _local_day(moment: dt.datetime | None) -> dt.date | None:
    return to_local(moment).date() if moment else None


# The lists ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Export:
    sheet: Sheet
    file_stem: str  # ASCII: the list, the day and the filters
    total: int  # rows matching, of which the sheet holds at most EXPORT_ROWS


def file_stem(name: str, *parts: object, on: dt.date | None = None) -> str:
    words = [name, (on or today()).isoformat(), *(str(p) for p in parts if p not in (None, ""))]
    return slugify("-".join(words), max_length=FILE_NAME_LENGTH)


async def producers_export(filters: DirectoryFilters) -> Export:
    conditions = _place_conditions(Producer, filters)
    if filters.organisation_type:
        conditions.append(Producer.producer_type == filters.organisation_type)
    query = Producer.select(
        Producer.id, Producer.name, Producer.producer_type, Producer.address, Producer.phone, Producer.email,
        Producer.website, Producer.description, Producer.province_as_written, Producer.created_at,
        *(Producer._meta.get_column_by_name(name) for name in PRODUCER_ATTRIBUTES),
        Producer.province.name.as_alias("province_name"),
        Producer.province.region.name.as_alias("region_name"),
    )
    rows = _by_name(await (query.where(*conditions) if conditions else query))
    counts = {r["producer"]: r["count"] for r in await Product.select(Product.producer, Count()).group_by(Product.producer)}
    out = [
        {
            **row,
            "producer_type": label("producer_type", row["producer_type"]),
            "province": row["province_name"],
            "region": row["region_name"],
            "products": counts.get(row["id"], 0),
            "joined_on": _local_day(row["created_at"]),
            **_attributes(row),
        }
        for row in rows[:EXPORT_ROWS]
    ]
    return _export(columns.PRODUCERS, gettext("Producers"), out, len(rows),
                   file_stem("chu-the-ocop", filters.region, filters.province, filters.organisation_type))


async def distributors_export(filters: DirectoryFilters) -> Export:
    conditions = _place_conditions(Distributor, filters)
    if filters.organisation_type:
        conditions.append(Distributor.distributor_type == filters.organisation_type)
    query = Distributor.select(
        Distributor.id, Distributor.name, Distributor.distributor_type, Distributor.address, Distributor.website,
        Distributor.description, Distributor.created_at,
        Distributor.province.name.as_alias("province_name"),
        Distributor.province.region.name.as_alias("region_name"),
    )
    rows = _by_name(await (query.where(*conditions) if conditions else query))
    accounts: dict[int, list[str]] = {}
    for user in await User.select(User.distributor, User.email).where(
        User.distributor.is_not_null() & (User.is_active == True)  # noqa: E712 (a column, not a bool)
    ).order_by(User.email):
        accounts.setdefault(user["distributor"], []).append(user["email"])
    out = [
        {
            **row,
            "distributor_type": label("distributor_type", row["distributor_type"]),
            "province": row["province_name"] or "",
            "region": row["region_name"] or "",
            "accounts": ", ".join(accounts.get(row["id"], [])),
            "joined_on": _local_day(row["created_at"]),
        }
        for row in rows[:EXPORT_ROWS]
    ]
    return _export(columns.DISTRIBUTORS, gettext("Distributors"), out, len(rows),
                   file_stem("nha-phan-phoi", filters.region, filters.province, filters.organisation_type))


# Product columns the catalogue's rows lack and the import template has.
_PRODUCT_EXTRAS = (
    Product.evaluation_level,
    Product.description,
    Product.story,
    Product.traceability_url,
    Product.traceability_code,
    Product.barcode,
    *(getattr(Product.producer, name).as_alias(name) for name in PRODUCER_ATTRIBUTES),
    Product.producer.producer_type.as_alias("producer_type"),
    Product.producer.province.region.name.as_alias("region_name"),
)


def _attributes(row: dict) -> dict[str, str]:
    return {name: gettext("yes") if row[name] else "" for name in PRODUCER_ATTRIBUTES}


async def _listings_text(product_ids: list[int]) -> dict[int, str]:
    """Each product's listings as "Shopee: https://…; Postmart: https://…"."""
    out: dict[int, list[str]] = {}
    for row in await ProductListing.select(ProductListing.product, ProductListing.platform, ProductListing.url).where(
        ProductListing.product.is_in(product_ids or [0])
    ).order_by(ProductListing.position, ProductListing.id):
        out.setdefault(row["product"], []).append(f"{label('listing_platform', row['platform'])}: {row['url']}")
    return {product_id: "; ".join(parts) for product_id, parts in out.items()}


async def products_export(filters: CatalogueFilters, public_url: str) -> Export:
    """The products /products lists under `filters`, in its order, at most EXPORT_ROWS of them."""
    rows, total = await matching_products(filters, EXPORT_ROWS, *_PRODUCT_EXTRAS)
    listings = await _listings_text([row["id"] for row in rows])
    out = [
        {
            **row,
            "producer": row["producer_name"],
            "province": row["province_name"],
            "producer_type": label("producer_type", row["producer_type"]),
            "group": group_name(row),
            "evaluation_level": label("evaluation_level", row["evaluation_level"]),
            "region": row["region_name"],
            "page": product_url(public_url, row["slug"]),
            "listings": listings.get(row["id"], ""),
            **_attributes(row),
        }
        for row in rows
    ]
    stars = f"{filters.stars}-sao" if filters.stars else ""
    stem = file_stem("san-pham-ocop", filters.q, stars, filters.group, filters.region, filters.province, filters.event)
    return _export(columns.PRODUCTS, gettext("OCOP products"), out, total, stem)


async def exhibitors_export(event: dict) -> Export:
    """A fair's exhibitors as the catalogue lists them: by hall and booth, with their contacts."""
    rows = await exhibitors(event["id"])
    out = [
        {
            **row,
            "hall": row["hall"] or "",
            "booths": ", ".join(row["booths"]),
            "producer_type": label("producer_type", row["producer_type"]),
            "province": row["province_name"],
            "products": "; ".join(p["name"] for p in row["products"]),
            "product_count": len(row["products"]),
        }
        for row in rows
    ]
    return _export(columns.EXHIBITORS, localized(event), out, len(out), file_stem("don-vi-trung-bay", event["slug"]))


def _export(fields: tuple[columns.Field, ...], title: str, rows: list[dict[str, Any]], total: int, stem: str) -> Export:
    sheet = Sheet(title=title, columns=columns.sheet_columns(fields), rows=columns.sheet_rows(fields, rows))
    return Export(sheet=sheet, file_stem=stem, total=total)


# A fair's dashboard -------------------------------------------------------------------------------

_DASHBOARD_KINDS = {"text": Kind.text, "integer": Kind.integer, "amount": Kind.amount, "percent": Kind.percent}


def dashboard_sheets(board: Dashboard) -> list[Sheet]:
    """Each table of a fair's dashboard as a sheet, its total as the last row; shares as numbers in
    the sheet's per-cent format."""
    sheets = []
    for table in board.tables:
        rows = [tuple(row) for row in table.rows] + ([tuple(table.total)] if table.total else [])
        sheets.append(Sheet(title=table.title, columns=[Column(c.header, _DASHBOARD_KINDS[c.kind]) for c in table.columns],
                            rows=rows))
    return sheets
