"""A signed-in page in headless Chromium at a phone's width, for the tests that look at a page as
a producer or staff member holds it in their hand."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import AsyncIterator

from playwright.async_api import Page, async_playwright

from tests.browser.test_j2_booking import CHROMIUM_ARGS
from tests.factories import PASSWORD

PHONE_WIDTH = 390


@asynccontextmanager
async def signed_in_page(live_url: str, email: str, *, width: int = PHONE_WIDTH) -> AsyncIterator[Page]:
    """A page of the live server, logged in as `email` (the factories' password), `width` px wide."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = await (await browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")).new_page()
            await page.goto(f"{live_url}/login")
            await page.fill("#f-email", email)
            await page.fill("#f-password", PASSWORD)
            await page.click("main button[type=submit]")
            await page.wait_for_load_state()
            yield page
        finally:
            await browser.close()
