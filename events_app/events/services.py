"""Events: listing, lookup and the rules of their life cycle."""

from __future__ import annotations

import datetime as dt

from events_app.events.tables import Event, EventStatus


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


async def upcoming_events(limit: int = 6) -> list[dict]:
    """Published events not yet over, soonest first."""
    return (
        await Event.select(
            Event.id,
            Event.slug,
            Event.title_vi,
            Event.title_en,
            Event.kind,
            Event.starts_at,
            Event.ends_at,
            Event.province.name.as_alias("province_name"),
            Event.venue.name.as_alias("venue_name"),
        )
        .where((Event.status == EventStatus.published) & (Event.ends_at >= _now()))
        .order_by(Event.starts_at)
        .limit(limit)
    )
