"""Pagination: a page of rows with what the template needs to link to the others."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from events_app.core.bounds import MAX_PAGE


def page_number(raw: str | None) -> int:
    """The page asked for; anything that is not a positive number means the first page, and a number
    past `MAX_PAGE` the last one (`paginate` brings it down to the last page there is)."""
    digits = (raw or "").strip().lstrip("0")
    if not (digits.isascii() and digits.isdigit()):
        return 1
    if len(digits) > len(str(MAX_PAGE)):  # read no further than a page number can go
        return MAX_PAGE
    return min(MAX_PAGE, int(digits))


@dataclass
class Page:
    items: list[Any]
    number: int
    per_page: int
    total: int
    params: dict[str, Any] = field(default_factory=dict)
    # What a kept page was read at (filters, page, revision…): with the language, the key its
    # rendered part is kept by (`{% kept %}`). Empty for a page read afresh each time.
    key: tuple = ()

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page

    def url(self, number: int) -> str:
        """The query string for another page, keeping the current filters."""
        params = {k: v for k, v in self.params.items() if v not in (None, "", [])}
        params["page"] = number
        return "?" + urlencode(params, doseq=True)

    def window(self, size: int = 2) -> list[int | None]:
        """Page numbers to show, with None where a run of pages is left out."""
        shown = sorted({1, self.pages, *range(self.number - size, self.number + size + 1)})
        out: list[int | None] = []
        for n in (n for n in shown if 1 <= n <= self.pages):
            if out and out[-1] is not None and n - out[-1] > 1:
                out.append(None)
            out.append(n)
        return out


async def paginate(query, count_query, number: int, per_page: int, params: dict[str, Any] | None = None) -> Page:
    total = await count_query
    last = max(1, -(-total // per_page))
    number = min(number, last)
    items = await query.limit(per_page).offset((number - 1) * per_page)
    return Page(items=items, number=number, per_page=per_page, total=total, params=params or {})


def page_of(items: list[Any], number: int, per_page: int, params: dict[str, Any] | None = None) -> Page:
    """A page of a list already read (a month's events, which its grid needs whole anyway)."""
    number = min(number, max(1, -(-len(items) // per_page)))
    start = (number - 1) * per_page
    return Page(items=items[start:start + per_page], number=number, per_page=per_page, total=len(items), params=params or {})
