"""Spreadsheets of plain rows: a `Sheet` in, the bytes of an XLSX workbook or a CSV file out.

Nothing here reads the database or knows the language: headers and cells arrive as final values
(text, whole numbers, amounts in đồng, shares in per cent, dates). Both formats are written so
that Excel shows them as meant and runs nothing that was typed into a cell:

- XLSX: dates are real Excel dates (dd/mm/yyyy), amounts numbers with a thousands separator,
  shares numbers in Excel's per-cent format (16.7 arrives, 0.167 is stored, 16,7 % is shown), so
  they sort, sum and chart;
  text is always a text cell; text that a spreadsheet would take for a formula (starting with
  = + - @, a tab or a carriage return) also carries Excel's quote prefix, the leading apostrophe
  a user would type, so editing the cell does not turn it into one. Columns are sized to what
  they hold, the header row is frozen and filters are set on it.
- CSV: UTF-8 with a byte-order mark, so that Excel reads the Vietnamese letters; dates as
  YYYY-MM-DD, amounts as plain digits and shares as plain numbers of per cent, which every
  spreadsheet reads; text fields quoted and,
  per OWASP's advice on CSV injection, a formula-like one given a leading apostrophe.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass
from enum import Enum
from typing import Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# What opens a formula, or slips one past a check on the first character.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot carry: an XLSX cell would be refused with them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")
MAX_CELL_TEXT = 32_767  # what an Excel cell holds
MIN_WIDTH, MAX_WIDTH = 6, 60  # characters
WIDTH_SAMPLE = 500  # rows looked at to size a column
DATE_FORMAT = "dd/mm/yyyy"
AMOUNT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0%"


class Kind(str, Enum):
    text = "text"
    integer = "integer"  # a count or a star rating
    amount = "amount"  # đồng, shown with a thousands separator
    date = "date"
    percent = "percent"  # a share in per cent (0–100), one decimal


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = Kind.text


Cell = str | int | float | dt.date | None


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Cell]]


def fingerprint(sheet: Sheet) -> str:
    """A digest of everything a sheet shows: two sheets with the same one make the same file."""
    digest = hashlib.sha256(repr((sheet.title, [(c.header, c.kind.value) for c in sheet.columns])).encode())
    for row in sheet.rows:
        digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def neutralised(text: str) -> str:
    """Text as a CSV field that no spreadsheet evaluates: a leading apostrophe before a formula."""
    return "'" + text if is_formula_like(text) else text


# XLSX -----------------------------------------------------------------------------------------------

def _sheet_title(title: str) -> str:
    return (_SHEET_TITLE_BAD.sub(" ", _ILLEGAL_XML.sub("", title)).strip() or "Sheet")[:31]


def _xlsx_text(value: object) -> str:
    return _ILLEGAL_XML.sub("", str(value))[:MAX_CELL_TEXT]


def _display_length(kind: Kind, value: Cell) -> int:
    if value is None:
        return 0
    if kind is Kind.date:
        return len(DATE_FORMAT)
    if kind is Kind.amount and isinstance(value, int):
        return len(f"{value:,}")
    if kind is Kind.percent and isinstance(value, (int, float)):
        return len(f"{value:.1f} %")
    return max((len(line) for line in str(value).splitlines()), default=0)


def column_widths(sheet: Sheet) -> list[int]:
    """Each column as wide as its header or its longest value among the first rows, within bounds."""
    widths = []
    for i, column in enumerate(sheet.columns):
        longest = max(
            [len(column.header) + 2]  # room for the filter's button
            + [_display_length(column.kind, row[i]) for row in sheet.rows[:WIDTH_SAMPLE]]
        )
        widths.append(max(MIN_WIDTH, min(MAX_WIDTH, longest + 1)))
    return widths


def xlsx_bytes(sheet: Sheet) -> bytes:
    """The sheet as an XLSX workbook, written row by row (openpyxl's write-only mode)."""
    return workbook_bytes([sheet])


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """Several sheets in one XLSX workbook, in order, each written as `xlsx_bytes` writes one."""
    book = Workbook(write_only=True)
    for sheet in sheets:
        _write_sheet(book, sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write_sheet(book: Workbook, sheet: Sheet) -> None:
    ws = book.create_sheet(_sheet_title(sheet.title))
    # Widths and the frozen row go before the first row: the write-only sheet writes them first.
    for i, width in enumerate(column_widths(sheet), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)

    header = []
    for column in sheet.columns:
        cell = WriteOnlyCell(ws, value=_xlsx_text(column.header))
        cell.data_type = "s"
        cell.font = bold
        header.append(cell)
    ws.append(header)

    # Plain values where openpyxl's own typing is right (it reuses one cell for them); a styled
    # cell only for dates, amounts and text that looks like a formula.
    kinds = [column.kind for column in sheet.columns]
    for row in sheet.rows:
        cells: list = []
        for kind, value in zip(kinds, row):
            if value is None or value == "":
                cells.append(None)
            elif kind is Kind.percent and isinstance(value, (int, float)) and not isinstance(value, bool):
                cell = WriteOnlyCell(ws, value=round(value / 100, 6))
                cell.number_format = PERCENT_FORMAT
                cells.append(cell)
            elif isinstance(value, int) and not isinstance(value, bool):
                if kind is Kind.amount:
                    cell = WriteOnlyCell(ws, value=value)
                    cell.number_format = AMOUNT_FORMAT
                    cells.append(cell)
                else:
                    cells.append(value)
            elif isinstance(value, dt.date):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = DATE_FORMAT
                cells.append(cell)
            else:
                text = str(value)
                if _ILLEGAL_XML.search(text) or len(text) > MAX_CELL_TEXT:
                    text = _xlsx_text(text)
                if is_formula_like(text):
                    cell = WriteOnlyCell(ws, value=text)
                    cell.data_type = "s"  # text, not a formula, and kept so when edited
                    cell.quotePrefix = True
                    cells.append(cell)
                else:
                    cells.append(text)
        ws.append(cells)

    last = get_column_letter(max(1, len(sheet.columns)))
    ws.auto_filter.ref = f"A1:{last}{len(sheet.rows) + 1}"


# CSV ------------------------------------------------------------------------------------------------

def _csv_value(kind: Kind, value: Cell) -> str | int:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value  # unquoted, so a spreadsheet reads a number
    return neutralised(str(value))


def csv_bytes(sheet: Sheet) -> bytes:
    """The sheet as CSV: comma-separated, text fields quoted, UTF-8 with a BOM, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow([neutralised(column.header) for column in sheet.columns])
    kinds = [column.kind for column in sheet.columns]
    for row in sheet.rows:
        writer.writerow([_csv_value(kind, value) for kind, value in zip(kinds, row)])
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")
