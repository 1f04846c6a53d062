"""Slots of a session and the greedy placement of accepted meetings into B2B slots and tables.

Pure logic: slots, wishes and what is already booked in; placements and what could not be placed
out. A participant is busy during every meeting it already has, whichever session it is in; a
table is busy during every meeting at it in its session.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from events_app.core.errors import DomainError
from events_app.core.i18n import N_

UTC = dt.timezone.utc

# A signing ceremony without a slot length gives each MoU this many minutes. The ceremony's
# slots (mou) and the MoUs' calendar entries (calendars) both count with `signing_minutes`.
DEFAULT_SIGNING_MINUTES = 5

# Slot keys name a session by its id, a 32-bit integer in both databases, and a moment within
# years any event of the programme can fall in.
MAX_ID = 2**31 - 1
FIRST_YEAR, LAST_YEAR = 2000, 2100
_SLOT_KEY = re.compile(r"([0-9]{1,10})@([0-9T:.+\- ]{16,40})", re.ASCII)
NOT_A_SLOT = N_("This time slot is not one of the event's; reload the page and choose one from the list.")


def signing_minutes(slot_minutes: int | None) -> int:
    """The length of one signing slot in a session whose slot length is `slot_minutes` (0 or None: unset)."""
    return slot_minutes if slot_minutes and slot_minutes > 0 else DEFAULT_SIGNING_MINUTES


def slot_times(starts_at: dt.datetime, ends_at: dt.datetime, minutes: int) -> list[tuple[dt.datetime, dt.datetime]]:
    """Consecutive slots of `minutes` from the start; a last slot that would run past the end is left out."""
    if minutes <= 0:
        return []
    step = dt.timedelta(minutes=minutes)
    out = []
    start = starts_at.astimezone(UTC)
    end = ends_at.astimezone(UTC)
    while start + step <= end:
        out.append((start, start + step))
        start += step
    return out


def slot_key(session_id: int, starts_at: dt.datetime) -> str:
    """A slot as one form value, e.g. "7@2026-11-29T02:45:00+00:00"."""
    return f"{session_id}@{starts_at.astimezone(UTC).isoformat()}"


def parse_slot_key(text: str) -> tuple[int, dt.datetime] | None:
    """The session id and start (in UTC) of a slot form value; None when no slot was chosen.

    A value that is no slot key of ours (a session id beyond 32 bits, a moment without its
    offset or outside `FIRST_YEAR`..`LAST_YEAR`) is refused with a `DomainError`: the form only
    offers real slots, so such a value was made by hand.
    """
    text = (text or "").strip()
    if not text:
        return None
    match = _SLOT_KEY.fullmatch(text)
    if match is None:
        raise DomainError(NOT_A_SLOT)
    session_id = int(match[1])
    try:
        starts_at = dt.datetime.fromisoformat(match[2])
    except ValueError:
        raise DomainError(NOT_A_SLOT) from None
    # The year is checked before moving to UTC, which overflows at the ends of the calendar.
    if not 1 <= session_id <= MAX_ID or starts_at.tzinfo is None or not FIRST_YEAR <= starts_at.year <= LAST_YEAR:
        raise DomainError(NOT_A_SLOT)
    return session_id, starts_at.astimezone(UTC)


@dataclass(frozen=True)
class Slot:
    session_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    tables: int


@dataclass(frozen=True)
class Wish:
    """An accepted meeting request waiting for a slot."""

    request_id: int
    producer_id: int
    distributor_id: int


@dataclass(frozen=True)
class Booking:
    """A meeting already placed, or placed by the scheduler."""

    request_id: int
    producer_id: int
    distributor_id: int
    session_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    table: int


@dataclass
class Schedule:
    placed: list[Booking] = field(default_factory=list)
    unplaced: list[Wish] = field(default_factory=list)


def session_slots(sessions: Iterable[dict]) -> list[Slot]:
    """The slots of B2B sessions (rows with id, starts_at, ends_at, slot_minutes, tables_count), in time order."""
    slots = [
        Slot(s["id"], start, end, s["tables_count"])
        for s in sessions
        if s["tables_count"] > 0
        for start, end in slot_times(s["starts_at"], s["ends_at"], s["slot_minutes"])
    ]
    return sorted(slots, key=lambda slot: (slot.starts_at, slot.session_id))


Span = tuple[dt.datetime, dt.datetime]


class _Calendar:
    """Who and which table of a session is busy when."""

    def __init__(self, booked: Iterable[Booking]) -> None:
        self.producers: dict[int, list[Span]] = {}
        self.distributors: dict[int, list[Span]] = {}
        self.tables: dict[tuple[int, int], list[Span]] = {}
        for booking in booked:
            self.add(booking)

    def add(self, booking: Booking) -> None:
        span = (booking.starts_at, booking.ends_at)
        self.producers.setdefault(booking.producer_id, []).append(span)
        self.distributors.setdefault(booking.distributor_id, []).append(span)
        self.tables.setdefault((booking.session_id, booking.table), []).append(span)

    @staticmethod
    def _overlaps(spans: list[Span], slot: Slot) -> bool:
        return any(start < slot.ends_at and slot.starts_at < end for start, end in spans)

    def producer_busy(self, producer_id: int, slot: Slot) -> bool:
        return self._overlaps(self.producers.get(producer_id, []), slot)

    def distributor_busy(self, distributor_id: int, slot: Slot) -> bool:
        return self._overlaps(self.distributors.get(distributor_id, []), slot)

    def table_busy(self, slot: Slot, table: int) -> bool:
        return self._overlaps(self.tables.get((slot.session_id, table), []), slot)

    def free_table(self, slot: Slot) -> int | None:
        return next((table for table in range(1, slot.tables + 1) if not self.table_busy(slot, table)), None)


def schedule(wishes: Sequence[Wish], slots: Sequence[Slot], booked: Iterable[Booking] = ()) -> Schedule:
    """Put each wish, in the order given, into the first slot where neither party is busy, at its first free table."""
    calendar = _Calendar(booked)
    ordered = sorted(slots, key=lambda slot: (slot.starts_at, slot.session_id))
    result = Schedule()
    for wish in wishes:
        for slot in ordered:
            if calendar.producer_busy(wish.producer_id, slot) or calendar.distributor_busy(wish.distributor_id, slot):
                continue
            table = calendar.free_table(slot)
            if table is None:
                continue
            booking = Booking(
                wish.request_id, wish.producer_id, wish.distributor_id, slot.session_id, slot.starts_at, slot.ends_at, table
            )
            calendar.add(booking)
            result.placed.append(booking)
            break
        else:
            result.unplaced.append(wish)
    return result


def free_table(slot: Slot, booked: Iterable[Booking]) -> int | None:
    """The lowest-numbered table free in the slot."""
    return _Calendar(booked).free_table(slot)


def clashes(booking: Booking, booked: Iterable[Booking]) -> list[str]:
    """What stands against one placement: "producer", "distributor" and/or "table" (empty when it fits)."""
    calendar = _Calendar(b for b in booked if b.request_id != booking.request_id)
    slot = Slot(booking.session_id, booking.starts_at, booking.ends_at, booking.table)
    out = []
    if calendar.producer_busy(booking.producer_id, slot):
        out.append("producer")
    if calendar.distributor_busy(booking.distributor_id, slot):
        out.append("distributor")
    if calendar.table_busy(slot, booking.table):
        out.append("table")
    return out
