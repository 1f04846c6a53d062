"""Exports: the national catalogue of 20,000 products as XLSX and CSV, against writing the same
rows with the csv module alone.

The demo data is topped up with the large set's products. Timed: reading the rows (the catalogue's
own query with the export's columns), each builder on those rows, and the whole download through
the application. Memory: the peak of Python allocations while a builder runs (tracemalloc).
Baseline: csv.writer on the same rows as plain text, no BOM, no neutralising.
"""

from __future__ import annotations

import csv
import io
import tracemalloc

from bench.common import demo_database, median_ms, report

PRODUCTS = 20_000


def plain_csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def peak_mib(build, *args) -> float:
    tracemalloc.start()
    try:
        build(*args)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


async def main() -> None:
    import httpx

    from events_app.catalogue.services import parse_filters
    from events_app.core.settings import Settings
    from events_app.demo.large import Size, load_large
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

            def download(path: str):
                async def action():
                    response = await client.get(path)
                    assert response.status_code == 200, response.text[:300]
                return action

            rows = [
                ("csv module only (baseline)", await median_ms(baseline, repeat=7, warmup=1)),
                ("csv_bytes: BOM, neutralised, typed", await median_ms(built_by(csv_bytes), repeat=7, warmup=1)),
                ("xlsx_bytes (openpyxl, write-only)", await median_ms(built_by(xlsx_bytes), repeat=3, warmup=1)),
                ("rows read: products_export", await median_ms(read_rows, repeat=5, warmup=1)),
                ("GET /catalogue.csv (whole stack)", await median_ms(download("/catalogue.csv"), repeat=3, warmup=1)),
                ("GET /catalogue.xlsx (whole stack)", await median_ms(download("/catalogue.xlsx"), repeat=3, warmup=1)),
            ]
        report(f"Export of {len(sheet.rows)} products", rows, baseline="csv module only (baseline)")
        print(f"  file sizes: CSV {len(csv_bytes(sheet)) / 2**20:.1f} MiB, XLSX {len(xlsx_bytes(sheet)) / 2**20:.1f} MiB")
        print(f"  peak Python memory while building: csv module {peak_mib(plain_csv, sheet.rows):.0f} MiB, "
              f"CSV {peak_mib(csv_bytes, sheet):.0f} MiB, XLSX {peak_mib(xlsx_bytes, sheet):.0f} MiB")
