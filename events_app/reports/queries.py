"""The figures of the reports, counted by the database: one GROUP BY per figure, the same SQL on
SQLite and PostgreSQL but for the few expressions that read a year or a month.

Each function takes the report's filters and returns plain rows. Places filter on the producer's
province for the directory's figures and on the event's province for the events' ones. Years are
Vietnam's: an event that starts at 00:30 on 1 January, Hanoi time, belongs to the new year.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from piccolo.querystring import QueryString

from events_app.booths.tables import ApplicationStatus, Booth, BoothApplication, BoothRental, RentalStatus
from events_app.core.db import engine, is_postgres
from events_app.directory.tables import PRODUCER_ATTRIBUTES, Producer, Product, ProductListing
from events_app.events.tables import Attendance, AttendanceStatus, Event, EventKind, EventStatus
from events_app.mou.tables import Mou, MouStatus
from events_app.recognition.tables import Dossier, DossierStatus, Recognition
from events_app.reference.tables import FormerProvince, Province, Region
from events_app.reports.filters import ReportFilters

T = {table: f'"{table._meta.tablename}"' for table in (
    Product, Producer, Province, Region, FormerProvince, Event, BoothApplication, Attendance, Booth, BoothRental, Mou,
    ProductListing, Recognition, Dossier,
)}
ACCEPTED = (ApplicationStatus.approved.value, ApplicationStatus.confirmed.value)
SIGNED = (MouStatus.signed.value, MouStatus.fulfilled.value)
NEGOTIATING = (MouStatus.proposed.value, MouStatus.agreed.value)
# Events counted: those that are, or were, public. Drafts are plans; cancelled ones did not happen.
COUNTED_EVENTS = (EventStatus.published.value, EventStatus.closed.value)
BOOTH_KINDS = (EventKind.fair.value, EventKind.showroom.value)
TIME_ZONE = "Asia/Ho_Chi_Minh"  # UTC+7 all year: SQLite adds seven hours


async def run(sql: str, *args: Any) -> list[dict]:
    return [dict(row) for row in await engine().run_querystring(QueryString(sql, *args))]


def _in(values: tuple[str, ...]) -> str:
    """A list of our own constants as SQL literals (never a visitor's text)."""
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def year_of_date(column: str) -> str:
    return f"to_char({column}, 'YYYY')" if is_postgres() else f"substr({column}, 1, 4)"


def local_period(column: str, *, month: bool) -> str:
    """A moment's year ('2026') or month ('2026-03'), in Vietnam's time, as text."""
    if is_postgres():
        return f"to_char({column} AT TIME ZONE '{TIME_ZONE}', '{'YYYY-MM' if month else 'YYYY'}')"
    return f"strftime('{'%Y-%m' if month else '%Y'}', {column}, '+7 hours')"


class Where:
    """Conditions and their bound values, in order, for a QueryString's `{}` placeholders."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.args: list[Any] = []

    def add(self, sql: str, *args: Any) -> "Where":
        self.parts.append(sql)
        self.args.extend(args)
        return self

    def sql(self) -> str:
        return (" WHERE " + " AND ".join(self.parts)) if self.parts else ""


def _place(where: Where, filters: ReportFilters, province: str) -> Where:
    """`province` is the SQL of the province row joined (its alias)."""
    if filters.province_id:
        where.add(f"{province}.id = {{}}", filters.province_id)
    if filters.region_id:
        where.add(f"{province}.region = {{}}", filters.region_id)
    return where


def _certified_in(where: Where, filters: ReportFilters) -> Where:
    if filters.year:
        where.add("p.certified_on >= {} AND p.certified_on < {}", dt.date(filters.year, 1, 1), dt.date(filters.year + 1, 1, 1))
    return where


# The directory ------------------------------------------------------------------------------------

_UNIT = f"""
    LEFT JOIN {T[FormerProvince]} fp ON fp.province = pv.id AND fp.name = pr.province_as_written
"""


async def products_by_star(filters: ReportFilters) -> list[dict]:
    """Products by province (with the former unit written on the producer's certificate, when it
    is one) and star rating."""
    where = _certified_in(_place(Where(), filters, "pv"), filters)
    if filters.group_id:
        where.add("p.\"group\" = {}", filters.group_id)
    return await run(f"""
        SELECT pv.id AS province_id, pv.name AS province, rg.name AS region,
               fp.name AS former, p.stars AS stars, COUNT(*) AS n
        FROM {T[Product]} p
        JOIN {T[Producer]} pr ON pr.id = p.producer
        JOIN {T[Province]} pv ON pv.id = pr.province
        JOIN {T[Region]} rg ON rg.id = pv.region
        {_UNIT}
        {where.sql()}
        GROUP BY pv.id, pv.name, rg.name, fp.name, p.stars
    """, *where.args)


async def producers_by_type(filters: ReportFilters) -> list[dict]:
    where = _place(Where(), filters, "pv")
    return await run(f"""
        SELECT pv.id AS province_id, pv.name AS province, rg.name AS region,
               fp.name AS former, pr.producer_type AS producer_type, COUNT(*) AS n
        FROM {T[Producer]} pr
        JOIN {T[Province]} pv ON pv.id = pr.province
        JOIN {T[Region]} rg ON rg.id = pv.region
        {_UNIT}
        {where.sql()}
        GROUP BY pv.id, pv.name, rg.name, fp.name, pr.producer_type
    """, *where.args)


async def producer_attributes(filters: ReportFilters) -> list[dict]:
    """Producers per province, and how many of them have each attribute the programme counts."""
    where = _place(Where(), filters, "pv")
    counted = ", ".join(f"SUM(CASE WHEN pr.{a} THEN 1 ELSE 0 END) AS {a}" for a in PRODUCER_ATTRIBUTES)
    return await run(f"""
        SELECT pv.id AS province_id, pv.name AS province, rg.name AS region, COUNT(*) AS producers, {counted}
        FROM {T[Producer]} pr
        JOIN {T[Province]} pv ON pv.id = pr.province
        JOIN {T[Region]} rg ON rg.id = pv.region
        {where.sql()}
        GROUP BY pv.id, pv.name, rg.name
    """, *where.args)


async def listings_recorded() -> int:
    rows = await run(f"SELECT COUNT(*) AS n FROM {T[ProductListing]}")
    return rows[0]["n"]


async def online_listings(filters: ReportFilters) -> list[dict]:
    """Products per province, those with at least one online listing, and their listings."""
    where = _place(Where(), filters, "pv")
    if filters.group_id:
        where.add("p.\"group\" = {}", filters.group_id)
    return await run(f"""
        SELECT pv.id AS province_id, pv.name AS province, rg.name AS region, COUNT(*) AS products,
               COUNT(l.product) AS listed, CAST(COALESCE(SUM(l.n), 0) AS BIGINT) AS listings
        FROM {T[Product]} p
        JOIN {T[Producer]} pr ON pr.id = p.producer
        JOIN {T[Province]} pv ON pv.id = pr.province
        JOIN {T[Region]} rg ON rg.id = pv.region
        LEFT JOIN (SELECT product, COUNT(*) AS n FROM {T[ProductListing]} GROUP BY product) l ON l.product = p.id
        {where.sql()}
        GROUP BY pv.id, pv.name, rg.name
    """, *where.args)


async def provinces_with_former_units() -> set[int]:
    """Provinces made of several former ones: a producer there whose certificate names none of
    them cannot be put under a former unit."""
    rows = await run(f"SELECT province, COUNT(*) AS n FROM {T[FormerProvince]} GROUP BY province")
    return {row["province"] for row in rows}


async def recognitions_by_year(filters: ReportFilters) -> tuple[list[dict], list[dict], list[dict]]:
    """By year: products first recognised (the earliest certificate in their history), products
    re-recognised (dossiers decided with a new certificate issued that year), and products whose
    current certificate ends."""
    def products(where: Where) -> Where:
        _place(where, filters, "pv")
        return where.add("p.\"group\" = {}", filters.group_id) if filters.group_id else where

    where = products(Where())
    decided = products(Where().add(f"d.status = '{DossierStatus.recognised.value}'").add("d.new_certified_on IS NOT NULL"))
    joins = f"""
        JOIN {T[Producer]} pr ON pr.id = p.producer
        JOIN {T[Province]} pv ON pv.id = pr.province
    """
    first = await run(f"""
        SELECT {year_of_date('f.first_on')} AS year, COUNT(*) AS n
        FROM (SELECT product, MIN(certified_on) AS first_on FROM {T[Recognition]} GROUP BY product) f
        JOIN {T[Product]} p ON p.id = f.product {joins} {where.sql()}
        GROUP BY {year_of_date('f.first_on')}
    """, *where.args)
    again = await run(f"""
        SELECT {year_of_date('d.new_certified_on')} AS year, COUNT(*) AS n
        FROM {T[Dossier]} d JOIN {T[Product]} p ON p.id = d.product {joins} {decided.sql()}
        GROUP BY {year_of_date('d.new_certified_on')}
    """, *decided.args)
    ending = await run(f"""
        SELECT {year_of_date('p.valid_until')} AS year, COUNT(*) AS n FROM {T[Product]} p {joins} {where.sql()}
        GROUP BY {year_of_date('p.valid_until')}
    """, *where.args)
    return first, again, ending


# Events -------------------------------------------------------------------------------------------

def _events_where(filters: ReportFilters, *, kinds: tuple[str, ...] | None = None) -> Where:
    where = _place(Where(), filters, "pv").add(f"e.status IN {_in(COUNTED_EVENTS)}")
    if filters.kind:
        where.add("e.kind = {}", filters.kind)
    elif kinds:
        where.add(f"e.kind IN {_in(kinds)}")
    if span := filters.year_bounds():
        where.add("e.starts_at >= {} AND e.starts_at < {}", *span)
    return where


_EVENT_COLUMNS = "e.id AS id, e.slug AS slug, e.title_vi AS title_vi, e.title_en AS title_en, e.kind AS kind, " \
                 "e.starts_at AS starts_at, e.ends_at AS ends_at, pv.name AS province"


async def event_participation(filters: ReportFilters) -> list[dict]:
    """Every counted event with its exhibiting or registered producers (each once), registered
    distributors, and booth applications made (cancelled ones aside)."""
    where = _events_where(filters)
    return await run(f"""
        SELECT {_EVENT_COLUMNS},
               COALESCE(pp.n, 0) AS producers, COALESCE(dd.n, 0) AS distributors, COALESCE(aa.n, 0) AS applications
        FROM {T[Event]} e
        JOIN {T[Province]} pv ON pv.id = e.province
        LEFT JOIN (
            SELECT event, COUNT(DISTINCT producer) AS n FROM (
                SELECT event, producer FROM {T[BoothApplication]} WHERE status IN {_in(ACCEPTED)}
                UNION
                SELECT event, producer FROM {T[Attendance]}
                WHERE status = '{AttendanceStatus.registered.value}' AND producer IS NOT NULL
            ) taking_part GROUP BY event
        ) pp ON pp.event = e.id
        LEFT JOIN (
            SELECT event, COUNT(DISTINCT distributor) AS n FROM {T[Attendance]}
            WHERE status = '{AttendanceStatus.registered.value}' AND distributor IS NOT NULL GROUP BY event
        ) dd ON dd.event = e.id
        LEFT JOIN (
            SELECT event, COUNT(*) AS n FROM {T[BoothApplication]}
            WHERE status <> '{ApplicationStatus.cancelled.value}' GROUP BY event
        ) aa ON aa.event = e.id
        {where.sql()}
    """, *where.args)


async def booth_occupancy(filters: ReportFilters) -> list[dict]:
    """Fairs and showrooms with booths: booths offered (blocked ones aside), booths rented, the
    rentals and the fees they bring (each rental the booth's price)."""
    where = _events_where(filters, kinds=BOOTH_KINDS)
    return await run(f"""
        SELECT {_EVENT_COLUMNS},
               bb.booths AS booths, bb.blocked AS blocked,
               COALESCE(rr.rented, 0) AS rented, COALESCE(rr.rentals, 0) AS rentals, COALESCE(rr.fees, 0) AS fees
        FROM {T[Event]} e
        JOIN {T[Province]} pv ON pv.id = e.province
        JOIN (
            SELECT event, COUNT(*) AS booths, SUM(CASE WHEN is_blocked THEN 1 ELSE 0 END) AS blocked
            FROM {T[Booth]} GROUP BY event
        ) bb ON bb.event = e.id
        LEFT JOIN (
            SELECT b.event AS event, COUNT(DISTINCT r.booth) AS rented, COUNT(*) AS rentals,
                   CAST(SUM(b.price) AS BIGINT) AS fees
            FROM {T[BoothRental]} r JOIN {T[Booth]} b ON b.id = r.booth
            WHERE r.status = '{RentalStatus.active.value}' GROUP BY b.event
        ) rr ON rr.event = e.id
        {where.sql()}
    """, *where.args)


# MoUs ---------------------------------------------------------------------------------------------

async def mous_by_conference(filters: ReportFilters) -> list[dict]:
    """Events where MoUs were made: signed (or fulfilled) ones and their value, and those still
    being negotiated. The year is the event's."""
    where = _events_where(filters)
    return await run(f"""
        SELECT {_EVENT_COLUMNS},
               SUM(CASE WHEN m.status IN {_in(SIGNED)} THEN 1 ELSE 0 END) AS signed,
               CAST(SUM(CASE WHEN m.status IN {_in(SIGNED)} THEN m.value_vnd ELSE 0 END) AS BIGINT) AS signed_value,
               SUM(CASE WHEN m.status IN {_in(NEGOTIATING)} THEN 1 ELSE 0 END) AS negotiating,
               CAST(SUM(CASE WHEN m.status IN {_in(NEGOTIATING)} THEN m.value_vnd ELSE 0 END) AS BIGINT) AS negotiating_value
        FROM {T[Mou]} m
        JOIN {T[Event]} e ON e.id = m.event
        JOIN {T[Province]} pv ON pv.id = e.province
        {where.sql()}
        GROUP BY e.id, e.slug, e.title_vi, e.title_en, e.kind, e.starts_at, e.ends_at, pv.name
    """, *where.args)


async def mous_over_time(filters: ReportFilters) -> list[dict]:
    """Signed MoUs by the month (in a year asked for) or the year they were signed. A place or a
    kind filters by the event the MoU was signed at."""
    where = Where().add(f"m.status IN {_in(SIGNED)}").add("m.signed_at IS NOT NULL")
    joins = ""
    if filters.province_id or filters.region_id or filters.kind:
        joins = f"JOIN {T[Event]} e ON e.id = m.event JOIN {T[Province]} pv ON pv.id = e.province"
        _place(where, filters, "pv")
        if filters.kind:
            where.add("e.kind = {}", filters.kind)
    if span := filters.year_bounds():
        where.add("m.signed_at >= {} AND m.signed_at < {}", *span)
    period = local_period("m.signed_at", month=filters.year is not None)
    return await run(f"""
        SELECT {period} AS period_label, COUNT(*) AS n, CAST(SUM(m.value_vnd) AS BIGINT) AS total_value
        FROM {T[Mou]} m {joins}
        {where.sql()}
        GROUP BY {period}
    """, *where.args)
