"""A catalogue's turns in the worker pool: the most urgent section waiting gets the next one."""

from __future__ import annotations

import asyncio

from events_app.catalogue.rendering import _Turns


async def _in_order(turns: _Turns, ranks: list[tuple], seen: list[tuple]) -> list[asyncio.Task]:
    async def one(rank: tuple) -> None:
        await turns.take(rank)
        seen.append(rank)

    tasks = [asyncio.ensure_future(one(rank)) for rank in ranks]
    await asyncio.sleep(0)
    return tasks


async def test_a_freed_turn_goes_to_the_most_urgent_waiting_section():
    turns, seen = _Turns(1), []
    await _in_order(turns, [(0, -5), (2, -1), (1, -9), (1, -3)], seen)
    assert seen == [(0, -5)]  # a free turn is taken at once
    for _ in range(3):
        turns.give_back()
        await asyncio.sleep(0)
    assert seen == [(0, -5), (1, -9), (1, -3), (2, -1)]


async def test_a_kept_turn_waits_for_the_sections_about_to_come():
    turns, seen = _Turns(1), []
    await _in_order(turns, [(0, 0), (2, 0)], seen)
    turns.give_back(keep=True)  # the last hall is done: its turn is kept for the indexes
    await asyncio.sleep(0)
    assert seen == [(0, 0)]
    await _in_order(turns, [(1, 0)], seen)
    turns.hand_out()
    await asyncio.sleep(0)
    assert seen == [(0, 0), (1, 0)]


async def test_a_turn_given_to_a_section_called_off_passes_on():
    turns, seen = _Turns(1), []
    await _in_order(turns, [(0, 0)], seen)
    [called_off, later] = await _in_order(turns, [(1, 0), (2, 0)], seen)
    turns.give_back()  # handed to (1, 0) …
    called_off.cancel()  # … which is cancelled before it runs
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert seen == [(0, 0), (2, 0)] and called_off.cancelled()
