"""The table of how each comment was handled (bảng tổng hợp tiếp thu, giải trình ý kiến góp ý), DOCX/PDF.

The table is an annex of the draft, so it carries the Party header and date but no number. Its words
are the document's own (Vietnamese by regulation), hence not translated.
"""

from dataclasses import replace

from django.utils import timezone

from documents.frame import DocumentFrame, frame_for, paragraph, table
from documents.models import DocumentType
from documents.render import export
from drafts.models import Comment, Response
from planning.models import Session

TITLE = "BẢNG TỔNG HỢP TIẾP THU, GIẢI TRÌNH Ý KIẾN GÓP Ý"
SUMMARY = "Dự thảo chuyên đề “{title}”"
INTRO = "Người chuẩn bị chuyên đề tổng hợp, tiếp thu và giải trình các ý kiến góp ý của đảng viên như sau:"
COLUMNS = ("TT", "Người góp ý", "Nội dung góp ý", "Tiếp thu, giải trình")
WHOLE = "Toàn văn"
PARAGRAPH = "Đoạn {n}"
PAGE = "Trang {n}"
DECISIONS = {
    Response.Decision.ACCEPTED: "Tiếp thu",
    Response.Decision.PARTLY: "Tiếp thu một phần",
    Response.Decision.NOT_ACCEPTED: "Không tiếp thu",
}
NO_RESPONSE = "Chưa trả lời"
ON_PAPER = "góp ý bằng văn bản"  # a sheet handed in on paper, typed in by a secretary
SIGNER_CAPACITY = "NGƯỜI TỔNG HỢP"


def _where(comment: Comment) -> str:
    anchor = comment.current_anchor
    if not anchor:
        return WHOLE
    kind, _sep, number = anchor.partition("-")
    return (PAGE if kind == "page" else PARAGRAPH).format(n=number)


def response_rows(session: Session) -> list[list[str]]:
    comments = (
        Comment.objects.filter(session=session, parent=None, deleted_at=None)
        .select_related("author", "response")
        .order_by("created_at", "id")
    )
    rows = []
    for index, comment in enumerate(comments, start=1):
        response = getattr(comment, "response", None)
        answer = (
            f"{DECISIONS[Response.Decision(response.decision)]}. {response.explanation}".strip()
            if response
            else NO_RESPONSE
        )
        author = f"{comment.author.full_name} ({ON_PAPER})" if comment.on_paper else comment.author.full_name
        rows.append([str(index), author, f"({_where(comment)}) {comment.body}", answer])
    return rows


def response_frame(session: Session) -> DocumentFrame:
    frame = frame_for(
        session.cell,
        doc_type=DocumentType.REPORT,
        title=TITLE,
        summary=SUMMARY.format(title=session.title),
        body=[paragraph(INTRO), table(COLUMNS, response_rows(session), widths=[1, 4, 7, 7])],
    )
    presenter = ", ".join(p.full_name for p in session.presenters.order_by("full_name"))
    return replace(
        frame,
        numbered=False,
        date=timezone.localdate(),
        signer_capacity=SIGNER_CAPACITY,
        signer_title="",
        signer_name=presenter,
    )


def export_responses(session: Session, fmt: str) -> tuple[bytes, str, str]:
    return export(response_frame(session), fmt, f"tiep-thu-gop-y-{session.title}", limit=80)
