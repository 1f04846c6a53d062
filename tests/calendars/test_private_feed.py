"""/feeds/{token}.ics: a user's own booths, meetings and signing slots, and nobody else's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from events_app.accounts.tables import User
from events_app.booths.tables import BoothRental
from events_app.directory.tables import Distributor, Producer
from events_app.events.services import event_days
from events_app.events.tables import Event
from events_app.core.i18n import language
from events_app.core.labels import label
from events_app.matchmaking.tables import Meeting
from events_app.mou.tables import Mou
from tests.calendars.conftest import (
    by_uid,
    local,
    make_event,
    make_meeting,
    make_mou,
    make_rental,
    make_session,
    parse,
    uids,
)
from tests.factories import PASSWORD, make_distributor, make_producer, make_user
from tests.helpers import login, post_form, text_of

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass
class World:
    fair: dict
    showroom: dict
    conference: dict
    producer: Producer
    other_producer: Producer
    distributor: Distributor
    other_distributor: Distributor
    rentals: dict[str, BoothRental]
    meetings: dict[str, Meeting]
    mous: dict[str, Mou]


@pytest.fixture
async def world(clean_db) -> World:
    producer = await make_producer("HTX Gà Tiên Yên")
    other_producer = await make_producer("HTX Nước mắm Cửa Lò")
    distributor = await make_distributor("Siêu thị Co.opmart Vinh")
    other_distributor = await make_distributor("Sàn thương mại điện tử Xanh", distributor_type="ecommerce")

    fair = await make_event(title="Hội chợ OCOP Bắc Trung Bộ", starts=local(2027, 3, 10, 8, 0), ends=local(2027, 3, 14, 21, 0))
    showroom = await make_event(
        title="Điểm OCOP Kim Liên", kind="showroom", starts=local(2026, 1, 1, 7, 30), ends=local(2027, 12, 31, 17, 30)
    )
    conference = await make_event(title="Hội nghị kết nối cung cầu", kind="conference", starts=local(2027, 5, 20, 8, 0))
    draft = await make_event(title="Hội chợ nháp", status="draft", starts=local(2027, 6, 1, 8, 0))
    first, last = event_days(fair)
    rentals = {
        "fair": await make_rental(fair, producer, "A-01", first, last),
        "other_fair": await make_rental(fair, other_producer, "A-02", first, last),
        "cancelled": await make_rental(fair, producer, "A-03", first, last, status="cancelled"),
        "shelf": await make_rental(
            showroom, producer, "K-01", dt.date(2027, 2, 1), dt.date(2027, 2, 28), status="held", booth_type="shelf"
        ),
        "draft": await make_rental(draft, producer, "B-01", dt.date(2027, 6, 1), dt.date(2027, 6, 3)),
    }

    b2b = await make_session(
        conference, "Kết nối giao thương B2B", "b2b", local(2027, 5, 20, 9, 30), 120, room="Sảnh B2B", slot_minutes=20,
        tables_count=10,
    )
    signing = await make_session(
        conference, "Lễ ký kết", "signing", local(2027, 5, 20, 14, 0), 60, room="Hội trường A", slot_minutes=5
    )
    meetings = {
        "mine": await make_meeting(b2b, producer, distributor, local(2027, 5, 20, 9, 30), 3),
        "theirs": await make_meeting(b2b, other_producer, distributor, local(2027, 5, 20, 9, 50), 4),
        "cancelled": await make_meeting(
            b2b, producer, other_distributor, local(2027, 5, 20, 10, 10), 5, request_status="cancelled"
        ),
    }
    mous = {
        "mine": await make_mou(conference, producer, distributor, session=signing, signing_at=local(2027, 5, 20, 14, 0)),
        "theirs": await make_mou(
            conference, other_producer, distributor, session=signing, signing_at=local(2027, 5, 20, 14, 5), status="signed"
        ),
        "withdrawn": await make_mou(
            conference, producer, other_distributor, session=signing, signing_at=local(2027, 5, 20, 14, 10), status="withdrawn"
        ),
        "unscheduled": await make_mou(conference, producer, other_distributor, status="agreed"),
    }
    return World(fair, showroom, conference, producer, other_producer, distributor, other_distributor, rentals, meetings, mous)


async def token_for(user: User, token: str | None = None) -> str:
    token = token or f"tok-{user.id}-{'x' * 40}"
    await User.update({User.feed_token: token}).where(User.id == user.id)
    return token


async def test_a_producer_feed_holds_exactly_its_booths_meetings_and_signing_slots(client, world, host):
    user = await make_user("producer", producer=world.producer)
    response = await client.get(f"/feeds/{await token_for(user)}.ics")

    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="my-ocop-calendar.ics"'
    assert response.headers["cache-control"] == "private, no-store"
    calendar = parse(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Lịch OCOP của tôi"
    assert "HTX Gà Tiên Yên" in str(calendar["X-WR-CALDESC"])
    r, m, o = world.rentals, world.meetings, world.mous
    assert sorted(uids(calendar)) == sorted(
        [
            f"rental-{r['fair'].id}@{host}",
            f"rental-{r['shelf'].id}@{host}",
            f"meeting-{m['mine'].id}@{host}",
            f"mou-{o['mine'].id}@{host}",
        ]
    )
    assert "Nước mắm Cửa Lò" not in response.content.decode()

    entries = by_uid(calendar)
    booth = entries[f"rental-{r['fair'].id}@{host}"]  # a fair's days, as whole days
    assert booth.start == dt.date(2027, 3, 10) and booth.end == dt.date(2027, 3, 15)
    assert str(booth["SUMMARY"]) == "Gian hàng A-01 · Hội chợ OCOP Bắc Trung Bộ"
    assert str(booth["STATUS"]) == "CONFIRMED" and "Khu vực: Khu A" in str(booth["DESCRIPTION"])
    assert str(booth["URL"]).endswith(f"/events/{world.fair['slug']}")

    shelf = entries[f"rental-{r['shelf'].id}@{host}"]  # a showroom slot's rented period
    stored = await BoothRental.select().where(BoothRental.id == r["shelf"].id).first()
    assert shelf.start == stored["starts_on"] and shelf.end == stored["ends_on"] + dt.timedelta(days=1)
    assert str(shelf["SUMMARY"]) == "Kệ hàng K-01 · Điểm OCOP Kim Liên"
    assert str(shelf["STATUS"]) == "TENTATIVE"
    with language("vi"):
        assert f"Trạng thái: {label('rental_status', 'held')}" in str(shelf["DESCRIPTION"])

    meeting = entries[f"meeting-{m['mine'].id}@{host}"]
    stored = await Meeting.select().where(Meeting.id == m["mine"].id).first()
    assert meeting.start == stored["starts_at"] and meeting.end == stored["ends_at"]
    assert meeting.start == local(2027, 5, 20, 9, 30) and meeting.start.tzinfo == VIETNAM
    assert str(meeting["SUMMARY"]) == "Gặp gỡ giao thương với Siêu thị Co.opmart Vinh · Bàn số 3"
    assert str(meeting["LOCATION"]).startswith("Bàn số 3, Sảnh B2B, ")
    assert "Kết nối giao thương B2B" in str(meeting["DESCRIPTION"])
    assert str(meeting["TRANSP"]) == "OPAQUE"

    signing = entries[f"mou-{o['mine'].id}@{host}"]
    stored = await Mou.select().where(Mou.id == o["mine"].id).first()
    assert signing.start == stored["signing_at"] and signing.end == stored["signing_at"] + dt.timedelta(minutes=5)
    assert str(signing["SUMMARY"]) == "Ký biên bản ghi nhớ với Siêu thị Co.opmart Vinh"
    assert "Biên bản ghi nhớ tiêu thụ sản phẩm" in str(signing["DESCRIPTION"])
    assert [tz.tz_name for tz in calendar.timezones] == ["Asia/Ho_Chi_Minh"]


async def test_a_distributor_feed_holds_its_meetings_and_signing_slots(client, world, host):
    user = await make_user("distributor", distributor=world.distributor)
    calendar = parse((await client.get(f"/feeds/{await token_for(user)}.ics")).content)
    m, o = world.meetings, world.mous
    assert uids(calendar) == [
        f"meeting-{m['mine'].id}@{host}",
        f"meeting-{m['theirs'].id}@{host}",
        f"mou-{o['mine'].id}@{host}",
        f"mou-{o['theirs'].id}@{host}",
    ]
    entries = by_uid(calendar)
    assert str(entries[f"meeting-{m['theirs'].id}@{host}"]["SUMMARY"]) == (
        "Gặp gỡ giao thương với HTX Nước mắm Cửa Lò · Bàn số 4"
    )
    assert str(entries[f"mou-{o['theirs'].id}@{host}"]["SUMMARY"]) == "Ký biên bản ghi nhớ với HTX Nước mắm Cửa Lò"

    other = await make_user("distributor", distributor=world.other_distributor)
    # The other distributor's meeting was cancelled and its MoU withdrawn: nothing is left to show.
    assert uids(parse((await client.get(f"/feeds/{await token_for(other)}.ics")).content)) == []


async def test_staff_and_admin_feeds_hold_the_published_events(client, world, host):
    published = await Event.select(Event.id).where(Event.status != "draft").order_by(Event.starts_at)
    for role in ("staff", "admin"):
        user = await make_user(role)
        calendar = parse((await client.get(f"/feeds/{await token_for(user)}.ics")).content)
        assert uids(calendar) == [f"event-{row['id']}@{host}" for row in published]


async def test_the_feed_is_written_in_the_users_language(client, world, host):
    user = await make_user("producer", producer=world.producer)
    await User.update({User.language: "en"}).where(User.id == user.id)
    calendar = parse((await client.get(f"/feeds/{await token_for(user)}.ics")).content)
    entries = by_uid(calendar)
    assert str(calendar["X-WR-CALNAME"]) == "My OCOP calendar"
    assert str(calendar["PRODID"]).endswith("//EN")
    assert str(entries[f"meeting-{world.meetings['mine'].id}@{host}"]["SUMMARY"]) == (
        "Meeting with Siêu thị Co.opmart Vinh · Table 3"
    )
    assert str(entries[f"rental-{world.rentals['shelf'].id}@{host}"]["SUMMARY"]) == "Shelf slot K-01 · Điểm OCOP Kim Liên"


async def test_entries_of_a_cancelled_event_are_marked_cancelled(client, world, host):
    await Event.update({Event.status: "cancelled"}).where(Event.id == world.conference["id"])
    user = await make_user("producer", producer=world.producer)
    entries = by_uid(parse((await client.get(f"/feeds/{await token_for(user)}.ics")).content))
    meeting = entries[f"meeting-{world.meetings['mine'].id}@{host}"]
    assert str(meeting["STATUS"]) == "CANCELLED" and str(meeting["SUMMARY"]).startswith("[Đã hủy] ")
    assert str(entries[f"rental-{world.rentals['fair'].id}@{host}"]["STATUS"]) == "CONFIRMED"


async def test_unknown_malformed_and_inactive_tokens_are_not_found(client, world):
    user = await make_user("producer", producer=world.producer)
    token = await token_for(user)
    paths = (
        f"/feeds/{token}",
        f"/feeds/{token}.ical",
        f"/feeds/{token}%00.ics",
        f"/feeds/{token[:-1]}%25.ics",
        "/feeds/.ics",
        "/feeds/nope.ics",
        f"/feeds/{'a' * 500}.ics",
    )
    for path in paths:
        response = await client.get(path)
        assert response.status_code == 404, path
        assert "Gà Tiên Yên" not in response.text and "BEGIN:VCALENDAR" not in response.text
    unknown = await client.get("/feeds/nope.ics")
    assert "Địa chỉ lịch này không tồn tại." in text_of(unknown.text)

    await User.update({User.is_active: False}).where(User.id == user.id)
    inactive = await client.get(f"/feeds/{token}.ics")
    assert inactive.status_code == 404 and text_of(inactive.text) == text_of(unknown.text)


async def test_a_revoked_or_replaced_address_stops_working(client, world, host):
    await make_user("producer", "an@example.vn", producer=world.producer)
    await login(client, "an@example.vn", PASSWORD)

    made = await post_form(client, "/account/feed-token", {}, page="/account")
    assert made.status_code in (302, 303)
    token = (await User.select(User.feed_token).where(User.email == "an@example.vn").first())["feed_token"]
    assert token and token in (await client.get("/account")).text
    client.cookies.clear()  # a calendar application has no session
    first = await client.get(f"/feeds/{token}.ics")
    assert f"rental-{world.rentals['fair'].id}@{host}" in uids(parse(first.content))

    await login(client, "an@example.vn", PASSWORD)
    await post_form(client, "/account/feed-token", {}, page="/account")
    renewed = (await User.select(User.feed_token).where(User.email == "an@example.vn").first())["feed_token"]
    assert renewed != token
    assert (await client.get(f"/feeds/{token}.ics")).status_code == 404
    assert (await client.get(f"/feeds/{renewed}.ics")).status_code == 200

    revoked = await post_form(client, "/account/feed-token/revoke", {}, page="/account")
    assert revoked.status_code in (302, 303)
    assert (await User.select(User.feed_token).where(User.email == "an@example.vn").first())["feed_token"] is None
    gone = await client.get(f"/feeds/{renewed}.ics")
    assert gone.status_code == 404 and "BEGIN:VCALENDAR" not in gone.text


async def test_a_token_shows_its_owner_whoever_asks(client, world, host):
    """Being logged in as someone else changes nothing: the address alone decides."""
    owner = await make_user("producer", producer=world.producer)
    await make_user("producer", "nuocmam@example.vn", producer=world.other_producer)
    await login(client, "nuocmam@example.vn", PASSWORD)
    calendar = parse((await client.get(f"/feeds/{await token_for(owner)}.ics")).content)
    assert f"rental-{world.rentals['other_fair'].id}@{host}" not in uids(calendar)
    assert f"rental-{world.rentals['fair'].id}@{host}" in uids(calendar)
