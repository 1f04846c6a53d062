"""Log-in throttling holds on a real server with two worker processes.

A hundred wrong passwords fired at one account at once, then the right one while they are
still in flight: no more guesses reach the password check than the rules allow, the right
password is refused while the account waits, and X-Forwarded-For sent by the client (not by a
configured proxy) changes nothing.
"""

from __future__ import annotations

import asyncio
import re

import httpx

from events_app.accounts.tables import LoginAttempt
from events_app.core.audit import AuditLog
from tests.factories import PASSWORD, make_user
from tests.helpers import form_token, text_of
from tests.live import live_server

GUESSES = 100
FREE_FAILURES = 5  # throttling.ACCOUNT_FROM_NETWORK.free: one account from one address


def _client(base: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=base, follow_redirects=False, timeout=60,
                             limits=httpx.Limits(max_connections=GUESSES, max_keepalive_connections=GUESSES))


async def _post_login(client: httpx.AsyncClient, token: str, email: str, password: str, forwarded_for: str) -> httpx.Response:
    return await client.post("/login", data={"_csrf_token": token, "email": email, "password": password},
                             headers={"X-Forwarded-For": forwarded_for})


async def test_parallel_guesses_on_a_live_server(live_url):
    user = await make_user("staff", "owner@example.vn")
    async with _client(live_url) as guesser, _client(live_url) as owner:
        guesser_token = form_token((await guesser.get("/login")).text)
        owner_token = form_token((await owner.get("/login")).text)
        throttled = asyncio.Event()

        async def guess(n: int) -> httpx.Response:
            # Each guess poses as another address: were the header believed, each would get its own count.
            response = await _post_login(guesser, guesser_token, user.email, f"guess {n}", f"198.51.100.{n % 250}")
            if response.status_code == 429:
                throttled.set()
            return response

        async def right_password() -> httpx.Response:
            await throttled.wait()
            return await _post_login(owner, owner_token, user.email, PASSWORD, "192.0.2.1")

        *guesses, right = await asyncio.gather(*[guess(n) for n in range(GUESSES)], right_password())

    statuses = sorted(r.status_code for r in guesses)
    assert statuses == [400] * FREE_FAILURES + [429] * (GUESSES - FREE_FAILURES), statuses
    assert right.status_code == 429 and "location" not in right.headers
    # The wait shown counts the guesses still being checked when the right password came, as the
    # rules do, so it is at least the one minute five failures earn and grows with those in flight.
    shown = re.search(r"Đăng nhập sai quá nhiều lần\. Để bảo vệ tài khoản, vui lòng thử lại sau (\d+) phút", text_of(right.text))
    assert shown and 1 <= int(shown[1]) <= 15, text_of(right.text)
    assert int(right.headers["retry-after"]) <= int(shown[1]) * 60
    # Only the guesses that were let through were checked, each recorded, under the server's view of the client.
    attempts = await LoginAttempt.select(LoginAttempt.email, LoginAttempt.ip, LoginAttempt.succeeded)
    assert attempts == [{"email": user.email, "ip": "127.0.0.1", "succeeded": False}] * FREE_FAILURES
    assert await AuditLog.count().where(AuditLog.action == "login.failed") == FREE_FAILURES
    assert await AuditLog.count().where(AuditLog.action == "login") == 0


async def test_forwarded_for_is_believed_from_a_configured_proxy(clean_db, monkeypatch):
    """The same server behind a proxy named in FORWARDED_ALLOW_IPS: the client's address is the forwarded one."""
    user = await make_user("staff", "owner@example.vn")
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "127.0.0.1")
    with live_server() as base:
        async with _client(base) as client:
            token = form_token((await client.get("/login")).text)
            responses = [await _post_login(client, token, user.email, "wrong", f"198.51.100.1, 203.0.113.{n}")
                         for n in range(FREE_FAILURES + 1)]
    # Each address has its own count: the sixth wrong password is checked too.
    assert [r.status_code for r in responses] == [400] * (FREE_FAILURES + 1)
    ips = [row["ip"] for row in await LoginAttempt.select(LoginAttempt.ip).order_by(LoginAttempt.id)]
    assert ips == [f"203.0.113.{n}" for n in range(FREE_FAILURES + 1)]
