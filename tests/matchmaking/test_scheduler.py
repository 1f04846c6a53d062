"""The greedy meeting scheduler and slot arithmetic, as pure functions."""

import datetime as dt
import random
from collections import Counter

import pytest

from events_app.core.errors import DomainError
from events_app.core.i18n import language
from events_app.matchmaking.scheduler import (
    DEFAULT_SIGNING_MINUTES, NOT_A_SLOT, Booking, Slot, Wish, clashes, parse_slot_key, schedule, session_slots,
    signing_minutes, slot_key, slot_times,
)

UTC = dt.timezone.utc
START = dt.datetime(2026, 11, 29, 2, 45, tzinfo=UTC)  # 09:45 in Vietnam


def slots(count: int, tables: int, session_id: int = 1, minutes: int = 20, start: dt.datetime = START) -> list[Slot]:
    step = dt.timedelta(minutes=minutes)
    return [Slot(session_id, start + i * step, start + (i + 1) * step, tables) for i in range(count)]


def assert_nobody_double_booked(bookings: list[Booking]) -> None:
    for who in ("producer_id", "distributor_id"):
        by_party: dict[int, list[Booking]] = {}
        for booking in bookings:
            by_party.setdefault(getattr(booking, who), []).append(booking)
        for meetings in by_party.values():
            for a in meetings:
                for b in meetings:
                    if a is not b:
                        assert not (a.starts_at < b.ends_at and b.starts_at < a.ends_at), (who, a, b)
    for a in bookings:
        for b in bookings:
            if a is not b and (a.session_id, a.table) == (b.session_id, b.table):
                assert not (a.starts_at < b.ends_at and b.starts_at < a.ends_at), ("table", a, b)


def test_slots_run_from_the_start_and_a_short_last_one_is_left_out():
    times = slot_times(START, START + dt.timedelta(minutes=70), 20)
    assert [(s - START, e - START) for s, e in times] == [
        (dt.timedelta(0), dt.timedelta(minutes=20)),
        (dt.timedelta(minutes=20), dt.timedelta(minutes=40)),
        (dt.timedelta(minutes=40), dt.timedelta(minutes=60)),
    ]
    assert slot_times(START, START + dt.timedelta(hours=1), 0) == []
    demo_b2b = {"id": 7, "starts_at": START, "ends_at": START + dt.timedelta(hours=2), "slot_minutes": 20, "tables_count": 20}
    assert len(session_slots([demo_b2b])) == 6
    assert session_slots([{**demo_b2b, "tables_count": 0}]) == []


def test_a_slot_travels_through_a_form_value():
    key = slot_key(7, START)
    assert parse_slot_key(key) == (7, START)
    assert parse_slot_key(" 7@2026-11-29T09:45:00+07:00 ") == (7, START)
    assert parse_slot_key(slot_key(2**31 - 1, dt.datetime(2100, 12, 31, 23, 59, tzinfo=UTC)))[0] == 2**31 - 1
    assert parse_slot_key("") is None and parse_slot_key(None) is None  # nothing chosen


@pytest.mark.parametrize("bad", [
    "7", "x@2026-11-29T02:45:00+00:00", "7@yesterday", "7@2026-11-29T02:45:00", "7@2026-02-30T02:45:00+00:00",
    "1@0001-01-01T00:00:00+14:00", "1@9999-12-31T23:59:59-14:00", "1@1999-12-31T23:59:59+00:00",
    "1@2101-01-01T00:00:00+00:00", "0@2026-11-29T02:45:00+00:00", "2147483648@2026-11-29T02:45:00+00:00",
    "99999999999@2026-11-29T02:45:00+00:00", "-1@2026-11-29T02:45:00+00:00", "1_0@2026-11-29T02:45:00+00:00",
    "٧@2026-11-29T02:45:00+00:00", "7@2026-11-29T02:45:00+00:00" + "0" * 300,
])
def test_a_slot_key_made_by_hand_is_refused_with_a_message(bad):
    with pytest.raises(DomainError) as refused:
        parse_slot_key(bad)
    assert refused.value.status_code == 400 and refused.value.message == NOT_A_SLOT
    with language("vi"):
        assert str(refused.value) == (
            "Khung giờ này không thuộc sự kiện; vui lòng tải lại trang và chọn một khung giờ trong danh sách.")


def test_a_signing_slot_lasts_the_sessions_slot_length_or_five_minutes():
    assert DEFAULT_SIGNING_MINUTES == 5
    assert signing_minutes(15) == 15
    assert signing_minutes(0) == signing_minutes(None) == signing_minutes(-5) == 5


def test_each_wish_takes_the_first_slot_where_both_are_free_at_the_first_free_table():
    wishes = [Wish(1, producer_id=1, distributor_id=1), Wish(2, 1, 2), Wish(3, 2, 1), Wish(4, 2, 2)]
    result = schedule(wishes, slots(3, tables=2))
    placed = {b.request_id: (b.starts_at - START, b.table) for b in result.placed}
    twenty = dt.timedelta(minutes=20)
    assert placed == {1: (dt.timedelta(0), 1), 2: (twenty, 1), 3: (twenty, 2), 4: (dt.timedelta(0), 2)}
    assert result.unplaced == []


def test_what_does_not_fit_is_reported():
    # One distributor wanted by four producers, two slots: two meetings, two left over.
    wishes = [Wish(i, producer_id=i, distributor_id=1) for i in range(1, 5)]
    result = schedule(wishes, slots(2, tables=5))
    assert [b.request_id for b in result.placed] == [1, 2]
    assert [w.request_id for w in result.unplaced] == [3, 4]
    # Tables run out too: one slot, two tables, three independent pairs.
    result = schedule([Wish(i, i, i) for i in range(1, 4)], slots(1, tables=2))
    assert [b.table for b in result.placed] == [1, 2] and [w.request_id for w in result.unplaced] == [3]


def test_meetings_already_placed_are_respected():
    booked = [Booking(99, 1, 9, 1, START, START + dt.timedelta(minutes=20), 1)]
    result = schedule([Wish(1, 1, 2), Wish(2, 3, 4)], slots(2, tables=1), booked)
    assert [(b.request_id, b.starts_at, b.table) for b in result.placed] == [(1, START + dt.timedelta(minutes=20), 1)]
    # The only table is busy in the first slot and taken by request 1 in the second.
    assert result.unplaced == [Wish(2, 3, 4)]


def test_overlapping_sessions_never_double_book_a_participant():
    morning = slots(3, tables=1, session_id=1, minutes=20)
    offset = slots(3, tables=1, session_id=2, minutes=20, start=START + dt.timedelta(minutes=10))
    result = schedule([Wish(i, producer_id=1, distributor_id=i) for i in range(1, 7)], morning + offset)
    assert_nobody_double_booked(result.placed)
    assert len(result.placed) == 3 and len(result.unplaced) == 3


def test_random_conferences_never_double_book_and_place_everything_when_capacity_allows():
    rng = random.Random(2026)
    for _ in range(200):
        producers, distributors = rng.randint(1, 12), rng.randint(1, 8)
        pairs = rng.sample([(p, d) for p in range(producers) for d in range(distributors)], rng.randint(0, min(40, producers * distributors)))
        wishes = [Wish(i, p, d) for i, (p, d) in enumerate(pairs)]
        tables = rng.randint(1, 6)
        result = schedule(wishes, slots(rng.randint(1, 10), tables))
        assert_nobody_double_booked(result.placed)
        assert len(result.placed) + len(result.unplaced) == len(wishes)
        assert all(1 <= b.table <= tables for b in result.placed)

        # With 2Δ−1 slots and a table for every pair, a first-fit placement always finds room.
        degree = max([c for c in Counter([p for p, _ in pairs]).values()] + [c for c in Counter([d for _, d in pairs]).values()] + [1])
        roomy = schedule(wishes, slots(2 * degree - 1, tables=max(1, len(wishes))))
        assert roomy.unplaced == []
        assert_nobody_double_booked(roomy.placed)


def test_a_table_is_busy_for_the_whole_of_its_meetings():
    # The session's slots were 20 minutes when table 1 was booked at 09:45; now they are 10.
    booked = [Booking(1, 1, 1, 1, START, START + dt.timedelta(minutes=20), 1)]
    ten = slots(4, tables=2, minutes=10)
    result = schedule([Wish(2, 2, 2), Wish(3, 3, 3), Wish(4, 4, 4)], ten, booked)
    assert [(b.request_id, b.starts_at - START, b.table) for b in result.placed] == [
        (2, dt.timedelta(0), 2), (3, dt.timedelta(minutes=10), 2), (4, dt.timedelta(minutes=20), 1)]
    assert_nobody_double_booked(booked + result.placed)
    # The same table number in another session is another table.
    assert clashes(Booking(5, 5, 5, 2, START, START + dt.timedelta(minutes=20), 1), booked) == []


def test_clashes_name_what_is_busy():
    booked = [Booking(1, 1, 1, 1, START, START + dt.timedelta(minutes=20), 1)]
    same_table_other_people = Booking(2, 2, 2, 1, START, START + dt.timedelta(minutes=20), 1)
    assert clashes(same_table_other_people, booked) == ["table"]
    same_producer = Booking(3, 1, 3, 1, START, START + dt.timedelta(minutes=20), 2)
    assert clashes(same_producer, booked) == ["producer"]
    later = Booking(4, 1, 1, 1, START + dt.timedelta(minutes=20), START + dt.timedelta(minutes=40), 1)
    assert clashes(later, booked) == []
    # Ten minutes into the first meeting, in another session at the same table number: only the people clash.
    offset = Booking(5, 1, 1, 2, START + dt.timedelta(minutes=10), START + dt.timedelta(minutes=30), 1)
    assert clashes(offset, booked) == ["producer", "distributor"]
    half_table = Booking(6, 2, 2, 1, START + dt.timedelta(minutes=10), START + dt.timedelta(minutes=30), 1)
    assert clashes(half_table, booked) == ["table"]
    assert clashes(booked[0], booked) == []  # a meeting does not clash with itself
