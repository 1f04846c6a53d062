"""After the ceremony: progress notes on a signed MoU, marking it fulfilled, and lapsing the ones
whose due date passed unfulfilled. Lapsing happens when MoUs are read (`lapse_overdue`), in the
transaction of an audit entry, so no job has to run for a page to tell the truth."""

from __future__ import annotations

from dataclasses import dataclass

from events_app.core.audit import audit
from events_app.core.clock import now, today
from events_app.core.db import for_update, write_transaction
from events_app.core.errors import DomainError, NotFound, ValidationError
from events_app.core.i18n import N_
from events_app.matchmaking.parties import Participant
from events_app.mou import parties, rules
from events_app.mou.tables import Mou, MouNote, MouStatus

SIGNED = MouStatus.signed.value
LAPSED = MouStatus.lapsed.value


@dataclass(frozen=True)
class Author:
    """Who writes on an MoU: one of its parties (`participant`), or staff on the event's page (`event_id`)."""

    user_id: int
    name: str
    participant: Participant | None = None
    event_id: int | None = None


async def lapse_overdue(where=None) -> list[int]:
    """Mark lapsed every signed MoU (among `where`) whose due date has passed; returns their ids.
    A cheap read first: the write transaction is opened only when something is overdue."""
    overdue = (Mou.status == SIGNED) & Mou.due_on.is_not_null() & (Mou.due_on < today())
    condition = overdue if where is None else overdue & where
    if not await Mou.exists().where(condition):
        return []
    async with write_transaction():
        rows = await for_update(Mou.select(Mou.id, Mou.status, Mou.due_on).where(condition))
        lapsed = [row["id"] for row in rows if rules.overdue(row["status"], row["due_on"], today())]
        for mou_id in lapsed:
            status = rules.after("lapse", SIGNED)
            await Mou.update({Mou.status: status}).where((Mou.id == mou_id) & (Mou.status == SIGNED))
            await audit("mou.lapsed", target=("mou", mou_id), before={"status": SIGNED}, after={"status": status})
    return lapsed


async def notes_of(mou_id: int) -> list[dict]:
    return await MouNote.select(MouNote.id, MouNote.author_name, MouNote.body, MouNote.created_at).where(
        MouNote.mou == mou_id
    ).order_by(MouNote.created_at).order_by(MouNote.id)


async def _locked(mou_id: int, author: Author) -> dict:
    """The MoU, locked, if the author may write on it; anyone else learns nothing of it."""
    condition = Mou.id == mou_id
    if author.participant is not None:
        condition &= parties.involving(author.participant.side, author.participant.org_id)
    row = await for_update(Mou.select(Mou.id, Mou.status, Mou.event, Mou.due_on).where(condition)).first()
    if row is None:
        raise NotFound(N_("This MoU does not exist."))
    if author.participant is None and row["event"] != author.event_id:
        raise NotFound(N_("This MoU does not exist."))
    return row


def _note_errors(body: str) -> None:
    if not body.strip():
        raise ValidationError({"body": DomainError(N_("Write what happened."))})


async def add_note(mou_id: int, author: Author, body: str) -> int:
    """A progress note on a signed MoU (its length is the form's to bound)."""
    _note_errors(body)
    await lapse_overdue(Mou.id == mou_id)
    async with write_transaction():
        row = await _locked(mou_id, author)
        rules.check_follow_up(row["status"])
        rows = await MouNote.insert(MouNote(mou=mou_id, author=author.user_id, author_name=author.name,
                                            body=body.strip(), created_at=now()))
        await audit("mou.note_added", actor_id=author.user_id, target=("mou", mou_id), detail={"note": rows[0]["id"]})
    return rows[0]["id"]


async def fulfil(mou_id: int, author: Author, note: str = "") -> None:
    """A party or staff mark a signed MoU fulfilled (the delivery or first order happened), with an
    optional note of it. Past its due date it has lapsed first, and can no longer be fulfilled."""
    await lapse_overdue(Mou.id == mou_id)
    async with write_transaction():
        row = await _locked(mou_id, author)
        status = rules.after("fulfil", row["status"])
        moment = now()
        await Mou.update({Mou.status: status, Mou.fulfilled_at: moment}).where(Mou.id == mou_id)
        if note.strip():
            await MouNote.insert(MouNote(mou=mou_id, author=author.user_id, author_name=author.name,
                                         body=note.strip(), created_at=moment))
        await audit("mou.fulfilled", actor_id=author.user_id, target=("mou", mou_id),
                    before={"status": row["status"]}, after={"status": status})
