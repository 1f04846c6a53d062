"""The month grid of /calendar: weeks from Monday to Sunday, each day with the events on it, and
the list of the month's events under it."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from events_app.core import bounds
from events_app.events.services import event_days

# A day's cell shows this many events and says how many more there are: a national season puts
# a dozen fairs on one day, and a cell must stay readable.
CELL_LIMIT = 3
# Long-running events named above the grid; the others are counted, with a link to them all.
ONGOING_SHOWN = 6


@dataclass
class Day:
    date: dt.date
    in_month: bool
    events: list[dict] = field(default_factory=list)
    more: int = 0  # events on this day beyond those shown


# Events longer than this (a showroom open all year) are listed above the grid, not in every cell.
LONG_RUNNING = dt.timedelta(days=14)


def split_long_running(events: list[dict]) -> tuple[list[dict], list[dict]]:
    """(events drawn day by day, long-running events listed once)."""
    short, ongoing = [], []
    for event in events:
        (ongoing if event["ends_at"] - event["starts_at"] > LONG_RUNNING else short).append(event)
    return short, ongoing


def month_grid(first: dt.date, events: list[dict], limit: int = CELL_LIMIT) -> list[list[Day]]:
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    days = {day: Day(day, day.month == first.month) for week in weeks for day in week}
    for event in events:
        start, end = event_days(event)
        day = max(start, weeks[0][0])
        while day <= min(end, weeks[-1][-1]):
            cell = days[day]
            if len(cell.events) < limit:
                cell.events.append(event)
            else:
                cell.more += 1
            day += dt.timedelta(days=1)
    return [[days[day] for day in week] for week in weeks]


def shift_month(first: dt.date, months: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def parse_day(text: str) -> dt.date | None:
    """A day typed as yyyy-mm-dd, within the calendar's bounds; None otherwise (the whole month)."""
    try:
        day = dt.date.fromisoformat(text.strip()) if len(text.strip()) == 10 else None
    except ValueError:
        return None
    return day if day is not None and bounds.within_dates(day) else None


def on_day(events: list[dict], day: dt.date) -> list[dict]:
    return [event for event in events if event_days(event)[0] <= day <= event_days(event)[1]]


def upcoming_first(events: list[dict], moment: dt.datetime) -> list[dict]:
    """Events not yet over, soonest first, then those already over, in date order too."""
    return sorted(events, key=lambda event: (event["ends_at"] < moment, event["starts_at"], event["id"]))
