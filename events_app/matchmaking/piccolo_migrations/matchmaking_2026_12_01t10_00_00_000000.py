"""A party, or a table, is never in two meetings whose times overlap, whatever their sessions.

The unique indexes of the first migration only refuse two meetings that start at the same
moment; two B2B sessions whose slots are offset (09:45 and 09:55) let one producer be booked
twice. Exclusion constraints (PostgreSQL) and triggers (SQLite) now refuse any overlap.

Meetings that already overlap are unplaced first, the later-placed one of each clash, so that
the constraints can be added; their accepted requests wait for a slot again.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.querystring import QueryString

from events_app.core import constraints as sql

ID = "2026-12-01T10:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "no overlapping meetings of a party or a table"

# The lowest-numbered meeting that overlaps one placed before it (by a party, or by a table of
# its session). Unplacing these one at a time keeps every meeting that clashed with none kept.
FIRST_CLASH = """
SELECT later.id FROM meeting AS later JOIN meeting AS earlier
  ON earlier.id < later.id AND earlier.starts_at < later.ends_at AND later.starts_at < earlier.ends_at
 AND ((earlier.event = later.event AND (earlier.producer = later.producer OR earlier.distributor = later.distributor))
      OR (earlier.session = later.session AND earlier.table_number = later.table_number))
ORDER BY later.id LIMIT 1
"""


async def unplace_clashes() -> None:
    engine = engine_finder()
    while rows := await engine.run_querystring(QueryString(FIRST_CLASH)):
        await engine.run_querystring(QueryString("DELETE FROM meeting WHERE id = {}", rows[0]["id"]))


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="matchmaking", description=DESCRIPTION)

    async def run():
        await unplace_clashes()
        for name, same in (
            ("meeting_producer_free", ("event", "producer")),
            ("meeting_distributor_free", ("event", "distributor")),
            ("meeting_table_free", ("session", "table_number")),
        ):
            await sql.no_overlap(
                "meeting",
                name,
                same=same,
                start="starts_at",
                end="ends_at",
                inclusive=False,  # a meeting may start the moment the one before ends
                live="TRUE",  # every placed meeting holds its parties and its table
                pg_range="tstzrange(starts_at, ends_at)",
            )

    manager.add_raw(run)
    return manager
