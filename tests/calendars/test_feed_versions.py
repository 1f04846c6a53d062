"""An unchanged feed is answered 304 to a reader that has it, and from a kept body to one that
has not; any change to what it says gives it a new ETag."""

from __future__ import annotations

import datetime as dt

from events_app.calendars import ical
from events_app.events.tables import Event
from tests.calendars.conftest import days_from_today, make_event, parse
from tests.calendars.test_private_feed import token_for
from tests.factories import make_user


async def test_an_unchanged_feed_is_not_modified_and_a_change_gives_a_new_etag(client):
    fair = await make_event(title="Hội chợ OCOP Nghệ An", starts=days_from_today(20))
    first = await client.get("/calendar.ics")
    etag = first.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"') and len(etag) == 34

    again = await client.get("/calendar.ics")
    assert again.headers["etag"] == etag
    assert again.content == first.content  # the kept body, DTSTAMP and all: nothing written again

    unchanged = await client.get("/calendar.ics", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged.headers["etag"] == etag
    listed = await client.get("/calendar.ics", headers={"If-None-Match": f'"other", W/{etag}'})
    assert listed.status_code == 304

    await Event.update({Event.title_vi: "Hội chợ OCOP Nghệ An 2027", Event.updated_at: dt.datetime.now(dt.timezone.utc)}).where(
        Event.id == fair["id"]
    )
    changed = await client.get("/calendar.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert [str(e["SUMMARY"]) for e in parse(changed.content).events] == ["Hội chợ OCOP Nghệ An 2027"]

    # Another filter is another feed.
    assert (await client.get("/calendar.ics?kind=conference")).headers["etag"] != changed.headers["etag"]


async def test_the_event_and_private_feeds_have_etags_too(client):
    fair = await make_event(title="Hội chợ OCOP Nghệ An", starts=days_from_today(20))
    event_feed = await client.get(f"/events/{fair['slug']}/calendar.ics")
    assert (await client.get(f"/events/{fair['slug']}/calendar.ics",
                             headers={"If-None-Match": event_feed.headers["etag"]})).status_code == 304

    user = await make_user("staff")
    url = f"/feeds/{await token_for(user)}.ics"
    private = await client.get(url)
    assert private.headers["cache-control"] == "private, no-store"
    assert (await client.get(url, headers={"If-None-Match": private.headers["etag"]})).status_code == 304
    assert private.headers["etag"] != event_feed.headers["etag"]


def test_the_version_covers_what_the_feed_says_but_not_when_it_is_written():
    entry = ical.Entry(uid="event-1@ocop.example", summary="Hội chợ", starts=dt.date(2027, 1, 5), ends=dt.date(2027, 1, 7))
    feed = ical.Feed(uid="f", name="Sự kiện OCOP", filename="f.ics", language="vi", entries=(entry,))
    same = ical.Feed(uid="f", name="Sự kiện OCOP", filename="f.ics", language="vi", entries=(entry,))
    assert ical.version(feed) == ical.version(same)
    renamed = ical.Feed(uid="f", name="Sự kiện OCOP", filename="f.ics", language="vi",
                        entries=(ical.Entry(**{**entry.__dict__, "summary": "Hội chợ mới"}),))
    english = ical.Feed(uid="f", name="Sự kiện OCOP", filename="f.ics", language="en", entries=(entry,))
    assert len({ical.version(feed), ical.version(renamed), ical.version(english)}) == 3
    # The body differs with the moment it is written (DTSTAMP); the version does not look at it.
    assert ical.render(feed, dt.datetime(2027, 1, 1, tzinfo=dt.timezone.utc)) != ical.render(
        feed, dt.datetime(2027, 1, 2, tzinfo=dt.timezone.utc)
    )


async def test_head_answers_what_get_would_without_the_body(client):
    fair = await make_event(title="Hội chợ OCOP Nghệ An", starts=days_from_today(20))
    user = await make_user("producer")
    for url, private in (("/calendar.ics", False), (f"/events/{fair['slug']}/calendar.ics", False),
                         (f"/feeds/{await token_for(user)}.ics", True)):
        got = await client.get(url)
        checked = await client.head(url)
        assert checked.status_code == 200 and checked.content == b""
        assert checked.headers["etag"] == got.headers["etag"]
        assert checked.headers["content-type"] == "text/calendar; charset=utf-8"
        assert ("no-store" in checked.headers.get("cache-control", "")) is private
        assert (await client.head(url, headers={"If-None-Match": got.headers["etag"]})).status_code == 304
    assert (await client.head("/feeds/not-a-token.ics")).status_code == 404
    assert (await client.head("/events/no-such-event/calendar.ics")).status_code == 404
