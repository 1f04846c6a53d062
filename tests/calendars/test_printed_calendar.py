"""The printed calendar (/calendar.pdf): a month or a year of events grouped by month, with the
filters of /calendar, in the reader's language; values that name no period are refused clearly."""

from __future__ import annotations

import datetime as dt
import io
import pytest
from pypdf import PdfReader

from events_app.calendars import printed
from events_app.core.clock import today
from tests.calendars.conftest import local, make_event
from tests.helpers import post_form, text_of


def pdf_text(content: bytes) -> tuple[str, int, set[str]]:
    """The text of every page, joined; how many pages; the fonts embedded."""
    reader = PdfReader(io.BytesIO(content))
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+", 1)[-1]
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages), fonts


def flat(text: str) -> str:
    return " ".join(text.split())


def in_order(text: str, *parts: str) -> bool:
    positions = [text.find(part) for part in parts]
    return -1 not in positions and positions == sorted(positions)


@pytest.fixture
async def season():
    """A year of events in two provinces, and some that must not be printed."""
    made = {
        "jan": await make_event(title="Hội chợ OCOP Nghệ An mùa xuân", province="Nghệ An",
                                starts=local(2027, 1, 12, 8), ends=local(2027, 1, 16, 17), organiser="Sở Công Thương Nghệ An"),
        "mar_conf": await make_event(title="Hội nghị kết nối cung cầu Tây Nguyên", kind="conference", province="Đắk Lắk",
                                     title_en="Central Highlands supply and demand conference",
                                     starts=local(2027, 3, 20, 8), ends=local(2027, 3, 20, 17),
                                     organiser="Trung tâm Xúc tiến Thương mại Đắk Lắk"),
        "mar_fair": await make_event(title="Hội chợ đặc sản Cửa Lò", province="Nghệ An",
                                     starts=local(2027, 3, 5, 8), ends=local(2027, 3, 9, 17)),
        "winter": await make_event(title="Điểm giới thiệu sản phẩm OCOP mùa đông", kind="showroom", province="Nghệ An",
                                   starts=local(2026, 11, 1, 8), ends=local(2027, 2, 28, 17)),
    }
    await make_event(title="Hội chợ năm sau", starts=local(2028, 1, 10, 8))
    await make_event(title="Bản nháp chưa công bố", status="draft", starts=local(2027, 3, 1, 8))
    await make_event(title="Hội chợ đã huỷ", status="cancelled", starts=local(2027, 3, 2, 8))
    return made


async def test_a_year_lists_its_events_by_month_with_venue_and_province(client, season):
    response = await client.get("/calendar.pdf?year=2027")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'inline; filename="lich-su-kien-ocop-2027.pdf"'
    text, pages, fonts = pdf_text(response.content)
    text = flat(text)
    assert "Lịch sự kiện OCOP năm 2027" in text and "Mọi loại sự kiện, tỉnh, thành phố và vùng" in text
    assert "4 sự kiện" in text
    assert in_order(text, "Tháng 1/2027", "Điểm giới thiệu sản phẩm OCOP mùa đông",  # began in 2026: under January
                    "Hội chợ OCOP Nghệ An mùa xuân", "Tháng 3/2027", "Hội chợ đặc sản Cửa Lò",
                    "Hội nghị kết nối cung cầu Tây Nguyên")
    assert "Tháng 2/2027" not in text  # a month without a new event takes no room
    assert "12/01 – 16/01/2027" in text and "01/11/2026 – 28/02/2027" in text and "20/03/2027" in text
    assert "Trung tâm Hội chợ" in text and "Số 1 Lê Lợi" in text and "Đắk Lắk" in text
    assert "Sở Công Thương Nghệ An" in text and "Trung tâm Xúc tiến Thương mại Đắk Lắk" in text
    assert "Hội chợ, triển lãm" in text and "Hội nghị kết nối cung cầu" in text
    for absent in ("Hội chợ năm sau", "Bản nháp chưa công bố", "Hội chợ đã huỷ"):
        assert absent not in text
    assert pages == 1 and "1 / 1" in text
    assert fonts == {"OCOP-Sans", "OCOP-Sans-Bold"}


async def test_a_month_with_filters(client, season):
    text = flat(pdf_text((await client.get("/calendar.pdf?month=2027-03")).content)[0])
    assert "Lịch sự kiện OCOP · Tháng 3/2027" in text
    assert in_order(text, "Hội chợ đặc sản Cửa Lò", "Hội nghị kết nối cung cầu Tây Nguyên")
    assert "Hội chợ OCOP Nghệ An mùa xuân" not in text and "mùa đông" not in text

    response = await client.get("/calendar.pdf?year=2027&kind=fair&province=nghe-an")
    text = flat(pdf_text(response.content)[0])
    assert "Loại: Hội chợ, triển lãm · Tỉnh, thành phố: Nghệ An" in text
    assert in_order(text, "Hội chợ OCOP Nghệ An mùa xuân", "Hội chợ đặc sản Cửa Lò")
    assert "Tây Nguyên" not in text and "mùa đông" not in text

    region = flat(pdf_text((await client.get("/calendar.pdf?year=2027&region=tay-nguyen")).content)[0])
    assert "Vùng: Tây Nguyên" in region and "Hội nghị kết nối cung cầu Tây Nguyên" in region and "Cửa Lò" not in region

    empty = flat(pdf_text((await client.get("/calendar.pdf?year=2030")).content)[0])
    assert "Không có sự kiện nào trong thời gian này phù hợp với bộ lọc" in empty


async def test_in_english(client, season):
    await post_form(client, "/language", {"language": "en", "next": "/calendar"})
    text = flat(pdf_text((await client.get("/calendar.pdf?year=2027")).content)[0])
    assert "OCOP events calendar 2027" in text and "All kinds, provinces and regions" in text
    assert in_order(text, "January 2027", "March 2027", "Central Highlands supply and demand conference")
    assert "Dates Event Venue Province Organiser" in text and "Connection conference" in text
    month = flat(pdf_text((await client.get("/calendar.pdf?month=2027-03&kind=conference")).content)[0])
    assert "OCOP events calendar · March 2027" in month and "Kind: Connection conference" in month


async def test_a_long_year_flows_on_from_page_to_page(client):
    for n in range(60):
        await make_event(title=f"Hội chợ số {n:02d}", starts=local(2027, 1 + n // 5, 1 + n % 5 * 5, 8))
    text, pages, _ = pdf_text((await client.get("/calendar.pdf?year=2027")).content)
    # Months follow each other on the page: no month starts a page of its own.
    assert pages <= 6, pages
    assert f"{pages} / {pages}" in text
    assert in_order(flat(text), *(f"Hội chợ số {n:02d}" for n in range(60)))


@pytest.mark.parametrize("query, message", [
    ("year=1999", "Hãy chọn một năm từ 2000 đến 2100"),
    ("year=2101", "Hãy chọn một năm từ 2000 đến 2100"),
    ("year=abc", "Hãy chọn một năm từ 2000 đến 2100"),
    ("year=-2027", "Hãy chọn một năm từ 2000 đến 2100"),
    ("year=" + "9" * 400, "Hãy chọn một năm từ 2000 đến 2100"),
    ("year=２０２７", "Hãy chọn một năm từ 2000 đến 2100"),  # full-width digits are not a year here
    ("month=2027-13", "Hãy chọn một tháng dạng yyyy-mm, từ 01/2000 đến 12/2100"),
    ("month=abc", "Hãy chọn một tháng dạng yyyy-mm"),
    ("month=1999-12", "Hãy chọn một tháng dạng yyyy-mm"),
])
async def test_a_period_that_does_not_exist_is_refused_clearly(client, query, message):
    response = await client.get(f"/calendar.pdf?{query}")
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert message in text_of(response.text)


def test_periods():
    year = printed.Period(2027)
    assert year.first == dt.date(2027, 1, 1) and year.following == dt.date(2028, 1, 1) and len(year.months()) == 12
    start, end = year.bounds()
    assert start == dt.datetime(2026, 12, 31, 17, tzinfo=dt.timezone.utc) and end.year == 2027 and end.month == 12
    december = printed.period_from_query("", "2100-12")
    assert december == printed.Period(2100, 12) and december.following == dt.date(2101, 1, 1)
    assert december.filename() == "lich-su-kien-ocop-2100-12.pdf"
    assert printed.period_from_query("2100", "2027-03") == printed.Period(2100)  # a year asked for wins
    assert printed.period_from_query(" ", "") == printed.Period(today().year, today().month)  # neither: this month
