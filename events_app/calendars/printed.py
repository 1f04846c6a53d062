"""The printed calendar: the events of a month or a year, grouped by month, the way a province's
annual trade-promotion plan lists its fairs.

`period_from_query` reads the period asked for; `calendar_data` gathers what the document shows as
plain values; `calendar_job` makes of them a PDF job that the catalogue's renderer lays out in its
worker processes, behind its cache, fonts and restricted fetcher.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from babel.dates import format_date

from events_app.catalogue.assets import Assets
from events_app.catalogue.pdf import PdfJob
from events_app.core import bounds
from events_app.core.clock import today
from events_app.core.errors import DomainError
from events_app.core.forms import parse_month
from events_app.core.i18n import BABEL_LOCALES, LOCAL_TZ, N_, current_language
from events_app.core.templating import TEMPLATES_DIR, localized
from events_app.events import services as events
from events_app.events.calendar_month import shift_month
from events_app.reference.services import list_provinces, list_regions

TEMPLATE_DIR = "calendars/pdf"
PRINTED_CALENDAR = f"{TEMPLATE_DIR}/calendar.html"
# A year of the national programme is about a thousand events, some forty pages; a printed
# calendar stops here and says how many more the filters match.
PRINT_LIMIT = 1500

# Babel's stand-alone month name: "March 2026"; "tháng 3/2026", as Vietnamese writes a month.
MONTH_PATTERNS = {"en": "LLLL yyyy", "vi": "LLLL/yyyy"}

BAD_YEAR = N_("Choose a year between %(first)d and %(last)d, for example ?year=%(example)d.")
BAD_MONTH = N_("Choose a month as yyyy-mm between 01/%(first)d and 12/%(last)d, for example ?month=%(example)s.")


@dataclass(frozen=True)
class Period:
    """A whole year, or one month of it."""

    year: int
    month: int | None = None

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month or 1, 1)

    @property
    def following(self) -> dt.date:
        """The first day after the period."""
        return shift_month(self.first, 1) if self.month else dt.date(self.year + 1, 1, 1)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The period as a UTC interval [start, end) of Vietnam's time."""
        start, end = (dt.datetime.combine(day, dt.time(), LOCAL_TZ) for day in (self.first, self.following))
        return start.astimezone(dt.timezone.utc), end.astimezone(dt.timezone.utc)

    def months(self) -> list[dt.date]:
        return [self.first] if self.month else [dt.date(self.year, n, 1) for n in range(1, 13)]

    def filename(self) -> str:
        return f"lich-su-kien-ocop-{self.year}" + (f"-{self.month:02d}" if self.month else "") + ".pdf"


def period_from_query(year: str, month: str) -> Period:
    """`?year=2026` for a year, `?month=2026-03` for a month, neither for this month. A value that
    names no period of the calendar is refused with the reason, not replaced by another period:
    a printed plan must be the one asked for."""
    year, month = year.strip(), month.strip()
    if year:
        if not (year.isascii() and year.isdigit() and len(year) == 4 and bounds.within_years(int(year))):
            raise DomainError(BAD_YEAR, first=bounds.EARLIEST_YEAR, last=bounds.LATEST_YEAR, example=today().year)
        return Period(int(year))
    if month:
        first = parse_month(month)
        if first is None:
            raise DomainError(
                BAD_MONTH, first=bounds.EARLIEST_YEAR, last=bounds.LATEST_YEAR, example=today().strftime("%Y-%m")
            )
        return Period(first.year, first.month)
    return Period(today().year, today().month)


def month_label(first: dt.date) -> str:
    """A month as a heading says it: "March 2026", "Tháng 3/2026"."""
    return format_date(first, MONTH_PATTERNS[current_language()], locale=BABEL_LOCALES[current_language()])


def _row(event: dict[str, Any]) -> dict[str, Any]:
    first, last = events.event_days(event)
    return {
        "title": localized(event),
        "kind": event["kind"],
        "first_day": first,
        "last_day": last,
        "venue": event["venue_name"],
        "address": event["venue_address"],
        "province": event["province_name"],
        "organiser": event["organiser"],
    }


async def describe_filters(filters: events.EventFilters) -> list[tuple[str, str]]:
    """(kind, value) pairs naming the filters in force, for the title of the printed calendar."""
    out: list[tuple[str, str]] = []
    if filters.kind:
        out.append(("kind", filters.kind))
    for kind, slug, rows in (("province", filters.province, list_provinces), ("region", filters.region, list_regions)):
        if slug:
            out.append((kind, next((row["name"] for row in await rows() if row["slug"] == slug), slug)))
    return out


async def calendar_data(filters: events.EventFilters, period: Period) -> dict[str, Any]:
    """The period's public events matching the filters, by month: an event that began earlier is
    listed under the period's first month."""
    rows, total = await events.events_between(filters, *period.bounds(), PRINT_LIMIT)
    by_month: dict[dt.date, list[dict[str, Any]]] = {first: [] for first in period.months()}
    for event in rows:
        row = _row(event)
        by_month[max(row["first_day"].replace(day=1), period.first)].append(row)
    return {
        "year": period.year,
        "month": month_label(period.first) if period.month else "",
        "filters": await describe_filters(filters),
        "months": [{"name": month_label(first), "events": listed} for first, listed in by_month.items() if listed],
        "kinds": sorted(Counter(row["kind"] for row in rows).items()),
        "shown": len(rows),
        "total": total,
        "issued_on": today(),
        # The catalogue's cache key hashes its own templates; these are hashed here, so that a new
        # design of the printed calendar is rendered afresh.
        "design": design_fingerprint(),
    }


@lru_cache(maxsize=1)
def design_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted((TEMPLATES_DIR / TEMPLATE_DIR).glob("*")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def calendar_job(data: dict[str, Any], assets: Assets, language: str) -> PdfJob:
    return PdfJob(PRINTED_CALENDAR, data, language, assets)
