"""What needs someone's attention today: certificates ending, booth applications waiting for review,
meeting requests about to go stale, signed MoUs due for follow-up.

Each list is read with one count and one page of its first rows, as plain values: the staff page
and the e-mail digest show the same lists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from events_app.booths.tables import ApplicationStatus, BoothApplication
from events_app.core.clock import LOCAL_TZ, now, today
from events_app.core.i18n import N_
from events_app.matchmaking.tables import MeetingRequest, RequestStatus
from events_app.mou import parties as mou_parties
from events_app.mou.tables import Mou, MouStatus
from events_app.recognition import services as recognition

SHOWN = 10  # rows of each list on the page and in an e-mail; the count says how many there are
# A meeting request whose expiry falls within this many days is near it; one without an expiry
# is worth a reminder once unanswered this long.
REQUEST_STALE_DAYS = 7
REQUEST_EXPIRY_DAYS = 2
# A signed MoU whose due date falls within this many days (or has passed) is due for follow-up;
# one without a due date once signed this long ago with nothing fulfilled.
MOU_FOLLOW_UP_DAYS = 60
MOU_DUE_DAYS = 7

CERTIFICATES, APPLICATIONS, MEETING_REQUESTS, MOUS = "certificates", "applications", "meeting_requests", "mous"


@dataclass
class ReminderList:
    kind: str
    title: str  # a message id
    rule: str  # a message id, with the list's numbers as parameters
    rule_params: dict
    count: int
    items: list[dict] = field(default_factory=list)


def _start_of_local_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), LOCAL_TZ).astimezone(dt.timezone.utc)


async def certificates(on: dt.date) -> ReminderList:
    page = await recognition.expiring(1, on=on)
    items = [{
        "name": row["name"], "producer": row["producer_name"], "province": row["province_name"],
        "stars": row["stars"], "valid_until": row["valid_until"], "days_left": row["days_left"],
        "dossier_status": row["dossier"]["status"] if row["dossier"] else "",
    } for row in page.items[:SHOWN]]
    return ReminderList(CERTIFICATES, N_("OCOP certificates ending soon"),
                        N_("Valid certificates ending within %(days)d days."), {"days": recognition.EXPIRY_WINDOW_DAYS},
                        page.total, items)


async def applications() -> ReminderList:
    where = BoothApplication.status == ApplicationStatus.submitted
    rows = await BoothApplication.select(
        BoothApplication.id, BoothApplication.event, BoothApplication.submitted_at,
        BoothApplication.producer.name.as_alias("producer"), BoothApplication.event.title_vi.as_alias("event_title"),
    ).where(where).order_by(BoothApplication.submitted_at, BoothApplication.id).limit(SHOWN)
    return ReminderList(APPLICATIONS, N_("Booth applications waiting for review"),
                        N_("Sent and not yet decided, oldest first."), {},
                        await BoothApplication.count().where(where), rows)


def _request_rule(on: dt.date):
    """Requests unanswered and expiring within two days (not those already expired: they can no
    longer be accepted); a request without an expiry once it is a week old."""
    expires = MeetingRequest.expires_at
    limit = _start_of_local_day(on + dt.timedelta(days=REQUEST_EXPIRY_DAYS + 1))
    near = expires.is_not_null() & (expires > now()) & (expires < limit)
    stale = expires.is_null() & (MeetingRequest.created_at < now() - dt.timedelta(days=REQUEST_STALE_DAYS))
    return ((MeetingRequest.status == RequestStatus.requested) & (near | stale),
            N_("Unanswered, expiring within %(days)d days (or, without an expiry, older than %(age)d days)."),
            {"days": REQUEST_EXPIRY_DAYS, "age": REQUEST_STALE_DAYS})


async def meeting_requests(on: dt.date) -> ReminderList:
    where, rule, params = _request_rule(on)
    rows = await MeetingRequest.select(
        MeetingRequest.id, MeetingRequest.event, MeetingRequest.created_at, MeetingRequest.expires_at,
        MeetingRequest.producer.name.as_alias("producer"), MeetingRequest.distributor.name.as_alias("distributor"),
        MeetingRequest.event.title_vi.as_alias("event_title"),
    ).where(where).order_by(MeetingRequest.created_at, MeetingRequest.id).limit(SHOWN)
    return ReminderList(MEETING_REQUESTS, N_("Meeting requests near their expiry"), rule, params,
                        await MeetingRequest.count().where(where), rows)


def _mou_rule(on: dt.date):
    """Signed MoUs not fulfilled: due within a week or overdue (to be fulfilled or recorded as
    lapsed); one without a due date once signed two months ago."""
    due = Mou.due_on.is_not_null() & (Mou.due_on <= on + dt.timedelta(days=MOU_DUE_DAYS))
    old = Mou.due_on.is_null() & (Mou.signed_at < _start_of_local_day(on - dt.timedelta(days=MOU_FOLLOW_UP_DAYS)))
    return ((Mou.status == MouStatus.signed) & (due | old),
            N_("Signed, not yet fulfilled, due within %(days)d days or overdue (or, without a due date, "
               "signed more than %(age)d days ago)."), {"days": MOU_DUE_DAYS, "age": MOU_FOLLOW_UP_DAYS})


async def mous(on: dt.date) -> ReminderList:
    where, rule, params = _mou_rule(on)
    rows = await Mou.select(
        Mou.id, Mou.event, Mou.title, Mou.value_vnd, Mou.signed_at, Mou.due_on,
    ).where(where).order_by(Mou.signed_at, Mou.id).limit(SHOWN)
    of = await mou_parties.of_mous([row["id"] for row in rows])
    for row in rows:
        row["parties"] = mou_parties.names(of[row["id"]])
    return ReminderList(MOUS, N_("MoUs due for follow-up"), rule, params, await Mou.count().where(where), rows)


async def staff_lists(on: dt.date | None = None) -> list[ReminderList]:
    on = on or today()
    return [await certificates(on), await applications(), await meeting_requests(on), await mous(on)]
