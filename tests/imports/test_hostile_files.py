"""Files that are not what they say, or are far too large: a clear message, never a 500, nothing kept."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from openpyxl import Workbook

from events_app.directory.tables import Product
from events_app.imports import reading
from events_app.imports.tables import ImportBatch
from tests.helpers import text_of
from tests.imports.conftest import PRODUCT_HEADERS, confirm, counts, csv_file, product_row, upload, uploaded


async def _refused(client, content: bytes, filename: str) -> str:
    response = await upload(client, content, filename)
    assert response.status_code == 400, response.text[:500]
    return text_of(response.text)


async def test_empty_and_unnamed_files_are_refused(staff_client, settings):
    assert "Tệp trống." in await _refused(staff_client, b"", "rong.csv")
    assert "Chọn một tệp CSV hoặc XLSX" in await _refused(staff_client, b"a,b\n1,2\n", "du-lieu.txt")
    assert await ImportBatch.count() == 0
    assert not (settings.data_dir / "imports").exists() or not any((settings.data_dir / "imports").iterdir())


async def test_binary_garbage_named_xlsx_is_not_a_workbook(staff_client):
    text = await _refused(staff_client, bytes(range(256)) * 40, "rac.xlsx")
    assert "Không mở được tệp này như một sổ tính Excel" in text
    # A zip that is not a workbook, and a workbook whose sheet is broken XML.
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    assert "Không mở được tệp này" in await _refused(staff_client, out.getvalue(), "zip.xlsx")
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_workbook()), "r") as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, b"<worksheet><sheetData><row" if item.filename.endswith("sheet1.xml") else data)
    assert "Không mở được tệp này" in await _refused(staff_client, broken.getvalue(), "hong.xlsx")
    assert await ImportBatch.count() == 0


async def test_a_workbook_that_unpacks_to_gigabytes_is_refused(staff_client, monkeypatch):
    monkeypatch.setattr(reading, "MAX_UNPACKED", 100_000)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/sharedStrings.xml", "a" * 200_000)
    assert "giải nén ra hơn" in await _refused(staff_client, bomb.getvalue(), "bom.xlsx")


async def test_a_csv_not_in_utf8_is_refused_with_the_way_to_save_it(staff_client):
    latin = "Tên sản phẩm,Chủ thể\nGà,HTX\n".encode("cp1258", errors="replace")
    assert "Tệp không ở mã UTF-8" in await _refused(staff_client, latin, "cu.csv")
    # UTF-16 with its BOM, as Excel's "Unicode text" writes it, is read.
    utf16 = "\t".join(PRODUCT_HEADERS) + "\n" + "\t".join(product_row()) + "\n"
    address = await uploaded(staff_client, utf16.encode("utf-16"), "unicode.csv")
    assert (await counts(staff_client, address))["new"] == 1


async def test_a_file_over_the_size_limit_is_refused(staff_client):
    over = b"a" * (reading.MAX_BYTES + 1)
    assert "Tệp lớn hơn 20 MB." in await _refused(staff_client, over, "lon.csv")
    # Far over: the request itself is too large, and answered as such.
    huge = await upload(staff_client, b"a" * (reading.MAX_BYTES + 2 * 1024 * 1024), "rat-lon.csv")
    assert huge.status_code == 413
    assert "Tệp quá lớn" in text_of(huge.text)
    assert await ImportBatch.count() == 0


async def test_too_many_rows_fail_the_check_with_a_message(staff_client, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 5)
    address = await uploaded(staff_client, csv_file([product_row(certificate=str(n)) for n in range(6)]))
    page = text_of((await staff_client.get(address)).text)
    assert "Không nhập được tệp" in page and "Tệp có hơn 5 dòng" in page
    assert (await confirm(staff_client, address)).status_code == 409
    assert await Product.count() == 0


async def test_headers_only_and_a_stray_quote(staff_client):
    address = await uploaded(staff_client, csv_file([]))
    assert "không có dòng dữ liệu nào" in text_of((await staff_client.get(address)).text)
    content = csv_file([product_row()]) + b'"Tr\xc3\xa0,' + b"x" * 30_000 + b"\n"
    address = await uploaded(staff_client, content)
    assert "Không đọc được dòng 3 của tệp CSV" in text_of((await staff_client.get(address)).text)


async def test_formulas_are_refused_in_csv_and_read_as_their_saved_value_in_xlsx(staff_client):
    address = await uploaded(staff_client, csv_file([product_row(description="=HYPERLINK(\"http://x.example\")")]))
    assert "Công thức không được nhập" in text_of((await staff_client.get(address)).text)
    # A workbook's formula without a saved value is an empty cell: the name is then missing.
    content = _workbook([product_row(name="=CONCAT(\"Gà\", \" đồi\")")])
    address = await uploaded(staff_client, content, "cong-thuc.xlsx")
    page = text_of((await staff_client.get(address)).text)
    assert "2 Tên sản phẩm Trường này là bắt buộc." in page


async def test_dates_and_numbers_as_people_type_them(staff_client):
    rows = [
        product_row(certificate="1", certified_on="01/02/2024", price="120.000"),
        product_row(name="Gà ủ muối", certificate="2", certified_on=45323, price=95000.0),
        product_row(name="Gà nướng", certificate="3", certified_on="2031-01-01", price="1.2"),
        product_row(name="Gà hấp", certificate="4", certified_on="05/06/2017", price="200.000.000.000"),
    ]
    address = await uploaded(staff_client, _workbook(rows), "ngay.xlsx")
    page = text_of((await staff_client.get(address)).text)
    assert "4 Ngày cấp Ngày cấp giấy chứng nhận không thể ở tương lai." in page
    assert "4 Giá (đồng) Nhập một số nguyên." in page
    assert "5 Ngày cấp Giấy chứng nhận OCOP được cấp từ năm 2018." in page
    assert "5 Giá (đồng) Nhập giá từ 0 đến 100 tỷ đồng." in page
    await confirm(staff_client, address, valid_only=True)
    assert await Product.select(Product.certified_on, Product.price).order_by(Product.id) == [
        {"certified_on": dt.date(2024, 2, 1), "price": 120_000},
        {"certified_on": dt.date(2024, 2, 1), "price": 95_000},
    ]


def _workbook(rows: list[list] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(PRODUCT_HEADERS)
    for row in rows or [product_row()]:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
