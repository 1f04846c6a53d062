"""The audit log: who did what to which object, and from where."""

from __future__ import annotations

import json

from events_app.accounts.tables import AuditLog


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
