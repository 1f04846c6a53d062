"""The sheet builders alone: rows in, XLSX and CSV bytes out, read back with openpyxl and csv."""

import codecs
import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from events_app.exports.sheets import Column, Kind, Sheet, column_widths, csv_bytes, fingerprint, neutralised, xlsx_bytes

SHEET = Sheet(
    title="Sản phẩm OCOP: Nghệ An / 2026",
    columns=[
        Column("Tên sản phẩm"), Column("Số sao", Kind.integer), Column("Giá (đồng)", Kind.amount),
        Column("Ngày cấp", Kind.date), Column("Điện thoại"),
    ],
    rows=[
        ("Nước mắm Tân Hội Cửa Lò", 4, 1_250_000, dt.date(2025, 6, 1), "0238 3824 123"),
        ("=HYPERLINK(\"http://evil.example\",\"Bấm\")", 3, None, dt.date(2024, 1, 31), "+84 912 345 678"),
        ("@SUM(A1:A9)", 5, 0, None, "-1+2"),
        ("\tTrà túi lọc\r", 4, 85_000, dt.date(2023, 12, 5), ""),
        ("Đường phèn\x0b hạt\x00", 3, 12, dt.date(2025, 2, 28), None),
    ],
)


def read_xlsx(content: bytes):
    book = load_workbook(io.BytesIO(content))
    return book.active


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_xlsx_cells_keep_their_types_and_text():
    ws = read_xlsx(xlsx_bytes(SHEET))
    assert ws.title == "Sản phẩm OCOP  Nghệ An   2026"  # : and / are not allowed in a sheet's name
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0] == ["Tên sản phẩm", "Số sao", "Giá (đồng)", "Ngày cấp", "Điện thoại"]
    assert values[1] == ["Nước mắm Tân Hội Cửa Lò", 4, 1_250_000, dt.datetime(2025, 6, 1), "0238 3824 123"]
    assert values[3] == ["@SUM(A1:A9)", 5, 0, None, "-1+2"]
    assert values[5] == ["Đường phèn hạt", 3, 12, dt.datetime(2025, 2, 28), None]  # characters XML cannot carry dropped

    price, day = ws["C2"], ws["D2"]
    assert (price.data_type, price.number_format) == ("n", "#,##0")
    assert day.is_date and day.number_format == "dd/mm/yyyy"
    assert ws["B2"].data_type == "n"
    assert all(cell.font.bold for cell in ws[1])


def test_xlsx_formulas_stay_text_with_excels_quote_prefix():
    ws = read_xlsx(xlsx_bytes(SHEET))
    for ref, text in [("A3", "=HYPERLINK(\"http://evil.example\",\"Bấm\")"), ("E3", "+84 912 345 678"),
                      ("A4", "@SUM(A1:A9)"), ("E4", "-1+2"), ("A5", "\tTrà túi lọc\r")]:
        cell = ws[ref]
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True), ref
    assert ws["A2"].quotePrefix is False
    assert not any(cell.data_type == "f" for row in ws.iter_rows() for cell in row)


def test_xlsx_header_frozen_filtered_and_columns_sized():
    ws = read_xlsx(xlsx_bytes(SHEET))
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:E6"
    widths = [ws.column_dimensions[letter].width for letter in "ABCDE"]
    assert widths == column_widths(SHEET)
    assert widths[0] >= len("=HYPERLINK(\"http://evil.example\",\"Bấm\")")
    assert widths[3] >= len("dd/mm/yyyy") and widths[2] >= len("1,250,000")


def test_csv_has_a_bom_typed_values_and_neutralised_formulas():
    content = csv_bytes(SHEET)
    rows = read_csv(content)
    assert rows[0] == ["Tên sản phẩm", "Số sao", "Giá (đồng)", "Ngày cấp", "Điện thoại"]
    assert rows[1] == ["Nước mắm Tân Hội Cửa Lò", "4", "1250000", "2025-06-01", "0238 3824 123"]
    assert rows[2] == ["'=HYPERLINK(\"http://evil.example\",\"Bấm\")", "3", "", "2024-01-31", "'+84 912 345 678"]
    assert rows[3] == ["'@SUM(A1:A9)", "5", "0", "", "'-1+2"]
    assert rows[4] == ["'\tTrà túi lọc\r", "4", "85000", "2023-12-05", ""]
    text = content.decode("utf-8-sig")
    assert text.startswith('"Tên sản phẩm","Số sao"') and "\r\n" in text
    assert ',4,1250000,"2025-06-01",' in text  # numbers unquoted, so spreadsheets read them as numbers


@pytest.mark.parametrize("text, expected", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("a=1", "a=1"), ("Gà Tiên Yên", "Gà Tiên Yên"), ("", ""), ("'=1", "'=1"),
])
def test_neutralised(text, expected):
    assert neutralised(text) == expected


def test_an_empty_list_is_a_header_row():
    empty = Sheet("Nhà phân phối", [Column("Tên nhà phân phối"), Column("Ngày", Kind.date)], [])
    ws = read_xlsx(xlsx_bytes(empty))
    assert [[c.value for c in row] for row in ws.iter_rows()] == [["Tên nhà phân phối", "Ngày"]]
    assert ws.auto_filter.ref == "A1:B1"
    assert read_csv(csv_bytes(empty)) == [["Tên nhà phân phối", "Ngày"]]


def test_the_fingerprint_follows_every_cell():
    same = Sheet(SHEET.title, list(SHEET.columns), [tuple(row) for row in SHEET.rows])
    assert fingerprint(same) == fingerprint(SHEET)
    changed = [list(row) for row in SHEET.rows]
    changed[4][3] = dt.date(2025, 3, 1)
    assert fingerprint(Sheet(SHEET.title, SHEET.columns, changed)) != fingerprint(SHEET)
    assert fingerprint(Sheet("Khác", SHEET.columns, SHEET.rows)) != fingerprint(SHEET)
    assert fingerprint(Sheet(SHEET.title, [Column(c.header) for c in SHEET.columns], SHEET.rows)) != fingerprint(SHEET)


def test_shares_are_numbers_in_the_per_cent_format():
    sheet = Sheet(title="Tỷ lệ", columns=[Column("Tỉnh"), Column("Tỷ lệ bán trực tuyến", Kind.percent)],
                  rows=[("Quảng Ninh", 100.0), ("Nghệ An", 9.1), ("Cà Mau", 0), ("Hà Tĩnh", None)])
    ws = read_xlsx(xlsx_bytes(sheet))
    cells = [ws.cell(row=r, column=2) for r in range(2, 6)]
    assert [c.value for c in cells] == [1.0, 0.091, 0, None]
    assert all(c.number_format == "0.0%" and c.data_type == "n" for c in cells[:3])
    assert read_csv(csv_bytes(sheet))[1:] == [["Quảng Ninh", "100.0"], ["Nghệ An", "9.1"], ["Cà Mau", "0"], ["Hà Tĩnh", ""]]
