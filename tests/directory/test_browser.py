"""In a real browser on a phone: a producer's own products read as cards, each fact labelled and
its Edit and Delete buttons on the screen, not behind a sideways scroll."""

from __future__ import annotations

import pytest
from playwright.async_api import async_playwright

from tests.browser.test_j2_booking import CHROMIUM_ARGS
from tests.factories import PASSWORD, make_producer, make_product, make_user

pytestmark = pytest.mark.browser


async def test_own_products_read_on_a_phone(live_url):
    producer = await make_producer("Công ty CP Công nghệ tảo Việt Nam với một tên rất dài")
    await make_product(producer, "Tảo xoắn Spirulina Michio dạng viên nén, hộp 500 viên")
    user = await make_user("producer", producer=producer)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = await (await browser.new_context(viewport={"width": 390, "height": 900}, locale="vi-VN")).new_page()
            await page.goto(f"{live_url}/login")
            await page.fill("#f-email", user.email)
            await page.fill("#f-password", PASSWORD)
            await page.click("main button[type=submit]")
            await page.wait_for_load_state()
            await page.goto(f"{live_url}/my/products")
            assert await page.evaluate("document.documentElement.scrollWidth") <= 390
            for name in ("Sửa", "Xóa"):
                button = page.locator("table.own-products .row-buttons").get_by_text(name, exact=True)
                box = await button.bounding_box()
                assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, (name, box)
            valid = page.locator("td[data-label='Hiệu lực đến']")
            label = await valid.evaluate("cell => getComputedStyle(cell, '::before').content")
            assert label == '"Hiệu lực đến"'
        finally:
            await browser.close()
