"""A standards declaration (tự công bố sản phẩm) has no end date: it stands while the product is
made as declared (Nghị định 15/2018/NĐ-CP). `certification.valid_until` may be empty for that kind
only; every other certification and compliance document still ends on a day.

PostgreSQL drops the NOT NULL and adds the check. SQLite cannot change a column, so the table is
made again with the column nullable, its rows copied, and its indexes and rule triggers made again
(nothing refers to a certification, so no foreign key points at the table being replaced).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

from events_app.core import constraints as sql

ID = "2026-12-04T02:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "certification: a standards declaration without an end date"

KINDS = ("vietgap", "globalgap", "haccp", "iso22000", "organic", "food_safety", "standards_declaration", "trademark")
OPEN_ENDED = "{row}valid_until IS NOT NULL OR {row}kind = 'standards_declaration'"

SQLITE_TABLE = (
    'CREATE TABLE "certification_new" ("id" INTEGER PRIMARY KEY NOT NULL, '
    '"product" INTEGER REFERENCES "product" ("id") ON DELETE CASCADE ON UPDATE CASCADE DEFAULT null, '
    '"producer" INTEGER REFERENCES "producer" ("id") ON DELETE CASCADE ON UPDATE CASCADE DEFAULT null, '
    '"kind" VARCHAR(30) NOT NULL DEFAULT \'\', "number" VARCHAR(80) NOT NULL DEFAULT \'\', '
    '"issuer" VARCHAR(200) NOT NULL DEFAULT \'\', "valid_from" DATE NOT NULL DEFAULT CURRENT_DATE, '
    '"valid_until" DATE DEFAULT null, "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)'
)
COLUMNS = '"id", "product", "producer", "kind", "number", "issuer", "valid_from", "valid_until", "created_at"'


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="directory", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        if engine.engine_type == "postgres":
            await engine.run_ddl("ALTER TABLE certification ALTER COLUMN valid_until DROP NOT NULL")
            await engine.run_ddl("ALTER TABLE certification ALTER COLUMN valid_until DROP DEFAULT")
        else:
            await engine.run_ddl(SQLITE_TABLE)
            await engine.run_ddl(f"INSERT INTO certification_new ({COLUMNS}) SELECT {COLUMNS} FROM certification")
            await engine.run_ddl("DROP TABLE certification")  # its triggers and indexes go with it
            await engine.run_ddl("ALTER TABLE certification_new RENAME TO certification")
            await sql.check("certification", "certification_one_holder",
                            "({row}product IS NULL) <> ({row}producer IS NULL)")
            await sql.check("certification", "certification_period", "{row}valid_until >= {row}valid_from")
            await sql.check("certification", "certification_kind",
                            "{row}kind IN (" + ", ".join(f"'{kind}'" for kind in KINDS) + ")")
            await sql.index("certification", "certification_product_idx", "product")
            await sql.index("certification", "certification_producer_idx", "producer")
        await sql.check("certification", "certification_end_date", OPEN_ENDED)

    manager.add_raw(run)
    return manager
