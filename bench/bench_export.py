"""Exports: the national catalogue of 20,000 products as XLSX and CSV, against writing the same
rows with the csv module alone.

The demo data is topped up with the large set's products. Timed: reading the rows (the catalogue's
own query with the export's columns), each builder on those rows, and the whole download through
the application, with the kept files cleared before each request (cold) and not (the same file
asked for again), and /healthz answered while an XLSX is built in its thread. Memory: the peak of Python allocations while a builder runs (tracemalloc).
Baseline: csv.writer on the same rows as plain text, no BOM, no neutralising.
"""

from __future__ import annotations

import asyncio
import csv
import io
import statistics
import time
import tracemalloc
from pathlib import Path

from bench.common import demo_database, median_ms, report

PRODUCTS = 20_000


def plain_csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return 0


def cost(build, *args) -> str:
    """CPU seconds, peak of Python allocations, and growth of the peak resident size (Linux) of one call."""
    clear_refs = Path("/proc/self/clear_refs")
    if clear_refs.exists():
        clear_refs.write_text("5")  # the peak resident size starts again from the current one
    before = _rss_kib("VmRSS:")
    tracemalloc.start()
    cpu = time.process_time()
    try:
        build(*args)
        cpu = time.process_time() - cpu
        traced = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    grown = max(0, _rss_kib("VmHWM:") - before) / 1024
    return f"{cpu:.1f} s CPU (traced), Python peak {traced:.0f} MiB, resident peak +{grown:.0f} MiB"


async def main() -> None:
    import httpx

    from events_app.catalogue.services import parse_filters
    from events_app.core.settings import Settings
    from events_app.demo.large import Size, load_large
    from events_app.exports import controllers
    from events_app.exports.services import products_export
    from events_app.exports.sheets import csv_bytes, xlsx_bytes
    from events_app.web.app import create_app

    async with demo_database():
        await load_large(Size(products=PRODUCTS, events=0, exhibitors=0, distributors=0))
        settings = Settings.from_env().with_overrides(allowed_hosts=("bench",))
        every = await parse_filters()
        export = await products_export(every, settings.public_url)
        sheet = export.sheet
        print(f"\n{len(sheet.rows)} products × {len(sheet.columns)} columns")

        def built_by(build):
            async def action():
                build(sheet)
            return action

        async def baseline():
            plain_csv(sheet.rows)

        async def read_rows():
            await products_export(every, settings.public_url)

        app = create_app(settings)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench", timeout=300) as client:

            def download(path: str, *, cold: bool = True):
                async def action():
                    if cold:
                        controllers._files.clear()
                    response = await client.get(path)
                    assert response.status_code == 200, response.text[:300]
                return action

            async def healthz_while_building() -> float:
                """The event loop keeps answering while a thread writes the workbook."""
                controllers._files.clear()
                build = asyncio.create_task(client.get("/catalogue.xlsx"))
                samples = []
                while not build.done():
                    start = time.perf_counter()
                    await client.get("/healthz")
                    samples.append((time.perf_counter() - start) * 1000)
                    await asyncio.sleep(0.01)
                await build
                return statistics.median(samples)

            rows = [
                ("csv module only (baseline)", await median_ms(baseline, repeat=7, warmup=1)),
                ("csv_bytes: BOM, neutralised, typed", await median_ms(built_by(csv_bytes), repeat=7, warmup=1)),
                ("xlsx_bytes (openpyxl, write-only)", await median_ms(built_by(xlsx_bytes), repeat=3, warmup=1)),
                ("rows read: products_export", await median_ms(read_rows, repeat=5, warmup=1)),
                ("GET /catalogue.csv (whole stack)", await median_ms(download("/catalogue.csv"), repeat=3, warmup=1)),
                ("GET /catalogue.xlsx (whole stack)", await median_ms(download("/catalogue.xlsx"), repeat=3, warmup=1)),
                ("GET /catalogue.xlsx again (file kept)",
                 await median_ms(download("/catalogue.xlsx", cold=False), repeat=5, warmup=1)),
                ("GET /healthz, idle", await median_ms(lambda: client.get("/healthz"))),
                ("GET /healthz, while an XLSX is built", await healthz_while_building()),
            ]
        report(f"Export of {len(sheet.rows)} products", rows, baseline="csv module only (baseline)")
        print(f"  file sizes: CSV {len(csv_bytes(sheet)) / 2**20:.1f} MiB, XLSX {len(xlsx_bytes(sheet)) / 2**20:.1f} MiB")
        for name, build, arg in [("csv module", plain_csv, sheet.rows), ("CSV", csv_bytes, sheet), ("XLSX", xlsx_bytes, sheet)]:
            print(f"  {name}: {cost(build, arg)}")
        cpu = time.process_time()
        xlsx_bytes(sheet)
        print(f"  XLSX untraced: {time.process_time() - cpu:.1f} s CPU")
