"""Richer product and producer records: several photos, online listings, traceability and barcode,
producer attributes; and staff who edit any producer or product, audited."""

import io
import json

from PIL import Image

from events_app.core.audit import AuditLog
from events_app.directory.tables import Producer, Product, ProductImage, ProductListing
from tests.directory.conftest import image_bytes
from tests.directory.test_products import product_form
from tests.factories import PASSWORD, make_distributor, make_producer, make_product, make_user
from tests.helpers import login, post_form, text_of


def jpeg_with_comment(comment: bytes) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), (20, 120, 60)).save(out, "JPEG", comment=comment)
    data = out.getvalue()
    assert b"\xff\xfe" in data and comment in data  # the COM segment is there to be stripped
    return data


def photos(*contents: bytes, field: str = "more_images") -> list:
    return [(field, (f"anh{i}.jpg", content, "image/jpeg")) for i, content in enumerate(contents)]


async def add_rich_product(client, **changes):
    data = await product_form(
        traceability_code="VN-NA-0099-ABC", barcode="893 8501 234568",
        listing_platform_0="shopee", listing_url_0="https://shopee.vn/che-xanh-thanh-chuong",
        listing_platform_1="postmart", listing_url_1="https://postmart.vn/p/che-xanh",
        **changes,
    )
    files = photos(image_bytes(color=(200, 0, 0)), field="image") + photos(
        image_bytes(color=(0, 200, 0)), image_bytes(color=(0, 0, 200)))
    return await post_form(client, "/my/products/new", data, page="/my/products/new", files=files)


async def test_a_product_with_photos_listings_stamp_code_and_barcode(producer_client, producer, settings):
    response = await add_rich_product(producer_client)
    assert response.status_code == 302, text_of(response.text)[:500]
    product = await Product.objects().where(Product.producer == producer.id).first()
    assert (product.traceability_code, product.barcode) == ("VN-NA-0099-ABC", "8938501234568")

    images = await ProductImage.select().where(ProductImage.product == product.id).order_by(ProductImage.position)
    assert [row["position"] for row in images] == [0, 1, 2]
    assert product.image == images[0]["file_name"]  # the first photo is the main image
    colours = []
    for row in images:
        with Image.open(settings.media_dir / row["file_name"]) as image:
            colours.append(max(range(3), key=lambda band: image.getpixel((5, 5))[band]))
    assert colours == [0, 1, 2]  # red main photo, then green, then blue, as chosen

    listings = await ProductListing.select(ProductListing.platform, ProductListing.url).where(
        ProductListing.product == product.id).order_by(ProductListing.position)
    assert listings == [
        {"platform": "shopee", "url": "https://shopee.vn/che-xanh-thanh-chuong"},
        {"platform": "postmart", "url": "https://postmart.vn/p/che-xanh"},
    ]

    page = (await producer_client.get(f"/products/{product.slug}")).text
    text = text_of(page)
    assert "Mã tem truy xuất nguồn gốc VN-NA-0099-ABC" in text
    assert "Mã vạch (GTIN) 8938501234568" in text
    assert "Bán trực tuyến Shopee Postmart" in text
    assert '<a href="https://shopee.vn/che-xanh-thanh-chuong" rel="noopener nofollow" target="_blank">Shopee</a>' in page
    for row in images:
        assert f'src="/media/{row["file_name"]}"' in page
    assert 'class="gallery"' in page


async def test_a_wrong_barcode_or_listing_is_shown_on_the_form_and_nothing_saved(producer_client, producer, settings):
    data = await product_form(barcode="8938501234567", listing_platform_0="shopee", listing_url_0="javascript:alert(1)",
                              listing_platform_1="", listing_url_1="https://tiki.vn/x")
    response = await post_form(producer_client, "/my/products/new", data, page="/my/products/new",
                               files=photos(image_bytes()))
    assert response.status_code == 400
    text = text_of(response.text)
    assert "chữ số cuối (số kiểm tra) không khớp với các chữ số còn lại" in text
    assert "Nhập địa chỉ web bắt đầu bằng http:// hoặc https://." in text
    assert "Chọn một trong các lựa chọn." in text
    assert 'value="javascript:alert(1)"' in response.text  # what was typed, to correct it
    assert await Product.count() == 0 and await ProductImage.count() == 0
    assert not (settings.media_dir / "products").exists() or not list((settings.media_dir / "products").iterdir())


async def test_hostile_further_photos_are_refused_and_comments_stripped(producer_client, producer, settings):
    product = await make_product(producer, "Chè búp")
    url = f"/my/products/{product.id}/edit"
    form = await product_form(name="Chè búp")

    response = await post_form(producer_client, url, form, page=url, files=photos(b"<?php system($_GET['c']); ?>"))
    assert response.status_code == 400
    assert "Tệp này không phải ảnh JPEG, PNG hoặc WebP." in text_of(response.text)

    huge = io.BytesIO()
    Image.new("1", (10_000, 6_000)).save(huge, "PNG")  # 60 million pixels in a few kilobytes
    response = await post_form(producer_client, url, form, page=url,
                               files=[("more_images", ("bom.png", huge.getvalue(), "image/png"))])
    assert response.status_code == 400
    assert "Ảnh có quá nhiều điểm ảnh. Hãy chọn ảnh nhỏ hơn." in text_of(response.text)
    assert await ProductImage.count() == 0

    response = await post_form(producer_client, url, form, page=url,
                               files=photos(jpeg_with_comment(b"GPS 18.67N 105.68E owner@example.vn")))
    assert response.status_code == 302
    row = await ProductImage.select().first()
    stored = (settings.media_dir / row["file_name"]).read_bytes()
    assert b"\xff\xfe" not in stored and b"owner@example.vn" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and "comment" not in image.info

    response = await post_form(producer_client, url, form, page=url, files=photos(*[image_bytes()] * 8))
    assert response.status_code == 400
    assert "Mỗi sản phẩm có tối đa 8 ảnh." in text_of(response.text)
    assert await ProductImage.count() == 1


async def test_photos_reordered_described_and_deleted(producer_client, producer, settings):
    await add_rich_product(producer_client)
    product = await Product.objects().first()
    first, second, third = await ProductImage.select().order_by(ProductImage.position)
    edit = f"/my/products/{product.id}/edit"
    page = (await producer_client.get(edit)).text
    assert "Ảnh đầu tiên là ảnh chính" in text_of(page)
    assert 'data-confirm="Xóa ảnh này? Không thể hoàn tác."' in page

    response = await post_form(producer_client, f"/my/products/{product.id}/images/{third['id']}",
                               {"action": "earlier"}, page=edit)
    assert response.status_code == 302 and response.headers["location"] == edit
    response = await post_form(producer_client, f"/my/products/{product.id}/images/{third['id']}",
                               {"action": "earlier"}, page=edit)
    order = [row["id"] for row in await ProductImage.select().order_by(ProductImage.position)]
    assert order == [third["id"], first["id"], second["id"]]
    assert (await Product.objects().first()).image == third["file_name"]

    await post_form(producer_client, f"/my/products/{product.id}/images/{first['id']}",
                    {"action": "describe", "alt_text": "Hộp chè mặt sau"}, page=edit)
    assert (await ProductImage.objects().where(ProductImage.id == first["id"]).first()).alt_text == "Hộp chè mặt sau"

    response = await post_form(producer_client, f"/my/products/{product.id}/images/{third['id']}/delete", {}, page=edit)
    assert response.status_code == 302
    assert not (settings.media_dir / third["file_name"]).exists()
    assert (await Product.objects().first()).image == first["file_name"]
    public = (await producer_client.get(f"/products/{product.slug}")).text
    assert 'alt="Hộp chè mặt sau"' in public and third["file_name"] not in public

    entries = await AuditLog.select(AuditLog.before, AuditLog.after).where(AuditLog.action == "product.images").order_by(AuditLog.id)
    assert len(entries) == 4
    last = entries[-1]
    assert json.loads(last["before"])["images"] == [third["file_name"], first["file_name"], second["file_name"]]
    assert json.loads(last["after"])["images"] == [first["file_name"], second["file_name"]]


async def test_the_main_photo_field_still_replaces_the_first_photo(producer_client, producer, settings):
    await add_rich_product(producer_client)
    product = await Product.objects().first()
    first, second, third = await ProductImage.select().order_by(ProductImage.position)
    form = await product_form(**{"listing_platform_0": "shopee", "listing_url_0": "https://shopee.vn/che"})
    response = await post_form(producer_client, f"/my/products/{product.id}/edit", {**form, "remove_image": "1"},
                               page=f"/my/products/{product.id}/edit")
    assert response.status_code == 302
    assert [r["file_name"] for r in await ProductImage.select().order_by(ProductImage.position)] == [
        second["file_name"], third["file_name"]]
    assert (await Product.objects().first()).image == second["file_name"]
    assert not (settings.media_dir / first["file_name"]).exists()
    assert await ProductListing.select(ProductListing.platform, ProductListing.url) == [
        {"platform": "shopee", "url": "https://shopee.vn/che"}]


async def test_producers_keep_their_attributes_and_visitors_see_them(producer_client, producer):
    page = text_of((await producer_client.get("/my/organisation")).text)
    assert "Chủ thể thuộc diện…" in page and "Do phụ nữ làm chủ Chủ thể người dân tộc thiểu số Làng nghề Thanh niên khởi nghiệp" in page
    response = await post_form(producer_client, "/my/organisation", {
        "name": producer.name, "organisation_type": "cooperative", "province_id": str(producer.province),
        "attributes": ["women_led", "ethnic_minority", "rich"],
    }, page="/my/organisation")
    assert response.status_code == 400  # a value the form does not offer
    response = await post_form(producer_client, "/my/organisation", {
        "name": producer.name, "organisation_type": "cooperative", "province_id": str(producer.province),
        "attributes": ["women_led", "ethnic_minority"],
    }, page="/my/organisation")
    assert response.status_code == 302
    row = await Producer.select(Producer.women_led, Producer.ethnic_minority, Producer.craft_village).first()
    assert row == {"women_led": True, "ethnic_minority": True, "craft_village": False}
    public = text_of((await producer_client.get(f"/producers/{producer.slug}")).text)
    assert "Do phụ nữ làm chủ Chủ thể người dân tộc thiểu số" in public and "Làng nghề" not in public


async def staff_client(client, role="staff"):
    await make_user(role, f"{role}@example.vn")
    await login(client, f"{role}@example.vn", PASSWORD)
    return client


async def test_staff_edit_any_product_audited_with_before_and_after(client, clean_db):
    producer = await make_producer("HTX Chè Thanh Chương")
    product = await make_product(producer, "Chè búp khô", stars=4)
    await staff_client(client)
    public = (await client.get(f"/products/{product.slug}")).text
    assert f'href="/staff/products/{product.id}/edit"' in public

    edit = f"/staff/products/{product.id}/edit"
    page = (await client.get(edit)).text
    assert "Bạn đang sửa sản phẩm với tư cách cán bộ" in text_of(page)
    assert f'action="{edit}"' in page and 'value="Chè búp khô"' in page

    form = await product_form(name="Chè búp khô", barcode="8934563138165",
                              listing_platform_0="tiktok_shop", listing_url_0="https://www.tiktok.com/@che/1")
    response = await post_form(client, edit, form, page=edit, files=photos(image_bytes()))
    assert response.status_code == 302 and response.headers["location"] == f"/products/{product.slug}"
    row = await Product.objects().where(Product.id == product.id).first()
    assert (row.barcode, row.certificate_number, row.producer) == ("8934563138165", "OCOP-NA-2025-0999", producer.id)
    assert row.image and await ProductImage.count() == 1

    entry = await AuditLog.select(AuditLog.actor.email.as_alias("email"), AuditLog.before, AuditLog.after).where(
        (AuditLog.action == "product.update") & (AuditLog.target_id == product.id)).first()
    before, after = json.loads(entry["before"]), json.loads(entry["after"])
    assert entry["email"] == "staff@example.vn"
    assert before["barcode"] == "" and after["barcode"] == "8934563138165"
    assert before["listings"] == [] and after["listings"] == [["tiktok_shop", "https://www.tiktok.com/@che/1"]]
    assert before["images"] == [] and after["images"] == [row.image]
    assert "name" not in after  # unchanged fields are not repeated
    text = text_of((await client.get(f"/products/{product.slug}")).text)
    assert "Đã lưu thay đổi của “Chè búp khô”." in text and "TikTok Shop" in text


async def test_staff_edit_any_producer_audited(client, clean_db):
    producer = await make_producer("Tổ hợp tác tinh bột nghệ Quang Thành")
    await staff_client(client, "admin")
    public = (await client.get(f"/producers/{producer.slug}")).text
    assert f'href="/staff/producers/{producer.id}/edit"' in public
    edit = f"/staff/producers/{producer.id}/edit"
    assert "Bạn đang sửa hồ sơ chủ thể" in text_of((await client.get(edit)).text)

    bad = await post_form(client, edit, {"name": "", "organisation_type": "cooperative_group",
                                         "province_id": str(producer.province)}, page=edit)
    assert bad.status_code == 400 and "Trường này là bắt buộc." in text_of(bad.text)
    response = await post_form(client, edit, {
        "name": producer.name, "organisation_type": "cooperative_group", "province_id": str(producer.province),
        "phone": "0238 3861 234", "attributes": ["women_led", "cooperative_group"],
    }, page=edit)
    assert response.status_code == 302 and response.headers["location"] == f"/producers/{producer.slug}"
    row = await Producer.objects().where(Producer.id == producer.id).first()
    assert (row.producer_type, row.phone, row.women_led, row.cooperative_group) == ("cooperative_group", "0238 3861 234", True, True)
    entry = await AuditLog.select(AuditLog.actor.role.as_alias("role"), AuditLog.before, AuditLog.after).where(
        (AuditLog.action == "organisation.update") & (AuditLog.target_id == producer.id)).first()
    assert entry["role"] == "admin"
    assert json.loads(entry["before"]) == {"producer_type": "cooperative", "phone": "", "women_led": False,
                                           "cooperative_group": False}
    assert json.loads(entry["after"]) == {"producer_type": "cooperative_group", "phone": "0238 3861 234",
                                          "women_led": True, "cooperative_group": True}
    assert "Do phụ nữ làm chủ" in text_of((await client.get(f"/producers/{producer.slug}")).text)


async def test_who_may_edit_what(client, clean_db):
    mine = await make_producer("HTX Của tôi")
    theirs = await make_producer("HTX Người khác")
    other_product = await make_product(theirs, "Sản phẩm người khác")
    image = ProductImage(product=other_product.id, file_name="products/x.jpg", position=0)
    await image.save()
    await make_user("producer", "p@example.vn", producer=mine)
    await login(client, "p@example.vn", PASSWORD)
    # Another producer's product is answered as if it did not exist.
    assert (await client.get(f"/my/products/{other_product.id}/edit")).status_code == 404
    form = await product_form(name="Đã chiếm")
    assert (await post_form(client, f"/my/products/{other_product.id}/edit", form, page="/my/products")).status_code == 404
    for path in (f"/my/products/{other_product.id}/images/{image.id}", f"/my/products/{other_product.id}/images/{image.id}/delete"):
        assert (await post_form(client, path, {"action": "earlier"}, page="/my/products")).status_code == 404
    assert (await client.get(f"/staff/products/{other_product.id}/edit")).status_code == 403
    assert (await client.get(f"/products/{other_product.slug}")).text.count("/staff/products/") == 0
    assert (await Product.objects().where(Product.id == other_product.id).first()).name == "Sản phẩm người khác"
    assert await ProductImage.count() == 1

    client.cookies.clear()
    await make_user("distributor", "d@example.vn", distributor=await make_distributor())
    await login(client, "d@example.vn", PASSWORD)
    for path in (f"/staff/products/{other_product.id}/edit", f"/staff/producers/{theirs.id}/edit"):
        assert (await client.get(path)).status_code == 403
        assert (await post_form(client, path, {"name": "x"}, page="/account")).status_code == 403
    assert (await Producer.objects().where(Producer.id == theirs.id).first()).name == "HTX Người khác"

    client.cookies.clear()
    await staff_client(client)
    assert (await client.get("/staff/products/999999/edit")).status_code == 404
    assert (await client.get("/staff/producers/999999/edit")).status_code == 404


async def test_a_photo_without_a_row_of_its_own_is_still_replaced_or_removed(producer_client, producer, settings):
    product = await make_product(producer, "Chè búp")
    (settings.media_dir / "products").mkdir(parents=True, exist_ok=True)
    (settings.media_dir / "products" / "cu.jpg").write_bytes(image_bytes())
    await Product.update({Product.image: "products/cu.jpg"}).where(Product.id == product.id)
    url = f"/my/products/{product.id}/edit"
    response = await post_form(producer_client, url, {**await product_form(name="Chè búp"), "remove_image": "1"}, page=url)
    assert response.status_code == 302
    assert (await Product.objects().first()).image == ""
    assert not (settings.media_dir / "products" / "cu.jpg").exists()
