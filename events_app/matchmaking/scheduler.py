"""Slots of a session and the greedy placement of accepted meetings into B2B slots and tables.

Pure logic: slots, wishes and what is already booked in; placements and what could not be placed
out. A participant is busy during every meeting it already has, whichever session it is in; a
table is busy during every meeting at it in its session.
"""

from __future__ import annotations

import dataclasses
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


# The conference scheduler -------------------------------------------------------------------------
#
# Objective, lexicographic:
#   1. as many meetings placed as possible;
#   2. among placements of as many, the higher priorities placed: a meeting both parties asked
#      for (mutual) before any other, then a higher match score, then the earlier request;
#   3. among those, the fewest moves of the previous schedule (a meeting published, or planned
#      before, at another slot or table, or left out).
# Hard rules: nobody and no table twice at one moment, only inside each party's availability,
# never more meetings than a party's limit, a producer's fixed table for all of its meetings
# and for nobody else's, pinned meetings kept where staff put them.
#
# The count is NP-hard in general (a list edge-colouring of the producer–distributor graph with
# table capacities), so this is a heuristic measured against the exact optimum in the tests and
# in bench/bench_scheduler.py: previous positions kept first, a greedy pass in priority order,
# then repairs: moving one or two placed meetings aside (an augmenting step) to place one more;
# two in for one out (a party at its limit trades a meeting at a shared table for one at a
# producer's own table, leaving the shared one to a request waiting for a table); swaps that give
# a party at its limit its higher-priority meetings, and a waiting request a lower-priority
# meeting's table. Repairs run in rounds until none is left, so the last schedule is a fixed
# point and running it again unchanged moves nothing.
#
# Speed: who is busy in which slot and which tables are free are kept as meetings come and go
# (see `_State`), a repair that cannot succeed is not tried (no shared table free anywhere, a
# party at its limit), later rounds retry only the requests of parties a repair changed, and the
# work is bounded by a count (not a clock, so the answer is the same on every machine).

PRODUCER_SIDE, DISTRIBUTOR_SIDE = "producer", "distributor"
PartyKey = tuple[str, int]

# Why a meeting found no place, as message ids with %(producer)s, %(distributor)s, %(limit)d.
REASONS = {
    "availability": N_("%(producer)s and %(distributor)s are never both available during a meeting slot."),
    "fixed_table": N_("Table %(table)d of %(producer)s does not exist in any slot when both are available."),
    "producer_limit": N_("%(producer)s already has its limit of %(limit)d meetings."),
    "distributor_limit": N_("%(distributor)s already has its limit of %(limit)d meetings."),
    "busy": N_("In every slot when both are available, %(producer)s or %(distributor)s already has a meeting."),
    "tables": N_("No table is free in the slots when both %(producer)s and %(distributor)s are free."),
    "room": N_("There is room for %(producer)s and %(distributor)s: run the scheduler, or place it by hand."),
}


@dataclass(frozen=True)
class Request:
    """An accepted meeting request to schedule, with its priority."""

    request_id: int
    producer_id: int
    distributor_id: int
    mutual: bool = False
    score: int = 0

    @property
    def priority(self) -> tuple:
        """Smaller sorts first: mutual, then score, then the earlier request."""
        return (not self.mutual, -self.score, self.request_id)


@dataclass(frozen=True)
class Unplaced:
    request: Request
    reason: str  # a key of REASONS
    limit: int = 0
    table: int = 0

    @property
    def message(self) -> str:
        return REASONS[self.reason]


@dataclass
class Problem:
    slots: Sequence[Slot]
    requests: Sequence[Request]
    pinned: Sequence[Booking] = ()  # placed by staff: kept as they are
    previous: dict[int, Booking] = field(default_factory=dict)  # request id: its last position
    availability: dict[PartyKey, Sequence[Span]] = field(default_factory=dict)  # absent: all day
    limits: dict[PartyKey, int] = field(default_factory=dict)  # absent: no limit
    fixed_tables: dict[int, int] = field(default_factory=dict)  # producer id: its table


@dataclass
class Plan:
    placed: list[Booking] = field(default_factory=list)  # pinned ones included
    unplaced: list[Unplaced] = field(default_factory=list)
    moved: list[int] = field(default_factory=list)  # requests whose previous position changed or went

    @property
    def priority_profile(self) -> tuple:
        return tuple(sorted(b.request_id for b in self.placed))


def producer_key(producer_id: int) -> PartyKey:
    return (PRODUCER_SIDE, producer_id)


def distributor_key(distributor_id: int) -> PartyKey:
    return (DISTRIBUTOR_SIDE, distributor_id)


def within(spans: Sequence[Span] | None, starts_at: dt.datetime, ends_at: dt.datetime) -> bool:
    """Whether [starts_at, ends_at] lies inside one of the windows (no windows: always available)."""
    if spans is None:
        return True
    return any(start <= starts_at and ends_at <= end for start, end in spans)


def _overlap(a_start, a_end, b_start, b_end) -> bool:
    return a_start < b_end and b_start < a_end


class _State:
    """Who and which table is busy in which slot, kept up to date as meetings come and go, with an
    undo log for trial moves.

    Slots are numbered in time order. A meeting covers, for its two parties, every slot its time
    overlaps (its own, and those of an overlapping session), and for its table the slots of its own
    session it overlaps: one slot, unless the session's slots changed after it was placed. So "is
    this party busy in slot i" and "which tables are free in slot i" are lookups, not scans. Free
    tables are a bit set per slot (bit t: table t is free).
    """

    def __init__(self, problem: Problem, slots: Sequence[Slot]) -> None:
        self.problem = problem
        self.slots = slots
        self.index = {(s.session_id, s.starts_at, s.ends_at): i for i, s in enumerate(slots)}
        self.overlapping = [tuple(j for j, other in enumerate(slots)
                                  if _overlap(slot.starts_at, slot.ends_at, other.starts_at, other.ends_at))
                            for slot in slots]
        self.same_session = [tuple(j for j in self.overlapping[i] if slots[j].session_id == slot.session_id)
                             for i, slot in enumerate(slots)]
        self.reserved = set(problem.fixed_tables.values())
        reserved = sum(1 << t for t in self.reserved)
        self.tables = [(1 << (slot.tables + 1)) - 2 if slot.tables > 0 else 0 for slot in slots]  # bits 1..tables
        self.pool = [mask & ~reserved for mask in self.tables]  # the tables nobody owns
        self.free = list(self.tables)
        self.at_table: list[dict[int, list[int]]] = [{} for _ in slots]
        self.position: dict[int, Booking] = {}
        self.cover: dict[int, tuple[tuple[int, ...], tuple[int, ...]]] = {}
        self.busy: dict[PartyKey, list[list[int]]] = {}  # party: the meetings overlapping each slot
        self.party: dict[PartyKey, dict[int, Booking]] = {}
        self.log: list[tuple[str, Booking, tuple]] = []
        self.changes = 0  # meetings added or removed so far, undone ones included: the work done
        self.pool_free = sum(mask.bit_count() for mask in self.pool)  # free tables nobody owns, all slots

    def _covers(self, booking: Booking) -> tuple[tuple[int, ...], tuple[int, ...]]:
        i = self.index.get((booking.session_id, booking.starts_at, booking.ends_at))
        if i is not None:
            return self.overlapping[i], self.same_session[i]
        people = tuple(j for j, s in enumerate(self.slots)
                       if _overlap(s.starts_at, s.ends_at, booking.starts_at, booking.ends_at))
        return people, tuple(j for j in people if self.slots[j].session_id == booking.session_id)

    def _busy(self, key: PartyKey) -> list[list[int]]:
        busy = self.busy.get(key)
        if busy is None:
            busy = self.busy[key] = [[] for _ in self.slots]
        return busy

    def add(self, booking: Booking, cover: tuple | None = None) -> None:
        rid = booking.request_id
        people, tables = cover or self._covers(booking)
        self.position[rid] = booking
        self.cover[rid] = (people, tables)
        for key in (producer_key(booking.producer_id), distributor_key(booking.distributor_id)):
            self.party.setdefault(key, {})[rid] = booking
            busy = self._busy(key)
            for j in people:
                busy[j].append(rid)
        bit = 1 << booking.table
        for j in tables:
            self.at_table[j].setdefault(booking.table, []).append(rid)
            if self.free[j] & bit:
                self.free[j] &= ~bit
                if self.pool[j] & bit:
                    self.pool_free -= 1
        self.log.append(("add", booking, (people, tables)))
        self.changes += 1

    def remove(self, request_id: int) -> Booking:
        booking = self.position.pop(request_id)
        people, tables = cover = self.cover.pop(request_id)
        for key in (producer_key(booking.producer_id), distributor_key(booking.distributor_id)):
            del self.party[key][request_id]
            busy = self.busy[key]
            for j in people:
                busy[j].remove(request_id)
        bit = 1 << booking.table
        for j in tables:
            here = self.at_table[j][booking.table]
            here.remove(request_id)
            if not here:
                del self.at_table[j][booking.table]
                self.free[j] |= bit & self.tables[j]
                if self.pool[j] & bit:
                    self.pool_free += 1
        self.log.append(("remove", booking, cover))
        self.changes += 1
        return booking

    def mark(self) -> int:
        return len(self.log)

    def undo(self, mark: int) -> None:
        while len(self.log) > mark:
            action, booking, cover = self.log.pop()
            if action == "add":
                self.remove(booking.request_id)
            else:
                self.add(booking, cover)
            self.log.pop()  # the undo's own entry

    def count(self, key: PartyKey) -> int:
        return len(self.party.get(key, ()))

    def busy_with(self, key: PartyKey, slot: int) -> list[int]:
        """The meetings of the party overlapping slot number `slot`."""
        busy = self.busy.get(key)
        return busy[slot] if busy is not None else []

    def table_busy_with(self, slot: int, table: int) -> list[int]:
        return self.at_table[slot].get(table, [])

    def usable(self, request: Request, slot: int) -> int:
        """The tables (a bit set) the request may use in the slot: its producer's fixed one, or any nobody owns."""
        fixed = self.problem.fixed_tables.get(request.producer_id)
        if fixed is not None:
            return self.tables[slot] & (1 << fixed)
        return self.pool[slot]

    def free_table(self, request: Request, slot: int) -> int | None:
        """The lowest-numbered table free in the slot that the request may use."""
        free = self.free[slot] & self.usable(request, slot)
        return (free & -free).bit_length() - 1 if free else None

    def under_limits(self, request: Request) -> bool:
        limits = self.problem.limits
        for key in (producer_key(request.producer_id), distributor_key(request.distributor_id)):
            if key in limits and self.count(key) >= limits[key]:
                return False
        return True

    def book(self, request: Request, slot: int, table: int) -> Booking:
        s = self.slots[slot]
        booking = Booking(request.request_id, request.producer_id, request.distributor_id, s.session_id,
                          s.starts_at, s.ends_at, table)
        self.add(booking, (self.overlapping[slot], self.same_session[slot]))
        return booking


def _bits(mask: int) -> Iterable[int]:
    """The numbers of the bits set in `mask`, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def _allowed_slots(problem: Problem, request: Request, slots: Sequence[Slot]) -> list[int]:
    """The numbers of the slots inside both parties' availability, and whose session has the
    producer's fixed table."""
    producer = problem.availability.get(producer_key(request.producer_id))
    distributor = problem.availability.get(distributor_key(request.distributor_id))
    fixed = problem.fixed_tables.get(request.producer_id)
    return [
        i for i, slot in enumerate(slots)
        if within(producer, slot.starts_at, slot.ends_at) and within(distributor, slot.starts_at, slot.ends_at)
        and (fixed is None or fixed <= slot.tables)
    ]


# How deep the request let in by an exchange may move others aside; the work (meetings put in or
# taken out, tries included) the repairs of one request, and all repairs, may do. The conference
# of bench/bench_scheduler.py (1,500 requests) needs about 40,000 in all.
EXCHANGE_DEPTH = 1
ATTEMPT_WORK = 3_000
REPAIR_WORK = 200_000


class _Scheduler:
    def __init__(self, problem: Problem, depth: int) -> None:
        self.problem = problem
        self.depth = depth
        self.slots = sorted(problem.slots, key=lambda slot: (slot.starts_at, slot.session_id))
        self.by_key = {(s.session_id, s.starts_at): i for i, s in enumerate(self.slots)}
        self.state = _State(problem, self.slots)
        self.pinned = {b.request_id for b in problem.pinned}
        self.requests = sorted((r for r in problem.requests if r.request_id not in self.pinned),
                               key=lambda r: r.priority)
        self.by_id = {r.request_id: r for r in problem.requests}
        self.allowed = {r.request_id: _allowed_slots(problem, r, self.slots) for r in self.requests}
        self.stop_at = float("inf")  # the state's `changes` at which the repair under way gives up
        self.rank = {r.request_id: r.priority[:2] for r in problem.requests}  # the priority but for the request's age
        # each party's requests by priority, and those of them at a producer's own table
        self.of_party: dict[PartyKey, list[Request]] = {}
        self.own_table_of_party: dict[PartyKey, list[Request]] = {}
        for r in self.requests:
            for key in (producer_key(r.producer_id), distributor_key(r.distributor_id)):
                self.of_party.setdefault(key, []).append(r)
                if r.producer_id in problem.fixed_tables:
                    self.own_table_of_party.setdefault(key, []).append(r)

    # placing one request ------------------------------------------------------------------------

    def _direct(self, request: Request, exclude: int | None = None) -> bool:
        """Put the request in the first allowed slot where both parties and a table are free."""
        state = self.state
        if not state.under_limits(request) or (
                not state.pool_free and request.producer_id not in self.problem.fixed_tables):
            return False
        producer, distributor = state.busy.get(producer_key(request.producer_id)), state.busy.get(
            distributor_key(request.distributor_id))
        for slot in self.allowed[request.request_id]:
            if slot == exclude or (producer and producer[slot]) or (distributor and distributor[slot]):
                continue
            table = state.free_table(request, slot)
            if table is not None:
                state.book(request, slot, table)
                return True
        return False

    def _blockers(self, request: Request, slot: int) -> list[tuple[set[int], int]]:
        """Ways to make room for the request in the slot: meetings to move aside and the table it then takes."""
        state = self.state
        usable = state.usable(request, slot)
        if not usable:
            return []
        parties = set(state.busy_with(producer_key(request.producer_id), slot))
        parties.update(state.busy_with(distributor_key(request.distributor_id), slot))
        free = state.free[slot] & usable
        if free:
            return [(parties, (free & -free).bit_length() - 1)]
        at_table = state.at_table[slot]
        for rid in parties:  # a table one of those moved aside leaves free
            table = state.position[rid].table
            if usable >> table & 1 and parties.issuperset(at_table.get(table, ())):
                return [(parties, table)]
        # Else one more meeting out, the one at a table the request may use: three such ways, those
        # moving a meeting not published or planned there before first, then by table.
        previous = self.problem.previous
        fresh, kept, crowded = [], [], []
        for table in _bits(usable):
            here = at_table.get(table, ())
            if len(here) == 1:  # (not one of `parties`: its table would have been taken above)
                (kept if here[0] in previous else fresh).append((parties | {here[0]}, table))
                if len(fresh) == 3:
                    break
            else:  # a table held by more than one meeting, which a session's new slots can leave
                extra = [rid for rid in here if rid not in parties]
                crowded.append((len(extra), sum(1 for rid in extra if rid in previous), table, parties.union(extra)))
        crowded.sort(key=lambda option: option[:3])
        return (fresh + kept + [(blockers, table) for _, _, table, blockers in crowded])[:3]

    def _augment(self, request: Request, depth: int, moving: set[int]) -> bool:
        """Place the request, moving up to two placed meetings aside (each placed again elsewhere)."""
        if self._direct(request):
            return True
        if depth <= 0 or not self.state.under_limits(request) or self.state.changes >= self.stop_at:
            return False
        if not self.state.pool_free and request.producer_id not in self.problem.fixed_tables:
            return False  # every shared table is taken: one more meeting at one is one too many
        for slot in self.allowed[request.request_id]:
            for blockers, table in self._blockers(request, slot):
                if not blockers or len(blockers) > 2 or not blockers.isdisjoint(self.pinned) or not blockers.isdisjoint(moving):
                    continue
                mark = self.state.mark()
                moved = [self.by_id[rid] for rid in sorted(blockers)]
                for rid in blockers:
                    self.state.remove(rid)
                self.state.book(request, slot, table)
                if all(self._augment(other, depth - 1, moving | blockers | {request.request_id}) for other in moved):
                    return True
                self.state.undo(mark)
        return False

    # the passes ---------------------------------------------------------------------------------

    def _keep_previous(self) -> None:
        state = self.state
        for request in self.requests:
            before = self.problem.previous.get(request.request_id)
            if before is None:
                continue
            slot = self.by_key.get((before.session_id, before.starts_at))
            if slot is None or slot not in self.allowed[request.request_id] or not state.under_limits(request):
                continue
            if state.busy_with(producer_key(request.producer_id), slot) or state.busy_with(
                distributor_key(request.distributor_id), slot
            ):
                continue
            if (state.usable(request, slot) & state.free[slot]) >> before.table & 1:
                state.book(request, slot, before.table)

    def _unplaced(self) -> list[Request]:
        return [r for r in self.requests if r.request_id not in self.state.position]

    def _swap_for_limits(self, request: Request) -> bool:
        """A party at its limit meets this request instead of one of lower priority, if it then fits."""
        limits = self.problem.limits
        for key in (producer_key(request.producer_id), distributor_key(request.distributor_id)):
            if key not in limits or self.state.count(key) < limits[key]:
                continue
            lower = sorted(
                (self.by_id[rid] for rid in self.state.party.get(key, {})
                 if rid not in self.pinned and self.by_id[rid].priority > request.priority),
                key=lambda r: r.priority, reverse=True,
            )
            for victim in lower[:3]:
                mark = self.state.mark()
                self.state.remove(victim.request_id)
                if self._augment(request, 1, {victim.request_id}):
                    return True
                self.state.undo(mark)
        return False

    def _swap_for_tables(self, request: Request) -> bool:
        """The request takes the place of a meeting of lower priority (not mutual where it is, or a
        lower score): its table in a slot where both parties of the request are free, or its slot
        where it is the only meeting of one of them; that one is placed again elsewhere if it can
        be. Of such meetings, the one of the lowest priority, one not published or planned there
        before if it can."""
        state = self.state
        if not state.under_limits(request):
            return False
        ranks = self.rank
        rank = ranks[request.request_id]
        producer = state.busy.get(producer_key(request.producer_id))
        distributor = state.busy.get(distributor_key(request.distributor_id))
        best, best_key = None, None
        for slot in self.allowed[request.request_id]:
            busy = (producer[slot] if producer else []) + (distributor[slot] if distributor else [])
            usable = state.usable(request, slot)
            if busy:  # one meeting of one of its parties here: the request may take its place instead
                if len(busy) != 1 or ranks[busy[0]] <= rank or busy[0] in self.pinned:
                    continue
                held = state.position[busy[0]]
                free = state.free[slot] & usable
                if free:
                    table = (free & -free).bit_length() - 1
                elif usable >> held.table & 1 and slot in state.cover[busy[0]][1] and len(
                        state.at_table[slot].get(held.table, ())) == 1:
                    table = held.table
                else:
                    continue
                key = (ranks[busy[0]], busy[0] not in self.problem.previous, busy[0])
                if best_key is None or key > best_key:
                    best, best_key = (self.by_id[busy[0]], slot, table), key
                continue
            for table, here in state.at_table[slot].items():
                if not usable >> table & 1 or len(here) != 1 or ranks[here[0]] <= rank or here[0] in self.pinned:
                    continue
                key = (ranks[here[0]], here[0] not in self.problem.previous, here[0])
                if best_key is None or key > best_key:
                    best, best_key = (self.by_id[here[0]], slot, table), key
        if best is None:
            return False
        victim, slot, table = best
        state.remove(victim.request_id)
        state.book(request, slot, table)
        self._augment(victim, 1, {request.request_id})
        return True

    def _exchange(self, request: Request) -> bool:
        """Two in for one out: the request takes the place of one meeting, and that meeting's
        freed party lets another waiting request of that party in (the one taken out may find room
        again). A party at its limit so trades a meeting at a shared table for one at a table of
        its own, or one in a slot others need for one in a slot they do not."""
        state = self.state
        if not state.under_limits(request):
            return False
        for slot in self.allowed[request.request_id]:
            if state.changes >= self.stop_at:
                return False
            for blockers, table in self._blockers(request, slot):
                if len(blockers) != 1 or not blockers.isdisjoint(self.pinned):
                    continue
                (out,) = blockers
                gone = self.by_id[out]
                # the shared tables free once the request is in and that one out
                spare = state.pool_free + (state.position[out].table not in state.reserved) - (
                    request.producer_id not in self.problem.fixed_tables)
                others = [r for r in self._waiting_of(gone, own_tables=spare <= 0)
                          if r.request_id != request.request_id and self._could_follow(r, request, gone)]
                if not others:
                    continue
                mark = state.mark()
                state.remove(out)
                state.book(request, slot, table)
                for other in others:
                    if self._augment(other, EXCHANGE_DEPTH, {request.request_id}):
                        self._augment(gone, 1, {request.request_id, other.request_id})
                        return True
                state.undo(mark)
        return False

    def _could_follow(self, other: Request, coming: Request, going: Request) -> bool:
        """Whether neither party of `other` is at its limit once `coming` is in and `going` out."""
        limits = self.problem.limits
        for key in (producer_key(other.producer_id), distributor_key(other.distributor_id)):
            if key in limits:
                count = self.state.count(key) + (key in (producer_key(coming.producer_id), distributor_key(
                    coming.distributor_id))) - (key in (producer_key(going.producer_id), distributor_key(going.distributor_id)))
                if count >= limits[key]:
                    return False
        return True

    def _waiting_of(self, request: Request, own_tables: bool = False) -> list[Request]:
        """The requests not placed of the request's producer, then of its distributor, by priority
        (only those at a producer's own table if `own_tables`)."""
        position = self.state.position
        of_party = self.own_table_of_party if own_tables else self.of_party
        out = [r for r in of_party.get(producer_key(request.producer_id), ()) if r.request_id not in position]
        out += [r for r in of_party.get(distributor_key(request.distributor_id), ()) if r.request_id not in position]
        return out

    def run(self) -> Plan:
        for booking in self.problem.pinned:
            self.state.add(booking)
        self._keep_previous()
        for request in self._unplaced():
            self._direct(request)
        # Repairs, in rounds: each round places one more or a better one. A round tries every
        # request left out, the next ones only those of the parties whose meetings changed, until
        # none changes; then all again, to end only when no repair is left anywhere (so that a
        # re-run of the answer moves nothing).
        # The work is bounded, counted in meetings put in or taken out (tries included), so that
        # the answer is the same on any machine: each request's repairs at most `ATTEMPT_WORK`,
        # all of them at most `REPAIR_WORK` (past it, what is placed by then is the answer).
        touched: set[PartyKey] | None = None
        end = self.state.changes + REPAIR_WORK
        for _ in range(2 * len(self.requests) + 2):
            changed: set[PartyKey] = set()
            for request in self._unplaced():
                if request.request_id in self.state.position:
                    continue  # placed by an exchange earlier in this round
                if touched is not None and producer_key(request.producer_id) not in touched and distributor_key(
                        request.distributor_id) not in touched:
                    continue
                if self.state.changes >= end:
                    break
                self.stop_at = min(end, self.state.changes + ATTEMPT_WORK)
                mark = self.state.mark()
                if (self._augment(request, self.depth, set()) or self._exchange(request)
                        or self._swap_for_limits(request) or self._swap_for_tables(request)):
                    for _action, booking, _cover in self.state.log[mark:]:
                        changed.add(producer_key(booking.producer_id))
                        changed.add(distributor_key(booking.distributor_id))
            if (not changed and touched is None) or self.state.changes >= end:
                break
            touched = changed or None
        return self._plan()

    # the answer ---------------------------------------------------------------------------------

    def _reason(self, request: Request) -> Unplaced:
        problem, state = self.problem, self.state
        producer, distributor = producer_key(request.producer_id), distributor_key(request.distributor_id)
        both_available = [
            slot for slot in self.slots
            if within(problem.availability.get(producer), slot.starts_at, slot.ends_at)
            and within(problem.availability.get(distributor), slot.starts_at, slot.ends_at)
        ]
        if not both_available:
            return Unplaced(request, "availability")
        if not self.allowed[request.request_id]:
            return Unplaced(request, "fixed_table", table=problem.fixed_tables[request.producer_id])
        for key, reason in ((producer, "producer_limit"), (distributor, "distributor_limit")):
            if key in problem.limits and state.count(key) >= problem.limits[key]:
                return Unplaced(request, reason, limit=problem.limits[key])
        if all(state.busy_with(producer, slot) or state.busy_with(distributor, slot)
               for slot in self.allowed[request.request_id]):
            return Unplaced(request, "busy")
        return Unplaced(request, "tables")

    def _plan(self) -> Plan:
        placed = sorted(self.state.position.values(), key=lambda b: (b.starts_at, b.session_id, b.table))
        moved = []
        for rid, before in self.problem.previous.items():
            after = self.state.position.get(rid)
            if rid in self.by_id and (after is None or (after.session_id, after.starts_at, after.table) != (
                    before.session_id, before.starts_at, before.table)):
                moved.append(rid)
        return Plan(placed=placed, unplaced=[self._reason(r) for r in self._unplaced()], moved=sorted(moved))


def plan(problem: Problem, *, depth: int = 2) -> Plan:
    """Slots and tables for as many of the problem's requests as the rules allow (see the objective above)."""
    return _Scheduler(problem, depth).run()


def violations(problem: Problem, bookings: Sequence[Booking]) -> list[str]:
    """Every hard rule a schedule breaks, as short descriptions (empty: none). Used by staff's
    pins and moves and by the tests."""
    out = []
    slots = {(s.session_id, s.starts_at): s for s in problem.slots}
    counts: dict[PartyKey, int] = {}
    for i, b in enumerate(bookings):
        slot = slots.get((b.session_id, b.starts_at))
        if slot is None or slot.ends_at != b.ends_at:
            out.append(f"{b.request_id}: not a slot")
        elif not 1 <= b.table <= slot.tables:
            out.append(f"{b.request_id}: no table {b.table}")
        for key in (producer_key(b.producer_id), distributor_key(b.distributor_id)):
            counts[key] = counts.get(key, 0) + 1
            if not within(problem.availability.get(key), b.starts_at, b.ends_at):
                out.append(f"{b.request_id}: {key[0]} unavailable")
        fixed = problem.fixed_tables.get(b.producer_id)
        if fixed is not None and b.table != fixed:
            out.append(f"{b.request_id}: not at the fixed table")
        if fixed is None and b.table in set(problem.fixed_tables.values()):
            out.append(f"{b.request_id}: at another producer's table")
        for other in bookings[:i]:
            if _overlap(b.starts_at, b.ends_at, other.starts_at, other.ends_at):
                if b.producer_id == other.producer_id:
                    out.append(f"{b.request_id}: producer twice")
                if b.distributor_id == other.distributor_id:
                    out.append(f"{b.request_id}: distributor twice")
                if (b.session_id, b.table) == (other.session_id, other.table):
                    out.append(f"{b.request_id}: table twice")
    for key, n in counts.items():
        if key in problem.limits and n > problem.limits[key]:
            out.append(f"{key[0]} {key[1]}: over its limit")
    return out


def reasons(problem: Problem, placed: Sequence[Booking]) -> list[Unplaced]:
    """Why each request of the problem is not among `placed` (a schedule kept as it is), priority first."""
    sched = _Scheduler(dataclasses.replace(problem, pinned=list(placed)), depth=0)
    for booking in placed:
        sched.state.add(booking)
    out = []
    for request in sched._unplaced():
        mark = sched.state.mark()
        if sched._direct(request):
            sched.state.undo(mark)
            out.append(Unplaced(request, "room"))
        else:
            out.append(sched._reason(request))
    return out
