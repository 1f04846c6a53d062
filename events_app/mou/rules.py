"""The life of an MoU, without a database: proposed by one party, agreed or declined by the other
(the proposer may withdraw it instead), signed at the ceremony, then fulfilled or lapsed.

Signing is recorded at the moment it happens, and not before the MoU's slot in the ceremony
starts: staff press "signed" at the table, and the time kept is theirs, not the slot's.
A signed MoU with a due date (the first delivery or order) that passes unfulfilled has lapsed;
that is found when the MoU is read (`overdue`), not by a job in the background.
"""

from __future__ import annotations

import datetime as dt

from events_app.core.errors import Conflict, DomainError
from events_app.core.i18n import N_, format_datetime
from events_app.core.transitions import StatusMachine, transition
from events_app.mou.tables import MouStatus as M

OPEN = (M.proposed.value, M.agreed.value)
# Counted as signed on the conference's page (as in the reports): a lapsed MoU no longer is.
COUNTED_AS_SIGNED = (M.signed.value, M.fulfilled.value)

MOUS = StatusMachine({
    "agree": transition((M.proposed,), M.agreed, N_("Only a proposed MoU can be agreed to.")),
    "decline": transition((M.proposed,), M.declined, N_("Only a proposed MoU can be declined.")),
    "withdraw": transition(OPEN, M.withdrawn, N_("A signed or closed MoU can no longer be withdrawn.")),
    "sign": transition((M.agreed,), M.signed, N_("Only an agreed MoU can be signed.")),
    "fulfil": transition((M.signed,), M.fulfilled, N_("Only a signed MoU can be marked fulfilled.")),
    "lapse": transition((M.signed,), M.lapsed, N_("Only a signed MoU can lapse.")),
})

# Progress notes and fulfilment are recorded on a signed MoU (not yet fulfilled or lapsed).
FOLLOWED_UP = (M.signed.value,)

DECLINE_REASON_LIMIT = 1000
NOTE_LIMIT = 2000


def after(action: str, current: str) -> str:
    """The status an MoU gets from `action`, or a Conflict saying why not."""
    return MOUS.after(action, current)


def check_follow_up(status: str) -> None:
    if status not in FOLLOWED_UP:
        raise Conflict(N_("Progress is recorded on signed MoUs only."))


def can_follow_up(status: str) -> bool:
    return status in FOLLOWED_UP


def answers(status: str, proposed_by_me: bool) -> list[str]:
    """What a party may do with an MoU before it is signed: the party it was proposed to agrees or
    declines a proposal; the proposer withdraws it; once agreed, either party may still withdraw."""
    if status == M.proposed.value:
        return ["withdraw"] if proposed_by_me else ["agree", "decline"]
    if status == M.agreed.value:
        return ["withdraw"]
    return []


def check_signing(status: str, slot_starts: dt.datetime | None, at: dt.datetime) -> str:
    """The status signing at `at` gives, or why it cannot be recorded: an agreed MoU is signed in
    its slot of the ceremony, so not without one, and not before that slot starts."""
    status = after("sign", status)
    if slot_starts is None:
        raise Conflict(N_("Give the MoU a slot in the signing ceremony before recording its signature."))
    if at < slot_starts:
        raise Conflict(
            N_("The signing can be recorded from the start of its slot (%(time)s), not before."),
            time=format_datetime(slot_starts),
        )
    return status


def overdue(status: str, due_on: dt.date | None, today: dt.date) -> bool:
    """Whether a signed MoU has lapsed: its due date has passed (the due day itself still counts)."""
    return status == M.signed.value and due_on is not None and due_on < today


def check_due_date(due_on: dt.date | None, today: dt.date) -> DomainError | None:
    """A due date set on a proposal is not in the past."""
    if due_on is not None and due_on < today:
        return DomainError(N_("The due date cannot be in the past."))
    return None
