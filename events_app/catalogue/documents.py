"""What the printed catalogues show, gathered as plain values for the PDF builders."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from events_app.catalogue import services
from events_app.catalogue.qr import product_url
from events_app.core.clock import today
from events_app.events.services import event_days
from events_app.core.i18n import current_language
from events_app.reference.services import group_name, list_groups
from events_app.reference.tables import Province, Region
from events_app.core.text import fold

# A printed product catalogue stops here; the page says how many more the filters match.
PDF_PRODUCT_LIMIT = 300


def _product(row: dict, public_url: str) -> dict[str, Any]:
    return {
        "name": row["name"],
        "url": product_url(public_url, row["slug"]),
        "stars": row["stars"],
        "group": row["group_name"],
        "certificate_number": row["certificate_number"],
        "certified_on": row["certified_on"],
        "valid_until": row["valid_until"],
        "valid": row["valid"],
        "price": row["price"],
        "unit": row["unit"],
        "image": row["image"],
    }


def _title(event: dict) -> str:
    return event["title_en"] if current_language() == "en" and event["title_en"] else event["title_vi"]


async def event_catalogue_data(event: dict, public_url: str) -> dict[str, Any]:
    """An event's exhibitors by hall and booth, with the products each shows, and two indexes."""
    exhibitors = []
    for row in await services.exhibitors(event["id"]):
        exhibitors.append({
            "name": row["name"],
            "producer_type": row["producer_type"],
            "province": row["province_name"],
            "province_as_written": row["province_as_written"],
            "address": row["address"],
            "phone": row["phone"],
            "email": row["email"],
            "website": row["website"],
            "hall": row["hall"],
            "booths": row["booths"],
            "products": [_product(p, public_url) for p in row["products"]],
        })
    halls: dict[str, list[dict]] = {}
    unplaced = []
    for exhibitor in exhibitors:
        if exhibitor["hall"] is None:
            unplaced.append(exhibitor)
        else:
            halls.setdefault(exhibitor["hall"], []).append(exhibitor)

    by_province: dict[str, list[dict]] = defaultdict(list)
    by_group: dict[str, list[dict]] = defaultdict(list)
    for exhibitor in exhibitors:
        by_province[exhibitor["province"]].append({"name": exhibitor["name"], "booths": exhibitor["booths"]})
        for product in exhibitor["products"]:
            by_group[product["group"]].append(
                {"name": product["name"], "producer": exhibitor["name"], "booths": exhibitor["booths"]}
            )
    first, last = event_days(event)
    return {
        "event": {
            "title": _title(event),
            "subtitle": event["title_en"] if current_language() == "vi" else "",
            "kind": event["kind"],
            "status": event["status"],
            "first_day": first,
            "last_day": last,
            "venue": event["venue_name"],
            "address": event["venue_address"],
            "province": event["province_name"],
            "organiser": event["organiser"],
            "url": f"{public_url.rstrip('/')}/events/{event['slug']}",
        },
        "halls": [{"name": name, "exhibitors": rows} for name, rows in halls.items()],
        "unplaced": unplaced,
        "exhibitor_count": len(exhibitors),
        "product_count": sum(len(e["products"]) for e in exhibitors),
        "provinces": _index(by_province),
        "groups": _index(by_group),
        "issued_on": today(),
    }


def _index(entries: dict[str, list[dict]]) -> list[dict]:
    return [
        {"name": name, "entries": sorted(rows, key=lambda r: fold(r["name"]))}
        for name, rows in sorted(entries.items(), key=lambda item: fold(item[0]))
    ]


async def product_catalogue_data(filters: services.CatalogueFilters, public_url: str) -> dict[str, Any]:
    """Certified products matching the catalogue's filters, by product group."""
    rows, total = await services.catalogue_products(filters, PDF_PRODUCT_LIMIT)
    sections: dict[str, list[dict]] = {}
    groups = await list_groups()
    for group in groups:
        sections[group["code"]] = []
    for row in rows:
        product = _product(row, public_url)
        product.update(producer=row["producer_name"], province=row["province_name"])
        sections[row["group_code"]].append(product)
    return {
        "filters": await describe_filters(filters, groups),
        "sections": [
            {"name": group_name(g), "products": sections[g["code"]]} for g in groups if sections[g["code"]]
        ],
        "shown": len(rows),
        "total": total,
        "issued_on": today(),
        "catalogue_url": f"{public_url.rstrip('/')}/products",
    }


async def describe_filters(filters: services.CatalogueFilters, groups: list[dict]) -> list[tuple[str, Any]]:
    """(kind, value) pairs naming the filters in force, for the cover of a printed catalogue."""
    out: list[tuple[str, Any]] = []
    if filters.q:
        out.append(("q", filters.q))
    if filters.stars:
        out.append(("stars", filters.stars))
    if filters.group_id:
        out.append(("group", next(group_name(g) for g in groups if g["id"] == filters.group_id)))
    if filters.province_id:
        out.append(("province", (await Province.select(Province.name).where(Province.id == filters.province_id).first())["name"]))
    if filters.region_id:
        out.append(("region", (await Region.select(Region.name).where(Region.id == filters.region_id).first())["name"]))
    if filters.event_id:
        from events_app.events.services import get_event_by_id

        out.append(("event", _title(await get_event_by_id(filters.event_id))))
    return out
