"""J2 in a real browser: a producer signs up, adds a product, applies to the fair, staff approve a
booth, and the producer finds it on the floor plan and confirms it.

Drives Debian's Chromium through Playwright against a real multi-process server.
"""

import datetime as dt
import os
from pathlib import Path

import pytest
from playwright.async_api import Page, async_playwright, expect

from events_app.booths.tables import BoothApplication, BoothRental
from events_app.demo.data import DEMO_PASSWORD, FAIR
from events_app.demo.loader import load_demo
from events_app.directory.tables import Producer, Product
from events_app.events.tables import Event

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
SHOTS = Path(os.environ.get("DATA_DIR", "/tmp")) / "screenshots"


async def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


async def test_producer_signs_up_applies_and_finds_its_booth_on_the_floor_plan(live_url):
    await load_demo()
    fair = await Event.select(Event.id).where(Event.slug == FAIR).first()

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        producer = await (await browser.new_context(locale="vi-VN")).new_page()
        staff = await (await browser.new_context(locale="vi-VN")).new_page()
        try:
            # 1. Sign up as a producer, with the organisation.
            await producer.goto(f"{live_url}/signup")
            await producer.check("input[name=role][value=producer]")
            await producer.fill("#f-organisation", "HTX Chè Thanh Chương")
            await producer.select_option("#f-organisation_type", "cooperative")
            await producer.select_option("#f-province_id", label="Nghệ An")
            await producer.fill("#f-name", "Nguyễn Văn An")
            await producer.fill("#f-email", "an@chethanhchuong.vn")
            await producer.fill("#f-password", "chè xanh 2026")
            await producer.fill("#f-password_confirm", "chè xanh 2026")
            await producer.click("button:has-text('Tạo tài khoản')")
            await expect(producer.locator("main")).to_contain_text("Tài khoản của bạn đã sẵn sàng.")

            # 2. Add a certified product.
            await producer.goto(f"{live_url}/my/products/new")
            await producer.fill("#f-name", "Chè xanh Thanh Chương")
            await producer.select_option("#f-group_id", label="Đồ uống")
            await producer.select_option("#f-stars", "4")
            await producer.fill("#f-certificate_number", "OCOP-NA-2025-0777")
            await producer.fill("#f-certified_on", "2025-09-01")
            await producer.fill("#f-price", "150000")
            await producer.fill("#f-unit", "hộp 200 g")
            await producer.click("button:has-text('Thêm sản phẩm')")
            await expect(producer.locator("main")).to_contain_text("Chè xanh Thanh Chương")
            await expect(producer.locator("main")).to_contain_text("01/09/2028")  # valid 36 months

            # 3. Apply to the fair from its page, preferring booth A-10.
            await producer.goto(f"{live_url}/events/{FAIR}")
            await producer.click("a:has-text('Đăng ký gian hàng')")
            await producer.check("input[name=product_ids]")
            await producer.select_option("#f-preference_1", label=await _option_label(producer, "#f-preference_1", "A-10"))
            await producer.fill("#f-note", "Xin gian hàng gần lối vào.")
            await _shot(producer, "j2-apply")
            await producer.click("button:has-text('Gửi đơn đăng ký')")
            await expect(producer.locator("main")).to_contain_text("Hội chợ sản phẩm OCOP khu vực Bắc Trung Bộ")
            await expect(producer.locator("main")).to_contain_text("Đã nộp")

            # 4. Staff approve it with A-10.
            await staff.goto(f"{live_url}/login")
            await staff.fill("#f-email", "staff@ocop.example")
            await staff.fill("#f-password", DEMO_PASSWORD)
            await staff.click("main button:has-text('Đăng nhập')")
            await staff.goto(f"{live_url}/staff/events/{fair['id']}/applications")
            card = staff.locator("article, li, section, tr").filter(has_text="HTX Chè Thanh Chương").last
            booth_select = card.locator("select[name=booth_id]")
            await booth_select.select_option(label=await _option_label(staff, booth_select, "A-10"))
            await card.locator("button:has-text('Duyệt')").first.click()
            await expect(staff.locator("main")).to_contain_text("A-10")
            await _shot(staff, "j2-staff-approved")

            # 5. The producer sees its booth on the floor plan, and confirms it.
            await producer.goto(f"{live_url}/events/{FAIR}/floor-plan")
            own = producer.locator("g.booth-own")
            await expect(own).to_have_count(1)
            assert await own.get_attribute("data-code") == "A-10"
            await expect(producer.locator("main")).to_contain_text("Gian hàng của bạn")
            await _shot(producer, "j2-floor-plan")
            await producer.goto(f"{live_url}/my/applications")
            await producer.click("button:has-text('Xác nhận')")
            await expect(producer.locator("main")).to_contain_text("Đã xác nhận")
        finally:
            await browser.close()

    producer_row = await Producer.select(Producer.id).where(Producer.name == "HTX Chè Thanh Chương").first()
    assert await Product.exists().where((Product.producer == producer_row["id"]) & (Product.valid_until == dt.date(2028, 9, 1)))
    application = await BoothApplication.select(BoothApplication.id, BoothApplication.status).where(
        (BoothApplication.producer == producer_row["id"]) & (BoothApplication.event == fair["id"])
    ).first()
    assert application["status"] == "confirmed"
    rental = await BoothRental.select(BoothRental.booth.code, BoothRental.status).where(
        BoothRental.application == application["id"]
    ).first()
    assert rental == {"booth.code": "A-10", "status": "active"}


async def _option_label(page: Page, select, code: str) -> str:
    """The full label of the option that starts with a booth code."""
    locator = page.locator(select) if isinstance(select, str) else select
    labels = await locator.locator("option").all_inner_texts()
    return next(label.strip() for label in labels if label.strip().startswith(code))
