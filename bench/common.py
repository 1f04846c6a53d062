"""Shared benchmark plumbing: a throw-away database with the demo data, timing, reporting."""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator, Awaitable, Callable

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


async def median_ms(action: Callable[[], Awaitable[object]], repeat: int = 30, warmup: int = 3) -> float:
    for _ in range(warmup):
        await action()
    samples = []
    for _ in range(repeat):
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
