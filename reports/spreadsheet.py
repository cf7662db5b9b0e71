"""The dashboard as a spreadsheet (XLSX, openpyxl): one row per cell and the Đảng bộ's total, the
numbers as numbers (rates as percentages) so the office can sort, sum and chart them itself."""

import io
from collections.abc import Callable
from typing import Any, BinaryIO

from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.spreadsheets import safe_row, write_only_book
from core.text import fold
from core.web import XLSX_CONTENT_TYPE
from reports.models import Report, period_label
from reports.selectors import Dashboard, Figures

CONTENT_TYPE = XLSX_CONTENT_TYPE
PROGRESS_EVERY = 100
Progress = Callable[[int, int], None]


def _ratio(value: float | None) -> float | None:
    return None if value is None else value / 100


def _row(name: str, f: Figures, levels: list[tuple[str, str]], report: str) -> list[Any]:
    return [
        name,
        f.planned,
        f.held,
        f.cancelled,
        f.meetings,
        _ratio(f.attendance_rate),
        f.drafts,
        _ratio(f.comment_share),
        f.comments,
        f.answered,
        *(f.quality.get(code, 0) for code, _label in levels),
        f.unassessed,
        f.resolutions,
        f.overdue_drafts,
        f.tasks_overdue,
        report,
    ]


def _report_status(report: Report | None) -> str:
    if report is None or report.status == Report.Status.DRAFT:
        return str(_("Not submitted"))
    text = report.get_status_display()
    return f"{text} ({report.document.symbol})" if report.document else text


def dashboard_name(board: Dashboard) -> str:
    when = f"quy-{board.quarter}-{board.year}" if board.quarter else f"nam-{board.year}"
    return f"{slugify(fold(f'bang-theo-doi-{when}-{board.party.name}')) or 'bang-theo-doi'}.xlsx"


def write_dashboard(board: Dashboard, out: BinaryIO, progress: Progress | None = None) -> None:
    """Write the table to ``out`` in openpyxl's write-only mode: row by row, whatever the number of
    cells, in the memory of one row (a background job, core/jobs.py, calls it for the officer)."""
    book = write_only_book()
    period = period_label(board.year, board.quarter)
    sheet = book.create_sheet(period.replace("/", "-")[:31])
    header = [
        _("Cell"),
        _("Sessions planned"),
        _("Sessions held"),
        _("Sessions cancelled"),
        _("Meetings recorded"),
        _("Attendance rate"),
        _("Drafts sent"),
        _("Members who commented (per draft)"),
        _("Comments"),
        _("Comments answered"),
        *(_("Quality: %(level)s") % {"level": label} for _code, label in board.levels),
        _("Not assessed"),
        _("Resolutions issued"),
        _("Overdue drafts"),
        _("Overdue tasks"),
        _("Report"),
    ]
    # Write-only sheets take their layout before the first row.
    sheet.column_dimensions["A"].width = 42
    for index in range(2, len(header) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 14
    sheet.column_dimensions[get_column_letter(len(header))].width = 30
    sheet.freeze_panes = "B5"
    percent = {5: "0.0%", 7: "0.0%"}  # columns F and H
    sheet.append(safe_row(sheet, [f"{board.party.name} · {period}"], font=Font(bold=True, size=13)))
    sheet.append([_("Figures as of %(date)s") % {"date": board.today.strftime("%d/%m/%Y")}])
    sheet.append([])
    bold = Font(bold=True)
    sheet.append(safe_row(sheet, [str(text) for text in header], font=bold))
    total = len(board.rows)
    for done, row in enumerate(board.rows, start=1):
        values = _row(row.cell.name, row.figures, board.levels, _report_status(row.report))
        sheet.append(safe_row(sheet, values, formats=percent))
        if progress and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
    values = _row(str(_("Whole Party organisation")), board.total, board.levels, "")
    sheet.append(safe_row(sheet, values, font=bold, formats=percent))
    book.save(out)


def dashboard_xlsx(board: Dashboard) -> tuple[bytes, str, str]:
    """(content, content type, file name)."""
    buffer = io.BytesIO()
    write_dashboard(board, buffer)
    return buffer.getvalue(), CONTENT_TYPE, dashboard_name(board)
