"""The confirmation letter of a booth: what a producer brings to the fair's gate, gathered as
plain values for a PDF builder (the catalogue's renderer lays it out).

A letter exists once the producer has confirmed its booth; before that, or for another
producer's application, there is none. Fairs have no set-up and tear-down times of their own yet:
the letter gives the organisers' usual ones, says so, and `windows` is the one place they are set.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from events_app.booths import services
from events_app.booths.tables import ApplicationStatus, Booth
from events_app.core.clock import today
from events_app.core.errors import NotFound
from events_app.core.i18n import N_, to_local
from events_app.events.services import event_days, get_event_by_id

SET_UP_FROM, SET_UP_UNTIL = dt.time(8), dt.time(17)  # the day before the opening
TEAR_DOWN_HOURS = 3  # after the closing, on the last day
NO_LETTER = N_("This application has no confirmed booth, so it has no confirmation letter yet.")


@dataclass(frozen=True)
class Window:
    """A span of local time on one day: set-up or tear-down."""

    day: dt.date
    starts: dt.time
    ends: dt.time


def windows(opens_at: dt.datetime, closes_at: dt.datetime) -> tuple[Window, Window]:
    """Set-up and tear-down around a fair open from `opens_at` to `closes_at` (local times):
    the day before the opening from 08:00 to 17:00, and the last day from the closing for
    three hours, not past midnight."""
    set_up = Window(opens_at.date() - dt.timedelta(days=1), SET_UP_FROM, SET_UP_UNTIL)
    end = closes_at + dt.timedelta(hours=TEAR_DOWN_HOURS)
    ends = end.time() if end.date() == closes_at.date() else dt.time(23, 59)
    return set_up, Window(closes_at.date(), closes_at.time().replace(second=0, microsecond=0), ends)


def reference(event_id: int, application_id: int) -> str:
    """The letter's number, as the organisers file it: XN (xác nhận), the fair, the application."""
    return f"XN-{event_id:04d}-{application_id:06d}"


async def letter_data(
    application_id: int, public_url: str, *, producer_id: int | None = None, event_id: int | None = None
) -> dict:
    """What the letter shows. A producer finds only its own application, staff one of the fair
    whose page they are on; either way only a confirmed booth has a letter."""
    application = await services.get_application(application_id, producer_id=producer_id)
    rental = application["live_rental"]
    if (event_id is not None and application["event"] != event_id) or rental is None or (
        application["status"] != ApplicationStatus.confirmed.value
    ):
        raise NotFound(NO_LETTER)
    event = await get_event_by_id(application["event"])
    booth = await Booth.select(
        Booth.code, Booth.booth_type, Booth.width, Booth.depth, Booth.hall.name.as_alias("hall_name"),
    ).where(Booth.id == rental["booth"]).first()
    first, last = event_days(event)
    opens, closes = to_local(event["starts_at"]), to_local(event["ends_at"])
    set_up, tear_down = windows(opens, closes)
    showroom = services.is_showroom(event)
    return {
        "reference": reference(event["id"], application["id"]),
        "issued_on": today(),
        "organiser": event["organiser"],
        "event": {
            "title_vi": event["title_vi"],
            "title_en": event["title_en"],
            "kind": event["kind"],
            "url": f"{public_url.rstrip('/')}/events/{event['slug']}",
            "venue": event["venue_name"],
            "address": event["venue_address"],
            "province": event["province_name"],
            "first_day": first,
            "last_day": last,
            "opens": opens.time().replace(second=0, microsecond=0),
            "closes": closes.time().replace(second=0, microsecond=0),
        },
        "producer": {
            "name": application["producer_name"],
            "type": application["producer_type"],
            "province": application["province_name"],
        },
        "booth": {
            "code": booth["code"],
            "hall": booth["hall_name"] or "",
            "type": booth["booth_type"],
            "width": booth["width"],
            "depth": booth["depth"],
            "area": round(booth["width"] * booth["depth"], 2),
        },
        "period": {"first_day": rental["starts_on"], "last_day": rental["ends_on"]} if showroom else None,
        "fee": application["price"] or 0,
        "set_up": {"day": set_up.day, "starts": set_up.starts, "ends": set_up.ends},
        "tear_down": {"day": tear_down.day, "starts": tear_down.starts, "ends": tear_down.ends},
        "products": [{"name": p["name"], "stars": p["stars"]} for p in application["products"]],
    }
