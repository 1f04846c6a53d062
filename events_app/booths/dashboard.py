"""A fair's dashboard for staff: occupancy by hall, applications by status, province, product
group and stars, and the booth fees, each a table of plain values counted by the database (one
GROUP BY per table, the same SQL on SQLite and PostgreSQL) and a bar chart drawn from it.

The tables are what the page shows and what the workbook holds (see exports), with the same
headers; a row may carry a `key` (a status, say) that the page turns into a link.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from piccolo.querystring import QueryString

from events_app.booths.tables import (
    ApplicationProduct, ApplicationStatus, Booth, BoothApplication, BoothRental, RentalStatus,
)
from events_app.core import charts
from events_app.core.db import engine
from events_app.core.i18n import N_, format_number, format_vnd, gettext
from events_app.core.labels import label
from events_app.directory.tables import Producer, Product
from events_app.events.tables import Hall
from events_app.reference.services import group_name
from events_app.reference.tables import ProductGroup, Province

T = {table: f'"{table._meta.tablename}"' for table in (
    ApplicationProduct, Booth, BoothApplication, BoothRental, Hall, Producer, Product, ProductGroup, Province,
)}
A = ApplicationStatus
ACCEPTED = f"('{A.approved.value}', '{A.confirmed.value}')"  # our constants, never a visitor's text
PROVINCES_CHARTED = 12
# What each part of a hall's bar means, in the colours of the floor plan's legend.
OCCUPANCY = (
    (N_("Confirmed"), "#8a1c1c"),
    (N_("Awaiting confirmation"), "#c8962d"),
    (N_("Free"), "#2f7d4a"),
    (N_("Blocked"), "#8c959f"),
)


@dataclass(frozen=True)
class Column:
    header: str  # in the reader's language
    kind: str = "text"  # text, integer, amount, percent


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[list[Any]]
    keys: list[str | None] = field(default_factory=list)  # per row: what its link filters by
    total: list[Any] | None = None
    chart: dict[str, str] | None = None  # {"wide": svg, "narrow": svg}
    note: str = ""


@dataclass
class Dashboard:
    tables: list[Table]
    figures: dict[str, int]  # the headline numbers


async def _run(sql: str, *args: Any) -> list[dict]:
    return [dict(row) for row in await engine().run_querystring(QueryString(sql, *args))]


def share(part: int, whole: int) -> float | None:
    """A part of a whole in per cent, to one decimal; None of nothing."""
    return round(100 * part / whole, 1) if whole else None


def percent_text(value: float | None) -> str:
    return "" if value is None else f"{format_number(value)} %"


def _drawn(build, *args, **kwargs) -> dict[str, str]:
    """A chart for a wide page and one for a phone, which the page picks between."""
    return {"wide": build(*args, **kwargs), "narrow": build(*args, width=charts.NARROW, **kwargs)}


# Counting -----------------------------------------------------------------------------------------

async def hall_rows(event_id: int) -> list[dict]:
    """Per hall: booths, blocked, confirmed and awaiting confirmation, and the fees of each."""
    return await _run(f"""
        SELECT h.id AS hall, COALESCE(h.name, '') AS name, COUNT(*) AS booths,
               SUM(CASE WHEN b.is_blocked THEN 1 ELSE 0 END) AS blocked,
               SUM(CASE WHEN r.status = '{A.confirmed.value}' THEN 1 ELSE 0 END) AS confirmed,
               SUM(CASE WHEN r.status = '{A.approved.value}' THEN 1 ELSE 0 END) AS approved,
               CAST(SUM(CASE WHEN r.status = '{A.confirmed.value}' THEN b.price ELSE 0 END) AS BIGINT) AS confirmed_fees,
               CAST(SUM(CASE WHEN r.status = '{A.approved.value}' THEN b.price ELSE 0 END) AS BIGINT) AS approved_fees,
               CAST(SUM(CASE WHEN r.status IS NULL AND NOT b.is_blocked THEN b.price ELSE 0 END) AS BIGINT) AS free_value
        FROM {T[Booth]} b
        LEFT JOIN {T[Hall]} h ON h.id = b.hall
        LEFT JOIN (
            SELECT DISTINCT r.booth AS booth, a.status AS status
            FROM {T[BoothRental]} r JOIN {T[BoothApplication]} a ON a.id = r.application
            WHERE r.status <> '{RentalStatus.cancelled.value}' AND a.event = {{}} AND a.status IN {ACCEPTED}
        ) r ON r.booth = b.id
        WHERE b.event = {{}}
        GROUP BY h.id, h.name
        ORDER BY h.name, h.id
    """, event_id, event_id)


async def status_rows(event_id: int) -> dict[str, int]:
    rows = await _run(f"""
        SELECT status, COUNT(*) AS n FROM {T[BoothApplication]} WHERE event = {{}} GROUP BY status
    """, event_id)
    return {row["status"]: row["n"] for row in rows}


async def province_rows(event_id: int) -> list[dict]:
    return await _run(f"""
        SELECT pv.name AS name, COUNT(*) AS applications,
               SUM(CASE WHEN a.status IN {ACCEPTED} THEN 1 ELSE 0 END) AS accepted
        FROM {T[BoothApplication]} a
        JOIN {T[Producer]} p ON p.id = a.producer
        JOIN {T[Province]} pv ON pv.id = p.province
        WHERE a.event = {{}}
        GROUP BY pv.id, pv.name
        ORDER BY COUNT(*) DESC, pv.name
    """, event_id)


async def group_rows(event_id: int) -> list[dict]:
    """Per product group: applications showing a product of it (each once), accepted ones, products."""
    return await _run(f"""
        SELECT g.name_vi AS name_vi, g.name_en AS name_en, COUNT(DISTINCT a.id) AS applications,
               COUNT(DISTINCT CASE WHEN a.status IN {ACCEPTED} THEN a.id END) AS accepted,
               COUNT(*) AS products
        FROM {T[ApplicationProduct]} ap
        JOIN {T[BoothApplication]} a ON a.id = ap.application
        JOIN {T[Product]} pr ON pr.id = ap.product
        JOIN {T[ProductGroup]} g ON g.id = pr."group"
        WHERE a.event = {{}}
        GROUP BY g.id, g.name_vi, g.name_en
        ORDER BY COUNT(DISTINCT a.id) DESC, g.name_vi
    """, event_id)


async def star_rows(event_id: int) -> list[dict]:
    """Applications by the best rating among the products they show."""
    return await _run(f"""
        SELECT best AS stars, COUNT(*) AS applications,
               SUM(CASE WHEN status IN {ACCEPTED} THEN 1 ELSE 0 END) AS accepted
        FROM (
            SELECT a.id AS id, a.status AS status, MAX(pr.stars) AS best
            FROM {T[BoothApplication]} a
            JOIN {T[ApplicationProduct]} ap ON ap.application = a.id
            JOIN {T[Product]} pr ON pr.id = ap.product
            WHERE a.event = {{}}
            GROUP BY a.id, a.status
        ) best_of
        GROUP BY best
        ORDER BY best DESC
    """, event_id)


# The dashboard ------------------------------------------------------------------------------------

def _hall_name(row: dict) -> str:
    return row["name"] or gettext("No hall")


def _occupancy(halls: list[dict]) -> Table:
    rows, values, shown = [], [], []
    for h in halls:
        offered = h["booths"] - h["blocked"]
        taken = h["confirmed"] + h["approved"]
        free = offered - taken
        rows.append([_hall_name(h), h["booths"], h["blocked"], h["confirmed"], h["approved"], free, share(taken, offered)])
        values.append([h["confirmed"], h["approved"], free, h["blocked"]])
        shown.append(f"{taken}/{offered} · {percent_text(share(taken, offered))}")
    totals = [sum(r[i] for r in rows) for i in range(1, 6)]
    table = Table(
        key="halls", title=gettext("Occupancy by hall"),
        columns=[Column(gettext("Hall")), Column(gettext("Booths"), "integer"), Column(gettext("Blocked"), "integer"),
                 Column(gettext("Confirmed"), "integer"), Column(gettext("Awaiting confirmation"), "integer"),
                 Column(gettext("Free"), "integer"), Column(gettext("Occupancy"), "percent")],
        rows=rows, keys=[str(h["hall"] or "") for h in halls],
        total=[gettext("Total"), *totals, share(totals[2] + totals[3], totals[0] - totals[1])],
        note=gettext("Occupancy: booths confirmed or awaiting the producer's confirmation, of the booths not blocked."),
    )
    if rows:
        table.chart = _drawn(
            charts.stacked_bar_chart, [r[0] for r in rows],
            [charts.Series(gettext(name), colour) for name, colour in OCCUPANCY], values,
            title=table.title, totals_shown=shown,
        )
    return table


def _statuses(counts: dict[str, int]) -> Table:
    statuses = [s.value for s in ApplicationStatus]
    rows = [[label("application_status", s), counts.get(s, 0)] for s in statuses]
    table = Table(
        key="statuses", title=gettext("Applications by status"),
        columns=[Column(gettext("Status")), Column(gettext("Applications"), "integer")],
        rows=rows, keys=statuses, total=[gettext("Total"), sum(counts.values())],
    )
    if any(counts.values()):
        table.chart = _drawn(charts.bar_chart, [(r[0], r[1]) for r in rows], title=table.title)
    return table


def _accepted_chart(table: Table, rows: list[dict], labels: list[str]) -> None:
    """Bars of applications, cut into those accepted (approved or confirmed) and the others."""
    if rows:
        table.chart = _drawn(
            charts.stacked_bar_chart, labels,
            [charts.Series(gettext("Approved or confirmed"), "#8a1c1c"), charts.Series(gettext("Other applications"), "#c8962d")],
            [[r["accepted"], r["applications"] - r["accepted"]] for r in rows], title=table.title,
        )


def _provinces(rows: list[dict]) -> Table:
    table = Table(
        key="provinces", title=gettext("Applications by province"),
        columns=[Column(gettext("Province")), Column(gettext("Applications"), "integer"),
                 Column(gettext("Approved or confirmed"), "integer")],
        rows=[[r["name"], r["applications"], r["accepted"]] for r in rows],
        total=[gettext("Total"), sum(r["applications"] for r in rows), sum(r["accepted"] for r in rows)],
    )
    charted = rows[:PROVINCES_CHARTED]
    _accepted_chart(table, charted, [r["name"] for r in charted])
    if len(rows) > len(charted):
        table.note = gettext("The chart shows the %(shown)d provinces with most applications; the table lists them all.") % {
            "shown": len(charted)}
    return table


def _groups(rows: list[dict]) -> Table:
    names = [group_name(r) for r in rows]
    table = Table(
        key="groups", title=gettext("Applications by product group"),
        columns=[Column(gettext("Product group")), Column(gettext("Applications"), "integer"),
                 Column(gettext("Approved or confirmed"), "integer"), Column(gettext("Products shown"), "integer")],
        rows=[[name, r["applications"], r["accepted"], r["products"]] for name, r in zip(names, rows)],
        note=gettext("An application showing products of several groups counts in each of them."),
    )
    _accepted_chart(table, rows, names)
    return table


def _stars(rows: list[dict]) -> Table:
    labels = [gettext("%(stars)d stars") % {"stars": r["stars"]} for r in rows]
    table = Table(
        key="stars", title=gettext("Star mix"),
        columns=[Column(gettext("Best rating shown")), Column(gettext("Applications"), "integer"),
                 Column(gettext("Approved or confirmed"), "integer")],
        rows=[[name, r["applications"], r["accepted"]] for name, r in zip(labels, rows)],
        total=[gettext("Total"), sum(r["applications"] for r in rows), sum(r["accepted"] for r in rows)],
        note=gettext("Each application by the best-rated product it shows."),
    )
    _accepted_chart(table, rows, labels)
    return table


def _fees(halls: list[dict]) -> Table:
    rows = [[_hall_name(h), h["confirmed_fees"], h["approved_fees"], h["free_value"],
             h["confirmed_fees"] + h["approved_fees"] + h["free_value"]] for h in halls]
    table = Table(
        key="fees", title=gettext("Booth fees"),
        columns=[Column(gettext("Hall")), Column(gettext("Confirmed"), "amount"),
                 Column(gettext("Awaiting confirmation"), "amount"), Column(gettext("Free booths"), "amount"),
                 Column(gettext("All booths"), "amount")],
        rows=rows, total=[gettext("Total"), *[sum(r[i] for r in rows) for i in range(1, 5)]],
        note=gettext("Each booth at its price; blocked booths are left out."),
    )
    if any(r[4] for r in rows):
        table.chart = _drawn(
            charts.stacked_bar_chart, [r[0] for r in rows],
            [charts.Series(gettext(name), colour) for name, colour in OCCUPANCY[:3]], [r[1:4] for r in rows],
            title=table.title, value_text=format_vnd, whole=False,
        )
    return table


async def dashboard(event: dict) -> Dashboard:
    halls = await hall_rows(event["id"])
    counts = await status_rows(event["id"])
    occupancy = _occupancy(halls)
    fees = _fees(halls)
    tables = [occupancy, _statuses(counts), _provinces(await province_rows(event["id"])),
              _groups(await group_rows(event["id"])), _stars(await star_rows(event["id"])), fees]
    offered = sum(h["booths"] - h["blocked"] for h in halls)
    return Dashboard(tables=tables, figures={
        "booths": offered,
        "taken": sum(h["confirmed"] + h["approved"] for h in halls),
        "confirmed": sum(h["confirmed"] for h in halls),
        "applications": sum(counts.values()),
        "submitted": counts.get(A.submitted.value, 0),
        "waitlisted": counts.get(A.waitlisted.value, 0),
        "confirmed_fees": fees.total[1] if fees.total else 0,
        "pending_fees": fees.total[2] if fees.total else 0,
    })
