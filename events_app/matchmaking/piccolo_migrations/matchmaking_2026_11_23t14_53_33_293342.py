"""Constraints and indexes of the matchmaking tables that column options cannot express (see events_app.core.constraints)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from events_app.core import constraints as sql

ID = "2026-11-23T14:53:33:293342"
VERSION = "1.38.0"
DESCRIPTION = "constraints and indexes"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="matchmaking", description=DESCRIPTION)

    async def run():
        await sql.unique_index("meeting_request", "meeting_request_pair_key", "event, producer, distributor")
        await sql.unique_index("meeting", "meeting_table_slot_key", "session, starts_at, table_number")
        await sql.unique_index("meeting", "meeting_producer_slot_key", "event, starts_at, producer")
        await sql.unique_index("meeting", "meeting_distributor_slot_key", "event, starts_at, distributor")
        await sql.check("meeting", "meeting_table_positive", "{row}table_number >= 1")
        await sql.index("meeting", "meeting_session_idx", "session")

    manager.add_raw(run)
    return manager
