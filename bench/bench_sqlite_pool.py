"""SQLite: connections kept open between queries vs Piccolo's connection per query.

Ten small queries of the kind a page runs (an event with its venue, province and region),
against the demo database. Baseline: Piccolo's stock SQLiteEngine, which opens a connection
(and its thread) for every query outside a transaction.
"""

from __future__ import annotations

from bench.common import demo_database, median_ms, report


async def main() -> None:
    from piccolo.engine.sqlite import SQLiteEngine
    from piccolo.querystring import QueryString

    from events_app.core.db import SQLITE_BUSY_TIMEOUT_SECONDS, PooledSQLiteEngine, engine

    async with demo_database():
        if not isinstance(engine(), SQLiteEngine):
            print("\nSQLite connection handling: not measured (the database is not SQLite)")
            return
        path = engine().path
        stock = SQLiteEngine(path=path, timeout=SQLITE_BUSY_TIMEOUT_SECONDS)
        pooled = PooledSQLiteEngine(path=path, timeout=SQLITE_BUSY_TIMEOUT_SECONDS)
        sql = (
            "SELECT e.*, v.name AS venue, p.name AS province, r.name AS region FROM event e "
            "JOIN venue v ON v.id = e.venue JOIN province p ON p.id = e.province "
            "JOIN region r ON r.id = e.region WHERE e.slug = {}"
        )

        async def page(db) -> None:
            for _ in range(10):
                await db.run_querystring(QueryString(sql, "hoi-cho-ocop-bac-trung-bo"))

        rows = [
            ("10 queries, connection per query (stock)", await median_ms(lambda: page(stock))),
            ("10 queries, pooled connections", await median_ms(lambda: page(pooled))),
        ]
        await pooled.close_pool()
        report("SQLite connection handling", rows, baseline="10 queries, connection per query (stock)")
