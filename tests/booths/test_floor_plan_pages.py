"""The public floor plan (SVG in the page, legend, table) and the booths panel of the event page."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

from events_app.booths import floorplan
from events_app.booths.tables import BoothApplication, BoothRental
from tests.booths.conftest import log_in, make_event, make_venue, next_month, producer_with_products, today
from tests.factories import make_user
from tests.helpers import text_of

SVG_NS = "{http://www.w3.org/2000/svg}"


async def _hold(event, booth_id, producer, *, app_status="confirmed", rental_status="active", starts_on=None, ends_on=None):
    application = BoothApplication(event=event["id"], producer=producer.id, status=app_status)
    await application.save()
    starts_on = starts_on or event["starts_at"].date()
    await BoothRental(booth=booth_id, application=application.id, producer=producer.id, starts_on=starts_on,
                      ends_on=ends_on or starts_on + dt.timedelta(days=4), status=rental_status).save()
    return application


def _svgs(html: str) -> list[ET.Element]:
    """The page's SVG drawings, parsed as XML: they must be well-formed."""
    return [ET.fromstring(match) for match in re.findall(r"(?s)<svg xmlns=.*?</svg>", html)]


def _booths(svg: ET.Element) -> dict[str, ET.Element]:
    return {g.get("data-code"): g for g in svg.iter(f"{SVG_NS}g")}


def _title(g: ET.Element) -> str:
    return " ".join(g.find(f"{SVG_NS}title").text.split())


async def test_the_fair_floor_plan_shows_booths_coloured_by_status(client, fair):
    event, booths = fair["event"], fair["booths"]
    taken_by, _, _ = await producer_with_products("HTX Chè Thanh Chương")
    held_by, _, _ = await producer_with_products("HTX Gà Tiên Yên")
    await _hold(event, booths["A-01"], taken_by)
    await _hold(event, booths["A-02"], held_by, app_status="approved")
    from events_app.booths.tables import Booth

    await Booth.update({Booth.is_blocked: True}).where(Booth.id == booths["A-03"])

    page = await client.get(f"/events/{event['slug']}/floor-plan")
    assert page.status_code == 200
    [svg] = _svgs(page.text)
    assert svg.get("role") == "group" and svg.find(f"{SVG_NS}title").text == "Sơ đồ gian hàng Khu A"
    drawn = _booths(svg)
    assert sorted(drawn) == [f"A-0{n}" for n in range(1, 9)]
    statuses = {code: g.get("data-status") for code, g in drawn.items()}
    assert statuses == {"A-01": "taken", "A-02": "held", "A-03": "blocked", **{f"A-0{n}": "free" for n in range(4, 9)}}
    for code, g in drawn.items():
        rect, text = g.find(f"{SVG_NS}rect"), g.find(f"{SVG_NS}text")
        assert rect.get("fill") == floorplan.COLOURS[statuses[code]][0]
        assert text.text == code
    # Each booth says what it is; who holds it is public once staff gave it.
    assert _title(drawn["A-01"]) == "A-01: Đã có đơn vị, HTX Chè Thanh Chương · 3.500.000 ₫"
    assert _title(drawn["A-02"]) == "A-02: Đang giữ chỗ, HTX Gà Tiên Yên · 3.500.000 ₫"
    assert _title(drawn["A-04"]) == "A-04: Còn trống · 3.500.000 ₫"

    text = text_of(page.text)
    assert "Còn trống: 5 Đang giữ chỗ: 1 Đã có đơn vị: 1 Không cho thuê: 1" in text
    assert "Chú giải" in page.text and "Còn trống nhận đăng ký" in text and "Không cho thuê không đưa vào cho thuê" in text
    # The table repeats the plan for those who do not see it.
    assert "A-01 Tiêu chuẩn 3 × 3 m 3.500.000 ₫ Đã có đơn vị · HTX Chè Thanh Chương" in text
    assert "A-04 Tiêu chuẩn 3 × 3 m 3.500.000 ₫ Còn trống" in text
    assert "Gian hàng của bạn" not in text


async def test_the_signed_in_producer_sees_its_own_booth_highlighted(client, fair):
    event, booths = fair["event"], fair["booths"]
    producer, _, user = await producer_with_products("HTX Sen quê Bác")
    other, _, _ = await producer_with_products()
    await _hold(event, booths["A-05"], producer, app_status="approved")
    await _hold(event, booths["A-06"], other)
    await log_in(client, user)

    page = await client.get(f"/events/{event['slug']}/floor-plan")
    drawn = _booths(_svgs(page.text)[0])
    own = drawn["A-05"]
    assert "booth-own" in own.get("class")
    assert own.find(f"{SVG_NS}rect").get("stroke") == floorplan.OWN_OUTLINE
    assert _title(own).startswith("A-05: Đang giữ chỗ (gian hàng của bạn)")
    assert "booth-own" not in drawn["A-06"].get("class")
    text = text_of(page.text)
    assert "Gian hàng của bạn" in text  # in the legend and the table
    assert "A-05 Tiêu chuẩn 3 × 3 m 3.500.000 ₫ Đang giữ chỗ Gian hàng của bạn" in text


async def test_one_drawing_per_hall_and_booths_past_the_walls_stay_visible(client, clean_db):
    venue, halls = await make_venue((("Khu A", 40, 24), ("Khu B", 16, 8)))
    event = await make_event(venue)
    from tests.booths.conftest import add_booths

    await add_booths(event, halls[0], 1, 2, "A")
    await add_booths(event, halls[1], 1, 6, "B")  # 6 × 3 m from x = 1: two booths pass the 16 m wall
    page = await client.get(f"/events/{event['slug']}/floor-plan")
    svgs = _svgs(page.text)
    assert [s.find(f"{SVG_NS}title").text for s in svgs] == ["Sơ đồ gian hàng Khu A", "Sơ đồ gian hàng Khu B"]
    assert sorted(_booths(svgs[1])) == [f"B-0{n}" for n in range(1, 7)]
    assert svgs[1].get("viewBox") == "-1 -1 21 10"  # widened to x = 19, plus margins


async def test_the_showroom_plan_shows_the_month_and_each_slots_rentals(client, showroom):
    event, booths = showroom["event"], showroom["booths"]
    renter, _, _ = await producer_with_products("HTX Muối tôm Bạc Liêu")
    asker, _, _ = await producer_with_products("Cơ sở miến gạo Quy Chính")
    month = next_month()
    month_end = next_month(month) - dt.timedelta(days=1)
    await _hold(event, booths["K-03"], renter, app_status="approved", starts_on=month, ends_on=month_end)
    await _hold(event, booths["K-04"], asker, app_status="submitted", rental_status="held", starts_on=month,
                ends_on=month_end)

    # This month: every slot free, yet the schedule lists next month's rentals.
    page = await client.get(f"/events/{event['slug']}/floor-plan")
    text = text_of(page.text)
    assert f"Kệ hàng tháng {today().strftime('%m/%Y')}" in text
    assert {g.get("data-status") for g in _booths(_svgs(page.text)[0]).values()} == {"free"}
    period = f"{month.strftime('%d/%m/%Y')} – {month_end.strftime('%d/%m/%Y')}"
    assert f"{period}: HTX Muối tôm Bạc Liêu" in text
    # A request not yet approved is listed without its name.
    assert f"{period}: một đơn đang chờ duyệt" in text
    assert "Cơ sở miến gạo Quy Chính" not in text

    page = await client.get(f"/events/{event['slug']}/floor-plan?month={month.strftime('%Y-%m')}")
    statuses = {code: g.get("data-status") for code, g in _booths(_svgs(page.text)[0]).items()}
    assert statuses == {"K-01": "free", "K-02": "free", "K-03": "held", "K-04": "held"}
    assert "Giá thuê một tháng" in text_of(page.text)

    # Staff see who asked.
    staff = await make_user("staff")
    await log_in(client, staff)
    page = await client.get(f"/events/{event['slug']}/floor-plan")
    assert "Cơ sở miến gạo Quy Chính" in text_of(page.text)


async def test_months_out_of_range_are_kept_within_the_showroom(client, showroom):
    event = showroom["event"]
    for month in ("1999-01", "2999-12", "nonsense"):
        page = await client.get(f"/events/{event['slug']}/floor-plan?month={month}")
        assert page.status_code == 200
    page = await client.get(f"/events/{event['slug']}/floor-plan?month=1999-01")
    assert f"Kệ hàng tháng {today().strftime('%m/%Y')}" in text_of(page.text)
    assert 'rel="prev"' not in page.text  # the showroom opened this month


async def test_floor_plans_of_unknown_drafts_and_conferences_are_not_found(client, fair):
    venue, _ = await make_venue()
    draft = await make_event(venue, status="draft")
    conference = await make_event(venue, kind="conference")
    assert (await client.get("/events/khong-co/floor-plan")).status_code == 404
    assert (await client.get(f"/events/{draft['slug']}/floor-plan")).status_code == 404
    response = await client.get(f"/events/{conference['slug']}/floor-plan")
    assert response.status_code == 404
    assert "chỉ hội chợ và điểm giới thiệu sản phẩm mới có gian hàng" in text_of(response.text)


async def test_the_event_page_panel(client, fair):
    event, booths = fair["event"], fair["booths"]
    other, _, _ = await producer_with_products()
    await _hold(event, booths["A-01"], other)
    url = f"/events/{event['slug']}"

    text = text_of((await client.get(url)).text)
    assert "Còn trống: 7 Đang giữ chỗ: 0 Đã có đơn vị: 1 trên tổng số 8 gian hàng" in text
    assert "Đăng nhập bằng tài khoản chủ thể OCOP để đăng ký." in text

    distributor = await make_user("distributor")
    await log_in(client, distributor)
    assert "Chỉ chủ thể OCOP mới đăng ký được gian hàng." in text_of((await client.get(url)).text)

    producer, _, user = await producer_with_products()
    await log_in(client, user)
    page = await client.get(url)
    assert f'href="/events/{event["slug"]}/apply"' in page.text
    await _hold(event, booths["A-07"], producer, app_status="approved")
    text = text_of((await client.get(url)).text)
    assert "Đơn đăng ký của bạn: Đã duyệt. Gian hàng của bạn: A-07." in text
    assert f'href="/events/{event["slug"]}/apply"' not in (await client.get(url)).text


async def test_the_panel_says_when_applications_open_or_closed(client, clean_db):
    from tests.booths.conftest import local

    venue, _ = await make_venue()
    later = await make_event(venue, application_opens_at=local(today() + dt.timedelta(days=3)))
    closed_window = await make_event(venue, application_closes_at=local(today() - dt.timedelta(days=1)))
    closed = await make_event(venue, status="closed")
    opens = (today() + dt.timedelta(days=3)).strftime("%d/%m/%Y")
    assert f"Hạn nhận đơn mở từ ngày {opens}." in text_of((await client.get(f"/events/{later['slug']}")).text)
    assert "Đã hết hạn nhận đơn đăng ký." in text_of((await client.get(f"/events/{closed_window['slug']}")).text)
    assert "Sự kiện đã kết thúc: không còn nhận đơn đăng ký." in text_of((await client.get(f"/events/{closed['slug']}")).text)
    # Conferences have no booths panel.
    conference = await make_event(venue, kind="conference")
    page = await client.get(f"/events/{conference['slug']}")
    assert page.status_code == 200 and "booth-panel" not in page.text
    assert "booth-panel" in (await client.get(f"/events/{closed['slug']}")).text
