"""The booking lock, proven with a control: the same race run with the lock off, then on.

Twelve producers, signed in, ask at the same moment to hold the same free booth of a first-come
fair, against two live servers on the test database with two worker processes each, started
alike but for one setting: the control runs with BOOKING_LOCKS=off (the test-only switch, see
core.settings), so its hold transactions take no lock and each one's check ("is the booth
held?") runs beside the others; the other with BOOKING_LOCKS=on, the default.
The unique booth column of `booth_hold` stays in place: the control shows the race as what gets
past the check, not as a booth held twice.

With the lock off, some of the ten are not refused by the check:
- PostgreSQL: two checks see the booth free; the database's unique index refuses the later insert
  ("Another producer has just picked this booth"), or a late one deletes the first hold as if it
  had lapsed and takes the booth, so two producers are told the booth is theirs;
- SQLite: a DEFERRED transaction that read before another one committed cannot write after it
  (SQLite's own snapshot check): the request fails with a 503, nothing saved.
With the lock on: in every round exactly one producer
holds the booth and each of the nine others is told by the check who is booking it until when;
no constraint refusal, no 503, one hold row.
"""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import httpx
import pytest

from events_app.booths.tables import AllocationPolicy, BoothHold
from tests.booths.conftest import add_booths, producer_with_products
from tests.helpers import CSRF_COOKIE, text_of
from tests.live import LiveServer

from tests.booths.test_concurrency import _live_client

PRODUCERS = 12
# Rounds the control may take to show the race, each on a booth of its own: on SQLite it shows
# in the first; on PostgreSQL the window between check and insert is a few milliseconds, and a
# round where the requests happen to arrive one after another shows nothing.
CONTROL_ROUNDS = 10
LOCKED_ROUNDS = 4
# Alike but for the lock (the live servers' own defaults otherwise).
SERVER: dict[str, str] = {}
CHECKED = re.compile(r"Một chủ thể khác đang đặt gian hàng ([A-Z]-\d+) đến")
BY_CONSTRAINT = "Một chủ thể khác vừa chọn gian hàng này: hãy chọn gian hàng khác."


@dataclass
class Round:
    booth: str
    held: int = 0  # producers told the booth is held for them
    checked: int = 0  # refused by the check, naming the booth
    by_constraint: int = 0  # refused by the unique index behind the check
    unavailable: int = 0  # 503: the database refused the transaction
    other: list[str] = field(default_factory=list)
    rows: int = 0  # holds of the booth in the database afterwards

    @property
    def race_shown(self) -> bool:
        return self.held > 1 or self.by_constraint > 0 or self.unavailable > 0

    @property
    def clean(self) -> bool:
        return (self.held, self.checked, self.by_constraint, self.unavailable, self.other, self.rows) == (
            1, PRODUCERS - 1, 0, 0, [], 1)


async def _fire(base: str, clients: list[httpx.AsyncClient], path: str, fields: dict[str, str]) -> list[tuple[int, str]]:
    """POST the form from every client at one moment: each on a connection opened beforehand, the
    requests written one after another in a few microseconds (an HTTP client building them one
    by one spreads them over milliseconds, as long as the race's window). (status, Location)."""
    host, port = urlsplit(base).hostname, urlsplit(base).port
    connections = await asyncio.gather(*[asyncio.open_connection(host, port) for _ in clients])
    for client, (_, writer) in zip(clients, connections):
        body = urlencode({"_csrf_token": client.cookies.get(CSRF_COOKIE), **fields}).encode()
        cookies = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
        writer.write(
            f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nCookie: {cookies}\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
            f"Connection: close\r\n\r\n".encode() + body
        )
    answers = []
    for reader, writer in connections:
        head = (await reader.read()).split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        headers = dict(line.split(": ", 1) for line in head[1:] if ": " in line)
        answers.append((int(head[0].split()[1]), {k.lower(): v for k, v in headers.items()}.get("location", "")))
        writer.close()
    return answers


async def _race(base: str, clients: list[httpx.AsyncClient], slug: str, booth_id: int, code: str) -> Round:
    answers = await _fire(base, clients, f"/events/{slug}/hold", {"booth_id": str(booth_id)})
    result = Round(code)
    for client, (status, location) in zip(clients, answers):
        if status == 302 and location.endswith("/apply"):
            result.held += 1
        elif status == 503:
            result.unavailable += 1
        elif status == 302:  # refused: the reason is flashed on the floor plan
            told = text_of((await client.get(f"{base}{location}")).text)
            match = CHECKED.search(told)
            if match and match.group(1) == code:
                result.checked += 1
            elif BY_CONSTRAINT in told:
                result.by_constraint += 1
            else:
                result.other.append(told[:200])
        else:
            result.other.append(f"{status} {location}")
    result.rows = await BoothHold.count().where(BoothHold.booth == booth_id)
    return result


@pytest.fixture
def race_servers(database):
    """The two servers, without the lock and with it, started in threads while the test's data
    are made; stopped after the test."""
    servers = [LiveServer(environment={**SERVER, "BOOKING_LOCKS": locks}) for locks in ("off", "on")]
    with ThreadPoolExecutor(2) as starting:
        futures = [starting.submit(server.start) for server in servers]
        try:
            yield futures
        finally:
            for future, server in zip(futures, servers):
                future.exception()  # wait for the start to end, whatever it came to
                server.stop()


async def test_a_booth_hold_race_shows_with_the_lock_off_and_never_with_it_on(race_servers: list[Future], fair):
    event, booths = fair["event"], dict(fair["booths"])
    booths.update(await add_booths(event, fair["hall"], 2, 4, "B"))
    await AllocationPolicy.insert(AllocationPolicy(event=event["id"], first_come=True, hold_minutes=15))
    users = [(await producer_with_products(f"HTX Giành gian {n + 1}"))[2] for n in range(PRODUCERS)]
    unlocked, locked = [await asyncio.wrap_future(future) for future in race_servers]
    # Signed in once: sessions live in the database, so the same cookies serve both servers.
    clients = list(await asyncio.gather(*[_live_client(locked, user.email) for user in users]))
    codes = sorted(booths)
    try:
        # Each producer looks at the plan first, as on the site: both servers' workers are warm.
        await asyncio.gather(*[client.get(f"{base}/events/{event['slug']}/floor-plan")
                               for base in (unlocked, locked) for client in clients])
        control_rounds = []
        for code in codes[:CONTROL_ROUNDS]:
            control_rounds.append(await _race(unlocked, clients, event["slug"], booths[code], code))
            if control_rounds[-1].race_shown:
                break
        locked_rounds = [await _race(locked, clients, event["slug"], booths[code], code)
                         for code in codes[CONTROL_ROUNDS:CONTROL_ROUNDS + LOCKED_ROUNDS]]
    finally:
        for client in clients:
            await client.aclose()

    # The control: without the lock, requests got past the check (the unique index or SQLite
    # refused them, or a hold was taken over); the index still kept one hold of the booth.
    assert control_rounds[-1].race_shown, control_rounds
    assert all(not r.other and r.rows == 1 for r in control_rounds), control_rounds
    # The lock: in every round one producer holds the booth, the check refuses all the others.
    assert all(r.clean for r in locked_rounds), locked_rounds
