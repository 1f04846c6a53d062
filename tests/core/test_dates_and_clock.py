"""Certificate dates and the one clock."""

from __future__ import annotations

import datetime as dt

import pytest

from events_app.core import clock
from events_app.core.dates import certificate_valid_until, is_valid


@pytest.mark.parametrize("certified_on, last_day", [
    (dt.date(2023, 6, 15), dt.date(2026, 6, 15)),
    (dt.date(2024, 2, 29), dt.date(2027, 2, 28)),  # no 29 February in 2027
    (dt.date(2023, 1, 31), dt.date(2026, 1, 31)),
    (dt.date(2022, 12, 31), dt.date(2025, 12, 31)),
])
def test_a_certificate_lasts_36_months(certified_on, last_day):
    assert certificate_valid_until(certified_on) == last_day


def test_a_certificate_counts_through_its_last_day():
    last = dt.date(2026, 6, 15)
    assert is_valid(last, on=dt.date(2026, 6, 15))
    assert not is_valid(last, on=dt.date(2026, 6, 16))


def test_the_clock_gives_utc_moments_and_vietnamese_days():
    moment = clock.now()
    assert moment.utcoffset() == dt.timedelta(0)
    # Vietnam is UTC+7 with no summer time: its day is the UTC day 7 hours on.
    assert clock.today() in {(moment + dt.timedelta(hours=7)).date(), (clock.now() + dt.timedelta(hours=7)).date()}


def test_no_module_but_the_clock_reads_the_time():
    from pathlib import Path

    package = Path(clock.__file__).resolve().parents[1]
    readers = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path.name != "clock.py" and any(
            call in path.read_text(encoding="utf-8")
            for call in ("datetime.now(", "date.today(", "datetime.utcnow(", "time.time()")
        )
    ]
    assert readers == []
