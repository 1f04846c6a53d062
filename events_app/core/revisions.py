"""Cheap version keys: a counter per scope that moves with every committed write to its tables.

The catalogue, its printed copies and the calendar feeds are costly to build at national scale
and change rarely. Their caches and ETags are keyed by `revision(scope)`: one indexed read,
where hashing what they show would mean reading all of it first.

Database triggers (installed by `install_triggers`, from a migration) bump the counter inside
the writing transaction, so a reader sees the new number exactly when it can see the new data,
and every write counts, whichever code path made it: services, imports, the demo, raw SQL.
On PostgreSQL the bump is a deferred trigger, run at commit and once per scope per transaction:
the counter's row is locked last and briefly, never while a transaction still waits for a
booth or a slot, so it cannot deadlock with the locks the services take.
"""

from __future__ import annotations

from piccolo.columns import BigInt, Varchar
from piccolo.engine.finder import engine_finder
from piccolo.table import Table

from events_app.core.db import PooledSQLiteEngine

CATALOGUE = "catalogue"
CALENDAR = "calendar"

# What each scope shows, by table. A table may feed several scopes.
SCOPES: dict[str, tuple[str, ...]] = {
    CATALOGUE: (
        "region", "province", "former_province", "product_group",
        "producer", "product", "distributor",
        "venue", "hall", "event", "booth", "booth_application", "application_product", "booth_rental",
    ),
    CALENDAR: (
        "venue", "hall", "event", "event_session", "opening_hours", "booth", "booth_rental", "attendance",
        "producer", "distributor", "meeting", "mou",
    ),
}


class Revision(Table):
    scope = Varchar(length=40, unique=True)
    number = BigInt(default=0)


async def revision(*scopes: str) -> str:
    """A short key that changes whenever a committed write touched a table of these scopes."""
    unknown = set(scopes) - SCOPES.keys()
    if unknown or not scopes:
        raise ValueError(f"unknown revision scopes: {sorted(unknown) or 'none given'}")
    rows = _read_at_once(scopes)
    if rows is None:
        rows = await Revision.select(Revision.scope, Revision.number).where(Revision.scope.is_in(list(scopes)))
    numbers = {row["scope"]: row["number"] for row in rows}
    return ".".join(str(numbers.get(scope, 0)) for scope in scopes)


def _read_at_once(scopes: tuple[str, ...]) -> list[dict] | None:
    db = engine_finder()
    if not isinstance(db, PooledSQLiteEngine):
        return None
    marks = ", ".join("?" for _ in scopes)
    return db.read_at_once(f'SELECT "scope", "number" FROM "revision" WHERE "scope" IN ({marks})', list(scopes))


def tables_by_scope() -> dict[str, list[str]]:
    """Each table with the scopes it feeds."""
    out: dict[str, list[str]] = {}
    for scope, tables in SCOPES.items():
        for table in tables:
            out.setdefault(table, []).append(scope)
    return out


def _quoted(scopes: list[str]) -> str:
    return ", ".join(f"'{scope}'" for scope in scopes)


# Once per scope per transaction: a transaction-local setting remembers the bump (a savepoint
# rolled back forgets it together with the bump itself).
PG_FUNCTION = """
CREATE OR REPLACE FUNCTION bump_revision() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  scope_name text;
BEGIN
  FOREACH scope_name IN ARRAY TG_ARGV LOOP
    IF coalesce(current_setting('revision.' || scope_name, true), '') <> 'bumped' THEN
      INSERT INTO revision (scope, number) VALUES (scope_name, 1)
        ON CONFLICT (scope) DO UPDATE SET number = revision.number + 1;
      PERFORM set_config('revision.' || scope_name, 'bumped', true);
    END IF;
  END LOOP;
  RETURN NULL;
END
$$
"""


def trigger_statements(engine_type: str) -> list[str]:
    statements = [PG_FUNCTION] if engine_type == "postgres" else []
    for table, scopes in tables_by_scope().items():
        if engine_type == "postgres":
            arguments = _quoted(scopes)
            statements += [
                f"DROP TRIGGER IF EXISTS revision_{table} ON {table}",
                f"CREATE CONSTRAINT TRIGGER revision_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_revision({arguments})",
            ]
            continue
        bump = (
            f"UPDATE revision SET number = number + 1 WHERE scope IN ({_quoted(scopes)})"
        )
        for action in ("INSERT", "UPDATE", "DELETE"):
            name = f"revision_{table}_{action.lower()}"
            statements += [
                f"DROP TRIGGER IF EXISTS {name}",
                f"CREATE TRIGGER {name} AFTER {action} ON {table} BEGIN {bump}; END",
            ]
    return statements


async def install_triggers() -> None:
    """Every scope's counter row, and the triggers that move it. Safe to run again."""
    engine = engine_finder()
    for scope in SCOPES:
        await engine.run_ddl(
            f"INSERT INTO revision (scope, number) VALUES ('{scope}', 1) ON CONFLICT (scope) DO NOTHING"
        )
    for statement in trigger_statements(engine.engine_type):
        await engine.run_ddl(statement)
