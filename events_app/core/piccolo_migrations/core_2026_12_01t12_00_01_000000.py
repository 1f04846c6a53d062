"""The triggers that move the revision counters with every write to the tables they watch.

Piccolo runs a migration's raw steps before its tables are made, so this comes after the
migration that makes the counters' table.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from events_app.core.revisions import install_triggers

ID = "2026-12-01T12:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "revision triggers"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)
    manager.add_raw(install_triggers)
    return manager
