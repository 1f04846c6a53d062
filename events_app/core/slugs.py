"""Slugs for public URLs, unique within their table."""

from __future__ import annotations

from piccolo.table import Table

from events_app.core.text import slugify


async def unique_slug(table: type[Table], text: str, *, exclude_id: int | None = None) -> str:
    """A slug for `text` not yet used in `table` (suffixes -2, -3… when taken)."""
    base = slugify(text)
    query = table.select(table.slug).where(table.slug.like(f"{base}%"))  # type: ignore[attr-defined]
    if exclude_id is not None:
        query = query.where(table.id != exclude_id)  # type: ignore[attr-defined]
    taken = {row["slug"] for row in await query}
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
