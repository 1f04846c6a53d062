"""In a real browser on a phone: a producer's own products read as cards, each fact labelled and
its Edit and Delete buttons on the screen, not behind a sideways scroll."""

from __future__ import annotations

import pytest

from tests.browser.phone import PHONE_WIDTH, signed_in_page
from tests.factories import make_producer, make_product, make_user

pytestmark = pytest.mark.browser


async def test_own_products_read_on_a_phone(live_url):
    producer = await make_producer("Công ty CP Công nghệ tảo Việt Nam với một tên rất dài")
    await make_product(producer, "Tảo xoắn Spirulina Michio dạng viên nén, hộp 500 viên")
    user = await make_user("producer", producer=producer)
    async with signed_in_page(live_url, user.email) as page:
        await page.goto(f"{live_url}/my/products")
        assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
        for name in ("Sửa", "Xóa"):
            button = page.locator("table.own-products .row-buttons").get_by_text(name, exact=True)
            box = await button.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH, (name, box)
        valid = page.locator("td[data-label='Hiệu lực đến']")
        label = await valid.evaluate("cell => getComputedStyle(cell, '::before').content")
        assert label == '"Hiệu lực đến"'
