"""J4 in a real browser: a distributor searches the catalogue without accents, filters by fair,
opens a product with its QR code and downloads the fair's catalogue; a producer adds a photo.

Drives Debian's Chromium through Playwright against a real multi-process server.
"""

import io

import pytest
from playwright.async_api import async_playwright, expect
from pypdf import PdfReader

from events_app.demo.data import DEMO_PASSWORD, FAIR
from events_app.demo.loader import load_demo
from events_app.directory.tables import Product
from tests.directory.conftest import image_bytes

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


async def test_distributor_browses_the_catalogue_and_producer_adds_a_photo(live_url, tmp_path, pdf_worker):
    await load_demo()
    photo = tmp_path / "ga.png"
    photo.write_bytes(image_bytes("PNG", size=(640, 480), color=(200, 150, 40)))

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        buyer = await (await browser.new_context(locale="vi-VN")).new_page()
        producer = await (await browser.new_context(locale="vi-VN")).new_page()
        try:
            await buyer.goto(f"{live_url}/login")
            await buyer.fill("#f-email", "distributor@ocop.example")
            await buyer.fill("#f-password", DEMO_PASSWORD)
            await buyer.click("main button:has-text('Đăng nhập')")

            # Search without tone marks, then by a former province.
            await buyer.goto(f"{live_url}/products")
            await buyer.fill("#f-q", "ga tien yen")
            await buyer.click("form.catalogue-filters button[type=submit]")
            results = buyer.locator(".product-cards .product-name")
            await expect(results).to_have_text(["Gà Tiên Yên"])
            await buyer.fill("#f-q", "bac lieu")
            await buyer.click("form.catalogue-filters button[type=submit]")
            await expect(results).to_have_text(["Muối tôm Bạc Liêu"])

            # The fair's exhibitors, from the fair's page.
            await buyer.goto(f"{live_url}/events/{FAIR}")
            await buyer.click("a:has-text('Xem sản phẩm')")
            await expect(buyer.locator("#f-event")).to_have_value(FAIR)
            assert await results.count() >= 1

            # A product page: validity and a QR code of its address.
            await buyer.goto(f"{live_url}/products/ga-tien-yen")
            await expect(buyer.locator("main")).to_contain_text("còn hiệu lực")
            await expect(buyer.locator(".qr-code svg")).to_have_count(1)
            await expect(buyer.locator(".qr-url")).to_have_text(f"{live_url}/products/ga-tien-yen")

            # The fair's catalogue, as the browser downloads it.
            response = await buyer.request.get(f"{live_url}/events/{FAIR}/catalogue.pdf")
            assert response.headers["content-type"] == "application/pdf"
            text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(await response.body())).pages)
            assert "Hội chợ sản phẩm OCOP khu vực Bắc Trung Bộ" in text and "Mục lục" in text

            # The producer of Gà Tiên Yên adds a photo; the public page shows it.
            await producer.goto(f"{live_url}/login")
            await producer.fill("#f-email", "producer3@ocop.example")
            await producer.fill("#f-password", DEMO_PASSWORD)
            await producer.click("main button:has-text('Đăng nhập')")
            await producer.goto(f"{live_url}/my/products")
            await producer.locator("tr", has_text="Gà Tiên Yên").locator("a:has-text('Sửa')").click()
            await producer.set_input_files("#f-image", str(photo))
            await producer.click("form.product-form button[type=submit]")
            await expect(producer.locator(".flash")).to_contain_text("Đã lưu thay đổi của “Gà Tiên Yên”.")
            await buyer.goto(f"{live_url}/products/ga-tien-yen")
            image = buyer.locator("img.product-hero")
            await expect(image).to_have_count(1)
            assert await image.evaluate("img => img.complete && img.naturalWidth") == 640
        finally:
            await browser.close()

    row = await Product.select(Product.image).where(Product.slug == "ga-tien-yen").first()
    assert row["image"].startswith("products/") and row["image"].endswith(".png")
