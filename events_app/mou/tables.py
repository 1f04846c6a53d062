"""Memoranda of understanding between a producer and a distributor, signed at a conference's ceremony."""

from enum import Enum

from piccolo.columns import BigInt, Date, ForeignKey, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from events_app.accounts.tables import User
from events_app.directory.tables import Distributor, Producer, Product
from events_app.events.tables import Event, Session


class MouStatus(str, Enum):
    proposed = "proposed"
    agreed = "agreed"
    signed = "signed"
    fulfilled = "fulfilled"
    lapsed = "lapsed"
    withdrawn = "withdrawn"
    declined = "declined"


class Mou(Table):
    event = ForeignKey(references=Event, null=True, on_delete=OnDelete.set_null)
    producer = ForeignKey(references=Producer, on_delete=OnDelete.cascade, null=False)
    distributor = ForeignKey(references=Distributor, on_delete=OnDelete.cascade, null=False)
    proposed_by = Varchar(length=20)
    title = Varchar(length=300, default="")
    value_vnd = BigInt(default=0)
    volume = Varchar(length=200, default="")
    terms = Text(default="")
    status = Varchar(length=20, choices=MouStatus, default=MouStatus.proposed, index=True)
    signing_session = ForeignKey(references=Session, null=True, on_delete=OnDelete.set_null)
    signing_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    agreed_at = Timestamptz(null=True, default=None)
    signed_at = Timestamptz(null=True, default=None)
    # Follow-up: by when the first delivery or order is due; past it, a signed MoU has lapsed.
    due_on = Date(null=True, default=None)
    fulfilled_at = Timestamptz(null=True, default=None)
    # Declined by the party it was proposed to, or withdrawn: when, and the reason given.
    closed_at = Timestamptz(null=True, default=None)
    decline_reason = Text(default="")


class MouProduct(Table):
    mou = ForeignKey(references=Mou, on_delete=OnDelete.cascade, null=False)
    product = ForeignKey(references=Product, on_delete=OnDelete.cascade, null=False)


class MouNote(Table):
    """A progress note on a signed MoU, written by one of its parties or by staff."""

    mou = ForeignKey(references=Mou, on_delete=OnDelete.cascade, null=False)
    author = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    author_name = Varchar(length=200, default="")
    body = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
