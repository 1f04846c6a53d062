"""Ranked product search: every product's search columns computed by the new recipe (the group in
Vietnamese only, the description and story added), then the index that answers the search — an
FTS5 trigram table kept by triggers on SQLite, pg_trgm GIN indexes on PostgreSQL (see
events_app.directory.search)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

from events_app.directory import search
from events_app.directory.services import refresh_search_text

ID = "2026-12-02T09:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "product search index"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="directory", description=DESCRIPTION)

    async def run():
        await refresh_search_text()
        engine = engine_finder()
        for statement in search.POSTGRES_INDEX if engine.engine_type == "postgres" else search.SQLITE_INDEX:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
