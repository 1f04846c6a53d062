"""Eligibility as pure logic: rules and a candidate in, every reason for refusal out."""

from __future__ import annotations

import datetime as dt

import pytest

from events_app.core.i18n import language
from events_app.events import eligibility as e
from events_app.events.eligibility import Candidate, ProductFacts, Rules

UTC = dt.timezone.utc
OPENS = dt.datetime(2026, 3, 1, 1, 0, tzinfo=UTC)
CLOSES = dt.datetime(2026, 3, 31, 16, 59, tzinfo=UTC)
RULES = Rules(
    starts_on=dt.date(2026, 4, 10), ends_on=dt.date(2026, 4, 14), min_stars=4,
    group_ids=frozenset({1}), province_ids=frozenset({40}), region_ids=frozenset({3}),
    producer_types=frozenset({"cooperative"}), opens_at=OPENS, closes_at=CLOSES,
)
NGHE_AN = Candidate("cooperative", province_id=40, region_id=2, province_name="Nghệ An")
IN_WINDOW = dt.datetime(2026, 3, 15, tzinfo=UTC)


def _product(**changes) -> ProductFacts:
    facts = {"name": "Tảo xoắn Quỳnh Lưu", "stars": 4, "group_id": 1, "valid_until": dt.date(2027, 1, 1),
             "group_name": "Thực phẩm"}
    return ProductFacts(**(facts | changes))


def _messages(verdict) -> list[str]:
    with language("en"):
        return verdict.messages()


def test_a_candidate_meeting_every_rule_is_eligible():
    verdict = e.check(RULES, NGHE_AN, [_product()], IN_WINDOW)
    assert verdict.eligible and verdict.reasons == []


@pytest.mark.parametrize("at, state", [
    (OPENS - dt.timedelta(seconds=1), e.NOT_YET_OPEN),
    (OPENS, e.OPEN),
    (CLOSES, e.OPEN),
    (CLOSES + dt.timedelta(seconds=1), e.CLOSED),
])
def test_the_window_includes_both_ends(at, state):
    assert e.window_state(OPENS, CLOSES, at) == state


def test_a_window_without_ends_is_always_open():
    assert e.window_state(None, None, dt.datetime(1990, 1, 1, tzinfo=UTC)) == e.OPEN
    assert e.window_state(None, CLOSES, OPENS - dt.timedelta(days=400)) == e.OPEN
    assert e.window_state(OPENS, None, CLOSES + dt.timedelta(days=400)) == e.OPEN


def test_before_and_after_the_window_the_dates_are_given_in_vietnam_time():
    with language("en"):
        assert [str(r) for r in e.window_reasons(RULES, OPENS - dt.timedelta(days=1))] == [
            "Applications open on 01/03/2026."
        ]
        # 16:59 UTC on 31 March is 23:59 in Vietnam: still the 31st.
        assert [str(r) for r in e.window_reasons(RULES, CLOSES + dt.timedelta(hours=1))] == [
            "Applications closed on 31/03/2026."
        ]


def test_a_certificate_must_last_until_the_last_day_of_the_event():
    on_the_last_day = _product(valid_until=RULES.ends_on)
    a_day_short = _product(valid_until=RULES.ends_on - dt.timedelta(days=1))
    assert e.product_reasons(RULES, on_the_last_day) == []
    assert _messages(e.Verdict(e.product_reasons(RULES, a_day_short))) == [
        "Tảo xoắn Quỳnh Lưu: its certificate is valid until 13/04/2026, before the event ends."
    ]



def test_a_certificate_already_run_out_is_said_expired_not_valid_until():
    expired = _product(valid_until=dt.date(2026, 3, 1))
    # Told on 15 March: the certificate ended a fortnight ago, not "valid until" a day to come.
    assert _messages(e.Verdict(e.product_reasons(RULES, expired, today=dt.date(2026, 3, 15)))) == [
        "Tảo xoắn Quỳnh Lưu: its certificate expired on 01/03/2026."
    ]
    assert _messages(e.Verdict(e.product_reasons(RULES, expired, today=dt.date(2026, 3, 1)))) == [
        "Tảo xoắn Quỳnh Lưu: its certificate is valid until 01/03/2026, before the event ends."
    ]
    # check() tells the day in Vietnam: 17:30 UTC on 1 March is already the 2nd there.
    late = dt.datetime(2026, 3, 1, 17, 30, tzinfo=UTC)
    assert "Tảo xoắn Quỳnh Lưu: its certificate expired on 01/03/2026." in _messages(e.check(RULES, NGHE_AN, [expired], late))

def test_every_reason_is_given_at_once():
    outsider = Candidate("household", province_id=1, region_id=1, province_name="Hà Nội")
    product = _product(stars=3, group_id=2, group_name="Đồ uống", valid_until=dt.date(2026, 4, 1))
    assert _messages(e.check(RULES, outsider, [product], CLOSES + dt.timedelta(days=1))) == [
        "Applications closed on 31/03/2026.",
        "Your type of producer is not admitted to this event.",
        "Producers from Hà Nội are not admitted to this event.",
        "Tảo xoắn Quỳnh Lưu: its certificate is valid until 01/04/2026, before the event ends.",
        "Tảo xoắn Quỳnh Lưu: 3 stars, the event asks for at least 4.",
        "Tảo xoắn Quỳnh Lưu: the group Đồ uống is not admitted.",
    ]


def test_a_region_admits_its_provinces():
    dak_lak = Candidate("cooperative", province_id=66, region_id=3, province_name="Đắk Lắk")
    assert e.producer_reasons(RULES, dak_lak) == []


def test_rules_without_limits_admit_everyone():
    open_rules = Rules(starts_on=RULES.starts_on, ends_on=RULES.ends_on)
    anyone = Candidate("enterprise", province_id=1, region_id=1)
    assert e.check(open_rules, anyone, [_product(stars=3, group_id=9)], IN_WINDOW).eligible


def test_products_are_required_unless_the_event_does_not_show_them():
    assert _messages(e.check(RULES, NGHE_AN, [], IN_WINDOW)) == ["Choose at least one product to show."]
    assert e.check(RULES, NGHE_AN, [], IN_WINDOW, require_products=False).eligible


def test_reasons_are_translated_for_the_reader():
    with language("vi"):
        text = e.check(RULES, NGHE_AN, [], IN_WINDOW).messages()
    assert text and text[0] != "Choose at least one product to show."
