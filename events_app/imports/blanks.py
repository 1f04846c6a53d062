"""The downloadable templates: a workbook with the columns to fill in, a sheet of notes on each
column and the lists to choose from, or the same columns as CSV (UTF-8 with a BOM, as Excel
opens it). Pure builders: plain values in, bytes out."""

from __future__ import annotations

import io

from events_app.core.i18n import N_, gettext
from events_app.imports.columns import COLUMNS, Kind
from events_app.imports.reading import MAX_ROWS, csv_bytes

DATA_SHEET = "Dữ liệu"
NOTES_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"

GENERAL_NOTES = {
    Kind.producers: [
        N_("One producer a row, from the second row of the first sheet; the first row keeps the column names."),
        N_("A producer already in the directory (same name and province, whatever the accents and case) is "
           "updated or left as it is, as you choose when you confirm; the other rows add producers."),
    ],
    Kind.products: [
        N_("One product a row, from the second row of the first sheet; the first row keeps the column names."),
        N_("The producer is found by its name and province (accents and case aside). When the directory has no "
           "such producer, the import adds it from the same row: fill in the producer type then. Rows of one new "
           "producer add it once."),
        N_("A product already in the directory (same certificate number, or same producer and name) is updated "
           "or left as it is, as you choose when you confirm."),
        N_("The certificate is valid for 36 months from its date: the end of its validity is computed."),
    ],
    Kind.distributors: [
        N_("One distributor a row, from the second row of the first sheet; the first row keeps the column names."),
        N_("A distributor already in the directory (same name and province) is updated or left as it is, as you "
           "choose when you confirm."),
    ],
}
COMMON_NOTES = [
    N_("Nothing is written until you confirm the preview; then every row is imported at once, or none."),
    N_("Columns may be in any order; other columns are ignored. A file with other column names can be imported: "
       "you then say which column holds what."),
    N_("Formulas are not imported: type values, or paste them as values."),
]


def _notes(kind: Kind) -> list[list[str]]:
    rows = [[gettext("Column"), gettext("Required"), gettext("What to write")]]
    for spec in COLUMNS[kind]:
        rows.append([spec.header, gettext("Yes") if spec.required else "", gettext(spec.note) if spec.note else ""])
    rows.append([])
    for note in [*GENERAL_NOTES[kind], *COMMON_NOTES]:
        rows.append([gettext(note)])
    rows.append([gettext("At most %(n)s rows a file.") % {"n": f"{MAX_ROWS:,}".replace(",", ".")}])
    return rows


def template_xlsx(kind: Kind, provinces: list[str], former: list[tuple[str, str]], groups: list[tuple[str, str, str]]) -> bytes:
    """The workbook: the data sheet (headers only), the notes, and the lists of provinces (with the
    former names they took in) and product groups."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook()
    data = workbook.active
    data.title = DATA_SHEET
    bold = Font(bold=True)
    data.append([spec.header for spec in COLUMNS[kind]])
    for cell, spec in zip(data[1], COLUMNS[kind]):
        cell.font = bold
        if spec.required:
            cell.fill = PatternFill("solid", fgColor="FFF2CC")
        data.column_dimensions[cell.column_letter].width = max(14, min(40, len(spec.header) + 6))
        if spec.key in ("certified_on", "certificate_number", "phone"):
            # Typed as text, so Excel neither turns 01/02/2024 into a month-first date nor drops leading zeros.
            for row in range(2, 1001):
                data.cell(row=row, column=cell.column).number_format = "@"
    data.freeze_panes = "A2"

    notes = workbook.create_sheet(NOTES_SHEET)
    for row in _notes(kind):
        notes.append(row)
    for cell in notes[1]:
        cell.font = bold
    notes.column_dimensions["A"].width = 28
    notes.column_dimensions["B"].width = 12
    notes.column_dimensions["C"].width = 90
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    lists = workbook.create_sheet(LISTS_SHEET)
    lists.append([gettext("Province or city"), gettext("Former province"), "", gettext("Product group code"),
                  gettext("Product group"), gettext("Product group (English)")])
    for cell in lists[1]:
        cell.font = bold
    width = max(len(provinces) + len(former), len(groups))
    left = [[name, ""] for name in provinces] + [[current, old] for old, current in former]
    for i in range(width):
        lists.append([*(left[i] if i < len(left) else ["", ""]), "", *(groups[i] if i < len(groups) else ["", "", ""])])
    for letter, size in zip("ABCDEF", (22, 22, 3, 18, 40, 40)):
        lists.column_dimensions[letter].width = size

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_csv(kind: Kind) -> bytes:
    return csv_bytes([[spec.header for spec in COLUMNS[kind]]])
