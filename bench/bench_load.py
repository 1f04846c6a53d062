"""A mixed load for 60 s against 1, 2 and 4 worker processes on PostgreSQL, and a worker killed
with SIGKILL while producers book booths.

Each run starts from a fresh copy of the kept large set (`bench.common.large_postgres`, copied
with CREATE DATABASE … TEMPLATE) with bench.load_data's first-come fair and conference added,
logs every user in over HTTP, and drives wrk with bench/wrk_mixed.lua: catalogue pages and
searches, event lists, feeds, the kept catalogue PDF, producers holding and booking booths,
distributors asking for meetings, producers reading their applications. Printed per run:
requests per second, p50/p95/p99, server errors (5xx), refusals (4xx: a booth already taken, a
meeting already asked for) and socket errors; the cores busy during the run, by the app's
processes, PostgreSQL and wrk (read from /proc); then the scale of 2 and 4 workers against 1,
and the ceiling the machine sets on it: its cores over those already busy with one worker, since
the app, its database and the load generator share them.

The baseline, measured in the same run at the same worker counts, is the no-database Litestar
app of bench_http serving a Jinja page of the catalogue's size: what the machine (whose cores
wrk shares) gives any server at that many workers.

After every run, and after the fault run, the booths are checked: each one booked once (an
active rental of a confirmed application, no hold left on it) or free, and every confirmed
application of the fair holds exactly one booth.

    python -m bench load                       # 1, 2 and 4 workers, 60 s each, then the fault run
    python -m bench load --workers 2 --duration 20 --connections 32
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from bench.bench_http import _commit, _free_port, _server
from bench.common import POSTGRES_URL, ROOT, _postgres, kept_set_lock, large_postgres, postgres_reachable
from bench.race_data import PASSWORD
from tests.live import children, worker_pids

LUA = Path(__file__).with_name("wrk_mixed.lua")
REPORT_LUA = Path(__file__).with_name("wrk_report.lua")
COPY = "ocop_load"
CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')
# What one request in a hundred is, by kind (wrk_mixed.lua's makers): mostly reading, as on a
# fair's opening day, with one request in seven a write (a hold, a booking, a meeting request).
MIX = {"read": 35, "search": 22, "feed": 8, "pdf": 4, "mine": 16, "apply": 8, "meet": 7}
SEARCH_TERMS = ("tra", "mat ong", "nuoc mam", "gao", "ca phe", "duong", "mien", "tinh dau", "ruou", "nem")


def _copy_of_large_set() -> str:
    """A fresh copy of the kept large set; its URL."""
    url, _ = large_postgres()
    name = url.rsplit("/", 1)[1]
    _postgres(POSTGRES_URL, f'DROP DATABASE IF EXISTS "{COPY}" WITH (FORCE)',
              f'CREATE DATABASE "{COPY}" TEMPLATE "{name}"')
    return url.rsplit("/", 1)[0] + f"/{COPY}"


def _query(url: str, sql: str) -> list[dict]:
    import asyncpg

    async def fetch() -> list[dict]:
        connection = await asyncpg.connect(url)
        try:
            return [dict(row) for row in await connection.fetch(sql)]
        finally:
            await connection.close()

    return asyncio.run(fetch())


def _environment(url: str, data_dir: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url, "DATA_DIR": str(data_dir), "SECRET_KEY": "bench"}


@contextmanager
def _app(url: str, data_dir: Path, workers: int, log: Path) -> Iterator[tuple[str, int]]:
    """The app on `workers` processes; its base URL and the supervising process's id."""
    port = _free_port()
    command = [sys.executable, "-m", "events_app", "serve", "--no-migrate", "--workers", str(workers),
               "--host", "127.0.0.1", "--port", str(port)]
    with _server(command, _environment(url, data_dir), port, "/healthz", log) as base:
        [pid] = [child for child in children(os.getpid())
                 if str(port).encode() in Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")]
        yield base, pid


async def _log_in(base: str, email: str) -> tuple[str, str]:
    """A user's session cookie header and CSRF token, after logging in over HTTP."""
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=120, follow_redirects=False) as client:
        token = CSRF.search((await client.get("/login")).text).group(1)
        answer = await client.post("/login", data={"_csrf_token": token, "email": email, "password": PASSWORD})
        if answer.status_code != 303 and answer.status_code != 302:
            raise SystemExit(f"log-in of {email} answered {answer.status_code}")
        cookies = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
        return cookies, client.cookies["ocop_csrf"]


async def _log_everyone_in(base: str, emails: list[str]) -> list[tuple[str, str]]:
    gate = asyncio.Semaphore(8)

    async def one(email: str) -> tuple[str, str]:
        async with gate:
            return await _log_in(base, email)

    return await asyncio.gather(*[one(email) for email in emails])


def _lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string of ASCII is a Lua string


def _write_plan(path: Path, base: str, data: dict, producers: list, distributors: list) -> None:
    import httpx

    from events_app.demo.large_fair import FAIR

    events = httpx.get(base + "/events", timeout=60).text
    event_pages = sorted(set(re.findall(r'href="(/events/[a-z0-9-]+)"', events)))[:40]
    products = httpx.get(base + "/products", timeout=60).text
    product_pages = sorted(set(re.findall(r'href="(/products/[a-z0-9-]+)"', products)))[:40]
    reads = ([f"/products?page={n}" for n in range(1, 401, 7)] + [f"/events?page={n}" for n in range(1, 51, 3)]
             + event_pages + product_pages + ["/calendar", f"/events/{data['slug']}/floor-plan"])
    searches = [f"/products?q={term.replace(' ', '+')}" for term in SEARCH_TERMS] + [
        f"/products?q={term.replace(' ', '+')}&stars=4" for term in SEARCH_TERMS[:5]]
    feeds = ["/calendar.ics", f"/events/{FAIR}/calendar.ics"]
    pdf = f"/events/{FAIR}/catalogue.pdf"
    deadline = time.monotonic() + 600
    while httpx.get(base + pdf, headers={"Accept-Language": "vi"}, timeout=600).status_code == 202:
        if time.monotonic() > deadline:
            raise SystemExit("the catalogue PDF was not made in 10 minutes")
        time.sleep(0.5)

    def table(items: list[str]) -> str:
        return "{" + ", ".join(items) + "}"

    lines = [
        "return {",
        f"  mix = {table('{' + _lua_string(kind) + ', ' + str(weight) + '}' for kind, weight in MIX.items())},",
        f"  reads = {table(_lua_string(p) for p in reads)},",
        f"  searches = {table(_lua_string(p) for p in searches)},",
        f"  feeds = {table(_lua_string(p) for p in feeds)},",
        f"  pdf = {_lua_string(pdf)},",
        f"  fair = {_lua_string(data['slug'])}, conference = {_lua_string(data['conference'])},",
        f"  booths = {table(str(b) for b in data['booth_ids'])},",
        f"  producer_ids = {table(str(p) for p in data['producer_ids'])},",
        "  producers = " + table(
            f"{{cookie = {_lua_string(cookie)}, token = {_lua_string(token)}, product = {product}}}"
            for (cookie, token), product in zip(producers, data["producer_products"])) + ",",
        "  distributors = " + table(
            f"{{cookie = {_lua_string(cookie)}, token = {_lua_string(token)}}}" for cookie, token in distributors) + ",",
        "}",
    ]
    path.write_text("\n".join(lines) + "\n")


def _wrk(url: str, script: Path, args: list[str], connections: int, seconds: int) -> dict[str, int]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s", "--latency", "-s", str(script),
               url, "--", *args]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    return {key: int(value) for key, value in (item.split("=") for item in line.split()[1:])}


def _booths_check(url: str, event_id: int) -> dict[str, int]:
    """Booths of the fair in a state that is neither booked nor free (all must be 0), and the booked count."""
    checks = {
        "booked": f"""SELECT count(*) AS n FROM booth_rental r JOIN booth b ON b.id = r.booth
                      WHERE b.event = {event_id} AND r.status = 'active'""",
        "rented twice": f"""SELECT count(*) AS n FROM (SELECT r.booth FROM booth_rental r JOIN booth b ON b.id = r.booth
                            WHERE b.event = {event_id} AND r.status <> 'cancelled' GROUP BY r.booth
                            HAVING count(*) > 1) AS doubled""",
        "rented, application not confirmed": f"""SELECT count(*) AS n FROM booth_rental r
                      JOIN booth_application a ON a.id = r.application
                      WHERE a.event = {event_id} AND r.status = 'active' AND a.status <> 'confirmed'""",
        "confirmed without one booth": f"""SELECT count(*) AS n FROM booth_application a WHERE a.event = {event_id}
                      AND a.status = 'confirmed' AND (SELECT count(*) FROM booth_rental r WHERE r.application = a.id
                      AND r.status = 'active') <> 1""",
        "held and rented": f"""SELECT count(*) AS n FROM booth_hold h JOIN booth_rental r ON r.booth = h.booth
                      AND r.status = 'active' WHERE h.event = {event_id}""",
    }
    return {name: _query(url, sql)[0]["n"] for name, sql in checks.items()}


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def _row(label: str, run: dict[str, int]) -> str:
    return (f"  {label:<30} {_rate(run):>8.1f} {run['p50'] / 1000:>8.1f} {run['p95'] / 1000:>8.1f} {run['p99'] / 1000:>8.1f} "
            f"{run['server_errors']:>7} {run.get('refused', 0):>8} {run['socket_errors']:>7}")


HEADER = (f"  {'case':<30} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'5xx':>7} {'4xx':>8} "
          f"{'socket':>7}")


def _cpu_times() -> tuple[dict[int, tuple[str, int]], int]:
    """Each process's name and CPU time (clock ticks), and the ticks the whole machine has run."""
    processes = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        processes[int(entry.name)] = (stat[stat.index("(") + 1:stat.rindex(")")], int(fields[11]) + int(fields[12]))
    totals = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return processes, sum(totals) - totals[3] - totals[4]  # busy: all but idle and iowait


@contextmanager
def _cpu_use(app_pid: int, into: dict) -> Iterator[None]:
    """Cores used while the block runs, by the app's processes, PostgreSQL, wrk and in all."""
    before, busy_before = _cpu_times()
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk has ended, and been reaped, by the end
    started = time.monotonic()
    yield
    after, busy_after = _cpu_times()
    ended = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = (time.monotonic() - started) * os.sysconf("SC_CLK_TCK")  # in clock ticks
    app = {app_pid, *worker_pids(app_pid)}
    hertz = os.sysconf("SC_CLK_TCK")
    used = {"app": 0, "postgres": 0,
            "wrk": round((ended.ru_utime + ended.ru_stime - reaped.ru_utime - reaped.ru_stime) * hertz)}
    for pid, (name, ticks) in after.items():
        spent = ticks - before.get(pid, (name, 0))[1]
        kind = "app" if pid in app else name if name in used else None
        if kind and spent > 0:
            used[kind] += spent
    into.update({kind: ticks / seconds for kind, ticks in used.items()}, busy=(busy_after - busy_before) / seconds)


def _cpu_line(cpu: dict) -> str:
    return (f"    cores busy {cpu['busy']:.2f} of {os.cpu_count()}: events-app {cpu['app']:.2f}, "
            f"PostgreSQL {cpu['postgres']:.2f}, wrk {cpu['wrk']:.2f}")


def _prepare(folder: Path) -> tuple[str, dict]:
    url = _copy_of_large_set()
    env = {**_environment(url, folder), "RACE_BOOTHS": "400", "RACE_PRODUCERS": "300"}
    out = subprocess.run([sys.executable, "-m", "bench.load_data"], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True)
    return url, json.loads(out.stdout.strip().splitlines()[-1])


def _mixed_run(workers: int, connections: int, seconds: int, folder: Path,
               kill_after: float | None = None) -> tuple[dict[str, int], dict[str, int], dict]:
    import httpx

    url, data = _prepare(folder)
    with _app(url, folder, workers, folder / f"serve-{workers}.log") as (base, pid):
        producers = asyncio.run(_log_everyone_in(base, [f"race{n}@ocop.example" for n in range(data["producers"])]))
        distributors = asyncio.run(_log_everyone_in(base, [f"load-buyer{n}@ocop.example"
                                                           for n in range(data["distributors"])]))
        plan = folder / "plan.lua"
        _write_plan(plan, base, data, producers, distributors)
        # What the run learns: the catalogue page's size (for the baseline), the worker killed, the workers after.
        seen: dict = {"page_bytes": len(httpx.get(base + "/products", headers={"Accept-Language": "vi"}, timeout=60).content)}
        if kill_after is not None:
            def kill() -> None:
                time.sleep(kill_after)
                victims = worker_pids(pid)
                if victims:
                    os.kill(victims[0], signal.SIGKILL)
                    seen["pid"] = victims[0]
            threading.Thread(target=kill, daemon=True).start()
        with _cpu_use(pid, seen.setdefault("cpu", {})):
            run = _wrk(base, LUA, [str(plan)], connections, seconds)
        if kill_after is not None:
            seen["workers after"] = len(worker_pids(pid))
    return run, _booths_check(url, data["event_id"]), {**data, **seen}


def _baseline_run(workers: int, connections: int, seconds: int, folder: Path, size: int) -> dict[str, int]:
    port = _free_port()
    command = [sys.executable, "-m", "uvicorn", "bench.baseline_app:create_app", "--factory", "--workers", str(workers),
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "info"]
    with _server(command, {**os.environ, "BENCH_FEEDS": str(folder)}, port, "/page?bytes=10",
                 folder / f"baseline-{workers}.log") as base:
        run = _wrk(f"{base}/page?bytes={size}", REPORT_LUA, [], connections, seconds)
    return {**run, "server_errors": run["non2xx3xx"], "refused": 0}


def _print_booths(check: dict[str, int]) -> None:
    wrong = {name: n for name, n in check.items() if name != "booked" and n}
    verdict = "every booth booked once or free" if not wrong else "BROKEN: " + ", ".join(f"{k} {v}" for k, v in wrong.items())
    print(f"    booths: {check['booked']} booked; {verdict}", flush=True)


async def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, action="append", help="worker counts (default 1, 2 and 4)")
    parser.add_argument("--duration", type=int, default=60, help="seconds of load per run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--no-fault", action="store_true", help="leave out the run with a worker killed")
    options = parser.parse_args(argv or [])
    if shutil.which("wrk") is None:
        print("bench_load: wrk is not installed (Debian: apt-get install wrk); skipped.")
        return
    if not postgres_reachable():
        print(f"bench_load: no PostgreSQL at {POSTGRES_URL} (set BENCH_POSTGRES_URL); skipped.")
        return
    # The runs log in and check with asyncio.run of their own, off the benchmark runner's loop.
    await asyncio.to_thread(_runs, options)


def _runs(options: argparse.Namespace) -> None:
    counts = options.workers or [1, 2, 4]
    with kept_set_lock("postgres"), tempfile.TemporaryDirectory(prefix="ocop-bench-load-") as scratch:
        folder = Path(scratch)
        print(f"\nMixed load on PostgreSQL, the large set, commit {_commit()}: wrk -t2 -c{options.connections} "
              f"-d{options.duration}s, mix {', '.join(f'{k} {v}%' for k, v in MIX.items())}")
        print(HEADER, flush=True)
        results: dict[int, dict[str, int]] = {}
        baselines: dict[int, dict[str, int]] = {}
        cpu: dict[int, dict] = {}
        for workers in counts:
            run, check, data = _mixed_run(workers, options.connections, options.duration, folder)
            results[workers] = run
            print(_row(f"events-app, {workers} worker{'s' * (workers > 1)}", run), flush=True)
            print(_cpu_line(data["cpu"]), flush=True)
            cpu[workers] = data["cpu"]
            _print_booths(check)
            baselines[workers] = _baseline_run(workers, options.connections, options.duration, folder,
                                               data["page_bytes"])
            print(_row(f"baseline page, {workers} worker{'s' * (workers > 1)}", baselines[workers]), flush=True)
        if 1 in results:
            one, base_one = _rate(results[1]), _rate(baselines[1])
            for workers in counts:
                if workers != 1:
                    print(f"  scale {workers} workers ÷ 1: events-app {_rate(results[workers]) / one:.2f}×, "
                          f"baseline {_rate(baselines[workers]) / base_one:.2f}×")
            # With one worker the app, PostgreSQL and wrk already keep this many cores busy: more
            # workers can at best fill the rest, whatever the app does.
            ceiling = (os.cpu_count() or 1) / max(cpu[1]["busy"], 1e-9)
            print(f"  ceiling on this machine: {os.cpu_count()} cores ÷ {cpu[1]['busy']:.2f} busy at 1 worker "
                  f"= {ceiling:.2f}× at most")
        if not options.no_fault:
            seconds = min(options.duration, 30)
            run, check, data = _mixed_run(2, options.connections, seconds, folder, kill_after=seconds / 3)
            print(f"\nFault: 2 workers, worker {data.get('pid', '?')} killed with SIGKILL after {seconds / 3:.0f} s "
                  f"of {seconds} s; workers running at the end: {data.get('workers after', '?')}")
            print(HEADER)
            print(_row("events-app, 2 workers, 1 killed", run))
            _print_booths(check)
        _postgres(POSTGRES_URL, f'DROP DATABASE IF EXISTS "{COPY}" WITH (FORCE)')


def _rate(run: dict[str, int]) -> float:
    return run["requests"] / (run["duration_us"] / 1e6)
