"""Rendering PDFs off the event loop, in worker processes, behind a cache on disk.

Laying out a catalogue takes seconds of CPU; in the web process it would stall every other
request. Jobs go to a small pool of worker processes, started lazily with "spawn" (a clean
interpreter, safe beside the server's threads). A finished PDF is kept under
data_dir/cache/pdf/<hash of what it shows>.pdf, so the same catalogue is rendered once, and
identical requests arriving together share one rendering.

A printed catalogue goes through `build_catalogue`: its sections are laid out side by side in
the pool (the largest first, so the workers finish together), then the indexes, which take the
next free worker ahead of the floor plan's pages waiting, then the cover and contents, then qpdf
(pikepdf) joins them.
"""

from __future__ import annotations

import asyncio
import heapq
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Awaitable, Callable, TypeVar

from events_app.catalogue.assets import keep_file
from events_app.catalogue.pdf import (
    Binding, PdfJob, RenderedSection, Section, SectionJob, collect_garbage, join, render, render_section, worker_started,
)
from events_app.catalogue.printing import Catalogue, page_map

T = TypeVar("T")
# Told (sections laid out, sections in all) as a catalogue's sections are done.
Progress = Callable[[int, int], Awaitable[None]]

WORKERS = 2
# Which of a catalogue's sections get the pool first: the body sections of unknown length, then
# the indexes (which print their pages) beside the body's sections of known length, the front last.
BODY, BACK, FRONT = 0, 1, 3
KEEP_FILES = 200  # cached PDFs kept; the oldest go first
RENDER_TIMEOUT_SECONDS = 180

_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()
_pending: dict[str, asyncio.Future] = {}


def _executor() -> ProcessPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(
                max_workers=WORKERS, mp_context=multiprocessing.get_context("spawn"), initializer=worker_started,
            )
        return _pool


def _discard_pool() -> None:
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None


def close_pool() -> None:
    """Stop the worker processes (a command that rendered is done)."""
    _discard_pool()


def use_workers(count: int) -> None:
    """Lay out with `count` worker processes from now on (the benchmark compares one and two)."""
    global WORKERS
    _discard_pool()
    WORKERS = count


# Jobs in the pool now; when none has been for `IDLE_SECONDS`, each worker collects its garbage.
_running = 0
IDLE_SECONDS = 0.5
_tidying: set[asyncio.Task] = set()


async def in_worker(function: Callable[..., T], *args) -> T:
    """`function(*args)` in a worker process; a pool whose worker died is started afresh once."""
    global _running
    loop = asyncio.get_running_loop()
    _running += 1
    try:
        for attempt in (1, 2):
            try:
                return await asyncio.wait_for(loop.run_in_executor(_executor(), function, *args), RENDER_TIMEOUT_SECONDS)
            except BrokenProcessPool:
                _discard_pool()  # a worker died (out of memory?): start afresh once
                if attempt == 2:
                    raise
    finally:
        _running -= 1
        if not _running and not _tidying:
            task = loop.create_task(_tidy_when_idle())
            _tidying.add(task)
            task.add_done_callback(_tidying.discard)
    raise AssertionError("unreachable")


async def _tidy_when_idle() -> None:
    """Once the pool has had nothing to do for a moment, each worker collects what its layouts
    left, off the path of any catalogue."""
    await asyncio.sleep(IDLE_SECONDS)
    if _running or _pool is None:
        return
    loop = asyncio.get_running_loop()
    try:
        await asyncio.gather(*(loop.run_in_executor(_pool, collect_garbage) for _ in range(WORKERS)))
    except (BrokenProcessPool, RuntimeError):
        pass  # the pool was shut down meanwhile: nothing left to collect


class _Turns:
    """Turns in the pool for one catalogue's sections, the most urgent first: at most `slots`
    of them are in the pool at once, so a section that becomes ready late (an index, waiting on
    the halls' pages) overtakes the waiting ones whose turn matters less (the floor plan's pages,
    whose lengths are known), instead of queueing behind them."""

    def __init__(self, slots: int) -> None:
        self._slots = slots
        self._waiting: list[tuple[tuple, int, asyncio.Future]] = []
        self._count = 0

    async def take(self, rank: tuple) -> None:
        if self._slots and not self._waiting:
            self._slots -= 1
            return
        self._count += 1
        turn = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (rank, self._count, turn))
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self.give_back()  # the turn came as the section was called off: pass it on
            raise

    def give_back(self, *, keep: bool = False) -> None:
        """A turn done: to the most urgent section waiting, or kept free (`keep`) for more urgent
        ones about to come."""
        self._slots += 1
        if not keep:
            self.hand_out()

    def hand_out(self) -> None:
        while self._slots and self._waiting:
            _, _, turn = heapq.heappop(self._waiting)
            if not turn.done():
                turn.set_result(None)
                self._slots -= 1


async def render_in_worker(job: PdfJob) -> bytes:
    return await in_worker(render, job)


async def build_catalogue(catalogue: Catalogue, progress: Progress | None = None) -> bytes:
    """The PDF of a catalogue, its sections laid out in the worker pool, `progress` told of each.

    The body goes first; the indexes, which print the body's page numbers, start as soon as every
    body section whose length is not known beforehand is done (the floor plan's is: a page a hall),
    and the cover and contents, which know every page, come last."""
    total = catalogue.section_count()
    done = unknown = 0
    turns = _Turns(WORKERS)

    def lay_out(sections: list[Section], urgency: int) -> list[asyncio.Future]:
        def rank(section: Section) -> tuple[int, int]:
            # Known lengths wait: nothing waits on their pages. Within a rank the largest goes
            # first, so that no worker is left with a big hall at the end.
            return urgency + (1 if section.pages else 0), -section.weight

        async def one(section: Section) -> RenderedSection:
            nonlocal done, unknown
            await turns.take(rank(section))
            try:
                result = await in_worker(render_section, SectionJob(section, catalogue.language, catalogue.assets))
            finally:
                last = urgency == BODY and not section.pages and (unknown := unknown - 1) == 0
                # The last body section of unknown length keeps its turn for the indexes it lets start.
                turns.give_back(keep=last)
            done += 1
            if progress is not None:
                await progress(min(done, total), total)
            return result

        # Started in order of rank, so that the first to ask for a free turn are the most urgent.
        order = sorted(range(len(sections)), key=lambda i: rank(sections[i]))
        tasks = {i: asyncio.ensure_future(one(sections[i])) for i in order}
        return [tasks[i] for i in range(len(sections))]

    started: list[asyncio.Future] = []
    try:
        sections = catalogue.body()
        unknown = sum(1 for section in sections if not section.pages)
        body_tasks = lay_out(sections, BODY)
        started += body_tasks
        await asyncio.gather(*(task for task, section in zip(body_tasks, sections) if not section.pages))
        # The pages the indexes print, counting known lengths for sections still being laid out.
        provisional = [task.result() if task.done() else section for task, section in zip(body_tasks, sections)]
        pages, after = page_map(provisional)
        back_sections = catalogue.back(pages)
        back_tasks = lay_out(back_sections, BACK)
        started += back_tasks
        await asyncio.sleep(0)  # the indexes ask for their turns,
        turns.hand_out()  # and get the ones kept for them before the rest waiting
        body = list(await asyncio.gather(*body_tasks))
        if [s.pages for s in body] != [s.pages for s in provisional]:
            # A section came out longer than known beforehand: lay the indexes out again.
            for task in back_tasks:
                task.cancel()
            pages, after = page_map(body)
            back_tasks = lay_out(catalogue.back(pages), BACK)
            started += back_tasks
        back = list(await asyncio.gather(*back_tasks))
        pages, after = page_map(body)
        pages |= page_map(back, after)[0]
        [front_task] = lay_out([catalogue.front(pages)], FRONT)
        started.append(front_task)
        front = await front_task
    finally:
        for task in started:
            task.cancel()
    binding = Binding(front, (*body, *back), catalogue.title, catalogue.author, catalogue.language, catalogue.assets)
    return await in_worker(join, binding)


def cache_path(cache_dir: Path, job: PdfJob) -> Path:
    return cache_dir / f"{job.cache_key()}.pdf"


async def pdf_bytes(job: PdfJob, cache_dir: Path) -> bytes:
    """The PDF of `job`: from the cache when the same content was rendered before."""
    path = cache_path(cache_dir, job)
    cached = await asyncio.to_thread(_read, path)
    if cached is not None:
        return cached
    key = path.stem
    if key in _pending:  # the same catalogue is being rendered for another request
        return await asyncio.shield(_pending[key])
    future: asyncio.Future = asyncio.get_running_loop().create_future()
    _pending[key] = future
    try:
        data = await render_in_worker(job)
        await asyncio.to_thread(keep_file, path, data, KEEP_FILES)
        future.set_result(data)
        return data
    except BaseException as exc:
        future.set_exception(exc)
        future.exception()  # retrieved: no "never retrieved" warning when no one else waited
        raise
    finally:
        del _pending[key]


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
