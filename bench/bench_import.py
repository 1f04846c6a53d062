"""Importing 20,000 products (with their 800 producers, added by the same file) from CSV and from
XLSX: the whole of `events-app import` (read, check, plan, write in one transaction with slugs,
search columns and an audit entry per row), and the check alone, against a baseline of a bare
`Product.insert` of the same rows in batches of 500 in one transaction.

Each case runs a few times on the demo database; what a run added is deleted before the next.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import demo_database, report

ROWS = 20_000
PER_PRODUCER = 25
RUNS = 3
GOODS = ["Trà túi lọc", "Mật ong rừng", "Nước mắm", "Gạo hữu cơ", "Miến dong", "Nấm linh chi", "Chè búp",
         "Cà phê rang xay", "Tinh dầu sả", "Cam Vinh"]
PROVINCES = ["Nghệ An", "Quảng Ninh", "Bạc Liêu", "Hà Tĩnh", "Đắk Lắk", "Thừa Thiên Huế", "Lâm Đồng", "Hải Dương"]


def _rows() -> list[list]:
    from events_app.imports.columns import COLUMNS, Kind

    rows = [[c.header for c in COLUMNS[Kind.products]]]
    for n in range(ROWS):
        producer = n // PER_PRODUCER
        province = PROVINCES[producer % len(PROVINCES)]
        stars = 3 + n % 3
        rows.append([
            f"{GOODS[n % len(GOODS)]} {province} {n}", f"HTX Bench {producer} {province}", province, "Hợp tác xã",
            ["Thực phẩm", "food", "Đồ uống", "herbal"][n % 4], str(stars), f"{n:05d}/QĐ-BENCH",
            (dt.date(2023, 1, 1) + dt.timedelta(days=n % 900)).strftime("%d/%m/%Y"), "", f"{50 + n % 40}.000",
            "hộp", "Làm theo cách truyền thống, không chất bảo quản.", "", "",
        ])
    return rows


def _files(folder: Path) -> dict[str, Path]:
    from openpyxl import Workbook

    from events_app.imports.reading import csv_bytes

    rows = _rows()
    csv_path = folder / "products.csv"
    csv_path.write_bytes(csv_bytes(rows))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
    xlsx_path = folder / "products.xlsx"
    workbook.save(xlsx_path)
    return {"csv": csv_path, "xlsx": xlsx_path}


async def _forget_bench_rows() -> None:
    from events_app.core.audit import AuditLog
    from events_app.core.db import write_transaction
    from events_app.directory.tables import Producer, Product

    async with write_transaction():
        await Product.delete().where(Product.certificate_number.like("%/QĐ-BENCH"))
        await Producer.delete().where(Producer.name.like("HTX Bench %"))
        await AuditLog.delete().where(AuditLog.action.like("%import%"))


async def _timed(action) -> float:
    start = time.perf_counter()
    await action()
    return (time.perf_counter() - start) * 1000


async def _median(action, runs: int = RUNS) -> float:
    samples = []
    for _ in range(runs):
        await _forget_bench_rows()
        samples.append(await _timed(action))
    await _forget_bench_rows()
    return statistics.median(samples)


async def _bare_insert() -> None:
    """The baseline: the same 20,000 products as ready-made rows, inserted and nothing else."""
    from events_app.core.dates import certificate_valid_until
    from events_app.core.db import write_transaction
    from events_app.directory.tables import Producer, Product
    from events_app.reference.tables import ProductGroup, Province

    province = (await Province.select(Province.id).first())["id"]
    group = (await ProductGroup.select(ProductGroup.id).first())["id"]
    [producer] = await Producer.insert(Producer(name="HTX Bench 0", slug="htx-bench-0", producer_type="cooperative",
                                                province=province))
    certified = dt.date(2024, 1, 1)
    rows = [Product(producer=producer["id"], name=f"Bench {n}", slug=f"bench-import-{n}", group=group, stars=4,
                    certificate_number=f"{n:05d}/QĐ-BENCH", certified_on=certified,
                    valid_until=certificate_valid_until(certified), price=50_000, unit="hộp")
            for n in range(ROWS)]
    async with write_transaction():
        for start in range(0, ROWS, 500):
            await Product.insert(*rows[start:start + 500])


async def main() -> None:
    import asyncio

    from events_app.core.settings import get_settings
    from events_app.imports import checking, services, writing
    from events_app.imports import columns as c
    from events_app.imports.columns import Kind
    from events_app.imports.reading import read_headers
    from events_app.directory.tables import Product

    async with demo_database():
        with tempfile.TemporaryDirectory() as folder:
            files = _files(Path(folder))

            async def check(path: Path) -> None:
                fmt = path.suffix.lstrip(".")
                mapping = c.guess_mapping(Kind.products, read_headers(path, fmt))
                ref = await writing.load_reference()
                rows = await asyncio.to_thread(services.read_file, Kind.products, path, fmt, mapping, ref)
                checking.plan(Kind.products, rows, await writing.load_existing(Kind.products), checking.UPDATE, ref)

            async def imported(path: Path) -> None:
                report_ = await services.import_path(Kind.products, path, policy=checking.UPDATE, dry_run=False,
                                                     valid_only=False)
                assert report_.written and report_.counts["created"] == ROWS, report_.counts

            rows = [
                ("bare Product.insert, 20,000 rows", await _median(_bare_insert)),
                ("check a CSV of 20,000 rows", await _median(lambda: check(files["csv"]))),
                ("import a CSV of 20,000 rows", await _median(lambda: imported(files["csv"]))),
                ("check an XLSX of 20,000 rows", await _median(lambda: check(files["xlsx"]))),
                ("import an XLSX of 20,000 rows", await _median(lambda: imported(files["xlsx"]))),
            ]
            # An update of every row: the same file again, each row matching the one it added.
            await _forget_bench_rows()
            await imported(files["csv"])
            samples = []
            for _ in range(RUNS):
                start = time.perf_counter()
                result = await services.import_path(Kind.products, files["csv"], policy=checking.UPDATE,
                                                    dry_run=False, valid_only=False)
                samples.append((time.perf_counter() - start) * 1000)
                assert result.counts["updated"] == ROWS, result.counts
            rows.append(("import the CSV again: 20,000 updates", statistics.median(samples)))
            await _forget_bench_rows()
            assert await Product.count().where(Product.certificate_number.like("%/QĐ-BENCH")) == 0
    engine = "PostgreSQL" if get_settings().is_postgres else "SQLite"
    report(f"Imports on {engine}: median of {RUNS} runs", rows, baseline="bare Product.insert, 20,000 rows")
