"""Shared benchmark plumbing: a throw-away database with the demo data, timing, reporting."""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import AsyncIterator, Awaitable, Callable, Iterator

_TMP = Path(tempfile.mkdtemp(prefix="ocop-bench-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_TMP / 'bench.sqlite3'}")
os.environ.setdefault("DATA_DIR", str(_TMP))
os.environ.setdefault("SECRET_KEY", "bench")
os.environ["PICCOLO_CONF"] = "piccolo_conf"

import logging  # noqa: E402

logging.getLogger("httpx").setLevel(logging.WARNING)


@asynccontextmanager
async def demo_database() -> AsyncIterator[None]:
    from events_app.core import db
    from events_app.core.settings import get_settings
    from events_app.cli import migrate_database
    from events_app.demo.loader import is_empty, load_demo

    await db.connect(get_settings().database_pool_size)
    try:
        await migrate_database()
        if await is_empty():
            await load_demo()
        yield
    finally:
        await db.disconnect()


async def median_ms(
    action: Callable[[], Awaitable[object]], repeat: int = 30, warmup: int = 3, pause: float = 0.0
) -> float:
    """The median time of `action`, after `warmup` runs; `pause` seconds of idle time, not
    counted, before each timed run."""
    for _ in range(warmup):
        await action()
    samples = []
    for _ in range(repeat):
        if pause:
            await asyncio.sleep(pause)
        start = time.perf_counter()
        await action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def report(title: str, rows: list[tuple[str, float]], baseline: str) -> None:
    base = dict(rows)[baseline]
    print(f"\n{title}")
    print(f"  {'case':<46} {'median ms':>10} {'× baseline':>11}")
    for name, value in rows:
        print(f"  {name:<46} {value:>10.2f} {value / base:>11.2f}")


def run(coroutine: Awaitable[None]) -> None:
    asyncio.run(coroutine)


# The national-scale data set, built once and kept between runs ------------------------------------

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("BENCH_CACHE") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ocop-bench")
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/ocop_bench")


def large_recipe() -> str:
    """What the large set is made from: the demo's code and today's date (its dates count from today).

    A kept database whose stamp differs is built again; one with the same stamp is reused, and only
    migrated (the server migrates when it starts).
    """
    import hashlib

    from events_app.core.clock import today

    digest = hashlib.sha256()
    for path in sorted((ROOT / "events_app" / "demo").glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return f"{digest.hexdigest()[:16]}-{today().isoformat()}"


def _load_large(database_url: str, data_dir: Path) -> float:
    """`events-app demo --size large` into the database; the seconds it took."""
    import subprocess
    import sys

    env = {**os.environ, "DATABASE_URL": database_url, "DATA_DIR": str(data_dir), "SECRET_KEY": "bench"}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "events_app", "demo", "--size", "large"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


@contextmanager
def kept_set_lock(engine: str) -> Iterator[None]:
    """Held while a run builds or measures a kept set: a second run waits rather than drop it midway."""
    import fcntl

    CACHE.mkdir(parents=True, exist_ok=True)
    with (CACHE / f"{engine}.lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"Another bench run is using the kept {engine} set; waiting …", flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def large_sqlite(rebuild: bool = False) -> tuple[str, Path]:
    """(DATABASE_URL, DATA_DIR) of the large set in a kept SQLite file."""
    import shutil

    home = CACHE / "sqlite"
    url = f"sqlite:///{home / 'large.sqlite3'}"
    stamp, recipe = home / "recipe", large_recipe()
    if rebuild or not stamp.exists() or stamp.read_text() != recipe:
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        print(f"Building the large set on SQLite ({home}) …", flush=True)
        print(f"  built in {_load_large(url, home):.1f} s", flush=True)
        stamp.write_text(recipe)
    return url, home


async def _postgres_admin(url: str, *statements: str) -> list:
    import asyncpg
    from urllib.parse import urlsplit, urlunsplit

    connection = await asyncpg.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")))
    try:
        return [await connection.fetch(statement) for statement in statements]
    finally:
        await connection.close()


def _postgres(url: str, *statements: str) -> list:
    """`_postgres_admin` from synchronous code, whether or not an event loop runs in this thread."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _postgres_admin(url, *statements)).result()


def postgres_reachable(url: str = POSTGRES_URL) -> bool:
    try:
        _postgres(url, "SELECT 1")
        return True
    except Exception:  # refused, no such role, no server
        return False


def large_postgres(rebuild: bool = False, url: str = POSTGRES_URL) -> tuple[str, Path]:
    """(DATABASE_URL, DATA_DIR) of the large set in a kept PostgreSQL database, its recipe in the
    database's comment; dropped and made again when the recipe changed."""
    import shutil
    from urllib.parse import urlsplit

    name = urlsplit(url).path.lstrip("/")
    home = CACHE / f"postgres-{name}"
    recipe = large_recipe()
    [rows] = _postgres(
        url, f"SELECT shobj_description(oid, 'pg_database') AS recipe FROM pg_database WHERE datname = '{name}'"
    )
    if rebuild or not rows or rows[0]["recipe"] != recipe:
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        _postgres(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
        print(f"Building the large set on PostgreSQL ({name}) …", flush=True)
        print(f"  built in {_load_large(url, home):.1f} s", flush=True)
        _postgres(url, f"COMMENT ON DATABASE \"{name}\" IS '{recipe}'")
    home.mkdir(parents=True, exist_ok=True)
    return url, home
