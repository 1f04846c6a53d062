"""Index of showroom points by network (raw statements run before a migration's columns, so apart)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from events_app.core import constraints as sql

ID = "2026-12-01T16:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "index of showroom points by network"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="events", description=DESCRIPTION)

    async def run():
        await sql.index("event", "event_network_idx", "network")

    manager.add_raw(run)
    return manager
