"""Re-recognition rules, without a database: a dossier's life, how near a certificate's end is,
and what a decision must hold."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from events_app.core.dates import certificate_valid_until
from events_app.core.errors import DomainError
from events_app.core.i18n import N_
from events_app.core.transitions import StatusMachine, transition
from events_app.recognition.tables import DossierStatus

D = DossierStatus

# Certificates ending within this many days are listed for staff and shown to their producers.
EXPIRY_WINDOW_DAYS = 90
OPEN_STATUSES = (D.submitted.value, D.evaluated.value)
MAX_NOTE = 2000

DOSSIERS = StatusMachine({
    "evaluate": transition((D.submitted, D.evaluated), D.evaluated,
                           N_("This dossier has been decided: it can no longer be evaluated.")),
    "recognise": transition((D.evaluated,), D.recognised,
                            N_("Only an evaluated dossier can be re-recognised.")),
    "refuse": transition(OPEN_STATUSES, D.refused, N_("This dossier has already been decided.")),
})

STATUS_LABELS = {
    D.submitted.value: N_("Submitted"),
    D.evaluated.value: N_("Evaluated"),
    D.recognised.value: N_("Re-recognised"),
    D.refused.value: N_("Not re-recognised"),
}


def dossier_after(action: str, current: str) -> str:
    """The status a dossier gets from `action`, or a Conflict saying why not."""
    return DOSSIERS.after(action, current)


def days_left(valid_until: dt.date, on: dt.date) -> int:
    """Days until the certificate's last day: 0 on that day, negative once it has passed."""
    return (valid_until - on).days


def is_expiring(valid_until: dt.date, on: dt.date, window: int = EXPIRY_WINDOW_DAYS) -> bool:
    """Still valid, and ending within the window (today counts: it is the last day)."""
    return 0 <= days_left(valid_until, on) <= window


def evaluation_level(stars: int) -> str:
    """5 stars are recognised at national level, 3 and 4 at provincial (as the product rules say)."""
    return "national" if stars == 5 else "provincial"


@dataclass(frozen=True)
class Evaluation:
    stars: int | None
    notes: str = ""


@dataclass(frozen=True)
class Decision:
    stars: int | None
    certificate_number: str
    certified_on: dt.date | None
    notes: str = ""


def evaluation_errors(data: Evaluation) -> dict[str, DomainError]:
    errors: dict[str, DomainError] = {}
    if data.stars not in (3, 4, 5):
        errors["stars"] = DomainError(N_("Choose 3, 4 or 5 stars."))
    return errors


def decision_errors(data: Decision, *, today: dt.date, previous_certified_on: dt.date) -> dict[str, DomainError]:
    errors = evaluation_errors(Evaluation(data.stars))
    if not data.certificate_number.strip():
        errors["certificate_number"] = DomainError(N_("Enter the number of the new certificate."))
    if data.certified_on is None:
        errors["certified_on"] = DomainError(N_("Enter the date of the certificate."))
    elif data.certified_on > today:
        errors["certified_on"] = DomainError(N_("The date of the certificate cannot be in the future."))
    elif data.certified_on <= previous_certified_on:
        errors["certified_on"] = DomainError(N_("The new certificate must be dated after the current one."))
    return errors


def new_valid_until(data: Decision) -> dt.date:
    assert data.certified_on is not None
    return certificate_valid_until(data.certified_on)
