"""/calendar.ics and /events/{slug}/calendar.ics, parsed back and compared with the database."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from events_app.events.tables import Event, OpeningHours, Session
from events_app.core.i18n import language
from events_app.core.labels import label
from tests.calendars.conftest import add_opening_hours, by_uid, days_from_today, local, make_event, make_session, parse, uids
from tests.helpers import text_of

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


async def test_calendar_feed_holds_the_published_events_with_their_stored_times(client, host):
    fair = await make_event(title="Hội chợ OCOP Nghệ An", description="Gian hàng; sản phẩm, đặc sản", starts=days_from_today(20))
    showroom = await make_event(title="Điểm OCOP Kim Liên", kind="showroom", starts=days_from_today(-200), ends=days_from_today(400))
    closed = await make_event(title="Hội chợ đã kết thúc", status="closed", starts=days_from_today(-10))
    cancelled = await make_event(title="Hội chợ bị hủy", status="cancelled", starts=days_from_today(40))
    await make_event(title="Bản nháp", status="draft")

    response = await client.get("/calendar.ics")

    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="ocop-events.ics"'
    calendar = parse(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Sự kiện OCOP"
    public = await Event.select().where(Event.status != "draft").order_by(Event.starts_at)
    assert uids(calendar) == [f"event-{row['id']}@{host}" for row in public]
    assert "Bản nháp" not in response.content.decode()
    assert [tz.tz_name for tz in calendar.timezones] == ["Asia/Ho_Chi_Minh"]

    entries = by_uid(calendar)
    for row in public:
        entry = entries[f"event-{row['id']}@{host}"]
        assert entry.start == row["starts_at"] and entry.end == row["ends_at"]
        assert entry.start.tzinfo == VIETNAM and entry["DTSTART"].params["TZID"] == "Asia/Ho_Chi_Minh"

    first = entries[f"event-{fair['id']}@{host}"]
    assert str(first["SUMMARY"]) == "Hội chợ OCOP Nghệ An"
    assert str(first["URL"]) == f"http://{host}:8000/events/{fair['slug']}"
    assert str(first["LOCATION"]).endswith("Số 1 Lê Lợi, Nghệ An")
    assert "Gian hàng; sản phẩm, đặc sản" in str(first["DESCRIPTION"])
    assert "Đơn vị tổ chức: Sở Công Thương" in str(first["DESCRIPTION"])
    with language("vi"):
        assert [str(c) for c in first.categories] == [label("event_kind", "fair")]
    assert str(first["STATUS"]) == "CONFIRMED"
    assert str(entries[f"event-{closed['id']}@{host}"]["STATUS"]) == "CONFIRMED"
    gone = entries[f"event-{cancelled['id']}@{host}"]
    assert str(gone["STATUS"]) == "CANCELLED" and str(gone["SUMMARY"]) == "[Đã hủy] Hội chợ bị hủy"
    assert f"event-{showroom['id']}@{host}" in entries


async def test_uids_and_contents_are_stable_between_fetches(client):
    await make_event(title="Hội chợ A")
    await make_event(title="Hội chợ B", kind="conference")
    first = parse((await client.get("/calendar.ics")).content)
    second = parse((await client.get("/calendar.ics")).content)
    assert uids(first) == uids(second) and len(uids(first)) == 2
    assert str(first["UID"]) == str(second["UID"])
    strip = lambda cal: [{k: v for k, v in e.items() if k != "DTSTAMP"} for e in cal.events]  # noqa: E731
    assert strip(first) == strip(second)


async def test_without_a_month_the_feed_keeps_ninety_days_of_past_events(client, host):
    recent = await make_event(title="Mới kết thúc", starts=days_from_today(-60), ends=days_from_today(-58))
    old = await make_event(title="Đã lâu", starts=days_from_today(-120), ends=days_from_today(-100))
    calendar = parse((await client.get("/calendar.ics")).content)
    assert uids(calendar) == [f"event-{recent['id']}@{host}"]

    month = old["starts_at"].astimezone(VIETNAM).strftime("%Y-%m")
    by_month = parse((await client.get(f"/calendar.ics?month={month}")).content)
    assert f"event-{old['id']}@{host}" in uids(by_month)


async def test_the_filters_of_the_event_list_apply(client, host):
    start = local(2027, 3, 10, 8, 0)
    fair = await make_event(title="Hội chợ Nghệ An", starts=start)
    conference = await make_event(title="Hội nghị Đắk Lắk", kind="conference", province="Đắk Lắk", starts=start)
    april = await make_event(title="Hội chợ tháng Tư", starts=local(2027, 4, 2, 8, 0))
    await make_event(title="Nháp tháng Ba", status="draft", starts=start)

    async def feed(query: str) -> list[str]:
        return uids(parse((await client.get(f"/calendar.ics?{query}")).content))

    assert await feed("kind=conference") == [f"event-{conference['id']}@{host}"]
    assert await feed("province=nghe-an") == [f"event-{fair['id']}@{host}", f"event-{april['id']}@{host}"]
    region = await feed("region=tay-nguyen")
    assert region == [f"event-{conference['id']}@{host}"]
    assert await feed("month=2027-03") == [f"event-{fair['id']}@{host}", f"event-{conference['id']}@{host}"]
    assert await feed("month=2027-03&kind=fair&province=nghe-an") == [f"event-{fair['id']}@{host}"]
    # Nonsense is dropped, as on /events, never a server error.
    assert len(await feed("kind=party&month=13-2027")) == 3
    assert await feed("province=khong-co") == []


async def test_event_feed_holds_the_event_and_its_sessions(client, host):
    conference = await make_event(title="Hội nghị kết nối cung cầu", kind="conference", starts=local(2027, 5, 20, 8, 0))
    plenary = await make_session(conference, "Phiên toàn thể", "plenary", local(2027, 5, 20, 8, 0), 90, room="Hội trường A")
    b2b = await make_session(
        conference, "Kết nối giao thương B2B", "b2b", local(2027, 5, 20, 9, 30), 120, room="Sảnh B2B", slot_minutes=20,
        tables_count=10,
    )

    response = await client.get(f"/events/{conference['slug']}/calendar.ics")

    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["content-disposition"] == f'attachment; filename="{conference["slug"]}.ics"'
    calendar = parse(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Hội nghị kết nối cung cầu"
    assert uids(calendar) == [f"event-{conference['id']}@{host}", f"session-{plenary.id}@{host}", f"session-{b2b.id}@{host}"]
    entries = by_uid(calendar)
    stored = {row["id"]: row for row in await Session.select().where(Session.event == conference["id"])}
    for session_id in (plenary.id, b2b.id):
        entry = entries[f"session-{session_id}@{host}"]
        assert entry.start == stored[session_id]["starts_at"] and entry.end == stored[session_id]["ends_at"]
        assert entry.start.tzinfo == VIETNAM
        assert str(entry["RELATED-TO"]) == f"event-{conference['id']}@{host}"
    session = entries[f"session-{b2b.id}@{host}"]
    assert str(session["SUMMARY"]) == "Kết nối giao thương B2B"
    assert str(session["LOCATION"]).startswith("Sảnh B2B, Trung tâm Hội chợ")
    assert session.start == local(2027, 5, 20, 9, 30) and session.end == local(2027, 5, 20, 11, 30)
    assert "Hội nghị kết nối cung cầu" in str(session["DESCRIPTION"])


async def test_showroom_feed_repeats_its_opening_hours_weekly_until_it_ends(client, host):
    starts, ends = local(2026, 1, 1, 7, 30), local(2027, 12, 31, 17, 30)  # the first day is a Thursday
    showroom = await make_event(title="Điểm OCOP Kim Liên", kind="showroom", starts=starts, ends=ends)
    full, short = (dt.time(7, 30), dt.time(17, 30)), (dt.time(8, 0), dt.time(11, 30))
    await add_opening_hours(showroom, [(day, *full) for day in range(1, 6)] + [(6, *short)])

    calendar = parse((await client.get(f"/events/{showroom['slug']}/calendar.ics")).content)

    entries = by_uid(calendar)
    assert sorted(entries) == sorted(
        [f"event-{showroom['id']}@{host}", f"hours-{showroom['id']}-0730-1730@{host}", f"hours-{showroom['id']}-0800-1130@{host}"]
    )
    stored = await OpeningHours.select().where(OpeningHours.event == showroom["id"])
    week = {}
    for row in stored:
        week.setdefault((row["opens_at"], row["closes_at"]), []).append(row["weekday"])
    codes = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    for (opens_at, closes_at), weekdays in week.items():
        entry = entries[f"hours-{showroom['id']}-{opens_at:%H%M}-{closes_at:%H%M}@{host}"]
        rule = entry["RRULE"]
        assert rule["FREQ"] == ["WEEKLY"]
        assert rule["BYDAY"] == [codes[day] for day in sorted(weekdays)]
        assert rule["UNTIL"] == [showroom["ends_at"]]
        assert entry.start.tzinfo == VIETNAM and entry.start.timetz().replace(tzinfo=None) == opens_at
        assert entry.end - entry.start == dt.datetime.combine(starts.date(), closes_at) - dt.datetime.combine(starts.date(), opens_at)
        assert entry.start.weekday() in weekdays and entry.start.date() >= starts.date()
        assert str(entry["TRANSP"]) == "TRANSPARENT"
    assert entries[f"hours-{showroom['id']}-0730-1730@{host}"].start == local(2026, 1, 1, 7, 30)
    assert entries[f"hours-{showroom['id']}-0800-1130@{host}"].start == local(2026, 1, 4, 8, 0)  # the first Sunday
    assert str(entries[f"hours-{showroom['id']}-0800-1130@{host}"]["SUMMARY"]) == "Mở cửa: Điểm OCOP Kim Liên"
    # The recurrence, expanded, gives the opening days of any week.
    sundays = [start for start in _expand(entries[f"hours-{showroom['id']}-0800-1130@{host}"], local(2026, 3, 1), local(2026, 3, 31))]
    assert [day.day for day in sundays] == [1, 8, 15, 22, 29]


def _expand(entry, after: dt.datetime, before: dt.datetime) -> list[dt.datetime]:
    from dateutil.rrule import rrulestr

    rule = rrulestr(entry["RRULE"].to_ical().decode(), dtstart=entry.start)
    return rule.between(after, before, inc=True)


async def test_unknown_or_draft_events_have_no_feed(client):
    draft = await make_event(title="Bản nháp", status="draft")
    for path, message in (
        (f"/events/{draft['slug']}/calendar.ics", "Sự kiện này không tồn tại hoặc chưa được công bố."),
        ("/events/khong-co/calendar.ics", "Sự kiện này không tồn tại hoặc chưa được công bố."),
        (f"/events/{draft['slug']}%00/calendar.ics", "Không tìm thấy trang"),  # NUL refused before any handler
    ):
        response = await client.get(path)
        assert response.status_code == 404
        assert "Bản nháp" not in response.text
        assert message in text_of(response.text)
        assert not response.headers["content-type"].startswith("text/calendar")


async def test_public_feeds_are_the_same_for_every_role_and_language(client, host):
    from tests.factories import PASSWORD, make_user
    from tests.helpers import login, post_form

    event = await make_event(title="Hội chợ chung", title_en="Shared fair")
    anonymous = {path: (await client.get(path)).content for path in ("/calendar.ics", f"/events/{event['slug']}/calendar.ics")}
    for role in ("producer", "distributor", "staff", "admin"):
        user = await make_user(role)
        client.cookies.clear()
        await login(client, user.email, PASSWORD)
        await post_form(client, "/language", {"language": "en", "next": "/"})
        assert '<html lang="en">' in (await client.get("/")).text
        for path, body in anonymous.items():
            response = await client.get(path)
            assert response.status_code == 200, (role, path)
            calendar = parse(response.content)
            assert uids(calendar) == uids(parse(body))
            # A feed does not depend on who fetched it: Vietnamese, as a calendar application gets it.
            assert str(by_uid(calendar)[f"event-{event['id']}@{host}"]["SUMMARY"]) == "Hội chợ chung"


async def test_the_calendar_shows_a_showroom_by_its_weekly_hours_not_as_one_long_event(client, host):
    starts, ends = days_from_today(-30, 7, 30), days_from_today(700, 17, 30)
    kim_lien = await make_event(title="Điểm OCOP Kim Liên", kind="showroom", starts=starts, ends=ends)
    await add_opening_hours(kim_lien, [(day, dt.time(7, 30), dt.time(17, 30)) for day in range(0, 5)]
                            + [(5, dt.time(8, 0), dt.time(11, 30))])
    no_hours = await make_event(title="Điểm OCOP chưa có giờ mở cửa", kind="showroom", starts=starts, ends=ends)
    fair = await make_event(title="Hội chợ OCOP Nghệ An", starts=days_from_today(20))

    entries = by_uid(parse((await client.get("/calendar.ics")).content))

    assert sorted(entries) == sorted([
        f"event-{fair['id']}@{host}",
        f"event-{no_hours['id']}@{host}",  # nothing to repeat: its days, as before
        f"hours-{kim_lien['id']}-0730-1730@{host}",
        f"hours-{kim_lien['id']}-0800-1130@{host}",
    ])
    weekdays = entries[f"hours-{kim_lien['id']}-0730-1730@{host}"]
    assert weekdays["RRULE"]["BYDAY"] == ["MO", "TU", "WE", "TH", "FR"]
    assert weekdays["RRULE"]["UNTIL"] == [kim_lien["ends_at"]]
    assert weekdays.end - weekdays.start == dt.timedelta(hours=10)
    assert str(weekdays["SUMMARY"]) == "Mở cửa: Điểm OCOP Kim Liên"
    assert str(entries[f"hours-{kim_lien['id']}-0800-1130@{host}"]["RRULE"]["BYDAY"][0]) == "SA"
