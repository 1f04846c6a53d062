"""Laying out booths on a hall's floor."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from events_app.core.i18n import N_, gettext


@dataclass(frozen=True)
class BoothSpot:
    code: str
    x: float
    y: float
    width: float
    depth: float


def grid(
    rows: int,
    columns: int,
    prefix: str,
    *,
    width: float = 3.0,
    depth: float = 3.0,
    aisle: float = 2.0,
    origin: tuple[float, float] = (1.0, 1.0),
    first_number: int = 1,
) -> list[BoothSpot]:
    """A block of booths in rows and columns, numbered row by row: A-01, A-02, …

    Rows are paired back to back, with an aisle after every second row, as fair halls are laid out.
    """
    spots = []
    digits = max(2, len(str(first_number + rows * columns - 1)))
    for row in range(rows):
        y = origin[1] + row * depth + (row // 2) * aisle
        for column in range(columns):
            number = first_number + row * columns + column
            spots.append(
                BoothSpot(
                    code=f"{prefix}-{number:0{digits}d}",
                    x=origin[0] + column * width,
                    y=y,
                    width=width,
                    depth=depth,
                )
            )
    return spots


def code_order(code: str) -> tuple:
    """A-2 before A-10: numbers inside booth codes compare as numbers."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code))


def outside(spots: Iterable[BoothSpot], hall_width: float, hall_depth: float) -> list[str]:
    """Codes of the booths that would not lie wholly on a hall's floor."""
    return [
        spot.code
        for spot in spots
        if spot.x < 0
        or spot.y < 0
        or spot.x + spot.width > hall_width + _EPSILON
        or spot.y + spot.depth > hall_depth + _EPSILON
    ]


# What a booth is, as a visitor of the floor plan sees it.
FREE, HELD, TAKEN, BLOCKED = "free", "held", "taken", "blocked"
STATUSES = (FREE, HELD, TAKEN, BLOCKED)
STATUS_LABELS = {FREE: N_("Free"), HELD: N_("Held"), TAKEN: N_("Taken"), BLOCKED: N_("Blocked")}
STATUS_HELP = {
    FREE: N_("open to applications"),
    HELD: N_("asked for, or approved and awaiting the producer's confirmation"),
    TAKEN: N_("rented"),
    BLOCKED: N_("not offered"),
}


def status_label(status: str) -> str:
    return gettext(STATUS_LABELS[status])


def status_help(status: str) -> str:
    return gettext(STATUS_HELP[status])

# Fill and outline per status; the stylesheet uses the same colours, the attributes keep the SVG
# readable where it is shown without it (a saved file, a PDF).
COLOURS = {
    FREE: ("#dafbe1", "#1a7f37"),
    HELD: ("#fff8c5", "#9a6700"),
    TAKEN: ("#f4c7c3", "#8a1c1c"),
    BLOCKED: ("#d0d7de", "#57606a"),
}
OWN_OUTLINE = "#0a5ab8"


def status_of(is_blocked: bool, rental_status: str | None, application_status: str | None) -> str:
    """Free, held (asked for, or approved and awaiting the producer's confirmation), taken, blocked.

    A booth is taken once its producer has confirmed, or once staff made a showroom rental active
    and no confirmation is pending; blocked booths are never offered.
    """
    if is_blocked:
        return BLOCKED
    if rental_status is None or rental_status == "cancelled":
        return FREE
    if rental_status == "held" or application_status == "approved":
        return HELD
    return TAKEN


@dataclass(frozen=True)
class PlacedBooth:
    id: int
    code: str
    booth_type: str
    x: float
    y: float
    width: float
    depth: float
    price: int
    status: str
    holder: str = ""  # who holds it, when someone does
    own: bool = False  # held by the producer looking at the plan

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.width / 2, self.y + self.depth / 2

    @property
    def font_size(self) -> float:
        # The code must fit across the booth: a bold character is about 0.7 em wide.
        return math.floor(100 * min(self.depth * 0.3, self.width / (0.7 * max(len(self.code), 3)))) / 100

    @property
    def fill(self) -> str:
        return COLOURS[self.status][0]

    @property
    def outline(self) -> str:
        return OWN_OUTLINE if self.own else COLOURS[self.status][1]


# What is drawn on a plan but not rented, and how: (fill, outline).
FEATURE_COLOURS = {
    "aisle": ("#f6f8fa", "#d0d7de"),
    "entrance": ("#ddf4ff", "#0969da"),
    "stage": ("#fbefff", "#8250df"),
    "pillar": ("#57606a", "#24292f"),
}


@dataclass(frozen=True)
class PlacedFeature:
    id: int
    kind: str
    label: str
    x: float
    y: float
    width: float
    depth: float

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.width / 2, self.y + self.depth / 2

    @property
    def fill(self) -> str:
        return FEATURE_COLOURS[self.kind][0]

    @property
    def outline(self) -> str:
        return FEATURE_COLOURS[self.kind][1]

    @property
    def font_size(self) -> float:
        longest = max(len(self.label), 4)
        return math.floor(100 * min(self.depth * 0.6, self.width / (0.6 * longest), 1.2)) / 100


@dataclass(frozen=True)
class HallPlan:
    """One hall's floor with its booths and features; the drawing grows to show booths placed past its walls."""

    name: str
    width: float
    depth: float
    booths: tuple[PlacedBooth, ...]
    hall_id: int | None = None
    features: tuple[PlacedFeature, ...] = ()

    MARGIN = 1.0

    @property
    def view_width(self) -> float:
        return max([self.width, *(b.x + b.width for b in (*self.booths, *self.features))]) + 2 * self.MARGIN

    @property
    def view_depth(self) -> float:
        return max([self.depth, *(b.y + b.depth for b in (*self.booths, *self.features))]) + 2 * self.MARGIN

    @property
    def scale_bar(self) -> float:
        """A round length for the scale drawn under the plan: at most a quarter of the floor's width."""
        width = self.width or self.view_width
        for length in (50, 20, 10, 5, 2, 1):
            if length <= width / 4:
                return length
        return 1

    @property
    def view_box(self) -> str:
        return f"{-self.MARGIN:g} {-self.MARGIN:g} {self.view_width:g} {self.view_depth:g}"

    def count(self, status: str) -> int:
        return sum(1 for booth in self.booths if booth.status == status)


def hall_plans(
    halls: Sequence[dict], booths: Sequence[tuple[int | None, PlacedBooth]],
    features: Sequence[tuple[int, PlacedFeature]] = (),
) -> list[HallPlan]:
    """Booths grouped per hall (in the halls' order), sorted by code; booths without a hall come last."""
    by_hall: dict[int | None, list[PlacedBooth]] = {}
    for hall_id, booth in booths:
        by_hall.setdefault(hall_id, []).append(booth)
    drawn: dict[int, list[PlacedFeature]] = {}
    for hall_id, feature in features:
        drawn.setdefault(hall_id, []).append(feature)
    plans = []
    for hall in halls:
        placed = tuple(sorted(by_hall.pop(hall["id"], []), key=lambda b: b.code))
        plans.append(HallPlan(hall["name"], hall["width"], hall["depth"], placed, hall["id"],
                              tuple(drawn.get(hall["id"], ()))))
    loose = tuple(sorted((b for group in by_hall.values() for b in group), key=lambda b: b.code))
    if loose:
        plans.append(HallPlan("", 0, 0, loose, None))
    return plans


_EPSILON = 1e-6


# What the floor plan templates need to draw and explain the booths' colours.
PLAN_CONTEXT = {
    "status_label": status_label,
    "status_help": status_help,
    "statuses": STATUSES,
    "colours": COLOURS,
    "own_outline": OWN_OUTLINE,
    "feature_colours": FEATURE_COLOURS,
}
