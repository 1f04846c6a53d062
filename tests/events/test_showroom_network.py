"""Showroom networks: several showroom points at tourist sites under one programme, their week
combined, the shelves free at each point by month, and staff's pages to build a network."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from events_app.booths import decisions, rules
from events_app.booths.availability import availability, months_ahead
from events_app.booths.periods import months_from, shift_month
from events_app.booths.tables import Booth
from events_app.core.clock import today as clock_today
from events_app.core.errors import Conflict
from events_app.core.i18n import LOCAL_TZ
from events_app.demo.loader import load_demo
from events_app.events import networks
from events_app.events.tables import Event, OpeningHours, ShowroomNetwork
from tests.booths.conftest import add_booths, local, make_event, make_venue, producer_with_products, today
from tests.factories import make_user
from tests.helpers import login, post_form, text_of

T = dt.time


def test_the_week_says_which_points_open_when():
    hours = [
        {"event": 1, "weekday": 0, "opens_at": T(7), "closes_at": T(11)},
        {"event": 1, "weekday": 0, "opens_at": T(13), "closes_at": T(17)},
        {"event": 2, "weekday": 0, "opens_at": T(6, 30), "closes_at": T(19)},
        {"event": 2, "weekday": 6, "opens_at": T(8), "closes_at": T(12)},
    ]
    week = networks.week_table([1, 2], hours)
    assert [day.weekday for day in week] == list(range(7))
    monday, tuesday, sunday = week[0], week[1], week[6]
    assert monday.cells == [[networks.Span(T(7), T(11)), networks.Span(T(13), T(17))], [networks.Span(T(6, 30), T(19))]]
    assert (monday.open_points, monday.first_opening, monday.last_closing) == (2, T(6, 30), T(19))
    assert (tuesday.open_points, tuesday.first_opening, tuesday.last_closing) == (0, None, None)
    assert sunday.cells == [[], [networks.Span(T(8), T(12))]] and sunday.open_points == 1


async def _showroom(name: str, slots: int, *, months: int = 12, first: dt.date | None = None) -> tuple[dict, dict[str, int]]:
    venue, halls = await make_venue(((f"Quầy {name}", 16, 8),))
    first = first or today().replace(day=1)
    event = await make_event(
        venue, kind="showroom", starts=first, ends=shift_month(first, months) - dt.timedelta(days=1),
        application_opens_at=local(min(first, today()) - dt.timedelta(days=30)), application_closes_at=None,
    )
    await Event.update({Event.title_vi: f"Điểm OCOP {name}"}).where(Event.id == event["id"])
    event["title_vi"] = f"Điểm OCOP {name}"
    booths = await add_booths(event, halls[0], 1, slots, name[0].upper(), booth_type="shelf", price=1_200_000)
    return event, booths


async def _rent(event: dict, booth: int, first: dt.date, months: int, *, approve: bool, staff_id: int) -> int:
    producer, products, _ = await producer_with_products()
    application = await decisions.apply(event, producer.id, rules.ApplicationForm(
        product_ids=[products[0].id], booth_id=booth, period=months_from(first, months)))
    if approve:
        await decisions.approve(application, booth, staff_id=staff_id)
    return application


async def test_shelves_free_per_point_and_month_are_counted_in_the_database(clean_db):
    staff = await make_user("staff")
    this_month = today().replace(day=1)
    kim_lien, kim_slots = await _showroom("Kim Liên", 4)
    # Nam Đàn opens in two months' time, for three months.
    nam_dan, nam_slots = await _showroom("Nam Đàn", 3, months=3, first=shift_month(this_month, 2))
    await Booth.update({Booth.is_blocked: True}).where(Booth.id == kim_slots["K-04"])  # under repair: never free
    await _rent(kim_lien, kim_slots["K-01"], this_month, 2, approve=True, staff_id=staff.id)  # rented
    await _rent(kim_lien, kim_slots["K-02"], shift_month(this_month, 1), 1, approve=False, staff_id=staff.id)  # asked for
    cancelled = await _rent(kim_lien, kim_slots["K-03"], this_month, 6, approve=False, staff_id=staff.id)
    await decisions.reject(cancelled, "Sản phẩm không phù hợp", staff_id=staff.id)  # freed again
    await _rent(nam_dan, nam_slots["N-01"], shift_month(this_month, 2), 3, approve=True, staff_id=staff.id)

    points = [await networks_point(kim_lien), await networks_point(nam_dan)]
    months, table = await availability(points, this_month)
    assert [m.starts_on for m in months] == [shift_month(this_month, n) for n in range(6)]
    assert [(c.free, c.total, c.open) for c in table[kim_lien["id"]]] == (
        [(2, 3, True), (1, 3, True)] + [(3, 3, True)] * 4)
    assert [(c.free, c.total, c.open) for c in table[nam_dan["id"]]] == (
        [(3, 3, False)] * 2 + [(2, 3, True)] * 3 + [(3, 3, False)])


async def networks_point(event: dict) -> dict:
    return await Event.select(*networks.POINT_COLUMNS).where(Event.id == event["id"]).first()


async def test_a_producer_rents_a_shelf_again_for_a_later_period_never_for_overlapping_days(clean_db):
    event, slots = await _showroom("Kim Liên", 2)
    producer, products, _ = await producer_with_products("HTX Sen quê Bác")
    first = today().replace(day=1)

    def form(start: dt.date, months: int) -> rules.ApplicationForm:
        return rules.ApplicationForm(product_ids=[products[0].id], booth_id=slots["K-01"], period=months_from(start, months))

    await decisions.apply(event, producer.id, form(first, 2))
    await decisions.apply(event, producer.id, form(shift_month(first, 3), 3))  # again, later
    try:
        await decisions.apply(event, producer.id, form(shift_month(first, 1), 3))  # overlaps both
    except Conflict as exc:
        first_end = shift_month(first, 2) - dt.timedelta(days=1)
        assert str(exc) == (f"Bạn đã thuê kệ K-01 từ {first:%d/%m/%Y} đến {first_end:%d/%m/%Y}: "
                            "hãy chọn khoảng thời gian không trùng.")
    else:  # pragma: no cover
        raise AssertionError("an overlapping rental was accepted")
    rentals = await decisions.BoothRental.select(decisions.BoothRental.starts_on, decisions.BoothRental.ends_on).where(
        decisions.BoothRental.producer == producer.id).order_by(decisions.BoothRental.starts_on)
    assert [r["starts_on"] for r in rentals] == [first, shift_month(first, 3)]


async def test_staff_build_a_network_and_visitors_see_its_points_week_and_shelves(client, clean_db):
    kim_lien, kim_slots = await _showroom("Kim Liên", 3)
    nam_dan, _ = await _showroom("Nam Đàn", 2)
    fair_venue, _ = await make_venue()
    fair = await make_event(fair_venue)
    for weekday in range(1, 7):
        await OpeningHours(event=kim_lien["id"], weekday=weekday, opens_at=T(7, 30), closes_at=T(17, 30)).save()
    for weekday in range(7):
        await OpeningHours(event=nam_dan["id"], weekday=weekday, opens_at=T(7), closes_at=T(18)).save()
    staff = await make_user("staff")
    await _rent(kim_lien, kim_slots["K-01"], today().replace(day=1), 1, approve=True, staff_id=staff.id)
    await login(client, staff.email, "correct horse battery")

    # A name is required; the refusal is inline, in Vietnamese.
    refused = await post_form(client, "/staff/networks/new", {"name": "", "organiser": "Sở Công Thương Nghệ An"},
                              page="/staff/networks/new")
    assert refused.status_code == 400 and "Trường này là bắt buộc." in text_of(refused.text)
    assert await ShowroomNetwork.count() == 0

    created = await post_form(client, "/staff/networks/new", {
        "name": "Điểm giới thiệu và bán sản phẩm OCOP Nghệ An", "organiser": "Sở Công Thương Nghệ An",
        "description": "Chuỗi điểm tại các di tích và điểm dừng chân.",
    })
    assert created.status_code == 302
    network = await ShowroomNetwork.select().first()
    assert network["slug"] == "diem-gioi-thieu-va-ban-san-pham-ocop-nghe-an"
    page = f"/staff/networks/{network['id']}"
    assert created.headers["location"] == page

    # Only showrooms can be points.
    wrong = await post_form(client, f"{page}/points", {"event_id": str(fair["id"]), "tourist_site": "Quảng trường"})
    assert wrong.status_code == 400 and "Chỉ điểm giới thiệu sản phẩm mới có thể thuộc một chuỗi điểm." in text_of(wrong.text)
    for event, site in ((kim_lien, "Khu di tích Kim Liên"), (nam_dan, "Núi Đại Huệ")):
        attached = await post_form(client, f"{page}/points", {"event_id": str(event["id"]), "tourist_site": site})
        assert attached.status_code == 302
    # The tourist site of a point is edited on its row.
    edited = await post_form(client, f"{page}/points", {"event_id": str(nam_dan["id"]), "editing": "1",
                                                         "tourist_site": "Khu du lịch núi Đại Huệ"})
    assert edited.status_code == 302
    assert "Đã lưu điểm du lịch của điểm." in text_of((await client.get(page)).text)
    rows = await Event.select(Event.id, Event.network, Event.tourist_site).where(Event.network.is_not_null()).order_by(Event.id)
    assert rows == [{"id": kim_lien["id"], "network": network["id"], "tourist_site": "Khu di tích Kim Liên"},
                    {"id": nam_dan["id"], "network": network["id"], "tourist_site": "Khu du lịch núi Đại Huệ"}]
    staff_page = (await client.get(page)).text
    assert 'value="Khu di tích Kim Liên"' in staff_page and "Đưa ra khỏi chuỗi điểm" in text_of(staff_page)

    # The public list and page, for a visitor.
    await client.post("/logout", data={"_csrf_token": client.cookies.get("ocop_csrf")})
    listing = text_of((await client.get("/showrooms")).text)
    assert "Điểm giới thiệu và bán sản phẩm OCOP Nghệ An" in listing and "2 điểm" in listing
    shown = await client.get(f"/showrooms/{network['slug']}")
    assert shown.status_code == 200
    text = text_of(shown.text)
    assert "Điểm OCOP Kim Liên" in text and "Điểm OCOP Nam Đàn" in text
    assert "Điểm du lịch Khu di tích Kim Liên" in text
    # Monday: Kim Liên closed, Nam Đàn open; Tuesday both, from the earliest opening to the latest closing.
    assert "Thứ Hai đóng cửa 07:00–18:00 07:00–18:00 1 điểm mở cửa" in text
    assert "Thứ Ba 07:30–17:30 07:00–18:00 07:00–18:00 2 điểm mở cửa" in text
    month = today().replace(day=1).strftime("%m/%Y")
    assert "Kệ còn trống theo tháng" in text and month in text
    assert "Khu di tích Kim Liên 2 / 3 kệ trống" in text and "Khu du lịch núi Đại Huệ 2 / 2 kệ trống" in text

    # A point's page links to its network.
    event_page = await client.get(f"/events/{kim_lien['slug']}")
    assert f'href="/showrooms/{network["slug"]}"' in event_page.text
    assert "Chuỗi điểm Điểm giới thiệu và bán sản phẩm OCOP Nghệ An" in text_of(event_page.text)

    # Taking a point out of the network.
    await login(client, staff.email, "correct horse battery")
    detached = await post_form(client, f"{page}/points/{nam_dan['id']}/detach", {})
    assert detached.status_code == 302
    assert await Event.select(Event.network).where(Event.id == nam_dan["id"]).first() == {"network": None}
    assert "Điểm OCOP Nam Đàn" not in text_of((await client.get(f"/showrooms/{network['slug']}")).text)


async def test_only_staff_reach_the_network_pages_and_drafts_stay_hidden(client, clean_db):
    network = ShowroomNetwork(name="Chuỗi điểm thử", slug="chuoi-diem-thu")
    await network.save()
    draft, _ = await _showroom("Nháp", 1)
    await Event.update({Event.status: "draft", Event.network: network.id}).where(Event.id == draft["id"])
    assert (await client.get("/staff/networks")).status_code in (302, 303)
    producer = await make_user("producer")
    await login(client, producer.email, "correct horse battery")
    assert (await client.get("/staff/networks")).status_code == 403
    forbidden = await post_form(client, "/staff/networks/new", {"name": "Không được phép"})
    assert forbidden.status_code == 403 and await ShowroomNetwork.count() == 1
    # A draft point is not shown, and a network with no public point is not listed.
    assert "Chuỗi điểm thử" not in text_of((await client.get("/showrooms")).text)
    page = text_of((await client.get("/showrooms/chuoi-diem-thu")).text)
    assert "Điểm OCOP Nháp" not in page and "Chuỗi điểm này chưa có điểm nào được công bố." in page
    assert (await client.get("/showrooms/khong-co")).status_code == 404


async def test_the_demo_network_has_its_points_at_kim_lien_and_nam_dan(client, clean_db):
    await load_demo()
    await load_demo()  # again: nothing doubled
    [network] = await ShowroomNetwork.select(ShowroomNetwork.id, ShowroomNetwork.name)
    assert network["name"] == "Điểm giới thiệu và bán sản phẩm OCOP Nghệ An"
    points = await networks.points_of(network["id"])
    assert [(p["tourist_site"], p["venue_name"]) for p in points] == [
        ("Khu di tích Kim Liên", "Khu di tích Kim Liên"),
        ("Khu du lịch núi Đại Huệ – Nam Đàn", "Điểm dừng chân du lịch Nam Đàn"),
    ]
    week = networks.week_table([p["id"] for p in points], await networks.hours_of([p["id"] for p in points]))
    assert [day.open_points for day in week] == [1, 2, 2, 2, 2, 2, 2]
    # HTX Sen quê Bác rents its Nam Đàn shelf twice, for periods that do not overlap.
    months, table = await availability(points, clock_today())
    assert len(months) == len(months_ahead(clock_today()))
    nam_dan = table[points[1]["id"]]
    assert nam_dan[0].total == 6 and nam_dan[0].free == 4 and nam_dan[2].free == 6 and nam_dan[3].free == 5

    # One feed for the network: each point's weekly hours as recurring events.
    slug = "diem-gioi-thieu-va-ban-san-pham-ocop-nghe-an"
    page = await client.get(f"/showrooms/{slug}")
    assert f'href="/showrooms/{slug}/calendar.ics"' in page.text
    feed = await client.get(f"/showrooms/{slug}/calendar.ics")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(feed.content)
    assert str(calendar["X-WR-CALNAME"]) == "Điểm giới thiệu và bán sản phẩm OCOP Nghệ An"
    weekly = sorted((str(e["SUMMARY"]), e.start.astimezone(LOCAL_TZ).time(), tuple(e["RRULE"]["BYDAY"]))
                    for e in calendar.walk("VEVENT"))
    kim_lien, nam_dan = "Mở cửa: " + points[0]["title_vi"], "Mở cửa: " + points[1]["title_vi"]
    assert weekly == sorted([
        (kim_lien, T(7, 30), ("TU", "WE", "TH", "FR", "SA", "SU")),
        (nam_dan, T(7), ("MO", "TU", "WE", "TH", "FR")),
        (nam_dan, T(6, 30), ("SA", "SU")),
    ])
    again = await client.get(f"/showrooms/{slug}/calendar.ics", headers={"If-None-Match": feed.headers["etag"]})
    assert again.status_code == 304
    assert (await client.get("/showrooms/khong-co/calendar.ics")).status_code == 404
