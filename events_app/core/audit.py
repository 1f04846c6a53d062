"""The audit log: who did what to which object, when, from where, and what it was before and after.

An entry is written in the transaction of the change it records, so a change that is rolled back
leaves no entry and no change is saved without one: `audit()` refuses to run outside a transaction
unless the entry records an event that changes nothing else (a log-in, a log-out). The client's
address and the signed-in user come from the request being served (`set_origin`, called by the
web layer), so no domain has to carry them through its calls; an explicit value wins.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import json
from contextvars import ContextVar
from typing import Any, Iterable, Mapping

from piccolo.columns import ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.reference import LazyTableReference
from piccolo.engine.finder import engine_finder
from piccolo.table import Table


class AuditLog(Table):
    """One row per change staff or owners made. Part of the accounts app's migrations; the
    actor is named lazily so that every domain can write here without importing accounts.
    `before` and `after` hold the changed fields only, as JSON objects ("{}" when none)."""

    at = Timestamptz(default=TimestamptzNow(), index=True)
    actor = ForeignKey(
        references=LazyTableReference("User", module_path="events_app.accounts.tables"),
        null=True,
        on_delete=OnDelete.set_null,
    )
    action = Varchar(length=80, index=True)
    target_type = Varchar(length=60, default="")
    target_id = Integer(null=True, default=None)
    detail = Text(default="")
    ip = Varchar(length=64, default="")
    before = Text(default="{}")
    after = Text(default="{}")


class AuditOutsideTransaction(RuntimeError):
    """A change's audit entry must be written in the change's own transaction."""


# Who is asking and from where, for the request being served: (user id, client address).
_origin: ContextVar[tuple[int | None, str]] = ContextVar("audit_origin", default=(None, ""))


def set_origin(actor_id: int | None, ip: str) -> None:
    _origin.set((actor_id, ip[:64]))


def _plain(value: Any) -> Any:
    """A value as JSON holds it: dates and times in ISO form, enums by value, decimals as text."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.timezone.utc).isoformat()  # one form, whichever zone the value came in
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


_BOOKKEEPING = frozenset({"id", "updated_at"})  # changes with every write: no part of what changed


def _named(values: Mapping[Any, Any] | None) -> dict[str, Any]:
    """Keys as field names (a Piccolo column stands for its name), values made plain."""
    out: dict[str, Any] = {}
    for key, value in (values or {}).items():
        name = key if isinstance(key, str) else key._meta.name
        if name not in _BOOKKEEPING:
            out[name] = _plain(value)
    return out


def changed(before: Mapping[Any, Any] | None, after: Mapping[Any, Any] | None) -> tuple[dict, dict]:
    """The fields that differ between two states, each side keeping only those. A side that is
    None (a creation, a deletion) keeps all its fields and the other none."""
    old, new = _named(before), _named(after)
    if before is None or after is None:  # what was empty before a creation, or is gone after a deletion, is no news
        return {k: v for k, v in old.items() if v is not None}, {k: v for k, v in new.items() if v is not None}
    keys = [key for key in dict.fromkeys([*old, *new]) if old.get(key) != new.get(key)]
    return {k: old.get(k) for k in keys if k in old}, {k: new.get(k) for k in keys if k in new}


def _dump(value: Mapping[str, Any] | None) -> str:
    return json.dumps(value or {}, ensure_ascii=False, default=str, sort_keys=True)


def _check_transaction(alone: bool) -> None:
    if alone:
        return
    engine = engine_finder()
    if engine is not None and not engine.transaction_exists():
        raise AuditOutsideTransaction(
            "An audit entry is written in the transaction of the change it records (core.db.write_transaction)."
        )


def _entry(action: str, actor_id: int | None, target: tuple[str, int | None] | None, detail: str, ip: str,
           before: str, after: str) -> AuditLog:
    origin_actor, origin_ip = _origin.get()
    return AuditLog(
        action=action,
        actor=actor_id if actor_id is not None else origin_actor,
        target_type=target[0] if target else "",
        target_id=target[1] if target else None,
        detail=detail,
        ip=(ip or origin_ip)[:64],
        before=before,
        after=after,
    )


async def audit(
    action: str,
    *,
    actor_id: int | None = None,
    target: tuple[str, int | None] | None = None,
    detail: dict | None = None,
    ip: str = "",
    before: Mapping[Any, Any] | None = None,
    after: Mapping[Any, Any] | None = None,
    alone: bool = False,
) -> None:
    """Record a change. `before`/`after` are the object's fields before and after it (column or
    name → value); only the fields that differ are kept. `alone` marks an entry that is itself
    the whole event (a log-in), with no change of its own to share a transaction with."""
    _check_transaction(alone)
    old, new = changed(before, after) if (before is not None or after is not None) else ({}, {})
    await AuditLog.insert(
        _entry(action, actor_id, target, _dump(detail), ip, _dump(old), _dump(new))
    )


async def audit_many(
    action: str,
    targets: Iterable[tuple[str, int]],
    *,
    actor_id: int | None = None,
    detail: dict | None = None,
    ip: str = "",
    batch: int = 500,
) -> None:
    """One entry per target, for a change made to many rows at once (an import), inserted in batches."""
    _check_transaction(False)
    text = _dump(detail)
    targets = list(targets)
    for start in range(0, len(targets), batch):
        await AuditLog.insert(*(
            _entry(action, actor_id, target, text, ip, "{}", "{}") for target in targets[start:start + batch]
        ))
