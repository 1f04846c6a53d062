"""Venues and halls, events of the three kinds, their agenda sessions, showroom opening hours,
showroom networks (several points at tourist sites under one programme), attendance."""

from enum import Enum

from piccolo.columns import JSON, ForeignKey, Integer, OnDelete, Text, Time, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from events_app.directory.tables import Distributor, Producer
from events_app.reference.tables import Province, Region


class EventKind(str, Enum):
    fair = "fair"
    conference = "conference"
    showroom = "showroom"


class EventStatus(str, Enum):
    draft = "draft"
    published = "published"
    closed = "closed"
    cancelled = "cancelled"


class SessionKind(str, Enum):
    plenary = "plenary"
    b2b = "b2b"
    signing = "signing"
    other = "other"


class AttendanceStatus(str, Enum):
    registered = "registered"
    cancelled = "cancelled"


class Venue(Table):
    name = Varchar(length=200)
    slug = Varchar(length=220, unique=True)
    address = Varchar(length=300, default="")
    province = ForeignKey(references=Province, on_delete=OnDelete.restrict, null=False)
    description = Text(default="")


class Hall(Table):
    venue = ForeignKey(references=Venue, on_delete=OnDelete.cascade, null=False)
    name = Varchar(length=120)
    # Floor size in metres; booths are placed on this plane.
    width = Integer(default=40)
    depth = Integer(default=30)


class ShowroomNetwork(Table):
    """A programme of showroom points at tourist sites run under one name, such as a province's
    chain of OCOP points at its heritage sites; each point is a showroom event of its own."""

    name = Varchar(length=300)
    slug = Varchar(length=220, unique=True)
    organiser = Varchar(length=300, default="")
    description = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class Event(Table):
    slug = Varchar(length=220, unique=True)
    title_vi = Varchar(length=300)
    title_en = Varchar(length=300, default="")
    kind = Varchar(length=20, choices=EventKind, index=True)
    status = Varchar(length=20, choices=EventStatus, default=EventStatus.draft, index=True)
    venue = ForeignKey(references=Venue, on_delete=OnDelete.restrict, null=False)
    province = ForeignKey(references=Province, on_delete=OnDelete.restrict, null=False)
    region = ForeignKey(references=Region, on_delete=OnDelete.restrict, null=False)
    starts_at = Timestamptz(index=True)
    ends_at = Timestamptz()
    organiser = Varchar(length=300, default="")
    description = Text(default="")
    application_opens_at = Timestamptz(null=True, default=None)
    application_closes_at = Timestamptz(null=True, default=None)
    # Eligibility; an empty list admits all.
    min_stars = Integer(null=True, default=None)
    eligible_groups = JSON(default=[])
    eligible_provinces = JSON(default=[])
    eligible_regions = JSON(default=[])
    eligible_producer_types = JSON(default=[])
    # Showrooms: the network the point belongs to, and the tourist site it serves.
    network = ForeignKey(references=ShowroomNetwork, null=True, default=None, on_delete=OnDelete.set_null)
    tourist_site = Varchar(length=200, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class Session(Table, tablename="event_session"):
    """An item of an event's agenda: a plenary, a block of B2B meetings, an MoU signing ceremony."""

    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, null=False)
    title = Varchar(length=300)
    kind = Varchar(length=20, choices=SessionKind, default=SessionKind.other)
    starts_at = Timestamptz()
    ends_at = Timestamptz()
    room = Varchar(length=120, default="")
    # B2B sessions: numbered tables and the length of one meeting slot.
    tables_count = Integer(default=0)
    slot_minutes = Integer(default=0)


class OpeningHours(Table):
    """A showroom's weekly opening hours; weekday 0 is Monday."""

    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, null=False)
    weekday = Integer()
    opens_at = Time()
    closes_at = Time()


class Attendance(Table):
    """A producer or a distributor registered for a connection conference."""

    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, null=False)
    producer = ForeignKey(references=Producer, null=True, on_delete=OnDelete.cascade)
    distributor = ForeignKey(references=Distributor, null=True, on_delete=OnDelete.cascade)
    status = Varchar(length=20, choices=AttendanceStatus, default=AttendanceStatus.registered)
    created_at = Timestamptz(default=TimestamptzNow())
