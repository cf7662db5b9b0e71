"""The annual plan as a Party document (Kế hoạch sinh hoạt chuyên đề năm), DOCX and PDF.

The wording below is the text of the official document, which is written in Vietnamese whatever
language the reader uses the application in (see documents/wording.py), so it is not translated.

A plan is issued — numbered from the register ("Số 01-KH/CB") and frozen — each time the cell
submits it to the Đảng ủy: the signed document the Đảng ủy receives. A plan submitted again after
being returned is a new signed document with its own number; numbers are never reused. Before the
first submission, and while a returned plan is being corrected, the export is a draft with a blank
number ("Số     -KH/CB") rendered from the live plan.
"""

from datetime import date
from typing import Any

from documents.files import issued_file
from documents.frame import DocumentFrame, frame_for, heading, paragraph, superior_recipient, table
from documents.models import DocumentType
from documents.render import export
from documents.services import issue_document
from planning.models import AnnualPlan, Session

SUMMARY = "Sinh hoạt chuyên đề năm {year}"
PURPOSE_HEADING = "I. MỤC ĐÍCH, YÊU CẦU"
DEFAULT_PURPOSE = (
    "Nâng cao chất lượng sinh hoạt chi bộ; giúp đảng viên nâng cao nhận thức, trách nhiệm, gắn việc "
    "học tập, làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh với thực hiện nhiệm vụ chính trị của "
    "đơn vị. Mỗi quý tổ chức ít nhất một buổi sinh hoạt chuyên đề; dự thảo chuyên đề được chi ủy (bí "
    "thư) duyệt và gửi đến đảng viên nghiên cứu trước khi sinh hoạt."
)
CONTENT_HEADING = "II. NỘI DUNG, THỜI GIAN, NGƯỜI CHUẨN BỊ"
COLUMNS = ("Thời gian", "Chuyên đề", "Người chuẩn bị", "Ghi chú")
QUARTER = "Quý {n}"
MONTH = "tháng {m}"
COMBINED = "Kết hợp sinh hoạt thường kỳ"
CANCELLED = "Đã hủy: {reason}"
POSTPONED = "Hoãn từ {date}: {reason}"
IMPLEMENTATION_HEADING = "III. TỔ CHỨC THỰC HIỆN"
IMPLEMENTATION = (
    "Chi ủy (bí thư) phân công đảng viên chuẩn bị chuyên đề, trao đổi mục đích, yêu cầu, nội dung với "
    "người chuẩn bị; duyệt dự thảo và gửi đảng viên nghiên cứu trước buổi sinh hoạt. Đảng viên trong chi "
    "bộ nghiên cứu dự thảo, chuẩn bị ý kiến góp ý. Sau mỗi buổi sinh hoạt, chi bộ đánh giá, rút kinh "
    "nghiệm và báo cáo Đảng ủy theo quy định."
)
MEMBERS_RECIPIENT = "Đảng viên trong chi bộ"


def _when(session: Session) -> str:
    if session.planned_date:
        return session.planned_date.strftime("%d/%m/%Y")
    if session.month:
        return f"{QUARTER.format(n=session.quarter)}, {MONTH.format(m=session.month)}"
    return QUARTER.format(n=session.quarter)


def _note(session: Session) -> str:
    notes = []
    if session.combined_with_regular:
        notes.append(COMBINED)
    if session.status == Session.Status.CANCELLED:
        notes.append(CANCELLED.format(reason=session.cancelled_reason))
    elif session.postponed_from:
        notes.append(
            POSTPONED.format(
                date=session.postponed_from.strftime("%d/%m/%Y"), reason=session.postponed_reason
            )
        )
    return "; ".join(notes)


def plan_frame(plan: AnnualPlan, on: date | None = None) -> DocumentFrame:
    """A draft frame of the plan from its live data."""
    from planning.selectors import plan_sessions

    rows = [
        [_when(s), s.title, ", ".join(p.full_name for p in s.presenters.all()), _note(s)]
        for s in plan_sessions(plan)
    ]
    body = [
        heading(PURPOSE_HEADING),
        *(paragraph(text) for text in (plan.purpose or DEFAULT_PURPOSE).split("\n\n") if text.strip()),
        heading(CONTENT_HEADING),
        table(COLUMNS, rows, widths=[3, 7, 4, 3]),
        heading(IMPLEMENTATION_HEADING),
        paragraph(IMPLEMENTATION),
    ]
    return frame_for(
        plan.cell,
        doc_type=DocumentType.PLAN,
        summary=SUMMARY.format(year=plan.year),
        body=body,
        recipients=[superior_recipient(plan.cell), MEMBERS_RECIPIENT],
        on=on,
    )


def issue_plan_document(*, actor: Any, plan: AnnualPlan, on: date | None = None) -> Any:
    """Number and freeze the plan as the cell submits it (called inside submit_plan's transaction)."""
    return issue_document(
        actor=actor,
        organization=plan.cell,
        doc_type=DocumentType.PLAN,
        frame=plan_frame(plan, on=on),
        source=plan,
        issued_on=on,
    )


def export_plan(plan: AnnualPlan, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name): the issued document if the plan is with or acknowledged by
    the Đảng ủy, else a draft from the live data."""
    issued = plan.document is not None and plan.status in (
        AnnualPlan.Status.SUBMITTED,
        AnnualPlan.Status.ACKNOWLEDGED,
    )
    name = f"ke-hoach-{plan.year}-{plan.cell.name}"
    if issued and plan.document:
        return issued_file(plan.document, fmt, name)
    return export(plan_frame(plan), fmt, name)
