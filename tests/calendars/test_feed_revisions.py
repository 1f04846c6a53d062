"""Public feeds are versioned by the calendar's revision: a change made through the services gives
them a new ETag and a body with the change; an unchanged feed is answered 304, or from its kept
body, without its events being read, and two server processes agree on its ETag."""

from __future__ import annotations

import datetime as dt

import httpx

from events_app.calendars import controllers, services
from events_app.events import planning, programme
from tests.calendars.conftest import days_from_today, make_event, parse
from tests.factories import make_user
from tests.live import live_server


async def _edit_title(event: dict, title: str, actor_id: int) -> None:
    """The staff's event form, through the planning service."""
    data = planning.EventInput(
        title_vi=title, kind=event["kind"], venue_id=event["venue"], starts_at=event["starts_at"], ends_at=event["ends_at"],
        organiser=event["organiser"],
    )
    await planning.update_event(event["id"], data, actor_id=actor_id)


def summaries(body: bytes) -> list[str]:
    return sorted(str(entry["SUMMARY"]) for entry in parse(body).events)


async def test_an_event_edited_or_a_session_added_gives_the_feeds_a_new_version(client):
    staff = await make_user("staff")
    fair = await make_event(title="Hội chợ OCOP Nghệ An", kind="conference", starts=days_from_today(20))
    feed, event_feed = "/calendar.ics", f"/events/{fair['slug']}/calendar.ics"
    first, first_event = await client.get(feed), await client.get(event_feed)

    await _edit_title(fair, "Hội chợ OCOP Nghệ An mùa thu", staff.id)
    changed = await client.get(feed, headers={"If-None-Match": first.headers["etag"]})
    assert changed.status_code == 200 and changed.headers["etag"] != first.headers["etag"]
    assert summaries(changed.content) == ["Hội chợ OCOP Nghệ An mùa thu"]

    session = programme.SessionInput(title="Phiên kết nối giao thương", kind="plenary", starts_at=fair["starts_at"],
                                     ends_at=fair["starts_at"] + dt.timedelta(hours=2), room="Hội trường A")
    await programme.save_session(fair["id"], None, session, actor_id=staff.id)
    with_session = await client.get(event_feed, headers={"If-None-Match": first_event.headers["etag"]})
    assert with_session.status_code == 200 and with_session.headers["etag"] != first_event.headers["etag"]
    assert summaries(with_session.content) == ["Hội chợ OCOP Nghệ An mùa thu", "Phiên kết nối giao thương"]
    assert (await client.get(event_feed, headers={"If-None-Match": with_session.headers["etag"]})).status_code == 304


async def test_an_unchanged_feed_is_answered_without_reading_its_events(client, monkeypatch):
    fair = await make_event(title="Hội chợ OCOP Nghệ An", starts=days_from_today(20))
    paths = ("/calendar.ics?kind=fair", f"/events/{fair['slug']}/calendar.ics")
    first = {path: await client.get(path) for path in paths}

    async def not_read(*args, **kwargs):
        raise AssertionError("an unchanged feed was read again")

    monkeypatch.setattr(services, "published_events", not_read)
    monkeypatch.setattr(services.events, "get_event", not_read)
    await make_user("staff")  # a write outside the calendar's tables (an account) changes no feed
    for path, got in first.items():
        etag = got.headers["etag"]
        assert (await client.get(path, headers={"If-None-Match": etag})).status_code == 304
        kept = await client.get(path)
        assert kept.status_code == 200 and kept.headers["etag"] == etag and kept.content == got.content
        assert (await client.head(path)).headers["etag"] == etag

    # Not kept (another process, or pushed out): read again, under the same version.
    monkeypatch.undo()
    controllers._BODIES.clear()
    again = await client.get(paths[0])
    assert again.headers["etag"] == first[paths[0]].headers["etag"]
    assert summaries(again.content) == ["Hội chợ OCOP Nghệ An"]


async def test_the_version_moves_with_the_day_and_the_filters(client, monkeypatch):
    await make_event(title="Hội chợ OCOP Nghệ An", starts=days_from_today(20))
    etag = (await client.get("/calendar.ics")).headers["etag"]
    assert (await client.get("/calendar.ics?province=nghe-an")).headers["etag"] != etag
    assert (await client.get("/calendar.ics?month=2030-01")).headers["etag"] != etag
    tomorrow = services.today() + dt.timedelta(days=1)
    monkeypatch.setattr(services, "today", lambda: tomorrow)  # the feed's window has moved on
    assert (await client.get("/calendar.ics", headers={"If-None-Match": etag})).status_code == 200


def test_the_window_of_the_feed_starts_at_the_beginning_of_a_day():
    start = services.window_start(dt.date(2027, 4, 1))
    assert start == dt.datetime(2027, 1, 1, 0, 0, tzinfo=services.LOCAL_TZ)  # 90 days before, at midnight in Vietnam


async def test_two_server_processes_agree_on_the_version(clean_db):
    staff = await make_user("staff")
    fair = await make_event(title="Hội chợ OCOP Nghệ An", starts=days_from_today(20))
    # Two servers of one process each, as two workers of one site: the same public address.
    site = {"PUBLIC_URL": "http://ocop.test"}
    with live_server(1, site) as one, live_server(1, site) as other:
        async with httpx.AsyncClient(trust_env=False, timeout=30) as http:
            for path in ("/calendar.ics", f"/events/{fair['slug']}/calendar.ics"):
                first = await http.get(one + path)
                etag = first.headers["etag"]
                assert (await http.get(other + path)).headers["etag"] == etag
                assert (await http.get(other + path, headers={"If-None-Match": etag})).status_code == 304
                assert (await http.get(one + path, headers={"If-None-Match": etag})).status_code == 304

            await _edit_title(fair, "Hội chợ OCOP Nghệ An 2027", staff.id)
            old = first.headers["etag"]
            answers = [await http.get(server + path, headers={"If-None-Match": old}) for server in (one, other)]
            assert [a.status_code for a in answers] == [200, 200]
            assert answers[0].headers["etag"] == answers[1].headers["etag"] != old
            assert all("Hội chợ OCOP Nghệ An 2027" in summaries(a.content) for a in answers)
