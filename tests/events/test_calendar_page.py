"""The month calendar at the scale of a national season: a day's cell shows three events and
counts the others, the list under the grid comes in pages with the events still to come first,
long-running events are named a few at a time, and odd query values never break the page."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from events_app.events import calendar_month, controllers
from tests.events.conftest import local, make_event
from tests.helpers import text_of

MOMENT = local(2027, 3, 15, 10, 0)


@pytest.fixture
def frozen(monkeypatch):
    """The calendar's clock at 15/03/2027 10:00 in Vietnam."""
    monkeypatch.setattr(controllers, "now", lambda: MOMENT.astimezone(dt.timezone.utc))
    monkeypatch.setattr(controllers, "today", lambda: MOMENT.date())


def month_list(html: str) -> str:
    return text_of(html.split('id="month-list"', 1)[1])


def listed(html: str) -> list[str]:
    """The titles of the list under the grid, in order."""
    return re.findall(r'<h2 class="h3"><a href="[^"]+">([^<]+)</a>', html.split('id="month-list"', 1)[1])


async def test_a_busy_day_shows_three_events_and_counts_the_others(client, frozen):
    for n in range(1, 6):
        await make_event(f"hoi-cho-{n}", title=f"Hội chợ ngày 17 số {n:02d}", starts=local(2027, 3, 17, 8, n), days=1)
    html = (await client.get("/calendar?month=2027-03")).text
    assert html.count('class="month-event kind-fair"') == 3
    assert "+2 sự kiện khác" in text_of(html)
    assert "5 sự kiện" in text_of(html)  # the day's count, as a phone shows it
    assert 'href="?kind=&amp;province=&amp;region=&amp;month=2027-03&amp;day=2027-03-17#month-list"' in html

    day = (await client.get("/calendar?month=2027-03&day=2027-03-17")).text
    assert "Sự kiện ngày 17/03/2027" in month_list(day)
    assert listed(day) == [f"Hội chợ ngày 17 số {n:02d}" for n in range(1, 6)]
    assert "Mọi sự kiện tháng 03/2027" in month_list(day)
    # A day of another month shows that month.
    other = (await client.get("/calendar?day=2027-04-02")).text
    assert "Lịch · 04/2027" in text_of(other) and "Không có sự kiện nào trong ngày này." in month_list(other)


async def test_the_list_under_the_grid_comes_in_pages_upcoming_first(client, frozen):
    # 22 fairs still to come in March, made out of order, and three already over.
    for n in range(22):
        day = 16 + (n * 7) % 15  # 16th to 30th
        await make_event(f"sap-toi-{n}", title=f"Hội chợ sắp tới {day:02d}", starts=local(2027, 3, day, 8, n), days=1)
    for day in (4, 2, 9):
        await make_event(f"da-qua-{day}", title=f"Hội chợ đã qua {day:02d}", starts=local(2027, 3, day, 8, 0), days=2)

    first = await client.get("/calendar?month=2027-03")
    assert "25 sự kiện, sắp diễn ra trước" in month_list(first.text)
    upcoming = sorted(f"Hội chợ sắp tới {16 + (n * 7) % 15:02d}" for n in range(22))
    assert listed(first.text) == upcoming[:20]
    second = await client.get("/calendar?month=2027-03&page=2")
    assert listed(second.text) == upcoming[20:] + ["Hội chợ đã qua 02", "Hội chợ đã qua 04", "Hội chợ đã qua 09"]
    assert 'href="?month=2027-03&amp;page=1"' in second.text
    # The month before is one click away, and the past events of the list.
    assert 'href="?kind=&amp;province=&amp;region=&amp;month=2027-02"' in first.text
    assert 'href="/events?kind=&amp;province=&amp;region=&amp;month=&amp;when=past"' in first.text


async def test_long_running_events_are_named_a_few_at_a_time(client, frozen):
    for n in range(1, 9):
        await make_event(f"trung-bay-{n}", kind="showroom", title=f"Điểm trưng bày số {n}",
                         starts=local(2027, 1, n, 8, 0), days=120)
    html = (await client.get("/calendar?month=2027-03")).text
    text = text_of(html)
    shown = [n for n in range(1, 9) if f"Điểm trưng bày số {n}" in text]
    assert shown == list(range(1, calendar_month.ONGOING_SHOWN + 1))
    assert "và 2 sự kiện khác: xem mọi sự kiện trong tháng" in text
    assert 'href="/events?kind=&amp;province=&amp;region=&amp;month=2027-03"' in html
    assert 'class="month-event' not in html  # never drawn in every cell


@pytest.mark.parametrize("query", ["day=2027-02-30", "day=abc", "day=1999-12-31", "day=2101-01-01", "day=" + "9" * 300,
                                   "page=abc", "page=99999999999", "month=2027-13&day=x"])
async def test_odd_values_show_a_month(client, frozen, query):
    await make_event("hoi-cho", title="Hội chợ tháng ba 20", starts=local(2027, 3, 20, 8, 0), days=1)
    response = await client.get(f"/calendar?{query}")
    assert response.status_code == 200
    assert "Lịch · " in text_of(response.text)


def test_upcoming_first_puts_events_over_last_in_date_order():
    def event(n: int, starts: dt.datetime, hours: int) -> dict:
        return {"id": n, "starts_at": starts, "ends_at": starts + dt.timedelta(hours=hours)}

    over_late, over_early = event(1, MOMENT - dt.timedelta(days=2), 5), event(2, MOMENT - dt.timedelta(days=9), 5)
    running, soon = event(3, MOMENT - dt.timedelta(days=1), 48), event(4, MOMENT + dt.timedelta(days=1), 5)
    ordered = calendar_month.upcoming_first([soon, over_late, running, over_early], MOMENT)
    assert [e["id"] for e in ordered] == [3, 4, 2, 1]


def test_a_cell_holds_three_events_and_counts_the_rest():
    starts = local(2027, 3, 17, 8, 0)
    events = [{"id": n, "starts_at": starts, "ends_at": starts + dt.timedelta(hours=4)} for n in range(7)]
    weeks = calendar_month.month_grid(dt.date(2027, 3, 1), events)
    [cell] = [day for week in weeks for day in week if day.date == dt.date(2027, 3, 17)]
    assert [e["id"] for e in cell.events] == [0, 1, 2] and cell.more == 4
    assert all(not day.events and not day.more for week in weeks for day in week if day is not cell)


async def test_the_printed_calendar_is_linked_from_the_calendar_and_the_list(client, frozen):
    calendar = (await client.get("/calendar?month=2027-03&kind=fair")).text
    assert 'href="/calendar.pdf?kind=fair&amp;province=&amp;region=&amp;month=2027-03"' in calendar
    assert 'href="/calendar.pdf?kind=fair&amp;province=&amp;region=&amp;month=&amp;year=2027"' in calendar
    assert "In lịch cả năm 2027 (PDF)" in text_of(calendar)
    listing = (await client.get("/events?month=2028-05")).text
    assert 'href="/calendar.pdf?kind=&amp;province=&amp;region=&amp;month=2028-05"' in listing
    assert 'href="/calendar.pdf?kind=&amp;province=&amp;region=&amp;month=&amp;year=2028"' in listing
