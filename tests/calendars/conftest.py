"""Rows the calendar feeds show, written straight into the tables: events, sessions, opening hours,
booth rentals, meetings and MoUs, and a parser for the feeds."""

from __future__ import annotations

import datetime as dt
import itertools
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar

from events_app.booths.tables import Booth, BoothApplication, BoothRental
from events_app.directory.tables import Distributor, Producer
from events_app.events.tables import Event, Hall, OpeningHours, Session, Venue
from events_app.core.i18n import LOCAL_TZ
from events_app.matchmaking.tables import Meeting, MeetingRequest
from events_app.mou.tables import Mou
from tests.mou.builders import insert_mou
from events_app.reference.tables import Province

_counter = itertools.count(1)


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LOCAL_TZ)


def days_from_today(days: int, hour: int = 8, minute: int = 0) -> dt.datetime:
    today = dt.datetime.now(LOCAL_TZ).date() + dt.timedelta(days=days)
    return dt.datetime.combine(today, dt.time(hour, minute), LOCAL_TZ)


@pytest.fixture
def host(settings) -> str:
    return urlsplit(settings.public_url).hostname


def parse(body: bytes) -> Calendar:
    return Calendar.from_ical(body)


def uids(calendar: Calendar) -> list[str]:
    return [str(event["UID"]) for event in calendar.events]


def by_uid(calendar: Calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in calendar.events}


async def make_event(
    *,
    title: str = "Hội chợ thử nghiệm",
    kind: str = "fair",
    status: str = "published",
    province: str = "Nghệ An",
    starts: dt.datetime | None = None,
    ends: dt.datetime | None = None,
    title_en: str = "",
    description: str = "",
    organiser: str = "Sở Công Thương",
) -> dict:
    """An event with its own venue and one hall; returns the row as a dict."""
    n = next(_counter)
    province_row = await Province.select(Province.id, Province.region).where(Province.name == province).first()
    venue = Venue(name=f"Trung tâm Hội chợ {n}", slug=f"trung-tam-{n}", address="Số 1 Lê Lợi", province=province_row["id"])
    await venue.save()
    hall = Hall(venue=venue.id, name="Khu A")
    await hall.save()
    starts = starts or days_from_today(30)
    event = Event(
        slug=f"su-kien-{n}",
        title_vi=title,
        title_en=title_en,
        kind=kind,
        status=status,
        venue=venue.id,
        province=province_row["id"],
        region=province_row["region"],
        starts_at=starts,
        ends_at=ends or starts + dt.timedelta(days=2, hours=12),
        organiser=organiser,
        description=description,
    )
    await event.save()
    row = await Event.select().where(Event.id == event.id).first()
    return {**row, "hall_id": hall.id}


async def make_session(event: dict, title: str, kind: str, starts: dt.datetime, minutes: int, **extra) -> Session:
    session = Session(
        event=event["id"], title=title, kind=kind, starts_at=starts, ends_at=starts + dt.timedelta(minutes=minutes), **extra
    )
    await session.save()
    return session


async def add_opening_hours(event: dict, rows: list[tuple[int, dt.time, dt.time]]) -> None:
    for weekday, opens_at, closes_at in rows:
        await OpeningHours(event=event["id"], weekday=weekday, opens_at=opens_at, closes_at=closes_at).save()


async def make_rental(
    event: dict,
    producer: Producer,
    code: str,
    starts_on: dt.date,
    ends_on: dt.date,
    *,
    status: str = "active",
    booth_type: str = "standard",
) -> BoothRental:
    booth = await Booth.objects().where((Booth.event == event["id"]) & (Booth.code == code)).first()
    if booth is None:
        booth = Booth(event=event["id"], hall=event["hall_id"], code=code, booth_type=booth_type)
        await booth.save()
    application = BoothApplication(event=event["id"], producer=producer.id, status="confirmed")
    await application.save()
    rental = BoothRental(
        booth=booth.id, application=application.id, producer=producer.id, starts_on=starts_on, ends_on=ends_on, status=status
    )
    await rental.save()
    return rental


async def make_meeting(
    session: Session,
    producer: Producer,
    distributor: Distributor,
    starts: dt.datetime,
    table: int,
    *,
    request_status: str = "accepted",
) -> Meeting:
    request = MeetingRequest(
        event=session.event, producer=producer.id, distributor=distributor.id, requested_by="distributor", status=request_status
    )
    await request.save()
    meeting = Meeting(
        request=request.id,
        event=session.event,
        session=session.id,
        producer=producer.id,
        distributor=distributor.id,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=session.slot_minutes or 20),
        table_number=table,
    )
    await meeting.save()
    return meeting


async def make_mou(
    event: dict | None,
    producer: Producer,
    distributor: Distributor,
    *,
    session: Session | None = None,
    signing_at: dt.datetime | None = None,
    status: str = "agreed",
    title: str = "Biên bản ghi nhớ tiêu thụ sản phẩm",
    value_vnd: int = 500_000_000,
) -> Mou:
    mou_id = await insert_mou(
        producer.id,
        distributor.id,
        event=event["id"] if event else None,
        proposed_by="distributor",
        title=title,
        value_vnd=value_vnd,
        status=status,
        signing_session=session.id if session else None,
        signing_at=signing_at,
    )
    return await Mou.objects().where(Mou.id == mou_id).first()
