"""The dashboard as a spreadsheet (XLSX, openpyxl): one row per cell and the Đảng bộ's total, the
numbers as numbers (rates as percentages) so the office can sort, sum and chart them itself."""

from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from core.spreadsheets import workbook_bytes
from core.text import fold
from core.web import XLSX_CONTENT_TYPE
from reports.models import Report, period_label
from reports.selectors import Dashboard, Figures

CONTENT_TYPE = XLSX_CONTENT_TYPE


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


def dashboard_xlsx(board: Dashboard) -> tuple[bytes, str, str]:
    """(content, content type, file name)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    period = period_label(board.year, board.quarter)
    sheet.title = period.replace("/", "-")[:31]
    sheet.append([f"{board.party.name} · {period}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([_("Figures as of %(date)s") % {"date": board.today.strftime("%d/%m/%Y")}])
    sheet.append([])
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
    sheet.append([str(text) for text in header])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in board.rows:
        sheet.append(_row(row.cell.name, row.figures, board.levels, _report_status(row.report)))
    sheet.append(_row(str(_("Whole Party organisation")), board.total, board.levels, ""))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for column in ("F", "H"):
        for cell in sheet[column][4:]:
            cell.number_format = "0.0%"
    sheet.column_dimensions["A"].width = 42
    for index in range(2, len(header) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 14
    sheet.column_dimensions[get_column_letter(len(header))].width = 30
    sheet.freeze_panes = "B5"
    content = workbook_bytes(book)
    when = f"quy-{board.quarter}-{board.year}" if board.quarter else f"nam-{board.year}"
    name = slugify(fold(f"bang-theo-doi-{when}-{board.party.name}")) or "bang-theo-doi"
    return content, CONTENT_TYPE, f"{name}.xlsx"
