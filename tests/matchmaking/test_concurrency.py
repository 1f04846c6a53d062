"""Nobody is in two meetings at once, and no table holds two, whatever the session and the concurrency.

A conference with two B2B sessions in two rooms whose slots overlap by ten minutes (09:45–10:05
in the hall, 09:55–10:15 in the side room). Staff place one participant's two meetings, one in
each session, at the same moment: against a real server with two worker processes, in-process
with asyncio.gather, and behind the service's back straight into the table.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import httpx

from events_app.core.db import is_integrity_error
from events_app.core.errors import Conflict
from events_app.events.services import get_event_by_id
from events_app.events.tables import Session
from events_app.matchmaking import placement
from events_app.matchmaking.scheduler import slot_key
from events_app.matchmaking.tables import Meeting, MeetingRequest
from tests.factories import PASSWORD, make_distributor, make_producer, make_user
from tests.helpers import CSRF_COOKIE, form_token, text_of
from tests.matchmaking.builders import Conference, attend, make_conference

PAIRS = 6  # shared producers, and as many shared distributors
TEN = dt.timedelta(minutes=10)
PLACED = "Đã xếp lịch cuộc gặp."


async def accepted(event_id: int, producer, distributor) -> int:
    request = MeetingRequest(event=event_id, producer=producer.id, distributor=distributor.id,
                             requested_by="distributor", status="accepted")
    await request.save()
    return request.id


async def two_sessions(tables: int) -> tuple[Conference, Session]:
    """The conference's B2B session in the hall and a second one next door, ten minutes later."""
    conference = await make_conference(tables=tables)
    side = Session(event=conference.event.id, title="Kết nối giao thương B2B – Sảnh phụ", kind="b2b",
                   starts_at=conference.b2b.starts_at + TEN, ends_at=conference.b2b.ends_at + TEN,
                   room="Sảnh phụ", tables_count=tables, slot_minutes=20)
    await side.save()
    return conference, side


async def producer_at(event_id: int, name: str):
    producer = await make_producer(name)
    await attend(event_id, producer=producer)
    return producer


async def distributor_at(event_id: int, name: str):
    distributor = await make_distributor(name)
    await attend(event_id, distributor=distributor)
    return distributor


async def _live_client(base: str, email: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base, follow_redirects=False, timeout=60)
    page = await client.get("/login")
    response = await client.post(
        "/login", data={"_csrf_token": form_token(page.text), "email": email, "password": PASSWORD}
    )
    assert response.status_code == 302, text_of(response.text)[:300]
    return client


def _overlapping(rows: list[dict]) -> list[tuple[int, int]]:
    return [(a["id"], b["id"]) for a in rows for b in rows
            if a["id"] < b["id"] and a["starts_at"] < b["ends_at"] and b["starts_at"] < a["ends_at"]]


async def test_one_participant_placed_in_two_sessions_at_once_on_a_live_server(live_url):
    conference, side = await two_sessions(tables=2 * PAIRS)
    event_id, hall = conference.event.id, conference.b2b
    # Each placement: (request, session, start, table, the party it shares with its twin).
    placements = []
    for n in range(PAIRS):
        producer = await producer_at(event_id, f"HTX Hai phiên {n + 1}")
        first = await distributor_at(event_id, f"Nhà phân phối A{n + 1}")
        second = await distributor_at(event_id, f"Nhà phân phối B{n + 1}")
        placements += [
            (await accepted(event_id, producer, first), hall, hall.starts_at, n + 1, producer.name),
            (await accepted(event_id, producer, second), side, side.starts_at, n + 1, producer.name),
        ]
    for n in range(PAIRS):
        distributor = await distributor_at(event_id, f"Siêu thị Hai phiên {n + 1}")
        first = await producer_at(event_id, f"HTX Sảnh chính {n + 1}")
        second = await producer_at(event_id, f"HTX Sảnh phụ {n + 1}")
        table = PAIRS + n + 1
        placements += [
            (await accepted(event_id, first, distributor), hall, hall.starts_at, table, distributor.name),
            (await accepted(event_id, second, distributor), side, side.starts_at, table, distributor.name),
        ]
    staff = [await make_user("staff") for _ in range(2)]
    clients = [await _live_client(live_url, user.email) for user in staff]
    path = f"/staff/events/{event_id}/meetings"
    pages = []
    try:
        # Pair after pair, the two staff members each place one of its two meetings at the same moment.
        for twins in zip(placements[::2], placements[1::2]):
            responses = await asyncio.gather(*[
                client.post(f"{path}/place", data={
                    "_csrf_token": client.cookies.get(CSRF_COOKIE), "request_id": str(request_id),
                    "slot": slot_key(session.id, starts_at), "table": str(table)})
                for client, (request_id, session, starts_at, table, _) in zip(clients, twins)
            ])
            # The one placed goes back to the page and its message; the one refused sees the page again, told why.
            assert sorted(r.status_code for r in responses) == [302, 409], [text_of(r.text)[:300] for r in responses]
            pages += [text_of((await client.get(path)).text if r.status_code == 302 else r.text)
                      for client, r in zip(clients, responses)]
    finally:
        for client in clients:
            await client.aclose()

    meetings = await Meeting.select().order_by(Meeting.id)
    for key in ("producer", "distributor"):
        by_party: dict[int, list[dict]] = {}
        for meeting in meetings:
            by_party.setdefault(meeting[key], []).append(meeting)
        assert [rows for rows in by_party.values() if _overlapping(rows)] == [], key
    assert len(meetings) == 2 * PAIRS
    # Of each pair one staff member placed the meeting; the other was told who is busy.
    placed_requests = {m["request"] for m in meetings}
    for (request_id, session, _, _, shared), page in zip(placements, pages):
        if request_id in placed_requests:
            assert PLACED in page
        else:
            time = "09:45" if session.id == hall.id else "09:55"
            assert f"{shared} đã có cuộc gặp lúc {time}." in page, page[:400]


async def test_one_participant_placed_in_two_sessions_at_once_in_process(clean_db):
    conference, side = await two_sessions(tables=3)
    event = await get_event_by_id(conference.event.id)
    producer = await producer_at(event["id"], "HTX Cùng lúc")
    distributor = await distributor_at(event["id"], "Siêu thị Cùng lúc")
    others = [await distributor_at(event["id"], f"Nhà phân phối {n}") for n in range(2)]
    more = [await producer_at(event["id"], f"HTX Khác {n}") for n in range(2)]
    sessions = (conference.b2b, side)
    rounds = [  # the producer meets two distributors, then the distributor two producers
        ([await accepted(event["id"], producer, other) for other in others], producer.name),
        ([await accepted(event["id"], other, distributor) for other in more], distributor.name),
    ]
    for requests, shared in rounds:
        results = await asyncio.gather(
            *[placement.place(event, request_id, session.id, session.starts_at, None)
              for request_id, session in zip(requests, sessions)],
            return_exceptions=True,
        )
        assert sum(isinstance(r, int) for r in results) == 1, results
        [refusal] = [r for r in results if not isinstance(r, int)]
        assert isinstance(refusal, Conflict), refusal
        assert str(refusal) in (f"{shared} đã có cuộc gặp lúc 09:45.", f"{shared} đã có cuộc gặp lúc 09:55.")
    assert await Meeting.count() == 2


async def _refused(query) -> bool:
    try:
        await query
    except Exception as exc:  # noqa: BLE001 - the kind is asserted below
        assert is_integrity_error(exc), repr(exc)
        return True
    return False


async def test_the_database_refuses_overlapping_meetings_of_a_participant_or_a_table(clean_db):
    conference, side = await two_sessions(tables=3)
    event_id, hall = conference.event.id, conference.b2b
    producer, other_producer = await make_producer(), await make_producer()
    distributor, other_distributor = await make_distributor(), await make_distributor()
    twenty = dt.timedelta(minutes=20)

    requests: dict[tuple[int, int], int] = {}

    async def meeting(session, starts_at, table, p, d, minutes: dt.timedelta = twenty):
        if (p.id, d.id) not in requests:
            requests[p.id, d.id] = await accepted(event_id, p, d)
        return Meeting.insert(Meeting(
            request=requests[p.id, d.id], event=event_id, session=session.id, producer=p.id, distributor=d.id,
            starts_at=starts_at, ends_at=starts_at + minutes, table_number=table,
        ))

    await (await meeting(hall, hall.starts_at, 1, producer, distributor))
    # The same producer, or the same distributor, in the side room ten minutes later.
    assert await _refused(await meeting(side, side.starts_at, 1, producer, other_distributor))
    assert await _refused(await meeting(side, side.starts_at, 2, other_producer, distributor))
    # Table 1 of the hall from 09:55, as if the session's slots had been made ten minutes long.
    assert await _refused(await meeting(hall, hall.starts_at + TEN, 1, other_producer, other_distributor, TEN))
    # Right after the first meeting ends, its parties and its table are free again; table 1 of the side
    # room is another table.
    await (await meeting(hall, hall.starts_at + twenty, 1, producer, other_distributor))
    await (await meeting(side, side.starts_at, 1, other_producer, await make_distributor(), TEN))
    assert await Meeting.count() == 3


async def test_the_database_refusal_becomes_the_clash_message(clean_db, monkeypatch):
    """The constraint is the last defence: if the check missed a meeting, the insert is refused all the same."""
    conference, side = await two_sessions(tables=3)
    event = await get_event_by_id(conference.event.id)
    producer = await make_producer("HTX Trước")
    first, second = await make_distributor(), await make_distributor()
    a, b = await accepted(event["id"], producer, first), await accepted(event["id"], producer, second)
    await placement.place(event, a, conference.b2b.id, conference.b2b.starts_at, 1)

    monkeypatch.setattr(placement, "_meetings", lambda event_id, *args: asyncio.sleep(0, []))
    try:
        await placement.place(event, b, side.id, side.starts_at, 1)
    except Conflict as exc:
        assert str(exc) == "Vừa có người xếp một cuộc gặp khác vào khung giờ này; vui lòng chọn lại."
    else:  # pragma: no cover - the constraint must refuse
        raise AssertionError("the overlapping meeting was written")
    assert [m["request"] for m in await Meeting.select(Meeting.request)] == [a]
