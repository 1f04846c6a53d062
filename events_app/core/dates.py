"""Calendar arithmetic the OCOP rules need: months added, certificates' 36-month validity."""

from __future__ import annotations

import calendar
import datetime as dt

from events_app.core.clock import today

CERTIFICATE_MONTHS = 36


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; a day the month lacks becomes its last day (29/02 → 28/02)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def certificate_valid_until(certified_on: dt.date) -> dt.date:
    """The last day an OCOP certificate counts: 36 months after recognition."""
    return add_months(certified_on, CERTIFICATE_MONTHS)


def is_valid(valid_until: dt.date, on: dt.date | None = None) -> bool:
    """A certificate counts through its last day, in Vietnam's time."""
    return valid_until >= (on or today())
