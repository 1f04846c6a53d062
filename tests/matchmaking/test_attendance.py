"""Registering for a connection conference, and the matchmaking panel of its page."""

import datetime as dt

from events_app.events.tables import Attendance
from events_app.matchmaking.tables import MeetingRequest
from tests.factories import PASSWORD, make_distributor, make_producer, make_product, make_user
from tests.helpers import login, post_form, text_of
from tests.matchmaking.builders import attend, interest, make_cast, make_conference, now


async def _follow(client, response):
    assert response.status_code in (302, 303), response.text[:300]
    return text_of((await client.get(response.headers["location"])).text)


def _refused(response, status: int) -> str:
    """The event's page shown again, its matchmaking panel telling why the form was refused."""
    assert response.status_code == status, response.text[:300]
    return text_of(response.text)


async def test_an_eligible_producer_registers_and_unregisters(client):
    conference = await make_conference()
    producer = await make_producer("HTX Chè Thanh Chương", province="Nghệ An")
    await make_product(producer, "Chè xanh", group="beverages", stars=4)
    await make_user("producer", "sx@test.example", producer=producer)
    await login(client, "sx@test.example", PASSWORD)

    page = text_of((await client.get(f"/events/{conference.slug}")).text)
    assert "0 chủ thể OCOP tham dự" in page
    response = await post_form(client, f"/events/{conference.slug}/register", {}, page=f"/events/{conference.slug}")
    page = await _follow(client, response)
    assert "Bạn đã đăng ký tham dự hội nghị này." in page
    assert "1 chủ thể OCOP tham dự" in page and "Bạn đã đăng ký" in page
    row = await Attendance.objects().where(Attendance.producer == producer.id).first()
    assert row.status == "registered" and row.event == conference.event.id

    again = _refused(await post_form(client, f"/events/{conference.slug}/register", {}), 409)
    assert "Bạn đã đăng ký hội nghị này rồi." in again and "1 chủ thể OCOP tham dự" in again
    assert await Attendance.count() == 1

    page = await _follow(client, await post_form(client, f"/events/{conference.slug}/unregister", {}))
    assert "Bạn không còn đăng ký tham dự hội nghị này." in page and "0 chủ thể OCOP tham dự" in page
    assert (await Attendance.objects().where(Attendance.producer == producer.id).first()).status == "cancelled"

    await post_form(client, f"/events/{conference.slug}/register", {})
    assert (await Attendance.objects().where(Attendance.producer == producer.id).first()).status == "registered"


async def test_an_ineligible_producer_is_told_every_reason(client):
    conference = await make_conference(min_stars=4)
    producer = await make_producer("HTX Gà Tiên Yên", province="Quảng Ninh", producer_type="cooperative")
    await make_product(producer, "Gà Tiên Yên", group="food", stars=3, certified_on=dt.date(2023, 6, 15))
    await make_product(producer, "Trứng gà", group="food", stars=3)
    await make_user("producer", "gty@test.example", producer=producer)
    await login(client, "gty@test.example", PASSWORD)

    page = _refused(await post_form(client, f"/events/{conference.slug}/register", {}), 400)
    assert "Bạn không thể đăng ký tham dự hội nghị này:" in page
    assert "Quảng Ninh" in page and "15/06/2026" in page
    assert "Đăng ký tham dự hội nghị" in page  # the registration form is still there to try again
    await post_form(client, "/language", {"language": "en", "next": "/"})
    page = _refused(await post_form(client, f"/events/{conference.slug}/register", {}), 400)
    assert "You cannot register for this conference:" in page
    assert "Producers from Quảng Ninh are not admitted to this event." in page
    assert "Gà Tiên Yên: its certificate expired on 15/06/2026." in page
    assert "Gà Tiên Yên: 3 stars, the event asks for at least 4." in page
    assert "Trứng gà: 3 stars, the event asks for at least 4." in page
    assert await Attendance.count() == 0


async def test_a_producer_without_products_or_outside_the_window_is_refused(client):
    conference = await make_conference(window=(now() - dt.timedelta(days=20), now() - dt.timedelta(days=2)))
    producer = await make_producer("HTX Mới", province="Nghệ An")
    await make_user("producer", "moi@test.example", producer=producer)
    await login(client, "moi@test.example", PASSWORD)
    await post_form(client, "/language", {"language": "en", "next": "/"})
    page = _refused(await post_form(client, f"/events/{conference.slug}/register", {}), 400)
    assert "Applications closed on" in page
    assert "Add your OCOP products first" in page
    assert await Attendance.count() == 0


async def test_a_distributor_registers_while_the_window_is_open(client):
    conference = await make_conference()
    closed = await make_conference("hoi-nghi-da-dong", window=(now() - dt.timedelta(days=9), now() - dt.timedelta(days=1)))
    distributor = await make_distributor("Siêu thị Huế")
    await make_user("distributor", "hue@test.example", distributor=distributor)
    await login(client, "hue@test.example", PASSWORD)
    page = await _follow(client, await post_form(client, f"/events/{conference.slug}/register", {}))
    assert "Bạn đã đăng ký tham dự hội nghị này." in page and "1 nhà phân phối tham dự" in page
    page = _refused(await post_form(client, f"/events/{closed.slug}/register", {}), 400)
    assert "Bạn không thể đăng ký tham dự hội nghị này:" in page
    assert await Attendance.count() == 1


async def test_only_conferences_take_registrations(client):
    fair = await make_conference("hoi-cho-ocop", kind="fair")
    distributor = await make_distributor("Siêu thị Vinh")
    await make_user("distributor", "vinh@test.example", distributor=distributor)
    await login(client, "vinh@test.example", PASSWORD)
    page = _refused(await post_form(client, f"/events/{fair.slug}/register", {}), 400)  # no form: an error page
    assert "Chỉ hội nghị kết nối cung cầu mới có kết nối giao thương" in page
    assert "chủ thể OCOP tham dự" not in text_of((await client.get(f"/events/{fair.slug}")).text)
    assert (await post_form(client, "/events/khong-co/register", {})).status_code == 404
    draft = await make_conference("ban-nhap", status="draft")
    assert (await post_form(client, f"/events/{draft.slug}/register", {})).status_code == 404
    assert await Attendance.count() == 0


async def test_unregistering_cancels_open_meeting_requests(client):
    cast = await make_cast()
    slug = cast.conference.slug
    for other in (cast.distributor, cast.distributor2):
        await MeetingRequest.insert(MeetingRequest(
            event=cast.conference.event.id, producer=cast.producer.id, distributor=other.id, requested_by="producer",
        ))
    await login(client, "sx1@test.example", PASSWORD)
    page = await _follow(client, await post_form(client, f"/events/{slug}/unregister", {}))
    assert "Đã hủy 2 yêu cầu gặp gỡ." in page
    assert set(await MeetingRequest.select(MeetingRequest.status).output(as_list=True)) == {"cancelled"}


async def test_the_panel_shows_counts_and_the_top_matches(client):
    cast = await make_cast()
    slug = cast.conference.slug
    visitor = text_of((await client.get(f"/events/{slug}")).text)
    assert "2 chủ thể OCOP tham dự" in visitor and "2 nhà phân phối tham dự" in visitor
    assert "Đăng nhập để đăng ký" in visitor

    await login(client, "pp2@test.example", PASSWORD)
    page = text_of((await client.get(f"/events/{slug}")).text)
    assert "Đối tác phù hợp nhất" in page
    assert "HTX Trà Con Cuông" in page and "HTX Cà phê Buôn Ma Thuột" not in page  # herbal from the North Central coast only
    assert "Nấm linh chi: Thảo dược 5★ từ Nghệ An" in page


async def test_a_distributor_without_interests_sees_no_match_but_may_still_ask(client):
    cast = await make_cast()
    newcomer = await make_distributor("Sàn TMĐT Mới")
    await interest(newcomer, group_code="textiles", min_stars=5)
    await attend(cast.conference.event.id, distributor=newcomer)
    await make_user("distributor", "moi@test.example", distributor=newcomer)
    await login(client, "moi@test.example", PASSWORD)
    page = text_of((await client.get(f"/events/{cast.conference.slug}/matches")).text)
    assert "Chưa có chủ thể OCOP tham dự nào phù hợp nhu cầu thu mua của bạn." in page
    assert "Những người tham dự khác" in page and "HTX Trà Con Cuông" in page
