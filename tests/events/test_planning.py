"""J1: staff plan venues, halls, events with their rules, the programme and opening hours."""

import json

from events_app.core.audit import AuditLog
from events_app.booths.tables import BoothApplication
from events_app.events.tables import Event, Hall, OpeningHours, Session, Venue
from events_app.reference.tables import ProductGroup, Province, Region
from tests.events.conftest import make_event, make_venue
from tests.factories import make_producer
from tests.helpers import post_form, text_of


async def _province(name: str) -> int:
    return (await Province.select(Province.id).where(Province.name == name).first())["id"]


async def test_staff_create_a_venue_with_halls(staff_client):
    client = staff_client
    response = await post_form(client, "/staff/venues/new", {"name": "", "province_id": ""})
    assert response.status_code == 400
    text = text_of(response.text)
    assert text.count("Trường này là bắt buộc.") == 2

    response = await post_form(client, "/staff/venues/new", {"name": "Cung Văn hóa Vinh", "province_id": await _province("Nghệ An"), "address": "Phường Vinh"})
    assert response.status_code == 302
    venue = await Venue.objects().where(Venue.name == "Cung Văn hóa Vinh").first()
    assert venue.slug == "cung-van-hoa-vinh" and venue.address == "Phường Vinh"

    response = await post_form(client, f"/staff/venues/{venue.id}/halls", {"hall_name": "Sảnh chính", "width": "30", "depth": "0"})
    assert response.status_code == 400 and "Nhập kích thước từ 1 đến 1000 mét." in text_of(response.text)
    await post_form(client, f"/staff/venues/{venue.id}/halls", {"hall_name": "Sảnh chính", "width": "30", "depth": "20"})
    response = await post_form(client, f"/staff/venues/{venue.id}/halls", {"hall_name": "Sảnh chính", "width": "10", "depth": "10"})
    assert "Địa điểm này đã có khu vực trùng tên." in text_of(response.text)
    halls = await Hall.select(Hall.name, Hall.width, Hall.depth).where(Hall.venue == venue.id)
    assert halls == [{"name": "Sảnh chính", "width": 30, "depth": 20}]
    page = await client.get(f"/staff/venues/{venue.id}")
    assert "Sảnh chính" in page.text


async def test_staff_create_a_fair_with_rules_and_publish_it(staff_client):
    client = staff_client
    venue = await make_venue()
    food = (await ProductGroup.select(ProductGroup.id).where(ProductGroup.code == "food").first())["id"]
    tay_nguyen = (await Region.select(Region.id).where(Region.name == "Tây Nguyên").first())["id"]
    form = {
        "kind": "fair", "title_vi": "Hội chợ Nông sản Vinh 2027", "title_en": "Vinh Farm Fair 2027",
        "venue_id": venue.id, "starts_at": "2027-01-10T08:00", "ends_at": "2027-01-14T21:00",
        "application_opens_at": "2026-11-20T08:00", "application_closes_at": "2027-01-05T17:00",
        "min_stars": "4", "groups": ["food"], "regions": [str(tay_nguyen)],
        "provinces": [str(await _province("Nghệ An"))], "producer_types": ["cooperative", "enterprise"],
        "organiser": "Sở Công Thương Nghệ An",
    }
    response = await post_form(client, "/staff/events/new", form)
    assert response.status_code == 302, text_of(response.text)
    event = await Event.objects().where(Event.slug == "hoi-cho-nong-san-vinh-2027").first()
    assert event.status == "draft" and event.kind == "fair"
    assert event.starts_at.isoformat() == "2027-01-10T01:00:00+00:00"  # 08:00 in Vietnam
    assert _ids(event.eligible_groups) == [food] and _ids(event.eligible_regions) == [tay_nguyen]
    assert _ids(event.eligible_provinces) == [await _province("Nghệ An")]
    assert sorted(json.loads(event.eligible_producer_types) if isinstance(event.eligible_producer_types, str)
                  else event.eligible_producer_types) == ["cooperative", "enterprise"]
    assert event.min_stars == 4 and event.province == venue.province

    # A draft is not public.
    assert (await client.get("/events/hoi-cho-nong-san-vinh-2027")).status_code == 404
    assert "Hội chợ Nông sản Vinh 2027" not in text_of((await client.get("/events?month=2027-01")).text)

    response = await post_form(client, f"/staff/events/{event.id}/status", {"action": "publish"})
    assert response.status_code == 302
    assert (await Event.select(Event.status).where(Event.id == event.id).first())["status"] == "published"
    page = text_of((await client.get("/events/hoi-cho-nong-san-vinh-2027")).text)
    assert "Sản phẩm từ 4 sao trở lên" in page and "Thực phẩm" in page and "Tây Nguyên" in page and "Hợp tác xã" in page
    assert "Hội chợ Nông sản Vinh 2027" in text_of((await client.get("/events?month=2027-01")).text)
    calendar = (await client.get("/calendar?month=2027-01")).text
    assert calendar.count('kind-fair" href="/events/hoi-cho-nong-san-vinh-2027"') == 5  # one link on each of its five days
    assert await AuditLog.exists().where((AuditLog.action == "event.publish") & (AuditLog.target_id == event.id))


def _ids(value) -> list[int]:
    return sorted(json.loads(value) if isinstance(value, str) else value)


async def test_event_form_refuses_bad_dates_and_keeps_what_was_typed(staff_client):
    venue = await make_venue()
    form = {
        "kind": "conference", "title_vi": "Hội nghị kết nối", "venue_id": venue.id,
        "starts_at": "2027-01-10T08:00", "ends_at": "2027-01-09T17:00",
        "application_opens_at": "2027-01-05T08:00", "application_closes_at": "2027-01-01T08:00",
        "min_stars": "7", "groups": ["food", "no-such-group"],
    }
    response = await post_form(staff_client, "/staff/events/new", form)
    assert response.status_code == 400
    text = text_of(response.text)
    assert "Nhập số không lớn hơn 5." in text
    assert "Chọn trong các lựa chọn có sẵn." in text
    assert 'value="Hội nghị kết nối"' in response.text
    form.update(min_stars="4", groups=["food"])
    response = await post_form(staff_client, "/staff/events/new", form)
    text = text_of(response.text)
    assert "Sự kiện không thể kết thúc trước khi bắt đầu." in text
    assert "Hạn nhận đơn không thể đóng trước khi mở." in text
    assert await Event.count() == 0


async def test_status_transitions(staff_client):
    event = await make_event(status="draft")
    # A step the status does not allow is refused on the event's page, by its buttons (409), not after a redirect.
    for action, expected, status_code in [
        ("close", "draft", 409), ("publish", "published", 302), ("reopen", "published", 409), ("close", "closed", 302),
        ("reopen", "published", 302), ("cancel", "cancelled", 302), ("publish", "cancelled", 409),
    ]:
        response = await post_form(staff_client, f"/staff/events/{event.id}/status", {"action": action})
        assert response.status_code == status_code, action
        if status_code == 409:
            assert "Không thể thực hiện thao tác này với trạng thái hiện tại của sự kiện." in text_of(response.text)
        assert (await Event.select(Event.status).where(Event.id == event.id).first())["status"] == expected, action
    page = text_of((await staff_client.get(f"/staff/events/{event.id}")).text)
    assert "Đã hủy" in page


async def test_a_hall_with_booths_is_kept_and_the_reason_shown_by_its_delete_button(staff_client):
    from events_app.booths.tables import Booth

    event = await make_event()
    hall = await Hall.objects().where(Hall.venue == event.venue).first()
    booth = Booth(event=event.id, hall=hall.id, code="A01")
    await booth.save()
    url = f"/staff/venues/{event.venue}/halls/{hall.id}/delete"

    response = await post_form(staff_client, url, {})
    assert response.status_code == 409
    delete_cell = response.text.split(f'action="{url}"', 1)[1].split("</td>", 1)[0]
    assert "Khu vực này đang có gian hàng: hãy xóa các gian hàng khỏi sơ đồ trước." in text_of(delete_cell)
    assert f'value="{hall.name}"' in response.text  # the hall's row still shows the hall as it is
    assert await Hall.exists().where(Hall.id == hall.id)

    await booth.remove()
    response = await post_form(staff_client, url, {})
    assert response.status_code == 302 and response.headers["location"] == f"/staff/venues/{event.venue}"
    assert not await Hall.exists().where(Hall.id == hall.id)


async def test_unpublish_is_refused_once_producers_applied(staff_client):
    event = await make_event()
    producer = await make_producer()
    await BoothApplication(event=event.id, producer=producer.id).save()
    response = await post_form(staff_client, f"/staff/events/{event.id}/status", {"action": "unpublish"})
    assert response.status_code == 409
    assert 'class="error" role="alert">Đã có chủ thể đăng ký' in response.text  # by the status buttons, not a flash
    assert "Đã có chủ thể đăng ký" not in text_of((await staff_client.get(f"/staff/events/{event.id}")).text)
    assert (await Event.select(Event.status).where(Event.id == event.id).first())["status"] == "published"


async def test_programme_refuses_overlapping_sessions_in_one_room(staff_client):
    event = await make_event(kind="conference", days=1)
    url = f"/staff/events/{event.id}/sessions"
    plenary = {"title": "Phiên toàn thể", "kind": "plenary", "room": "Hội trường A",
               "starts_at": "2026-12-17T08:00", "ends_at": "2026-12-17T09:30"}
    assert (await post_form(staff_client, url, plenary)).status_code == 302
    clash = {"title": "Tọa đàm", "kind": "other", "room": "Hội trường A",
             "starts_at": "2026-12-17T09:00", "ends_at": "2026-12-17T10:00"}
    response = await post_form(staff_client, url, clash)
    assert response.status_code == 409
    assert "Hội trường A đã được dùng cho “Phiên toàn thể” từ 17/12/2026 08:00 đến 09:30." in text_of(response.text)
    # Another room at the same time is fine; so is the same room right after.
    assert (await post_form(staff_client, url, {**clash, "room": "Phòng 2"})).status_code == 302
    assert (await post_form(staff_client, url, {**clash, "starts_at": "2026-12-17T09:30"})).status_code == 302
    # Outside the event's dates, or a B2B block without tables, is refused.
    response = await post_form(staff_client, url, {**plenary, "room": "", "starts_at": "2026-12-20T08:00", "ends_at": "2026-12-20T09:00"})
    assert "Phiên phải diễn ra trong thời gian của sự kiện" in text_of(response.text)
    response = await post_form(staff_client, url, {"title": "B2B", "kind": "b2b", "room": "Sảnh B2B",
                                                   "starts_at": "2026-12-17T10:00", "ends_at": "2026-12-17T12:00"})
    assert "Phiên B2B cần ít nhất một bàn" in text_of(response.text)
    sessions = await Session.select(Session.title, Session.room).where(Session.event == event.id).order_by(Session.starts_at)
    assert [s["title"] for s in sessions] == ["Phiên toàn thể", "Tọa đàm", "Tọa đàm"]

    tham_luan = (await Session.select(Session.id).where(Session.room == "Phòng 2").first())["id"]
    await post_form(staff_client, f"{url}/{tham_luan}", {**clash, "room": "Phòng 2", "title": "Tọa đàm xúc tiến"})
    assert await Session.exists().where(Session.title == "Tọa đàm xúc tiến")
    await post_form(staff_client, f"{url}/{tham_luan}/delete", {})
    assert not await Session.exists().where(Session.id == tham_luan)
    page = text_of((await staff_client.get(f"/events/{event.slug}")).text)
    assert "Phiên toàn thể" in page and "Tọa đàm" in page


async def test_showroom_opening_hours(staff_client):
    event = await make_event(kind="showroom", days=365)
    url = f"/staff/events/{event.id}/opening-hours"
    response = await post_form(staff_client, url, {"open_0": "on", "opens_0": "17:00", "closes_0": "08:00"})
    assert response.status_code == 400 and "Giờ đóng cửa phải sau giờ mở cửa." in text_of(response.text)
    form = {}
    for day in range(1, 7):
        form.update({f"open_{day}": "on", f"opens_{day}": "07:30", f"closes_{day}": "17:30"})
    assert (await post_form(staff_client, url, form)).status_code == 302
    rows = await OpeningHours.select(OpeningHours.weekday, OpeningHours.opens_at).where(OpeningHours.event == event.id)
    assert sorted(r["weekday"] for r in rows) == [1, 2, 3, 4, 5, 6]
    page = text_of((await staff_client.get(f"/events/{event.slug}")).text)
    assert "Thứ Ba 07:30 – 17:30" in page and "Thứ Hai" not in page
