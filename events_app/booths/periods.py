"""The time a rental holds a booth: a fair's days, or a showroom slot's rented months or dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from events_app.core.dates import add_months

MAX_MONTHS = 12


@dataclass(frozen=True, order=True)
class Period:
    """Whole days, both ends included, as rentals store them."""

    starts_on: dt.date
    ends_on: dt.date

    def overlaps(self, other: "Period") -> bool:
        return self.starts_on <= other.ends_on and other.starts_on <= self.ends_on

    def within(self, outer: "Period") -> bool:
        return outer.starts_on <= self.starts_on and self.ends_on <= outer.ends_on

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def whole_months(self) -> int | None:
        """How many calendar months the period covers exactly, or None when it is not whole months."""
        if self.starts_on.day != 1:
            return None
        months = 0
        while True:
            months += 1
            end = add_months(self.starts_on, months) - dt.timedelta(days=1)
            if end == self.ends_on:
                return months
            if end > self.ends_on:
                return None


def months_from(first: dt.date, months: int) -> Period:
    """`months` whole calendar months starting with the month of `first`."""
    start = first.replace(day=1)
    return Period(start, add_months(start, months) - dt.timedelta(days=1))


def month_of(day: dt.date) -> Period:
    return months_from(day, 1)


def rental_price(monthly_price: int, period: Period) -> int:
    """A slot's price for a period: per month for whole months, else per day at a 30-day month."""
    months = period.whole_months()
    if months is not None:
        return monthly_price * months
    return round(monthly_price * period.days / 30)


def shift_month(first: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after (or before) the month of `first`."""
    return add_months(first.replace(day=1), months)
