"""The staff's reports on the large set (`events-app demo --size large`: 20,000 products, 1,000
producers, 2,000 events, a fair of 308 exhibitors): each report's figures as its page gets them
(the GROUP BY queries, the rows shaped, the charts drawn twice), unfiltered and filtered, against
a bare `SELECT key, count(*) … GROUP BY key` of the table the report counts, each report against
its own baseline.

The large set lives in its own database (bench.common.large_sqlite, or large_postgres with
`--engine postgres`); the timing runs in a child process pointed at it, as the database is chosen
when the app is first imported.
"""

from __future__ import annotations

import os
import subprocess
import sys

from bench.common import ROOT, large_postgres, large_sqlite, median_ms

MEASURE = "--measure"

# (report, filters, the table it counts and the column a bare count groups it by)
CASES = [
    ("products-by-star", {}, "product", "stars"),
    ("products-by-star", {"units": "former"}, "product", "stars"),
    ("products-by-star", {"region": "bac-trung-bo-va-duyen-hai-mien-trung", "group": "food"}, "product", "stars"),
    ("recognitions", {}, "recognition", "stars"),
    ("producers", {}, "producer", "producer_type"),
    ("producer-attributes", {}, "producer", "producer_type"),
    ("online", {}, "product_listing", "platform"),
    ("participation", {}, "booth_application", "event"),
    ("participation", {"year": "this", "kind": "fair"}, "booth_application", "event"),
    ("booths", {}, "booth", "event"),
    ("mous", {}, "mou", "event"),
    ("mous-over-time", {"year": "this"}, "mou", "event"),
]


async def main(options: list[str] | None = None) -> None:
    options = options or []
    postgres = "--engine" in options and options[options.index("--engine") + 1:][:1] == ["postgres"]
    url, home = large_postgres() if postgres else large_sqlite()
    env = {**os.environ, "DATABASE_URL": url, "DATA_DIR": str(home / "reports"), "SECRET_KEY": "bench"}
    subprocess.run([sys.executable, "-m", "bench.bench_reports", MEASURE], cwd=ROOT, env=env, check=True)


async def measure() -> None:
    from events_app.core import db
    from events_app.core.clock import today
    from events_app.core.i18n import language
    from events_app.core.settings import get_settings
    from events_app.reports.figures import REPORTS
    from events_app.reports.filters import parse_report_filters
    from events_app.reports.queries import run as run_sql

    await db.connect(get_settings().database_pool_size)
    try:
        counts = await run_sql("SELECT (SELECT COUNT(*) FROM product) AS products, (SELECT COUNT(*) FROM event) AS events")
        engine = "PostgreSQL" if db.is_postgres() else "SQLite"
        print(f"\nReports on the large set ({engine}: {counts[0]['products']} products, {counts[0]['events']} events)")
        print(f"  {'report':<58} {'median ms':>10} {'bare count':>11} {'×':>7}")
        slowest = 0.0
        for name, params, table, key in CASES:
            params = {k: (str(today().year) if v == "this" else v) for k, v in params.items()}
            filters = await parse_report_filters(**params)
            built = REPORTS[name]

            async def figures(built=built, filters=filters):
                with language("vi"):
                    return await built.build(filters.only(built.filters))

            async def bare(table=table, key=key):
                return await run_sql(f'SELECT "{key}", COUNT(*) AS n FROM "{table}" GROUP BY "{key}"')

            ms, base = await median_ms(figures, repeat=15), await median_ms(bare, repeat=15)
            slowest = max(slowest, ms)
            shown = name + (" " + " ".join(f"{k}={v}" for k, v in params.items()) if params else "")
            print(f"  {shown[:58]:<58} {ms:>10.2f} {base:>11.2f} {ms / base:>7.1f}")
        print(f"  slowest report: {slowest:.0f} ms (bound: 1,000 ms)")
    finally:
        await db.disconnect()


if __name__ == "__main__" and MEASURE in sys.argv:
    import asyncio

    asyncio.run(measure())
