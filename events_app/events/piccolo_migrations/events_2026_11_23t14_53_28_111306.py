"""Constraints and indexes of the events tables that column options cannot express (see events_app.core.constraints)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from events_app.core import constraints as sql

ID = "2026-11-23T14:53:28:111306"
VERSION = "1.38.0"
DESCRIPTION = "constraints and indexes"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="events", description=DESCRIPTION)

    async def run():
        await sql.unique_index("hall", "hall_venue_name_key", "venue, name")
        await sql.check("event", "event_ends_after_start", "{row}ends_at >= {row}starts_at")
        await sql.check("event", "event_min_stars_3_to_5", "{row}min_stars IS NULL OR {row}min_stars BETWEEN 3 AND 5")
        await sql.check(
            "event",
            "event_application_window",
            "{row}application_opens_at IS NULL OR {row}application_closes_at IS NULL "
            "OR {row}application_closes_at >= {row}application_opens_at",
        )
        await sql.check("event_session", "event_session_ends_after_start", "{row}ends_at > {row}starts_at")
        await sql.no_overlap(
            "event_session",
            "event_session_room_free",
            same=("event", "room"),
            start="starts_at",
            end="ends_at",
            inclusive=False,
            live="{row}room <> ''",
            pg_range="tstzrange(starts_at, ends_at)",
        )
        await sql.check("opening_hours", "opening_hours_weekday", "{row}weekday BETWEEN 0 AND 6")
        await sql.check("opening_hours", "opening_hours_closes_after_opening", "{row}closes_at > {row}opens_at")
        await sql.unique_index("attendance", "attendance_event_producer_key", "event, producer")
        await sql.unique_index("attendance", "attendance_event_distributor_key", "event, distributor")
        await sql.check(
            "attendance", "attendance_one_party", "({row}producer IS NULL) <> ({row}distributor IS NULL)"
        )
        await sql.index("event_session", "event_session_event_idx", "event")
        await sql.index("opening_hours", "opening_hours_event_idx", "event")

    manager.add_raw(run)
    return manager
