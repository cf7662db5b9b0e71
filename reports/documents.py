"""The report as a Party document (Báo cáo kết quả sinh hoạt chuyên đề), DOCX and PDF.

The wording below is the text of the official document, written in Vietnamese whatever language the
reader uses the application in (as in planning/exports.py and meetings/documents.py), so it is not
translated. The figures come from :class:`reports.selectors.ReportFigures`: when the report is
submitted the frame is issued (numbered ``Số 01-BC/CB``, dated) and frozen in the issued document's
snapshot, together with the figures in ``Report.figures``.
"""

from datetime import date
from typing import Any

from documents import render
from documents.frame import (
    DocumentFrame,
    bullet_list,
    frame_for,
    heading,
    paragraph,
    superior_recipient,
    table,
)
from documents.models import DocumentType
from planning.models import Session
from reports.models import Report
from reports.selectors import HELD, ReportFigures

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
SUMMARY_QUARTER = "Kết quả sinh hoạt chuyên đề quý {roman} năm {year}"
SUMMARY_YEAR = "Tổng kết sinh hoạt chuyên đề năm {year}"
RESULTS_HEADING = "I. KẾT QUẢ THỰC HIỆN"
ASSESSMENT_HEADING = "II. ĐÁNH GIÁ CHUNG"
DIRECTION_HEADING_QUARTER = "III. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ TỚI"
DIRECTION_HEADING_YEAR = "III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM TỚI"
SESSION_COLUMNS = ("TT", "Chuyên đề", "Người chuẩn bị", "Thời gian", "Kết quả")
NO_ASSESSMENT = "…"


def _d(iso: str | None) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""


def percent(value: float | None) -> str:
    """ "92,3%" (a decimal comma, as Vietnamese documents write it); "100%" without decimals."""
    if value is None:
        return "—"
    rounded = round(value, 1)
    text = f"{rounded:.0f}" if rounded == int(rounded) else f"{rounded:.1f}".replace(".", ",")
    return f"{text}%"


def _paragraphs(text: str) -> list[dict[str, Any]]:
    return [paragraph(line.strip()) for line in text.splitlines() if line.strip()]


def summary(year: int, quarter: int | None) -> str:
    if quarter is None:
        return SUMMARY_YEAR.format(year=year)
    return SUMMARY_QUARTER.format(roman=ROMAN[quarter], year=year)


def _period_words(data: ReportFigures) -> tuple[str, str]:
    """("quý III năm 2026", "trong quý") or ("năm 2026", "trong năm")."""
    if data.quarter is None:
        return f"năm {data.year}", "trong năm"
    return f"quý {ROMAN[data.quarter]} năm {data.year}", "trong quý"


def _session_result(line: Any, data: ReportFigures) -> str:
    if line.held_on:
        text = f"Đã sinh hoạt ngày {_d(line.held_on)}"
        if line.quality:
            text += f"; chất lượng: {data.level_label(line.quality)}"
        return text
    if line.status in HELD:
        return "Đã sinh hoạt"
    if line.status == Session.Status.CANCELLED:
        return f"Đã hủy: {line.note}" if line.note else "Đã hủy"
    return f"Chưa tổ chức (hoãn: {line.note})" if line.note else "Chưa tổ chức"


def _sessions(data: ReportFigures, within: str) -> list[dict[str, Any]]:
    f = data.figures
    blocks = [heading("1. Sinh hoạt chuyên đề")]
    if not data.sessions:
        blocks.append(paragraph(f"Kế hoạch của chi bộ không có buổi sinh hoạt chuyên đề {within}."))
        return blocks
    sentence = (
        f"Theo kế hoạch, {within} chi bộ sinh hoạt {f.planned} chuyên đề; đã tổ chức {f.held} chuyên đề"
    )
    if f.not_held:
        sentence += f", chưa tổ chức {f.not_held} chuyên đề"
    if f.cancelled:
        sentence += f"; hủy {f.cancelled} chuyên đề"
    blocks.append(paragraph(sentence + "."))
    rows = [
        [str(index), line.title, line.presenters, _d(line.planned_date), _session_result(line, data)]
        for index, line in enumerate(data.sessions, start=1)
    ]
    blocks.append(table(SESSION_COLUMNS, rows, widths=[1, 6, 4, 3, 4]))
    return blocks


def _attendance(data: ReportFigures, within: str) -> list[dict[str, Any]]:
    f = data.figures
    blocks = [heading("2. Tham gia sinh hoạt của đảng viên")]
    if not f.meetings:
        blocks.append(
            paragraph(f"{within.capitalize()}, chi bộ chưa có buổi sinh hoạt nào được thông qua biên bản.")
        )
        return blocks
    blocks.append(
        paragraph(
            f"{within.capitalize()}, chi bộ tổ chức {f.meetings} buổi sinh hoạt có biên bản được thông qua "
            f"(sinh hoạt thường kỳ: {f.regular}; sinh hoạt chuyên đề: {f.thematic}; "
            f"thường kỳ kết hợp chuyên đề: {f.combined})."
        )
    )
    blocks.append(
        paragraph(
            f"Tỷ lệ đảng viên dự sinh hoạt: {percent(f.attendance_rate)} "
            f"({f.attended}/{f.expected} lượt đảng viên phải dự sinh hoạt; không tính đảng viên được miễn "
            "sinh hoạt, sinh hoạt tạm thời nơi khác, bị đình chỉ sinh hoạt hoặc bị truy tố, tạm giam); "
            f"đến muộn: {f.late} lượt; vắng có lý do: {f.excused} lượt; vắng không có lý do: "
            f"{f.unexcused} lượt."
        )
    )
    return blocks


def _comments(data: ReportFigures, within: str) -> list[dict[str, Any]]:
    f = data.figures
    blocks = [heading("3. Nghiên cứu, góp ý dự thảo chuyên đề")]
    if not f.drafts:
        blocks.append(
            paragraph(f"{within.capitalize()}, chưa có dự thảo chuyên đề nào được gửi đảng viên nghiên cứu.")
        )
        return blocks
    blocks.append(
        paragraph(
            f"Có {f.drafts} dự thảo chuyên đề được duyệt và gửi đảng viên nghiên cứu; "
            f"{f.commented}/{f.readers} lượt đảng viên tham gia góp ý ({percent(f.comment_share)}), "
            f"với {f.comments} ý kiến góp ý; "
            f"người chuẩn bị đã tiếp thu, giải trình {f.answered}/{f.comments} ý kiến."
        )
    )
    return blocks


def _quality(data: ReportFigures) -> list[dict[str, Any]]:
    f = data.figures
    blocks = [heading("4. Chất lượng sinh hoạt")]
    if not f.meetings:
        blocks.append(paragraph("Chưa có buổi sinh hoạt được đánh giá chất lượng."))
        return blocks
    parts = [f"{label}: {count} buổi" for label, count in data.quality_rows]
    if f.unassessed:
        parts.append(f"chưa đánh giá: {f.unassessed} buổi")
    blocks.append(paragraph("Kết quả đánh giá chất lượng các buổi sinh hoạt: " + "; ".join(parts) + "."))
    return blocks


def _resolutions(data: ReportFigures, within: str) -> list[dict[str, Any]]:
    f = data.figures
    blocks = [heading("5. Ban hành và thực hiện nghị quyết chuyên đề")]
    if data.resolutions:
        blocks.append(
            paragraph(f"{within.capitalize()}, chi bộ ban hành {len(data.resolutions)} nghị quyết, kết luận:")
        )
        blocks.append(
            bullet_list(
                f"Số {r.symbol} ngày {_d(r.issued_on)} về chuyên đề “{r.title}” "
                f"({r.tasks} nhiệm vụ, đã hoàn thành {r.done})"
                for r in data.resolutions
            )
        )
    else:
        blocks.append(paragraph(f"{within.capitalize()}, chi bộ không ban hành nghị quyết chuyên đề mới."))
    if f.tasks:
        blocks.append(
            paragraph(
                f"Nhiệm vụ theo nghị quyết có thời hạn {within}: {f.tasks}; đã hoàn thành: {f.tasks_done}; "
                f"chưa đến hạn: {f.tasks_open}; quá hạn chưa hoàn thành: {f.tasks_overdue}."
            )
        )
    else:
        blocks.append(paragraph(f"Không có nhiệm vụ theo nghị quyết đến hạn {within}."))
    return blocks


def report_frame(report: Report, data: ReportFigures, on: date | None = None) -> DocumentFrame:
    """A draft frame of the report (no number, no date) from its figures and the secretary's text."""
    period, within = _period_words(data)
    if data.plan_symbol:
        basis = (
            f"Thực hiện Kế hoạch số {data.plan_symbol} ngày {_d(data.plan_date)} của Chi bộ về sinh hoạt "
            f"chuyên đề năm {data.year}"
        )
    else:
        basis = f"Thực hiện kế hoạch sinh hoạt chuyên đề năm {data.year}"
    body: list[dict[str, Any]] = [
        paragraph(f"{basis}, {report.cell.name} báo cáo kết quả sinh hoạt chuyên đề {period} như sau:"),
        heading(RESULTS_HEADING),
        *_sessions(data, within),
        *_attendance(data, within),
        *_comments(data, within),
        *_quality(data),
        *_resolutions(data, within),
        paragraph(f"Số liệu tính đến ngày {data.as_of_date.strftime('%d/%m/%Y')}."),
        heading(ASSESSMENT_HEADING),
        *(_paragraphs(report.assessment) or [paragraph(NO_ASSESSMENT)]),
    ]
    if report.direction.strip():
        body.append(heading(DIRECTION_HEADING_YEAR if report.is_annual else DIRECTION_HEADING_QUARTER))
        body.extend(_paragraphs(report.direction))
    return frame_for(
        report.cell,
        doc_type=DocumentType.REPORT,
        summary=summary(report.year, report.quarter),
        body=body,
        recipients=[superior_recipient(report.cell)],
        on=on,
    )


def file_name(report: Report) -> str:
    """The name the report downloads under, before its ASCII folding: "bao-cao-quy-1-2026-Chi bộ …"."""
    period = f"quy-{report.quarter}-{report.year}" if report.quarter else f"nam-{report.year}"
    return f"bao-cao-{period}-{report.cell.name}"


def export(frame: DocumentFrame, fmt: str, report: Report) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the report's draft as PDF or DOCX (the issued report is
    served as stored: documents.files.issued_file)."""
    return render.export(frame, fmt, file_name(report))
