"""A report's `Result` as what the reader gets: the cells as printed, a spreadsheet (`exports.sheets`)
and a PDF job that the catalogue's renderer lays out in its worker processes, behind its cache,
bundled Noto fonts and restricted fetcher."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from events_app.catalogue.assets import Assets
from events_app.catalogue.pdf import PdfJob
from events_app.catalogue.services import CatalogueChoices
from events_app.core.clock import today
from events_app.core.i18n import gettext
from events_app.core.labels import label
from events_app.core.templating import TEMPLATES_DIR
from events_app.exports.services import file_stem
from events_app.exports.sheets import Column as SheetColumn
from events_app.exports.sheets import Kind, Sheet
from events_app.reference.services import group_name
from events_app.reports.figures import Report, Result, cell_text
from events_app.reports.filters import ReportFilters

TEMPLATE_DIR = "reports/pdf"
PRINTED_REPORT = f"{TEMPLATE_DIR}/report.html"
SHEET_KINDS = {"text": Kind.text, "integer": Kind.integer, "amount": Kind.amount, "date": Kind.date, "percent": Kind.percent}
NUMERIC = {"integer", "amount", "percent"}


@dataclass(frozen=True)
class Printed:
    """The table as the page and the PDF show it: every cell as text, numbers marked for alignment."""

    headers: list[dict[str, Any]]
    rows: list[list[str]]
    total: list[str] | None


def printed(result: Result) -> Printed:
    kinds = [column.kind for column in result.columns]
    return Printed(
        headers=[{"text": c.header, "numeric": c.kind in NUMERIC} for c in result.columns],
        rows=[[cell_text(kind, value) for kind, value in zip(kinds, row)] for row in result.rows],
        total=[cell_text(kind, value) for kind, value in zip(kinds, result.total)] if result.total else None,
    )


def describe_filters(filters: ReportFilters, choices: CatalogueChoices) -> list[tuple[str, str]]:
    """(what, value) pairs naming the filters in force, for the heading of the page and the PDF."""
    out: list[tuple[str, str]] = []
    if filters.year:
        out.append((gettext("Year"), str(filters.year)))
    if filters.kind:
        out.append((gettext("Kind"), label("event_kind", filters.kind)))
    if filters.region and (row := choices.region(filters.region)):
        out.append((gettext("Region"), row["name"]))
    if filters.province and (row := choices.province(filters.province)):
        out.append((gettext("Province"), row["name"]))
    if filters.group and (row := choices.group(filters.group)):
        out.append((gettext("Product group"), group_name(row)))
    if filters.units == "former":
        out.append((gettext("Administrative units"), gettext("Former units (before 1 July 2025)")))
    return out


def sheet(report: Report, result: Result) -> Sheet:
    """The table as a spreadsheet, its total as the last row; every row, not only those shown.
    Shares stay numbers, in the sheet's per-cent format."""
    if result.unrecorded:  # a workbook that says so, rather than an empty one
        return Sheet(title=gettext(report.title), columns=[SheetColumn(gettext("Not yet recorded"))],
                     rows=[[result.unrecorded]])
    rows = [list(row) for row in result.all_rows]
    if result.total:
        rows.append(list(result.total))
    return Sheet(
        title=gettext(report.title),
        columns=[SheetColumn(c.header, SHEET_KINDS[c.kind]) for c in result.columns],
        rows=rows,
    )


def file_name(report: Report, filters: ReportFilters, extension: str) -> str:
    stem = file_stem(f"bao-cao-{report.name}", filters.year, filters.kind, filters.region, filters.province,
                     filters.group, "don-vi-cu" if filters.units == "former" else "")
    return f"{stem}.{extension}"


def pdf_context(report: Report, result: Result, described: list[tuple[str, str]]) -> dict[str, Any]:
    table = printed(result)
    return {
        "title": gettext(report.title),
        "summary": gettext(report.summary),
        "filters": described,
        "headers": table.headers,
        "rows": table.rows,
        "total": table.total,
        "charts": result.charts,
        "notes": result.notes,
        "unrecorded": result.unrecorded,
        "shown": len(result.rows),
        "matched": result.matched,
        "issued_on": today(),
        # The catalogue's cache key hashes its own templates; these are hashed here, so that a new
        # design of the printed report is rendered afresh.
        "design": design_fingerprint(),
    }


@lru_cache(maxsize=1)
def design_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted((TEMPLATES_DIR / TEMPLATE_DIR).glob("*")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def report_job(context: dict[str, Any], assets: Assets, language: str) -> PdfJob:
    return PdfJob(PRINTED_REPORT, context, language, assets)
