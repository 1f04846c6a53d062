"""The geometry of a hall's floor plan: rectangles in metres, with no database in sight.

A booth lies wholly on its hall's floor and overlaps neither another booth nor what is drawn
on the plan but not offered (aisles, the entrance, the stage, pillars). Booths may touch: two
booths side by side share an edge. Merging takes booths whose union is itself a rectangle;
splitting cuts one booth into equal parts along one axis. Every refusal is a `DomainError`
with its reason, for the editor to show next to the form.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Sequence

from events_app.core.errors import DomainError
from events_app.core.i18n import N_

# Booths and features are from half a metre to 200 m a side (a fair's largest pavilion);
# positions are within a hall, itself at most this size.
MIN_SIZE = 0.5
MAX_SIZE = 200.0
MAX_POSITION = 200.0
MAX_SPLIT = 12  # parts one booth is split into at most
# Lengths are compared to the millimetre: 0.1 + 0.2 is 0.3 on a floor plan.
EPSILON = 1e-3


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    depth: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.depth

    @property
    def area(self) -> float:
        return self.width * self.depth

    def overlaps(self, other: "Rect") -> bool:
        """Whether the two share more than an edge or a corner."""
        return (
            self.x < other.right - EPSILON
            and other.x < self.right - EPSILON
            and self.y < other.bottom - EPSILON
            and other.y < self.bottom - EPSILON
        )

    def inside(self, width: float, depth: float) -> bool:
        """Whether it lies wholly on a floor of `width` × `depth` from (0, 0)."""
        return self.x >= -EPSILON and self.y >= -EPSILON and self.right <= width + EPSILON and self.bottom <= depth + EPSILON


@dataclass(frozen=True)
class Shape:
    """Something on the plan that takes room: a booth (by its code) or a feature (by its label)."""

    name: str
    rect: Rect
    kind: str = "booth"  # "booth", or a feature's kind
    id: int | None = None


def is_measure(value: float, low: float, high: float) -> bool:
    return math.isfinite(value) and low - EPSILON <= value <= high + EPSILON


def check_rect(rect: Rect) -> dict[str, DomainError]:
    """Sizes and positions out of bounds, per field."""
    errors: dict[str, DomainError] = {}
    for name, value in (("width", rect.width), ("depth", rect.depth)):
        if not is_measure(value, MIN_SIZE, MAX_SIZE):
            errors[name] = DomainError(N_("Enter a size from %(low)s to %(high)s m."), low=MIN_SIZE, high=int(MAX_SIZE))
    for name, value in (("x", rect.x), ("y", rect.y)):
        if not is_measure(value, 0, MAX_POSITION):
            errors[name] = DomainError(N_("Enter a position from 0 to %(high)s m."), high=int(MAX_POSITION))
    return errors


def clashes(rect: Rect, others: Iterable[Shape], *, ignore: Iterable[int] = ()) -> list[Shape]:
    """The shapes `rect` would overlap, leaving out booths with the ids in `ignore` (the ones moved)."""
    skipped = set(ignore)
    return [shape for shape in others if not (shape.kind == "booth" and shape.id in skipped) and shape.rect.overlaps(rect)]


def placement_error(
    rect: Rect, hall: dict, others: Iterable[Shape], *, ignore: Iterable[int] = (), what: str = "booth"
) -> DomainError | None:
    """Why `rect` cannot stand on `hall` ({name, width, depth}) among `others`; None when it can."""
    if not rect.inside(hall["width"], hall["depth"]):
        if what == "booth":
            return DomainError(N_("The booth would fall outside %(hall)s (%(width)s × %(depth)s m)."),
                               hall=hall["name"], width=hall["width"], depth=hall["depth"])
        return DomainError(N_("This would fall outside %(hall)s (%(width)s × %(depth)s m)."),
                           hall=hall["name"], width=hall["width"], depth=hall["depth"])
    found = clashes(rect, others, ignore=ignore)
    if not found:
        return None
    booths = [shape.name for shape in found if shape.kind == "booth"]
    features = [shape.name for shape in found if shape.kind != "booth"]
    if booths:
        return DomainError(N_("This would overlap booth %(codes)s."), codes=", ".join(sorted(booths)))
    return DomainError(N_("This would overlap %(features)s, which are not for rent."), features=", ".join(features))


def bounding(rects: Sequence[Rect]) -> Rect:
    left, top = min(r.x for r in rects), min(r.y for r in rects)
    right, bottom = max(r.right for r in rects), max(r.bottom for r in rects)
    return Rect(left, top, right - left, bottom - top)


def merged(rects: Sequence[Rect]) -> Rect:
    """The one rectangle that booths fill together; a DomainError when they do not make one.

    Rectangles that do not overlap make a rectangle exactly when their areas add up to that of
    the box around them.
    """
    if len(rects) < 2:
        raise DomainError(N_("Choose at least two booths to merge."))
    for i, first in enumerate(rects):
        if any(first.overlaps(second) for second in rects[i + 1:]):
            raise DomainError(N_("These booths overlap each other: move them apart before merging."))
    box = bounding(rects)
    if abs(box.area - sum(r.area for r in rects)) > EPSILON * max(1.0, box.area):
        raise DomainError(N_("These booths do not make one rectangle together: choose booths side by side that fill a rectangle."))
    return box


ACROSS, ALONG = "x", "y"  # split across the width (parts side by side), or along the depth


def split(rect: Rect, parts: int, axis: str) -> list[Rect]:
    """`rect` cut into `parts` equal rectangles, side by side (axis "x") or one behind another ("y")."""
    if not 2 <= parts <= MAX_SPLIT:
        raise DomainError(N_("Enter a number from 2 to %(n)d."), n=MAX_SPLIT)
    if axis not in (ACROSS, ALONG):
        raise DomainError(N_("Choose one of the options."))
    length = rect.width if axis == ACROSS else rect.depth
    piece = length / parts
    if piece < MIN_SIZE - EPSILON:
        raise DomainError(N_("Each part would be %(size)s m: parts must be at least %(min)s m."),
                          size=round(piece, 2), min=MIN_SIZE)
    if axis == ACROSS:
        return [Rect(rect.x + i * piece, rect.y, piece, rect.depth) for i in range(parts)]
    return [Rect(rect.x, rect.y + i * piece, rect.width, piece) for i in range(parts)]


def split_codes(code: str, parts: int) -> list[str]:
    """Codes of a booth's parts: A-01 split in three gives A-01A, A-01B, A-01C."""
    return [f"{code}{chr(ord('A') + i)}" for i in range(parts)]


# Sizes a new booth of each type is offered at, in metres (width, depth).
TYPE_SIZES = {
    "standard": (3.0, 3.0),
    "corner": (3.0, 3.0),
    "premium": (6.0, 3.0),
    "outdoor": (3.0, 3.0),
    "shelf": (1.0, 0.6),
}
