"""A product's OCOP recognitions over time, its re-recognition dossiers, and the reminder e-mails sent.

The product keeps its current stars and certificate (directory.Product); `Recognition` keeps every
state it has had, one row appended per change by database triggers (see `history.py`), whichever
code made the change: a dossier recognised by staff, a producer's own correction, an import.
"""

from enum import Enum

from piccolo.columns import Date, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from events_app.accounts.tables import User
from events_app.directory.tables import Product


class DossierStatus(str, Enum):
    submitted = "submitted"
    evaluated = "evaluated"
    recognised = "recognised"
    refused = "refused"


class Dossier(Table):
    """A product's re-recognition dossier: sent by its producer, scored by the council, then
    re-recognised with new stars and a new certificate, or refused."""

    product = ForeignKey(references=Product, on_delete=OnDelete.cascade, null=False)
    status = Varchar(length=20, choices=DossierStatus, default=DossierStatus.submitted, index=True)
    note = Text(default="")  # the producer's, when sending it
    submitted_at = Timestamptz(default=TimestamptzNow())
    submitted_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    # The council's evaluation: the stars it scored and what it wrote.
    new_stars = Integer(null=True, default=None)
    evaluation_notes = Text(default="")
    evaluated_at = Timestamptz(null=True, default=None)
    evaluated_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    # The decision: the new certificate, or the reason of a refusal.
    new_certificate_number = Varchar(length=80, default="")
    new_certified_on = Date(null=True, default=None)
    new_valid_until = Date(null=True, default=None)
    decision_notes = Text(default="")
    decided_at = Timestamptz(null=True, default=None)
    decided_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)


class Recognition(Table):
    """One state of a product's recognition; the newest row equals the product's current values."""

    product = ForeignKey(references=Product, on_delete=OnDelete.cascade, null=False)
    stars = Integer()
    certificate_number = Varchar(length=80, default="")
    certified_on = Date()
    valid_until = Date()
    dossier = ForeignKey(references=Dossier, null=True, on_delete=OnDelete.set_null)
    decided_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())


class ReminderSent(Table):
    """The reminder digest sent to one address on one day (Vietnam's): never twice."""

    recipient = Varchar(length=254)
    day = Date()
    items = Integer(default=0)
    sent_at = Timestamptz(default=TimestamptzNow())
