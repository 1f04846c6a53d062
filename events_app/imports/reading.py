"""Opening an uploaded file: CSV (UTF-8, with or without BOM, or UTF-16 with BOM; comma, semicolon
or tab) or XLSX (its first sheet, the values Excel saved). Pure: a path in, a header and rows out.

Whatever the file is, what cannot be read is a `FileRefused` with a message for the user: a file
that is not what its name says, an encoding we cannot tell, a spreadsheet that would unpack to
far more than it weighs. Rows are bounded (`MAX_ROWS`) and so are columns (`MAX_COLUMNS`).
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from events_app.core.errors import DomainError
from events_app.core.i18n import N_

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 60
MAX_CELL = 20_000  # characters of one CSV cell: the longest column holds 10,000
# What a spreadsheet may unpack to: text compresses tenfold, so this leaves room for 20 MB of real
# data and none for a crafted file that unpacks to gigabytes.
MAX_UNPACKED = 400 * 1024 * 1024
FORMATS = ("csv", "xlsx")


class FileRefused(DomainError):
    """A file that cannot be imported as a whole (as opposed to errors in some of its rows)."""


@dataclass
class Sheet:
    headers: list[str]
    rows: Iterator[tuple[int, list[object]]]  # (row number as the user sees it, cells)
    total: int | None  # rows after the header, when the file says


def file_format(filename: str) -> str:
    """csv or xlsx from the file's name; FileRefused for anything else."""
    suffix = Path(filename or "").suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise FileRefused(N_("Choose a CSV or XLSX file (an Excel workbook saved as .xlsx)."))
    return suffix


def open_sheet(path: Path, fmt: str) -> Sheet:
    if path.stat().st_size == 0:
        raise FileRefused(N_("The file is empty."))
    if path.stat().st_size > MAX_BYTES:
        raise FileRefused(N_("The file is larger than %(n)d MB."), n=MAX_BYTES // (1024 * 1024))
    return _xlsx(path) if fmt == "xlsx" else _csv(path)


def read_headers(path: Path, fmt: str) -> list[str]:
    sheet = open_sheet(path, fmt)
    close = getattr(sheet.rows, "close", None)
    if close:
        close()
    return sheet.headers


# CSV ------------------------------------------------------------------------------------------------

def _decoder(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        raise FileRefused(N_("This is not a text file. Choose a CSV file, or an XLSX file with the .xlsx name."))
    return "utf-8"


def _csv(path: Path) -> Sheet:
    with path.open("rb") as handle:
        head = handle.read(64 * 1024)
    encoding = _decoder(head)
    try:
        sample = head.decode(encoding)
    except UnicodeDecodeError:
        # The sample may end inside a character: only what comes before the last 3 bytes counts.
        try:
            sample = head[:-3].decode(encoding)
        except UnicodeDecodeError:
            raise _encoding_refused() from None
    first = sample.lstrip("\ufeff").splitlines()[0] if sample.strip() else ""
    if not first.strip():
        raise FileRefused(N_("The file has no header row: the first row must name the columns."))
    delimiter = max(",;\t", key=first.count)
    handle = path.open(encoding=encoding, newline="", errors="strict")
    reader = csv.reader(handle, delimiter=delimiter)
    csv.field_size_limit(MAX_CELL)

    def cells() -> Iterator[list[str]]:
        try:
            for row in reader:
                yield row[:MAX_COLUMNS]
        except UnicodeDecodeError:
            raise _encoding_refused() from None
        except csv.Error:
            raise FileRefused(N_("Row %(row)d of the file cannot be read as CSV (a cell too long or a stray quote)."),
                              row=reader.line_num) from None
        finally:
            handle.close()

    rows = cells()
    headers = next(rows, None)
    if headers is None:
        raise FileRefused(N_("The file is empty."))
    return Sheet([h.lstrip("\ufeff").strip() for h in headers], _numbered(rows), None)


def _encoding_refused() -> FileRefused:
    return FileRefused(N_("The file is not in UTF-8. In Excel, save it as “CSV UTF-8 (Comma delimited)”, "
                          "or upload the XLSX workbook itself."))


# XLSX -----------------------------------------------------------------------------------------------

def _xlsx(path: Path) -> Sheet:
    from openpyxl import load_workbook

    not_a_workbook = FileRefused(N_("This file cannot be opened as an Excel workbook (.xlsx). Save it again from "
                                    "Excel as “Excel Workbook”, or as CSV UTF-8."))
    try:
        with zipfile.ZipFile(path) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise FileRefused(N_("This workbook unpacks to more than %(n)d MB: split it into smaller files."),
                                  n=MAX_UNPACKED // (1024 * 1024))
            if "xl/workbook.xml" not in archive.namelist():
                raise not_a_workbook
    except (zipfile.BadZipFile, OSError, EOFError):
        raise not_a_workbook from None
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        total = sheet.max_row - 1 if isinstance(sheet.max_row, int) and sheet.max_row > 1 else None
        raw = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        headers = next(raw, None)
    except FileRefused:
        raise
    except Exception:  # openpyxl raises what the broken part made it meet: KeyError, ValueError, XML errors…
        raise not_a_workbook from None
    if headers is None:
        workbook.close()
        raise FileRefused(N_("The file is empty."))

    def cells() -> Iterator[list[object]]:
        try:
            for row in raw:
                yield list(row)
        except Exception:
            raise not_a_workbook from None
        finally:
            workbook.close()

    return Sheet(["" if h is None else str(h).strip() for h in headers], _numbered(cells()), total)


def _numbered(rows: Iterator[list]) -> Iterator[tuple[int, list]]:
    """Rows with their number in the file (the header is row 1), blank rows left out, at most MAX_ROWS."""
    count = 0
    for number, row in enumerate(rows, start=2):
        if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row):
            continue
        count += 1
        if count > MAX_ROWS:
            close: Callable | None = getattr(rows, "close", None)
            if close:
                close()
            raise FileRefused(N_("The file has more than %(n)s rows: split it into smaller files."), n=f"{MAX_ROWS:,}")
        yield number, row


def csv_bytes(rows: list[list[str]]) -> bytes:
    """Rows as CSV in UTF-8 with a BOM, the form Excel opens with its Vietnamese letters intact."""
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")
