"""Text helpers: Vietnamese-aware folding for search and slugs."""

from __future__ import annotations

import re
import unicodedata

_NON_SLUG = re.compile(r"[^a-z0-9]+")
# LIKE's own wildcards and PostgreSQL's default escape character.
_LIKE_SPECIALS = re.compile(r"[%_\\]")


def fold(text: str) -> str:
    """Lower-case, drop tone marks and diacritics, and turn đ/Đ into d.

    "Gà Tiên Yên" and "ga tien yen" fold to the same string, so a search typed without
    accents finds the product; the same folded column serves SQLite and PostgreSQL.
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def slugify(text: str, max_length: int = 80) -> str:
    slug = _NON_SLUG.sub("-", fold(text)).strip("-")
    return slug[:max_length].rstrip("-") or "item"


def search_terms(query: str) -> list[str]:
    """The folded words of a search box, each of which must match."""
    return [term for term in fold(query).split() if term][:8]


def like_fragment(text: str) -> str:
    """Typed text made safe to put between LIKE's `%`s: each wildcard or escape character becomes
    `_` (any one character), so "nguyen_van" still finds nguyen_van@… and "100%" matches no more
    than a character after 100. Callers bound the length: SQLite refuses long patterns."""
    return _LIKE_SPECIALS.sub("_", text)
