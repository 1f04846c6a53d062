"""Two hundred producers race for fifty booths of a first-come fair, over HTTP, against a server
with two worker processes, on each engine.

Each producer logs in, reads the floor plan, holds a free booth and books it with its product,
and tries another booth when it loses one, until it has a booth or none is free. Printed: booths
confirmed (must be exactly the booths there are), booths held or rented twice (must be 0),
server errors (must be 0), requests per second, and p50/p95 of the requests. The baseline in the
same run is the server's /healthz under the same concurrency, which shows what the machine
gives any request. The clients are httpx: a race needs sessions, CSRF tokens and decisions on
what each answer says, which wrk's scripts do not give.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_http import _free_port, _server
from bench.common import POSTGRES_URL, _postgres, postgres_reachable
from bench.race_data import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
FREE_BOOTH = re.compile(r'name="booth_id" value="(\d+)"')
PRODUCT = re.compile(r'name="product_ids" value="(\d+)"')
CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')
ATTEMPTS = 12


class Tally:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.server_errors = 0
        self.booked = 0
        # The log-ins, all two hundred at the same moment: the heaviest writes an embedded
        # database sees at once (attempt, account, audit entry, session).
        self.login_latencies: list[float] = []
        self.login_errors = 0
        self.logins_done = 0.0  # seconds from the start until the last log-in was answered
        self.started = 0.0

    async def request(self, client, method: str, path: str, *, login: bool = False, **kwargs):
        start = time.perf_counter()
        response = await client.request(method, path, **kwargs)
        elapsed = time.perf_counter() - start
        self.latencies.append(elapsed)
        if login:
            self.login_latencies.append(elapsed)
        if response.status_code >= 500:
            self.server_errors += 1
            self.login_errors += login
        return response


async def producer(base: str, n: int, slug: str, tally: Tally, rng: random.Random) -> None:
    import httpx

    # Each producer from its own address (the server trusts the proxy's header), as at a real fair.
    headers = {"X-Forwarded-For": f"10.{n // 250}.{n % 250}.7"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120, follow_redirects=False) as client:
        page = await tally.request(client, "GET", "/login", login=True)
        token = CSRF.search(page.text).group(1)
        await tally.request(client, "POST", "/login", login=True,
                            data={"_csrf_token": token, "email": f"race{n}@ocop.example", "password": PASSWORD})
        tally.logins_done = max(tally.logins_done, time.perf_counter() - tally.started)
        for _ in range(ATTEMPTS):
            plan = await tally.request(client, "GET", f"/events/{slug}/floor-plan")
            free = FREE_BOOTH.findall(plan.text)
            if not free:
                return
            token = client.cookies.get("ocop_csrf")
            held = await tally.request(client, "POST", f"/events/{slug}/hold",
                                       data={"_csrf_token": token, "booth_id": rng.choice(free)})
            if not held.headers.get("location", "").endswith("/apply"):
                continue
            form = await tally.request(client, "GET", f"/events/{slug}/apply")
            products = PRODUCT.findall(form.text)
            booked = await tally.request(client, "POST", f"/events/{slug}/apply",
                                         data={"_csrf_token": token, "product_ids": products[:1]})
            if booked.status_code == 302 and booked.headers.get("location", "").startswith("/my/applications"):
                tally.booked += 1
                return


def _prepare(engine: str, folder: Path) -> tuple[str, dict]:
    if engine == "sqlite":
        url = f"sqlite:///{folder / 'race.sqlite3'}"
    else:
        name = "ocop_race"
        _postgres(POSTGRES_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
        url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    env = {**os.environ, "DATABASE_URL": url, "DATA_DIR": str(folder), "SECRET_KEY": "bench"}
    out = subprocess.run([sys.executable, "-m", "bench.race_data"], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True)
    return url, json.loads(out.stdout.strip().splitlines()[-1])


def _count(url: str, folder: Path, sql: str) -> int:
    env = {**os.environ, "DATABASE_URL": url, "DATA_DIR": str(folder), "SECRET_KEY": "bench"}
    code = (
        "import asyncio\n"
        "from piccolo.querystring import QueryString\n"
        "from events_app.core import db\n"
        "async def count():\n"
        "    await db.connect(1)\n"
        "    try:\n"
        f"        rows = await db.engine().run_querystring(QueryString({sql!r}))\n"
        "    finally:\n"
        "        await db.disconnect()\n"
        "    print(list(rows[0].values())[0])\n"
        "asyncio.run(count())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return int(out.stdout.strip().splitlines()[-1])


async def _healthz(base: str, clients: int, requests: int) -> tuple[float, list[float]]:
    import httpx

    latencies: list[float] = []
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        async def one() -> None:
            for _ in range(requests // clients):
                start = time.perf_counter()
                await client.get("/healthz")
                latencies.append(time.perf_counter() - start)
        start = time.perf_counter()
        await asyncio.gather(*[one() for _ in range(clients)])
        return len(latencies) / (time.perf_counter() - start), latencies


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


async def race(engine: str, producers: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix=f"ocop-race-{engine}-"))
    url, data = _prepare(engine, folder)
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "DATA_DIR": str(folder), "SECRET_KEY": "bench",
           "FORWARDED_ALLOW_IPS": "127.0.0.1", "DATABASE_POOL_SIZE": "8"}
    command = [sys.executable, "-m", "events_app", "serve", "--no-migrate", "--workers", "2", "--host", "127.0.0.1",
               "--port", str(port)]
    with _server(command, env, port, "/healthz", folder / "serve.log") as base:
        tally = Tally()
        rng = random.Random(2026)
        start = tally.started = time.perf_counter()
        await asyncio.gather(*[producer(base, n, data["slug"], tally, rng) for n in range(producers)])
        elapsed = time.perf_counter() - start
        baseline_rate, baseline = await _healthz(base, 50, 2000)
    confirmed = _count(url, folder, "SELECT count(*) FROM booth_application WHERE status = 'confirmed'")
    twice = _count(url, folder, "SELECT count(*) FROM (SELECT booth FROM booth_rental WHERE status <> 'cancelled' "
                                "GROUP BY booth HAVING count(*) > 1) AS doubled")
    rate = len(tally.latencies) / elapsed
    print(f"\nBooth race on {engine} ({producers} producers, {data['booths']} booths, 2 workers)")
    print(f"  booths confirmed:          {confirmed} of {data['booths']} (clients saw {tally.booked})")
    print(f"  booths rented twice:       {twice}")
    print(f"  server errors:             {tally.server_errors}")
    print(f"  log-ins at once:           {producers} answered in {tally.logins_done:.1f} s, server errors "
          f"{tally.login_errors}, p50 {_percentile(tally.login_latencies, .5):.0f} ms, "
          f"p95 {_percentile(tally.login_latencies, .95):.0f} ms")
    print(f"  requests:                  {len(tally.latencies)} in {elapsed:.1f} s = {rate:.1f} req/s, "
          f"p50 {_percentile(tally.latencies, .5):.0f} ms, p95 {_percentile(tally.latencies, .95):.0f} ms")
    print(f"  baseline /healthz, 50 at once: {baseline_rate:.1f} req/s, p50 {_percentile(baseline, .5):.0f} ms, "
          f"p95 {_percentile(baseline, .95):.0f} ms; race req/s ÷ baseline {rate / baseline_rate:.3f}")
    if engine == "postgres":
        _postgres(POSTGRES_URL, 'DROP DATABASE IF EXISTS "ocop_race" WITH (FORCE)')


async def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench booth_race")
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--producers", type=int, default=int(os.environ.get("RACE_PRODUCERS", "200")))
    options = parser.parse_args(argv or [])
    os.environ["RACE_PRODUCERS"] = str(options.producers)
    engines = ["sqlite", "postgres"] if options.engine == "both" else [options.engine]
    for engine in engines:
        if engine == "postgres" and not postgres_reachable():
            print("\nBooth race on postgres: PostgreSQL is not reachable, skipped")
            continue
        await race(engine, options.producers)
