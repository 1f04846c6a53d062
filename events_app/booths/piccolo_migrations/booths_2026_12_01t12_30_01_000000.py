"""Marks on an allocation: one per application and booth, one pin per application, one per booth."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from events_app.core import constraints as sql

ID = "2026-12-01T12:30:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "allocation marks: unique pins"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booths", description=DESCRIPTION)

    async def run():
        await sql.unique_index("allocation_mark", "allocation_mark_key", "application, booth")
        await sql.unique_index("allocation_mark", "allocation_mark_one_pin", "application", where="kind = 'pin'")
        await sql.unique_index("allocation_mark", "allocation_mark_booth_pinned_once", "booth", where="kind = 'pin'")
        await sql.check("allocation_mark", "allocation_mark_kind", "{row}kind IN ('pin', 'forbid')")

    manager.add_raw(run)
    return manager
