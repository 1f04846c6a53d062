"""Sessions begun before they knew their user learn it from their data; the audit trail's index by person."""

import json

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.querystring import QueryString

from events_app.core import constraints as sql

ID = "2026-12-01T16:30:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "session users from their data, audit index by actor"


async def _sessions_know_their_user() -> None:
    """Sessions begun before this migration: their user is in their data, as JSON."""
    engine = engine_finder()
    for row in await engine.run_querystring(QueryString("SELECT id, data FROM web_session")):
        try:
            user_id = json.loads(bytes(row["data"]).decode()).get("user_id")
        except (ValueError, AttributeError):
            continue
        if isinstance(user_id, int):
            await engine.run_querystring(QueryString("UPDATE web_session SET user_id = {} WHERE id = {}", user_id, row["id"]))


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="accounts", description=DESCRIPTION)

    async def run():
        await _sessions_know_their_user()
        # The audit trail filtered by person, newest first.
        await sql.index("audit_log", "audit_log_actor_idx", "actor, id")

    manager.add_raw(run)
    return manager
