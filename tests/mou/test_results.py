"""The signing ceremony's run of show (staff page and PDF) and a conference's public results page:
what they show matches the MoUs made here, read from the HTML and from the PDF's text (pypdf)."""

import datetime as dt
import re

import pytest

from events_app.events.tables import Event
from events_app.mou.tables import Mou
from tests.catalogue.test_conference_documents import keep, pdf_text
from tests.factories import PASSWORD
from tests.helpers import login, post_form
from tests.mou.builders import add_mou, make_agenda


@pytest.fixture
async def world(clean_db):
    """Besides the agreed MoU at 14:10 (Trà Con Cuông × Co.op, 1.250.000.000 ₫, tea):
    signed at 14:00 Cà phê × Central Retail (coffee), fulfilled at 14:05 Trà Con Cuông × Central
    Retail (tea and linh chi mushrooms), lapsed at 14:20 Cà phê × Co.op, one withdrawn with a slot and
    one proposed (neither shown)."""
    world = await make_agenda()
    cast = world.cast
    today = dt.date.today()
    world.mous = {
        "signed": await add_mou(cast, cast.producer2, cast.distributor2, title="Cà phê cho Central Retail",
                                value_vnd=300_000_000, status="signed", slot=0, due_on=today + dt.timedelta(days=30),
                                products=("Cà phê rang xay",)),
        "fulfilled": await add_mou(cast, cast.producer, cast.distributor2, title="Trà và nấm linh chi cho Tops",
                                   value_vnd=500_000_000, status="fulfilled", slot=1,
                                   products=("Trà linh chi", "Nấm linh chi")),
        "lapsed": await add_mou(cast, cast.producer2, cast.distributor, title="Cà phê cho Co.opXtra",
                                value_vnd=200_000_000, status="signed", slot=4, due_on=today - dt.timedelta(days=3),
                                products=("Cà phê rang xay",)),
        "withdrawn": await add_mou(cast, cast.producer2, cast.distributor2, title="Rút lại", value_vnd=7_000_000,
                                   status="withdrawn", slot=5),
        "proposed": await add_mou(cast, cast.producer, cast.distributor, title="Mới đề xuất", value_vnd=9_000_000,
                                  status="proposed"),
    }
    return world


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _section(text: str, start: str, end: str | None = None) -> str:
    tail = text[text.index(start):]
    return tail[:tail.index(end)] if end else tail


RUN_ORDER = [
    ("1", "14:00–14:05", "HTX Cà phê Buôn Ma Thuột (Đắk Lắk)", "Central Retail Test", "Cà phê cho Central Retail",
     "300.000.000 ₫"),
    ("2", "14:05–14:10", "HTX Trà Con Cuông (Nghệ An)", "Central Retail Test", "Trà và nấm linh chi cho Tops",
     "500.000.000 ₫"),
    ("3", "14:10–14:15", "HTX Trà Con Cuông (Nghệ An)", "Siêu thị Co.op Test",
     "Cung ứng trà linh chi cho hệ thống Co.opmart", "1.250.000.000 ₫"),
    ("4", "14:20–14:25", "HTX Cà phê Buôn Ma Thuột (Đắk Lắk)", "Siêu thị Co.op Test", "Cà phê cho Co.opXtra",
     "200.000.000 ₫"),
]


def _assert_run_of_show(text: str) -> None:
    # Each row's number, time, parties, title and value, one after another, rows in slot order.
    position = 0
    for row in RUN_ORDER:
        for part in (f"{row[0]} {row[1]}", *row[2:]):
            found = text.find(part, position)
            assert found >= 0, (part, text[position:position + 300])
            position = found + len(part)
    assert "Rút lại" not in text and "Mới đề xuất" not in text
    assert "4 biên bản ghi nhớ trong lễ ký" in text and "tổng giá trị 2.250.000.000 ₫" in text


async def test_staff_see_and_print_the_run_of_show_in_slot_order(client, world):
    await login(client, "staff@test.example", PASSWORD)
    base = f"/staff/events/{world.event_id}"
    assert f'href="{base}/ceremony/run-of-show"' in (await client.get(f"{base}/mous/")).text
    page = await client.get(f"{base}/ceremony/run-of-show")
    assert page.status_code == 200
    assert f'href="{base}/ceremony/run-of-show.pdf"' in page.text
    text = _text(page.text)
    assert "Kịch bản lễ ký kết" in text
    _assert_run_of_show(text)

    response = await client.get(f"{base}/ceremony/run-of-show.pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    keep("run-of-show.pdf", response.content)
    text = pdf_text(response.content)
    assert "Kịch bản lễ ký kết" in text and f"Hội nghị kết nối cung cầu {world.cast.conference.slug}" in text
    _assert_run_of_show(text)


async def test_only_staff_read_the_run_of_show(client, world):
    base = f"/staff/events/{world.event_id}/ceremony"
    for email in ("sx1@test.example", "pp1@test.example"):
        client.cookies.clear()
        await login(client, email, PASSWORD)
        assert (await client.get(f"{base}/run-of-show")).status_code == 403
        response = await client.get(f"{base}/run-of-show.pdf")
        assert response.status_code == 403 and not response.content.startswith(b"%PDF")
    client.cookies.clear()
    response = await client.get(f"{base}/run-of-show.pdf")
    assert response.status_code in (401, 302, 303) and not response.content.startswith(b"%PDF")


async def test_the_results_page_counts_the_mous_signed_by_province_group_and_follow_up(client, world):
    slug = world.cast.conference.slug
    conference = await client.get(f"/events/{slug}")
    assert f'href="/events/{slug}/results"' in conference.text

    page = await client.get(f"/events/{slug}/results")  # a visitor
    assert page.status_code == 200
    text = _text(page.text)
    assert "Kết quả hội nghị" in text
    # Signed and fulfilled count; the lapsed one (its due date passed) is shown apart.
    figures = _section(text, "Kết quả hội nghị", "Theo dõi thực hiện")
    assert re.search(r"\b2 biên bản ghi nhớ đã ký", figures, re.IGNORECASE), figures
    assert "800.000.000 ₫" in figures and "hết hiệu lực, không tính (200.000.000 ₫)" in figures
    follow = _section(text, "Theo dõi thực hiện", "Theo tỉnh, thành")
    assert "1 đã thực hiện · 500.000.000 ₫" in follow
    assert "1 đang thực hiện · 300.000.000 ₫" in follow
    assert "1 hết hiệu lực: quá hạn mà chưa thực hiện · 200.000.000 ₫" in follow
    provinces = _section(text, "Theo tỉnh, thành", "Theo nhóm sản phẩm")
    assert "Nghệ An 1 500.000.000 ₫" in provinces and "Đắk Lắk 1 300.000.000 ₫" in provinces
    assert provinces.index("Nghệ An") < provinces.index("Đắk Lắk")  # the larger value first
    groups = _section(text, "Theo nhóm sản phẩm")
    # The fulfilled MoU names tea and mushrooms: it counts once in each of their groups.
    assert "Đồ uống 2 800.000.000 ₫" in groups and "Thảo dược 1 500.000.000 ₫" in groups
    assert groups.index("Đồ uống") < groups.index("Thảo dược")
    assert "Rút lại" not in text and "9.000.000 ₫" not in text and "1.250.000.000 ₫" not in text

    await post_form(client, "/language", {"language": "en", "next": "/"})
    english = _text((await client.get(f"/events/{slug}/results")).text)
    assert "Conference results" in english and "Beverages 2 800,000,000 VND" in english
    assert "Herbal and medicinal products 1 500,000,000 VND" in english

    lapsed = await Mou.select(Mou.status).where(Mou.id == world.mous["lapsed"]).first()
    assert lapsed["status"] == "lapsed"  # reading the results lapsed it, as any page that reads MoUs does


async def test_an_unknown_or_draft_conference_has_no_results(client, world):
    assert (await client.get("/events/khong-co/results")).status_code == 404
    await Event.update({Event.status: "draft"}).where(Event.id == world.event_id)
    page = await client.get(f"/events/{world.cast.conference.slug}/results")
    assert page.status_code == 404 and "800.000.000" not in page.text
    # A fair has no MoUs and no results page.
    await Event.update({Event.status: "published", Event.kind: "fair"}).where(Event.id == world.event_id)
    assert (await client.get(f"/events/{world.cast.conference.slug}/results")).status_code == 404
