import datetime as dt

import pytest

from events_app.core.dates import add_months, certificate_valid_until
from events_app.core.i18n import (
    format_date,
    format_datetime,
    format_number,
    format_time,
    format_vnd,
    gettext,
    language,
)
from events_app.core.text import fold, search_terms, slugify


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Gà Tiên Yên", "ga tien yen"),
        ("ĐƯỜNG phèn", "duong phen"),
        ("Nước mắm Tân Hội Cửa Lò", "nuoc mam tan hoi cua lo"),
        ("  Trà   túi lọc ", "tra tui loc"),
    ],
)
def test_fold_drops_tone_marks_and_d_stroke(text, folded):
    assert fold(text) == folded


def test_slug_and_search_terms():
    assert slugify("Hội chợ OCOP Nghệ An 2026!") == "hoi-cho-ocop-nghe-an-2026"
    assert slugify("???") == "item"
    assert search_terms("Gà  TIÊN yên") == ["ga", "tien", "yen"]


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (dt.date(2024, 9, 12), 36, dt.date(2027, 9, 12)),
        (dt.date(2024, 2, 29), 36, dt.date(2027, 2, 28)),
        (dt.date(2023, 12, 31), 2, dt.date(2024, 2, 29)),
    ],
)
def test_add_months_clamps_to_month_end(day, months, expected):
    assert add_months(day, months) == expected


def test_certificate_is_valid_36_months():
    assert certificate_valid_until(dt.date(2023, 6, 15)) == dt.date(2026, 6, 15)


def test_vietnamese_formats():
    moment = dt.datetime(2026, 12, 17, 1, 0, tzinfo=dt.timezone.utc)  # 08:00 in Vietnam
    with language("vi"):
        assert format_date(moment) == "17/12/2026"
        assert format_datetime(moment) == "17/12/2026 08:00"
        assert format_vnd(3_500_000) == "3.500.000\xa0₫"
        assert gettext("Log in") == "Đăng nhập"
    with language("en"):
        assert format_vnd(3_500_000) == "3,500,000 VND"
        assert gettext("Log in") == "Log in"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_dates_are_day_month_year_in_vietnams_time_in_both_languages(lang):
    late_evening = dt.datetime(2026, 12, 31, 17, 30, tzinfo=dt.timezone.utc)  # 00:30 on 1 January in Vietnam
    with language(lang):
        assert format_date(late_evening) == "01/01/2027"
        assert format_datetime(late_evening) == "01/01/2027 00:30"
        assert format_time(late_evening) == "00:30"
        assert format_datetime(dt.datetime(2026, 3, 5, 2, 7)) == "05/03/2026 09:07"  # naive moments are UTC
        assert format_date(dt.date(2026, 3, 5)) == "05/03/2026"
        assert format_time(dt.time(14, 5)) == "14:05"  # a time of day is shown as it is
        assert format_date(None) == format_datetime(None) == format_time(None) == ""


def test_numbers_follow_the_language():
    with language("vi"):
        assert format_number(1234567.5) == "1.234.567,5"
    with language("en"):
        assert format_number(1234567.5) == "1,234,567.5"
