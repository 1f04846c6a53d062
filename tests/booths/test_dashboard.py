"""A fair's dashboard for staff: the figures counted by the database match the rows made, the
bars are drawn to their numbers, the workbook holds the same tables, and only staff see it."""

import io
import re

import pytest
from openpyxl import load_workbook

from events_app.booths import dashboard
from events_app.booths.tables import Booth
from events_app.core.i18n import language
from tests.booths.conftest import log_in
from tests.catalogue.builders import exhibit, make_fair
from tests.factories import make_producer, make_product, make_user
from tests.helpers import text_of

A_PRICE, B_PRICE = 4_000_000, 2_500_000


@pytest.fixture
async def market(clean_db):
    """Khu A: A-01…A-06 at 4 million; Khu B: B-01…B-04 at 2.5 million, B-04 blocked. Six
    producers of three provinces: two confirmed, one approved, one on the waiting list, one
    waiting for review, one refused."""
    event, booths = await make_fair()
    await Booth.update({Booth.price: A_PRICE}).where(Booth.code.like("A-%") & (Booth.event == event["id"]))
    await Booth.update({Booth.price: B_PRICE}).where(Booth.code.like("B-%") & (Booth.event == event["id"]))
    await Booth.update({Booth.is_blocked: True}).where(Booth.id == booths["B-04"])
    made = {}
    for key, province, stars, status, booth in (
        ("p1", "Nghệ An", [5], "confirmed", "A-01"),
        ("p2", "Nghệ An", [4, 3], "approved", "A-02"),
        ("p3", "Hà Tĩnh", [3], "confirmed", "B-01"),
        ("p4", "Hà Tĩnh", [4], "waitlisted", None),
        ("p5", "Quảng Ninh", [4], "submitted", None),
        ("p6", "Quảng Ninh", [3], "rejected", None),
    ):
        producer = await make_producer(f"HTX Bảng {key}", province=province)
        products = [await make_product(producer, stars=s, group="food" if n == 0 else "beverages")
                    for n, s in enumerate(stars)]
        made[key] = await exhibit(event, producer, products, status=status, booth_id=booths[booth] if booth else None)
    return event


def _bars(svg: str) -> list[tuple[str, float, float]]:
    """(row label, value, drawn width) of each bar of a chart."""
    out = []
    for row in re.finditer(r'<g class="row" data-label="([^"]*)">(.*?)</g>', svg, re.S):
        for bar in re.finditer(r'<rect class="bar" data-series="\d+" data-value="([\d.]+)" x="[\d.]+" y="[\d.]+" '
                               r'width="([\d.]+)"', row.group(2)):
            out.append((row.group(1), float(bar.group(1)), float(bar.group(2))))
    return out


def _section(html: str, key: str) -> str:
    return html[html.index(f'id="{key}"'):].split("</section>")[0]


async def test_the_figures_are_those_of_the_rows(market):
    with language("en"):
        board = await dashboard.dashboard(market)
    tables = {t.key: t for t in board.tables}
    assert tables["halls"].rows == [["Khu A", 6, 0, 1, 1, 4, 33.3], ["Khu B", 4, 1, 1, 0, 2, 33.3]]
    assert tables["halls"].total == ["Total", 10, 1, 2, 1, 6, 33.3]
    assert dict((r[0], r[1]) for r in tables["statuses"].rows) == {
        "Submitted": 1, "Approved": 1, "Waitlisted": 1, "Rejected": 1, "Confirmed": 2, "Cancelled": 0}
    assert tables["provinces"].rows == [["Hà Tĩnh", 2, 1], ["Nghệ An", 2, 2], ["Quảng Ninh", 2, 0]]
    assert tables["groups"].rows == [["Food", 6, 3, 6], ["Beverages", 1, 1, 1]]
    assert tables["stars"].rows == [["5 stars", 1, 1], ["4 stars", 3, 1], ["3 stars", 2, 1]]
    assert tables["fees"].rows == [["Khu A", A_PRICE, A_PRICE, 4 * A_PRICE, 6 * A_PRICE],
                                   ["Khu B", B_PRICE, 0, 2 * B_PRICE, 3 * B_PRICE]]
    assert board.figures == {"booths": 9, "taken": 3, "confirmed": 2, "applications": 6, "submitted": 1,
                             "waitlisted": 1, "confirmed_fees": A_PRICE + B_PRICE, "pending_fees": A_PRICE}


async def test_staff_read_the_dashboard_with_bars_drawn_to_the_numbers(client, market):
    event = market
    await log_in(client, await make_user("staff"))
    page = await client.get(f"/staff/events/{event['id']}/dashboard")
    assert page.status_code == 200
    html = page.text
    text = text_of(html)
    assert "3/9 gian hàng đã có chủ (33,3 %)" in text
    assert "Khu A 6 0 1 1 4 33,3 %" in text and "Khu B 4 1 1 0 2 33,3 %" in text
    assert "Hà Tĩnh 2 1" in text and "Nghệ An 2 2" in text and "Quảng Ninh 2 0" in text
    assert "5 sao 1 1" in text and "4 sao 3 1" in text and "3 sao 2 1" in text
    assert "Khu A 4.000.000 ₫ 4.000.000 ₫ 16.000.000 ₫ 24.000.000 ₫" in text
    # Figures lead to the lists they count.
    statuses = _section(html, "statuses")
    base = f"/staff/events/{event['id']}/applications"
    assert f'<a href="{base}?status=confirmed">2</a>' in statuses
    assert f'<a href="{base}?status=submitted">1</a>' in statuses
    assert f'href="{base}?status=waitlisted"' in html
    # The links lead to the lists, which hold as many.
    listed = text_of((await client.get(f"{base}?status=confirmed")).text)
    assert "Đã xác nhận (2)" in listed

    # Bars: each as long as its number says, on one scale per chart.
    bars = _bars(_section(html, "statuses").split('class="chart-narrow"')[0])
    by_label = {label: (value, width) for label, value, width in bars}
    assert by_label["Đã xác nhận"][0] == 2 and by_label["Đã nộp"][0] == 1
    assert by_label["Đã xác nhận"][1] == pytest.approx(2 * by_label["Đã nộp"][1], abs=0.02)
    assert by_label["Đã hủy"][1] == 0
    halls = _bars(_section(html, "halls").split('class="chart-narrow"')[0])
    khu_a = [(v, w) for label, v, w in halls if label == "Khu A"]
    assert [v for v, _ in khu_a] == [1, 1, 4, 0]  # confirmed, awaiting, free, blocked
    assert khu_a[2][1] == pytest.approx(4 * khu_a[0][1], abs=0.02) and khu_a[0][1] == pytest.approx(khu_a[1][1])
    khu_b = [(v, w) for label, v, w in halls if label == "Khu B"]
    assert [v for v, _ in khu_b] == [1, 0, 2, 1]
    assert sum(w for _, w in khu_b) == pytest.approx(sum(w for _, w in khu_a) * 4 / 6, abs=0.05)
    fees = _bars(_section(html, "fees").split('class="chart-narrow"')[0])
    assert [v for label, v, _ in fees if label == "Khu A"] == [A_PRICE, A_PRICE, 4 * A_PRICE]
    # Linked from the event's staff pages.
    assert f'href="/staff/events/{event["id"]}/dashboard"' in (await client.get(base)).text
    assert f'href="/staff/events/{event["id"]}/dashboard"' in (await client.get(f"/staff/events/{event['id']}")).text


async def test_the_workbook_holds_the_same_tables(client, market):
    event = market
    await log_in(client, await make_user("staff"))
    response = await client.get(f"/staff/events/{event['id']}/dashboard.xlsx")
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith('attachment; filename="bang-tong-hop-')
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Mức lấp đầy theo khu", "Đơn đăng ký theo trạng thái", "Đơn đăng ký theo tỉnh",
                               "Đơn đăng ký theo nhóm sản phẩm", "Cơ cấu số sao", "Phí gian hàng"]
    rows = [[c.value for c in row] for row in book["Mức lấp đầy theo khu"].iter_rows()]
    assert rows == [
        ["Khu vực", "Gian hàng", "Không cho thuê", "Đã xác nhận", "Chờ xác nhận", "Còn trống", "Tỷ lệ lấp đầy"],
        ["Khu A", 6, 0, 1, 1, 4, 0.333],
        ["Khu B", 4, 1, 1, 0, 2, 0.333],
        ["Tổng cộng", 10, 1, 2, 1, 6, 0.333],
    ]
    # Shares are numbers in Excel's per-cent format, shown as 33,3 % and summed or sorted as numbers.
    assert book["Mức lấp đầy theo khu"].cell(row=2, column=7).number_format == "0.0%"
    rows = [[c.value for c in row] for row in book["Phí gian hàng"].iter_rows()]
    assert rows[0] == ["Khu vực", "Đã xác nhận", "Chờ xác nhận", "Gian hàng còn trống", "Tất cả gian hàng"]
    assert rows[1:] == [["Khu A", A_PRICE, A_PRICE, 4 * A_PRICE, 6 * A_PRICE],
                        ["Khu B", B_PRICE, 0, 2 * B_PRICE, 3 * B_PRICE],
                        ["Tổng cộng", A_PRICE + B_PRICE, A_PRICE, 4 * A_PRICE + 2 * B_PRICE, 6 * A_PRICE + 3 * B_PRICE]]
    rows = [[c.value for c in row] for row in book["Đơn đăng ký theo tỉnh"].iter_rows()]
    assert rows == [["Tỉnh, thành phố", "Đơn đăng ký", "Đã duyệt hoặc xác nhận"],
                    ["Hà Tĩnh", 2, 1], ["Nghệ An", 2, 2], ["Quảng Ninh", 2, 0], ["Tổng cộng", 6, 3]]


@pytest.mark.parametrize("role", ["producer", "distributor", None])
async def test_only_staff_see_the_dashboard(client, market, role):
    if role:
        await log_in(client, await make_user(role))
    for path in ("dashboard", "dashboard.xlsx"):
        response = await client.get(f"/staff/events/{market['id']}/{path}")
        assert response.status_code in ((403,) if role else (302, 401, 403)), (role, path, response.status_code)
        assert "Khu A" not in response.text[:5000] if response.headers.get("content-type", "").startswith("text") else True
