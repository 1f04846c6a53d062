"""iCalendar (RFC 5545) builders: plain data in, bytes out.

Nothing here reads the database or knows about requests. A `Feed` holds `Entry` values with
their texts already written in the reader's language; `render()` turns it into a VCALENDAR.
UIDs are made from the kind and id of the row they show and the site's host, so a calendar
application that fetches the feed again updates its entries instead of duplicating them.
Moments are written in Vietnam's time with TZID=Asia/Ho_Chi_Minh and its VTIMEZONE.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Iterable
from urllib.parse import urlsplit

from icalendar import Calendar, Event, Timezone, vDuration

from events_app.core.i18n import LOCAL_TZ, to_local

PRODID = "-//OCOP Fair Manager//Calendar//{language}"
# Raised when `render` writes the same feed differently, so that cached bodies and ETags change.
RENDER_VERSION = 1
# How often calendar applications should fetch a subscribed feed again.
REFRESH_INTERVAL = dt.timedelta(hours=1)
SUMMARY_MAX = 250
DESCRIPTION_MAX = 4000
ICAL_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

CONFIRMED, TENTATIVE, CANCELLED = "CONFIRMED", "TENTATIVE", "CANCELLED"


@dataclass(frozen=True)
class Site:
    """Where the site lives: the host names UIDs, the base makes absolute links."""

    public_url: str

    @property
    def host(self) -> str:
        return urlsplit(self.public_url).hostname or "localhost"

    def url(self, path: str) -> str:
        return self.public_url.rstrip("/") + path

    def uid(self, kind: str, *ids: int | str) -> str:
        return "-".join([kind, *map(str, ids)]) + "@" + self.host


@dataclass(frozen=True)
class Weekly:
    """Repeat every week on these weekdays (0 is Monday) until a moment."""

    weekdays: tuple[int, ...]
    until: dt.datetime


@dataclass(frozen=True)
class Entry:
    """One VEVENT. `starts`/`ends` are aware datetimes, or dates for whole days (`ends` included)."""

    uid: str
    summary: str
    starts: dt.datetime | dt.date
    ends: dt.datetime | dt.date
    description: str = ""
    location: str = ""
    url: str = ""
    status: str = CONFIRMED
    categories: tuple[str, ...] = ()
    # Opaque entries make the reader busy (a meeting); transparent ones only inform (a fair's days).
    busy: bool = True
    repeat: Weekly | None = None
    related_to: str = ""
    last_modified: dt.datetime | None = None


@dataclass(frozen=True)
class Feed:
    uid: str
    name: str
    filename: str
    language: str
    description: str = ""
    entries: tuple[Entry, ...] = field(default_factory=tuple)


# Text -----------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_line(text: str | None, limit: int = SUMMARY_MAX) -> str:
    """One line of text: composed Unicode, no control characters, single spaces, bounded."""
    text = unicodedata.normalize("NFC", text or "")
    text = " ".join(_CONTROL.sub(" ", text).split())
    return _shorten(text, limit)


def clean_text(text: str | None, limit: int = DESCRIPTION_MAX) -> str:
    """Several lines: paragraphs kept, everything else as in `clean_line`."""
    text = unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", _CONTROL.sub(" ", line)).strip() for line in text.split("\n")]
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    return _shorten(text, limit)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def join_lines(*parts: str | None) -> str:
    return "\n".join(part for part in parts if part)


def join_place(*parts: str | None) -> str:
    """A location from its parts, empty ones left out."""
    return ", ".join(clean_line(part) for part in parts if part and part.strip())


# Opening hours ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class WeeklyOpening:
    """A time range a showroom opens on some weekdays, from its first occurrence on."""

    opens_at: dt.time
    closes_at: dt.time
    first_start: dt.datetime
    first_end: dt.datetime
    repeat: Weekly

    @property
    def key(self) -> str:
        return f"{self.opens_at:%H%M}-{self.closes_at:%H%M}"


def weekly_openings(
    hours: Iterable[tuple[int, dt.time, dt.time]], starts_at: dt.datetime, ends_at: dt.datetime
) -> list[WeeklyOpening]:
    """Group (weekday, opens, closes) rows by time range: one weekly rule per distinct range.

    The rule starts on the first matching day on or after the event's first day (RFC 5545
    wants DTSTART to be an occurrence) and runs until the event ends; a range that never
    occurs within the event is left out.
    """
    by_range: dict[tuple[dt.time, dt.time], set[int]] = {}
    for weekday, opens_at, closes_at in hours:
        by_range.setdefault((opens_at, closes_at), set()).add(int(weekday))
    first_day = to_local(starts_at).date()
    until = ends_at.astimezone(dt.timezone.utc)
    openings = []
    for (opens_at, closes_at), weekdays in sorted(by_range.items()):
        day = next(first_day + dt.timedelta(days=n) for n in range(7) if (first_day.weekday() + n) % 7 in weekdays)
        first_start = dt.datetime.combine(day, opens_at, LOCAL_TZ)
        if first_start > until:
            continue
        openings.append(
            WeeklyOpening(
                opens_at=opens_at,
                closes_at=closes_at,
                first_start=first_start,
                first_end=dt.datetime.combine(day, closes_at, LOCAL_TZ),
                repeat=Weekly(tuple(sorted(weekdays)), until),
            )
        )
    return openings


# Rendering -------------------------------------------------------------------------------------

def _moment(value: dt.datetime | dt.date) -> dt.datetime | dt.date:
    return to_local(value) if isinstance(value, dt.datetime) else value


def _end(entry: Entry) -> dt.datetime | dt.date:
    """DTEND, never before DTSTART: one bad row must not cost the reader the whole feed."""
    if isinstance(entry.ends, dt.datetime):
        return to_local(max(entry.ends, entry.starts))  # type: ignore[type-var]
    return max(entry.ends, entry.starts) + dt.timedelta(days=1)  # DTEND of whole days is the day after the last


def vevent(entry: Entry, stamp: dt.datetime) -> Event:
    event = Event.new(
        uid=entry.uid,
        stamp=stamp.astimezone(dt.timezone.utc),
        start=_moment(entry.starts),
        end=_end(entry),
        summary=clean_line(entry.summary),
        description=clean_text(entry.description) or None,
        location=clean_line(entry.location, limit=500) or None,
        url=entry.url or None,
        status=entry.status,
        transparency="OPAQUE" if entry.busy else "TRANSPARENT",
        categories=[clean_line(c) for c in entry.categories if c] or (),
        last_modified=entry.last_modified.astimezone(dt.timezone.utc) if entry.last_modified else None,
    )
    if entry.repeat is not None:
        event.add(
            "rrule",
            {
                "freq": "weekly",
                "until": entry.repeat.until.astimezone(dt.timezone.utc),
                "byday": [ICAL_WEEKDAYS[day] for day in entry.repeat.weekdays],
            },
        )
    if entry.related_to:
        event.add("related-to", entry.related_to)
    return event


@cache
def vietnam_timezone() -> Timezone:
    """Vietnam's VTIMEZONE (UTC+7 throughout), made once: building it takes tens of milliseconds.

    Calendars share it and only ever read it.
    """
    return Timezone.from_tzid(str(LOCAL_TZ), first_date=dt.date(2000, 1, 1), last_date=dt.date(2100, 1, 1))


def version(feed: Feed) -> str:
    """A digest of everything the feed says (all but the moment it is written, DTSTAMP): equal
    feeds have equal versions, so an unchanged feed can be answered 304 or from a cached body."""
    digest = hashlib.blake2b(repr((RENDER_VERSION, feed)).encode("utf-8"), digest_size=16)
    return digest.hexdigest()


def render(feed: Feed, stamp: dt.datetime) -> bytes:
    """The feed as an RFC 5545 VCALENDAR: CRLF line endings, long lines folded."""
    calendar = Calendar.new(
        prodid=PRODID.format(language=feed.language.upper()),
        calscale="GREGORIAN",
        name=clean_line(feed.name),
        description=clean_text(feed.description) or None,
        uid=feed.uid,
    )
    calendar.add("x-wr-timezone", str(LOCAL_TZ))
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    # Always there, so that a feed with nothing in it yet still holds the component RFC 5545 requires.
    calendar.add_component(vietnam_timezone())
    for entry in feed.entries:
        calendar.add_component(vevent(entry, stamp))
    return calendar.to_ical()
