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
