"""In a real browser on a phone: the staff's re-recognition lists read as cards, each certificate's
end date and days left on the screen, not behind a sideways scroll."""

from __future__ import annotations

import pytest

from events_app.core.i18n import format_date
from tests.browser.phone import PHONE_WIDTH, signed_in_page
from tests.factories import make_producer, make_user
from tests.recognition.conftest import product_ending_in

pytestmark = pytest.mark.browser


async def test_the_lists_read_on_a_phone(live_url):
    producer = await make_producer("Công ty CP Công nghệ tảo Việt Nam với một tên rất dài")
    product = await product_ending_in(producer, 30, name="Đậu tương lên men Nattokinaza")
    staff = await make_user("staff")
    async with signed_in_page(live_url, staff.email) as page:
        await page.goto(f"{live_url}/staff/recognition")
        assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
        ends = page.locator("td[data-label='Hiệu lực đến']")
        assert await ends.count() == 1
        assert (await ends.inner_text()).split() == [format_date(product.valid_until), "còn", "30", "ngày"]
        box = await ends.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH, box
        # The labels stand in for the hidden header, in the reader's language.
        label = await ends.evaluate("cell => getComputedStyle(cell, '::before').content")
        assert label == '"Hiệu lực đến"'
