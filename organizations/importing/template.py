"""The member list to fill in: an XLSX with the header row, drop-downs and a guide sheet, or a CSV
with the header row alone."""

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.spreadsheets import workbook_bytes
from organizations.importing.columns import COLUMNS, GENDER_WORDS, STATUS_WORDS, Column, choice_words
from organizations.importing.reading import MAX_ROWS

TEMPLATE_NAME = "mau-danh-sach-dang-vien"
DATA_SHEET_TITLE = "Danh sách đảng viên"
GUIDE_SHEET_TITLE = "Hướng dẫn"


def _column_help(column: Column) -> str:
    if column.kind in ("gender", "status"):
        return str(column.help) % {"values": choice_words(column.kind)}
    return str(column.help)


def template_xlsx() -> bytes:
    """The XLSX template: the header row on the first sheet, an example and explanations on the second."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = DATA_SHEET_TITLE
    sheet.append([column.header for column in COLUMNS])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="F4D9D7")
    for index, column in enumerate(COLUMNS, start=1):
        header = sheet.cell(row=1, column=index)
        header.font = bold
        header.fill = fill
        header.alignment = Alignment(wrap_text=True, vertical="top")
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = column.width
        # Dates typed into the sheet become real dates; card and phone numbers stay text (leading 0).
        if column.kind == "date":
            dimension.number_format = "DD/MM/YYYY"
        elif column.key in ("party_card_number", "phone"):
            dimension.number_format = "@"
    sheet.freeze_panes = "A2"
    for kind, words in (("gender", GENDER_WORDS), ("status", STATUS_WORDS)):
        letter = get_column_letter(next(i for i, c in enumerate(COLUMNS, start=1) if c.kind == kind))
        validation = DataValidation(type="list", formula1=f'"{",".join(words)}"', allow_blank=True)
        validation.add(f"{letter}2:{letter}{MAX_ROWS}")
        sheet.add_data_validation(validation)

    guide = workbook.create_sheet(GUIDE_SHEET_TITLE)
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 14
    guide.column_dimensions["C"].width = 70
    guide.append([_("How to fill in the member list")])
    guide["A1"].font = Font(bold=True, size=13)
    for line in _guide_lines():
        guide.append([line])
    guide.append([])
    guide.append([_("Column"), _("Required column"), _("How to write it"), _("Example")])
    _emphasise(guide[guide.max_row], bold, fill)
    for column in COLUMNS:
        guide.append(
            [column.header, _("yes") if column.required else "", _column_help(column), column.example]
        )
    guide.append([])
    guide.append([_("An example row, as it is written on the first sheet:")])
    guide.append([column.header for column in COLUMNS])
    _emphasise(guide[guide.max_row], bold, fill)
    guide.append([column.example for column in COLUMNS])
    guide.column_dimensions["D"].width = 36
    return workbook_bytes(workbook)


def _emphasise(cells: Iterable[Any], font: Font, fill: PatternFill) -> None:
    for cell in cells:
        cell.font = font
        cell.fill = fill


def _guide_lines() -> Iterator[str]:
    yield _(
        "Fill in one row per member on the sheet “%(sheet)s”, under the header row. Keep the column "
        "names; other columns are ignored."
    ) % {"sheet": DATA_SHEET_TITLE}
    yield _("Dates are written day/month/year, for example 19/05/2010.")
    yield _(
        "Members are matched by party card number; probationary members, who have no card yet, by full "
        "name and date of birth. Matched members are updated; the others are added to the cell."
    )
    yield _("If any row has an error, nothing is imported and each row to correct is listed.")


def template_csv() -> bytes:
    """The CSV template: the header row, in UTF-8 with the byte order mark Excel needs to read it."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([column.header for column in COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
