"""Writing spreadsheets that are safe to open: no text a person typed becomes a formula.

openpyxl stores any string that starts with ``=`` as a formula, so a member named
``=1+2+cmd|' /C calc'!A0`` would come out of an export as a live formula. We never write formulas:
:func:`workbook_bytes` saves a workbook with every such cell turned back into text (Excel and LibreOffice
show it as typed and do not evaluate it). Our only CSV (the import template) holds our own headers.
"""

import io
from typing import Any


def workbook_bytes(book: Any) -> bytes:
    """The saved ``book`` (an openpyxl Workbook) with no formula cell left: every one becomes text."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_only_book() -> Any:
    """A new openpyxl workbook in write-only mode: rows stream to disk as they are appended, so a
    table of any length takes the memory of one row. Append rows made by :func:`safe_row`."""
    from openpyxl import Workbook

    return Workbook(write_only=True)


def safe_row(
    sheet: Any, values: list[Any], *, font: Any = None, formats: dict[int, str] | None = None
) -> list[Any]:
    """``values`` ready for ``sheet.append`` in a write-only book: a text starting with ``=`` stays text
    (as :func:`workbook_bytes` ensures for ordinary books); ``font`` styles every cell, ``formats`` maps
    a column index (0-based) to a number format. Plain values pass as they are (cheaper than cells)."""
    from openpyxl.cell import WriteOnlyCell

    row: list[Any] = []
    for index, value in enumerate(values):
        number_format = formats.get(index) if formats else None
        risky = isinstance(value, str) and value.startswith("=")
        if font is None and number_format is None and not risky:
            row.append(value)
            continue
        cell = WriteOnlyCell(sheet, value=value)
        if risky:
            cell.data_type = "s"
        if font is not None:
            cell.font = font
        if number_format:
            cell.number_format = number_format
        row.append(cell)
    return row
