"""The dossier's status machine and the certificate's days, without a database."""

import datetime as dt

import pytest

from events_app.core.errors import Conflict, DomainError
from events_app.recognition import rules
from events_app.recognition.rules import Decision


@pytest.mark.parametrize("action, current, expected", [
    ("evaluate", "submitted", "evaluated"),
    ("evaluate", "evaluated", "evaluated"),  # the council may correct its score
    ("recognise", "evaluated", "recognised"),
    ("refuse", "submitted", "refused"),
    ("refuse", "evaluated", "refused"),
])
def test_allowed_moves(action, current, expected):
    assert rules.dossier_after(action, current) == expected


@pytest.mark.parametrize("action, current", [
    ("recognise", "submitted"),  # not evaluated yet
    ("recognise", "recognised"),
    ("recognise", "refused"),
    ("evaluate", "recognised"),
    ("evaluate", "refused"),
    ("refuse", "recognised"),
    ("refuse", "refused"),
])
def test_illegal_moves_are_refused(action, current):
    with pytest.raises(Conflict):
        rules.dossier_after(action, current)


def test_an_unknown_action_is_refused():
    with pytest.raises(DomainError):
        rules.dossier_after("approve", "submitted")


def test_the_buttons_a_dossier_shows():
    assert rules.DOSSIERS.actions_from("submitted") == ["evaluate", "refuse"]
    assert rules.DOSSIERS.actions_from("evaluated") == ["evaluate", "recognise", "refuse"]
    assert rules.DOSSIERS.actions_from("recognised") == []


@pytest.mark.parametrize("days, expiring", [(-1, False), (0, True), (1, True), (90, True), (91, False)])
def test_the_window_counts_today_and_its_ninetieth_day(days, expiring):
    on = dt.date(2026, 12, 1)
    assert rules.is_expiring(on + dt.timedelta(days=days), on) is expiring


def test_a_decision_needs_a_later_certificate_within_the_rules():
    on = dt.date(2026, 12, 1)
    errors = rules.decision_errors(Decision(stars=6, certificate_number=" ", certified_on=on + dt.timedelta(days=1)),
                                   today=on, previous_certified_on=dt.date(2023, 12, 1))
    assert set(errors) == {"stars", "certificate_number", "certified_on"}
    errors = rules.decision_errors(Decision(stars=4, certificate_number="X", certified_on=dt.date(2023, 12, 1)),
                                   today=on, previous_certified_on=dt.date(2023, 12, 1))
    assert set(errors) == {"certified_on"}
    ok = Decision(stars=5, certificate_number="OCOP-NA-2026-1", certified_on=dt.date(2026, 11, 30))
    assert rules.decision_errors(ok, today=on, previous_certified_on=dt.date(2023, 12, 1)) == {}
    assert rules.new_valid_until(ok) == dt.date(2029, 11, 30)
    assert rules.evaluation_level(5) == "national" and rules.evaluation_level(4) == "provincial"
