"""Producers, products and distributors: profiles, certificates and search columns."""

from __future__ import annotations

import calendar
import datetime as dt

from piccolo.table import Table

from events_app.text import slugify

CERTIFICATE_MONTHS = 36


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; a day the month lacks becomes its last day (29/02 → 28/02)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def certificate_valid_until(certified_on: dt.date) -> dt.date:
    return add_months(certified_on, CERTIFICATE_MONTHS)


async def unique_slug(table: type[Table], text: str, *, exclude_id: int | None = None) -> str:
    """A slug for `text` not yet used in `table` (suffixes -2, -3… when taken)."""
    base = slugify(text)
    query = table.select(table.slug).where(table.slug.like(f"{base}%"))  # type: ignore[attr-defined]
    if exclude_id is not None:
        query = query.where(table.id != exclude_id)  # type: ignore[attr-defined]
    taken = {row["slug"] for row in await query}
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
