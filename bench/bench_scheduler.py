"""The conference scheduler against the exact optimum, and match scoring at national scale.

The conference: 400 participants (150 producers, 250 distributors), 1,500 accepted meeting
requests, two days of two B2B sessions of four 30-minute slots, 60 tables; a third of the
participants present half the time (one day, or mornings, or afternoons only), a fifth of the
producers at fixed tables of their own, a meeting limit for every distributor and for half of the
producers, and priorities (mutual interest, a match score). Deterministic (seeded). Other sizes
with `--requests` (e.g. `python -m bench scheduler --requests 1500 700`); each scheduler run is
given up after `CAP_SECONDS`, in a child process, should one ever run away.

Prints the scheduler's time (median of `--runs` runs, 3 by default), the meetings it places and their priority-weighted
value as shares of the exact optimum, an integer programme solved here with HiGHS: binary
x[m, s, t] for meeting m in slot s at table t, only where both parties are available and the
table is one the meeting may use; each meeting at most once, each participant at most one meeting
per slot, each table one meeting per slot, per-participant limits; first the most meetings, then,
among schedules of that many, the highest weighted value. The tables nobody owns are alike, so
their x[m, s, t] are summed into one variable per meeting and slot bounded by the count of those
tables (every such count can be dealt out to tables, so the optimum is the same); a producer's
fixed table is its own x[m, s, t]. Then what a re-run moves: nothing changed, and after 5% of the
requests change (cancelled, and as many new ones), the share of the meetings placed before that
moved or went (each re-run timed as a median too). Baselines, in the same run: the ILP's own solve time, and the first-fit greedy
`scheduler.schedule` staff's "place all" used (it knows no availability, limits or fixed tables).

Last, match scoring: every pair of 2,000 producer profiles (one to three products each) and 200
distributor interests through `matching.producers_for`, as the matches page does, against a bare
loop over the same pairs.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import random
import statistics
import time
from collections import Counter

from events_app.matchmaking import matching
from events_app.matchmaking.scheduler import (
    Plan, Problem, Request, Slot, Wish, distributor_key, plan, producer_key, schedule, slot_times, violations, within,
)

from bench.common import report

UTC = dt.timezone.utc
PRODUCERS, DISTRIBUTORS, REQUESTS, TABLES, SLOT_MINUTES, RUNS = 150, 250, 1_500, 60, 30, 3
CHANGED = 0.05  # the share of requests that change before the re-run
ILP_SECONDS = 60.0  # the time limit of each solve; past it the optimum is not proven
MATCH_PRODUCERS, MATCH_DISTRIBUTORS = 2_000, 200
ONCE_MS = 20_000  # a case slower than this is timed once
CAP_SECONDS = 90  # a scheduler run given up after this long


def value(request: Request) -> int:
    """The priority weight of a placed meeting: a mutual one is worth more than any other, then the score."""
    return 1 + request.score + (61 if request.mutual else 0)


def conference(seed: int = 2026, requests: int = REQUESTS) -> Problem:
    rng = random.Random(seed)
    day1 = dt.datetime(2026, 12, 8, 2, 0, tzinfo=UTC)  # 09:00 in Vietnam
    slots = []
    session_id = 0
    for day in range(2):
        for start_hour in (0, 5):  # 09:00–11:00 and 14:00–16:00
            session_id += 1
            start = day1 + dt.timedelta(days=day, hours=start_hour)
            for a, b in slot_times(start, start + dt.timedelta(minutes=4 * SLOT_MINUTES), SLOT_MINUTES):
                slots.append(Slot(session_id, a, b, TABLES))

    def half_the_time() -> list[tuple[dt.datetime, dt.datetime]]:
        day = dt.timedelta(days=1)
        morning = [(day1 + d * day, day1 + d * day + dt.timedelta(hours=3)) for d in range(2)]
        afternoon = [(day1 + d * day + dt.timedelta(hours=4), day1 + d * day + dt.timedelta(hours=8)) for d in range(2)]
        return rng.choice([[(day1, day1 + day)], [(day1 + day, day1 + 2 * day)], morning, afternoon])

    availability = {}
    for key in [producer_key(p) for p in range(1, PRODUCERS + 1)] + [
            distributor_key(d) for d in range(1, DISTRIBUTORS + 1)]:
        if rng.random() < 1 / 3:
            availability[key] = half_the_time()
    limits = {distributor_key(d): rng.choice((4, 6, 8)) for d in range(1, DISTRIBUTORS + 1)}
    limits.update({producer_key(p): rng.choice((8, 10, 12)) for p in range(1, PRODUCERS + 1) if rng.random() < 0.5})
    fixed = {p: TABLES - i for i, p in enumerate(range(5, PRODUCERS + 1, 5))}  # a fifth, at their own booths
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < requests:  # popular distributors are asked by many
        pairs.add((rng.randint(1, PRODUCERS), min(rng.randint(1, DISTRIBUTORS), rng.randint(1, DISTRIBUTORS))))
    order = sorted(pairs)
    rng.shuffle(order)
    requests = [Request(i + 1, p, d, mutual=rng.random() < 0.2, score=rng.randint(0, 60)) for i, (p, d) in enumerate(order)]
    return Problem(slots=slots, requests=requests, availability=availability, limits=limits, fixed_tables=fixed)


@dataclasses.dataclass
class Optimum:
    count: int
    value: int
    count_seconds: float
    value_seconds: float
    proven: bool
    variables: int


def exact_optimum(problem: Problem) -> Optimum:
    """The most meetings any schedule places, then the highest weighted value among those (HiGHS)."""
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", ILP_SECONDS)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("threads", 1)
    free_tables = TABLES - len(set(problem.fixed_tables.values()))
    x: dict[tuple[int, int], object] = {}  # (request, slot index): meeting in that slot (at its fixed table or a free one)
    by_party: dict[tuple, list] = {}  # (party, slot index): its meetings' variables
    by_slot_free: dict[int, list] = {}
    for r in problem.requests:
        fixed = problem.fixed_tables.get(r.producer_id)
        for i, slot in enumerate(problem.slots):
            if fixed is not None and fixed > slot.tables:
                continue
            if not all(within(problem.availability.get(k), slot.starts_at, slot.ends_at)
                       for k in (producer_key(r.producer_id), distributor_key(r.distributor_id))):
                continue
            var = x[r.request_id, i] = h.addBinary()
            for key in (producer_key(r.producer_id), distributor_key(r.distributor_id)):
                by_party.setdefault((key, i), []).append(var)
            if fixed is None:
                by_slot_free.setdefault(i, []).append(var)
    per_request: dict[int, list] = {}
    for (rid, _), var in x.items():
        per_request.setdefault(rid, []).append(var)
    for variables in per_request.values():  # each meeting at most once
        h.addConstr(h.qsum(variables) <= 1)
    per_party: dict[tuple, list] = {}
    for (key, _), variables in by_party.items():  # nobody twice in a slot; a fixed table is its producer's
        if len(variables) > 1:
            h.addConstr(h.qsum(variables) <= 1)
        per_party.setdefault(key, []).extend(variables)
    for variables in by_slot_free.values():  # the free tables of a slot
        h.addConstr(h.qsum(variables) <= free_tables)
    for key, limit in problem.limits.items():
        if len(per_party.get(key, ())) > limit:
            h.addConstr(h.qsum(per_party[key]) <= limit)

    everything = h.qsum(x.values())
    start = time.perf_counter()
    h.maximize(everything)
    count_seconds = time.perf_counter() - start
    proven = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    count = round(h.getInfo().objective_function_value)

    weights = {r.request_id: value(r) for r in problem.requests}
    h.addConstr(everything >= count)
    start = time.perf_counter()
    h.maximize(h.qsum(weights[rid] * var for (rid, _), var in x.items()))
    value_seconds = time.perf_counter() - start
    proven = proven and h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    best = round(h.getInfo().objective_function_value)
    return Optimum(count, best, count_seconds, value_seconds, proven, len(x))


def weighted(problem: Problem, result: Plan) -> int:
    by_id = {r.request_id: r for r in problem.requests}
    return sum(value(by_id[b.request_id]) for b in result.placed)


def changed_requests(problem: Problem, previous: dict, seed: int = 7) -> Problem:
    """5% of the requests change: half of them cancelled, as many new ones asked and accepted."""
    rng = random.Random(seed)
    n = round(len(problem.requests) * CHANGED)
    cancelled = set(rng.sample([r.request_id for r in problem.requests], n // 2))
    taken = {(r.producer_id, r.distributor_id) for r in problem.requests}
    late: list[Request] = []
    while len(late) < n - n // 2:
        pair = (rng.randint(1, PRODUCERS), rng.randint(1, DISTRIBUTORS))
        if pair not in taken:
            taken.add(pair)
            late.append(Request(10_000 + len(late), *pair, mutual=rng.random() < 0.2, score=rng.randint(0, 60)))
    kept = [r for r in problem.requests if r.request_id not in cancelled]
    return dataclasses.replace(problem, previous=previous, requests=kept + late)


# Match scoring ------------------------------------------------------------------------------------

def match_market(seed: int = 2026):
    rng = random.Random(seed)
    valid_on = dt.date(2026, 12, 9)
    groups = [(g, f"Nhóm {g}") for g in range(1, 13)]
    region_of = {p: 1 + p % 8 for p in range(1, 64)}
    channels = ("retail", "wholesale", "online", "export", "horeca")
    producers = []
    product_id = 0
    for pid in range(1, MATCH_PRODUCERS + 1):
        province = rng.randint(1, 63)
        held = ()
        if rng.random() < 0.4:
            since = valid_on - dt.timedelta(days=rng.randint(30, 900))
            held = (matching.Held("vietgap", since, since + dt.timedelta(days=rng.choice((365, 730, 1095)))),)
        offers = []
        for _ in range(rng.randint(1, 3)):
            product_id += 1
            group_id, group_name = rng.choice(groups)
            offers.append(matching.Offer(
                product_id=product_id, producer_id=pid, name=f"Sản phẩm {product_id}", group_id=group_id,
                group_name=group_name, stars=rng.choices((3, 4, 5), weights=(55, 35, 10))[0], province_id=province,
                region_id=region_of[province], province_name=f"Tỉnh {province}",
                valid_until=valid_on + dt.timedelta(days=rng.randint(-60, 900)), certifications=held,
                channels=frozenset(rng.sample(channels, rng.randint(1, 3))),
                monthly_capacity=rng.choice((None, 100, 500, 2_000)), capacity_unit=rng.choice(("kg", "tonne")),
            ))
        producers.append((pid, f"Cơ sở {pid}", offers))
    interests = []
    for did in range(1, MATCH_DISTRIBUTORS + 1):
        group = rng.choice(groups) if rng.random() < 0.8 else (None, "")
        place = rng.random()
        province = rng.randint(1, 63)
        interests.append(matching.Interest(
            id=did, distributor_id=did, min_stars=rng.choice((3, 3, 4, 5)), group_id=group[0], group_name=group[1],
            province_id=province if place < 0.3 else None, region_id=region_of[province] if 0.3 <= place < 0.6 else None,
            place_name=f"Tỉnh {province}" if place < 0.6 else "",
            required_kinds=frozenset({"vietgap"}) if rng.random() < 0.25 else frozenset(),
            channels=frozenset(rng.sample(channels, rng.randint(1, 2))),
            min_monthly_volume=rng.choice((None, 200, 1_000)), volume_unit="kg",
        ))
    return producers, interests, valid_on


def median_of(action, runs: int) -> tuple[float, object, int]:
    """The median milliseconds of `action` over `runs` runs (one only when it takes over `ONCE_MS`),
    its last answer and the runs made."""
    samples, out = [], None
    for _ in range(runs):
        start = time.perf_counter()
        out = action()
        samples.append((time.perf_counter() - start) * 1000)
        if samples[0] > ONCE_MS:
            break
    return statistics.median(samples), out, len(samples)


def _plans(problem: Problem, runs: int) -> tuple[float, Plan, int]:
    return median_of(lambda: plan(problem), runs)


def capped(problem: Problem, runs: int = 1) -> tuple[float, Plan, int] | None:
    """`plan` timed in a child process, given up after `CAP_SECONDS` (None then)."""
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(1) as pool:
        try:
            return pool.apply_async(_plans, (problem, runs)).get(CAP_SECONDS)
        except multiprocessing.TimeoutError:
            return None


def conference_case(requests: int, runs: int = RUNS) -> None:
    problem = conference(requests=requests)
    optimum = exact_optimum(problem)
    greedy_ms, greedy, _ = median_of(
        lambda: schedule([Wish(r.request_id, r.producer_id, r.distributor_id) for r in problem.requests], problem.slots), 1)
    greedy_broken = len(violations(problem, greedy.placed))
    title = (f"Conference scheduler: {PRODUCERS + DISTRIBUTORS} participants, {requests:,} accepted requests, "
             f"{len(problem.slots)} slots (2 days × 2 sessions × 4), {TABLES} tables, {len(problem.fixed_tables)} fixed, "
             f"{len(problem.availability)} present half the time, limits")
    ilp = f"ILP count solve (HiGHS, {optimum.variables:,} binaries)"
    rows = [(ilp, optimum.count_seconds * 1000), ("ILP weighted solve, among the most meetings", optimum.value_seconds * 1000),
            ("first-fit greedy, no windows/limits/tables", greedy_ms)]
    proven = "" if optimum.proven else f" (NOT proven optimal within {ILP_SECONDS:.0f} s a solve)"
    timed = capped(problem, runs)
    if timed is None:
        report(title, rows, baseline=ilp)
        print(f"  scheduler plan:                          did not finish within {CAP_SECONDS} s (goal ≤ 2 s); "
              f"not measured further at this size")
        print(f"{'  exact optimum' + proven + ':':<43}{optimum.count} meetings, weighted value {optimum.value}")
        print(f"  first-fit greedy:                        {len(greedy.placed)} placed, breaking {greedy_broken} "
              f"availability, limit or table rules")
        return
    plan_ms, result, plan_runs = timed
    assert violations(problem, result.placed) == []
    previous = {b.request_id: b for b in result.placed}
    same_ms, same, same_runs = capped(dataclasses.replace(problem, previous=previous), runs) or (float("nan"), None, 0)
    changed = changed_requests(problem, previous)
    after_ms, after, after_runs = capped(changed, runs) or (float("nan"), None, 0)
    rows[2:2] = [(f"scheduler plan, median of {plan_runs}", plan_ms),
                 (f"scheduler re-run, nothing changed, median of {same_runs}", same_ms),
                 (f"scheduler re-run, {CHANGED:.0%} changed, median of {after_runs}", after_ms)]
    report(title, rows, baseline=ilp)
    placed_value = weighted(problem, result)
    print(f"{'  meetings placed / exact optimum' + proven + ':':<43}{len(result.placed)} / {optimum.count}  "
          f"({len(result.placed) / optimum.count:.2%}; goal ≥ 99%)")
    print(f"  weighted value / optimum among those:    {placed_value} / {optimum.value}  "
          f"({placed_value / optimum.value:.2%}; goal ≥ 99%)")
    print(f"  scheduler time, median of {plan_runs}:              {plan_ms / 1000:.2f} s (goal ≤ 2 s; "
          f"the exact ILP {(optimum.count_seconds + optimum.value_seconds):.2f} s)")
    print(f"  left out, by reason:                     {dict(Counter(u.reason for u in result.unplaced))}")
    print("  re-run, nothing changed:                 "
          + (f"{len(same.moved)} moved" if same else f"did not finish within {CAP_SECONDS} s"))
    if after is None:
        print(f"  re-run, {CHANGED:.0%} of requests changed:          did not finish within {CAP_SECONDS} s")
    else:
        assert violations(changed, after.placed) == []
        still = {r.request_id for r in changed.requests} & set(previous)
        moved = len(set(after.moved) & still)
        print(f"  re-run, {round(requests * CHANGED)} requests changed:"
              f"{' ' * (15 - len(str(round(requests * CHANGED))))}"
              f"{moved} of {len(still)} placed before moved or went ({moved / len(still):.2%}; goal ≤ 2%), "
              f"{len(after.placed)} placed")
    print(f"  first-fit greedy:                        {len(greedy.placed)} placed, breaking {greedy_broken} "
          f"availability, limit or table rules")


def matching_case() -> None:
    producers, interests, valid_on = match_market()
    pairs = MATCH_PRODUCERS * MATCH_DISTRIBUTORS

    def score_all() -> int:
        return sum(len(matching.producers_for([interest], producers, valid_on)) for interest in interests)

    def bare_loop() -> int:
        n = 0
        for interest in interests:
            for _pid, _name, offers in producers:
                for offer in offers:
                    n += interest.group_id == offer.group_id
        return n

    bare_ms, _, _ = median_of(bare_loop, 3)
    score_ms, matched, _ = median_of(score_all, 3)
    report(f"Match scoring: {MATCH_PRODUCERS:,} producers ({sum(len(o) for _, _, o in producers):,} products) × "
           f"{MATCH_DISTRIBUTORS} interests = {pairs:,} pairs, median of 3", [
               ("bare loop over the same pairs (baseline)", bare_ms),
               ("matching.producers_for, every interest", score_ms),
           ], baseline="bare loop over the same pairs (baseline)")
    print(f"  {matched:,} producer–distributor pairs ranked (passing or kept out by a hard filter); {score_ms * 1000 / pairs:.2f} µs a pair")


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench scheduler", description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, nargs="+", default=[REQUESTS], metavar="N",
                        help=f"the conference's accepted requests, one case each (default {REQUESTS:,})")
    parser.add_argument("--runs", type=int, default=RUNS, help=f"timed runs of each scheduler case (default {RUNS})")
    parser.add_argument("--no-matching", action="store_true", help="leave out the match scoring case")
    options = parser.parse_args(argv)
    if not 1 <= options.runs <= 100 or not all(1 <= n <= 20_000 for n in options.requests):
        parser.error("runs from 1 to 100, requests from 1 to 20,000")
    return options


async def main(options: list[str] | None = None) -> None:
    arguments = _arguments(options or [])
    for requests in arguments.requests:
        conference_case(requests, arguments.runs)
    if not arguments.no_matching:
        matching_case()


if __name__ == "__main__":
    import sys

    asyncio.run(main(sys.argv[1:]))
