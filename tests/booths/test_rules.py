"""The booth market's rules as tables, checked without a database."""

from __future__ import annotations

import pytest

from events_app.booths import rules
from events_app.booths.tables import ApplicationStatus as A, RentalStatus as R
from events_app.core.errors import Conflict, DomainError, NotFound

EVERY_STATUS = [s.value for s in A]

# (action, status before) → status after; None where the decision is refused.
EXPECTED = {
    "approve": {"submitted": "approved", "approved": "approved", "waitlisted": "approved",
                "confirmed": "approved", "rejected": None, "cancelled": None},
    "waitlist": {"submitted": "waitlisted", "approved": "waitlisted", "waitlisted": "waitlisted",
                 "confirmed": None, "rejected": None, "cancelled": None},
    "reject": {"submitted": "rejected", "approved": "rejected", "waitlisted": "rejected",
               "confirmed": "rejected", "rejected": None, "cancelled": None},
    "cancel": {"submitted": "cancelled", "approved": "cancelled", "waitlisted": "cancelled",
               "confirmed": "cancelled", "rejected": None, "cancelled": None},
    "confirm": {"submitted": None, "approved": "confirmed", "waitlisted": None,
                "confirmed": None, "rejected": None, "cancelled": None},
}


@pytest.mark.parametrize("action", sorted(EXPECTED))
@pytest.mark.parametrize("before", EVERY_STATUS)
def test_every_application_transition(action, before):
    after = EXPECTED[action][before]
    if after is None:
        with pytest.raises(Conflict) as refused:
            rules.application_after(action, before)
        assert refused.value.message == rules.APPLICATIONS[action].refusal
    else:
        assert rules.application_after(action, before) == after


def test_rejected_and_cancelled_are_final():
    for final in ("rejected", "cancelled"):
        assert not any(final in t.allowed_from for t in rules.APPLICATIONS.transitions.values())


def test_an_unknown_action_is_refused():
    with pytest.raises(DomainError):
        rules.application_after("steal", "submitted")


def test_a_confirmed_producer_stays_confirmed_unless_its_booth_moves():
    assert rules.approved_status("confirmed", moved=False) == "confirmed"
    assert rules.approved_status("confirmed", moved=True) == "approved"
    assert rules.approved_status("waitlisted", moved=False) == "approved"
    with pytest.raises(Conflict):
        rules.approved_status("rejected", moved=False)


def test_rentals_are_held_then_active_and_cancelled_for_good():
    assert rules.rental_after("activate", R.held.value) == "active"
    assert rules.rental_after("activate", R.active.value) == "active"
    assert rules.rental_after("cancel", R.held.value) == "cancelled"
    with pytest.raises(Conflict):
        rules.rental_after("activate", R.cancelled.value)
    with pytest.raises(Conflict):
        rules.rental_after("cancel", R.cancelled.value)


def test_live_statuses_are_those_that_still_hold_or_ask_for_a_place():
    assert [s for s in EVERY_STATUS if rules.is_live(s)] == ["submitted", "approved", "waitlisted", "confirmed"]


@pytest.mark.parametrize("status, error", [
    ("draft", NotFound), ("closed", Conflict), ("cancelled", Conflict), ("published", None),
])
def test_only_published_fairs_take_applications(status, error):
    event = {"kind": "fair", "status": status}
    if error is None:
        rules.event_open_for_applications(event)
    else:
        with pytest.raises(error):
            rules.event_open_for_applications(event)


def test_conferences_have_no_booths():
    with pytest.raises(NotFound):
        rules.require_booths({"kind": "conference", "status": "published"})
