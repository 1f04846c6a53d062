"""SQL for the constraints Piccolo's column options cannot express, for both engines.

Used by the hand-written migrations. PostgreSQL gets real constraints (CHECK, partial unique
indexes, EXCLUDE); SQLite, which cannot add constraints to an existing table, gets the same
unique indexes and triggers that abort the write. Both name the rule, so an error can be traced
back to it.
"""

from __future__ import annotations

from piccolo.engine.finder import engine_finder


def _engine_type() -> str:
    return engine_finder().engine_type


async def _run(*statements: str) -> None:
    engine = engine_finder()
    for statement in statements:
        await engine.run_ddl(statement)


async def unique_index(table: str, name: str, columns: str, where: str | None = None) -> None:
    condition = f" WHERE {where}" if where else ""
    await _run(f"CREATE UNIQUE INDEX IF NOT EXISTS {name} ON {table} ({columns}){condition}")


async def index(table: str, name: str, columns: str) -> None:
    await _run(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")


async def check(table: str, name: str, condition: str) -> None:
    """`condition` names the row's columns as `{row}column`."""
    if _engine_type() == "postgres":
        await _run(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({condition.format(row='')})")
    else:
        when = condition.format(row="NEW.")
        await _run(*_sqlite_triggers(table, name, f"NOT ({when})", f"NOT ({when})"))


async def no_overlap(
    table: str,
    name: str,
    *,
    same: tuple[str, ...],
    start: str,
    end: str,
    inclusive: bool,
    live: str,
    pg_range: str,
) -> None:
    """Refuse two live rows with equal `same` columns whose [start, end] ranges overlap.

    `live` is a condition on the row (`{row}status <> 'cancelled'`); `pg_range` the range
    expression for PostgreSQL's exclusion constraint (needs btree_gist for the equalities).
    """
    if _engine_type() == "postgres":
        equal = ", ".join(f"{column} WITH =" for column in same)
        await _run(
            "CREATE EXTENSION IF NOT EXISTS btree_gist",
            f"ALTER TABLE {table} ADD CONSTRAINT {name} EXCLUDE USING gist "
            f"({equal}, {pg_range} WITH &&) WHERE ({live.format(row='')})",
        )
        return
    before = "<=" if inclusive else "<"
    matches = " AND ".join(f"other.{column} = NEW.{column}" for column in same)
    clash = (
        f"{live.format(row='NEW.')} AND EXISTS (SELECT 1 FROM {table} AS other WHERE {matches} "
        f"AND {live.format(row='other.')} AND other.{start} {before} NEW.{end} AND NEW.{start} {before} other.{end}"
    )
    await _run(*_sqlite_triggers(table, name, clash + ")", clash + " AND other.id <> NEW.id)"))


def _sqlite_triggers(table: str, name: str, on_insert: str, on_update: str) -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {name}_insert BEFORE INSERT ON {table} "
        f"WHEN {on_insert} BEGIN SELECT RAISE(ABORT, '{name}'); END",
        f"CREATE TRIGGER IF NOT EXISTS {name}_update BEFORE UPDATE ON {table} "
        f"WHEN {on_update} BEGIN SELECT RAISE(ABORT, '{name}'); END",
    ]


# Certificates are valid for 36 months; a day that does not exist then (29 February, 31st)
# becomes the last day of the month, as PostgreSQL's interval arithmetic does.
CERTIFICATE_VALIDITY_PG = "{row}valid_until = ({row}certified_on + interval '36 months')::date"
CERTIFICATE_VALIDITY_SQLITE = (
    "{row}valid_until = CASE WHEN strftime('%d', date({row}certified_on, '+36 months')) "
    "= strftime('%d', {row}certified_on) THEN date({row}certified_on, '+36 months') "
    "ELSE date({row}certified_on, 'start of month', '+37 months', '-1 day') END"
)


async def certificate_validity(table: str, name: str) -> None:
    condition = CERTIFICATE_VALIDITY_PG if _engine_type() == "postgres" else CERTIFICATE_VALIDITY_SQLITE
    await check(table, name, condition)
