"""Narrower revision scopes: a fair's booths and exhibitors move that fair's own counter, not the
whole catalogue's, and the public calendar no longer follows bookings, meetings and MoUs, which
it does not show."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from events_app.core.revisions import install_triggers

ID = "2026-12-04T03:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "revision scope per fair"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)
    manager.add_raw(install_triggers)
    return manager
