"""Constraints and indexes of the mou tables that column options cannot express (see events_app.core.constraints)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from events_app.core import constraints as sql

ID = "2026-11-23T14:53:35:416146"
VERSION = "1.38.0"
DESCRIPTION = "constraints and indexes"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="mou", description=DESCRIPTION)

    async def run():
        await sql.unique_index("mou_product", "mou_product_key", "mou, product")
        await sql.unique_index("mou", "mou_signing_slot_key", "signing_session, signing_at")
        await sql.check("mou", "mou_value_not_negative", "{row}value_vnd >= 0")
        await sql.index("mou", "mou_event_idx", "event")

    manager.add_raw(run)
    return manager
