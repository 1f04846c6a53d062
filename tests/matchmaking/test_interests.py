"""A distributor keeps its sourcing interests at /my/interests."""

from events_app.directory.tables import SourcingInterest
from tests.factories import PASSWORD, make_distributor, make_user
from tests.helpers import login, post_form, text_of
from tests.matchmaking.builders import group, interest, province_row, region_id


async def _distributor(client, email="pp@test.example"):
    distributor = await make_distributor("Siêu thị Đà Nẵng")
    await make_user("distributor", email, distributor=distributor)
    await login(client, email, PASSWORD)
    return distributor


async def test_add_edit_and_delete_an_interest(client):
    distributor = await _distributor(client)
    empty = await client.get("/my/interests")
    assert "Bạn chưa cho biết mình thu mua gì." in text_of(empty.text)

    form = await client.get("/my/interests/new")
    assert form.status_code == 200 and "Tây Nguyên" in form.text
    response = await post_form(client, "/my/interests/new", {
        "group_id": str(await group("beverages")), "min_stars": "4",
        "place": f"region:{await region_id('Tây Nguyên')}", "required_certifications": "VietGAP",
        "volume": "5.000 chai/quý", "is_active": "1",
    })
    assert response.status_code == 302 and response.headers["location"] == "/my/interests"
    row = await SourcingInterest.objects().where(SourcingInterest.distributor == distributor.id).first()
    assert (row.group, row.min_stars, row.region, row.province) == (await group("beverages"), 4, await region_id("Tây Nguyên"), None)
    assert row.required_certifications == "VietGAP" and row.volume == "5.000 chai/quý" and row.is_active

    listing = text_of((await client.get("/my/interests")).text)
    assert "Đồ uống" in listing and "4★+" in listing and "Tây Nguyên" in listing and "5.000 chai/quý" in listing

    edit = await client.get(f"/my/interests/{row.id}/edit")
    assert 'value="4" selected' in edit.text
    nghe_an = (await province_row("Nghệ An"))["id"]
    response = await post_form(client, f"/my/interests/{row.id}/edit", {
        "group_id": "", "min_stars": "3", "place": f"province:{nghe_an}", "volume": "", "required_certifications": "",
    })
    assert response.status_code == 302
    row = await SourcingInterest.objects().where(SourcingInterest.id == row.id).first()
    assert (row.group, row.min_stars, row.province, row.region, row.is_active) == (None, 3, nghe_an, None, False)
    listing = text_of((await client.get("/my/interests")).text)
    assert "Mọi nhóm sản phẩm" in listing and "Nghệ An" in listing and "Tạm dừng" in listing

    response = await post_form(client, f"/my/interests/{row.id}/delete", {})
    assert response.status_code == 302
    assert await SourcingInterest.count() == 0


async def test_bad_input_is_shown_next_to_the_fields_and_nothing_is_saved(client):
    await _distributor(client)
    response = await post_form(client, "/my/interests/new", {
        "group_id": "999999", "min_stars": "7", "place": "province:abc", "volume": "x" * 201,
    })
    assert response.status_code == 400
    page = text_of(response.text)
    assert "Vui lòng sửa các trường được đánh dấu." in page
    assert "Chọn 3, 4 hoặc 5 sao." in page
    assert page.count("Chọn một trong các lựa chọn.") == 2
    assert "Dùng tối đa 200 ký tự." in page
    assert await SourcingInterest.count() == 0

    response = await post_form(client, "/my/interests/new", {"min_stars": "bốn"})
    assert response.status_code == 400 and "Nhập một số nguyên." in text_of(response.text)
    assert await SourcingInterest.count() == 0


async def test_another_distributors_interest_is_not_found(client):
    other = await make_distributor("Nhà phân phối khác")
    theirs = await interest(other, group_code="food", min_stars=5)
    await _distributor(client)
    assert (await client.get(f"/my/interests/{theirs.id}/edit")).status_code == 404
    response = await post_form(client, f"/my/interests/{theirs.id}/edit", {"min_stars": "3"})
    assert response.status_code == 404
    response = await post_form(client, f"/my/interests/{theirs.id}/delete", {})
    assert response.status_code == 404
    row = await SourcingInterest.objects().where(SourcingInterest.id == theirs.id).first()
    assert row.min_stars == 5
    assert "Thực phẩm" not in text_of((await client.get("/my/interests")).text)
