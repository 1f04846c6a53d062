"""Values kept in the process between requests: a bounded least-recently-used map whose keys say
what each value was computed from (filters, `core.revisions.revision`, the date), so a value is
never stale, only unused, and falls out when the map is full.

A value asked for by several requests at once is computed once: the others wait for it.
`{% kept key %}…{% endkept %}` keeps a rendered part of a page the same way: the template passes
the key, which must name everything the part shows.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from typing import Awaitable, Callable, Generic, Hashable, TypeVar

from jinja2 import nodes
from jinja2.ext import Extension
from markupsafe import Markup

T = TypeVar("T")


class Kept(Generic[T]):
    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("a kept map holds at least one value")
        self.size = size
        self._values: OrderedDict[Hashable, T] = OrderedDict()
        self._computing: dict[Hashable, asyncio.Future[None]] = {}

    def __len__(self) -> int:
        return len(self._values)

    def clear(self) -> None:
        self._values.clear()

    def _keep(self, key: Hashable, value: T) -> None:
        self._values[key] = value
        if len(self._values) > self.size:
            self._values.popitem(last=False)

    def get_now(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The same, computed without waiting: for what is made on the spot (a rendered fragment)."""
        if key in self._values:
            self._values.move_to_end(key)
            return self._values[key]
        value = compute()
        self._keep(key, value)
        return value

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        """The value kept under `key`, computed by `compute()` if there is none."""
        while True:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
            computing = self._computing.get(key)
            if computing is None:
                break
            await asyncio.shield(computing)  # then look again: if that computation failed, this caller tries
        done = asyncio.get_running_loop().create_future()
        self._computing[key] = done
        try:
            value = await compute()
            self._keep(key, value)
            return value
        finally:
            del self._computing[key]
            done.set_result(None)


FRAGMENTS: Kept[Markup] = Kept(256)  # rendered parts of pages: some 30 KB each at most


class KeptFragments(Extension):
    """`{% kept key %}…{% endkept %}`: the body rendered once per key and kept in `FRAGMENTS`."""

    tags = {"kept"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        key = parser.parse_expression()
        body = parser.parse_statements(("name:endkept",), drop_needle=True)
        return nodes.CallBlock(self.call_method("_fragment", [key]), [], [], body).set_lineno(lineno)

    def _fragment(self, key: Hashable, caller: Callable[[], str]) -> Markup:
        return FRAGMENTS.get_now(key, lambda: Markup(caller()))
