"""A participant's agenda in its private feed: the sessions of the conferences it attends, its
meetings with the table in LOCATION, its signing slot; parsed back with icalendar."""

from __future__ import annotations

from events_app.accounts.tables import User
from events_app.events.tables import Attendance
from tests.calendars.conftest import by_uid, parse
from tests.mou.builders import make_agenda


async def _feed(client, email: str):
    token = f"agenda-{'x' * 40}"
    await User.update({User.feed_token: token}).where(User.email == email)
    response = await client.get(f"/feeds/{token}.ics")
    assert response.status_code == 200
    return parse(response.content)


async def test_the_private_feed_holds_the_agenda_with_each_table_in_its_location(client, clean_db, host):
    world = await make_agenda()
    conference = world.cast.conference
    calendar = await _feed(client, "sx1@test.example")
    events = by_uid(calendar)

    for session in (conference.plenary, conference.b2b, conference.signing):  # the programme
        entry = events[f"session-{session.id}@{host}"]
        assert str(entry["SUMMARY"]) == session.title and entry["DTSTART"].dt == session.starts_at
        assert str(entry["LOCATION"]).startswith(session.room)

    meeting = events[f"meeting-{world.meetings['tra_coop']}@{host}"]
    assert str(meeting["LOCATION"]).startswith("Bàn số 2, Sảnh B2B, Trung tâm Hội nghị")
    assert "Siêu thị Co.op Test" in str(meeting["SUMMARY"]) and meeting["DTSTART"].dt == conference.b2b.starts_at
    second = events[f"meeting-{world.meetings['tra_central']}@{host}"]
    assert str(second["LOCATION"]).startswith("Bàn số 3,")
    signing = events[f"mou-{world.mou}@{host}"]
    assert "Siêu thị Co.op Test" in str(signing["SUMMARY"]) and str(signing["LOCATION"]).startswith("Hội trường A")

    # Not its own: the other producer's meeting, the cancelled one.
    assert f"meeting-{world.meetings['caphe_coop']}@{host}" not in events
    assert f"meeting-{world.meetings['cancelled']}@{host}" not in events

    # Once it no longer attends, the programme leaves its feed; its placed meetings stay.
    await Attendance.update({Attendance.status: "cancelled"}).where(Attendance.producer == world.cast.producer.id)
    events = by_uid(await _feed(client, "sx1@test.example"))
    assert f"session-{conference.plenary.id}@{host}" not in events
    assert f"meeting-{world.meetings['tra_coop']}@{host}" in events


async def test_the_distributor_sees_its_tables_too(client, clean_db, host):
    world = await make_agenda()
    events = by_uid(await _feed(client, "pp1@test.example"))
    locations = sorted(str(events[f"meeting-{world.meetings[key]}@{host}"]["LOCATION"]).split(",")[0]
                       for key in ("tra_coop", "caphe_coop"))
    assert locations == ["Bàn số 1", "Bàn số 2"]
    assert f"meeting-{world.meetings['tra_central']}@{host}" not in events
