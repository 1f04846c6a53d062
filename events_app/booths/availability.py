"""Shelves free at the points of a showroom network, month by month: counted in the database
from the points' slots and their live rentals, for the network's page (plugged in through
`web/wiring.py`, as the events domain is below booths)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from piccolo.querystring import QueryString

from events_app.booths.periods import Period, months_from, shift_month
from events_app.booths.tables import RentalStatus
from events_app.core.clock import today
from events_app.core.db import engine
from events_app.core.identity import CurrentUser
from events_app.core.panels import Panel
from events_app.events.services import event_days

MONTHS_SHOWN = 6


@dataclass(frozen=True)
class Cell:
    """One point in one month: slots free of the slots it has; `open` is False outside its dates."""

    free: int
    total: int
    open: bool = True


def months_ahead(first: dt.date, count: int = MONTHS_SHOWN) -> list[Period]:
    return [months_from(shift_month(first, n), 1) for n in range(count)]


async def free_slots(event_ids: list[int], months: list[Period]) -> dict[int, tuple[int, list[int]]]:
    """For each event: (slots not blocked, of those how many no live rental holds in each month),
    in one query over booths and rentals."""
    if not event_ids or not months:
        return {}
    template = ("SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM booth_rental AS r WHERE r.booth = b.id "
                "AND r.status <> {} AND r.starts_on <= {} AND r.ends_on >= {}) THEN 1 ELSE 0 END) AS free_%d")
    columns, args = [], []
    for n, month in enumerate(months):
        columns.append(template % n)
        args += [RentalStatus.cancelled.value, month.ends_on, month.starts_on]
    placeholders = ", ".join("{}" for _ in event_ids)
    sql = (f"SELECT b.event AS event, COUNT(*) AS total, {', '.join(columns)} FROM booth AS b "
           f"WHERE b.event IN ({placeholders}) AND NOT b.is_blocked GROUP BY b.event")
    rows = await engine().run_querystring(QueryString(sql, *args, *event_ids))
    return {row["event"]: (int(row["total"]), [int(row[f"free_{n}"] or 0) for n in range(len(months))]) for row in rows}


async def availability(points: list[dict], first: dt.date, count: int = MONTHS_SHOWN) -> tuple[list[Period], dict[int, list[Cell]]]:
    """The months shown from the month of `first`, and per point its cell in each of them."""
    months = months_ahead(first, count)
    counted = await free_slots([p["id"] for p in points], months)
    table = {}
    for point in points:
        total, free = counted.get(point["id"], (0, [0] * len(months)))
        span = Period(*event_days(point))
        table[point["id"]] = [Cell(free=f, total=total, open=month.overlaps(span)) for month, f in zip(months, free)]
    return months, table


async def network_availability_panel(network: dict, points: list[dict], user: CurrentUser | None) -> Panel | None:
    if not points:
        return None
    months, table = await availability(points, today())
    return Panel("booths/_network_availability.html", {"points": points, "months": months, "table": table})
