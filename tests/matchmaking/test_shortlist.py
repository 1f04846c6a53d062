"""A distributor's shortlist, required certifications in the match, and who sent a request, through the pages."""

import datetime as dt

from events_app.directory.tables import Certification, Product, ShortlistEntry, SourcingInterest
from events_app.matchmaking.tables import MeetingRequest
from tests.factories import PASSWORD
from tests.helpers import login, post_form, text_of
from tests.matchmaking.builders import make_cast


async def _login(client, email):
    client.cookies.clear()
    await login(client, email, PASSWORD)


async def _product(name):
    return await Product.objects().where(Product.name == name).first()


async def test_a_distributor_shortlists_from_the_product_page_and_asks_its_producer_for_a_meeting(client):
    cast = await make_cast()
    tea = await _product("Trà linh chi")
    await _login(client, "pp1@test.example")
    page = await client.get(f"/products/{tea.slug}")
    assert "Thêm vào danh sách quan tâm" in text_of(page.text)
    response = await post_form(client, "/my/shortlist/add", {"product_id": str(tea.id), "next": f"/products/{tea.slug}"})
    assert response.status_code in (302, 303) and response.headers["location"] == f"/products/{tea.slug}"
    again = await post_form(client, "/my/shortlist/add", {"product_id": str(tea.id)})  # twice is once
    assert again.status_code in (302, 303)
    rows = await ShortlistEntry.select().where(ShortlistEntry.distributor == cast.distributor.id)
    assert [row["product"] for row in rows] == [tea.id]
    assert "Bỏ khỏi danh sách quan tâm" in text_of((await client.get(f"/products/{tea.slug}")).text)

    listing = text_of((await client.get("/my/shortlist")).text)
    assert "Trà linh chi" in listing and "HTX Trà Con Cuông" in listing
    assert cast.conference.event.title_vi in listing  # both attend it: a meeting can be asked for there
    response = await post_form(client, f"/my/shortlist/{tea.id}/request", {
        "event_id": str(cast.conference.event.id), "message": "Về trà linh chi",
    })
    assert response.status_code in (302, 303), response.text[:300]
    request = await MeetingRequest.objects().first()
    assert (request.producer, request.distributor, request.requested_by, request.message) == (
        cast.producer.id, cast.distributor.id, "distributor", "Về trà linh chi")

    # The producer sees it as sent to it, and the distributor's shortlist makes the interest mutual once accepted.
    await _login(client, "sx1@test.example")
    await client.get(f"/events/{cast.conference.slug}/matches")
    await post_form(client, f"/my/meetings/{request.id}/accept", {})
    page = text_of((await client.get(f"/events/{cast.conference.slug}/matches")).text)
    assert "Quan tâm hai chiều: cả hai bên đều muốn gặp" in page

    await _login(client, "pp1@test.example")
    response = await post_form(client, "/my/shortlist/remove", {"product_id": str(tea.id)})
    assert response.status_code in (302, 303)
    assert await ShortlistEntry.count() == 0
    assert "Danh sách quan tâm còn trống." in text_of((await client.get("/my/shortlist")).text)


async def test_hostile_shortlist_input_is_refused_with_a_reason(client):
    cast = await make_cast()
    tea = await _product("Trà linh chi")
    await _login(client, "pp1@test.example")
    response = await post_form(client, "/my/shortlist/add", {"product_id": str(2**31)})
    assert response.status_code == 400 and "Nhập số không lớn hơn 2147483647." in text_of(response.text)
    response = await post_form(client, "/my/shortlist/add", {"product_id": "abc"})
    assert response.status_code == 400
    assert (await post_form(client, "/my/shortlist/add", {"product_id": "999999"})).status_code == 404
    await post_form(client, "/my/shortlist/add", {"product_id": str(tea.id)})
    response = await post_form(client, f"/my/shortlist/{tea.id}/request", {"event_id": str(2**31)})
    assert response.status_code == 400
    response = await post_form(client, f"/my/shortlist/{tea.id}/request", {"event_id": "999999"})
    assert response.status_code == 400 and "Chọn một hội nghị mà cả hai bên cùng tham dự." in text_of(response.text)
    assert await MeetingRequest.count() == 0
    # Producers keep no shortlist.
    await _login(client, "sx1@test.example")
    assert (await client.get("/my/shortlist")).status_code == 403
    assert cast


async def test_a_required_certification_decides_the_match_and_the_page_says_why(client):
    cast = await make_cast()
    await SourcingInterest.update({SourcingInterest.certification_kinds: "vietgap"}).where(
        SourcingInterest.distributor == cast.distributor.id)
    await _login(client, "pp1@test.example")
    page = text_of((await client.get(f"/events/{cast.conference.slug}/matches")).text)
    assert "chưa có chứng nhận VietGAP được yêu cầu" in page
    assert "không đề xuất" in page

    today = dt.date.today()
    await Certification(producer=cast.producer.id, kind="vietgap", number="VG-01-2025",
                        valid_from=today - dt.timedelta(days=300), valid_until=today + dt.timedelta(days=700)).save()
    page = text_of((await client.get(f"/events/{cast.conference.slug}/matches")).text)
    assert "Trà linh chi: Đồ uống 4★ từ Nghệ An, phù hợp nhu cầu của bạn về đồ uống từ 4★ trở lên" in page
    assert "Trà linh chi, cho nhu cầu" not in page  # no longer kept out
    assert page.index("HTX Trà Con Cuông") < page.index("Cà phê rang xay, cho nhu cầu")  # passing first


async def test_a_request_the_producer_sent_reads_as_theirs_on_the_distributors_matches(client):
    cast = await make_cast()
    await _login(client, "sx1@test.example")
    await client.get(f"/events/{cast.conference.slug}/matches")
    await post_form(client, f"/events/{cast.conference.slug}/meeting-requests", {"party": str(cast.distributor.id)})
    await _login(client, "pp1@test.example")
    response = await client.get(f"/events/{cast.conference.slug}/matches")
    page = text_of(response.text)
    assert "HTX Trà Con Cuông đã gửi yêu cầu cho bạn" in page
    assert '<a href="/my/meetings">Nhận lời</a> · <a href="/my/meetings">Từ chối</a>' in response.text
    card = page[page.index("HTX Trà Con Cuông"):]
    card = card[:card.index("HTX Cà phê") if "HTX Cà phê" in card else len(card)]
    assert "Đã gửi yêu cầu" not in card.replace("đã gửi yêu cầu cho bạn", "")


async def test_an_interest_requires_certifications_channels_and_a_volume_as_choices(client):
    cast = await make_cast()
    await _login(client, "pp1@test.example")
    response = await post_form(client, "/my/interests/new", {
        "min_stars": "3", "certification_kinds": ["vietgap", "haccp"], "channels": "supermarket",
        "min_monthly_volume": "2", "volume_unit": "tonne", "required_certifications": "VietGAP cho rau, HACCP cho đồ khô",
        "is_active": "1",
    })
    assert response.status_code == 302, response.text[:300]
    row = await SourcingInterest.objects().where(SourcingInterest.distributor == cast.distributor.id).order_by(
        SourcingInterest.id, ascending=False).first()
    assert (row.certification_kinds, row.channels, row.min_monthly_volume, row.volume_unit) == (
        "haccp,vietgap", "supermarket", 2, "tonne")
    listing = text_of((await client.get("/my/interests")).text)
    assert "HACCP VietGAP VietGAP cho rau, HACCP cho đồ khô" in listing and "tối thiểu 2 tấn mỗi tháng" in listing
    edit = await client.get(f"/my/interests/{row.id}/edit")
    assert 'value="haccp" checked' in edit.text and 'value="tonne" selected' in edit.text

    for changes, field, message in (
        ({"min_monthly_volume": str(2**31)}, "min_monthly_volume", "Nhập số không lớn hơn 1000000."),
        ({"min_monthly_volume": "0"}, "min_monthly_volume", "Nhập số không nhỏ hơn 1."),
        ({"certification_kinds": "iso9001"}, "certification_kinds", "Chọn trong các lựa chọn có sẵn."),
        ({"volume_unit": "bao"}, "volume_unit", "Chọn một trong các lựa chọn."),
    ):
        response = await post_form(client, "/my/interests/new", {"min_stars": "3", **changes})
        assert response.status_code == 400, changes
        assert message in text_of(response.text), changes
    assert await SourcingInterest.count() == 3  # the two of the cast and the one above
