"""The allocation engine, without a database: who gets a booth, where, who waits, and why."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given, settings, strategies as st

from events_app.booths.allocation import (
    Candidate, Exhibitor, Quota, Rules, Spot, Weights, allocate, may_be_offered, neighbours, preference_points, priority,
)
from events_app.core.i18n import language

DAY = dt.datetime(2026, 9, 1, 8, tzinfo=dt.timezone.utc)


def row(count: int, *, types: dict[int, str] | None = None, hall: int = 1) -> list[Spot]:
    """Booths side by side in one row: A-01, A-02, …"""
    return [Spot(id=n, code=f"A-{n:02d}", booth_type=(types or {}).get(n, "standard"), hall=hall, x=3.0 * (n - 1))
            for n in range(1, count + 1)]


def candidate(id: int, stars: int = 4, *, province: str = "Nghệ An", region: str = "Bắc Trung Bộ", group: str = "Thực phẩm",
              minutes: int = 0, prefs: tuple[int, ...] = (), first_time: bool = False, kind: str = "cooperative") -> Candidate:
    return Candidate(id=id, stars=stars, province=province, region=region, group=group, producer_type=kind,
                     applied_at=DAY + dt.timedelta(minutes=minutes or id), first_time=first_time, preferences=prefs)


def test_booths_go_by_priority_and_the_rest_wait_in_order():
    people = [candidate(1, 3), candidate(2, 5), candidate(3, 4), candidate(4, 4, minutes=1), candidate(5, 3)]
    result = allocate(row(3), people)
    assert set(result.assignments) == {2, 3, 4}
    assert result.waiting == (1, 5)  # 3★ both: the earlier application first
    assert result.outcomes[1].waiting_place == 1
    assert result.outcomes[5].waiting_place == 2
    assert result.outcomes[4].priority == 40


def test_the_reason_is_written_in_the_readers_language():
    people = [candidate(1, 4), candidate(2, 4), candidate(3, 4, province="Hà Tĩnh")]
    rules = Rules(province_quotas={"Nghệ An": Quota(maximum=1)})
    outcome = allocate(row(3), people, rules).outcomes[2]
    assert outcome.booth is None
    with language("vi"):
        assert outcome.explanation() == (
            "4★, 40 điểm ưu tiên, xếp thứ 2, hạn mức của Nghệ An đã đủ (1 gian hàng), xếp thứ 1 trong danh sách chờ"
        )
    with language("en"):
        assert outcome.explanation() == (
            "4★, 40 priority points, ranked 2, the quota of Nghệ An is full (1 booths), number 1 on the waiting list"
        )


def test_a_quota_minimum_admits_the_best_of_its_province_first():
    people = [candidate(n, 5) for n in range(1, 4)] + [candidate(9, 3, province="Cà Mau", region="Đồng bằng sông Cửu Long")]
    rules = Rules(province_quotas={"Cà Mau": Quota(minimum=1)})
    result = allocate(row(3), people, rules)
    assert 9 in result.assignments
    assert result.waiting == (3,)
    with language("en"):
        assert "every booth is allocated" in result.outcomes[3].explanation()
        assert "admitted to reach the minimum of 1 booths for Cà Mau" in result.outcomes[9].explanation()


def test_region_and_group_quotas_cap_what_they_name():
    people = [candidate(n, 5, group="Đồ uống") for n in range(1, 5)] + [candidate(5, 3)]
    rules = Rules(group_quotas={"Đồ uống": Quota(maximum=2)}, region_quotas={"Bắc Trung Bộ": Quota(maximum=4)})
    result = allocate(row(5), people, rules)
    assert set(result.assignments) == {1, 2, 5}
    assert result.waiting == (3, 4)


def test_reserved_booths_only_go_to_well_rated_products():
    spots = row(4, types={1: "corner", 2: "premium"})
    people = [candidate(1, 3, prefs=(1,)), candidate(2, 3, prefs=(2,)), candidate(3, 3), candidate(4, 5)]
    rules = Rules(reserved_types=frozenset({"corner", "premium"}), reserved_min_stars=4)
    result = allocate(spots, people, rules)
    assert result.assignments[4] in (1, 2)
    low_booths = {result.assignments[a] for a in (1, 2, 3) if a in result.assignments}
    assert low_booths <= {3, 4}
    assert len(result.waiting) == 1
    with language("en"):
        assert "kept for products of 4 stars or more" in result.outcomes[result.waiting[0]].explanation()


def test_preferences_are_honoured_and_a_swap_raises_the_total():
    # The higher-ranked likes nearly as much; the other wants only A-01.
    people = [candidate(1, 5, prefs=(1, 2)), candidate(2, 4, prefs=(1,))]
    result = allocate(row(2), people)
    assert result.assignments == {1: 2, 2: 1}
    assert result.points == 4 + 5
    assert result.first_choices == 1
    with language("en"):
        assert "booth A-02, choice 2" in result.outcomes[1].explanation()
        assert "booth A-01, the first choice" in result.outcomes[2].explanation()


def test_pins_and_forbidden_booths_are_kept():
    people = [candidate(1, 5, prefs=(1,)), candidate(2, 3), candidate(3, 4, prefs=(2,))]
    rules = Rules(pinned={2: 1}, forbidden=frozenset({(3, 2), (3, 3)}))
    result = allocate(row(3), people, rules)
    # A-01 is pinned to the 3★ application; the 4★ one may not have, so it waits
    # although it ranks above the pinned one.
    assert result.assignments == {2: 1, 1: 2}
    assert result.waiting == (3,)
    with language("en"):
        assert "no booth could be found that the rules allow" in result.outcomes[3].explanation()
    with language("en"):
        assert "booth set by the organisers" in result.outcomes[2].explanation()


def test_producers_of_one_group_are_kept_apart_when_asked():
    people = [candidate(1, 5, group="Trà"), candidate(2, 5, group="Trà"), candidate(3, 4, group="Mật ong"), candidate(4, 4, group="Mật ong")]
    result = allocate(row(4), people, Rules(separate_groups=True))
    by_booth = {booth: application for application, booth in result.assignments.items()}
    groups = [people[by_booth[b] - 1].group for b in range(1, 5)]
    assert all(a != b for a, b in zip(groups, groups[1:])), groups


def test_booths_held_already_count_towards_the_quotas():
    # are Nghệ An's already; its quota is three booths at the fair, so one more.
    held = [Exhibitor(spot, "Nghệ An", "Bắc Trung Bộ", "Đồ uống") for spot in row(2)]
    free = row(5)[2:]
    people = [candidate(1, 5), candidate(2, 4), candidate(3, 3, province="Hà Tĩnh")]
    rules = Rules(province_quotas={"Nghệ An": Quota(maximum=3)}, region_quotas={"Bắc Trung Bộ": Quota(minimum=2)})
    result = allocate(free, people, rules, held=held)
    assert set(result.assignments) == {1, 3} and result.waiting == (2,)
    with language("vi"):
        assert "hạn mức của Nghệ An đã đủ (3 gian hàng)" in result.outcomes[2].explanation()
        # The region's minimum is met by the booths it holds: nobody is admitted for it.
        assert all("tối thiểu" not in o.explanation() for o in result.outcomes.values())
    # Without the booths held, both Nghệ An producers would have had one, two for the region's minimum.
    alone = allocate(free, people, rules)
    assert set(alone.assignments) == {1, 2, 3}
    with language("vi"):
        assert sum("tối thiểu" in o.explanation() for o in alone.outcomes.values()) == 2


def test_a_booth_held_already_is_a_neighbour_when_groups_are_kept_apart():
    # A-02 is held by a tea producer: the tea applicant must not take beside it.
    spots = row(4)
    held = [Exhibitor(spots[1], "Nghệ An", "Bắc Trung Bộ", "Trà")]
    free = [spots[0], spots[2], spots[3]]
    people = [candidate(1, 5, group="Trà", prefs=(1, 3)), candidate(2, 4, group="Mật ong", prefs=(4,))]
    result = allocate(free, people, Rules(separate_groups=True), held=held)
    assert result.assignments[1] not in {1, 3}
    assert allocate(free, people, Rules(separate_groups=False), held=held).assignments[1] == 1


def test_a_booth_freed_later_goes_from_the_line_only_within_the_rules():
    a01, a02, a03 = row(3)
    held = [Exhibitor(a02, "Nghệ An", "Bắc Trung Bộ", "Trà")]
    quota = Rules(province_quotas={"Nghệ An": Quota(maximum=1)})
    assert not may_be_offered(quota, Exhibitor(a01, "Nghệ An", "Bắc Trung Bộ", "Mật ong"), held)
    assert may_be_offered(quota, Exhibitor(a01, "Hà Tĩnh", "Bắc Trung Bộ", "Mật ong"), held)
    apart = Rules(separate_groups=True)
    assert not may_be_offered(apart, Exhibitor(a03, "Hà Tĩnh", "Bắc Trung Bộ", "Trà"), held)  # beside A-02's tea
    assert may_be_offered(apart, Exhibitor(a03, "Hà Tĩnh", "Bắc Trung Bộ", "Mật ong"), held)
    assert may_be_offered(Rules(), Exhibitor(a03, "Nghệ An", "Bắc Trung Bộ", "Trà"), held)

def test_a_pinned_booth_is_not_explained_as_a_lost_choice():
    people = [candidate(1, 5, prefs=(1,)), candidate(2, 3, prefs=(1,))]
    result = allocate(row(3), people, Rules(pinned={2: 3}))
    with language("en"):
        text = result.outcomes[2].explanation()
    assert "booth set by the organisers" in text and "booth A-03" in text
    assert "went to applications ranked higher" not in text

def test_booths_side_by_side_share_a_wall():
    spots = [Spot(1, "A-01", x=0, y=0), Spot(2, "A-02", x=3, y=0), Spot(3, "B-01", x=3, y=3), Spot(4, "C-01", hall=2, x=6, y=0)]
    found = neighbours(spots)
    assert found[1] == {2}  # B-01 touches A-01 only at a corner; C-01 is in another hall
    assert found[2] == {1, 3}


def test_priority_weights_are_the_staffs():
    weights = Weights(per_star=10, first_time=7, producer_type={"cooperative": 3})
    assert priority(candidate(1, 4, first_time=True), weights) == 50
    assert priority(candidate(1, 4, kind="household"), weights) == 40
    assert preference_points(candidate(1, prefs=(5, 6, 7)), 7) == 3
    assert preference_points(candidate(1, prefs=(5,)), 8) == 0


def test_the_same_input_in_another_order_gives_the_same_result():
    spots = row(12, types={1: "corner", 12: "corner"})
    rng = random.Random(7)
    people = [candidate(n, rng.choice((3, 4, 5)), group=rng.choice(("Trà", "Gạo", "Mật ong")),
                        prefs=tuple(rng.sample(range(1, 13), 3))) for n in range(1, 25)]
    rules = Rules(reserved_types=frozenset({"corner"}), separate_groups=True, province_quotas={"Nghệ An": Quota(maximum=10)})
    first = allocate(spots, people, rules)
    rng.shuffle(people)
    again = allocate(list(reversed(spots)), people, rules)
    assert first.assignments == again.assignments
    assert first.waiting == again.waiting


@settings(max_examples=60, deadline=None)
@given(
    booths=st.integers(1, 10),
    stars=st.lists(st.sampled_from((3, 4, 5)), min_size=0, max_size=14),
    seed=st.integers(0, 10_000),
    reserve=st.booleans(),
    cap=st.none() | st.integers(0, 5),
)
def test_the_rules_always_hold(booths, stars, seed, reserve, cap):
    rng = random.Random(seed)
    spots = row(booths, types={1: "corner"} if reserve else None)
    provinces = ("Nghệ An", "Hà Tĩnh")
    people = [candidate(n, s, province=rng.choice(provinces), prefs=tuple(rng.sample(range(1, booths + 1), min(3, booths))))
              for n, s in enumerate(stars, start=1)]
    rules = Rules(reserved_types=frozenset({"corner"}) if reserve else frozenset(),
                  province_quotas={"Nghệ An": Quota(maximum=cap)} if cap is not None else {})
    result = allocate(spots, people, rules)
    held = list(result.assignments.values())
    assert len(held) == len(set(held))  # never one booth twice
    assert set(result.assignments) | set(result.waiting) == {p.id for p in people}
    assert not set(result.assignments) & set(result.waiting)
    for application, booth in result.assignments.items():
        if reserve and booth == 1:
            assert people[application - 1].stars >= 4
    if cap is not None:
        assert sum(1 for a in result.assignments if people[a - 1].province == "Nghệ An") <= cap
    # Nobody waits while a booth they may take stands empty and their quota has room.
    empty = {s.id for s in spots} - set(held)
    for application in result.waiting:
        person = people[application - 1]
        quota_room = cap is None or person.province != "Nghệ An" or sum(
            1 for a in result.assignments if people[a - 1].province == "Nghệ An") < cap
        usable = {b for b in empty if not (reserve and b == 1 and person.stars < 4)}
        assert not (quota_room and usable), (application, usable)


def _best_by_hand(spots: list[Spot], people: list[Candidate], admitted: set[int], reserved: set[int]) -> int:
    """Every placement of the admitted tried, for the most preference points."""
    import itertools

    apps = [p for p in people if p.id in admitted]
    best = -1
    for booths in itertools.permutations([s.id for s in spots], len(apps)):
        if all(b not in reserved or p.stars >= 4 for p, b in zip(apps, booths)):
            best = max(best, sum(preference_points(p, b) for p, b in zip(apps, booths)))
    return best


@settings(max_examples=40, deadline=None)
@given(booths=st.integers(1, 6), stars=st.lists(st.sampled_from((3, 4, 5)), min_size=1, max_size=7),
       seed=st.integers(0, 10_000), reserve=st.booleans())
def test_the_placement_reaches_the_most_points_there_are(booths, stars, seed, reserve):
    rng = random.Random(seed)
    spots = row(booths, types={1: "corner", 2: "corner"} if reserve else None)
    people = [candidate(n, s, prefs=tuple(rng.sample(range(1, booths + 1), rng.randint(0, min(3, booths)))))
              for n, s in enumerate(stars, start=1)]
    rules = Rules(reserved_types=frozenset({"corner"}) if reserve else frozenset())
    result = allocate(spots, people, rules)
    reserved = {1, 2} if reserve else set()
    assert result.points == _best_by_hand(spots, people, set(result.assignments), reserved)
