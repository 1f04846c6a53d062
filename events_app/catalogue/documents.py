"""What the printed catalogues show, gathered as plain values for the PDF builders."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import Any, Iterable

from events_app.booths import floorplan
from events_app.booths.services import event_period, floor_plan
from events_app.catalogue import services
from events_app.catalogue.qr import product_url
from events_app.core.clock import today
from events_app.core.i18n import current_language
from events_app.core.text import fold
from events_app.events.services import event_days, get_event_by_id
from events_app.reference.services import group_name, list_groups
from events_app.reference.tables import Province, Region

# A printed product catalogue stops here (a whole province fits); the contents say how many more
# the filters match.
PDF_PRODUCT_LIMIT = 5_000
STORY_LENGTH = 360  # characters of a product's story printed under it


def short_story(story: str, length: int = STORY_LENGTH) -> str:
    """A product's story as printed: whitespace made plain, cut at a word with "…" when long."""
    text = " ".join((story or "").split())
    if len(text) <= length:
        return text
    cut = text[:length + 1].rsplit(" ", 1)[0].rstrip(",;:–-")
    return f"{cut}…"


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
        "story": short_story(row.get("story", "")),
    }


def _title(event: dict) -> str:
    return event["title_en"] if current_language() == "en" and event["title_en"] else event["title_vi"]


async def event_catalogue_data(event: dict, public_url: str) -> dict[str, Any]:
    """An event's exhibitors by hall and booth with the products each shows, its floor plan, and
    two indexes. Exhibitors, halls and index headings carry `key`s: the ids the page numbers of
    the contents and indexes are looked up by."""
    exhibitors = []
    for number, row in enumerate(await services.exhibitors(event["id"]), 1):
        exhibitors.append({
            "key": f"ex-{number}",
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
        by_province[exhibitor["province"]].append(
            {"name": exhibitor["name"], "booths": exhibitor["booths"], "exhibitor": exhibitor["key"]}
        )
        for product in exhibitor["products"]:
            by_group[product["group"]].append({
                "name": product["name"], "producer": exhibitor["name"], "booths": exhibitor["booths"],
                "exhibitor": exhibitor["key"],
            })
    names = {code: exhibitor["name"] for exhibitor in exhibitors for code in exhibitor["booths"]}
    plans = await floor_plan(event, event_period(event)) if exhibitors else []
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
        "halls": [
            {"key": f"hall-{n}", "name": name, "exhibitors": rows,
             "first_booth": rows[0]["booths"][0], "last_booth": rows[-1]["booths"][0]}
            for n, (name, rows) in enumerate(halls.items(), 1)
        ],
        "unplaced": {"key": "unplaced", "exhibitors": unplaced} if unplaced else None,
        "plan": [plan_drawing(plan, names) for plan in plans if plan.booths],
        "exhibitor_count": len(exhibitors),
        "product_count": sum(len(e["products"]) for e in exhibitors),
        "provinces": _index(by_province, "prov"),
        "groups": _index(by_group, "group"),
        "issued_on": today(),
    }


def _index(entries: dict[str, list[dict]], prefix: str) -> list[dict]:
    return [
        {"key": f"{prefix}-{n}", "name": name, "entries": sorted(rows, key=lambda r: fold(r["name"]))}
        for n, (name, rows) in enumerate(sorted(entries.items(), key=lambda item: fold(item[0])), 1)
    ]


# A hall's plan is drawn to scale on a page of its own, never past it: the plan's pages are known
# before it is laid out (one per hall), so the rest of the catalogue is numbered without waiting.
PLAN_PAGE_MM = (182.0, 214.0)  # the drawing's room on an A4 page, under the headings


def plan_drawing(plan: floorplan.HallPlan, names: dict[str, str]) -> dict[str, Any]:
    """A hall's booths to scale, in millimetres on the page: the floor, and each booth with its
    code and exhibitor, the drawing made to fit `PLAN_PAGE_MM`. (Boxes placed on the page, not SVG
    text: WeasyPrint lays SVG text out a character at a time, five times slower.)"""
    scale = min(PLAN_PAGE_MM[0] / plan.view_width, PLAN_PAGE_MM[1] / plan.view_depth)

    def mm(value: float) -> float:
        return round((value + plan.MARGIN) * scale, 2)

    booths = [
        {"code": b.code, "name": names.get(b.code, ""), "left": mm(b.x), "top": mm(b.y),
         "width": round(b.width * scale, 2), "height": round(b.depth * scale, 2),
         "font": round(min(b.width, b.depth) * scale * 0.13, 2)}
        for b in sorted(plan.booths, key=lambda b: (b.y, b.x, b.code))
    ]
    features = [
        {"kind": f.kind, "label": f.label, "left": mm(f.x), "top": mm(f.y), "fill": f.fill, "outline": f.outline,
         "width": round(f.width * scale, 2), "height": round(f.depth * scale, 2),
         "font": round(min(f.depth * scale * 0.5, 3.0), 2)}
        for f in plan.features
    ]
    return {
        "name": plan.name, "booths": len(plan.booths), "features": features,
        "floor": {"width": plan.width, "depth": plan.depth, "left": mm(0), "top": mm(0),
                  "width_mm": round(plan.width * scale, 2), "height_mm": round(plan.depth * scale, 2)} if plan.width else None,
        "width_mm": round(plan.view_width * scale, 1), "height_mm": round(plan.view_depth * scale, 1),
        "cells": booths,
    }


async def product_catalogue_data(filters: services.CatalogueFilters, public_url: str) -> dict[str, Any]:
    """Certified products matching the catalogue's filters, by product group. When more match
    than a catalogue holds, each group keeps its share of the limit, best-rated first, so every
    group that has products appears."""
    groups = await list_groups()
    counts = await services.group_counts(filters, await services.catalogue_version(filters))  # by the other filters
    if filters.group_id:
        groups = [g for g in groups if g["id"] == filters.group_id]
    total = sum(counts.get(g["id"], 0) for g in groups)
    shares = share_out(PDF_PRODUCT_LIMIT, [counts.get(g["id"], 0) for g in groups])
    sections = []
    for group, share in zip(groups, shares):
        if not share:
            continue
        rows, _ = await services.printed_products(replace(filters, group=group["code"], group_id=group["id"]), share)
        products = []
        for row in rows:
            product = _product(row, public_url)
            product.update(producer=row["producer_name"], province=row["province_name"])
            products.append(product)
        sections.append({
            "key": f"group-{len(sections) + 1}", "name": group_name(group), "products": products,
            "total": counts.get(group["id"], 0),
        })
    return {
        "filters": await describe_filters(filters, groups),
        "sections": sections,
        "shown": sum(len(s["products"]) for s in sections),
        "total": total,
        "issued_on": today(),
        "catalogue_url": f"{public_url.rstrip('/')}/products",
    }


def share_out(limit: int, counts: Iterable[int]) -> list[int]:
    """How many of each count fit when all together may hold `limit`: the small ones whole, the
    rest an equal share of what is left (largest remainders first), never more than there are."""
    counts = list(counts)
    shares = [0] * len(counts)
    left = limit
    waiting = sorted((c, i) for i, c in enumerate(counts) if c)
    while waiting:
        fair = left // len(waiting)
        count, i = waiting[0]
        if count <= fair:
            shares[i] = count
            left -= count
            waiting.pop(0)
            continue
        for n, (count, i) in enumerate(waiting):
            shares[i] = fair + (1 if n >= len(waiting) - left % len(waiting) else 0)
        break
    return shares


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
        out.append(("event", _title(await get_event_by_id(filters.event_id))))
    return out
