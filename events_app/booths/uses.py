"""The booths domain's answers to what lower domains ask before they change a row:
which halls hold booths, which events have booths or applications, which products are shown."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from events_app.booths.rules import LIVE_STATUSES
from events_app.booths.tables import ApplicationProduct, Booth, BoothApplication
from events_app.core.clock import now
from events_app.events.tables import EventStatus



def _grouped(rows: list[dict], key: str) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        out[row.pop(key)].append(row)
    return dict(out)


async def booths_in_halls(hall_ids: list[int]) -> dict[int, list[Any]]:
    rows = await Booth.select(Booth.hall, Booth.code).where(Booth.hall.is_in(hall_ids))
    return _grouped(rows, "hall")


async def booth_market_of_events(event_ids: list[int]) -> dict[int, list[Any]]:
    booths = await Booth.select(Booth.event, Booth.code).where(Booth.event.is_in(event_ids))
    applications = await BoothApplication.select(BoothApplication.event, BoothApplication.id).where(
        BoothApplication.event.is_in(event_ids)
    )
    uses = _grouped(booths, "event")
    for event_id, found in _grouped(applications, "event").items():
        uses.setdefault(event_id, []).extend(found)
    return uses


async def products_shown(product_ids: list[int]) -> dict[int, list[Any]]:
    """The live applications of events not yet over that show each product, with the event's titles."""
    rows = await ApplicationProduct.select(
        ApplicationProduct.product,
        ApplicationProduct.application.status.as_alias("status"),
        ApplicationProduct.application.event.title_vi.as_alias("title_vi"),
        ApplicationProduct.application.event.title_en.as_alias("title_en"),
    ).where(
        ApplicationProduct.product.is_in(product_ids)
        & ApplicationProduct.application.status.is_in(list(LIVE_STATUSES))
        & (ApplicationProduct.application.event.status != EventStatus.cancelled.value)
        & (ApplicationProduct.application.event.ends_at >= now())
    )
    return _grouped(rows, "product")
