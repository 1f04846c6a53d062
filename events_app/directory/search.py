"""Accent-insensitive product search.

Each product keeps a folded copy of the words it can be found by (its name, its producer, its
province, former province and group). A query is folded the same way and every word must
appear: plain LIKE on a plain column, so SQLite and PostgreSQL answer alike.
"""

from __future__ import annotations

from events_app.core.text import fold


def product_search_text(*parts: str | None) -> str:
    return fold(" ".join(part for part in parts if part))
