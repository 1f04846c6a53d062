"""The status-machine tables every domain uses, and the MoU's and the event's tables themselves."""

from __future__ import annotations

import pytest

from events_app.core.errors import Conflict, DomainError
from events_app.core.transitions import StatusMachine, transition
from events_app.events.planning import EVENTS
from events_app.mou import rules as mou_rules

MACHINE = StatusMachine({
    "open": transition(("closed",), "open", "Only a closed door opens."),
    "close": transition(("open", "ajar"), "closed", "Already closed."),
})


def test_a_machine_moves_only_along_its_table():
    assert MACHINE.after("open", "closed") == "open"
    assert MACHINE.after("close", "ajar") == "closed"
    with pytest.raises(Conflict) as refused:
        MACHINE.after("open", "open")
    assert refused.value.message == "Only a closed door opens."
    with pytest.raises(DomainError):
        MACHINE.after("slam", "open")


def test_a_machine_lists_what_a_status_allows():
    assert MACHINE.actions_from("open") == ["close"]
    assert MACHINE.actions_from("closed") == ["open"]
    assert MACHINE.allows("close", "ajar") and not MACHINE.allows("open", "ajar")


MOU_EXPECTED = {
    ("agree", "proposed"): "agreed",
    ("withdraw", "proposed"): "withdrawn",
    ("withdraw", "agreed"): "withdrawn",
    ("sign", "agreed"): "signed",
    ("fulfil", "signed"): "fulfilled",
    ("lapse", "signed"): "lapsed",
}
MOU_STATUSES = ["proposed", "agreed", "signed", "fulfilled", "lapsed", "withdrawn"]


@pytest.mark.parametrize("action", ["agree", "withdraw", "sign", "fulfil", "lapse"])
@pytest.mark.parametrize("before", MOU_STATUSES)
def test_every_mou_transition(action, before):
    expected = MOU_EXPECTED.get((action, before))
    if expected is None:
        with pytest.raises(Conflict):
            mou_rules.after(action, before)
    else:
        assert mou_rules.after(action, before) == expected


def test_a_signed_mou_can_no_longer_be_withdrawn_and_closed_ones_are_final():
    assert mou_rules.MOUS.actions_from("signed") == ["fulfil", "lapse"]
    for final in ("fulfilled", "lapsed", "withdrawn"):
        assert mou_rules.MOUS.actions_from(final) == []


EVENT_EXPECTED = {
    "draft": ["publish", "cancel"],
    "published": ["unpublish", "close", "cancel"],
    "closed": ["reopen"],
    "cancelled": [],
}


@pytest.mark.parametrize("status", sorted(EVENT_EXPECTED))
def test_the_life_of_an_event(status):
    assert EVENTS.actions_from(status) == EVENT_EXPECTED[status]
