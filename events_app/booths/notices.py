"""Telling a producer what happened to its booth application: approved, moved, waitlisted,
rejected, confirmed, cancelled, offered a freed booth, the offer lapsed, its place in line moved.

A notice is written by the decision itself, inside its transaction, so a change rolled back
leaves no notice behind and a committed one always has its notice. Places in line move as a
side effect of other decisions (someone ahead is offered a booth, withdraws, an allocation
ranks the line again); `watching_line` notes the places of a fair's line before a decision and
tells everyone whose place differs after it. Watches nest: a decision made inside another (an
allocation approving a hundred applications) is compared once, when the outermost one ends.

The text is made when shown, in the reader's language, from the kind and its parameters.
"""

from __future__ import annotations

import json
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import AsyncIterator

from events_app.booths import services
from events_app.booths.tables import ApplicationNotice, BoothApplication, NoticeKind
from events_app.core.clock import now
from events_app.core.db import write_transaction
from events_app.core.errors import NotFound
from events_app.core.i18n import N_, format_datetime, gettext
from events_app.core.templating import localized

SHOWN = 50  # unread notices listed at most; the count says how many there are

K = NoticeKind
TEXTS = {
    K.approved.value: N_("%(event)s: your application was approved with booth %(code)s. Confirm the booth on this page."),
    K.moved.value: N_("%(event)s: your booth was moved to %(code)s. Confirm the new booth on this page."),
    K.waitlisted.value: N_("%(event)s: your application was put on the waiting list."),
    K.rejected.value: N_("%(event)s: your application was rejected."),
    K.confirmed.value: N_("%(event)s: booth %(code)s is confirmed. Your confirmation letter can be downloaded."),
    K.cancelled.value: N_("%(event)s: your application was cancelled; its booth is free again."),
    K.offered.value: N_("%(event)s: booth %(code)s was freed and is offered to you, the first in line. "
                        "Confirm it by %(deadline)s, or it goes to the next application."),
    K.lapsed.value: N_("%(event)s: the offer of booth %(code)s lapsed at %(deadline)s without a confirmation; "
                       "it went to the next in line."),
    K.line_moved.value: N_("%(event)s: your place on the waiting list moved from number %(before)d to number %(after)d."),
}
REASON = N_("Reason: %(reason)s")


async def tell(application: dict, kind: str, **params) -> None:
    """Write a notice of `application` (a row with its id and producer); inside the caller's transaction."""
    await ApplicationNotice.insert(ApplicationNotice(
        application=application["id"], producer=application["producer"], kind=kind,
        params=json.dumps({k: v for k, v in params.items() if v not in (None, "")}, ensure_ascii=False, default=str),
    ))


# Places in line ---------------------------------------------------------------------------------

class LineWatch:
    """Places in line of the fairs a decision touches, as they were before it."""

    def __init__(self) -> None:
        self.before: dict[int, dict[int, int]] = {}

    async def event(self, event_id: int) -> None:
        """Note the line of this event, the first time only: call it before changing anything."""
        if event_id not in self.before:
            self.before[event_id] = await services.places_in_line([event_id])

    async def tell(self) -> None:
        for event_id, before in self.before.items():
            after = await services.places_in_line([event_id])
            moved = {a: (before[a], place) for a, place in after.items() if a in before and before[a] != place}
            if not moved:
                continue
            for row in await BoothApplication.select(BoothApplication.id, BoothApplication.producer).where(
                BoothApplication.id.is_in(sorted(moved))
            ).order_by(BoothApplication.id):
                was, now_at = moved[row["id"]]
                await tell(row, K.line_moved.value, before=was, after=now_at)


_watch: ContextVar[LineWatch | None] = ContextVar("line_watch", default=None)


@asynccontextmanager
async def watching_line() -> AsyncIterator[LineWatch]:
    """Tell those whose place in line a decision moved, when it ends without an error. Inside
    the decision's transaction; a watch inside another is the outer one."""
    outer = _watch.get()
    if outer is not None:
        yield outer
        return
    watch = LineWatch()
    token = _watch.set(watch)
    try:
        yield watch
        await watch.tell()
    finally:
        _watch.reset(token)


# Reading ------------------------------------------------------------------------------------------

def _params(value) -> dict:
    if isinstance(value, str):  # SQLite keeps JSON as text
        return json.loads(value or "{}")
    return dict(value or {})


def notice_text(kind: str, params: dict, event_title: str) -> str:
    """The notice as the reader reads it, with the reason given when there is one."""
    values = {**params, "event": event_title}
    if "deadline" in values:
        from datetime import datetime

        values["deadline"] = format_datetime(datetime.fromisoformat(values["deadline"]))
    values.setdefault("code", "—")
    text = gettext(TEXTS.get(kind, TEXTS[K.approved.value])) % values
    if params.get("reason"):
        text += " " + gettext(REASON) % {"reason": params["reason"]}
    return text


async def unread_count(producer_id: int) -> int:
    return await ApplicationNotice.count().where(
        (ApplicationNotice.producer == producer_id) & ApplicationNotice.read_at.is_null()
    )


async def unread(producer_id: int, limit: int = SHOWN) -> list[dict]:
    """The producer's unread notices, the latest first, each with its text."""
    rows = await ApplicationNotice.select(
        ApplicationNotice.id, ApplicationNotice.application, ApplicationNotice.kind, ApplicationNotice.params,
        ApplicationNotice.created_at,
        ApplicationNotice.application.event.title_vi.as_alias("title_vi"),
        ApplicationNotice.application.event.title_en.as_alias("title_en"),
    ).where(
        (ApplicationNotice.producer == producer_id) & ApplicationNotice.read_at.is_null()
    ).order_by(ApplicationNotice.created_at, ascending=False).order_by(ApplicationNotice.id, ascending=False).limit(limit)
    return [{**row, "text": notice_text(row["kind"], _params(row["params"]), localized(row))} for row in rows]


async def mark_read(producer_id: int, notice_id: int | None = None) -> int:
    """Mark one of the producer's notices read, or all of them; how many were unread.

    Another producer's notice is not found, as its other objects are; one read already is fine."""
    where = (ApplicationNotice.producer == producer_id) & ApplicationNotice.read_at.is_null()
    if notice_id is not None:
        where = where & (ApplicationNotice.id == notice_id)
    async with write_transaction():
        if notice_id is not None and not await ApplicationNotice.exists().where(
                (ApplicationNotice.producer == producer_id) & (ApplicationNotice.id == notice_id)):
            raise NotFound(N_("This notice does not exist."))
        count = await ApplicationNotice.count().where(where)
        await ApplicationNotice.update({ApplicationNotice.read_at: now()}).where(where)
    return count
