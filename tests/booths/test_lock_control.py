"""The booking lock, proven with a control: the same race run with the lock off, then on.

Ten producers, signed in, ask at the same moment to hold the same free booth of a first-come
fair, against live servers with two worker processes each on the test database. The control
server runs with BOOKING_LOCKS=off (the test-only switch, see core.settings): its hold
transactions take no lock, so each one's check ("is the booth held?") runs beside the others.
The unique booth column of `booth_hold` stays in place: the control shows the race as what gets
past the check, not as a booth held twice.

With the lock off, some of the ten are not refused by the check:
- PostgreSQL: two checks see the booth free; the database's unique index refuses the later insert
  ("Another producer has just picked this booth"), or a late one deletes the first hold as if it
  had lapsed and takes the booth, so two producers are told the booth is theirs;
- SQLite: a DEFERRED transaction that read before another one committed cannot write after it
  (SQLite's own snapshot check): the request fails with a 503, nothing saved.
With the lock on (the session's server, default settings): in every round exactly one producer
holds the booth and each of the nine others is told by the check who is booking it until when;
no constraint refusal, no 503, one hold row.
"""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx
import pytest

from events_app.booths.tables import AllocationPolicy, BoothHold
from tests.booths.conftest import producer_with_products
from tests.helpers import CSRF_COOKIE, text_of
from tests.live import LiveServer

from tests.booths.test_concurrency import _live_client

PRODUCERS = 10
# Rounds the control may take to show the race (each on a booth of its own); it shows in the
# first on both engines in practice, the others are there against an idle moment of the machine.
CONTROL_ROUNDS = 4
LOCKED_ROUNDS = 3
CHECKED = re.compile(r"Một chủ thể khác đang đặt gian hàng (A-\d+) đến")
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


async def _race(base: str, clients: list[httpx.AsyncClient], slug: str, booth_id: int, code: str) -> Round:
    async def hold(client: httpx.AsyncClient) -> httpx.Response:
        return await client.post(f"{base}/events/{slug}/hold",
                                 data={"_csrf_token": client.cookies.get(CSRF_COOKIE), "booth_id": str(booth_id)})

    responses = await asyncio.gather(*[hold(client) for client in clients])
    result = Round(code)
    for client, response in zip(clients, responses):
        location = response.headers.get("location", "")
        if response.status_code == 302 and location.endswith("/apply"):
            result.held += 1
        elif response.status_code == 503:
            result.unavailable += 1
        elif response.status_code == 302:  # refused: the reason is flashed on the floor plan
            told = text_of((await client.get(f"{base}{location}")).text)
            match = CHECKED.search(told)
            if match and match.group(1) == code:
                result.checked += 1
            elif BY_CONSTRAINT in told:
                result.by_constraint += 1
            else:
                result.other.append(told[:200])
        else:
            result.other.append(f"{response.status_code}: {text_of(response.text)[:200]}")
    result.rows = await BoothHold.count().where(BoothHold.booth == booth_id)
    return result


@pytest.fixture
def unlocked_server(database):
    """The control's server, with BOOKING_LOCKS=off: started in a thread while the session's
    server and the test's data are made, stopped after the test."""
    server = LiveServer(environment={"BOOKING_LOCKS": "off"})
    with ThreadPoolExecutor(1) as starting:
        future = starting.submit(server.start)
        try:
            yield future
        finally:
            future.exception()  # wait for the start to end, whatever it came to
            server.stop()


async def test_a_booth_hold_race_shows_with_the_lock_off_and_never_with_it_on(
    unlocked_server: Future, live_url, fair
):
    event, booths = fair["event"], fair["booths"]
    await AllocationPolicy.insert(AllocationPolicy(event=event["id"], first_come=True, hold_minutes=15))
    users = [(await producer_with_products(f"HTX Giành gian {n + 1}"))[2] for n in range(PRODUCERS)]
    # Signed in once: sessions live in the database, so the same cookies serve both servers.
    clients = list(await asyncio.gather(*[_live_client(live_url, user.email) for user in users]))
    codes = sorted(booths)
    try:
        unlocked = await asyncio.wrap_future(unlocked_server)
        # Each producer looks at the plan first, as on the site: both servers' workers are warm.
        await asyncio.gather(*[client.get(f"{base}/events/{event['slug']}/floor-plan")
                               for base in (unlocked, live_url) for client in clients])
        control_rounds = []
        for code in codes[:CONTROL_ROUNDS]:
            control_rounds.append(await _race(unlocked, clients, event["slug"], booths[code], code))
            if control_rounds[-1].race_shown:
                break
        locked_rounds = [await _race(live_url, clients, event["slug"], booths[code], code)
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
