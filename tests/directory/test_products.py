"""/my/products: a producer lists, adds, edits and deletes its own products."""

import datetime as dt

from events_app.core.audit import AuditLog
from events_app.directory.tables import Product
from tests.catalogue.builders import exhibit, make_fair, today
from tests.factories import PASSWORD, group_id, make_producer, make_product, make_user
from tests.helpers import login, post_form, text_of


async def product_form(**changes) -> dict:
    data = {
        "name": "Chè xanh Thanh Chương",
        "group_id": str(await group_id("beverages")),
        "stars": "4",
        "certificate_number": "OCOP-NA-2025-0999",
        "certified_on": "2025-03-31",
        "evaluation_level": "provincial",
        "price": "120.000",
        "unit": "hộp 200 g",
        "description": "Chè búp sao khô.",
        "story": "Đồi chè Thanh Chương bên sông Lam.",
        "traceability_url": "https://truyxuat.example.vn/che-xanh",
    }
    data.update(changes)
    return data


async def test_the_list_shows_ratings_certificates_and_expired_ones(producer_client, producer):
    await make_product(producer, "Chè búp khô", stars=5, certified_on=dt.date(2025, 1, 31))
    await make_product(producer, "Chè vụn cũ", stars=3, certified_on=dt.date(2023, 1, 15))
    other = await make_producer("HTX Khác")
    await make_product(other, "Sản phẩm của người khác")

    text = text_of((await producer_client.get("/my/products")).text)
    assert "Chè búp khô" in text and "Chè vụn cũ" in text
    assert "Sản phẩm của người khác" not in text
    assert "★★★★★ Thực phẩm" in text
    # Valid until = certified on + 36 months; 31/01 becomes the last day of January three years on.
    assert "31/01/2025 31/01/2028 còn hiệu lực" in text
    assert "15/01/2023 15/01/2026 hết hạn" in text
    assert "2 sản phẩm" in text


async def test_empty_list_invites_the_first_product(producer_client):
    text = text_of((await producer_client.get("/my/products")).text)
    assert "Bạn chưa thêm sản phẩm nào." in text


async def test_adding_a_product(producer_client, producer):
    response = await post_form(producer_client, "/my/products/new", await product_form(), page="/my/products/new")
    assert response.status_code == 302 and response.headers["location"] == "/my/products"

    row = await Product.objects().where(Product.producer == producer.id).first()
    assert row.name == "Chè xanh Thanh Chương" and row.slug == "che-xanh-thanh-chuong"
    assert (row.stars, row.certificate_number, row.evaluation_level) == (4, "OCOP-NA-2025-0999", "provincial")
    assert row.certified_on == dt.date(2025, 3, 31) and row.valid_until == dt.date(2028, 3, 31)
    assert (row.price, row.unit) == (120_000, "hộp 200 g")
    assert row.traceability_url == "https://truyxuat.example.vn/che-xanh" and row.image == ""
    # Found by its name, producer, province and group in Vietnamese, and by its description and story.
    assert row.search_name == "che xanh thanh chuong"
    assert row.search_text == "che xanh thanh chuong htx che thanh chuong nghe an do uong"
    assert row.search_story == "che bup sao kho. doi che thanh chuong ben song lam."
    assert await AuditLog.exists().where((AuditLog.action == "product.create") & (AuditLog.target_id == row.id))

    listing = text_of((await producer_client.get("/my/products")).text)
    assert "Đã thêm “Chè xanh Thanh Chương”." in listing
    assert "31/03/2025 31/03/2028 còn hiệu lực" in listing


async def test_valid_until_is_computed_never_typed(producer_client, producer):
    data = await product_form(valid_until="2099-01-01", certified_on="2024-02-29")
    await post_form(producer_client, "/my/products/new", data, page="/my/products/new")
    row = await Product.objects().where(Product.producer == producer.id).first()
    assert row.valid_until == dt.date(2027, 2, 28)


async def test_product_errors_are_shown_and_nothing_is_saved(producer_client, producer):
    data = await product_form(
        name="",
        group_id="999999",
        stars="7",
        certificate_number="",
        certified_on=(today() + dt.timedelta(days=3)).isoformat(),
        price="rẻ lắm",
        traceability_url="ftp://truyxuat.example.vn",
    )
    response = await post_form(producer_client, "/my/products/new", data, page="/my/products/new")
    assert response.status_code == 400
    text = text_of(response.text)
    assert "Vui lòng sửa các trường được đánh dấu." in text
    assert "Trường này là bắt buộc." in text
    assert "Chọn nhóm sản phẩm." in text
    assert "Chọn 3, 4 hoặc 5 sao." in text
    assert "Ngày cấp giấy chứng nhận không thể ở tương lai." in text
    assert "Nhập một số nguyên." in text
    assert "Nhập địa chỉ web bắt đầu bằng http:// hoặc https://." in text
    assert 'value="rẻ lắm"' in response.text
    assert await Product.count() == 0


async def test_rating_and_evaluation_level_must_agree(producer_client):
    response = await post_form(
        producer_client, "/my/products/new", await product_form(stars="5", evaluation_level="provincial"),
        page="/my/products/new",
    )
    assert "Sản phẩm 5 sao do cấp trung ương công nhận." in text_of(response.text)
    response = await post_form(
        producer_client, "/my/products/new", await product_form(certified_on="2017-12-31"), page="/my/products/new"
    )
    assert "Giấy chứng nhận OCOP được cấp từ năm 2018." in text_of(response.text)
    assert await Product.count() == 0


async def test_editing_keeps_the_slug_and_recomputes_validity(producer_client, producer):
    product = await make_product(producer, "Chè búp khô")
    page = await producer_client.get(f"/my/products/{product.id}/edit")
    assert 'value="Chè búp khô"' in page.text and 'value="2025-06-01"' in page.text
    assert "Hiệu lực đến: 01/06/2028" in text_of(page.text)

    data = await product_form(name="Chè búp khô loại đặc biệt", stars="5", evaluation_level="national",
                              certified_on="2026-01-10", price="")
    response = await post_form(producer_client, f"/my/products/{product.id}/edit", data, page="/my/products")
    assert response.status_code == 302
    row = await Product.objects().where(Product.id == product.id).first()
    assert row.name == "Chè búp khô loại đặc biệt" and row.slug == product.slug
    assert (row.stars, row.evaluation_level, row.price) == (5, "national", None)
    assert row.valid_until == dt.date(2029, 1, 10)
    assert row.search_text.startswith("che bup kho loai dac biet htx che thanh chuong")
    assert "Đã lưu thay đổi của “Chè búp khô loại đặc biệt”." in text_of((await producer_client.get("/my/products")).text)


async def test_another_producers_product_is_not_found(producer_client):
    other = await make_producer("HTX Khác")
    product = await make_product(other, "Mật ong rừng")
    assert (await producer_client.get(f"/my/products/{product.id}/edit")).status_code == 404
    response = await post_form(producer_client, f"/my/products/{product.id}/edit", await product_form(), page="/my/products")
    assert response.status_code == 404
    response = await post_form(producer_client, f"/my/products/{product.id}/delete", {}, page="/my/products")
    assert response.status_code == 404
    assert "Sản phẩm này không tồn tại." in text_of(response.text)
    row = await Product.objects().where(Product.id == product.id).first()
    assert row.name == "Mật ong rừng"
    assert (await producer_client.get("/my/products/999999/edit")).status_code == 404
    assert (await producer_client.get("/my/products/abc/edit")).status_code == 404


async def test_deleting_asks_first_and_removes_the_product(producer_client, producer):
    product = await make_product(producer, "Chè búp khô")
    listing = (await producer_client.get("/my/products")).text
    assert f'action="/my/products/{product.id}/delete"' in listing
    assert 'data-confirm="Xóa “Chè búp khô”? Không thể hoàn tác."' in listing

    response = await post_form(producer_client, f"/my/products/{product.id}/delete", {}, page="/my/products")
    assert response.status_code == 302
    assert not await Product.exists().where(Product.id == product.id)
    assert "Đã xóa “Chè búp khô”." in text_of((await producer_client.get("/my/products")).text)


async def test_a_product_in_a_live_booth_application_cannot_be_deleted(producer_client, producer):
    product = await make_product(producer, "Chè búp khô")
    fair, _ = await make_fair(title="Hội chợ Bắc Trung Bộ")
    application = await exhibit(fair, producer, [product], status="submitted")

    listing = text_of((await producer_client.get("/my/products")).text)
    assert "trong 1 đơn đăng ký gian hàng" in listing
    response = await post_form(producer_client, f"/my/products/{product.id}/delete", {"page": "1"}, page="/my/products")
    assert response.status_code == 409  # the list again, the reason next to the product, not a flash after a redirect
    row = response.text.split(f'action="/my/products/{product.id}/delete"', 1)[1].split("</tr>", 1)[0]
    assert f"“Chè búp khô” đang có trong đơn đăng ký gian hàng của bạn tại {fair['title_vi']}." in text_of(row)
    assert "đang có trong đơn đăng ký" not in text_of((await producer_client.get("/my/products")).text)
    assert await Product.exists().where(Product.id == product.id)

    # Once the application is cancelled, or the event is over, the product may go.
    from events_app.booths.tables import BoothApplication

    await BoothApplication.update({BoothApplication.status: "cancelled"}).where(BoothApplication.id == application.id)
    past, _ = await make_fair(starts=today() - dt.timedelta(days=30))
    await exhibit(past, producer, [product], status="confirmed")
    await post_form(producer_client, f"/my/products/{product.id}/delete", {}, page="/my/products")
    assert not await Product.exists().where(Product.id == product.id)


async def test_products_pages_are_for_producers_only(client):
    product = await make_product(await make_producer(), "Chè búp khô")
    paths = ["/my/products", "/my/products/new", f"/my/products/{product.id}/edit"]
    for path in paths:
        response = await client.get(path)
        assert response.status_code == 302 and response.headers["location"].startswith("/login"), path

    for role in ("distributor", "staff", "admin"):
        client.cookies.clear()
        await make_user(role, f"{role}@example.vn")
        await login(client, f"{role}@example.vn", PASSWORD)
        for path in paths:
            response = await client.get(path)
            assert response.status_code == 403, (role, path)
        response = await post_form(client, f"/my/products/{product.id}/delete", {}, page="/account")
        assert response.status_code == 403
        response = await post_form(client, "/my/products/new", await product_form(), page="/account")
        assert response.status_code == 403
    assert await Product.count() == 1
