"""A report as a workbook holds the table of its page; as a PDF it prints its figures, charts
included, in fonts that carry Vietnamese; both follow the filters. Staff and admin only."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.booths.conftest import log_in
from tests.factories import make_user
from tests.helpers import text_of
from tests.reports.conftest import YEAR, table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORTS = ("products-by-star", "recognitions", "producers", "producer-attributes", "participation", "booths", "mous",
           "mous-over-time")


def workbook_rows(content: bytes) -> list[list]:
    assert content[:2] == b"PK"
    sheet = load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def as_page_prints(value) -> str:
    """A cell of the workbook as the page prints it (Vietnamese: 1.234.567, dates dd/mm/yyyy, shares
    16,7 %, which the workbook holds as the number 0.167)."""
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, float):
        return f"{value * 100:.1f} %".replace(".", ",")
    return str(value)


def pdf_text(content: bytes) -> tuple[str, set[str]]:
    reader = PdfReader(io.BytesIO(content))
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+", 1)[-1]
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split()), fonts


@pytest.mark.parametrize("name", REPORTS)
async def test_the_workbook_holds_the_table_of_the_page(staff, programme, name):
    page = await staff.get(f"/staff/reports/{name}")
    sections = table(page.text)
    response = await staff.get(f"/staff/reports/{name}.xlsx")
    assert response.status_code == 200 and response.headers["content-type"] == XLSX
    assert response.headers["content-disposition"].startswith(f'attachment; filename="bao-cao-{name}-')
    rows = workbook_rows(response.content)
    assert rows[0] == sections["thead"][0]
    printed = [[as_page_prints(v) for v in row] for row in rows[1:]]
    # Amounts are numbers in the workbook; the page adds the currency sign.
    page_rows = [[c.removesuffix(" ₫") for c in row] for row in sections["tbody"] + sections["tfoot"]]
    assert printed == page_rows


async def test_the_workbook_keeps_numbers_as_numbers_and_follows_the_filters(staff, programme):
    content = (await staff.get(f"/staff/reports/booths?format=xlsx&year={YEAR}")).content
    rows = workbook_rows(content)
    assert rows[1][4:] == [3, 2, 0.667, 2, 7_000_000]  # the share a number, so it sorts and sums
    share = load_workbook(io.BytesIO(content)).active.cell(row=2, column=7)
    assert share.number_format == "0.0%" and share.data_type == "n"
    assert rows[1][2].year == YEAR and rows[-1][0] == "Tổng cộng"
    rows = workbook_rows((await staff.get("/staff/reports/products-by-star.xlsx?region=bac-trung-bo-va-duyen-hai-mien-trung")).content)
    assert rows[1:] == [["Nghệ An", "Bắc Trung Bộ và Duyên hải miền Trung", 2, 1, 1, 4], ["Tổng cộng", None, 2, 1, 1, 4]]


async def test_the_pdf_prints_the_figures_and_the_charts(staff, programme):
    response = await staff.get(f"/staff/reports/booths.pdf?year={YEAR}")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == f'inline; filename="bao-cao-booths-{_today()}-{YEAR}.pdf"'
    text, fonts = pdf_text(response.content)
    fair = programme.fair["title_vi"]
    for expected in ("Tỷ lệ lấp đầy gian hàng và phí thu", f"Năm: {YEAR}", fair, "66,7 %", "7.000.000 ₫",
                     "Gian hàng có thể thuê", "2/3 · 66,7 %", "7 triệu", "Tổng cộng"):
        assert expected in text, expected
    assert fonts and all(font.startswith("Noto-Sans") for font in fonts), fonts  # the charts' text too

    text, _ = pdf_text((await staff.get("/staff/reports/products-by-star?format=pdf&units=former")).content)
    for expected in ("Sản phẩm theo hạng sao và tỉnh, thành phố", "Đơn vị hành chính: Đơn vị cũ (trước ngày 1/7/2025)",
                     "Bạc Liêu", "Cà Mau (chưa ghi đơn vị cũ)", "Tỉnh cũ"):
        assert expected in text, expected

    text, _ = pdf_text((await staff.get(f"/staff/reports/mous-over-time.pdf?year={YEAR}")).content)
    assert f"03/{YEAR} 2 2.050.000.000 ₫" in text and "2,05 tỷ" in text


async def test_the_files_of_a_report_not_yet_recorded_say_so(staff, programme):
    text, _ = pdf_text((await staff.get("/staff/reports/online.pdf")).content)
    assert "Chưa có số liệu" in text and "Sản phẩm bán trực tuyến theo tỉnh, thành phố" in text
    [header, [cell]] = workbook_rows((await staff.get("/staff/reports/online.xlsx")).content)
    assert header == ["Chưa có số liệu"] and cell.startswith("Chưa có số liệu. Chưa sản phẩm nào có thông tin bán trực tuyến")


def _today() -> str:
    from events_app.core.clock import today

    return today().isoformat()


ROLES = ["visitor", "producer", "distributor", "staff", "admin"]
PATHS = ["/staff/reports/", "/staff/reports/booths", "/staff/reports/booths.xlsx", "/staff/reports/mous.pdf",
         "/staff/reports/online"]


@pytest.mark.parametrize("role", ROLES)
async def test_reports_are_for_staff_and_admin_only(client, programme, role):
    if role != "visitor":
        await log_in(client, await make_user(role))
    for path in PATHS:
        response = await client.get(path)
        where = f"{role} GET {path}"
        if role in ("staff", "admin"):
            assert response.status_code == 200, where
        elif role == "visitor":
            assert response.status_code in (302, 303), where
            assert response.headers["location"].startswith("/login?next="), where
        else:
            assert response.status_code == 403, where
            assert "Bạn không thể mở trang này" in text_of(response.text), where
            assert programme.fair["title_vi"] not in response.text and "7.000.000" not in response.text, where
