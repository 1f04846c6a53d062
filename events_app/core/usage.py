"""Questions a lower domain asks about its rows that only a higher one can answer.

"Does any booth stand in this hall?" is asked by the events domain before it deletes a hall, but
booths sit above events. The lower domain names the question (`Question`); the higher one
answers it at start-up (`answer`), wired in the app factory. Asking a question nobody answers
fails loudly rather than letting a delete through unchecked.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable

# Given row ids, what uses each of them (ids that nothing uses may be left out).
Answer = Callable[[list[int]], Awaitable[dict[int, list[Any]]]]


class Question:
    """One question about a row, answered by the domains that use that row."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._answers: dict[str, Answer] = {}

    def answer(self, domain: str, answer: Answer) -> None:
        """Register `domain`'s answer; registering again replaces it."""
        self._answers[domain] = answer

    async def ask_many(self, row_ids: list[int]) -> dict[int, list[Any]]:
        if not self._answers:
            raise RuntimeError(f"No domain answers {self.name!r}: is the app wired (events_app.web.wiring)?")
        uses: dict[int, list[Any]] = {row_id: [] for row_id in row_ids}
        for answer in self._answers.values():
            for row_id, found in (await answer(row_ids) if row_ids else {}).items():
                uses.setdefault(row_id, []).extend(found)
        return uses

    async def ask(self, row_id: int) -> list[Any]:
        """What uses this row; empty when nothing does."""
        return (await self.ask_many([row_id]))[row_id]
