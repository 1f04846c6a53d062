"""What each calendar feed holds: published events, one event's programme, a user's own agenda.

Functions here read the database and return `ical.Feed` values with their texts written in the
reader's language; `ical.render()` makes the bytes. Public feeds are in Vietnamese (a calendar
application has no session to say otherwise); a private feed uses its owner's saved language.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from typing import Any, Iterable

from events_app import __version__
from events_app.core.clock import today
from events_app.core.identity import CurrentUser
from events_app.core.revisions import CALENDAR, revision

from events_app.accounts.services import user_for_feed_token
from events_app.booths.tables import BoothRental, BoothType, RentalStatus
from events_app.calendars import ical
from events_app.calendars.ical import CANCELLED, CONFIRMED, TENTATIVE, Entry, Feed, Site
from events_app.directory.tables import Distributor, Producer
from events_app.core.errors import NotFound
from events_app.events import networks
from events_app.events import services as events
from events_app.events.tables import Attendance, AttendanceStatus, Event, EventKind, EventStatus, OpeningHours, Session
from events_app.core.i18n import DEFAULT_LANGUAGE, LOCAL_TZ, N_, current_language, format_vnd, gettext, language
from events_app.core.labels import label
from events_app.matchmaking.scheduler import signing_minutes
from events_app.matchmaking.tables import Meeting, RequestStatus
from events_app.mou import parties as mou_parties
from events_app.mou.tables import Mou, MouStatus
from events_app.core.text import slugify

# Events of the last 90 days stay in the feed without a month filter, so a calendar keeps them.
# The window starts at the beginning of a day, so a feed changes with the date, not every moment.
RECENT = dt.timedelta(days=90)
MAX_EVENTS = 1000
# Published and closed events show as confirmed; a cancelled one stays, marked, so that a
# subscribed calendar learns of the cancellation instead of seeing the event vanish.
FEED_STATUSES = (EventStatus.published.value, EventStatus.closed.value, EventStatus.cancelled.value)
# Rentals that hold a booth: approved ones, and showroom slots waiting for staff.
LIVE_RENTALS = (RentalStatus.active.value, RentalStatus.held.value)
# Feed tokens are URL-safe base64 (accounts.services.new_feed_token); anything else is not one.
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
UNKNOWN_FEED = N_("This calendar address does not exist.")
# A calendar application has no session to choose another language with.
PUBLIC_LANGUAGE = DEFAULT_LANGUAGE
ALL_EVENTS = N_("Fairs, connection conferences and showrooms of the OCOP programme.")


# Events ----------------------------------------------------------------------------------------

def _title(event: dict[str, Any]) -> str:
    if current_language() == "en" and event.get("title_en"):
        return event["title_en"]
    return event["title_vi"]


def _cancelled(event: dict[str, Any] | None) -> bool:
    return event is not None and event["status"] == EventStatus.cancelled.value


def _summary(text: str, event: dict[str, Any] | None) -> str:
    return gettext("[Cancelled] %(title)s") % {"title": text} if _cancelled(event) else text


def _status(event: dict[str, Any] | None, own: str = CONFIRMED) -> str:
    return CANCELLED if _cancelled(event) else own


def _venue(event: dict[str, Any]) -> str:
    return ical.join_place(event["venue_name"], event["venue_address"], event["province_name"])


def _event_path(event: dict[str, Any]) -> str:
    return f"/events/{event['slug']}"


def part_of(event: dict[str, Any] | None, site: Site, *, summary: str, status: str = CONFIRMED, **fields: Any) -> Entry:
    """An entry that belongs to an event: linked to it, and marked when the event is cancelled."""
    if event is None:
        return Entry(summary=summary, status=status, **fields)
    return Entry(
        summary=_summary(summary, event),
        status=_status(event, status),
        url=site.url(_event_path(event)),
        related_to=site.uid("event", event["id"]),
        **fields,
    )


def event_entry(event: dict[str, Any], site: Site) -> Entry:
    url = site.url(_event_path(event))
    organiser = gettext("Organiser: %(name)s") % {"name": event["organiser"]} if event["organiser"] else ""
    return Entry(
        uid=site.uid("event", event["id"]),
        summary=_summary(_title(event), event),
        starts=event["starts_at"],
        ends=event["ends_at"],
        description=ical.join_lines(
            label("event_kind", event["kind"]), organiser, event["description"], gettext("Details: %(url)s") % {"url": url}
        ),
        location=_venue(event),
        url=url,
        status=_status(event),
        categories=(label("event_kind", event["kind"]),),
        busy=False,
        last_modified=event["updated_at"],
    )


def session_entry(session: dict[str, Any], event: dict[str, Any], site: Site) -> Entry:
    return part_of(
        event,
        site,
        uid=site.uid("session", session["id"]),
        summary=session["title"],
        starts=session["starts_at"],
        ends=session["ends_at"],
        description=ical.join_lines(label("session_kind", session["kind"]), _title(event)),
        location=ical.join_place(session["room"], event["venue_name"], event["venue_address"], event["province_name"]),
        categories=(label("session_kind", session["kind"]),),
    )


def opening_entries(event: dict[str, Any], hours: Iterable[dict[str, Any]], site: Site) -> list[Entry]:
    """A showroom's weekly opening hours: one recurring entry per distinct time range."""
    openings = ical.weekly_openings(
        ((row["weekday"], row["opens_at"], row["closes_at"]) for row in hours), event["starts_at"], event["ends_at"]
    )
    return [
        part_of(
            event,
            site,
            uid=site.uid("hours", event["id"], opening.key),
            summary=gettext("Open: %(title)s") % {"title": _title(event)},
            starts=opening.first_start,
            ends=opening.first_end,
            description=ical.join_lines(
                gettext("Opening hours"), ", ".join(label("weekday", day) for day in opening.repeat.weekdays)
            ),
            location=_venue(event),
            busy=False,
            repeat=opening.repeat,
        )
        for opening in openings
    ]


def window_start(day: dt.date) -> dt.datetime:
    """The first moment of the day 90 days before `day`, in Vietnam: events over before it are left out."""
    return dt.datetime.combine(day - RECENT, dt.time(), LOCAL_TZ).astimezone(dt.timezone.utc)


async def published_events(filters: events.EventFilters, day: dt.date) -> list[dict[str, Any]]:
    """The events of /calendar.ics on `day`: a month when asked, else those not over more than 90 days before."""
    query = events.filtered_events(filters, statuses=FEED_STATUSES)
    if filters.month is None:
        query = query.where(Event.ends_at >= window_start(day))
    return await query.limit(MAX_EVENTS)


def _filters_key(filters: events.EventFilters) -> str:
    return "-".join(slugify(value) for value in filters.params().values() if value)


async def listed_entries(rows: list[dict[str, Any]], site: Site) -> tuple[Entry, ...]:
    """Events as a list of them shows: each an entry of its days, but a showroom with opening hours
    as those hours, every week, rather than one event two years long."""
    showrooms = [row["id"] for row in rows if row["kind"] == EventKind.showroom.value]
    hours: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if showrooms:
        for row in await OpeningHours.select().where(OpeningHours.event.is_in(showrooms)).order_by(OpeningHours.weekday):
            hours[row["event"]].append(row)
    entries: list[Entry] = []
    for event in rows:
        weekly = opening_entries(event, hours[event["id"]], site) if event["id"] in hours else []
        entries += weekly or [event_entry(event, site)]
    return tuple(entries)


EVENTS_FILENAME = "ocop-events.ics"


async def _events_feed(filters: events.EventFilters, site: Site, uid: str, day: dt.date | None) -> Feed:
    return Feed(
        uid=uid,
        name=gettext("OCOP events"),
        description=gettext(ALL_EVENTS),
        filename=EVENTS_FILENAME,
        language=current_language(),
        entries=await listed_entries(await published_events(filters, day or today()), site),
    )


async def public_feed(filters: events.EventFilters, site: Site, *, day: dt.date | None = None) -> Feed:
    """The feed of /calendar.ics, with the filters of /events."""
    key = _filters_key(filters)
    with language(PUBLIC_LANGUAGE):
        return await _events_feed(filters, site, site.uid("calendar", key) if key else site.uid("calendar"), day)


def event_feed_filename(slug: str) -> str:
    return f"{slug}.ics"


async def public_version(site: Site, *feed: str) -> str:
    """The version of a public feed, known without reading it: what the calendar's tables hold
    (`revision(CALENDAR)`, moved by every committed write to them), which feed it is (`feed`: its
    path and filters), the language it is written in, and the day, since the window of the events
    feed moves with it. Equal versions mean equal feeds, in every worker process.

    Provinces and regions are outside the calendar's scope: they change only with a migration of
    the reference data, and a feed written before one shows the new names from the next day.
    """
    key = (ical.RENDER_VERSION, __version__, await revision(CALENDAR), site.public_url, PUBLIC_LANGUAGE, today(), *feed)
    return hashlib.blake2b(repr(key).encode("utf-8"), digest_size=16).hexdigest()


async def event_feed(slug: str, site: Site) -> Feed:
    """An event with its sessions and, for a showroom, its opening hours; drafts are not found."""
    # PostgreSQL refuses NUL in text; no slug holds one, nor is any slug empty.
    event = await events.get_event("" if "\x00" in slug else slug)
    with language(PUBLIC_LANGUAGE):
        entries = [event_entry(event, site)]
        entries += [session_entry(session, event, site) for session in await events.sessions_of(event["id"])]
        if event["kind"] == EventKind.showroom.value:
            entries += opening_entries(event, await events.opening_hours_of(event["id"]), site)
        return Feed(
            uid=site.uid("calendar-event", event["id"]),
            name=_title(event),
            description=label("event_kind", event["kind"]),
            filename=event_feed_filename(event["slug"]),
            language=PUBLIC_LANGUAGE,
            entries=tuple(entries),
        )


async def network_version(slug: str, site: Site) -> str:
    """The version of a showroom network's feed: its points move the calendar's revision; its own
    name and description are read with it."""
    network = await networks.get_network("" if "\x00" in slug else slug)
    return await public_version(site, "network", slug, network["name"], network["description"])


async def network_feed(slug: str, site: Site) -> Feed:
    """A showroom network's public points, each by its weekly opening hours (by its days when it
    has none), so one subscription shows when every point of the network is open."""
    network = await networks.get_network("" if "\x00" in slug else slug)
    rows = await Event.select(*events.EVENT_COLUMNS).where(
        (Event.network == network["id"]) & Event.status.is_in(list(networks.PUBLIC_POINT_STATUSES))
    ).order_by(Event.id)
    with language(PUBLIC_LANGUAGE):
        return Feed(
            uid=site.uid("calendar-network", network["id"]),
            name=network["name"],
            description=network["description"] or gettext("Showroom network"),
            filename=event_feed_filename(network["slug"]),
            language=PUBLIC_LANGUAGE,
            entries=await listed_entries(rows, site),
        )


# A user's own feed -------------------------------------------------------------------------------

async def _events_by_id(event_ids: Iterable[int | None]) -> dict[int, dict[str, Any]]:
    """Events that are not drafts, by id."""
    ids = sorted({event_id for event_id in event_ids if event_id is not None})
    if not ids:
        return {}
    rows = await Event.select(*events.EVENT_COLUMNS).where(
        Event.id.is_in(ids) & (Event.status != EventStatus.draft.value)
    )
    return {row["id"]: row for row in rows}


async def rental_entries(producer_id: int, site: Site) -> list[Entry]:
    """The producer's live booth rentals: a fair's days, or a showroom slot's rented period."""
    rows = await BoothRental.select(
        BoothRental.id,
        BoothRental.starts_on,
        BoothRental.ends_on,
        BoothRental.status,
        BoothRental.booth.code.as_alias("booth_code"),
        BoothRental.booth.booth_type.as_alias("booth_type"),
        BoothRental.booth.event.as_alias("event_id"),
        BoothRental.booth.hall.name.as_alias("hall_name"),
    ).where((BoothRental.producer == producer_id) & BoothRental.status.is_in(list(LIVE_RENTALS))).order_by(
        BoothRental.starts_on
    )
    by_id = await _events_by_id(row["event_id"] for row in rows)
    entries = []
    for row in rows:
        event = by_id.get(row["event_id"])
        if event is None:
            continue
        if event["kind"] == EventKind.showroom.value:
            first, last = row["starts_on"], row["ends_on"]
        else:
            first, last = events.event_days(event)
        shelf = row["booth_type"] == BoothType.shelf.value
        what = gettext("Shelf slot %(code)s") if shelf else gettext("Booth %(code)s")
        held = row["status"] == RentalStatus.held.value
        entries.append(
            part_of(
                event,
                site,
                uid=site.uid("rental", row["id"]),
                summary=f"{what % {'code': row['booth_code']}} · {_title(event)}",
                status=TENTATIVE if held else CONFIRMED,
                starts=first,
                ends=last,
                description=ical.join_lines(
                    gettext("Status: %(status)s") % {"status": label("rental_status", row["status"])},
                    gettext("Hall: %(hall)s") % {"hall": row["hall_name"]} if row["hall_name"] else "",
                    _title(event),
                ),
                location=_venue(event),
                busy=False,
            )
        )
    return entries


async def meeting_entries(user: CurrentUser, site: Site) -> list[Entry]:
    """The producer's or distributor's scheduled meetings, with the table and the other party."""
    if user.is_producer:
        mine, other = Meeting.producer == user.producer_id, Meeting.distributor.name
    else:
        mine, other = Meeting.distributor == user.distributor_id, Meeting.producer.name
    rows = await Meeting.select(
        Meeting.id,
        Meeting.event,
        Meeting.starts_at,
        Meeting.ends_at,
        Meeting.table_number,
        Meeting.session.title.as_alias("session_title"),
        Meeting.session.room.as_alias("room"),
        other.as_alias("party"),
    ).where(
        mine & Meeting.request.status.not_in([RequestStatus.cancelled.value, RequestStatus.declined.value])
    ).order_by(Meeting.starts_at)
    by_id = await _events_by_id(row["event"] for row in rows)
    entries = []
    for row in rows:
        event = by_id.get(row["event"])
        if event is None:
            continue
        table = gettext("Table %(number)d") % {"number": row["table_number"]}
        with_party = gettext("Meeting with %(party)s") % {"party": row["party"]}
        entries.append(
            part_of(
                event,
                site,
                uid=site.uid("meeting", row["id"]),
                summary=f"{with_party} · {table}",
                starts=row["starts_at"],
                ends=row["ends_at"],
                description=ical.join_lines(with_party, table, row["session_title"], _title(event)),
                location=ical.join_place(table, row["room"], event["venue_name"], event["province_name"]),
            )
        )
    return entries


async def programme_entries(user: CurrentUser, site: Site) -> list[Entry]:
    """The sessions of the conferences the producer or distributor is registered for: with its
    meetings and signing slots, its whole agenda (UIDs shared with the event's own feed)."""
    mine = Attendance.producer == user.producer_id if user.is_producer else Attendance.distributor == user.distributor_id
    event_ids = await Attendance.select(Attendance.event).where(
        mine & (Attendance.status == AttendanceStatus.registered.value)
    ).output(as_list=True)
    by_id = await _events_by_id(event_ids)
    if not by_id:
        return []
    sessions = await Session.select().where(Session.event.is_in(list(by_id))).order_by(Session.starts_at)
    return [session_entry(session, by_id[session["event"]], site) for session in sessions]


def signing_end(signing_at: dt.datetime, slot_minutes: int | None, session_ends_at: dt.datetime | None) -> dt.datetime:
    """A signing slot lasts as long as the ceremony gives it (`signing_minutes`), never past the session's end."""
    ends = signing_at + dt.timedelta(minutes=signing_minutes(slot_minutes))
    if session_ends_at is not None and signing_at < session_ends_at < ends:
        return session_ends_at
    return ends


async def signing_entries(user: CurrentUser, site: Site) -> list[Entry]:
    """The producer's or distributor's MoU signing slots (withdrawn MoUs left out), with the
    MoU's other parties, however many."""
    side, org_id = ("producer", user.producer_id) if user.is_producer else ("distributor", user.distributor_id)
    rows = await Mou.select(
        Mou.id,
        Mou.event,
        Mou.title,
        Mou.status,
        Mou.value_vnd,
        Mou.signing_at,
        Mou.signing_session.title.as_alias("session_title"),
        Mou.signing_session.room.as_alias("room"),
        Mou.signing_session.ends_at.as_alias("session_ends_at"),
        Mou.signing_session.slot_minutes.as_alias("slot_minutes"),
        Mou.signing_session.event.as_alias("session_event"),
    ).where(mou_parties.involving(side, org_id) & Mou.signing_at.is_not_null()
            & (Mou.status != MouStatus.withdrawn.value)).order_by(Mou.signing_at)
    of = await mou_parties.of_mous([row["id"] for row in rows])
    by_id = await _events_by_id(row["event"] or row["session_event"] for row in rows)
    entries = []
    for row in rows:
        event_id = row["event"] or row["session_event"]
        event = by_id.get(event_id)
        if event_id is not None and event is None:  # a draft event
            continue
        proposed = row["status"] == MouStatus.proposed.value
        value = gettext("Value: %(value)s") % {"value": format_vnd(row["value_vnd"])} if row["value_vnd"] else ""
        entries.append(
            part_of(
                event,
                site,
                uid=site.uid("mou", row["id"]),
                summary=gettext("MoU signing with %(party)s") % {
                    "party": mou_parties.names(mou_parties.others(of[row["id"]], side, org_id))},
                status=TENTATIVE if proposed else CONFIRMED,
                starts=row["signing_at"],
                ends=signing_end(row["signing_at"], row["slot_minutes"], row["session_ends_at"]),
                description=ical.join_lines(
                    row["title"],
                    gettext("Status: %(status)s") % {"status": label("mou_status", row["status"])},
                    value,
                    row["session_title"],
                    _title(event) if event else "",
                ),
                location=ical.join_place(row["room"], *((event["venue_name"], event["province_name"]) if event else ())),
            )
        )
    return entries


async def _organisation_name(user: CurrentUser) -> str:
    if user.is_producer and user.producer_id:
        row = await Producer.select(Producer.name).where(Producer.id == user.producer_id).first()
    elif user.is_distributor and user.distributor_id:
        row = await Distributor.select(Distributor.name).where(Distributor.id == user.distributor_id).first()
    else:
        row = None
    return row["name"] if row else (user.name or user.email)


async def private_feed(token: str, site: Site, *, day: dt.date | None = None) -> Feed:
    """The feed behind a user's secret address; an unknown or revoked token is simply not found."""
    user = await user_for_feed_token(token) if TOKEN_RE.fullmatch(token) else None
    if user is None:
        raise NotFound(UNKNOWN_FEED)
    with language(user.language):
        if user.is_staff:  # staff follow every published event
            return await _events_feed(events.EventFilters(), site, site.uid("calendar-user", user.id), day)
        entries = []
        if user.is_producer and user.producer_id:
            entries += await rental_entries(user.producer_id, site)
        if (user.is_producer and user.producer_id) or (user.is_distributor and user.distributor_id):
            entries += await programme_entries(user, site)
            entries += await meeting_entries(user, site)
            entries += await signing_entries(user, site)
        return Feed(
            uid=site.uid("calendar-user", user.id),
            name=gettext("My OCOP calendar"),
            description=gettext("Booths, meetings and MoU signing slots of %(name)s.")
            % {"name": await _organisation_name(user)},
            filename="my-ocop-calendar.ics",
            language=current_language(),
            entries=tuple(entries),
        )
