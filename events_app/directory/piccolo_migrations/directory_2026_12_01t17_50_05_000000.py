"""Two more kinds of compliance document kept as certifications: a standards declaration (tự công
bố sản phẩm) and a trademark (nhãn hiệu); the kind column widened for the longer name."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

from events_app.core import constraints as sql

ID = "2026-12-01T17:50:05:000000"
VERSION = "1.38.0"
DESCRIPTION = "certification kinds: standards declaration, trademark"

KINDS = ("vietgap", "globalgap", "haccp", "iso22000", "organic", "food_safety", "standards_declaration", "trademark")


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="directory", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        if engine.engine_type == "postgres":
            await engine.run_ddl("ALTER TABLE certification ALTER COLUMN kind TYPE VARCHAR(30)")
            await engine.run_ddl("ALTER TABLE certification DROP CONSTRAINT IF EXISTS certification_kind")
        else:  # SQLite keeps its checks as triggers (core.constraints.check), and no lengths
            for trigger in ("certification_kind_insert", "certification_kind_update"):
                await engine.run_ddl(f"DROP TRIGGER IF EXISTS {trigger}")
        await sql.check("certification", "certification_kind",
                        "{row}kind IN (" + ", ".join(f"'{kind}'" for kind in KINDS) + ")")

    manager.add_raw(run)
    return manager
