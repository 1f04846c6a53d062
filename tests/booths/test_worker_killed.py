"""A worker process killed with SIGKILL while producers book booths leaves every booth booked
once or free.

Ten producers race for the eight booths of a first-come fair on a server of two workers;
as the first booking is answered, one worker is killed outright, with the requests it holds.
The producers whose connection died try again (the server starts a new worker). Once every
producer has a booth or none is left, the database holds no booth rented twice, no rental
without its confirmed application, no confirmed application without its one booth, and no
hold left on a rented booth.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import signal

import httpx

from events_app.booths.tables import AllocationPolicy, BoothApplication, BoothHold, BoothRental
from tests.booths.conftest import producer_with_products
from tests.factories import PASSWORD
from tests.helpers import CSRF_COOKIE, form_token

PRODUCERS = 10
FREE_BOOTH = re.compile(r'name="booth_id" value="(\d+)"')
PRODUCT = re.compile(r'name="product_ids" value="(\d+)"')


LOST: list[str] = []  # the requests whose connection died
BOOKED: list[str] = []  # producers whose booking was answered, in order
KILLED_AT: list[int] = []  # how many had been when the worker was killed


async def _retrying(client: httpx.AsyncClient, method: str, path: str, **kwargs) -> httpx.Response:
    """A request sent again when its connection died with the worker that held it."""
    for _ in range(20):
        try:
            return await client.request(method, path, **kwargs)
        except httpx.TransportError:
            LOST.append(f"{method} {path}")
            await asyncio.sleep(0.2)
    raise AssertionError(f"{method} {path}: no answer after 20 tries")


async def _book(base: str, email: str, slug: str, booked: asyncio.Event, rng: random.Random) -> list[int]:
    """Log in, then hold and book free booths until one is ours or none is free; the statuses seen."""
    statuses = []
    async with httpx.AsyncClient(base_url=base, timeout=60, follow_redirects=False) as client:
        page = await _retrying(client, "GET", "/login")
        await _retrying(client, "POST", "/login",
                        data={"_csrf_token": form_token(page.text), "email": email, "password": PASSWORD})
        for _ in range(30):
            plan = await _retrying(client, "GET", f"/events/{slug}/floor-plan")
            free = FREE_BOOTH.findall(plan.text)
            if not free:
                return statuses
            token = client.cookies.get(CSRF_COOKIE)
            held = await _retrying(client, "POST", f"/events/{slug}/hold",
                                   data={"_csrf_token": token, "booth_id": rng.choice(free)})
            statuses.append(held.status_code)
            if not held.headers.get("location", "").endswith("/apply"):
                continue
            form = await _retrying(client, "GET", f"/events/{slug}/apply")
            answer = await _retrying(client, "POST", f"/events/{slug}/apply",
                                     data={"_csrf_token": token, "product_ids": PRODUCT.findall(form.text)[:1]})
            statuses.append(answer.status_code)
            if answer.headers.get("location", "").startswith("/my/applications"):
                BOOKED.append(email)
                booked.set()
                return statuses
    return statuses


async def test_a_worker_killed_while_booking_leaves_every_booth_booked_or_free(live_url, _live_server, fair):
    event = fair["event"]
    await AllocationPolicy.insert(AllocationPolicy(event=event["id"], first_come=True, hold_minutes=15))
    users = [(await producer_with_products(f"HTX Mất điện {n}"))[2] for n in range(PRODUCERS)]
    rng = random.Random(11)
    LOST.clear(), BOOKED.clear(), KILLED_AT.clear()
    server = _live_server  # the session's server: its supervisor starts a new worker for the killed one
    first_workers = server.worker_ids()
    assert len(first_workers) == 2, first_workers
    booked = asyncio.Event()

    async def kill_one() -> int:
        await booked.wait()
        os.kill(first_workers[0], signal.SIGKILL)
        KILLED_AT.append(len(BOOKED))
        return first_workers[0]

    killed, *statuses = await asyncio.gather(
        kill_one(), *[_book(server.url, user.email, event["slug"], booked, rng) for user in users])
    # The server went on: a new worker took the killed one's place.
    for _ in range(50):
        if len(server.worker_ids()) == 2 and killed not in server.worker_ids():
            break
        await asyncio.sleep(0.1)
    assert killed not in server.worker_ids() and len(server.worker_ids()) == 2, server.worker_ids()

    # The kill fell in the middle of the race: bookings went on after it (requests cut off with
    # the worker, LOST, were sent again; which of them were in flight on it is the kernel's choice).
    assert len(BOOKED) > KILLED_AT[0] >= 1, (BOOKED, KILLED_AT, LOST)
    assert all(status < 500 for seen in statuses for status in seen), statuses
    booths = set(fair["booths"].values())
    rentals = await BoothRental.select(BoothRental.booth, BoothRental.application, BoothRental.status).where(
        BoothRental.booth.is_in(list(booths)))
    live = [row for row in rentals if row["status"] != "cancelled"]
    rented = [row["booth"] for row in live]
    assert len(rented) == len(set(rented)), live  # no booth rented twice
    assert all(row["status"] == "active" for row in live)
    confirmed = await BoothApplication.select(BoothApplication.id).where(
        (BoothApplication.event == event["id"]) & (BoothApplication.status == "confirmed")).output(as_list=True)
    assert sorted(row["application"] for row in live) == sorted(confirmed)  # each booking whole, or not at all
    held = await BoothHold.select(BoothHold.booth).where(BoothHold.booth.is_in(list(booths))).output(as_list=True)
    assert not set(held) & set(rented)
    # The race ran to its end: no booth is left free. One whose holder lost the answer with the
    # killed worker, and found no other, may still be held for its fifteen minutes.
    assert set(rented) | set(held) == booths and len(rented) >= len(booths) - 1, (rented, held)
