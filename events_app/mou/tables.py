"""Memoranda of understanding between two or more parties — producers, distributors, provincial
agencies — signed at a conference's ceremony."""

from enum import Enum

from piccolo.columns import BigInt, Date, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from events_app.accounts.tables import User
from events_app.directory.tables import Agency, Distributor, Producer, Product
from events_app.events.tables import Event, Session


class MouStatus(str, Enum):
    proposed = "proposed"
    agreed = "agreed"
    signed = "signed"
    fulfilled = "fulfilled"
    lapsed = "lapsed"
    withdrawn = "withdrawn"
    declined = "declined"


class PartyKind(str, Enum):
    producer = "producer"
    distributor = "distributor"
    agency = "agency"


# Who proposed an MoU: a producer or a distributor party (PartyKind values), or staff, who record
# the MoUs arranged by the organisers (between several parties, or agencies).
BY_STAFF = "staff"


class Mou(Table):
    event = ForeignKey(references=Event, null=True, on_delete=OnDelete.set_null)
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


class MouParty(Table):
    """A party of an MoU, in the order the document lists them (Party A, B, C…): exactly one of
    producer, distributor or agency, as `kind` says; who signs for it, and in what capacity."""

    mou = ForeignKey(references=Mou, on_delete=OnDelete.cascade, null=False)
    position = Integer(default=0)
    kind = Varchar(length=20, choices=PartyKind)
    producer = ForeignKey(references=Producer, null=True, on_delete=OnDelete.cascade)
    distributor = ForeignKey(references=Distributor, null=True, on_delete=OnDelete.cascade)
    agency = ForeignKey(references=Agency, null=True, on_delete=OnDelete.restrict)
    representative = Varchar(length=200, default="")
    representative_title = Varchar(length=200, default="")


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
