"""Constraints and indexes of the accounts tables that column options cannot express (see events_app.core.constraints)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from events_app.core import constraints as sql

ID = "2026-11-23T14:53:25:703729"
VERSION = "1.38.0"
DESCRIPTION = "constraints and indexes"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="accounts", description=DESCRIPTION)

    async def run():
        await sql.check("app_user", "app_user_role_owns_profile", "({row}role <> 'producer' OR {row}producer IS NOT NULL) AND ({row}role <> 'distributor' OR {row}distributor IS NOT NULL)")
        await sql.index("audit_log", "audit_log_target_idx", "target_type, target_id")

    manager.add_raw(run)
    return manager
