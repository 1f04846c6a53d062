"""The audit trail as staff read it: entries filtered by object, person, dates and words, newest first,
each with its changed fields side by side."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from events_app.accounts.tables import User
from events_app.core import bounds
from events_app.core.audit import AuditLog
from events_app.core.clock import LOCAL_TZ
from events_app.core.i18n import N_, gettext
from events_app.core.pagination import Page, paginate
from events_app.core.text import like_fragment
from events_app.directory.tables import Producer, Product

ENTRIES_PER_PAGE = 50

# What an entry's object is, in the reader's words; an unknown kind shows as written.
OBJECT_KINDS = {
    "user": N_("Account"),
    "event": N_("Event"),
    "venue": N_("Venue"),
    "hall": N_("Hall"),
    "session": N_("Programme session"),
    "booth": N_("Booth"),
    "booth_application": N_("Booth application"),
    "plan_feature": N_("Floor plan feature"),
    "producer": N_("Producer"),
    "distributor": N_("Distributor"),
    "product": N_("Product"),
    "mou": N_("MoU"),
    "meeting": N_("Meeting"),
    "meeting_request": N_("Meeting request"),
    "dossier": N_("Re-recognition dossier"),
    "showroom_network": N_("Showroom network"),
}


def kind_label(kind: str) -> str:
    message = OBJECT_KINDS.get(kind)
    return gettext(message) if message else kind


@dataclass
class TrailFilters:
    target_type: str = ""
    target_id: int | None = None
    person: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    query: str = ""

    def params(self) -> dict:
        return {
            "type": self.target_type, "id": self.target_id, "person": self.person,
            "from": self.since.isoformat() if self.since else "", "to": self.until.isoformat() if self.until else "",
            "q": self.query,
        }


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=LOCAL_TZ)


def _needle(text: str) -> str:
    words = like_fragment(" ".join(text.split())[: bounds.SEARCH_LENGTH]).lower()
    return f"%{words}%" if words else ""


def _changes(before: str, after: str) -> list[dict]:
    """The changed fields: name, value before, value after (None where a side does not have it)."""
    try:
        old, new = json.loads(before or "{}"), json.loads(after or "{}")
    except ValueError:
        return []
    return [{"field": key, "before": old.get(key), "after": new.get(key), "had": key in old, "has": key in new}
            for key in dict.fromkeys([*old, *new])]


async def object_kinds() -> list[tuple[str, str]]:
    """The kinds of object the trail holds entries for, as (value, label), by label."""
    rows = await AuditLog.select(AuditLog.target_type).distinct().where(AuditLog.target_type != "")
    return sorted(((r["target_type"], kind_label(r["target_type"])) for r in rows), key=lambda pair: pair[1])


async def entries(filters: TrailFilters, number: int) -> Page:
    rows = AuditLog.select(
        AuditLog.id, AuditLog.at, AuditLog.action, AuditLog.target_type, AuditLog.target_id, AuditLog.detail,
        AuditLog.ip, AuditLog.before, AuditLog.after, AuditLog.actor,
        AuditLog.actor.email.as_alias("actor_email"), AuditLog.actor.name.as_alias("actor_name"),
    ).order_by(AuditLog.id, ascending=False)
    count = AuditLog.count()
    conditions = []
    if filters.target_type:
        conditions.append(AuditLog.target_type == filters.target_type)
    if filters.target_id is not None:
        conditions.append(AuditLog.target_id == filters.target_id)
    if needle := _needle(filters.person):
        people = User.select(User.id).where(User.email.ilike(needle) | User.name.ilike(needle))
        conditions.append(AuditLog.actor.is_in(people))
    if filters.since:
        conditions.append(AuditLog.at >= _local_midnight(filters.since))
    if filters.until:
        conditions.append(AuditLog.at < _local_midnight(filters.until + dt.timedelta(days=1)))
    if needle := _needle(filters.query):
        conditions.append(
            AuditLog.action.ilike(needle) | AuditLog.detail.ilike(needle) | AuditLog.before.ilike(needle)
            | AuditLog.after.ilike(needle) | AuditLog.ip.ilike(needle)
        )
    for condition in conditions:
        rows, count = rows.where(condition), count.where(condition)
    page = await paginate(rows, count, number, ENTRIES_PER_PAGE, params=filters.params())
    await _with_slugs(page.items)
    for row in page.items:
        row["changes"] = _changes(row["before"], row["after"])
        try:
            detail = json.loads(row["detail"] or "{}")
        except ValueError:
            detail = {}
        row["detail"] = detail if isinstance(detail, dict) else {}
        row["kind"] = kind_label(row["target_type"]) if row["target_type"] else ""
    return page


async def _with_slugs(rows: list[dict]) -> None:
    """Products and producers have their public pages by slug: read the slugs of those shown."""
    for kind, table in (("product", Product), ("producer", Producer)):
        ids = {row["target_id"] for row in rows if row["target_type"] == kind and row["target_id"] is not None}
        slugs = {r["id"]: r["slug"] for r in await table.select(table.id, table.slug).where(table.id.is_in(list(ids)))} if ids else {}
        for row in rows:
            if row["target_type"] == kind:
                row["slug"] = slugs.get(row["target_id"])
