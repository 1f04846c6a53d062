"""Re-recognition: one open dossier per product, one reminder per address and day, and the history
of every product: backfilled with its current recognition, then kept by triggers."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from events_app.core import constraints as sql
from events_app.recognition.history import backfill, install_triggers

ID = "2026-12-01T17:40:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "re-recognition: constraints, history backfilled and its triggers"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="recognition", description=DESCRIPTION)

    async def run():
        await sql.unique_index("dossier", "dossier_one_open_per_product", "product",
                               where="status IN ('submitted', 'evaluated')")
        await sql.index("dossier", "dossier_product", "product")
        await sql.check("dossier", "dossier_new_stars", "{row}new_stars IS NULL OR {row}new_stars IN (3, 4, 5)")
        await sql.index("recognition", "recognition_product", "product, id")
        await sql.unique_index("reminder_sent", "reminder_sent_once_a_day", "recipient, day")
        await backfill()
        await install_triggers()

    manager.add_raw(run)
    return manager
