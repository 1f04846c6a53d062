"""In a real browser: a report's chart fits the screen, the wide drawing on a computer, the narrow
one on a phone, and the page does not scroll sideways (only its table may, inside its box)."""

from __future__ import annotations

import pytest
from playwright.async_api import async_playwright

from tests.browser.test_j2_booking import CHROMIUM_ARGS
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


async def test_charts_fit_a_computer_and_a_phone(live_url, programme):
    staff = await make_user("staff")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            for width, shown, hidden in ((1280, ".chart-wide", ".chart-narrow"), (390, ".chart-narrow", ".chart-wide")):
                page = await (await browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")).new_page()
                await page.goto(f"{live_url}/login")
                await page.fill("#f-email", staff.email)
                await page.fill("#f-password", PASSWORD)
                await page.click("main button[type=submit]")
                await page.wait_for_load_state()
                for name in ("products-by-star", "booths", "mous-over-time?year=2025"):
                    await page.goto(f"{live_url}/staff/reports/{name}")
                    where = f"{name} at {width} px"
                    charts = page.locator(f"{shown} svg")
                    assert await charts.count() >= 1, where
                    for i in range(await charts.count()):
                        box = await charts.nth(i).bounding_box()
                        assert box and box["width"] > 0.6 * min(width, 900) - 80, (where, box)
                        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (where, box)
                    assert not await page.locator(f"{hidden} svg").first.is_visible(), where
                    assert await page.evaluate("document.documentElement.scrollWidth") <= width, where
        finally:
            await browser.close()
