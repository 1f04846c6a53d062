"""Pages, feeds and the fair's catalogue over real HTTP, on the national-scale data set, with wrk.

The application runs as `events-app serve` on one uvicorn worker, on each engine: a kept SQLite
file and a kept PostgreSQL database (`bench.common.large_sqlite` / `large_postgres`, built again
only when the demo's code or the date changed). Beside it, on the same server software and one
worker, a tiny Litestar app with no database (`bench/baseline_app.py`) serves the baselines,
measured right after each case:

- pages: a Jinja page of the same byte size as the page measured, rendered per request;
- .ics feeds: a bare `icalendar` build, per request, of the same events (read from the app's feed);
- the catalogue PDF: the same number of bytes from memory, and 304 when the client has them.

wrk runs on 127.0.0.1 for a bounded time per URL; its Lua `done` hook prints p50/p95 (wrk_report.lua).

    python -m bench http                                   # both engines, every case
    python -m bench http --engine sqlite --only products   # the cases whose name starts so
    python -m bench http --duration 5 --connections 8 --rebuild
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from bench.common import POSTGRES_URL, ROOT, kept_set_lock, large_postgres, large_sqlite, postgres_reachable

LUA = Path(__file__).with_name("wrk_report.lua")
ENGINES = ("sqlite", "postgres")


@dataclass(frozen=True)
class Case:
    name: str
    path: str
    kind: str = "page"  # page, feed or file: what its baseline serves
    conditional: bool = False  # sent with If-None-Match: the ETag of the plain answer


def cases() -> list[Case]:
    from events_app.demo.large_fair import FAIR

    return [
        Case("products", "/products"),
        Case("products-page-400", "/products?page=400"),
        Case("products-q-tra", "/products?q=tra"),
        Case("products-q-duong-stars-4", "/products?q=duong&stars=4"),
        Case("products-group-province", "/products?group=food&province=nghe-an"),
        Case("events", "/events"),
        Case("events-page-50", "/events?page=50"),
        Case("calendar", "/calendar"),
        Case("calendar-ics", "/calendar.ics", "feed"),
        Case("fair-ics", f"/events/{FAIR}/calendar.ics", "feed"),
        Case("fair-catalogue-pdf", f"/events/{FAIR}/catalogue.pdf", "file"),
        Case("fair-catalogue-pdf-304", f"/events/{FAIR}/catalogue.pdf", "file", conditional=True),
    ]


@dataclass(frozen=True)
class Load:
    threads: int = 2
    connections: int = 16
    seconds: int = 10

    def describe(self) -> str:
        return f"wrk -t{self.threads} -c{self.connections} -d{self.seconds}s"


@dataclass(frozen=True)
class Figures:
    status: int
    size: int
    rps: float
    p50_ms: float
    p95_ms: float
    failed: int  # non-2xx/3xx answers and socket errors


# Servers ------------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def _server(command: list[str], env: dict[str, str], port: int, ready: str, log: Path) -> Iterator[str]:
    """A server in a process of its own, until the block ends; its base URL once `ready` answers."""
    import httpx

    base = f"http://127.0.0.1:{port}"
    with log.open("w") as output:
        # A process group of its own: stopping it stops the workers' PDF processes too.
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        deadline = time.monotonic() + 180  # the app migrates first
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{command[2:4]} stopped:\n{log.read_text()[-3000:]}")
            try:
                httpx.get(base + ready, timeout=5)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{command[2:4]} did not answer on {base}:\n{log.read_text()[-3000:]}") from None
                time.sleep(0.2)
        yield base
    finally:
        _signal_group(process, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            pass
        _signal_group(process, signal.SIGKILL)  # whatever is left: workers' children, a killed worker's orphans
        process.wait()


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass


def _app_server(database_url: str, data_dir: Path, logs: Path) -> contextlib.AbstractContextManager[str]:
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "DATA_DIR": str(data_dir), "SECRET_KEY": "bench"}
    command = [sys.executable, "-m", "events_app", "serve", "--workers", "1", "--host", "127.0.0.1", "--port", str(port)]
    return _server(command, env, port, "/healthz", logs / "serve.log")


def _baseline_server(feeds: Path) -> contextlib.AbstractContextManager[str]:
    port = _free_port()
    env = {**os.environ, "BENCH_FEEDS": str(feeds)}
    # As `events-app serve` runs uvicorn: one worker, the same loop and HTTP parser, info logging.
    command = [sys.executable, "-m", "uvicorn", "bench.baseline_app:create_app", "--factory", "--workers", "1",
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "info"]
    return _server(command, env, port, "/page?bytes=10", feeds / "baseline.log")


# Measuring ------------------------------------------------------------------------------------------

def _wrk(url: str, headers: dict[str, str], load: Load) -> dict[str, int]:
    command = ["wrk", f"-t{load.threads}", f"-c{load.connections}", f"-d{load.seconds}s", "--timeout", "60s",
               "--latency", "-s", str(LUA)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    return {key: int(value) for key, value in (item.split("=") for item in line.split()[1:])}


def measure(url: str, headers: dict[str, str], load: Load, status: int, size: int) -> Figures:
    import httpx

    for _ in range(3):  # warm: kept bodies, template caches, connections
        httpx.get(url, headers=headers, timeout=900)
    run = _wrk(url, headers, load)
    return Figures(
        status=status, size=size, rps=run["requests"] / (run["duration_us"] / 1e6),
        p50_ms=run["p50"] / 1000, p95_ms=run["p95"] / 1000, failed=run["non2xx3xx"] + run["socket_errors"],
    )


def _feed_events(body: bytes) -> list[dict]:
    """The events of a feed as plain values, for the baseline to build again."""
    import icalendar

    events = []
    for component in icalendar.Calendar.from_ical(body).walk("VEVENT"):
        entry = {"uid": str(component["uid"]), "summary": str(component.get("summary", "")),
                 "start": component.decoded("dtstart").isoformat(), "end": component.decoded("dtend").isoformat()}
        for key in ("location", "description", "url"):
            if component.get(key):
                entry[key] = str(component[key])
        events.append(entry)
    return events


def run_case(case: Case, app: str, baseline: str, feeds: Path, load: Load) -> tuple[Figures, Figures]:
    import httpx

    headers = {"Accept-Language": "vi"}
    first = httpx.get(app + case.path, headers=headers, timeout=900)
    if case.kind == "file":  # a PDF not made yet is a job: its progress page (202) until it is ready
        deadline = time.monotonic() + 600
        while first.status_code == 202 and time.monotonic() < deadline:
            time.sleep(0.5)
            first = httpx.get(app + case.path, headers=headers, timeout=900)
        if first.status_code != 200:
            raise SystemExit(f"{case.name}: the PDF was not made ({first.status_code})")
    if case.conditional:
        if "etag" not in first.headers:
            print(f"  ({case.name}: the answer has no ETag; sent with If-None-Match: \"none\", it is answered in full)")
        headers["If-None-Match"] = first.headers.get("etag", '"none"')
    answer = httpx.get(app + case.path, headers=headers, timeout=900)
    mine = measure(app + case.path, headers, load, answer.status_code, len(answer.content))

    base_headers: dict[str, str] = {}
    if case.kind == "page":
        target = f"{baseline}/page?bytes={len(answer.content)}"
    elif case.kind == "feed":
        (feeds / f"{case.name}.json").write_text(json.dumps(_feed_events(first.content), ensure_ascii=False))
        target = f"{baseline}/feed?name={case.name}"
    else:
        target = f"{baseline}/file?bytes={len(first.content)}"
        if case.conditional and answer.status_code == 304:
            base_headers["If-None-Match"] = httpx.get(target).headers["etag"]
    check = httpx.get(target, headers=base_headers, timeout=60)
    theirs = measure(target, base_headers, load, check.status_code, len(check.content))
    return mine, theirs


# Reporting ----------------------------------------------------------------------------------------

def _commit() -> str:
    described = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True)
    return described.stdout.strip() or "unknown"


HEADER = (f"  {'case':<26} {'status':>6} {'bytes':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} │ "
          f"{'base req/s':>10} {'p50 ms':>7} {'p95 ms':>7} │ {'req/s ÷ base':>12} {'p95 × base':>10}")


def _row(case: Case, mine: Figures, theirs: Figures) -> str:
    failed = f"  ({mine.failed} failed)" if mine.failed else ""
    return (f"  {case.name:<26} {mine.status:>6} {mine.size:>9,} {mine.rps:>8.1f} {mine.p50_ms:>8.1f} {mine.p95_ms:>8.1f} │ "
            f"{theirs.rps:>10.1f} {theirs.p50_ms:>7.1f} {theirs.p95_ms:>7.1f} │ "
            f"{mine.rps / theirs.rps:>12.3f} {mine.p95_ms / max(theirs.p95_ms, 0.001):>10.1f}{failed}")


def bench_engine(engine: str, chosen: list[Case], load: Load, rebuild: bool) -> list[tuple[Case, Figures, Figures]]:
    with kept_set_lock(engine), tempfile.TemporaryDirectory(prefix="ocop-bench-http-") as scratch:
        database_url, data_dir = large_postgres(rebuild) if engine == "postgres" else large_sqlite(rebuild)
        return _measure_engine(engine, chosen, load, database_url, data_dir, Path(scratch))


def _measure_engine(
    engine: str, chosen: list[Case], load: Load, database_url: str, data_dir: Path, feeds: Path
) -> list[tuple[Case, Figures, Figures]]:
    results = []
    with _app_server(database_url, data_dir, feeds) as app, _baseline_server(feeds) as baseline:
        print(f"\nHTTP on the large set, {'PostgreSQL' if engine == 'postgres' else 'SQLite'}, commit {_commit()}: "
              f"events-app serve (1 worker) vs a no-database Litestar app (1 worker), {load.describe()}")
        print(HEADER, flush=True)
        for case in chosen:
            mine, theirs = run_case(case, app, baseline, feeds, load)
            results.append((case, mine, theirs))
            print(_row(case, mine, theirs), flush=True)
    return results


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench http", description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=(*ENGINES, "both"), default="both")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="cases whose name starts with NAME (repeatable, or comma-separated): "
                        + ", ".join(c.name for c in cases()))
    parser.add_argument("--duration", type=int, default=Load.seconds, help="seconds of wrk per URL")
    parser.add_argument("--connections", type=int, default=Load.connections)
    parser.add_argument("--threads", type=int, default=Load.threads)
    parser.add_argument("--rebuild", action="store_true", help="build the large set again even if its recipe is unchanged")
    return parser.parse_args(argv)


async def main(argv: list[str] | None = None) -> None:
    options = _arguments(argv or [])
    if shutil.which("wrk") is None:
        print("bench_http: wrk is not installed (Debian: apt-get install wrk); skipped.")
        return
    prefixes = [name for value in options.only for name in value.split(",") if name]
    chosen = [c for c in cases() if not prefixes or any(c.name.startswith(p) for p in prefixes)]
    if not chosen:
        raise SystemExit(f"No case starts with {', '.join(prefixes)}.")
    engines = ENGINES if options.engine == "both" else (options.engine,)
    load = Load(options.threads, options.connections, options.duration)
    for engine in engines:
        if engine == "postgres" and not postgres_reachable():
            print(f"\nbench_http: no PostgreSQL at {POSTGRES_URL} (set BENCH_POSTGRES_URL); PostgreSQL skipped.")
            continue
        bench_engine(engine, chosen, load, options.rebuild)
