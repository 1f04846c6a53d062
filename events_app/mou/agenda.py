"""Agendas of a connection conference, as plain values for pages and PDF builders:

- a participant's own day (`participant_agenda`): the programme's sessions, its meetings (time,
  table, the other party with how to reach it, the products concerned) and its MoU signing slots;
- the programme (`programme`): the sessions by day, with their rooms;
- the table grid of a B2B session (`table_grid`): a row per slot, a column per table, each cell
  the producer × distributor pair meeting there, for staff to print and post at the venue.

Meetings are read from matchmaking's Meeting rows (session, starts_at, ends_at, table_number),
signing slots from the MoUs; this module writes nothing but the lapse of overdue MoUs it reads."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from itertools import groupby

from events_app.core.errors import NotFound
from events_app.core.i18n import N_, to_local
from events_app.directory.tables import Product
from events_app.events.services import event_days, get_event_by_id, local_day
from events_app.events.tables import Attendance, AttendanceStatus, EventKind, Session, SessionKind
from events_app.matchmaking.parties import DISTRIBUTOR, PRODUCER, Participant
from events_app.matchmaking.scheduler import signing_minutes, slot_times
from events_app.matchmaking.tables import Meeting, RequestStatus
from events_app.mou import parties
from events_app.mou.documents import distributor_card, producer_card
from events_app.mou.tables import Mou, MouProduct, MouStatus

NO_AGENDA = N_("This agenda does not exist.")
NO_GRID = N_("This B2B session does not exist.")
PRODUCTS_SHOWN = 6
TABLES_PER_PAGE = 10  # columns of a printed table grid  # products named for a meeting: the producer's best rated
LIVE_MEETINGS = Meeting.request.status.not_in([RequestStatus.cancelled.value, RequestStatus.declined.value])
CLOSED_MOUS = [MouStatus.withdrawn.value, MouStatus.declined.value]


def _event_facts(event: dict, public_url: str) -> dict:
    first, last = event_days(event)
    return {
        "id": event["id"], "slug": event["slug"], "title_vi": event["title_vi"], "title_en": event["title_en"],
        "kind": event["kind"], "organiser": event["organiser"], "venue": event["venue_name"],
        "address": event["venue_address"], "province": event["province_name"], "first_day": first, "last_day": last,
        "url": f"{public_url.rstrip('/')}/events/{event['slug']}",
    }


def _moment(value: dt.datetime) -> dict:
    """A moment as the printed pages show it: its local day and time (plain values, for the cache key)."""
    local = to_local(value)
    return {"day": local.date(), "time": local.time().replace(second=0, microsecond=0)}


async def _sessions(event_id: int) -> list[dict]:
    return await Session.select(
        Session.id, Session.title, Session.kind, Session.starts_at, Session.ends_at, Session.room,
        Session.tables_count, Session.slot_minutes,
    ).where(Session.event == event_id).order_by(Session.starts_at).order_by(Session.id)


def _by_day(items: list[dict]) -> list[dict]:
    """Items with `starts_at` as days of the programme, in time order."""
    items = sorted(items, key=lambda item: (item["starts_at"], item.get("order", 0)))
    return [{"day": day, "entries": list(group)} for day, group in groupby(items, key=lambda i: local_day(i["starts_at"]))]


def _session_item(session: dict) -> dict:
    return {"kind": "session", "session_kind": session["kind"], "title": session["title"], "room": session["room"],
            "starts_at": session["starts_at"], "ends_at": session["ends_at"],
            "starts": _moment(session["starts_at"])["time"], "ends": _moment(session["ends_at"])["time"]}


# The programme -----------------------------------------------------------------------------------------

async def programme(event: dict, public_url: str) -> dict:
    """The event's sessions by day, with their rooms (any published event with a programme)."""
    sessions = await _sessions(event["id"])
    return {"event": _event_facts(event, public_url), "days": _plain_days(_by_day([_session_item(s) for s in sessions]))}


def _plain_days(days: list[dict]) -> list[dict]:
    """Days without the UTC moments used to sort them: what a template prints, and a cache key hashes."""
    return [{"day": d["day"], "entries": [{k: v for k, v in i.items() if k not in ("starts_at", "ends_at", "order")}
                                          for i in d["entries"]]} for d in days]


# A participant's agenda -------------------------------------------------------------------------------

async def attendance(attendance_id: int, *, participant: Participant | None = None, event_id: int | None = None) -> dict:
    """A registration at a conference: the participant's own, or (staff) one of the event on their page."""
    row = await Attendance.select(
        Attendance.id, Attendance.event, Attendance.producer, Attendance.distributor, Attendance.status,
    ).where((Attendance.id == attendance_id) & (Attendance.status == AttendanceStatus.registered.value)).first()
    if row is None:
        raise NotFound(NO_AGENDA)
    side = PRODUCER if row["producer"] else DISTRIBUTOR
    org_id = row["producer"] or row["distributor"]
    if participant is not None and (participant.side != side or participant.org_id != org_id):
        raise NotFound(NO_AGENDA)
    if participant is None and row["event"] != event_id:
        raise NotFound(NO_AGENDA)
    return {"id": row["id"], "event": row["event"], "side": side, "org_id": org_id}


async def attendances_of(participant: Participant) -> list[dict]:
    """The conferences the participant is registered for, soonest first, with the attendance's id."""
    column = Attendance.producer if participant.is_producer else Attendance.distributor
    rows = await Attendance.select(
        Attendance.id, Attendance.event.slug.as_alias("slug"), Attendance.event.title_vi.as_alias("title_vi"),
        Attendance.event.title_en.as_alias("title_en"), Attendance.event.starts_at.as_alias("starts_at"),
        Attendance.event.kind.as_alias("kind"),
    ).where((column == participant.org_id) & (Attendance.status == AttendanceStatus.registered.value))
    return sorted((r for r in rows if r["kind"] == EventKind.conference.value), key=lambda r: r["starts_at"])


async def attendees(event_id: int) -> list[dict]:
    """Every registered party of the event, producers first, by name: whose agenda staff may print."""
    rows = await Attendance.select(
        Attendance.id, Attendance.producer.name.as_alias("producer_name"),
        Attendance.distributor.name.as_alias("distributor_name"),
    ).where((Attendance.event == event_id) & (Attendance.status == AttendanceStatus.registered.value))
    out = [{"id": r["id"], "name": r["producer_name"] or r["distributor_name"] or "",
            "side": PRODUCER if r["producer_name"] else DISTRIBUTOR} for r in rows]
    return sorted(out, key=lambda r: (r["side"] != PRODUCER, r["name"].casefold()))


async def _products_by_producer(producer_ids: list[int]) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = defaultdict(list)
    if producer_ids:
        rows = await Product.select(Product.producer, Product.name, Product.stars).where(
            Product.producer.is_in(producer_ids)
        ).order_by(Product.stars, ascending=False).order_by(Product.name)
        for row in rows:
            if len(out[row["producer"]]) < PRODUCTS_SHOWN:
                out[row["producer"]].append({"name": row["name"], "stars": row["stars"]})
    return out


async def _cards(side: str, ids: list[int]) -> dict[int, dict]:
    card = producer_card if side == PRODUCER else distributor_card
    return {org_id: await card(org_id) for org_id in sorted(set(ids))}


async def participant_agenda(registration: dict, public_url: str) -> dict:
    """One party's day at the conference: sessions, meetings and signing slots, by day."""
    event = await get_event_by_id(registration["event"])
    side, org_id = registration["side"], registration["org_id"]
    own_card = await (producer_card if side == PRODUCER else distributor_card)(org_id)
    mine = (Meeting.producer if side == PRODUCER else Meeting.distributor) == org_id
    meetings = await Meeting.select(
        Meeting.id, Meeting.producer, Meeting.distributor, Meeting.starts_at, Meeting.ends_at, Meeting.table_number,
        Meeting.session.title.as_alias("session_title"), Meeting.session.room.as_alias("room"),
    ).where(mine & (Meeting.event == event["id"]) & LIVE_MEETINGS).order_by(Meeting.starts_at)
    other_side = DISTRIBUTOR if side == PRODUCER else PRODUCER
    other_key = "distributor" if side == PRODUCER else "producer"
    others = await _cards(other_side, [m[other_key] for m in meetings])
    products = await _products_by_producer(sorted({m["producer"] for m in meetings}))

    signings = await Mou.select(
        Mou.id, Mou.title, Mou.status, Mou.value_vnd, Mou.signing_at,
        Mou.signing_session.title.as_alias("session_title"), Mou.signing_session.room.as_alias("room"),
        Mou.signing_session.slot_minutes.as_alias("slot_minutes"),
    ).where(parties.involving(side, org_id) & (Mou.event == event["id"]) & Mou.signing_at.is_not_null()
            & Mou.status.not_in(CLOSED_MOUS))
    signing_parties = await parties.of_mous([s["id"] for s in signings])
    mou_products: dict[int, list[dict]] = defaultdict(list)
    if signings:
        for row in await MouProduct.select(
            MouProduct.mou, MouProduct.product.name.as_alias("name"), MouProduct.product.stars.as_alias("stars"),
        ).where(MouProduct.mou.is_in([s["id"] for s in signings])).order_by(MouProduct.id):
            mou_products[row["mou"]].append({"name": row["name"], "stars": row["stars"]})

    items = [_session_item(s) for s in await _sessions(event["id"])]
    for m in meetings:
        items.append({
            "kind": "meeting", "order": 1, "title": m["session_title"], "room": m["room"], "table": m["table_number"],
            "starts_at": m["starts_at"], "ends_at": m["ends_at"],
            "starts": _moment(m["starts_at"])["time"], "ends": _moment(m["ends_at"])["time"],
            "other": others[m[other_key]], "products": products.get(m["producer"], []),
        })
    for s in signings:
        ends_at = s["signing_at"] + dt.timedelta(minutes=signing_minutes(s["slot_minutes"]))
        items.append({
            "kind": "signing", "order": 1, "title": s["title"], "room": s["room"], "session": s["session_title"],
            "starts_at": s["signing_at"], "ends_at": ends_at,
            "starts": _moment(s["signing_at"])["time"], "ends": _moment(ends_at)["time"], "status": s["status"],
            "other": {"name": parties.names(parties.others(signing_parties[s["id"]], side, org_id))},
            "value_vnd": s["value_vnd"] or 0, "products": mou_products[s["id"]],
        })
    return {
        "event": _event_facts(event, public_url),
        "party": {**own_card, "side": side},
        "days": _plain_days(_by_day(items)),
        "meeting_count": len(meetings),
        "signing_count": len(signings),
    }


# The table grid of a B2B session --------------------------------------------------------------------------

async def table_grid(event: dict, session_id: int, public_url: str) -> dict:
    """Rows = the session's slots, columns = its tables, each cell the pair meeting there (or empty)."""
    session = await Session.select().where(
        (Session.id == session_id) & (Session.event == event["id"]) & (Session.kind == SessionKind.b2b.value)
    ).first()
    if session is None:
        raise NotFound(NO_GRID)
    meetings = await Meeting.select(
        Meeting.starts_at, Meeting.table_number, Meeting.producer.name.as_alias("producer"),
        Meeting.distributor.name.as_alias("distributor"),
    ).where((Meeting.session == session_id) & LIVE_MEETINGS)
    cells = {(m["starts_at"], m["table_number"]): {"producer": m["producer"], "distributor": m["distributor"]}
             for m in meetings}
    tables = list(range(1, (session["tables_count"] or 0) + 1))
    # A meeting placed at a table the session no longer counts is still shown.
    tables += sorted({t for _, t in cells} - set(tables))
    slots = slot_times(session["starts_at"], session["ends_at"], session["slot_minutes"] or 0)
    # A wall sheet stays legible: at most TABLES_PER_PAGE tables across a page, more on the next.
    pages = []
    for first in range(0, len(tables), TABLES_PER_PAGE):
        shown = tables[first:first + TABLES_PER_PAGE]
        pages.append({
            "tables": shown,
            "rows": [{"starts": _moment(start)["time"], "ends": _moment(end)["time"],
                      "cells": [cells.get((start, t)) for t in shown]} for start, end in slots],
        })
    return {
        "event": _event_facts(event, public_url),
        "session": {"title": session["title"], "room": session["room"], "day": local_day(session["starts_at"]),
                    "starts": _moment(session["starts_at"])["time"], "ends": _moment(session["ends_at"])["time"]},
        "tables": tables,
        "pages": pages,
        "slot_count": len(slots),
        "meeting_count": len(cells),
        # Up to six tables fit an A4 page across; more go on A3.
        "paper": "A3" if len(tables) > 6 else "A4",
    }


async def b2b_sessions(event_id: int) -> list[dict]:
    return [s for s in await _sessions(event_id) if s["kind"] == SessionKind.b2b.value]


# The run of show of the signing ceremony ---------------------------------------------------------------

async def run_of_show(event: dict, public_url: str) -> dict:
    """Every MoU with a slot in the signing ceremony, in the order of its slot: when it is on stage,
    all its parties with their provinces and who signs for each, its title and value (staff, to
    conduct the ceremony)."""
    rows = await Mou.select(
        Mou.id, Mou.title, Mou.status, Mou.value_vnd, Mou.signing_at,
        Mou.signing_session.title.as_alias("session_title"), Mou.signing_session.room.as_alias("room"),
        Mou.signing_session.slot_minutes.as_alias("slot_minutes"),
    ).where((Mou.event == event["id"]) & Mou.signing_at.is_not_null() & Mou.status.not_in(CLOSED_MOUS)).order_by(
        Mou.signing_at).order_by(Mou.id)
    of = await parties.of_mous([row["id"] for row in rows])
    items = []
    for number, row in enumerate(rows, start=1):
        ends_at = row["signing_at"] + dt.timedelta(minutes=signing_minutes(row["slot_minutes"]))
        items.append({
            "number": number, "mou_id": row["id"], "title": row["title"], "status": row["status"],
            "value_vnd": row["value_vnd"] or 0, "session": row["session_title"], "room": row["room"],
            "starts_at": row["signing_at"], "ends_at": ends_at,
            "starts": _moment(row["signing_at"])["time"], "ends": _moment(ends_at)["time"],
            "parties": [{key: p[key] for key in ("letter", "kind", "name", "province", "representative",
                                                 "representative_title")} for p in of[row["id"]]],
        })
    return {
        "event": _event_facts(event, public_url),
        "days": _plain_days(_by_day(items)),
        "count": len(items),
        "total_value": sum(item["value_vnd"] for item in items),
    }
