"""Application notices found by their producer, unread ones first, and by their application."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from events_app.core import constraints as sql

ID = "2026-12-01T15:30:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "application notices: indexes"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booths", description=DESCRIPTION)

    async def run():
        # Every page a producer opens counts its unread notices.
        await sql.index("application_notice", "application_notice_unread", "producer, read_at")
        await sql.index("application_notice", "application_notice_application", "application")

    manager.add_raw(run)
    return manager
