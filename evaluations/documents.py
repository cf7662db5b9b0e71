"""The participation evidence of a member (for the year-end self-assessment, HD 43 forms 2A/2B/2C) as a
Party-format document, and the cell's participation table as XLSX. The document wording is Vietnamese
whatever language the reader uses (as in planning/exports.py)."""

import io
from collections.abc import Iterable
from typing import Any, BinaryIO

from django.utils import timezone
from django.utils.text import slugify
from openpyxl.styles import Font

from core.spreadsheets import safe_row, write_only_book
from core.text import fold
from core.web import XLSX_CONTENT_TYPE
from documents.frame import DocumentFrame, frame_for, heading, paragraph, table
from documents.models import DocumentType
from evaluations.participation import Record

RATING_NAMES = {"excellent": "Xuất sắc", "good": "Tốt", "fair": "Đạt yêu cầu", "weak": "Chưa đạt"}


def _rate(record: Record) -> str:
    return f"{record.attendance_rate:.0f}%".replace(".", ",") if record.attendance_rate is not None else "—"


def evidence_frame(record: Record, cell: Any) -> DocumentFrame:
    """BẢN TỔNG HỢP MINH CHỨNG: the figures of the record with the sessions presented and their ratings,
    signed by the member; the cell's secretary confirms it (left signature)."""
    member, year = record.member, record.year
    presented = [
        [
            p.session.planned_date.strftime("%d/%m/%Y") if p.session.planned_date else "",
            p.session.title,
            RATING_NAMES.get(p.evaluation.presenter_rating, "") if p.evaluation else "Chưa đánh giá",
        ]
        for p in record.presented
    ]
    body = [
        paragraph(f"Họ và tên: {member.full_name}. Chức vụ, đơn vị: {member.job_title or '…'}, {cell.name}."),
        heading("I. THAM GIA SINH HOẠT CHI BỘ"),
        table(
            ["Nội dung", "Số buổi"],
            [
                ["Số buổi sinh hoạt chi bộ trong năm (thường kỳ và chuyên đề)", str(record.meetings)],
                ["Có mặt (kể cả đến muộn)", f"{record.present} (đến muộn: {record.late_arrivals})"],
                ["Vắng có lý do", str(record.excused)],
                ["Vắng không có lý do", str(record.unexcused)],
                ["Miễn sinh hoạt", str(record.exempted)],
                ["Sinh hoạt tạm thời nơi khác", str(record.elsewhere)],
                ["Tỷ lệ dự sinh hoạt", _rate(record)],
                ["Số buổi vắng liên tiếp nhiều nhất", str(record.longest_absence)],
            ],
            widths=[7, 3],
        ),
        heading("II. NGHIÊN CỨU, GÓP Ý DỰ THẢO CHUYÊN ĐỀ"),
        paragraph(
            f"Dự thảo chuyên đề được gửi: {record.drafts}; đã mở đọc: {record.opened}. Số ý kiến góp ý: "
            f"{record.comments} (đúng hạn: {record.on_time}; sau hạn: {record.late}); được tiếp thu: "
            f"{record.accepted}; tiếp thu một phần: {record.partly}."
        ),
        heading("III. PHÁT BIỂU VÀ CHUẨN BỊ CHUYÊN ĐỀ"),
        paragraph(f"Số lần phát biểu tại các buổi sinh hoạt: {record.speeches}."),
        paragraph(f"Số chuyên đề được phân công chuẩn bị: {len(record.presented)}."),
    ]
    if presented:
        body.append(table(["Ngày", "Chuyên đề", "Đánh giá của chi bộ"], presented, widths=[2, 6, 3]))
    body.append(
        paragraph(
            "Các số liệu trên được tổng hợp từ biên bản sinh hoạt chi bộ và hồ sơ dự thảo, góp ý chuyên đề; "
            "là minh chứng kèm theo Bản tự đánh giá, xếp loại chất lượng đảng viên năm "
            f"{year} (mẫu 2A/2B/2C theo Hướng dẫn số 43-HD/BTCTW)."
        )
    )
    frame = frame_for(
        cell,
        doc_type=DocumentType.REPORT,
        title="BẢN TỔNG HỢP MINH CHỨNG",
        summary=f"Tham gia sinh hoạt chi bộ năm {year}",
        body=body,
    )
    frame.numbered = False
    frame.date = timezone.localdate()
    frame.signer_capacity = ""
    frame.signer_title = "ĐẢNG VIÊN"
    frame.signer_name = member.full_name
    frame.cosigner_title = "XÁC NHẬN CỦA CHI BỘ"
    frame.cosigner_name = ""
    frame.recipients = []
    return frame.normalized()


COLUMNS = (
    "Họ và tên",
    "Số buổi sinh hoạt",
    "Có mặt",
    "Vắng có lý do",
    "Vắng không lý do",
    "Miễn sinh hoạt",
    "Vắng liên tiếp nhiều nhất",
    "Dự thảo được gửi",
    "Đã mở",
    "Góp ý",
    "Góp ý sau hạn",
    "Được tiếp thu",
    "Phát biểu",
    "Chuyên đề chuẩn bị",
)


def record_row(r: Record) -> list[Any]:
    """One member's row of the participation table, under :data:`COLUMNS`."""
    return [
        r.member.full_name,
        r.meetings,
        r.present,
        r.excused,
        r.unexcused,
        r.exempted,
        r.longest_absence,
        r.drafts,
        r.opened,
        r.comments,
        r.late,
        r.accepted,
        r.speeches,
        len(r.presented),
    ]


def write_records(records: Iterable[Record], title: str, out: BinaryIO) -> None:
    """The cell's participation table, one row per member (figures as numbers, for sorting and sums),
    written to ``out`` in openpyxl's write-only mode (rows stream: the year-end archive writes
    thousands of these)."""
    book = write_only_book()
    sheet = book.create_sheet("Tham gia")
    sheet.column_dimensions["A"].width = 28
    sheet.freeze_panes = "B3"
    sheet.append(safe_row(sheet, [title], font=Font(bold=True, size=13)))
    sheet.append(safe_row(sheet, [str(text) for text in COLUMNS], font=Font(bold=True)))
    for r in records:
        sheet.append(safe_row(sheet, record_row(r)))
    book.save(out)


def records_xlsx(records: list[Record], title: str, name: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the cell's participation table."""
    buffer = io.BytesIO()
    write_records(records, title, buffer)
    return buffer.getvalue(), XLSX_CONTENT_TYPE, f"{slugify(fold(name))}.xlsx"
