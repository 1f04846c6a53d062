"""Each product's history of recognitions, kept by the database.

Every state a product's recognition takes (stars, certificate number, its dates) is appended to
`recognition` by triggers on `product`, in the writing transaction, whichever code path writes:
a re-recognition, a producer correcting its certificate, an import, the demo. A row is appended
only when the product's new values differ from its newest row, so a service that writes the row
itself first, with who decided and the dossier behind it, is not recorded twice.
"""

from __future__ import annotations

from piccolo.engine.finder import engine_finder

_COLUMNS = "product, stars, certificate_number, certified_on, valid_until, dossier, decided_by, created_at"
_WATCHED = ("stars", "certificate_number", "certified_on", "valid_until")


def _newest_differs(row: str) -> str:
    same = " AND ".join(f"newest.{column} = {row}.{column}" for column in _WATCHED)
    return (f"NOT EXISTS (SELECT 1 FROM recognition AS newest WHERE newest.id = "
            f"(SELECT max(id) FROM recognition WHERE product = {row}.id) AND {same})")


def _values(row: str, moment: str) -> str:
    return f"{row}.id, {row}.stars, {row}.certificate_number, {row}.certified_on, {row}.valid_until, NULL, NULL, {moment}"


# SQLite keeps a timestamptz as Piccolo writes one: ISO text in UTC with its offset.
_SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now') || '+00:00'"

PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION record_recognition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF {_newest_differs("NEW")} THEN
    INSERT INTO recognition ({_COLUMNS}) VALUES ({_values("NEW", "now()")});
  END IF;
  RETURN NULL;
END
$$
"""


def trigger_statements(engine_type: str) -> list[str]:
    if engine_type == "postgres":
        return [
            PG_FUNCTION,
            "DROP TRIGGER IF EXISTS recognition_of_product ON product",
            f"CREATE TRIGGER recognition_of_product AFTER INSERT OR UPDATE OF {', '.join(_WATCHED)} ON product "
            "FOR EACH ROW EXECUTE FUNCTION record_recognition()",
        ]
    insert = f"INSERT INTO recognition ({_COLUMNS}) VALUES ({_values('NEW', _SQLITE_NOW)})"
    return [
        "DROP TRIGGER IF EXISTS recognition_of_product_insert",
        f"CREATE TRIGGER recognition_of_product_insert AFTER INSERT ON product BEGIN {insert}; END",
        "DROP TRIGGER IF EXISTS recognition_of_product_update",
        f"CREATE TRIGGER recognition_of_product_update AFTER UPDATE OF {', '.join(_WATCHED)} ON product "
        f"WHEN {_newest_differs('NEW')} BEGIN {insert}; END",
    ]


async def backfill() -> None:
    """One row per product that has none yet: its current recognition, dated when it was added."""
    await engine_finder().run_ddl(
        f"INSERT INTO recognition ({_COLUMNS}) SELECT {_values('product', 'product.created_at')} FROM product "
        "WHERE NOT EXISTS (SELECT 1 FROM recognition WHERE recognition.product = product.id)"
    )


async def install_triggers() -> None:
    engine = engine_finder()
    for statement in trigger_statements(engine.engine_type):
        await engine.run_ddl(statement)
