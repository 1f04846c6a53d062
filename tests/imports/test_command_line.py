"""`events-app import`: per-row errors and a summary, nothing written while a row is wrong unless
--valid-only, a non-zero exit code on errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from events_app.directory.tables import Producer, Product
from events_app.imports.report import import_file
from tests.imports.conftest import csv_file, product_row, xlsx_file

ROOT = Path(__file__).resolve().parents[2]


def _command(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "events_app", "import", *args], cwd=ROOT, env=os.environ.copy(),
                          capture_output=True, text=True, timeout=120)


async def test_a_file_with_a_bad_row_writes_nothing_and_exits_with_an_error(clean_db, tmp_path):
    path = tmp_path / "san-pham.csv"
    path.write_bytes(csv_file([product_row(), product_row("Sai", certificate="2", stars="6", certified_on="hôm qua")]))
    done = _command("products", str(path))
    assert done.returncode == 1, done.stderr
    assert "dòng 3, Số sao: Chọn 3, 4 hoặc 5 sao." in done.stdout
    assert "dòng 3, Ngày cấp: Nhập ngày theo dạng dd/mm/yyyy." in done.stdout
    assert "2 dòng: 1 mới, 0 đã có trong danh bạ (cập nhật), 0 trùng trong tệp, 1 có lỗi." in done.stdout
    assert await Product.count() == 0 and await Producer.count() == 0

    dry = _command("products", str(path), "--valid-only", "--dry-run")
    assert "Chạy thử: chưa ghi gì." in dry.stdout and await Product.count() == 0

    valid = _command("products", str(path), "--valid-only", "--language", "en")
    assert valid.returncode == 1  # rows were left out
    assert "row 3, Stars: Choose 3, 4 or 5 stars." in valid.stdout.replace("Số sao", "Stars")
    assert "Imported: 1 added, 0 updated." in valid.stdout
    assert await Product.select(Product.name).output(as_list=True) == ["Gà Tiên Yên"]


async def test_skip_leaves_rows_in_the_directory_as_they_are(clean_db, tmp_path):
    lines: list[str] = []
    path = tmp_path / "a.xlsx"
    path.write_bytes(xlsx_file([product_row(price="100.000")]))
    assert await import_file("products", path, update=True, dry_run=False, valid_only=False, echo=lines.append)
    path.write_bytes(xlsx_file([product_row(price="990.000")]))
    assert await import_file("products", path, update=False, dry_run=False, valid_only=False, echo=lines.append)
    assert await Product.select(Product.price).output(as_list=True) == [100_000]
    assert "1 dòng: 0 mới, 1 đã có trong danh bạ (bỏ qua), 0 trùng trong tệp, 0 có lỗi." in lines
    assert await import_file("products", path, update=True, dry_run=False, valid_only=False, echo=lines.append)
    assert await Product.select(Product.price).output(as_list=True) == [990_000]


async def test_a_file_without_a_required_column_says_which(clean_db, tmp_path):
    path = tmp_path / "thieu.csv"
    path.write_bytes(csv_file([["Gà", "HTX"]], ["Tên sản phẩm", "Chủ thể"]))
    lines: list[str] = []
    assert not await import_file("products", path, update=True, dry_run=False, valid_only=False, echo=lines.append)
    assert lines == ["Tệp không có cột cho: “Tỉnh/thành”, “Nhóm sản phẩm”, “Số sao”, “Số giấy chứng nhận”, “Ngày cấp”."]


async def test_a_file_that_is_not_a_workbook_is_a_clear_error(clean_db, tmp_path):
    path = tmp_path / "rac.xlsx"
    path.write_bytes(b"\x00\x01 not a workbook")
    done = _command("distributors", str(path))
    assert done.returncode == 1
    assert "Không mở được tệp này như một sổ tính Excel" in done.stderr
    assert "Traceback" not in done.stderr
