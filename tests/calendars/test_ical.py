"""The pure iCalendar builders: texts cleaned, opening hours grouped into weekly rules, valid output."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from icalendar import Calendar

from events_app.calendars import ical
from events_app.calendars.ical import Entry, Feed, Site, Weekly
from tests.calendars.conftest import local

UTC = dt.timezone.utc
STAMP = dt.datetime(2026, 11, 1, 3, 0, tzinfo=UTC)


def test_site_names_uids_by_host_and_makes_absolute_links():
    site = Site("https://ocop.example.vn:8443/")
    assert site.host == "ocop.example.vn"
    assert site.uid("event", 7) == "event-7@ocop.example.vn"
    assert site.uid("hours", 3, "0730-1730") == "hours-3-0730-1730@ocop.example.vn"
    assert site.url("/events/hoi-cho") == "https://ocop.example.vn:8443/events/hoi-cho"


def test_texts_are_cleaned():
    decomposed = "Ga\u0300 Tie\u0302n Ye\u0302n"  # what some keyboards send
    assert ical.clean_line(f"  {decomposed}\x00\t\n  chợ  ") == "Gà Tiên Yên chợ"
    assert ical.clean_line("x" * 300) == "x" * 249 + "…"
    assert ical.clean_text("Dòng 1\r\nDòng\x07 2  \r\n\r\n\r\n\r\nDòng 3\n") == "Dòng 1\nDòng 2\n\nDòng 3"
    assert ical.join_place("Khu A", "", None, " Vinh ") == "Khu A, Vinh"


def test_opening_hours_become_one_weekly_rule_per_time_range():
    starts = local(2026, 1, 1, 7, 30)  # a Thursday
    ends = local(2027, 12, 31, 17, 30)
    morning, noon, evening = dt.time(7, 30), dt.time(11, 30), dt.time(17, 30)
    rows = [(day, morning, evening) for day in (1, 2, 3, 4)] + [(5, morning, noon), (6, morning, noon)]
    openings = ical.weekly_openings(rows, starts, ends)

    assert [(o.opens_at, o.closes_at, o.repeat.weekdays) for o in openings] == [
        (morning, noon, (5, 6)),
        (morning, evening, (1, 2, 3, 4)),
    ]
    weekend, weekdays = openings
    # The first occurrence is the first matching day on or after the first day: RFC 5545 wants DTSTART in the set.
    assert weekend.first_start == local(2026, 1, 3, 7, 30) and weekend.first_end == local(2026, 1, 3, 11, 30)
    assert weekdays.first_start == local(2026, 1, 1, 7, 30)
    assert weekdays.repeat.until == dt.datetime(2027, 12, 31, 10, 30, tzinfo=UTC)
    assert weekdays.key == "0730-1730"


def test_a_time_range_that_never_occurs_within_the_event_is_left_out():
    starts, ends = local(2026, 6, 1, 8, 0), local(2026, 6, 2, 18, 0)  # Monday and Tuesday only
    rows = [(0, dt.time(8), dt.time(18)), (5, dt.time(8), dt.time(12))]
    assert [o.repeat.weekdays for o in ical.weekly_openings(rows, starts, ends)] == [(0,)]


def _feed(*entries: Entry) -> Feed:
    return Feed(uid="calendar@h", name="Sự kiện OCOP", filename="x.ics", language="vi", entries=entries)


def test_render_is_rfc_5545_with_the_time_zone_and_folded_crlf_lines():
    entry = Entry(
        uid="event-1@h",
        summary="Hội chợ OCOP; khu vực, Bắc Trung Bộ " * 4,
        starts=dt.datetime(2026, 12, 17, 1, 0, tzinfo=UTC),
        ends=dt.datetime(2026, 12, 19, 13, 0, tzinfo=UTC),
        description="Dòng 1\nDòng 2",
        location="Quảng trường Hồ Chí Minh, Vinh",
        url="http://h/events/hoi-cho",
        categories=("Hội chợ",),
        busy=False,
    )
    body = ical.render(_feed(entry), STAMP)

    lines = body.split(b"\r\n")
    assert body.endswith(b"END:VCALENDAR\r\n") and b"\n" not in body.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines)
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines
    calendar = Calendar.from_ical(body)
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["PRODID"]) == "-//OCOP Fair Manager//Calendar//VI"
    assert [tz.tz_name for tz in calendar.timezones] == ["Asia/Ho_Chi_Minh"]
    assert calendar.get_missing_tzids() == set()
    (event,) = calendar.events
    assert event.start == local(2026, 12, 17, 8, 0) and event.start.tzinfo == ZoneInfo("Asia/Ho_Chi_Minh")
    assert event.end == local(2026, 12, 19, 20, 0)
    assert event["DTSTAMP"].dt == STAMP
    assert str(event["SUMMARY"]) == ical.clean_line(entry.summary)
    assert str(event["DESCRIPTION"]) == "Dòng 1\nDòng 2"
    assert str(event["TRANSP"]) == "TRANSPARENT" and str(event["STATUS"]) == "CONFIRMED"
    assert [str(c) for c in event.categories] == ["Hội chợ"]


def test_whole_days_end_the_day_after():
    entry = Entry(uid="rental-1@h", summary="Gian hàng A-01", starts=dt.date(2026, 12, 1), ends=dt.date(2026, 12, 31))
    calendar = Calendar.from_ical(ical.render(_feed(entry), STAMP))
    (event,) = calendar.events
    assert event.start == dt.date(2026, 12, 1) and event.end == dt.date(2027, 1, 1)
    assert "CATEGORIES" not in event


def test_an_end_before_the_start_is_written_as_the_start():
    moment = dt.datetime(2026, 12, 17, 1, 0, tzinfo=UTC)
    entries = (
        Entry(uid="meeting-1@h", summary="Gặp gỡ", starts=moment, ends=moment - dt.timedelta(minutes=20)),
        Entry(uid="rental-1@h", summary="Gian hàng", starts=dt.date(2026, 12, 2), ends=dt.date(2026, 12, 1)),
    )
    meeting, rental = Calendar.from_ical(ical.render(_feed(*entries), STAMP)).events
    assert meeting.start == meeting.end == moment
    assert rental.start == dt.date(2026, 12, 2) and rental.end == dt.date(2026, 12, 3)


def test_an_empty_feed_still_holds_a_component():
    """RFC 5545 wants at least one component: the time zone is always there."""
    calendar = Calendar.from_ical(ical.render(_feed(), STAMP))
    assert calendar.events == [] and [tz.tz_name for tz in calendar.timezones] == ["Asia/Ho_Chi_Minh"]
    assert str(calendar["X-WR-CALNAME"]) == "Sự kiện OCOP" and str(calendar["UID"]) == "calendar@h"


def test_weekly_rule_is_written_with_until_in_utc():
    entry = Entry(
        uid="hours-1-0730-1730@h",
        summary="Mở cửa",
        starts=local(2026, 1, 1, 7, 30),
        ends=local(2026, 1, 1, 17, 30),
        repeat=Weekly((1, 2, 3), dt.datetime(2027, 12, 31, 10, 30, tzinfo=UTC)),
    )
    body = ical.render(_feed(entry), STAMP)
    assert b"RRULE:FREQ=WEEKLY;UNTIL=20271231T103000Z;BYDAY=TU,WE,TH" in body.split(b"\r\n")
    rule = Calendar.from_ical(body).events[0]["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["TU", "WE", "TH"]
