"""The conference scheduler: 300 accepted meeting requests, two days of two B2B sessions each,
40 tables, with availability windows, per-participant limits and producers at fixed tables.

Prints the scheduler's time (median of runs), the meetings it places against an upper bound no
schedule can beat (a max-flow through each party's usable capacity, computed with networkx: it
relaxes "not twice at one moment" to "not more than the slots it is available for"), the
reasons given for the rest, and what a re-run moves: nothing changed, then after five late
requests and three cancellations. Baseline, in the same run: the first-fit greedy
`scheduler.schedule` that staff's "place all" used, on the same requests (it knows no
availability, limits or fixed tables, so it places meetings a conference could not hold).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import statistics
import time
from collections import Counter

from events_app.matchmaking.scheduler import (
    Problem, Request, Slot, Wish, distributor_key, plan, producer_key, schedule, slot_times, violations,
)

UTC = dt.timezone.utc
REQUESTS, PRODUCERS, DISTRIBUTORS, TABLES, RUNS = 300, 70, 35, 40, 5


def conference(seed: int = 2026) -> Problem:
    rng = random.Random(seed)
    day1 = dt.datetime(2026, 12, 8, 2, 0, tzinfo=UTC)  # 09:00 in Vietnam
    slots = []
    session_id = 0
    for day in range(2):
        for start_hour, end_hour in ((0, 2.5), (5, 7.5)):  # 09:00–11:30 and 14:00–16:30
            session_id += 1
            start = day1 + dt.timedelta(days=day, hours=start_hour)
            for a, b in slot_times(start, start + dt.timedelta(hours=end_hour - start_hour), 30):
                slots.append(Slot(session_id, a, b, TABLES))
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < REQUESTS:  # a few popular distributors are asked by many
        pairs.add((rng.randint(1, PRODUCERS), min(rng.randint(1, DISTRIBUTORS), rng.randint(1, DISTRIBUTORS))))
    requests = [Request(i + 1, p, d, mutual=rng.random() < 0.2, score=rng.randint(0, 60))
                for i, (p, d) in enumerate(sorted(pairs))]
    availability = {}
    for p in range(1, PRODUCERS + 1):
        roll = rng.random()
        if roll < 0.15:  # arrives at 10:00 on the first day
            availability[producer_key(p)] = [(day1 + dt.timedelta(hours=1), day1 + dt.timedelta(days=2))]
        elif roll < 0.3:  # only the first day, leaves after lunch
            availability[producer_key(p)] = [(day1, day1 + dt.timedelta(hours=5, minutes=30))]
    for d in range(1, DISTRIBUTORS + 1):
        if rng.random() < 0.2:  # second day only
            availability[distributor_key(d)] = [(day1 + dt.timedelta(days=1), day1 + dt.timedelta(days=2))]
    limits = {distributor_key(d): 12 for d in range(1, DISTRIBUTORS + 1)}
    limits.update({producer_key(p): 6 for p in range(1, PRODUCERS + 1, 5)})
    fixed = {p: TABLES - i for i, p in enumerate(range(2, PRODUCERS + 1, 7))}  # at their own booths
    return Problem(slots=slots, requests=requests, availability=availability, limits=limits, fixed_tables=fixed)


def upper_bound(problem: Problem) -> int:
    """No schedule places more: each party meets at most min(limit, its usable slots) times, each
    request once, and all together no more than the tables of every slot."""
    import networkx as nx

    def usable(key) -> int:
        windows = problem.availability.get(key)
        n = sum(1 for s in problem.slots if windows is None or any(a <= s.starts_at and s.ends_at <= b for a, b in windows))
        return min(n, problem.limits.get(key, n))

    graph = nx.DiGraph()
    graph.add_edge("all", "sink", capacity=sum(s.tables for s in problem.slots))
    for r in problem.requests:
        p, d = producer_key(r.producer_id), distributor_key(r.distributor_id)
        graph.add_edge("source", p, capacity=usable(p))
        graph.add_edge(p, ("r", r.request_id), capacity=1)
        graph.add_edge(("r", r.request_id), d, capacity=1)
        graph.add_edge(d, "all", capacity=usable(d))
    return nx.maximum_flow_value(graph, "source", "sink")


async def main(options: list[str] | None = None) -> None:
    problem = conference()
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        result = plan(problem)
        samples.append(time.perf_counter() - start)
    assert violations(problem, result.placed) == []
    bound = upper_bound(problem)
    previous = {b.request_id: b for b in result.placed}

    start = time.perf_counter()
    same = plan(dataclasses.replace(problem, previous=previous))
    rerun_time = time.perf_counter() - start

    rng = random.Random(7)
    taken = {(r.producer_id, r.distributor_id) for r in problem.requests}
    late = []
    while len(late) < 5:
        pair = (rng.randint(1, PRODUCERS), rng.randint(1, DISTRIBUTORS))
        if pair not in taken:
            taken.add(pair)
            late.append(Request(1000 + len(late), *pair, mutual=True, score=50))
    cancelled = set(rng.sample(sorted(previous), 3))
    changed = dataclasses.replace(
        problem, previous=previous, requests=[r for r in problem.requests if r.request_id not in cancelled] + late)
    after = plan(changed)
    assert violations(changed, after.placed) == []

    greedy_start = time.perf_counter()
    greedy = schedule([Wish(r.request_id, r.producer_id, r.distributor_id) for r in problem.requests], problem.slots)
    greedy_time = time.perf_counter() - greedy_start
    greedy_broken = len(violations(problem, greedy.placed))

    reasons = Counter(u.reason for u in result.unplaced)
    print(f"\nConference scheduler ({REQUESTS} accepted requests, {len(problem.slots)} slots in 2 days × 2 sessions, "
          f"{TABLES} tables, availability, limits, {len(problem.fixed_tables)} fixed tables)")
    print(f"  scheduler time, median of {RUNS}:          {statistics.median(samples) * 1000:8.1f} ms")
    print(f"  placed / upper bound (max-flow):         {len(result.placed)} / {bound}  "
          f"({len(result.placed) / bound:.1%} of the bound)")
    print(f"  left out, by reason:                     {dict(reasons)}")
    print(f"  re-run, nothing changed:                 {len(same.moved)} moved, {rerun_time * 1000:.1f} ms")
    print(f"  re-run, 5 late requests, 3 cancelled:    {len(after.moved)} moved of {len(previous) - 3} kept placed, "
          f"{len(after.placed)} placed")
    print(f"  baseline first-fit greedy:               {len(greedy.placed)} placed in {greedy_time * 1000:.1f} ms, "
          f"breaking {greedy_broken} availability, limit or table rules")
