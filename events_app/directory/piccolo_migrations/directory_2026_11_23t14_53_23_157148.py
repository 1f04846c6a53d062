"""Constraints and indexes of the directory tables that column options cannot express (see events_app.core.constraints)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from events_app.core import constraints as sql

ID = "2026-11-23T14:53:23:157148"
VERSION = "1.38.0"
DESCRIPTION = "constraints and indexes"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="directory", description=DESCRIPTION)

    async def run():
        await sql.check("product", "product_stars_3_to_5", "{row}stars BETWEEN 3 AND 5")
        await sql.certificate_validity("product", "product_valid_36_months")
        await sql.check("product", "product_price_not_negative", "{row}price IS NULL OR {row}price >= 0")
        await sql.check("sourcing_interest", "sourcing_interest_stars_3_to_5", "{row}min_stars BETWEEN 3 AND 5")
        await sql.index("product", "product_producer_idx", "producer")
        await sql.index("product", "product_group_idx", "\"group\"")
        await sql.index("sourcing_interest", "sourcing_interest_distributor_idx", "distributor")

    manager.add_raw(run)
    return manager
