"""Meeting requests between producers and distributors at a conference, and the meetings placed in B2B slots."""

from enum import Enum

from piccolo.columns import ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from events_app.directory.tables import Distributor, Producer
from events_app.events.tables import Event, Session


class Party(str, Enum):
    producer = "producer"
    distributor = "distributor"


class RequestStatus(str, Enum):
    requested = "requested"
    accepted = "accepted"
    declined = "declined"
    cancelled = "cancelled"


class MeetingRequest(Table):
    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, null=False)
    producer = ForeignKey(references=Producer, on_delete=OnDelete.cascade, null=False)
    distributor = ForeignKey(references=Distributor, on_delete=OnDelete.cascade, null=False)
    requested_by = Varchar(length=20, choices=Party)
    message = Text(default="")
    status = Varchar(length=20, choices=RequestStatus, default=RequestStatus.requested, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    responded_at = Timestamptz(null=True, default=None)


class Meeting(Table):
    """An accepted request placed at a table in one slot of a B2B session.

    Producer and distributor are repeated from the request so that unique indexes can refuse
    a participant booked twice in one slot.
    """

    request = ForeignKey(references=MeetingRequest, unique=True, on_delete=OnDelete.cascade, null=False)
    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, null=False)
    session = ForeignKey(references=Session, on_delete=OnDelete.cascade, null=False)
    producer = ForeignKey(references=Producer, on_delete=OnDelete.cascade, null=False)
    distributor = ForeignKey(references=Distributor, on_delete=OnDelete.cascade, null=False)
    starts_at = Timestamptz()
    ends_at = Timestamptz()
    table_number = Integer()
