"""/my/organisation: producers and distributors keep their own profile."""

from events_app.core.audit import AuditLog
from events_app.directory.tables import Distributor, Producer, Product
from tests.factories import PASSWORD, make_product, make_user, province_id
from tests.helpers import login, post_form, text_of

PROFILE = {
    "name": "HTX Chè Thanh Chương Xanh",
    "organisation_type": "cooperative",
    "address": "Xã Thanh Chương, Nghệ An",
    "phone": "+84 238 3 123 456",
    "email": "Lienhe@CheThanhChuong.vn",
    "website": "https://chethanhchuong.vn",
    "description": "Chè xanh trồng trên đồi Thanh Chương.",
}


async def test_producer_sees_and_saves_its_profile(producer_client, producer):
    page = await producer_client.get("/my/organisation")
    assert page.status_code == 200
    assert 'value="HTX Chè Thanh Chương"' in page.text
    assert "Đơn vị của tôi" in text_of(page.text)

    data = {**PROFILE, "province_id": str(await province_id("Hà Tĩnh"))}
    response = await post_form(producer_client, "/my/organisation", data, page="/my/organisation")
    assert response.status_code == 302 and response.headers["location"] == "/my/organisation"

    row = await Producer.objects().where(Producer.id == producer.id).first()
    assert (row.name, row.producer_type, row.province, row.address) == (
        "HTX Chè Thanh Chương Xanh", "cooperative", await province_id("Hà Tĩnh"), "Xã Thanh Chương, Nghệ An"
    )
    assert (row.phone, row.email, row.website) == ("+84 238 3 123 456", "lienhe@chethanhchuong.vn", "https://chethanhchuong.vn")
    assert row.slug == "htx-che-thanh-chuong"  # the public address does not move with the name
    assert "Đã lưu hồ sơ đơn vị." in text_of((await producer_client.get("/my/organisation")).text)
    assert await AuditLog.exists().where((AuditLog.action == "organisation.update") & (AuditLog.target_id == producer.id))


async def test_renaming_or_moving_a_producer_updates_its_products_search_text(producer_client, producer):
    product = await make_product(producer, "Chè búp khô")
    data = {**PROFILE, "name": "Hợp tác xã Đồi Chè", "province_id": str(await province_id("Hà Tĩnh"))}
    await post_form(producer_client, "/my/organisation", data, page="/my/organisation")
    text = await Product.select(Product.search_text).where(Product.id == product.id).first()
    assert "hop tac xa doi che" in text["search_text"] and "ha tinh" in text["search_text"]
    assert "thanh chuong" not in text["search_text"]
    found = text_of((await producer_client.get("/products?q=doi che ha tinh")).text)
    assert "Chè búp khô" in found


async def test_profile_errors_are_shown_and_nothing_is_saved(producer_client, producer):
    data = {
        "name": "",
        "organisation_type": "wholesaler",
        "province_id": "99999",
        "phone": "call me maybe",
        "email": "not-an-address",
        "website": "javascript:alert(1)",
        "address": "x" * 301,
    }
    response = await post_form(producer_client, "/my/organisation", data, page="/my/organisation")
    assert response.status_code == 400
    text = text_of(response.text)
    assert "Vui lòng sửa các trường được đánh dấu." in text
    assert "Trường này là bắt buộc." in text
    assert "Chọn tỉnh, thành phố của bạn." in text
    assert "Nhập số điện thoại: chỉ gồm chữ số, dấu cách và + ( ) . -" in text
    assert "Nhập một địa chỉ e-mail hợp lệ." in text
    assert "Nhập địa chỉ web bắt đầu bằng http:// hoặc https://." in text
    assert "Dùng tối đa 300 ký tự." in text
    assert 'value="call me maybe"' in response.text  # what was typed is kept
    row = await Producer.objects().where(Producer.id == producer.id).first()
    assert row.name == "HTX Chè Thanh Chương" and row.phone == "" and row.producer_type == "cooperative"


async def test_a_former_province_on_the_certificate_stays_only_within_its_new_province(producer_client, producer):
    await Producer.update({Producer.province: await province_id("Cà Mau"), Producer.province_as_written: "Bạc Liêu"}).where(
        Producer.id == producer.id
    )
    page = await producer_client.get("/my/organisation")
    assert "Trên giấy chứng nhận của bạn, tỉnh được ghi là Bạc Liêu." in text_of(page.text)

    await post_form(producer_client, "/my/organisation", {**PROFILE, "province_id": str(await province_id("Cà Mau"))}, page="/my/organisation")
    assert (await Producer.select(Producer.province_as_written).where(Producer.id == producer.id).first())["province_as_written"] == "Bạc Liêu"

    await post_form(producer_client, "/my/organisation", {**PROFILE, "province_id": str(await province_id("Nghệ An"))}, page="/my/organisation")
    assert (await Producer.select(Producer.province_as_written).where(Producer.id == producer.id).first())["province_as_written"] == ""


async def test_distributor_saves_its_profile_without_producer_fields(distributor_client, distributor):
    page = await distributor_client.get("/my/organisation")
    assert 'value="Siêu thị Đà Nẵng"' in page.text
    assert 'name="phone"' not in page.text and "Loại hình nhà phân phối" in text_of(page.text)

    data = {
        "name": "Siêu thị Đà Nẵng Xanh",
        "organisation_type": "wholesaler",
        "province_id": str(await province_id("Đà Nẵng")),
        "address": "Phường Hải Châu",
        "website": "http://sieuthidanang.vn",
        "description": "Bán buôn đặc sản miền Trung.",
    }
    response = await post_form(distributor_client, "/my/organisation", data, page="/my/organisation")
    assert response.status_code == 302
    row = await Distributor.objects().where(Distributor.id == distributor.id).first()
    assert (row.name, row.distributor_type, row.website) == ("Siêu thị Đà Nẵng Xanh", "wholesaler", "http://sieuthidanang.vn")
    assert row.province == await province_id("Đà Nẵng")

    # A distributor may leave its province empty ("nationwide") but not pick an unknown one.
    response = await post_form(distributor_client, "/my/organisation", {**data, "province_id": ""}, page="/my/organisation")
    assert response.status_code == 302
    assert (await Distributor.select(Distributor.province).where(Distributor.id == distributor.id).first())["province"] is None
    response = await post_form(distributor_client, "/my/organisation", {**data, "organisation_type": "cooperative"}, page="/my/organisation")
    assert response.status_code == 400 and "Chọn một trong các lựa chọn." in text_of(response.text)


async def test_only_participants_have_an_organisation_page(client):
    response = await client.get("/my/organisation")
    assert response.status_code == 302 and response.headers["location"].startswith("/login")

    await make_user("staff", "canbo@example.vn")
    await login(client, "canbo@example.vn", PASSWORD)
    response = await client.get("/my/organisation")
    assert response.status_code == 403 and "Bạn không thể mở trang này" in text_of(response.text)
    response = await post_form(client, "/my/organisation", PROFILE, page="/account")
    assert response.status_code == 403

