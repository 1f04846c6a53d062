"""The audit trail as staff read it: entries filtered by object, person, dates and words, newest first,
each with its changed fields side by side."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

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


# What an entry records, in the reader's words (the code stays beside it, for searching); an
# action not named here shows by its code. tests/accounts/test_audit_trail.py finds every code the
# app writes and fails on one without a name.
ACTIONS = {
    "login": N_("Signed in"),
    "login.failed": N_("Sign-in failed"),
    "logout": N_("Signed out"),
    "logout.everywhere": N_("Signed out everywhere"),
    "signup": N_("Signed up"),
    "user.created": N_("Account created"),
    "user.activate": N_("Account reactivated"),
    "user.deactivate": N_("Account deactivated"),
    "user.role": N_("Role changed"),
    "user.reset_link": N_("Password link made"),
    "user.password_set": N_("Password set"),
    "user.sessions_ended": N_("Sessions ended"),
    "feed.token_created": N_("Private feed made"),
    "feed.token_revoked": N_("Private feed revoked"),
    "organisation.update": N_("Organisation details changed"),
    "product.create": N_("Product added"),
    "product.update": N_("Product changed"),
    "product.delete": N_("Product deleted"),
    "product.images": N_("Product photos changed"),
    "product.re_recognise": N_("Product re-recognised"),
    "product.import_create": N_("Product imported"),
    "product.import_update": N_("Product updated from a file"),
    "producer.import_create": N_("Producer imported"),
    "producer.import_update": N_("Producer updated from a file"),
    "distributor.import_create": N_("Distributor imported"),
    "distributor.import_update": N_("Distributor updated from a file"),
    "import.producers": N_("Producers imported"),
    "import.products": N_("Products imported"),
    "import.distributors": N_("Distributors imported"),
    "certification.add": N_("Certification added"),
    "certification.remove": N_("Certification removed"),
    "dossier.submit": N_("Re-recognition dossier sent"),
    "dossier.evaluate": N_("Evaluation recorded"),
    "dossier.recognise": N_("Re-recognised"),
    "dossier.refuse": N_("Not re-recognised"),
    "venue.created": N_("Venue added"),
    "venue.updated": N_("Venue changed"),
    "hall.created": N_("Hall added"),
    "hall.updated": N_("Hall changed"),
    "hall.deleted": N_("Hall deleted"),
    "event.created": N_("Event created"),
    "event.updated": N_("Event changed"),
    "event.opening_hours": N_("Opening hours changed"),
    "event.publish": N_("Event published"),
    "event.unpublish": N_("Event unpublished"),
    "event.close": N_("Event closed"),
    "event.reopen": N_("Event reopened"),
    "event.cancel": N_("Event cancelled"),
    "session.saved": N_("Programme session saved"),
    "session.deleted": N_("Programme session deleted"),
    "network.created": N_("Showroom network created"),
    "network.updated": N_("Showroom network changed"),
    "network.point_attached": N_("Showroom added to the network"),
    "network.point_detached": N_("Showroom taken out of the network"),
    "booths.grid": N_("Booths laid out in a grid"),
    "booths.add": N_("Booth added"),
    "booths.update": N_("Booth changed"),
    "booths.delete": N_("Booth deleted"),
    "booths.merge": N_("Booths merged"),
    "booths.split": N_("Booth split"),
    "booths.type_prices": N_("Booth prices changed"),
    "booths.feature_add": N_("Floor plan feature added"),
    "booths.feature_remove": N_("Floor plan feature removed"),
    "booths.apply": N_("Booth application sent"),
    "booths.approve": N_("Application approved"),
    "booths.waitlist": N_("Application waitlisted"),
    "booths.reject": N_("Application rejected"),
    "booths.confirm": N_("Booth confirmed"),
    "booths.cancel": N_("Application cancelled"),
    "booths.place": N_("Booth given"),
    "booths.release": N_("Booth freed"),
    "booths.offer": N_("Freed booth offered"),
    "booths.offer_lapsed": N_("Offer lapsed"),
    "booths.hold": N_("Booth held"),
    "booths.book": N_("Booth booked"),
    "booths.allocate": N_("Booths allocated"),
    "booths.allocation_rules": N_("Allocation rules changed"),
    "booths.allocation_pin": N_("Booth pinned for an application"),
    "booths.allocation_forbid": N_("Booth kept from an application"),
    "booths.allocation_unmark": N_("Allocation mark removed"),
    "conference.registered": N_("Registered for the conference"),
    "conference.unregistered": N_("Registration withdrawn"),
    "shortlist.add": N_("Product shortlisted"),
    "shortlist.remove": N_("Taken off the shortlist"),
    "meeting.requested": N_("Meeting requested"),
    "meeting.accepted": N_("Meeting request accepted"),
    "meeting.declined": N_("Meeting request declined"),
    "meeting.cancelled": N_("Meeting cancelled"),
    "meeting.placed": N_("Meeting placed"),
    "meeting.placed_all": N_("Meetings placed"),
    "meeting.unplaced": N_("Meeting taken off the schedule"),
    "schedule.terms": N_("Meeting terms set"),
    "schedule.previewed": N_("Schedule drafted"),
    "schedule.published": N_("Schedule published"),
    "schedule.pinned": N_("Meeting pinned"),
    "schedule.unpinned": N_("Meeting unpinned"),
    "schedule.left_out": N_("Meeting left out"),
    "mou.proposed": N_("MoU proposed"),
    "mou.agreed": N_("MoU agreed"),
    "mou.declined": N_("MoU declined"),
    "mou.withdrawn": N_("MoU withdrawn"),
    "mou.arranged": N_("MoU arranged by staff"),
    "mou.changed": N_("MoU changed"),
    "mou.slot_assigned": N_("Signing slot given"),
    "mou.slot_cleared": N_("Signing slot cleared"),
    "mou.ceremony_ordered": N_("Signing ceremony ordered"),
    "mou.signed": N_("MoU marked signed"),
    "mou.note_added": N_("Progress note added"),
    "mou.fulfilled": N_("MoU fulfilled"),
    "mou.lapsed": N_("MoU lapsed"),
}


def action_label(action: str) -> str:
    message = ACTIONS.get(action)
    return gettext(message) if message else ""


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


# How core.audit writes dates and moments (ISO, moments in UTC): read back, they show as every
# other date and time of the site, moments in Vietnam's time, rather than as 2026-12-08T07:40:00+00:00.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?\+00:00")


def _value(value: Any) -> Any:
    if isinstance(value, str):
        try:
            if _ISO_MOMENT.fullmatch(value):
                return dt.datetime.fromisoformat(value)
            if _ISO_DATE.fullmatch(value):
                return dt.date.fromisoformat(value)
        except ValueError:  # shaped like one, but no such day: the text as written
            return value
    return value


def _changes(before: str, after: str) -> list[dict]:
    """The changed fields: name, value before, value after (None where a side does not have it)."""
    try:
        old, new = json.loads(before or "{}"), json.loads(after or "{}")
    except ValueError:
        return []
    if not isinstance(old, dict) or not isinstance(new, dict):
        return []
    return [{"field": key, "before": _value(old.get(key)), "after": _value(new.get(key)), "had": key in old,
             "has": key in new} for key in dict.fromkeys([*old, *new])]


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
        row["detail"] = {key: _value(value) for key, value in detail.items()} if isinstance(detail, dict) else {}
        row["kind"] = kind_label(row["target_type"]) if row["target_type"] else ""
        row["action_label"] = action_label(row["action"])
    return page


async def _with_slugs(rows: list[dict]) -> None:
    """Products and producers have their public pages by slug: read the slugs of those shown."""
    for kind, table in (("product", Product), ("producer", Producer)):
        ids = {row["target_id"] for row in rows if row["target_type"] == kind and row["target_id"] is not None}
        slugs = {r["id"]: r["slug"] for r in await table.select(table.id, table.slug).where(table.id.is_in(list(ids)))} if ids else {}
        for row in rows:
            if row["target_type"] == kind:
                row["slug"] = slugs.get(row["target_id"])
