"""The audit log: who did what to which object, and from where."""

from __future__ import annotations

import json

from piccolo.columns import ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.reference import LazyTableReference
from piccolo.table import Table


class AuditLog(Table):
    """One row per change staff or owners made. Part of the accounts app's migrations; the
    actor is named lazily so that every domain can write here without importing accounts."""

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


async def audit(
    action: str,
    *,
    actor_id: int | None = None,
    target: tuple[str, int] | None = None,
    detail: dict | None = None,
    ip: str = "",
) -> None:
    await AuditLog.insert(
        AuditLog(
            action=action,
            actor=actor_id,
            target_type=target[0] if target else "",
            target_id=target[1] if target else None,
            detail=json.dumps(detail or {}, ensure_ascii=False),
            ip=ip,
        )
    )


async def audit_many(
    action: str,
    targets: list[tuple[str, int]],
    *,
    actor_id: int | None = None,
    detail: dict | None = None,
    ip: str = "",
    batch: int = 500,
) -> None:
    """One entry per target, for a change made to many rows at once (an import), inserted in batches."""
    text = json.dumps(detail or {}, ensure_ascii=False)
    for start in range(0, len(targets), batch):
        await AuditLog.insert(*(
            AuditLog(action=action, actor=actor_id, target_type=kind, target_id=target_id, detail=text, ip=ip)
            for kind, target_id in targets[start:start + batch]
        ))
