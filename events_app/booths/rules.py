"""The booth market's rules, without a database: what a producer may ask for, and which decision
may move an application or a rental from which status to which.

Every decision in `decisions.py` asks `application_after` / `rental_after` before it writes, so
the life of an application is this table and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from events_app.booths.periods import Period
from events_app.booths.tables import ApplicationStatus, RentalStatus
from events_app.core.errors import Conflict, DomainError, NotFound, ValidationError
from events_app.core.transitions import StatusMachine, transition
from events_app.core.i18n import N_
from events_app.events.tables import EventKind, EventStatus

MAX_PREFERENCES = 3
MAX_NOTE = 1000
BOOTH_KINDS = (EventKind.fair.value, EventKind.showroom.value)

A = ApplicationStatus
R = RentalStatus

# Applications that still hold or ask for a place.
LIVE_STATUSES = (A.submitted.value, A.approved.value, A.waitlisted.value, A.confirmed.value)


# approve: a confirmed application that is moved to another booth must be confirmed again, so
# the decision itself picks approved or confirmed (see `approved_status`).
APPLICATIONS = StatusMachine({
    "approve": transition(
        LIVE_STATUSES, A.approved,
        N_("This application was rejected or cancelled: it can no longer be approved."),
    ),
    "waitlist": transition(
        (A.submitted, A.approved, A.waitlisted), A.waitlisted,
        N_("Only submitted or approved applications can be put on the waiting list."),
    ),
    "reject": transition(LIVE_STATUSES, A.rejected, N_("This application was already rejected or cancelled.")),
    "cancel": transition(LIVE_STATUSES, A.cancelled, N_("This application was already rejected or cancelled.")),
    "confirm": transition((A.approved,), A.confirmed, N_("Only an approved application can be confirmed.")),
})

# A showroom slot is held when asked for, active once staff approve; either may be cancelled.
RENTALS = StatusMachine({
    "activate": transition((R.held, R.active), R.active, N_("This rental was cancelled.")),
    "cancel": transition((R.held, R.active), R.cancelled, N_("This rental was already cancelled.")),
})


def application_after(action: str, current: str) -> str:
    """The status an application gets from `action`, or a Conflict saying why not."""
    return APPLICATIONS.after(action, current)


def rental_after(action: str, current: str) -> str:
    return RENTALS.after(action, current)


def approved_status(current: str, *, moved: bool) -> str:
    """A producer who confirmed keeps that status unless its booth changes."""
    application_after("approve", current)
    return A.confirmed.value if current == A.confirmed.value and not moved else A.approved.value


def is_live(status: str) -> bool:
    return status in LIVE_STATUSES


# What a producer asks for --------------------------------------------------------------------

@dataclass(frozen=True)
class ApplicationForm:
    """What a producer asks for. Fairs: preferred booths in order. Showrooms: a slot and a period."""

    product_ids: Sequence[int] = ()
    preference_ids: Sequence[int | None] = ()  # by rank; None where a choice was left blank
    note: str = ""
    booth_id: int | None = None
    period: Period | None = None


class ApplicationRefused(ValidationError):
    """The form has mistakes (per field) or the producer is not eligible (every reason at once)."""

    def __init__(self, errors: dict[str, DomainError], reasons: list[DomainError]) -> None:
        super().__init__(errors, N_("This application cannot be accepted."))
        self.reasons = reasons

    def reason_messages(self) -> list[str]:
        return [str(reason) for reason in self.reasons]


def require_booths(event: dict) -> dict:
    """Only fairs and showrooms have booths; for other events the booth pages do not exist."""
    if event["kind"] not in BOOTH_KINDS:
        raise NotFound(N_("This event has no floor plan: only fairs and showrooms have booths."))
    return event


def event_open_for_applications(event: dict) -> None:
    """Only published fairs and showrooms take applications (drafts are not found at all)."""
    require_booths(event)
    if event["status"] == EventStatus.draft.value:
        raise NotFound(N_("This event does not exist or is not published yet."))
    if event["status"] == EventStatus.closed.value:
        raise Conflict(N_("This event is closed: it no longer takes applications."))
    if event["status"] == EventStatus.cancelled.value:
        raise Conflict(N_("This event has been cancelled: it takes no applications."))
