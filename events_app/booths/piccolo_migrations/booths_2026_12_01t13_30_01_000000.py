"""One hold per producer and fair (the table's own unique booth column keeps one per booth)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from events_app.core import constraints as sql

ID = "2026-12-01T13:30:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "booth holds: one per producer"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booths", description=DESCRIPTION)

    async def run():
        await sql.unique_index("booth_hold", "booth_hold_one_per_producer", "event, producer")

    manager.add_raw(run)
    return manager
