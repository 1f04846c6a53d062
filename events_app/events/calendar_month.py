"""The month grid of /calendar: weeks from Monday to Sunday, each day with the events on it."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from events_app.events.services import event_days


@dataclass
class Day:
    date: dt.date
    in_month: bool
    events: list[dict] = field(default_factory=list)


# Events longer than this (a showroom open all year) are listed above the grid, not in every cell.
LONG_RUNNING = dt.timedelta(days=14)


def split_long_running(events: list[dict]) -> tuple[list[dict], list[dict]]:
    """(events drawn day by day, long-running events listed once)."""
    short, ongoing = [], []
    for event in events:
        (ongoing if event["ends_at"] - event["starts_at"] > LONG_RUNNING else short).append(event)
    return short, ongoing


def month_grid(first: dt.date, events: list[dict]) -> list[list[Day]]:
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    days = {day: Day(day, day.month == first.month) for week in weeks for day in week}
    for event in events:
        start, end = event_days(event)
        day = max(start, weeks[0][0])
        while day <= min(end, weeks[-1][-1]):
            days[day].events.append(event)
            day += dt.timedelta(days=1)
    return [[days[day] for day in week] for week in weeks]


def shift_month(first: dt.date, months: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)
