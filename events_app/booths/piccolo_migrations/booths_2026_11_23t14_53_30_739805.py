"""Constraints and indexes of the booths tables that column options cannot express (see events_app.core.constraints)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from events_app.core import constraints as sql

ID = "2026-11-23T14:53:30:739805"
VERSION = "1.38.0"
DESCRIPTION = "constraints and indexes"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booths", description=DESCRIPTION)

    async def run():
        await sql.unique_index("booth", "booth_event_code_key", "event, code")
        await sql.check("booth", "booth_size_positive", "{row}width > 0 AND {row}depth > 0")
        await sql.check("booth", "booth_price_not_negative", "{row}price >= 0")
        await sql.unique_index("application_product", "application_product_key", "application, product")
        await sql.unique_index("booth_preference", "booth_preference_rank_key", "application, rank")
        await sql.unique_index("booth_preference", "booth_preference_booth_key", "application, booth")
        await sql.check("booth_preference", "booth_preference_rank_1_to_3", "{row}rank BETWEEN 1 AND 3")
        await sql.check("booth_rental", "booth_rental_period", "{row}ends_on >= {row}starts_on")
        # One live booth per application.
        await sql.unique_index(
            "booth_rental", "booth_rental_one_per_application", "application", where="status <> 'cancelled'"
        )
        # One live rental per booth at any time: two producers never hold the same booth.
        await sql.no_overlap(
            "booth_rental",
            "booth_rental_no_overlap",
            same=("booth",),
            start="starts_on",
            end="ends_on",
            inclusive=True,
            live="{row}status <> 'cancelled'",
            pg_range="daterange(starts_on, ends_on, '[]')",
        )
        await sql.index("booth", "booth_event_idx", "event")
        await sql.index("booth_application", "booth_application_event_idx", "event")
        await sql.index("booth_application", "booth_application_producer_idx", "producer")
        await sql.index("booth_rental", "booth_rental_booth_idx", "booth")

    manager.add_raw(run)
    return manager
