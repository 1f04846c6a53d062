"""core.kept: a bounded least-recently-used map of computed values, each computed once at a time."""

import asyncio

import pytest

from events_app.core.kept import Kept


async def test_a_value_is_computed_once_and_kept():
    kept: Kept[str] = Kept(2)
    calls = []

    async def compute(value: str) -> str:
        calls.append(value)
        return value.upper()

    assert await kept.get("a", lambda: compute("a")) == "A"
    assert await kept.get("a", lambda: compute("again")) == "A"
    assert calls == ["a"]


async def test_the_least_recently_used_falls_out_when_full():
    kept: Kept[int] = Kept(2)

    async def value(n: int) -> int:
        return n

    await kept.get("a", lambda: value(1))
    await kept.get("b", lambda: value(2))
    await kept.get("a", lambda: value(0))  # "a" used again: "b" is now the oldest
    await kept.get("c", lambda: value(3))
    assert len(kept) == 2
    assert await kept.get("a", lambda: value(10)) == 1
    assert await kept.get("b", lambda: value(20)) == 20  # computed again


async def test_callers_at_the_same_moment_share_one_computation():
    kept: Kept[int] = Kept(4)
    started = 0
    release = asyncio.Event()

    async def slow() -> int:
        nonlocal started
        started += 1
        await release.wait()
        return 42

    callers = [asyncio.create_task(kept.get("k", slow)) for _ in range(5)]
    await asyncio.sleep(0)
    release.set()
    assert await asyncio.gather(*callers) == [42] * 5
    assert started == 1


async def test_a_failed_computation_is_not_kept_and_the_next_caller_tries_again():
    kept: Kept[int] = Kept(4)
    release = asyncio.Event()

    async def failing() -> int:
        await release.wait()
        raise RuntimeError("database gone")

    async def working() -> int:
        return 7

    first = asyncio.create_task(kept.get("k", failing))
    waiting = asyncio.create_task(kept.get("k", working))
    await asyncio.sleep(0)
    release.set()
    with pytest.raises(RuntimeError):
        await first
    assert await waiting == 7  # it waited for the first, then computed for itself
    assert await kept.get("k", failing) == 7


def test_a_kept_map_holds_at_least_one_value():
    with pytest.raises(ValueError):
        Kept(0)
