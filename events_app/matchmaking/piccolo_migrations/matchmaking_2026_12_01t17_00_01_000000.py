"""Constraints of the working schedule and of participants' terms, as the meetings have theirs:
nobody and no table twice at one moment, one row of terms per participant, a fixed table held
by one producer only. The meetings already placed are copied into the working schedule, so that
it starts equal to what participants see."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.querystring import QueryString

from events_app.core import constraints as sql

ID = "2026-12-01T17:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "constraints of the working schedule and participants' terms"

COPY_MEETINGS = """
INSERT INTO planned_meeting (request, event, session, producer, distributor, starts_at, ends_at, table_number, pinned)
SELECT request, event, session, producer, distributor, starts_at, ends_at, table_number, {} FROM meeting
"""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="matchmaking", description=DESCRIPTION)

    async def run():
        await sql.index("meeting_request", "meeting_request_event_idx", "event")
        await sql.index("planned_meeting", "planned_meeting_event_idx", "event")
        await sql.check("planned_meeting", "planned_meeting_table_positive", "{row}table_number >= 1")
        for name, same in (
            ("planned_meeting_producer_free", ("event", "producer")),
            ("planned_meeting_distributor_free", ("event", "distributor")),
            ("planned_meeting_table_free", ("session", "table_number")),
        ):
            await sql.no_overlap("planned_meeting", name, same=same, start="starts_at", end="ends_at", inclusive=False,
                                 live="TRUE", pg_range="tstzrange(starts_at, ends_at)")
        await sql.unique_index("meeting_terms", "meeting_terms_producer_key", "event, producer",
                               where="producer IS NOT NULL")
        await sql.unique_index("meeting_terms", "meeting_terms_distributor_key", "event, distributor",
                               where="distributor IS NOT NULL")
        await sql.unique_index("meeting_terms", "meeting_terms_fixed_table_key", "event, fixed_table",
                               where="fixed_table IS NOT NULL")
        await sql.check("meeting_terms", "meeting_terms_one_party",
                        "({row}producer IS NULL) <> ({row}distributor IS NULL)")
        await sql.check("meeting_terms", "meeting_terms_bounds",
                        "({row}max_meetings IS NULL OR {row}max_meetings >= 0) AND "
                        "({row}fixed_table IS NULL OR {row}fixed_table >= 1) AND "
                        "({row}available_from IS NULL OR {row}available_until IS NULL "
                        "OR {row}available_from < {row}available_until)")
        engine = engine_finder()
        false = "FALSE" if engine.engine_type == "postgres" else "0"
        await engine.run_querystring(QueryString(COPY_MEETINGS.format(false)))

    manager.add_raw(run)
    return manager
