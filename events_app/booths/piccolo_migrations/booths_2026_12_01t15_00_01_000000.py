"""Rules of the floor-plan editor's tables that column options cannot express: a feature's kind
and size, one price per booth type and fair."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from events_app.core import constraints as sql

ID = "2026-12-01T15:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "floor plan features and type prices: checks and keys"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booths", description=DESCRIPTION)

    async def run():
        await sql.check("plan_feature", "plan_feature_kind", "{row}kind IN ('aisle', 'entrance', 'stage', 'pillar')")
        await sql.check("plan_feature", "plan_feature_size_positive", "{row}width > 0 AND {row}depth > 0")
        await sql.index("plan_feature", "plan_feature_event_idx", "event")
        await sql.unique_index("booth_type_price", "booth_type_price_key", "event, booth_type")
        await sql.check("booth_type_price", "booth_type_price_not_negative", "{row}price >= 0")

    manager.add_raw(run)
    return manager
