"""In a real browser at a phone's width: the booth pages of staff and the public floor plan do not
scroll sideways; a wide table scrolls inside its own box."""

from __future__ import annotations

import pytest
from playwright.async_api import async_playwright

from events_app.demo.data import DEMO_PASSWORD, FAIR
from events_app.demo.loader import load_demo
from events_app.events.tables import Event
from tests.browser.test_j2_booking import CHROMIUM_ARGS

pytestmark = pytest.mark.browser

PHONE = 390


async def test_booth_pages_fit_a_phone(live_url):
    await load_demo()
    fair = (await Event.select(Event.id).where(Event.slug == FAIR).first())["id"]
    pages = [
        f"/staff/events/{fair}/allocation", f"/staff/events/{fair}/floor-plan", f"/staff/events/{fair}/dashboard",
        f"/staff/events/{fair}/applications", "/staff/applications", f"/events/{FAIR}/floor-plan",
    ]
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(viewport={"width": PHONE, "height": 800}, locale="vi-VN")
            page = await context.new_page()
            await page.goto(f"{live_url}/login")
            await page.fill("#f-email", "staff@ocop.example")
            await page.fill("#f-password", DEMO_PASSWORD)
            await page.click("main button[type=submit]")
            await page.wait_for_load_state()
            for path in pages:
                await page.goto(f"{live_url}{path}")
                assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE, path
            # The allocation's quota table is wider than a phone: it scrolls in its box, its kinds readable.
            await page.goto(f"{live_url}/staff/events/{fair}/allocation")
            box = page.locator("table.quotas").locator("xpath=..")
            assert await box.evaluate("e => getComputedStyle(e).overflowX") == "auto"
            select = await page.locator("table.quotas select").first.bounding_box()
            assert select and select["width"] >= 100
            # The public plan's list: a booth's status and holder are not squeezed into a sliver of a column.
            await page.goto(f"{live_url}/events/{FAIR}/floor-plan")
            state = await page.locator("table.booth-table td.booth-state").first.bounding_box()
            assert state and state["width"] >= 150 and state["height"] < 100, state
        finally:
            await browser.close()
