"""The reports staff can open: what each counts, the table of its numbers and the charts drawn
from that table.

A report's `build` reads its figures (`queries`) and returns a `Result` of plain values: headers,
rows of cells (text, whole numbers, amounts in đồng, shares in per cent, dates), a total row,
the charts as SVG text and notes saying what is counted. The page, the workbook and the PDF all
show that one `Result`, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Sequence

from babel.numbers import format_decimal

from events_app.core import charts
from events_app.core.charts import Series
from events_app.core.i18n import (
    BABEL_LOCALES, N_, current_language, format_date, format_number, format_vnd, gettext, ngettext, to_local,
)
from events_app.core.labels import label
from events_app.core.templating import localized
from events_app.core.text import fold
from events_app.directory.tables import PRODUCER_ATTRIBUTES, ProducerType
from events_app.reports import queries
from events_app.reports.filters import ReportFilters

CHART_ROWS = 34  # bars in one chart: every current province; the table lists every row
CHART_EVENTS = 20  # events in one chart, the largest
PRINT_ROWS = 12  # bars in one printed chart: an A4 page holds it beside the report's heading
TABLE_ROWS = 200  # rows of a table at most; the notes say how many more there are
STAR_COLOURS = {3: "#d9b25f", 4: "#c8962d", 5: "#8a1c1c"}
STARS = (3, 4, 5)


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text, integer, amount (đồng), percent (0–100), date


Cell = str | int | float | dt.date | None


@dataclass
class Result:
    columns: list[Column]
    rows: list[list[Cell]]
    total: list[Cell] | None = None
    charts: list[dict[str, Any]] = field(default_factory=list)  # each drawn wide, narrow and for print (`_drawn`)
    notes: list[str] = field(default_factory=list)
    # Said instead of a table when the database holds nothing of what the report would count.
    unrecorded: str = ""
    matched: int = 0  # rows there are, of which `rows` holds at most TABLE_ROWS
    all_rows: list[list[Cell]] = field(default_factory=list)  # every one, for the download


@dataclass(frozen=True)
class Report:
    name: str  # in the address: /staff/reports/{name}
    title: str  # message ids
    summary: str
    filters: tuple[str, ...]
    build: Callable[[ReportFilters], Awaitable[Result]]


# Formats ------------------------------------------------------------------------------------------

def format_percent(value: float | None) -> str:
    if value is None:
        return ""
    return f"{format_decimal(value, '#,##0.0', locale=BABEL_LOCALES[current_language()])} %"


def compact_vnd(amount: float) -> str:
    """An amount short enough for a chart: "1,2 tỷ", "850 triệu"."""
    locale = BABEL_LOCALES[current_language()]
    if abs(amount) >= 1e9:
        return gettext("%(amount)s bn") % {"amount": format_decimal(amount / 1e9, "#,##0.##", locale=locale)}
    if abs(amount) >= 1e6:
        return gettext("%(amount)s m") % {"amount": format_decimal(amount / 1e6, "#,##0.##", locale=locale)}
    return format_number(amount)


def cell_text(kind: str, value: Cell) -> str:
    """A cell as the page and the PDF print it."""
    if value is None:
        return ""
    if kind == "integer":
        return format_number(value)  # type: ignore[arg-type]
    if kind == "amount":
        return format_vnd(value)  # type: ignore[arg-type]
    if kind == "percent":
        return format_percent(value)  # type: ignore[arg-type]
    if kind == "date":
        return format_date(value)  # type: ignore[arg-type]
    return str(value)


def _drawn(build: Callable[..., str], *args, **kwargs) -> dict[str, Any]:
    """A chart drawn for a wide page and for a phone, which the page picks between, and for print."""
    drawn: dict[str, Any] = dict(charts.for_page(build, *args, **kwargs))
    drawn["print"] = [drawn["wide"]]
    return drawn


def _drawn_stacked(labels: list[str], series: list[Series], values: list[list[float]], **kwargs) -> dict[str, Any]:
    """A bar chart as `_drawn`, printed in parts of PRINT_ROWS bars on one scale, as a page holds them."""
    chart = _drawn(charts.stacked_bar_chart, labels, series, values, **kwargs)
    kwargs["maximum"] = kwargs.get("maximum") or max((sum(row) for row in values), default=0)
    shown = kwargs.pop("totals_shown", None)
    chart["print"] = [
        charts.stacked_bar_chart(labels[i:i + PRINT_ROWS], series, values[i:i + PRINT_ROWS],
                                 totals_shown=shown[i:i + PRINT_ROWS] if shown else None, **kwargs)
        for i in range(0, len(labels), PRINT_ROWS)
    ]
    return chart


def _drawn_bars(rows: list[tuple[str, float]], *, colour: str = charts.PALETTE[0], **kwargs) -> dict[str, Any]:
    return _drawn_stacked([label for label, _ in rows], [Series("", colour)], [[value] for _, value in rows],
                          legend=False, kind="bars", **kwargs)


def _percent_tick(value: float) -> str:
    return f"{format_decimal(value, '#,##0.##', locale=BABEL_LOCALES[current_language()])} %"


def _count(value: float) -> str:
    return format_number(int(value)) if float(value).is_integer() else format_number(round(value, 1))


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _limited(result: Result, rows: list[list[Cell]]) -> Result:
    result.matched = len(rows)
    result.all_rows = rows
    result.rows = rows[:TABLE_ROWS]
    if len(rows) > TABLE_ROWS:
        result.notes.append(gettext("The table shows the first %(shown)d of %(total)d rows; the download holds them all.")
                            % {"shown": TABLE_ROWS, "total": len(rows)})
    return result


def _chart_note(result: Result, shown: int, total: int) -> None:
    if total > shown:
        result.notes.append(gettext("The chart shows the %(shown)d largest of %(total)d; the table lists them all.")
                            % {"shown": shown, "total": total})


# By province --------------------------------------------------------------------------------------

def _units(rows: list[dict], former_units: bool, merged: set[int]) -> dict[tuple[str, str], dict]:
    """Rows gathered by place: the current province, or the former one written on the producer's
    certificate, beside the province it is part of now. A producer of a merged province whose
    certificate names no former unit is put under "(former unit not recorded)" rather than guessed."""
    places: dict[tuple[str, str], dict] = {}
    for row in rows:
        if not former_units:
            name = row["province"]
        elif row["former"]:
            name = row["former"]
        elif row["province_id"] in merged:
            name = gettext("%(province)s (former unit not recorded)") % {"province": row["province"]}
        else:
            name = row["province"]
        beside = row["province"] if former_units else row["region"]
        place = places.setdefault((name, beside), {"name": name, "beside": beside, "counts": defaultdict(int)})
        place["counts"][row["key"]] += row["n"]
    return places


def _by_place(places: dict, keys: Sequence, *, title: str, series: list[Series], place_headers: tuple[str, str],
              key_headers: list[str]) -> Result:
    ordered = sorted(places.values(), key=lambda p: (-sum(p["counts"].values()), fold(p["name"])))
    rows: list[list[Cell]] = []
    for place in ordered:
        counts = [place["counts"].get(k, 0) for k in keys]
        rows.append([place["name"], place["beside"], *counts, sum(counts)])
    totals = [sum(row[2 + i] for row in rows) for i in range(len(keys))]  # type: ignore[misc]
    shown = ordered[:CHART_ROWS]
    chart = _drawn_stacked(
        [p["name"] for p in shown], series, [[p["counts"].get(k, 0) for k in keys] for p in shown],
        title=title, value_text=_count,
    )
    result = Result(
        columns=[*(Column(h) for h in place_headers), *(Column(h, "integer") for h in key_headers),
                 Column(gettext("Total"), "integer")],
        rows=[],
        total=[gettext("Total"), "", *totals, sum(totals)],
        charts=[chart] if rows else [],
    )
    _chart_note(result, len(shown), len(ordered))
    return _limited(result, rows)


def _place_headers(filters: ReportFilters) -> tuple[str, str]:
    if filters.units == "former":
        return gettext("Former province"), gettext("Part of today")
    return gettext("Province"), gettext("Region")


def _unit_note(result: Result, filters: ReportFilters) -> None:
    if filters.units == "former":
        result.notes.append(gettext(
            "Former units are the provinces as they were before 1 July 2025, as written on each producer's certificate."))


async def products_by_star(filters: ReportFilters) -> Result:
    rows = await queries.products_by_star(filters)
    merged = await queries.provinces_with_former_units() if filters.units == "former" else set()
    places = _units([{**row, "key": row["stars"]} for row in rows], filters.units == "former", merged)
    title = gettext("Products by star rating and province")
    result = _by_place(places, STARS, title=title, place_headers=_place_headers(filters),
                       series=[Series(f"{s}★", STAR_COLOURS[s]) for s in STARS], key_headers=[f"{s}★" for s in STARS])
    if filters.year:
        result.notes.append(gettext("Products whose current certificate was issued in %(year)d.") % {"year": filters.year})
    _unit_note(result, filters)
    return result


async def producers_by_type(filters: ReportFilters) -> Result:
    rows = await queries.producers_by_type(filters)
    merged = await queries.provinces_with_former_units() if filters.units == "former" else set()
    places = _units([{**row, "key": row["producer_type"]} for row in rows], filters.units == "former", merged)
    types = [t.value for t in ProducerType]
    names = [label("producer_type", t) for t in types]
    result = _by_place(places, types, title=gettext("Producers by type and province"), place_headers=_place_headers(filters),
                       series=[Series(n) for n in names], key_headers=names)
    _unit_note(result, filters)
    return result


# By year ------------------------------------------------------------------------------------------

async def recognitions(filters: ReportFilters) -> Result:
    first, again, ending = await queries.recognitions_by_year(filters)
    by_year: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for column, rows in enumerate((first, again, ending)):
        for row in rows:
            by_year[int(row["year"])][column] += row["n"]
    table: list[list[Cell]] = [[str(year), *by_year[year]] for year in sorted(by_year)]
    new, renewed, due = gettext("New recognitions"), gettext("Re-recognitions"), gettext("Certificates ending")
    chart = _drawn(charts.column_chart,
        [row[0] for row in table],
        [Series(new, charts.PALETTE[0]), Series(renewed, charts.PALETTE[2]), Series(due, charts.PALETTE[1])],
        [row[1:] for row in table], title=gettext("Products recognised, re-recognised and certificates ending, by year"),
        value_text=_count,
    )
    result = Result(
        columns=[Column(gettext("Year")), Column(new, "integer"), Column(renewed, "integer"), Column(due, "integer")],
        rows=[],
        total=[gettext("Total"), *(sum(row[1 + i] for row in table) for i in range(3))],  # type: ignore[misc]
        charts=[chart] if table else [],
        notes=[gettext("New recognitions: products whose first recorded certificate was issued that year. "
                       "Re-recognitions: dossiers re-recognised with a new certificate issued that year. Certificates "
                       "ending: products whose current certificate's 36 months end that year, due to be evaluated "
                       "again.")],
    )
    return _limited(result, table)


async def mous_over_time(filters: ReportFilters) -> Result:
    rows = sorted(await queries.mous_over_time(filters), key=lambda r: r["period_label"])
    found = {row["period_label"]: row for row in rows}
    if filters.year:
        periods = [f"{filters.year}-{m:02d}" for m in range(1, 13)]
        shown = [f"{m:02d}/{filters.year}" for m in range(1, 13)]
    else:
        periods = [row["period_label"] for row in rows]
        if periods:
            periods = [str(y) for y in range(int(periods[0]), int(periods[-1]) + 1)]
        shown = periods
    table: list[list[Cell]] = []
    for period, name in zip(periods, shown):
        row = found.get(period, {"n": 0, "total_value": 0})
        table.append([name, row["n"], row["total_value"] or 0])
    value_chart = _drawn(charts.column_chart,
        shown, [Series(gettext("Value signed"), charts.PALETTE[0])], [[row[2]] for row in table],
        title=gettext("Value of MoUs signed"), value_text=compact_vnd, whole=False,
    ) if any(row[1] for row in table) else ""
    count_chart = _drawn(charts.column_chart,
        shown, [Series(gettext("MoUs signed"), charts.PALETTE[3])], [[row[1]] for row in table],
        title=gettext("MoUs signed"), value_text=_count, line=True,
    ) if any(row[1] for row in table) else ""
    result = Result(
        columns=[Column(gettext("Month") if filters.year else gettext("Year")), Column(gettext("MoUs signed"), "integer"),
                 Column(gettext("Value signed"), "amount")],
        rows=[],
        total=[gettext("Total"), sum(r[1] for r in table), sum(r[2] for r in table)],  # type: ignore[misc]
        charts=[c for c in (value_chart, count_chart) if c],
        notes=[gettext("Signed MoUs (fulfilled ones included) by the day they were signed, in Vietnam's time.")],
    )
    return _limited(result, table)


# By event -----------------------------------------------------------------------------------------

def _event_name(row: dict) -> str:
    return localized(row)


def _day(row: dict) -> dt.date:
    return to_local(row["starts_at"]).date()


def _event_order(rows: list[dict], key: Callable[[dict], float]) -> list[dict]:
    return sorted(rows, key=lambda r: (-key(r), _day(r), fold(_event_name(r)), r["id"]))


async def participation(filters: ReportFilters) -> Result:
    rows = _event_order(await queries.event_participation(filters), lambda r: r["producers"] + r["distributors"])
    table: list[list[Cell]] = [
        [_event_name(r), label("event_kind", r["kind"]), _day(r), r["province"], r["applications"], r["producers"],
         r["distributors"], r["producers"] + r["distributors"]]
        for r in rows
    ]
    busy = [r for r in rows if r["producers"] + r["distributors"]][:CHART_EVENTS]
    producers, distributors = gettext("Producers"), gettext("Distributors")
    chart = _drawn_stacked(
        [_event_name(r) for r in busy], [Series(producers, charts.PALETTE[0]), Series(distributors, charts.PALETTE[3])],
        [[r["producers"], r["distributors"]] for r in busy], title=gettext("Participants per event"), value_text=_count,
    )
    result = Result(
        columns=[Column(gettext("Event")), Column(gettext("Kind")), Column(gettext("Starts on"), "date"),
                 Column(gettext("Province")), Column(gettext("Booth applications"), "integer"),
                 Column(producers, "integer"), Column(distributors, "integer"), Column(gettext("Participants"), "integer")],
        rows=[],
        total=[gettext("Total"), "", None, "", *(sum(row[4 + i] for row in table) for i in range(4))],  # type: ignore[misc]
        charts=[chart] if busy else [],
        notes=[gettext("Producers: those whose booth application was accepted, or registered for a conference, each "
                       "counted once per event. Distributors: those registered for a conference. Published and closed "
                       "events only.")],
    )
    _chart_note(result, len(busy), len([r for r in rows if r["producers"] + r["distributors"]]))
    return _limited(result, table)


async def booth_occupancy(filters: ReportFilters) -> Result:
    rows = await queries.booth_occupancy(filters)
    for row in rows:
        row["offered"] = row["booths"] - row["blocked"]
        row["share"] = _share(row["rented"], row["offered"])
    rows = _event_order(rows, lambda r: r["share"] or 0)
    table: list[list[Cell]] = [
        [_event_name(r), label("event_kind", r["kind"]), _day(r), r["province"], r["offered"], r["rented"], r["share"],
         r["rentals"], r["fees"]]
        for r in rows
    ]
    shown = rows[:CHART_EVENTS]
    occupancy = _drawn_bars(
        [(_event_name(r), r["share"] or 0) for r in shown], title=gettext("Booths rented, share of booths offered"),
        value_text=format_percent, tick_text=lambda v: f"{v:.0f} %", maximum=100,
        totals_shown=[f"{r['rented']}/{r['offered']} · {format_percent(r['share'] or 0)}" for r in shown],
    )
    by_fees = sorted(rows, key=lambda r: (-r["fees"], r["id"]))[:CHART_EVENTS]
    fees = _drawn_bars(
        [(_event_name(r), r["fees"]) for r in by_fees if r["fees"]], title=gettext("Booth fees"), value_text=compact_vnd,
        colour=charts.PALETTE[1], whole=False,
    )
    offered, rented = sum(r["offered"] for r in rows), sum(r["rented"] for r in rows)
    result = Result(
        columns=[Column(gettext("Event")), Column(gettext("Kind")), Column(gettext("Starts on"), "date"),
                 Column(gettext("Province")), Column(gettext("Booths offered"), "integer"),
                 Column(gettext("Booths rented"), "integer"), Column(gettext("Occupancy"), "percent"),
                 Column(gettext("Rentals"), "integer"), Column(gettext("Fees"), "amount")],
        rows=[],
        total=[gettext("Total"), "", None, "", offered, rented, _share(rented, offered),
               sum(r["rentals"] for r in rows), sum(r["fees"] for r in rows)],
        charts=[occupancy] + ([fees] if any(r["fees"] for r in by_fees) else []) if rows else [],
        notes=[gettext("Booths offered leave out blocked ones. A booth is rented while it has an active rental; fees are "
                       "each active rental at its booth's price (a showroom slot rented for several periods counts each "
                       "period).")],
    )
    _chart_note(result, len(shown), len(rows))
    return _limited(result, table)


async def mous_by_conference(filters: ReportFilters) -> Result:
    rows = _event_order(await queries.mous_by_conference(filters), lambda r: r["signed_value"] or 0)
    table: list[list[Cell]] = [
        [_event_name(r), label("event_kind", r["kind"]), _day(r), r["province"], r["signed"], r["signed_value"] or 0,
         r["negotiating"], r["negotiating_value"] or 0]
        for r in rows
    ]
    shown = [r for r in rows if r["signed"]][:CHART_EVENTS]
    chart = _drawn_bars(
        [(_event_name(r), r["signed_value"] or 0) for r in shown], title=gettext("Value of MoUs signed per event"),
        value_text=compact_vnd, whole=False,
        totals_shown=[_mous(r["signed"]) + " · " + compact_vnd(r["signed_value"] or 0) for r in shown],
    )
    result = Result(
        columns=[Column(gettext("Event")), Column(gettext("Kind")), Column(gettext("Starts on"), "date"),
                 Column(gettext("Province")), Column(gettext("MoUs signed"), "integer"),
                 Column(gettext("Value signed"), "amount"), Column(gettext("MoUs in negotiation"), "integer"),
                 Column(gettext("Value in negotiation"), "amount")],
        rows=[],
        total=[gettext("Total"), "", None, "", *(sum(row[4 + i] for row in table) for i in range(4))],  # type: ignore[misc]
        charts=[chart] if shown else [],
        notes=[gettext("Signed counts fulfilled MoUs too; in negotiation are those proposed or agreed. Withdrawn and "
                       "lapsed MoUs are left out. The year is the event's.")],
    )
    _chart_note(result, len(shown), len([r for r in rows if r["signed"]]))
    return _limited(result, table)


def _mous(count: int) -> str:
    return ngettext("%(num)d MoU", "%(num)d MoUs", count) % {"num": count}


# Online listings and producers' attributes ------------------------------------------------------------

async def online_listings(filters: ReportFilters) -> Result:
    """The share of products with at least one online listing, per province. With no listing in
    the database at all the report says the figure is not recorded yet, rather than 0 %."""
    if not await queries.listings_recorded():
        return Result(columns=[], rows=[], unrecorded=gettext(
            "Not yet recorded. No product has an online listing yet (a platform such as Shopee or Postmart and the "
            "address of the product's page there), so the share of products listed online cannot be counted. Once "
            "producers or staff add listings to their products, this report counts them per province."))
    rows = await queries.online_listings(filters)
    for row in rows:
        row["share"] = _share(row["listed"], row["products"])
    rows.sort(key=lambda r: (-(r["share"] or 0), -r["products"], fold(r["province"])))
    table: list[list[Cell]] = [[r["province"], r["region"], r["products"], r["listed"], r["share"], r["listings"]]
                               for r in rows]
    shown = rows[:CHART_ROWS]
    chart = _drawn_bars(
        [(r["province"], r["share"] or 0) for r in shown], title=gettext("Share of products listed online"),
        # Scaled to the largest share, not to 100 %: shares of a few per cent would draw no bar.
        value_text=format_percent, tick_text=_percent_tick, maximum=min(100.0, max((r["share"] or 0 for r in shown),
                                                                                  default=0)) or None,
        whole=False, colour=charts.PALETTE[3],
        totals_shown=[f"{r['listed']}/{r['products']} · {format_percent(r['share'] or 0)}" for r in shown],
    )
    products, listed = sum(r["products"] for r in rows), sum(r["listed"] for r in rows)
    result = Result(
        columns=[Column(gettext("Province")), Column(gettext("Region")), Column(gettext("Products"), "integer"),
                 Column(gettext("Listed online"), "integer"), Column(gettext("Share listed online"), "percent"),
                 Column(gettext("Listings"), "integer")],
        rows=[],
        total=[gettext("Total"), "", products, listed, _share(listed, products), sum(r["listings"] for r in rows)],
        charts=[chart] if rows else [],
        notes=[gettext("A product is listed online when it has at least one listing, on an e-commerce platform or its "
                       "producer's own website, as its producer or staff recorded it on the product's page.")],
    )
    return _limited(result, table)


async def producer_attributes(filters: ReportFilters) -> Result:
    rows = sorted(await queries.producer_attributes(filters), key=lambda r: (-r["producers"], fold(r["province"])))
    names = [label("producer_attribute", a) for a in PRODUCER_ATTRIBUTES]
    table: list[list[Cell]] = [[r["province"], r["region"], r["producers"], *(r[a] for a in PRODUCER_ATTRIBUTES)]
                               for r in rows]
    producers = sum(r["producers"] for r in rows)
    totals = [sum(r[a] for r in rows) for a in PRODUCER_ATTRIBUTES]
    chart = _drawn_bars(
        list(zip(names, totals)), title=gettext("Producers by attribute"), value_text=_count, colour=charts.PALETTE[2],
        totals_shown=[f"{_count(t)} · {format_percent(_share(t, producers) or 0)}" for t in totals],
    )
    result = Result(
        columns=[Column(gettext("Province")), Column(gettext("Region")), Column(gettext("Producers"), "integer"),
                 *(Column(n, "integer") for n in names)],
        rows=[],
        total=[gettext("Total"), "", producers, *totals],
        charts=[chart] if rows else [],
        notes=[gettext("A producer may have several attributes, and is counted under each; the share is of all the "
                       "producers counted. Attributes are those the producer ticked on its profile, as staff corrected "
                       "them.")],
    )
    return _limited(result, table)


REPORTS: dict[str, Report] = {report.name: report for report in (
    Report("products-by-star", N_("Products by star rating and province"),
           N_("OCOP products per province, current or former, and star rating."),
           ("year", "region", "province", "group", "units"), products_by_star),
    Report("recognitions", N_("Products recognised per year"),
           N_("New recognitions, re-recognitions and certificates ending, by year."), ("region", "province", "group"), recognitions),
    Report("producers", N_("Producers by type and province"),
           N_("OCOP producers per province, by type: cooperatives, cooperative groups, enterprises, households."),
           ("region", "province", "units"), producers_by_type),
    Report("participation", N_("Participation per event"),
           N_("Producers and distributors taking part in each fair, conference and showroom."),
           ("year", "kind", "region", "province"), participation),
    Report("booths", N_("Booth occupancy and fees"),
           N_("Booths offered and rented at each fair and showroom, and the fees."),
           ("year", "kind", "region", "province"), booth_occupancy),
    Report("mous", N_("MoUs per conference"), N_("Number and value of MoUs signed at each event."),
           ("year", "kind", "region", "province"), mous_by_conference),
    Report("mous-over-time", N_("MoUs over time"), N_("MoUs signed by month of a year, or by year."),
           ("year", "kind", "region", "province"), mous_over_time),
    Report("producer-attributes", N_("Producers by attribute"),
           N_("Women-led, ethnic-minority, craft-village, youth start-up and cooperative-group producers, per province."),
           ("region", "province"), producer_attributes),
    Report("online", N_("Products listed online per province"),
           N_("Share of products on e-commerce platforms, per province."), ("region", "province", "group"),
           online_listings),
)}

