"""A session's draft: versions, approval and distribution, who has read it, comments and replies, the
responses to the comments, and the final text after the meeting (issue 14, item 1). The pages:
/du-thao/<session>/ (drafts/views.py); every operation calls the same service as its page.

Approving the draft IS sending it to the members (drafts.services.approve_draft): there is no separate
"distribute" step. After the meeting a version uploaded or written is the final text (stage
``final``); it is submitted, approved or returned through ``/final-text/…``.
"""

import uuid
from datetime import date, datetime
from typing import Any, Literal

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from api.errors import ERRORS
from api.forms import validated
from api.pagination import Pages
from core.web import attachment, deny_unless, get_visible_or_404
from drafts import exports, permissions, selectors, services
from drafts.blocks import split_blocks
from drafts.forms import (
    DOCX_MIME,
    CommentForm,
    EditCommentForm,
    EditorForm,
    ResponseForm,
    ReturnForm,
    UploadForm,
    VersionForm,
)
from drafts.models import Comment, Distribution, DraftVersion, Response, Review
from organizations.models import Member
from organizations.permissions import scope_for
from planning.models import Session

router = Router(tags=["drafts"])

# --- Shapes --------------------------------------------------------------------------------------


class VersionOut(Schema):
    number: int = Field(examples=[2])
    stage: str = Field(description="`draft` (dự thảo) hay `final` (bản hoàn chỉnh sau buổi sinh hoạt).")
    kind: str = Field(description="`docx`, `pdf` hay `html` (soạn trên trang).", examples=["docx"])
    original_name: str = Field(examples=["du-thao-chuyen-de.docx"])
    pages: int | None = Field(description="Số trang của bản PDF.", examples=[None])
    note: str = Field(description="Điểm thay đổi của phiên bản.", examples=["Bổ sung số liệu năm 2025"])
    created_at: datetime
    approved_at: datetime | None = Field(description="Khi được duyệt; chưa duyệt thì `null`.")


class ParagraphOut(Schema):
    anchor: str = Field(
        description="Mã đoạn để góp ý: `p-N` (đoạn) hay `page-N` (trang PDF).", examples=["p-3"]
    )
    number: int = Field(description="Số thứ tự đoạn (hay trang) như trang đọc ghi.", examples=[3])
    text: str = Field(examples=["Học tập suốt đời, học ở mọi nơi, học mọi người."])


class VersionContentOut(VersionOut):
    html: str = Field(
        description="Nội dung đã làm sạch, như trang đọc hiển thị (mỗi đoạn mang `id` là mã đoạn); "
        "bản PDF không có HTML.",
        examples=['<p id="p-1">Văn hóa Hồ Chí Minh về học tập…</p>'],
    )
    paragraphs: list[ParagraphOut]


class DistributionOut(Schema):
    version_number: int = Field(examples=[2])
    distributed_at: datetime
    comments_due: date | None = Field(description="Hạn góp ý, tính lùi từ ngày sinh hoạt theo bộ quy tắc.")
    late: bool = Field(description="Gửi muộn hơn bộ quy tắc cho phép trước buổi sinh hoạt.")
    include_exempted: bool = Field(description="Có gửi cả đảng viên miễn sinh hoạt.")


class ReviewOut(Schema):
    version_number: int = Field(examples=[1])
    submitted_at: datetime
    decision: str = Field(description="`pending`, `approved` hay `returned`.", examples=["returned"])
    remarks: str = Field(examples=["Bổ sung phần liên hệ thực tiễn của Khoa."])
    decided_at: datetime | None


class DraftOut(Schema):
    session_id: int = Field(examples=[12])
    title: str = Field(examples=["Văn hóa Hồ Chí Minh về học tập, lao động và làm việc"])
    status: str = Field(description="Trạng thái của buổi sinh hoạt chuyên đề.", examples=["distributed"])
    planned_date: date | None
    page_url: str = Field(examples=["/du-thao/12/"])
    read_url: str = Field(examples=["/du-thao/12/doc/"])
    versions: list[VersionOut] = Field(
        description="Người chuẩn bị và người duyệt thấy mọi phiên bản; người khác chỉ thấy bản đã duyệt."
    )
    current_version: VersionContentOut | None = Field(
        description="Phiên bản trang đọc hiển thị: bản đã duyệt mới nhất, nếu chưa có thì bản mới nhất."
    )
    distribution: DistributionOut | None
    reviews: list[ReviewOut] = Field(
        description="Các lượt trình duyệt và nhận xét; chỉ người chuẩn bị và người duyệt thấy."
    )
    unanswered_comments: int = Field(description="Số góp ý chưa được tiếp thu, giải trình.", examples=[0])


class ApprovedOut(DraftOut):
    recipients: int = Field(description="Số đảng viên được gửi dự thảo.", examples=[9])


class ReaderOut(Schema):
    member_id: int
    full_name: str = Field(examples=["Phạm Thị Mai"])
    first_opened_at: datetime | None = Field(description="Lần đầu mở dự thảo; chưa mở thì `null`.")
    comments: int = Field(description="Số góp ý đã viết.", examples=[2])


class RemindedOut(Schema):
    reminded: int = Field(description="Số đảng viên được nhắc.", examples=[3])


class AuthorOut(Schema):
    id: int
    full_name: str = Field(examples=["Lê Văn Đức"])


class ResponseOut(Schema):
    comment_id: int
    decision: str = Field(description="`accepted`, `partly` hay `not_accepted`.", examples=["partly"])
    decision_label: str = Field(examples=["Tiếp thu một phần"])
    explanation: str = Field(examples=["Số liệu năm 2025 chưa được công bố chính thức."])
    responded_at: datetime


class ReplyOut(Schema):
    id: int
    parent_id: int
    deleted: bool = Field(
        description="Đã xóa: chỉ còn dấu “Trả lời đã bị xóa.”, không tác giả, không nội dung."
    )
    author: AuthorOut | None
    body: str | None = Field(examples=["Đồng ý, nên thêm số liệu."])
    created_at: datetime | None
    mine: bool = Field(description="Của chính người gọi.")


ON_PAPER = "Góp ý bằng văn bản: phiếu giấy đảng viên nộp, bí thư nhập hộ."


class CommentOut(Schema):
    id: int
    anchor: str = Field(
        description="Đoạn góp ý trên phiên bản đang xem (`p-N`, `page-N`); rỗng: góp ý chung cho cả dự thảo.",
        examples=["p-3"],
    )
    unmatched: bool = Field(description="Đoạn đã đổi quá nhiều ở phiên bản mới, không tìm thấy (hiện riêng).")
    deleted: bool = Field(description="Đã xóa: chỉ còn dấu và thời điểm xóa, các trả lời vẫn giữ.")
    deleted_at: datetime | None
    author: AuthorOut | None
    body: str | None = Field(examples=["Nên bổ sung ví dụ thực tiễn của Khoa."])
    created_at: datetime | None
    edited: bool
    late: bool = Field(description="Viết sau hạn góp ý.")
    on_paper: bool = Field(description=ON_PAPER)
    mine: bool = Field(description="Của chính người gọi.")
    response: ResponseOut | None = Field(description="Tiếp thu, giải trình của người chuẩn bị.")
    replies: list[ReplyOut]


class ResponseRowOut(Schema):
    number: int = Field(description="Số thứ tự trong bảng tổng hợp tiếp thu, giải trình.", examples=[1])
    comment_id: int
    author: AuthorOut
    anchor: str = Field(description="Đoạn góp ý trên phiên bản mới nhất; rỗng: cả dự thảo.", examples=["p-3"])
    quote: str = Field(description="Nội dung đoạn được góp ý.", examples=["Học tập suốt đời, học ở mọi nơi…"])
    body: str = Field(examples=["Nên bổ sung ví dụ thực tiễn của Khoa."])
    on_paper: bool = Field(description=ON_PAPER)
    response: ResponseOut | None


# --- Input ---------------------------------------------------------------------------------------


class VersionIn(Schema):
    expected_version: int | None = Field(
        None,
        description="Số phiên bản mới nhất người gọi đã thấy: nếu đã có bản mới hơn, "
        "yêu cầu bị từ chối (409).",
        examples=[2],
    )


class ApproveIn(VersionIn):
    include_exempted: bool = Field(False, description="Gửi cả đảng viên miễn sinh hoạt.", examples=[False])


class ReturnIn(VersionIn):
    remarks: str = Field(
        description="Nhận xét để người chuẩn bị sửa.", examples=["Bổ sung số liệu năm 2025."]
    )


class EditorIn(VersionIn):
    text: str = Field(
        description="Văn bản thuần: các đoạn cách nhau một dòng trống; "
        'dòng bắt đầu "# " là tiêu đề, "- " là ý.',
        examples=["# I. Nội dung\n\nVăn hóa Hồ Chí Minh về học tập…\n\n- Tự học\n- Gắn học với hành"],
    )
    note: str = Field("", description="Điểm thay đổi của phiên bản.", examples=["Viết lại phần II"])


class CommentIn(Schema):
    body: str = Field(examples=["Nên bổ sung ví dụ thực tiễn của Khoa."])
    anchor: str = Field(
        "", description="Mã đoạn (`p-N`) hay trang PDF (`page-N`); bỏ trống: góp ý chung.", examples=["p-3"]
    )
    client_id: uuid.UUID | None = Field(
        None,
        description="Mã do máy khách tạo: gửi lại cùng mã (mất sóng, thử lại) "
        "thì góp ý chỉ được lưu một lần.",
        examples=["3f0c2a4e-9a51-4a8e-b0f4-0d9c7e1a2b3c"],
    )


class ReplyIn(Schema):
    body: str = Field(examples=["Đồng ý với ý kiến này."])
    client_id: uuid.UUID | None = Field(None, description="Như ở góp ý: lưu một lần.", examples=[None])


class EditCommentIn(Schema):
    body: str = Field(examples=["Nên bổ sung hai ví dụ thực tiễn của Khoa."])


class ResponseIn(Schema):
    decision: str = Field(
        description="`accepted` (tiếp thu), `partly` (tiếp thu một phần) "
        "hay `not_accepted` (không tiếp thu).",
        examples=["partly"],
    )
    explanation: str = Field(
        "",
        description="Giải trình; bắt buộc khi không tiếp thu hết.",
        examples=["Số liệu 2025 chưa công bố."],
    )


class CommentFilter(Schema):
    version: int | None = Field(None, description="Số phiên bản; mặc định phiên bản trang đọc hiển thị.")
    anchor: str | None = Field(
        None, description="Chỉ góp ý ở đoạn này (`p-N`, `page-N`); `whole`: góp ý chung cho cả dự thảo."
    )


class ResponseFilter(Schema):
    answered: bool | None = Field(None, description="`true`: đã tiếp thu, giải trình; `false`: chưa.")


# --- Helpers -------------------------------------------------------------------------------------


def _session(request: HttpRequest, session_id: int) -> Session:
    return get_visible_or_404(selectors.draft_sessions(request.user), pk=session_id)


def _version_out(version: DraftVersion) -> VersionOut:
    return VersionOut(
        number=version.number,
        stage=version.stage,
        kind=version.kind,
        original_name=version.original_name,
        pages=version.pages,
        note=version.note,
        created_at=version.created_at,
        approved_at=version.approved_at,
    )


def _number(anchor: str) -> int:
    return int(anchor.rsplit("-", 1)[1]) if anchor and anchor.rsplit("-", 1)[-1].isdigit() else 0


def _content_out(version: DraftVersion) -> VersionContentOut:
    """The version as the reading page shows it: its blocks re-serialised from the sanitised HTML."""
    html = (
        "" if version.kind == DraftVersion.Kind.PDF else "".join(b.html for b in split_blocks(version.html))
    )
    paragraphs = [
        ParagraphOut(anchor=p["anchor"], number=_number(p["anchor"]), text=str(p.get("text", "")))
        for p in version.paragraphs
        if isinstance(p, dict) and p.get("anchor")
    ]
    return VersionContentOut(**_version_out(version).dict(), html=html, paragraphs=paragraphs)


def _opened(request: HttpRequest, session: Session, version: DraftVersion) -> VersionContentOut:
    """``version``'s content, its opening recorded as the reading page records it."""
    member = permissions.member_of(request.user)
    services.record_reading(user=request.user, member=member, session=session, version=version)
    return _content_out(version)


def _draft_out(request: HttpRequest, session: Session, *, opened: bool = False) -> DraftOut:
    """What the workspace shows of the draft to ``request.user``; with ``opened``, the current version's
    text too (reading it counts as opening the draft, as on the reading page)."""
    user = request.user
    versions = selectors.visible_versions(user, session)
    current = selectors.pick_version(versions)
    distribution = Distribution.objects.filter(session=session).select_related("version").first()
    reviews: list[Review] = []
    if permissions.sees_unapproved(user, session):
        reviews = list(session.reviews.select_related("version").order_by("-submitted_at", "-id"))
    if distribution is not None:
        distribution.session = session  # its deadline is read from the session's cell, loaded already
    return DraftOut(
        session_id=session.pk,
        title=session.title,
        status=session.status,
        planned_date=session.planned_date,
        page_url=reverse("drafts:workspace", args=[session.pk]),
        read_url=reverse("drafts:read", args=[session.pk]),
        versions=[_version_out(v) for v in versions],
        current_version=_opened(request, session, current) if opened and current else None,
        distribution=DistributionOut(
            version_number=distribution.version.number,
            distributed_at=distribution.distributed_at,
            comments_due=distribution.comments_due,
            late=distribution.late,
            include_exempted=distribution.include_exempted,
        )
        if distribution
        else None,
        reviews=[
            ReviewOut(
                version_number=r.version.number,
                submitted_at=r.submitted_at,
                decision=r.decision,
                remarks=r.remarks,
                decided_at=r.decided_at,
            )
            for r in reviews
        ],
        unanswered_comments=services.unanswered_comments(session),
    )


def _after(request: HttpRequest, session: Session) -> DraftOut:
    """The draft as it is now, after an action changed it."""
    return _draft_out(request, _session(request, session.pk))


def _author(member: Member) -> AuthorOut:
    return AuthorOut(id=member.pk, full_name=member.full_name)


def _response_out(response: Response) -> ResponseOut:
    return ResponseOut(
        comment_id=response.comment_id,
        decision=response.decision,
        decision_label=str(response.get_decision_display()),
        explanation=response.explanation,
        responded_at=response.responded_at,
    )


def _reply_out(reply: Comment, me: int | None) -> ReplyOut:
    # A deleted reply shows only "Reply deleted." on the page: no author, no time.
    if reply.is_deleted:
        return ReplyOut(
            id=reply.pk,
            parent_id=reply.parent_id or 0,
            deleted=True,
            author=None,
            body=None,
            created_at=None,
            mine=False,
        )
    return ReplyOut(
        id=reply.pk,
        parent_id=reply.parent_id or 0,
        deleted=False,
        author=_author(reply.author),
        body=reply.body,
        created_at=reply.created_at,
        mine=reply.author_id == me,
    )


def _comment_out(comment: Comment, anchor: str, me: int | None) -> CommentOut:
    """A comment and its thread as the reading page shows them (a deleted one: a tombstone)."""
    replies = [_reply_out(r, me) for r in comment.replies.all()]
    if comment.is_deleted:
        return CommentOut(
            id=comment.pk,
            anchor=anchor,
            unmatched=comment.unmatched,
            deleted=True,
            deleted_at=comment.deleted_at,
            author=None,
            body=None,
            created_at=None,
            edited=False,
            late=False,
            on_paper=False,
            mine=False,
            response=None,
            replies=replies,
        )
    response = getattr(comment, "response", None)
    return CommentOut(
        id=comment.pk,
        anchor=anchor,
        unmatched=comment.unmatched,
        deleted=False,
        deleted_at=None,
        author=_author(comment.author),
        body=comment.body,
        created_at=comment.created_at,
        edited=comment.edited_at is not None,
        late=comment.late,
        on_paper=comment.on_paper,
        mine=comment.author_id == me,
        response=_response_out(response) if response else None,
        replies=replies,
    )


def _comment(request: HttpRequest, comment_id: int) -> Comment:
    return get_visible_or_404(selectors.readable_comments(request.user), pk=comment_id)


def _me(request: HttpRequest) -> int | None:
    return scope_for(request.user).member_id


# --- The draft and its versions ------------------------------------------------------------------


@router.get(
    "/sessions/{int:session_id}/draft",
    response={200: DraftOut, **ERRORS},
    summary="Dự thảo của một buổi sinh hoạt chuyên đề",
    description="Trạng thái, các phiên bản, lần gửi đảng viên và phiên bản trang đọc hiển thị (HTML đã làm "
    "sạch và các đoạn kèm mã đoạn). Đảng viên chỉ thấy bản đã duyệt; đảng viên của chi bộ đọc bản đã duyệt "
    "thì được ghi nhận đã mở dự thảo, như trên trang.",
)
def get_draft(request: HttpRequest, session_id: int) -> DraftOut:
    return _draft_out(request, _session(request, session_id), opened=True)


@router.get(
    "/sessions/{int:session_id}/draft/versions/{int:number}",
    response={200: VersionContentOut, **ERRORS},
    summary="Một phiên bản của dự thảo",
    description="Nội dung như trang đọc hiển thị. Phiên bản chưa duyệt chỉ người chuẩn bị và người duyệt "
    "xem được (người khác: 404).",
)
def get_draft_version(request: HttpRequest, session_id: int, number: int) -> VersionContentOut:
    session = _session(request, session_id)
    version = selectors.pick_version(selectors.visible_versions(request.user, session), number)
    if version is None:
        raise Http404
    return _opened(request, session, version)


@router.get(
    "/sessions/{int:session_id}/draft/versions/{int:number}/file",
    response={200: None, **ERRORS},
    summary="Tải tệp gốc của một phiên bản (Word hay PDF)",
    description="Như nút “Tải về” trên trang; phiên bản soạn trên trang không có tệp (404).",
    openapi_extra={
        "responses": {
            200: {
                "description": "Tệp .docx hay .pdf đã tải lên.",
                "content": {
                    mime: {"schema": {"type": "string", "format": "binary"}}
                    for mime in ("application/pdf", "application/" + DOCX_MIME)
                },
            }
        }
    },
)
def download_draft_version(request: HttpRequest, session_id: int, number: int) -> FileResponse:
    session = _session(request, session_id)
    version = selectors.pick_version(selectors.visible_versions(request.user, session), number)
    if version is None or not version.file:
        raise Http404
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.original_name or version.file.name.rsplit("/", 1)[-1],
        content_type="application/pdf"
        if version.kind == DraftVersion.Kind.PDF
        else "application/octet-stream",
    )
    # As on the page: whatever opens it gets nothing it can run or reach.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; style-src 'unsafe-inline'"
    return response


@router.post(
    "/sessions/{int:session_id}/draft/versions",
    response={201: VersionOut, **ERRORS},
    summary="Tải lên một phiên bản (Word .docx hay PDF)",
    description="Gửi dạng multipart như trang: `file`, `note`, `expected_version`. Cùng giới hạn dung lượng "
    "và kiểm tra tệp như trang. Sau buổi sinh hoạt, phiên bản tải lên là bản hoàn chỉnh.",
)
def upload_draft_version(
    request: HttpRequest,
    session_id: int,
    file: UploadedFile | None = File(None, description="Tệp .docx hay .pdf."),  # noqa: B008
    note: str = Form("", description="Điểm thay đổi của phiên bản.", examples=["Bổ sung số liệu"]),
    expected_version: int | None = Form(None, description="Số phiên bản mới nhất đã thấy.", examples=[1]),
) -> Status[VersionOut]:
    session = _session(request, session_id)
    deny_unless(request.user, "draft.write", session)
    data = {"note": note, "expected_version": "" if expected_version is None else expected_version}
    form = validated(UploadForm, data, files={"file": file} if file is not None else {})
    uploaded = form.cleaned_data["file"]
    version = services.add_version(
        actor=request.user,
        session=session,
        upload=(uploaded.name, uploaded.read()),
        note=form.cleaned_data["note"],
        expected_version=form.cleaned_data["expected_version"],
    )
    return Status(201, _version_out(version))


@router.post(
    "/sessions/{int:session_id}/draft/versions/text",
    response={201: VersionOut, **ERRORS},
    summary="Soạn một phiên bản bằng văn bản thuần",
    description="Như trình soạn trên trang: các đoạn cách nhau một dòng trống, “# ” là tiêu đề, “- ” là ý.",
)
def write_draft_version(request: HttpRequest, session_id: int, payload: EditorIn) -> Status[VersionOut]:
    session = _session(request, session_id)
    deny_unless(request.user, "draft.write", session)
    form = validated(EditorForm, _form_data(payload))
    version = services.add_version(
        actor=request.user,
        session=session,
        text=form.cleaned_data["text"],
        note=form.cleaned_data["note"],
        expected_version=form.cleaned_data["expected_version"],
    )
    return Status(201, _version_out(version))


def _form_data(payload: Schema) -> dict[str, Any]:
    """A payload as a form's data: None is an empty field, as the page sends it."""
    return {name: "" if value is None else value for name, value in payload.dict().items()}


@router.post(
    "/sessions/{int:session_id}/draft/submit",
    response={200: DraftOut, **ERRORS},
    summary="Trình duyệt dự thảo",
    description="Người chuẩn bị trình phiên bản mới nhất lên bí thư (hoặc chi ủy).",
)
def submit_draft(request: HttpRequest, session_id: int, payload: VersionIn) -> DraftOut:
    session = _session(request, session_id)
    deny_unless(request.user, "draft.submit", session)
    form = validated(VersionForm, _form_data(payload))
    services.submit_draft(
        actor=request.user, session=session, expected_version=form.cleaned_data["expected_version"]
    )
    return _after(request, session)


@router.post(
    "/sessions/{int:session_id}/draft/approve",
    response={200: ApprovedOut, **ERRORS},
    summary="Duyệt dự thảo và gửi đảng viên nghiên cứu",
    description="Duyệt phiên bản đang chờ và gửi ngay cho mọi đảng viên của chi bộ (kể cả dự bị; đảng viên "
    "miễn sinh hoạt nếu chọn). Gửi muộn hơn bộ quy tắc cho phép thì `distribution.late` là `true`.",
)
def approve_draft(request: HttpRequest, session_id: int, payload: ApproveIn) -> ApprovedOut:
    session = _session(request, session_id)
    deny_unless(request.user, "draft.approve", session)
    form = validated(VersionForm, _form_data(payload))
    result = services.approve_draft(
        actor=request.user,
        session=session,
        expected_version=form.cleaned_data["expected_version"],
        include_exempted=form.cleaned_data["include_exempted"],
    )
    return ApprovedOut(**_after(request, session).dict(), recipients=result.recipients)


@router.post(
    "/sessions/{int:session_id}/draft/return",
    response={200: DraftOut, **ERRORS},
    summary="Trả lại dự thảo kèm nhận xét",
)
def return_draft(request: HttpRequest, session_id: int, payload: ReturnIn) -> DraftOut:
    session = _session(request, session_id)
    deny_unless(request.user, "draft.return", session)
    form = validated(ReturnForm, _form_data(payload))
    services.return_draft(
        actor=request.user,
        session=session,
        remarks=form.cleaned_data["remarks"],
        expected_version=form.cleaned_data["expected_version"],
    )
    return _after(request, session)


class CompareFilter(Schema):
    a: int | None = Field(None, description="Phiên bản cũ; mặc định phiên bản áp chót.", examples=[1])
    b: int | None = Field(None, description="Phiên bản mới; mặc định phiên bản mới nhất.", examples=[2])


class DiffRowOut(Schema):
    anchor_old: str | None = Field(description="Mã đoạn ở phiên bản cũ.", examples=["p-2"])
    anchor_new: str | None = Field(description="Mã đoạn ở phiên bản mới.", examples=["p-2"])
    status: str = Field(description="`unchanged`, `changed`, `added` hay `removed`.", examples=["changed"])
    html: str = Field(
        description="Đoạn văn với phần bị xóa trong `<del>`, phần thêm trong `<ins>`.",
        examples=["<p>Học tập <del>suốt đời</del><ins>thường xuyên</ins>.</p>"],
    )


class ComparisonOut(Schema):
    a: int = Field(examples=[1])
    b: int = Field(examples=[2])
    rows: list[DiffRowOut]


@router.get(
    "/sessions/{int:session_id}/draft/compare",
    response={200: ComparisonOut, **ERRORS},
    summary="So sánh hai phiên bản từng chữ",
    description="Như trang so sánh: hai phiên bản người gọi thấy được (mặc định hai bản mới nhất); chưa có "
    "đủ hai phiên bản thì 404.",
)
def compare_draft_versions(
    request: HttpRequest, session_id: int, query: Query[CompareFilter]
) -> ComparisonOut:
    from drafts.textdiff import diff_versions

    session = _session(request, session_id)
    pair = selectors.compared_pair(selectors.visible_versions(request.user, session), query.a, query.b)
    if pair is None:
        raise Http404
    old, new = pair
    rows = diff_versions(old.paragraphs, new.paragraphs)
    return ComparisonOut(a=old.number, b=new.number, rows=[DiffRowOut(**row) for row in rows])


@router.get(
    "/sessions/{int:session_id}/draft/readers",
    response={200: list[ReaderOut], **ERRORS},
    summary="Ai đã đọc, đã góp ý",
    description="Những người được gửi dự thảo (trừ người chuẩn bị): lần đầu mở và số góp ý, như bảng trên "
    "trang dự thảo của bí thư.",
)
@paginate(Pages)
def list_draft_readers(request: HttpRequest, session_id: int) -> list[ReaderOut]:
    session = _session(request, session_id)
    deny_unless(request.user, "draft.track", session)
    return [
        ReaderOut(
            member_id=p.member.pk,
            full_name=p.member.full_name,
            first_opened_at=p.read_at,
            comments=p.comments,
        )
        for p in services.progress(session)
    ]


@router.post(
    "/sessions/{int:session_id}/draft/remind",
    response={200: RemindedOut, **ERRORS},
    summary="Nhắc những người chưa góp ý",
    description="Mỗi ngày một lần, khi dự thảo đã gửi và chưa sinh hoạt.",
)
def remind_readers(request: HttpRequest, session_id: int) -> RemindedOut:
    session = _session(request, session_id)
    deny_unless(request.user, "draft.track", session)
    return RemindedOut(reminded=services.send_reminder(actor=request.user, session=session))


# --- Comments ------------------------------------------------------------------------------------


@router.get(
    "/sessions/{int:session_id}/comments",
    response={200: list[CommentOut], **ERRORS},
    summary="Các góp ý trên dự thảo",
    description="Như trang đọc: góp ý theo thứ tự các đoạn, rồi góp ý chung, rồi góp ý có đoạn không còn tìm "
    "thấy; mỗi góp ý kèm trả lời; góp ý đã xóa chỉ còn dấu.",
)
@paginate(Pages)
def list_comments(request: HttpRequest, session_id: int, filters: Query[CommentFilter]) -> list[CommentOut]:
    session = _session(request, session_id)
    version = selectors.pick_version(selectors.visible_versions(request.user, session), filters.version)
    if version is None:
        raise Http404
    placed = selectors.placed_comments(session, version)
    anchors = [p["anchor"] for p in version.paragraphs if isinstance(p, dict) and p.get("anchor")]
    shown = set(anchors)
    # A comment on an anchor the version does not show goes with the whole-draft ones, as on the page.
    rows = [(a, c) for a in anchors for c in placed.by_anchor.get(a, [])]
    whole = placed.by_anchor.get("", [])
    rows += [
        ("", c) for c in whole + [c for a, cs in placed.by_anchor.items() if a and a not in shown for c in cs]
    ]
    rows += [(c.current_anchor, c) for c in placed.unmatched]
    if filters.anchor == "whole":
        rows = [(a, c) for a, c in rows if not a]
    elif filters.anchor:
        rows = [(a, c) for a, c in rows if a == filters.anchor and not c.unmatched]
    me = _me(request)
    return [_comment_out(c, a, me) for a, c in rows]


@router.post(
    "/sessions/{int:session_id}/comments",
    response={201: CommentOut, **ERRORS},
    summary="Góp ý một đoạn (hay cả dự thảo)",
    description="Đảng viên của chi bộ góp ý trên dự thảo đã gửi. Gửi lại cùng `client_id` thì trả về góp ý "
    "đã lưu, không lưu lần hai.",
)
def add_comment(request: HttpRequest, session_id: int, payload: CommentIn) -> Status[CommentOut]:
    session = _session(request, session_id)
    deny_unless(request.user, "comment.add", session)
    form = validated(CommentForm, _form_data(payload))
    comment = services.add_comment(
        actor=request.user,
        session=session,
        body=form.cleaned_data["body"],
        anchor=form.cleaned_data["anchor"],
        client_id=form.cleaned_data["client_id"],
    )
    return Status(201, _comment_out(comment, comment.current_anchor, _me(request)))


@router.post(
    "/comments/{int:comment_id}/replies",
    response={201: ReplyOut, **ERRORS},
    summary="Trả lời một góp ý",
)
def reply_to_comment(request: HttpRequest, comment_id: int, payload: ReplyIn) -> Status[ReplyOut]:
    parent = _comment(request, comment_id)
    deny_unless(request.user, "comment.add", parent.session)
    form = validated(CommentForm, {**_form_data(payload), "parent": parent.pk})
    reply = services.add_comment(
        actor=request.user,
        session=parent.session,
        body=form.cleaned_data["body"],
        parent=parent,
        client_id=form.cleaned_data["client_id"],
    )
    return Status(201, _reply_out(reply, _me(request)))


@router.patch(
    "/comments/{int:comment_id}",
    response={200: CommentOut, **ERRORS},
    summary="Sửa góp ý của mình",
    description="Đến hạn góp ý, khi người chuẩn bị chưa tiếp thu, giải trình.",
)
def edit_comment(request: HttpRequest, comment_id: int, payload: EditCommentIn) -> CommentOut:
    comment = _comment(request, comment_id)
    deny_unless(request.user, "comment.edit", comment)
    form = validated(EditCommentForm, _form_data(payload))
    comment = services.edit_comment(actor=request.user, comment=comment, body=form.cleaned_data["body"])
    return _comment_out(comment, comment.current_anchor, _me(request))


@router.delete(
    "/comments/{int:comment_id}",
    response={204: None, **ERRORS},
    summary="Rút (xóa) góp ý của mình",
    description="Nội dung bị xóa, dấu “Góp ý đã bị xóa” còn lại; các trả lời giữ nguyên chỗ.",
)
def delete_comment(request: HttpRequest, comment_id: int) -> Status[None]:
    comment = _comment(request, comment_id)
    deny_unless(request.user, "comment.delete", comment)
    services.delete_comment(actor=request.user, comment=comment)
    return Status(204, None)


# --- Responses (tiếp thu, giải trình) ------------------------------------------------------------


@router.get(
    "/sessions/{int:session_id}/responses",
    response={200: list[ResponseRowOut], **ERRORS},
    summary="Bảng tổng hợp tiếp thu, giải trình",
    description="Mỗi góp ý (không kể trả lời và góp ý đã xóa) với đoạn được góp ý và cách người chuẩn bị "
    "tiếp thu, giải trình.",
)
@paginate(Pages)
def list_responses(
    request: HttpRequest, session_id: int, filters: Query[ResponseFilter]
) -> list[ResponseRowOut]:
    session = _session(request, session_id)
    comments = list(
        Comment.objects.filter(session=session, parent=None, deleted_at=None)
        .select_related("author", "response")
        .order_by("created_at", "id")
    )
    quotes = selectors.quoted_paragraphs(comments)
    rows = []
    for number, comment in enumerate(comments, start=1):
        response = getattr(comment, "response", None)
        if filters.answered is not None and (response is not None) != filters.answered:
            continue
        rows.append(
            ResponseRowOut(
                number=number,
                comment_id=comment.pk,
                author=_author(comment.author),
                anchor=comment.current_anchor,
                quote=quotes.get(comment.pk, ""),
                body=comment.body,
                on_paper=comment.on_paper,
                response=_response_out(response) if response else None,
            )
        )
    return rows


class ExportFormat(Schema):
    format: Literal["docx", "pdf"] = Field(
        "docx", description="`docx` (mặc định) hay `pdf`.", examples=["pdf"]
    )


@router.get(
    "/sessions/{int:session_id}/responses/file",
    response={200: None, **ERRORS},
    summary="Bảng tổng hợp tiếp thu, giải trình thành văn bản (DOCX hay PDF)",
    description="Cùng văn bản theo thể thức của Đảng như nút PDF/DOCX trên trang.",
    openapi_extra={
        "responses": {
            200: {
                "description": "Văn bản.",
                "content": {
                    mime: {"schema": {"type": "string", "format": "binary"}}
                    for mime in ("application/pdf", "application/" + DOCX_MIME)
                },
            }
        }
    },
)
def export_responses(request: HttpRequest, session_id: int, query: Query[ExportFormat]) -> HttpResponse:
    session = _session(request, session_id)
    return attachment(*exports.export_responses(session, query.format))


@router.put(
    "/comments/{int:comment_id}/response",
    response={200: ResponseOut, **ERRORS},
    summary="Ghi tiếp thu, giải trình một góp ý",
    description="Người chuẩn bị ghi (hoặc sửa) cách xử lý góp ý; không tiếp thu hết thì phải giải trình.",
)
def record_response(request: HttpRequest, comment_id: int, payload: ResponseIn) -> ResponseOut:
    comment = _comment(request, comment_id)
    deny_unless(request.user, "comment.respond", comment.session)
    form = validated(ResponseForm, _form_data(payload))
    response = services.respond(
        actor=request.user,
        comment=comment,
        decision=form.cleaned_data["decision"],
        explanation=form.cleaned_data["explanation"],
    )
    return _response_out(response)


# --- The final text, after the meeting -----------------------------------------------------------


@router.post(
    "/sessions/{int:session_id}/final-text/submit",
    response={200: DraftOut, **ERRORS},
    summary="Trình duyệt bản hoàn chỉnh",
    description="Sau buổi sinh hoạt, người chuẩn bị trình bản hoàn chỉnh (phiên bản cuối đã tải lên) cùng "
    "bảng tiếp thu, giải trình; bị từ chối khi còn góp ý chưa trả lời.",
)
def submit_final_text(request: HttpRequest, session_id: int, payload: VersionIn) -> DraftOut:
    session = _session(request, session_id)
    deny_unless(request.user, "draft.submit", session)
    form = validated(VersionForm, _form_data(payload))
    services.submit_final(
        actor=request.user, session=session, expected_version=form.cleaned_data["expected_version"]
    )
    return _after(request, session)


@router.post(
    "/sessions/{int:session_id}/final-text/approve",
    response={200: DraftOut, **ERRORS},
    summary="Duyệt bản hoàn chỉnh",
    description="Chi ủy (nơi không có chi ủy: bí thư) duyệt bản hoàn chỉnh; sau đó ra nghị quyết.",
)
def approve_final_text(request: HttpRequest, session_id: int, payload: VersionIn) -> DraftOut:
    session = _session(request, session_id)
    deny_unless(request.user, "draft.approve", session)
    form = validated(VersionForm, _form_data(payload))
    services.approve_final(
        actor=request.user, session=session, expected_version=form.cleaned_data["expected_version"]
    )
    return _after(request, session)


@router.post(
    "/sessions/{int:session_id}/final-text/return",
    response={200: DraftOut, **ERRORS},
    summary="Trả lại bản hoàn chỉnh kèm nhận xét",
)
def return_final_text(request: HttpRequest, session_id: int, payload: ReturnIn) -> DraftOut:
    session = _session(request, session_id)
    deny_unless(request.user, "draft.return", session)
    form = validated(ReturnForm, _form_data(payload))
    services.return_final(
        actor=request.user,
        session=session,
        remarks=form.cleaned_data["remarks"],
        expected_version=form.cleaned_data["expected_version"],
    )
    return _after(request, session)
