"""Booths on a fair's floor plan (or a showroom's shelf slots), applications for them, and rentals.

A rental is what holds a booth: for a fair it spans the fair's days, for a showroom slot the
rented period. Two live rentals of one booth never overlap, whatever the event kind; the
migrations back that with an exclusion constraint (PostgreSQL) or triggers (SQLite).
"""

from enum import Enum

from piccolo.columns import JSON, BigInt, Boolean, Date, ForeignKey, Integer, OnDelete, Real, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from events_app.accounts.tables import User
from events_app.directory.tables import Producer, Product
from events_app.events.tables import Event, Hall


class BoothType(str, Enum):
    standard = "standard"
    corner = "corner"
    premium = "premium"
    outdoor = "outdoor"
    shelf = "shelf"


class ApplicationStatus(str, Enum):
    submitted = "submitted"
    approved = "approved"
    waitlisted = "waitlisted"
    rejected = "rejected"
    confirmed = "confirmed"
    cancelled = "cancelled"


class RentalStatus(str, Enum):
    held = "held"  # requested, waiting for staff (showroom slots)
    active = "active"
    cancelled = "cancelled"


class Booth(Table):
    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, null=False)
    hall = ForeignKey(references=Hall, null=True, on_delete=OnDelete.restrict)
    code = Varchar(length=20)
    booth_type = Varchar(length=20, choices=BoothType, default=BoothType.standard)
    # Size and position in metres on the hall's floor.
    width = Real(default=3.0)
    depth = Real(default=3.0)
    x = Real(default=0.0)
    y = Real(default=0.0)
    price = BigInt(default=0)
    is_blocked = Boolean(default=False)


class BoothApplication(Table):
    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, null=False)
    producer = ForeignKey(references=Producer, on_delete=OnDelete.cascade, null=False)
    status = Varchar(length=20, choices=ApplicationStatus, default=ApplicationStatus.submitted, index=True)
    note = Text(default="")
    decision_reason = Text(default="")
    submitted_at = Timestamptz(default=TimestamptzNow())
    decided_at = Timestamptz(null=True, default=None)
    decided_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    # Place on the fair's waiting list, 1 first, as the last allocation ranked it.
    waiting_place = Integer(null=True, default=None)
    # A booth offered from the waiting list must be confirmed by then (see booths.waiting).
    offer_expires_at = Timestamptz(null=True, default=None)


class ApplicationProduct(Table):
    application = ForeignKey(references=BoothApplication, on_delete=OnDelete.cascade, null=False)
    product = ForeignKey(references=Product, on_delete=OnDelete.cascade, null=False)


class BoothPreference(Table):
    """One of up to three booths a producer would like, in order."""

    application = ForeignKey(references=BoothApplication, on_delete=OnDelete.cascade, null=False)
    booth = ForeignKey(references=Booth, on_delete=OnDelete.cascade, null=False)
    rank = Integer()


class BoothRental(Table):
    booth = ForeignKey(references=Booth, on_delete=OnDelete.cascade, null=False)
    application = ForeignKey(references=BoothApplication, on_delete=OnDelete.cascade, null=False)
    producer = ForeignKey(references=Producer, on_delete=OnDelete.cascade, null=False)
    starts_on = Date()
    ends_on = Date()
    status = Varchar(length=20, choices=RentalStatus, default=RentalStatus.active, index=True)
    created_at = Timestamptz(default=TimestamptzNow())


class MarkKind(str, Enum):
    pin = "pin"  # this application gets this booth
    forbid = "forbid"  # this application never gets this booth


class AllocationPolicy(Table):
    """A fair's allocation rules, as staff set them (see booths.allocation)."""

    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, null=False, unique=True)
    per_star = Integer(default=10)
    first_time = Integer(default=5)  # points for a producer never accepted at a fair before
    cooperative = Integer(default=0)  # points for cooperatives and cooperative groups
    reserved_types = Varchar(length=100, default="")  # booth types, comma-separated
    reserved_min_stars = Integer(default=4)
    separate_groups = Boolean(default=False)
    # First come, first served: producers pick a free booth on the plan and hold it while they
    # confirm, instead of waiting for an allocation.
    first_come = Boolean(default=False)
    hold_minutes = Integer(default=15)
    # [{"kind": "province" | "region" | "group", "name": "Nghệ An", "minimum": 0, "maximum": 12 | null}]
    quotas = JSON(default=[])
    updated_at = Timestamptz(default=TimestamptzNow())


class AllocationMark(Table):
    """Staff's hand on the allocation: an application pinned to a booth, or kept off one."""

    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, null=False)
    application = ForeignKey(references=BoothApplication, on_delete=OnDelete.cascade, null=False)
    booth = ForeignKey(references=Booth, on_delete=OnDelete.cascade, null=False)
    kind = Varchar(length=10, choices=MarkKind)


class BoothHold(Table):
    """A booth a producer picked on the plan of a first-come fair, kept for it until `expires_at`.

    An expired hold holds nothing: every reader compares with the clock, so the booth is free
    the moment it lapses. One row per booth (unique), one per producer and event.
    """

    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, null=False)
    booth = ForeignKey(references=Booth, on_delete=OnDelete.cascade, null=False, unique=True)
    producer = ForeignKey(references=Producer, on_delete=OnDelete.cascade, null=False)
    expires_at = Timestamptz()
    created_at = Timestamptz(default=TimestamptzNow())


class FeatureKind(str, Enum):
    aisle = "aisle"
    entrance = "entrance"
    stage = "stage"
    pillar = "pillar"


class PlanFeature(Table):
    """What a fair's floor plan shows but nobody rents: an aisle, the entrance, the stage, a pillar.

    In metres on its hall's floor, as booths are; no booth may overlap one (see booths.geometry).
    """

    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, null=False)
    hall = ForeignKey(references=Hall, on_delete=OnDelete.cascade, null=False)
    kind = Varchar(length=20, choices=FeatureKind)
    label = Varchar(length=60, default="")
    x = Real(default=0.0)
    y = Real(default=0.0)
    width = Real(default=1.0)
    depth = Real(default=1.0)


class BoothTypePrice(Table):
    """A fair's price for a type of booth, as staff set it: new booths of the type start at it."""

    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, null=False)
    booth_type = Varchar(length=20, choices=BoothType)
    price = BigInt(default=0)


class NoticeKind(str, Enum):
    approved = "approved"
    moved = "moved"  # approved again with another booth: to confirm again
    waitlisted = "waitlisted"
    rejected = "rejected"
    confirmed = "confirmed"
    cancelled = "cancelled"
    offered = "offered"  # a freed booth offered to the first in line
    lapsed = "lapsed"  # that offer not confirmed in time
    line_moved = "line_moved"  # another place on the waiting list


class ApplicationNotice(Table):
    """What changed in a producer's application, told on its pages until it reads it.

    Written in the transaction of the change itself (see booths.notices): a change rolled back
    leaves no notice. `params` holds what the text names (booth code, reason, deadline, places);
    the text is made in the reader's language when shown.
    """

    application = ForeignKey(references=BoothApplication, on_delete=OnDelete.cascade, null=False)
    producer = ForeignKey(references=Producer, on_delete=OnDelete.cascade, null=False)
    kind = Varchar(length=20, choices=NoticeKind)
    params = JSON(default={})
    created_at = Timestamptz(default=TimestamptzNow())
    read_at = Timestamptz(null=True, default=None)
