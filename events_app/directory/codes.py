"""Codes printed on a product: its GTIN barcode, checked by its last digit.

GS1's check digit: from the right, leaving the check digit aside, digits are weighted 3, 1, 3, …;
the check digit brings the sum to a multiple of ten. One rule serves GTIN-8, -12 and -13 (an
EAN-13 of a Vietnamese product starts 893).
"""

from __future__ import annotations

GTIN_LENGTHS = (8, 12, 13)


def gtin_check_digit(body: str) -> int:
    """The check digit of the digits before it."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def is_valid_gtin(code: str) -> bool:
    """A GTIN-8, -12 or -13 whose last digit is the right check digit."""
    if len(code) not in GTIN_LENGTHS or not code.isascii() or not code.isdigit():
        return False
    return gtin_check_digit(code[:-1]) == int(code[-1])


def normalise_barcode(text: str) -> str:
    """What was typed without the spaces and dashes a barcode is often written with."""
    return "".join(c for c in text if c not in " -")
