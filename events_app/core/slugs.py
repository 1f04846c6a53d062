"""Slugs for public URLs, unique within their table."""

from __future__ import annotations

from typing import Iterable

from piccolo.table import Table

from events_app.core.text import slugify


def free_slug(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`… the first not in `taken`."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


async def unique_slug(table: type[Table], text: str, *, exclude_id: int | None = None) -> str:
    """A slug for `text` not yet used in `table` (suffixes -2, -3… when taken)."""
    base = slugify(text)
    query = table.select(table.slug).where(table.slug.like(f"{base}%"))  # type: ignore[attr-defined]
    if exclude_id is not None:
        query = query.where(table.id != exclude_id)  # type: ignore[attr-defined]
    return free_slug(base, {row["slug"] for row in await query})


async def unique_slugs(table: type[Table], texts: Iterable[str]) -> list[str]:
    """Slugs for many new rows at once, unique in `table` and among themselves, as `unique_slug`
    gives them one by one: one query reads the slugs taken, the rest is done in memory. Run it
    in the transaction that inserts the rows, so that the slugs read are still the ones taken."""
    taken = set(await table.select(table.slug).output(as_list=True))  # type: ignore[attr-defined]
    slugs = []
    for text in texts:
        slug = free_slug(slugify(text), taken)
        taken.add(slug)
        slugs.append(slug)
    return slugs
