"""The public side of events: the list and its filters, an event's page, the month calendar."""

import pytest

from tests.events.conftest import local, make_event
from tests.factories import make_user
from tests.helpers import login, text_of


async def test_list_filters_by_kind_province_region_and_month(client):
    await make_event("hoi-cho-nghe-an", title="Hội chợ Nghệ An")
    await make_event("hoi-nghi-dak-lak", kind="conference", province="Đắk Lắk", title="Hội nghị Đắk Lắk",
                     starts=local(2027, 1, 5, 8, 0), days=1)
    await make_event("nhap", status="draft", title="Bản nháp bí mật")

    def titles(response):
        text = text_of(response.text)
        return {t for t in ("Hội chợ Nghệ An", "Hội nghị Đắk Lắk", "Bản nháp bí mật") if t in text}

    assert titles(await client.get("/events")) == {"Hội chợ Nghệ An", "Hội nghị Đắk Lắk"}
    assert titles(await client.get("/events?kind=conference")) == {"Hội nghị Đắk Lắk"}
    assert titles(await client.get("/events?province=dak-lak")) == {"Hội nghị Đắk Lắk"}
    assert titles(await client.get("/events?region=bac-trung-bo-va-duyen-hai-mien-trung")) == {"Hội chợ Nghệ An"}
    assert titles(await client.get("/events?month=2027-01")) == {"Hội nghị Đắk Lắk"}
    assert titles(await client.get("/events?month=2026-12&kind=fair")) == {"Hội chợ Nghệ An"}


@pytest.mark.parametrize("query", ["kind=party", "month=2026-13", "month=abc", "province=nowhere", "region=" + "x" * 500, "page=-3"])
async def test_bad_filters_are_ignored(client, query):
    await make_event("hoi-cho-nghe-an", title="Hội chợ Nghệ An")
    response = await client.get(f"/events?{query}")
    assert response.status_code == 200
    assert "Hội chợ Nghệ An" in text_of(response.text) or "Không có sự kiện nào phù hợp" in text_of(response.text)


async def test_unknown_and_draft_events_are_404(client):
    await make_event("nhap", status="draft")
    for path in ("/events/khong-co", "/events/nhap", "/events/%E2%9C%93"):
        response = await client.get(path)
        assert response.status_code == 404
        assert "Sự kiện này không tồn tại hoặc chưa được công bố." in text_of(response.text)


async def test_event_page_shows_dates_place_rules_in_both_languages(client):
    await make_event("hoi-cho-nghe-an", title="Hội chợ Nghệ An")
    page = text_of((await client.get("/events/hoi-cho-nghe-an")).text)
    assert "17/12/2026 08:00 – 19/12/2026 20:00" in page
    assert "Địa điểm hoi-cho-nghe-an" in page and "Nghệ An" in page
    assert "Sản phẩm OCOP mọi hạng sao" in page
    from tests.helpers import post_form

    await post_form(client, "/language", {"language": "en", "next": "/"})
    page = text_of((await client.get("/events/hoi-cho-nghe-an")).text)
    assert "OCOP products of any star rating" in page and "Who may take part" in page


async def test_month_calendar_places_events_on_their_days(client):
    await make_event("hoi-cho-nghe-an", title="Hội chợ Nghệ An")  # 17–19/12/2026
    html = (await client.get("/calendar?month=2026-12")).text
    assert "12/2026" in text_of(html)
    assert html.count('kind-fair" href="/events/hoi-cho-nghe-an"') == 3  # a cell for each day
    assert "Sự kiện tháng 12/2026" in text_of(html) and "Hội chợ Nghệ An" in text_of(html.split('id="month-list"')[1])
    assert "?month=2027-01" in html.replace("&amp;", "&") or "month=2027-01" in html
    html = (await client.get("/calendar?month=2027-02")).text
    assert 'href="/events/hoi-cho-nghe-an"' not in html


@pytest.mark.parametrize(
    "role, expected",
    [(None, 302), ("producer", 403), ("distributor", 403), ("staff", 200), ("admin", 200)],
)
@pytest.mark.parametrize("path", ["/staff/", "/staff/venues", "/staff/venues/new", "/staff/events", "/staff/events/new",
                                  "/staff/events/{id}", "/staff/events/{id}/sessions", "/staff/events/{id}/opening-hours"])
async def test_staff_pages_by_role(client, role, expected, path):
    event = await make_event()
    if role:
        await make_user(role, f"{role}@example.vn")
        await login(client, f"{role}@example.vn", "correct horse battery")
    response = await client.get(path.format(id=event.id))
    assert response.status_code == expected
    if expected == 302:
        assert response.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize("role", ["producer", "distributor"])
async def test_staff_forms_refuse_other_roles(client, role):
    from events_app.events.tables import Event
    from tests.helpers import post_form

    event = await make_event(status="draft")
    await make_user(role, f"{role}@example.vn")
    await login(client, f"{role}@example.vn", "correct horse battery")
    for url, data in [(f"/staff/events/{event.id}/status", {"action": "publish"}),
                      ("/staff/venues/new", {"name": "X", "province_id": "1"}),
                      (f"/staff/events/{event.id}/sessions", {"title": "X"})]:
        assert (await post_form(client, url, data)).status_code == 403
    assert (await Event.select(Event.status).where(Event.id == event.id).first())["status"] == "draft"


async def test_the_list_comes_in_pages_upcoming_first_with_past_events_one_click_away(client):
    import datetime as dt
    import re

    from events_app.core.clock import now

    soon = now().replace(microsecond=0)
    for n in range(1, 24):  # 23 events to come, made in shuffled order
        day = (n * 7) % 23 + 1
        await make_event(f"sap-toi-{day:02d}", title=f"Sắp tới {day:02d}", starts=soon + dt.timedelta(days=day), days=1)
    await make_event("da-qua-xa", title="Đã qua xa", starts=soon - dt.timedelta(days=60), days=1)
    await make_event("da-qua-gan", title="Đã qua gần", starts=soon - dt.timedelta(days=10), days=1)

    def titles(response) -> list[str]:
        return re.findall(r"(Sắp tới \d\d|Đã qua \w+)", text_of(response.text))

    first = await client.get("/events")
    assert titles(first) == [f"Sắp tới {d:02d}" for d in range(1, 21)]
    assert "23 sự kiện sắp diễn ra" in text_of(first.text)
    assert 'href="?page=2"' in first.text
    second = await client.get("/events?page=2")
    assert titles(second) == ["Sắp tới 21", "Sắp tới 22", "Sắp tới 23"]
    assert titles(await client.get("/events?page=400")) == titles(second)  # past the last page: the last

    assert 'href="/events?when=past">Sự kiện đã diễn ra</a>' in first.text
    past = await client.get("/events?when=past")
    assert titles(past) == ["Đã qua gần", "Đã qua xa"]  # the latest first
    assert "2 sự kiện đã diễn ra" in text_of(past.text)
    assert 'href="/events">Sự kiện sắp tới</a>' in past.text
    assert '<input type="hidden" name="when" value="past">' in past.text  # filtering stays among past events
    assert 'name="when"' not in first.text

    kept = await client.get("/events?when=past&kind=conference")
    assert titles(kept) == [] and 'href="/events?kind=conference">' in kept.text


async def test_the_kept_list_follows_a_change_at_once(client):
    from events_app.events.tables import Event

    await make_event("hoi-cho-dau", title="Hội chợ đầu tiên")
    assert "Hội chợ đầu tiên" in text_of((await client.get("/events")).text)
    await Event.update({Event.title_vi: "Hội chợ đổi tên"}).where(Event.slug == "hoi-cho-dau")
    await make_event("hoi-cho-moi", title="Hội chợ mới thêm")
    text = text_of((await client.get("/events")).text)
    assert "Hội chợ đổi tên" in text and "Hội chợ mới thêm" in text
    assert "Hội chợ đầu tiên" not in text
