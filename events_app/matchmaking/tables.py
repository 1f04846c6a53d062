"""Meeting requests between producers and distributors at a conference, and the meetings placed in B2B slots."""

from enum import Enum

from piccolo.columns import Boolean, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
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
    # A request still unanswered at this moment has expired (checked when read; None: never).
    expires_at = Timestamptz(null=True, default=None)
    decline_reason = Text(default="")
    mutual = Boolean(default=False)  # both parties asked for it: scheduled first
    cancelled_by = Varchar(length=20, default="")  # the party that withdrew or cancelled


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


class PlannedMeeting(Table):
    """The staff's working schedule: where a meeting will be once published. Meetings (above)
    are the published schedule, the only one participants see; publishing makes them equal."""

    request = ForeignKey(references=MeetingRequest, unique=True, on_delete=OnDelete.cascade, null=False)
    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, null=False)
    session = ForeignKey(references=Session, on_delete=OnDelete.cascade, null=False)
    producer = ForeignKey(references=Producer, on_delete=OnDelete.cascade, null=False)
    distributor = ForeignKey(references=Distributor, on_delete=OnDelete.cascade, null=False)
    starts_at = Timestamptz()
    ends_at = Timestamptz()
    table_number = Integer()
    pinned = Boolean(default=False)  # put there by hand: the scheduler leaves it where it is


class MeetingTerms(Table):
    """What staff set for one participant of a conference: when it is there, how many meetings
    at most, and (a producer) the table at its booth where all of its meetings take place."""

    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, null=False)
    producer = ForeignKey(references=Producer, on_delete=OnDelete.cascade, null=True)
    distributor = ForeignKey(references=Distributor, on_delete=OnDelete.cascade, null=True)
    available_from = Timestamptz(null=True, default=None)
    available_until = Timestamptz(null=True, default=None)
    max_meetings = Integer(null=True, default=None)
    fixed_table = Integer(null=True, default=None)
