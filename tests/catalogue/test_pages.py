"""Product and producer pages: certificate validity, the QR code, the producer's valid products."""

import re

from events_app.catalogue.qr import product_url, qr_svg
from events_app.directory.tables import Product
from tests.catalogue.builders import exhibit, make_fair
from tests.helpers import text_of


def test_the_qr_code_carries_the_absolute_product_address():
    assert product_url("https://ocop.example/", "ga-tien-yen") == "https://ocop.example/products/ga-tien-yen"
    svg = qr_svg("https://ocop.example/products/ga-tien-yen")
    assert svg.startswith('<svg viewBox="0 0 ') and "<title>https://ocop.example/products/ga-tien-yen</title>" in svg
    assert qr_svg("https://ocop.example/products/ga-tien-yen") == svg  # the same address, the same code
    assert qr_svg("https://ocop.example/products/cam-vinh") != svg


async def test_product_page(client, settings, shelf):
    await Product.update({
        Product.description: "Gà ri lai chăn thả đồi.",
        Product.story: "Giống gà của người Sán Dìu.\nNuôi thả trên đồi keo.",
        Product.traceability_url: "https://truyxuat.example.vn/ga",
        Product.evaluation_level: "provincial",
    }).where(Product.id == shelf.ga.id)
    response = await client.get("/products/ga-tien-yen")
    assert response.status_code == 200
    text = text_of(response.text)
    for fact in (
        "Gà Tiên Yên", "HTX Chăn nuôi gà Tiên Yên", "Quảng Ninh", "Thực phẩm", "OCOP 4 sao", "4 sao · Cấp tỉnh",
        f"Số giấy chứng nhận {shelf.ga.certificate_number}", "Ngày chứng nhận 01/06/2025",
        "Hiệu lực đến 01/06/2028 còn hiệu lực", "100.000 ₫ / hộp", "Gà ri lai chăn thả đồi.",
        "Giống gà của người Sán Dìu.", "Nuôi thả trên đồi keo.", "https://truyxuat.example.vn/ga",
    ):
        assert fact in text, fact
    assert 'href="/producers/htx-chan-nuoi-ga-tien-yen"' in response.text

    url = f"{settings.public_url}/products/ga-tien-yen"
    assert product_url(settings.public_url, "ga-tien-yen") == url
    assert qr_svg(url) in response.text
    assert url in text


async def test_an_expired_product_page_still_answers(client, shelf):
    text = text_of((await client.get(f"/products/{shelf.expired.slug}")).text)
    assert "Hiệu lực đến 10/01/2026 hết hạn" in text
    assert "Giấy chứng nhận OCOP của sản phẩm này đã hết hạn" in text


async def test_the_province_as_written_is_shown(client, shelf):
    text = text_of((await client.get(f"/products/{shelf.muoi.slug}")).text)
    assert "Cà Mau (ghi trên giấy chứng nhận: Bạc Liêu)" in text


async def test_producer_page_lists_its_valid_products(client, shelf):
    response = await client.get("/producers/htx-duoc-lieu-con-cuong")
    text = text_of(response.text)
    assert "HTX Dược liệu Con Cuông" in text and "Nghệ An" in text and "Hợp tác xã" in text
    assert "Nấm linh chi đỏ" in text and "Trà túi lọc Cà gai leo" in text
    assert "Trà Giảo cổ lam cũ" not in text
    assert text.index("Nấm linh chi đỏ") < text.index("Trà túi lọc Cà gai leo")  # 5 stars first


async def test_a_producer_without_valid_products_says_so(client, shelf):
    await Product.delete().where(Product.producer == shelf.producers.ga.id)
    text = text_of((await client.get("/producers/htx-chan-nuoi-ga-tien-yen")).text)
    assert "Hiện chủ thể này chưa có sản phẩm nào có giấy chứng nhận OCOP còn hiệu lực." in text


async def test_unknown_addresses_are_not_found(client, shelf):
    for path in ("/products/khong-co", "/producers/khong-co", "/products/%E2%9C%93"):
        response = await client.get(path)
        assert response.status_code == 404, path
        assert "Không tìm thấy trang" in text_of(response.text) or "không tồn tại" in text_of(response.text)


async def test_english_pages(client, shelf):
    from tests.helpers import post_form

    await post_form(client, "/language", {"language": "en", "next": "/products"})
    text = text_of((await client.get("/products/ga-tien-yen")).text)
    assert "Valid until 01/06/2028 valid" in text and "Food" in text and "OCOP 4 stars" in text
    text = text_of((await client.get("/products?group=nope")).text)
    assert "There is no product group “nope”: every group is shown." in text


async def test_a_fair_page_offers_its_exhibitors_products(client, shelf):
    fair, booths = await make_fair()
    text = text_of((await client.get(f"/events/{fair['slug']}")).text)
    assert "Sản phẩm của các gian hàng" not in text  # no exhibitor yet
    await exhibit(fair, shelf.producers.duoc, [shelf.ca_gai_leo, shelf.linh_chi], booth_id=booths["A-01"])
    response = await client.get(f"/events/{fair['slug']}")
    text = text_of(response.text)
    assert "Sản phẩm của các gian hàng 1 đơn vị trưng bày · 2 sản phẩm OCOP được trưng bày" in text
    assert f'href="/products?event={fair["slug"]}"' in response.text
    assert re.search(rf'href="/events/{fair["slug"]}/catalogue.pdf"', response.text)


async def test_only_web_addresses_become_links(client, shelf):
    """Addresses typed elsewhere (an import, an old row) never become javascript: links."""
    from events_app.directory.tables import Producer

    await Product.update({Product.traceability_url: "javascript:alert(1)"}).where(Product.id == shelf.ga.id)
    await Producer.update({Producer.website: "https://gatienyen.vn"}).where(Producer.id == shelf.producers.ga.id)
    page = await client.get("/products/ga-tien-yen")
    assert 'href="javascript:' not in page.text and "javascript:alert(1)" in text_of(page.text)
    producer = await client.get("/producers/htx-chan-nuoi-ga-tien-yen")
    assert '<a href="https://gatienyen.vn" rel="noopener nofollow external">' in producer.text


async def test_public_pages_answer_every_role(client, shelf):
    from tests.factories import PASSWORD, make_user
    from tests.helpers import login

    paths = ["/products", "/products?q=ga", "/products/ga-tien-yen", "/producers/htx-chan-nuoi-ga-tien-yen"]
    for role in (None, "producer", "distributor", "staff", "admin"):
        client.cookies.clear()
        if role:
            await make_user(role, f"{role}@example.vn")
            await login(client, f"{role}@example.vn", PASSWORD)
        for path in paths:
            response = await client.get(path)
            assert response.status_code == 200, (role, path)
            assert "Gà Tiên Yên" in text_of(response.text)
