"""The floor plan's geometry: booths on the floor, never overlapping, merged and split."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from events_app.booths import geometry
from events_app.booths.geometry import Rect, Shape
from events_app.core.errors import DomainError

HALL = {"name": "Khu A", "width": 40, "depth": 24}


class refused:
    """Like refused(), matching the message id (not its translation)."""

    def __init__(self, words: str = "") -> None:
        self.words = words

    def __enter__(self):
        return self

    def __exit__(self, kind, error, tb):
        assert kind is not None and issubclass(kind, DomainError), "not refused"
        assert self.words in error.message, error.message
        return True


def _booth(code, x, y, w=3.0, d=3.0, id=None):
    return Shape(code, Rect(x, y, w, d), "booth", id)


def test_booths_side_by_side_touch_without_overlapping():
    a, b = Rect(1, 1, 3, 3), Rect(4, 1, 3, 3)
    assert not a.overlaps(b) and not b.overlaps(a)
    assert not Rect(1, 1, 3, 3).overlaps(Rect(4, 4, 3, 3))  # corners only
    assert Rect(1, 1, 3, 3).overlaps(Rect(3.9, 1, 3, 3))
    assert Rect(0, 0, 10, 10).overlaps(Rect(2, 2, 1, 1))  # inside
    # Floating sums do not make neighbours overlap: 0.1 + 0.2 m then 0.3 m.
    assert not Rect(0.1, 0, 0.2, 1).overlaps(Rect(0.3, 0, 1, 1))


def test_inside_the_hall():
    assert Rect(0, 0, 40, 24).inside(40, 24)
    assert not Rect(38, 0, 3, 3).inside(40, 24)
    assert not Rect(-0.5, 0, 3, 3).inside(40, 24)
    assert not Rect(0, 22, 3, 3).inside(40, 24)


def test_placement_error_names_what_is_in_the_way():
    others = [_booth("A-02", 4, 1, id=2), _booth("A-01", 1, 1, id=1), Shape("Sân khấu", Rect(20, 0, 10, 5), "stage")]
    assert geometry.placement_error(Rect(7, 1, 3, 3), HALL, others) is None
    problem = geometry.placement_error(Rect(2, 2, 3, 3), HALL, others)
    assert problem.message == "This would overlap booth %(codes)s." and problem.params == {"codes": "A-01, A-02"}
    problem = geometry.placement_error(Rect(22, 2, 3, 3), HALL, others)
    assert problem.params == {"features": "Sân khấu"}
    problem = geometry.placement_error(Rect(39, 2, 3, 3), HALL, others)
    assert "outside" in problem.message and problem.params["hall"] == "Khu A"
    # A booth moved does not clash with where it stood.
    assert geometry.placement_error(Rect(1.5, 1, 2.5, 3), HALL, others, ignore=[1]) is None


def test_sizes_and_positions_are_bounded():
    assert geometry.check_rect(Rect(0, 0, 3, 3)) == {}
    errors = geometry.check_rect(Rect(-1, 201, 0.4, 250))
    assert set(errors) == {"x", "y", "width", "depth"}
    assert set(geometry.check_rect(Rect(math.nan, 0, math.inf, 3))) == {"x", "width"}


def test_merge_needs_a_rectangle():
    row = [Rect(1, 1, 3, 3), Rect(4, 1, 3, 3), Rect(7, 1, 3, 3)]
    assert geometry.merged(row) == Rect(1, 1, 9, 3)
    block = [Rect(0, 0, 3, 3), Rect(3, 0, 3, 3), Rect(0, 3, 3, 3), Rect(3, 3, 3, 3)]
    assert geometry.merged(block) == Rect(0, 0, 6, 6)
    with refused("one rectangle"):
        geometry.merged([Rect(0, 0, 3, 3), Rect(3, 0, 3, 3), Rect(0, 3, 3, 3)])  # an L
    with refused("one rectangle"):
        geometry.merged([Rect(0, 0, 3, 3), Rect(5, 0, 3, 3)])  # a gap between
    with refused("one rectangle"):
        geometry.merged([Rect(0, 0, 3, 3), Rect(3, 1, 3, 3)])  # not aligned
    with refused("overlap"):
        geometry.merged([Rect(0, 0, 3, 3), Rect(2, 0, 3, 3), Rect(0, 0, 5, 3)])
    with refused("at least two"):
        geometry.merged([Rect(0, 0, 3, 3)])


def test_split_along_either_axis():
    assert geometry.split(Rect(1, 1, 6, 3), 2, "x") == [Rect(1, 1, 3, 3), Rect(4, 1, 3, 3)]
    assert geometry.split(Rect(1, 1, 6, 3), 3, "y") == [Rect(1, 1, 6, 1), Rect(1, 2, 6, 1), Rect(1, 3, 6, 1)]
    with refused("at least"):
        geometry.split(Rect(0, 0, 3, 3), 7, "x")  # 0.43 m parts
    for parts in (1, 13):
        with refused():
            geometry.split(Rect(0, 0, 30, 3), parts, "x")
    with refused():
        geometry.split(Rect(0, 0, 30, 3), 2, "z")
    assert geometry.split_codes("A-01", 3) == ["A-01A", "A-01B", "A-01C"]


# Random floors: whatever is accepted never overlaps, and merge undoes split. -------------------

measures = st.floats(min_value=0, max_value=40, allow_nan=False).map(lambda v: round(v * 2) / 2)
sizes = st.floats(min_value=0.5, max_value=12, allow_nan=False).map(lambda v: max(0.5, round(v * 2) / 2))
rects = st.builds(Rect, measures, measures, sizes, sizes)


@settings(max_examples=300, deadline=None)
@given(st.lists(rects, min_size=1, max_size=25))
def test_booths_accepted_one_by_one_never_overlap(candidates):
    placed: list[Shape] = []
    for n, rect in enumerate(candidates):
        if geometry.placement_error(rect, HALL, placed) is None:
            placed.append(Shape(f"B-{n}", rect, "booth", n))
    for i, a in enumerate(placed):
        assert a.rect.inside(HALL["width"], HALL["depth"])
        for b in placed[i + 1:]:
            # No shared area at all, measured directly.
            across = min(a.rect.right, b.rect.right) - max(a.rect.x, b.rect.x)
            along = min(a.rect.bottom, b.rect.bottom) - max(a.rect.y, b.rect.y)
            assert across <= geometry.EPSILON or along <= geometry.EPSILON


@settings(max_examples=200, deadline=None)
@given(rects, st.integers(min_value=2, max_value=geometry.MAX_SPLIT), st.sampled_from(["x", "y"]))
def test_split_parts_tile_the_booth_and_merge_back(rect, parts, axis):
    try:
        pieces = geometry.split(rect, parts, axis)
    except DomainError:
        assert (rect.width if axis == "x" else rect.depth) / parts < geometry.MIN_SIZE
        return
    assert len(pieces) == parts
    assert math.isclose(sum(p.area for p in pieces), rect.area)
    assert not any(a.overlaps(b) for i, a in enumerate(pieces) for b in pieces[i + 1:])
    box = geometry.merged(pieces)
    assert all(math.isclose(u, v, abs_tol=1e-9) for u, v in zip(
        (box.x, box.y, box.width, box.depth), (rect.x, rect.y, rect.width, rect.depth)))


@settings(max_examples=200, deadline=None)
@given(st.lists(rects, min_size=2, max_size=5))
def test_a_merge_is_accepted_only_when_the_booths_fill_their_box(group):
    try:
        box = geometry.merged(group)
    except DomainError:
        return
    assert not any(a.overlaps(b) for i, a in enumerate(group) for b in group[i + 1:])
    assert math.isclose(box.area, sum(r.area for r in group), rel_tol=1e-6)
