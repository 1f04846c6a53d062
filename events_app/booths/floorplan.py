"""Laying out booths on a hall's floor."""

from __future__ import annotations

from dataclasses import dataclass


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
