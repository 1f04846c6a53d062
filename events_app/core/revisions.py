"""Cheap version keys: a counter per scope that moves with every committed write to its tables.

The catalogue, its printed copies and the calendar feeds are costly to build at national scale
and change rarely. Their caches and ETags are keyed by `revision(scope)`: one indexed read,
where hashing what they show would mean reading all of it first.

Scopes are as narrow as what they key: the directory and the places (`CATALOGUE`), the public
calendar (`CALENDAR`), and one scope per fair for its booths and exhibitors (`fair_scope`), so
that a booking at one fair leaves every other fair's printed catalogue, and the whole
directory, as they were. A fair's scope is named by the event its rows belong to, which its
triggers find from the row written (directly, or through its application or booth).

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
        "venue", "hall", "event",
    ),
    CALENDAR: ("venue", "hall", "event", "event_session", "opening_hours"),
}

# A fair's own rows, each with how its trigger finds the fair: the row's `event`, or the event
# of the application or booth it names. A row deleted with its application or booth leaves that
# to the parent's trigger.
FAIR_PREFIX = "fair_"
FAIR_TABLES: dict[str, str] = {
    "booth": "event",
    "plan_feature": "event",
    "booth_application": "event",
    "application_product": "application",
    "booth_rental": "booth",
}
# Tables once watched whose triggers a migration removes.
RETIRED_TABLES = ("attendance", "meeting", "mou")


def fair_scope(event_id: int) -> str:
    """The scope of one fair's booths and exhibitors."""
    return f"{FAIR_PREFIX}{int(event_id)}"


def _known(scope: str) -> bool:
    return scope in SCOPES or (scope.startswith(FAIR_PREFIX) and scope[len(FAIR_PREFIX):].isdigit())


class Revision(Table):
    scope = Varchar(length=40, unique=True)
    number = BigInt(default=0)


async def revision(*scopes: str) -> str:
    """A short key that changes whenever a committed write touched a table of these scopes."""
    unknown = {scope for scope in scopes if not _known(scope)}
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


# The event of a fair's row on SQLite, from the row `NEW` or `OLD`.
_SQLITE_FAIR_OF = {
    "event": "SELECT '{prefix}' || {row}.event, 1 WHERE true",
    "application": "SELECT '{prefix}' || a.event, 1 FROM booth_application a WHERE a.id = {row}.application",
    "booth": "SELECT '{prefix}' || b.event, 1 FROM booth b WHERE b.id = {row}.booth",
}


# Once per scope per transaction: a transaction-local setting remembers the bump (a savepoint
# rolled back forgets it together with the bump itself). The setting's name takes the scope's,
# which is letters, digits and underscores, as PostgreSQL wants of it; a fair's counter row is
# made by its first write.
PG_BUMP = """
CREATE OR REPLACE FUNCTION bump_scope(scope_name text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('revision.' || scope_name, true), '') <> 'bumped' THEN
    INSERT INTO revision (scope, number) VALUES (scope_name, 1)
      ON CONFLICT (scope) DO UPDATE SET number = revision.number + 1;
    PERFORM set_config('revision.' || scope_name, 'bumped', true);
  END IF;
END
$$
"""

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION bump_revision() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  scope_name text;
BEGIN
  FOREACH scope_name IN ARRAY TG_ARGV LOOP
    PERFORM bump_scope(scope_name);
  END LOOP;
  RETURN NULL;
END
$$
"""

PG_FAIR_FUNCTION = """
CREATE OR REPLACE FUNCTION bump_fair_revision() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  found_rows jsonb[];
  item jsonb;
  fair bigint;
BEGIN
  IF TG_OP <> 'DELETE' THEN found_rows := array_append(found_rows, to_jsonb(NEW)); END IF;
  IF TG_OP <> 'INSERT' THEN found_rows := array_append(found_rows, to_jsonb(OLD)); END IF;
  FOREACH item IN ARRAY found_rows LOOP
    fair := NULL;
    IF TG_ARGV[0] = 'event' THEN
      fair := (item ->> 'event')::bigint;
    ELSIF TG_ARGV[0] = 'application' THEN
      SELECT a.event INTO fair FROM booth_application a WHERE a.id = (item ->> 'application')::bigint;
    ELSE
      SELECT b.event INTO fair FROM booth b WHERE b.id = (item ->> 'booth')::bigint;
    END IF;
    IF fair IS NOT NULL THEN
      PERFORM bump_scope('""" + FAIR_PREFIX + """' || fair);
    END IF;
  END LOOP;
  RETURN NULL;
END
$$
"""


def _fair_trigger_statements(engine_type: str) -> list[str]:
    statements = [PG_FAIR_FUNCTION] if engine_type == "postgres" else []
    for table, via in FAIR_TABLES.items():
        if engine_type == "postgres":
            statements += [
                f"DROP TRIGGER IF EXISTS revision_{table} ON {table}",
                f"CREATE CONSTRAINT TRIGGER revision_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_fair_revision('{via}')",
            ]
            continue
        for action, rows in (("INSERT", ("NEW",)), ("UPDATE", ("NEW", "OLD")), ("DELETE", ("OLD",))):
            name = f"revision_{table}_{action.lower()}"
            bumps = " ".join(
                f"INSERT INTO revision (scope, number) {_SQLITE_FAIR_OF[via].format(prefix=FAIR_PREFIX, row=row)} "
                "ON CONFLICT (scope) DO UPDATE SET number = number + 1;"
                for row in rows
            )
            statements += [
                f"DROP TRIGGER IF EXISTS {name}",
                f"CREATE TRIGGER {name} AFTER {action} ON {table} BEGIN {bumps} END",
            ]
    return statements


def _retired_statements(engine_type: str) -> list[str]:
    if engine_type == "postgres":
        return [f"DROP TRIGGER IF EXISTS revision_{table} ON {table}" for table in RETIRED_TABLES]
    return [
        f"DROP TRIGGER IF EXISTS revision_{table}_{action}"
        for table in RETIRED_TABLES for action in ("insert", "update", "delete")
    ]


def trigger_statements(engine_type: str) -> list[str]:
    statements = [PG_BUMP, PG_FUNCTION] if engine_type == "postgres" else []
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
    return statements + _fair_trigger_statements(engine_type) + _retired_statements(engine_type)


async def install_triggers() -> None:
    """Every scope's counter row, and the triggers that move it. Safe to run again."""
    engine = engine_finder()
    for scope in SCOPES:
        await engine.run_ddl(
            f"INSERT INTO revision (scope, number) VALUES ('{scope}', 1) ON CONFLICT (scope) DO NOTHING"
        )
    for statement in trigger_statements(engine.engine_type):
        await engine.run_ddl(statement)
