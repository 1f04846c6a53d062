"""Indexes of the MoU follow-up (after its columns exist: raw steps run before a migration's columns)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from events_app.core import constraints as sql

ID = "2026-12-01T17:10:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "indexes of MoU notes and due dates"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="mou", description=DESCRIPTION)

    async def run():
        await sql.index("mou_note", "mou_note_mou_idx", "mou, created_at")
        await sql.index("mou", "mou_due_idx", "status, due_on")

    manager.add_raw(run)
    return manager
