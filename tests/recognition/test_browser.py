"""In a real browser on a phone: the staff's re-recognition lists read as cards, each certificate's
end date and days left on the screen, not behind a sideways scroll."""

from __future__ import annotations

import pytest
from playwright.async_api import async_playwright

from events_app.core.i18n import format_date
from tests.browser.test_j2_booking import CHROMIUM_ARGS
from tests.factories import PASSWORD, make_producer, make_user
from tests.recognition.conftest import product_ending_in

pytestmark = pytest.mark.browser


async def test_the_lists_read_on_a_phone(live_url):
    producer = await make_producer("Công ty CP Công nghệ tảo Việt Nam với một tên rất dài")
    product = await product_ending_in(producer, 30, name="Đậu tương lên men Nattokinaza")
    staff = await make_user("staff")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = await (await browser.new_context(viewport={"width": 390, "height": 900}, locale="vi-VN")).new_page()
            await page.goto(f"{live_url}/login")
            await page.fill("#f-email", staff.email)
            await page.fill("#f-password", PASSWORD)
            await page.click("main button[type=submit]")
            await page.wait_for_load_state()
            await page.goto(f"{live_url}/staff/recognition")
            assert await page.evaluate("document.documentElement.scrollWidth") <= 390
            ends = page.locator("td[data-label='Hiệu lực đến']")
            assert await ends.count() == 1
            assert (await ends.inner_text()).split() == [format_date(product.valid_until), "còn", "30", "ngày"]
            box = await ends.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
            # The labels stand in for the hidden header, in the reader's language.
            label = await ends.evaluate("cell => getComputedStyle(cell, '::before').content")
            assert label == '"Hiệu lực đến"'
        finally:
            await browser.close()
