"""Meetings, their record and minutes, resolutions and their tasks (issue 14, item 1). The pages:
/hop/ (meetings/views.py).

Every operation finds the meeting through ``meetings.permissions.visible_meetings`` (what the caller
may not see is a 404), asks the page's permission question (a 403), and calls the page's service in
``meetings.services``; a refusal carries the sentence the page shows.

The record is written while it is open (after ``POST /meetings/{id}/open``, until the minutes are
approved, and again during a correction). Several fields or marks sent in one request are saved in one
transaction: all of them, or none and the first refusal.
"""

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from api.errors import ERRORS, ErrorOut
from api.forms import validated
from api.pagination import Mapped, Pages
from api.types import ID_MAX, LocalTime
from core.errors import DomainError
from core.permissions import can
from core.web import deny_unless, get_visible_or_404
from meetings import permissions, rules, selectors, services
from meetings.forms import (
    MeetingForm,
    OpenRecordForm,
    ReasonForm,
    ResolutionForm,
    SpeechForm,
    TaskDoneForm,
    VoteForm,
)
from meetings.forms import task_formset as _task_formset
from meetings.models import Attendance, Meeting, Resolution, ResolutionTask, Speech
from organizations.models import Member, Organization
from organizations.permissions import visible_organizations

router = Router(tags=["meetings"])

# The largest id a database holds: a filter on a larger one is a field error (SQLite cannot even compare it).

NO_CONTENT: dict[int, Any] = {204: None}


# --- Shapes ---------------------------------------------------------------------------------------


class PersonOut(Schema):
    id: int = Field(examples=[12])
    full_name: str = Field(examples=["Nguyễn Văn Bình"])


class MeetingOut(Schema):
    id: int = Field(examples=[41])
    cell_id: int = Field(examples=[3])
    cell_name: str = Field(examples=["Chi bộ Khoa Xây dựng Đảng"])
    kind: str = Field(
        description="`regular` (sinh hoạt thường kỳ), `thematic` (chuyên đề) hoặc `combined` (kết hợp).",
        examples=["thematic"],
    )
    session_id: int | None = Field(description="Buổi sinh hoạt chuyên đề của kế hoạch.", examples=[7])
    session_title: str | None = Field(examples=["Văn hóa Hồ Chí Minh"])
    date: dt.date
    start_time: LocalTime = Field(examples=["14:00"])
    end_time: LocalTime | None = Field(examples=["16:00"])
    place: str = Field(examples=["Phòng họp Khoa"])
    status: str = Field(
        description="`scheduled` (đã lên lịch), `in_progress` (đang ghi biên bản), `approved` (biên bản "
        "đã thông qua), `correcting` (đang đính chính biên bản).",
        examples=["scheduled"],
    )
    notice_symbol: str | None = Field(
        description="Số thông báo (TB), khi đã ban hành.", examples=["03-TB/CB"]
    )
    minutes_symbol: str | None = Field(
        description="Số biên bản (BB), khi đã thông qua.", examples=["05-BB/CB"]
    )
    page_url: str = Field(examples=["/hop/41/"])


class VoteBasisOut(Schema):
    full_members: int = Field(description="Đảng viên chính thức được triệu tập.", examples=[25])
    attached_elsewhere: int = Field(description="Trừ: sinh hoạt tạm thời nơi khác.", examples=[1])
    exempted_absent: int = Field(description="Trừ: miễn sinh hoạt và vắng mặt.", examples=[2])
    suspended: int = Field(description="Trừ: bị đình chỉ sinh hoạt.", examples=[0])
    detained: int = Field(description="Trừ: bị truy tố, tạm giam.", examples=[0])
    adjusted_total: int = Field(description="Tổng số sau khi trừ.", examples=[22])
    needed: int = Field(description="Số tán thành ít nhất để thông qua (quá nửa tổng số).", examples=[12])
    eligible_present: int = Field(description="Số có mặt có quyền biểu quyết.", examples=[20])


class NamedVoteOut(Schema):
    member_id: int = Field(examples=[12])
    vote: str = Field(description="`for`, `against` hoặc `other`.", examples=["for"])


class VoteOut(Schema):
    mode: str = Field(
        description="`counts` (giơ tay, đếm) hoặc `named` (ghi từng người).", examples=["counts"]
    )
    subject: str = Field(examples=["Thông qua nghị quyết chuyên đề"])
    votes_for: int = Field(examples=[20])
    against: int = Field(examples=[0])
    other: int = Field(examples=[1])
    passed: bool = Field(description="Số tán thành quá nửa tổng số đã điều chỉnh.", examples=[True])
    basis: VoteBasisOut | None
    named: list[NamedVoteOut] = Field(
        [], description="Biểu quyết của từng người (chỉ người ghi biên bản thấy, khi ghi từng người)."
    )


class QualityOut(Schema):
    level: str = Field(description="Mã mức chất lượng trong bộ tiêu chí.", examples=["good"])
    label: str = Field(examples=["Tốt"])
    score: int | None = Field(examples=[92])
    shortfall: list[str] = Field(
        [], description="Tiêu chí phải đạt tối đa mà chưa đạt (vì thế mức thấp hơn số điểm)."
    )


class MinutesVersionOut(Schema):
    number: int = Field(examples=[1])
    approved_at: dt.datetime
    reason: str = Field(description="Lý do đính chính (phiên bản từ 2).", examples=[""])


class MinutesDocumentOut(MinutesVersionOut):
    """One approved version of the minutes as printed (the PDF and DOCX of the page are made from it)."""

    symbol: str = Field(examples=["05-BB/CB"])
    title: str = Field(examples=["BIÊN BẢN"])
    summary: str = Field(examples=["sinh hoạt chi bộ tháng 3 năm 2026"])
    date: dt.date | None
    body: list[dict[str, Any]] = Field(
        description="Các khối nội dung theo thứ tự: `heading` và `paragraph` (`text`), `list` (`items`), "
        "`table` (`header`, `rows`).",
        examples=[[{"kind": "paragraph", "text": "Thời gian: 14 giờ 00, ngày 06 tháng 3 năm 2026."}]],
    )
    signer_title: str = Field(examples=["CHỦ TRÌ"])
    signer_name: str = Field(examples=["Nguyễn Văn Bình"])
    cosigner_title: str = Field(examples=["THƯ KÝ"])
    cosigner_name: str = Field(examples=["Trần Thị Hoa"])


class ResolutionRefOut(Schema):
    id: int = Field(examples=[9])
    kind: str = Field(description="`NQ` (nghị quyết) hoặc `KL` (kết luận).", examples=["NQ"])
    symbol: str | None = Field(examples=["02-NQ/CB"])
    issued_at: dt.datetime | None


class MeetingDetailOut(MeetingOut):
    chair: PersonOut | None
    minutes_secretary: PersonOut | None
    guests: str = Field(examples=["Đ/c Trần Văn Hải, Phó Bí thư Đảng ủy"])
    agenda: str = Field(examples=["Sinh hoạt chuyên đề: Văn hóa Hồ Chí Minh"])
    conclusion: str = Field(examples=["Chi bộ thống nhất nội dung chuyên đề."])
    vote_subject: str = Field(examples=["Thông qua nghị quyết chuyên đề"])
    vote: VoteOut | None = Field(description="Khi đã biểu quyết.")
    quality: QualityOut | None = Field(description="Khi đã chấm chất lượng sinh hoạt.")
    correction_reason: str | None = Field(
        description="Lý do, khi biên bản đang được đính chính (cho người ghi biên bản, như trang ghi "
        "biên bản).",
        examples=["Sai giờ kết thúc"],
    )
    minutes: list[MinutesVersionOut] = Field(description="Các phiên bản biên bản đã thông qua.")
    resolution: ResolutionRefOut | None = Field(
        description="Nghị quyết của buổi sinh hoạt, nếu đồng chí xem được."
    )
    problems: list[str] | None = Field(
        None,
        description="Những gì còn thiếu để thông qua biên bản (chỉ cho người ghi biên bản, khi đang ghi).",
        examples=[["Ghi giờ kết thúc buổi họp."]],
    )
    revision: int = Field(description="Tăng sau mỗi lần ghi biên bản.", examples=[14])


class MeetingFilter(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="Năm của cuộc họp.", examples=[2026])
    quarter: int | None = Field(None, ge=1, le=4, description="Quý của cuộc họp (1–4).", examples=[1])
    cell: int | None = Field(None, ge=1, le=ID_MAX, description="Mã chi bộ.", examples=[3])
    session: int | None = Field(
        None, ge=1, le=ID_MAX, description="Buổi sinh hoạt chuyên đề của kế hoạch.", examples=[7]
    )
    kind: Meeting.Kind | None = Field(None, description="`regular`, `thematic` hoặc `combined`.")
    status: Meeting.Status | None = Field(
        None, description="`scheduled`, `in_progress`, `approved`, `correcting`."
    )


class MeetingIn(Schema):
    cell_id: int = Field(description="Chi bộ họp.", examples=[3])
    kind: str = Field(description="`regular`, `thematic` hoặc `combined`.", examples=["thematic"])
    session_id: int | None = Field(
        None, description="Buổi sinh hoạt chuyên đề (bắt buộc với `thematic` và `combined`).", examples=[7]
    )
    date: dt.date = Field(examples=["2026-03-06"])
    start_time: LocalTime = Field(examples=["14:00"])
    place: str = Field(max_length=200, examples=["Phòng họp Khoa"])
    issue_notice: bool = Field(
        False, description="Ban hành luôn thông báo (TB) và báo cho đảng viên, như ô đánh dấu trên trang."
    )


class OpenRecordIn(Schema):
    confirmed_without_notice: bool = Field(
        False,
        description="Xác nhận họp không có thông báo trong ứng dụng (bắt buộc khi chưa ban hành thông báo).",
        examples=[False],
    )


class RecordIn(Schema):
    """Only the fields sent are saved; ``base`` holds the values the caller started from."""

    place: str | None = Field(None, max_length=200, examples=["Phòng họp Khoa"])
    guests: str | None = Field(None, examples=["Đ/c Trần Văn Hải, Phó Bí thư Đảng ủy"])
    agenda: str | None = Field(None, examples=["Sinh hoạt chuyên đề: Văn hóa Hồ Chí Minh"])
    conclusion: str | None = Field(None, examples=["Chi bộ thống nhất nội dung chuyên đề."])
    vote_subject: str | None = Field(None, max_length=300, examples=["Thông qua nghị quyết chuyên đề"])
    chair_id: int | None = Field(
        None, description="Chủ trì (người trong danh sách điểm danh).", examples=[12]
    )
    minutes_secretary_id: int | None = Field(None, description="Thư ký (người trong danh sách điểm danh).")
    start_time: LocalTime | None = Field(None, examples=["14:00"])
    end_time: LocalTime | None = Field(None, examples=["16:00"])
    base: dict[str, str] | None = Field(
        None,
        description="Giá trị mỗi trường khi người gọi đọc nó (như `GET` trả về; giờ dạng HH:MM, người bằng "
        "mã). Nếu người khác đã sửa trường đó, không trường nào được lưu và trả lời 409.",
        examples=[{"conclusion": ""}],
    )


class AttendanceOut(Schema):
    member: PersonOut
    status: str = Field(
        description="`present`, `late`, `absent_excused`, `absent_unexcused`, `exempted`, "
        "`attached_elsewhere`, `suspended`, `detained`, hoặc rỗng khi chưa điểm danh.",
        examples=["present"],
    )
    status_label: str = Field(examples=["Có mặt"])
    reason: str = Field(examples=[""])
    full: bool = Field(description="Đảng viên chính thức.", examples=[True])
    attached_here: bool = Field(description="Sinh hoạt tạm thời tại chi bộ này.", examples=[False])
    exempted: bool = Field(description="Miễn sinh hoạt.", examples=[False])
    attached_elsewhere: bool = Field(description="Sinh hoạt tạm thời nơi khác.", examples=[False])
    may_vote: bool = Field(description="Có quyền biểu quyết (chính thức, có mặt).", examples=[True])


class CheckOut(Schema):
    code: str = Field(examples=["absence_run"])
    message: str
    severity: str = Field(description="`warning` hoặc `alert`.", examples=["warning"])


class AttendanceSummaryOut(Schema):
    total: int = Field(
        description="Đảng viên của chi bộ (không kể sinh hoạt tạm thời tại đây).", examples=[25]
    )
    full: int = Field(examples=[23])
    probationary: int = Field(examples=[2])
    attached_here: int = Field(examples=[0])
    exempted: int = Field(examples=[2])
    present: int = Field(examples=[21])
    late: int = Field(examples=[1])
    excused: int = Field(examples=[1])
    unexcused: int = Field(examples=[0])
    unmarked: int = Field(examples=[0])
    rate: float | None = Field(description="Tỷ lệ dự họp (không kể người miễn sinh hoạt).", examples=[0.95])
    basis: VoteBasisOut


class AttendanceListOut(Schema):
    meeting_id: int
    rows: list[AttendanceOut]
    summary: AttendanceSummaryOut | None = Field(description="Khi biên bản đã mở.")
    checks: list[CheckOut] | None = Field(
        None, description="Cảnh báo theo quy định (chỉ cho người ghi biên bản)."
    )


class MarkIn(Schema):
    status: Attendance.Status = Field(examples=["absent_excused"])
    reason: str = Field("", max_length=255, examples=["Đi công tác"])
    expected: str | None = Field(
        None,
        description="Trạng thái đồng chí đã thấy; nếu người khác đã điểm danh khác đi thì bị từ chối (409).",
        examples=[""],
    )


class MemberMarkIn(MarkIn):
    member_id: int = Field(examples=[12])


class MarksIn(Schema):
    marks: list[MemberMarkIn] = Field(
        min_length=1,
        max_length=200,
        description="Điểm danh nhiều người một lần (như hàng đợi của điện thoại khi có mạng trở lại): "
        "gửi lại cùng điểm danh không thay đổi gì.",
    )


class AllPresentOut(Schema):
    marked: int = Field(description="Số người vừa được ghi có mặt.", examples=[18])
    attendance: AttendanceListOut


class SpeechOut(Schema):
    id: int = Field(examples=[88])
    member: PersonOut | None
    speaker: str = Field(examples=["Lê Văn Đức"])
    kind: str = Field(description="`presentation` (trình bày dự thảo) hoặc `speech`.", examples=["speech"])
    summary: str = Field(examples=["Đề nghị bổ sung số liệu năm 2025."])
    client_id: uuid.UUID
    created_at: dt.datetime


class SpeechIn(Schema):
    member_id: int | None = Field(
        None, description="Người phát biểu trong danh sách điểm danh.", examples=[12]
    )
    speaker_name: str = Field("", max_length=150, description="Hoặc tên khách mời.", examples=[""])
    kind: str = Field("speech", description="`presentation` hoặc `speech`.", examples=["speech"])
    summary: str = Field(examples=["Đề nghị bổ sung số liệu năm 2025."])
    client_id: uuid.UUID | None = Field(
        None,
        description="Mã do máy gửi tạo ra; gửi lại cùng mã (khi mất mạng) chỉ ghi một lần.",
        examples=["6f1c7e2a-1b0d-4c55-9a0e-1d2f3a4b5c6d"],
    )


class VoteIn(Schema):
    mode: str = Field("counts", description="`counts` hoặc `named`.", examples=["counts"])
    votes_for: int | None = Field(None, ge=0, examples=[20])
    against: int | None = Field(None, ge=0, examples=[0])
    other: int | None = Field(None, ge=0, examples=[1])
    named: dict[int, str] | None = Field(
        None,
        description="Khi `named`: mã đảng viên → `for`, `against` hoặc `other`.",
        examples=[{"12": "for"}],
    )
    subject: str | None = Field(None, max_length=300, examples=["Thông qua nghị quyết chuyên đề"])


class CriterionOut(Schema):
    code: str = Field(examples=["attendance"])
    label: str = Field(examples=["Tỷ lệ đảng viên dự họp"])
    points: int = Field(examples=[20])
    must_be_full: bool


class LevelOut(Schema):
    code: str = Field(examples=["good"])
    label: str = Field(examples=["Tốt"])
    min_points: int = Field(examples=[90])


class QualityDetailOut(Schema):
    criteria: list[CriterionOut] = Field(description="Bộ tiêu chí của quy định chi bộ áp dụng.")
    levels: list[LevelOut]
    scores: dict[str, int] = Field(description="Điểm đã chấm theo tiêu chí.", examples=[{"attendance": 20}])
    result: QualityOut | None


class QualityIn(Schema):
    scores: dict[str, int] = Field(
        description="Điểm theo mã tiêu chí; tiêu chí không gửi tính 0.", examples=[{"attendance": 20}]
    )


class ReasonIn(Schema):
    reason: str = Field(max_length=500, examples=["Sai giờ kết thúc"])


class TaskOut(Schema):
    id: int = Field(examples=[31])
    resolution_id: int
    meeting_id: int
    cell_id: int
    symbol: str | None = Field(description="Số nghị quyết.", examples=["02-NQ/CB"])
    description: str = Field(examples=["Xây dựng giờ giảng mẫu"])
    owners: list[PersonOut]
    deadline: dt.date
    state: str = Field(description="`open`, `overdue` (quá hạn) hoặc `done`.", examples=["open"])
    done_at: dt.datetime | None
    done_note: str = Field(examples=[""])
    page_url: str = Field(examples=["/hop/41/nghi-quyet/#tasks"])


class ResolutionOut(Schema):
    id: int = Field(examples=[9])
    meeting_id: int = Field(examples=[41])
    cell_id: int
    session_id: int | None
    session_title: str | None = Field(examples=["Văn hóa Hồ Chí Minh"])
    kind: str = Field(description="`NQ` (nghị quyết) hoặc `KL` (kết luận).", examples=["NQ"])
    symbol: str | None = Field(description="Số và ký hiệu, khi đã ban hành.", examples=["02-NQ/CB"])
    issued_on: dt.date | None
    issued_at: dt.datetime | None
    results: str = Field(examples=["Chi bộ thống nhất nội dung chuyên đề."])
    shortcomings: str
    implementation: str
    tasks: list[TaskOut]
    page_url: str = Field(examples=["/hop/41/nghi-quyet/"])


class ResolutionSummaryOut(Schema):
    id: int
    meeting_id: int
    cell_id: int
    cell_name: str = Field(examples=["Chi bộ Khoa Xây dựng Đảng"])
    session_title: str | None = Field(examples=["Văn hóa Hồ Chí Minh"])
    kind: str = Field(examples=["NQ"])
    symbol: str | None = Field(examples=["02-NQ/CB"])
    issued_on: dt.date | None
    tasks_total: int = Field(examples=[3])
    tasks_done: int = Field(examples=[1])
    page_url: str


class ResolutionFilter(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="Năm của cuộc họp.", examples=[2026])
    cell: int | None = Field(None, ge=1, le=ID_MAX, description="Mã chi bộ.", examples=[3])
    issued: bool | None = Field(None, description="Chỉ nghị quyết đã (hoặc chưa) ban hành.")


class TaskIn(Schema):
    description: str = Field(max_length=1000, examples=["Xây dựng giờ giảng mẫu"])
    owner_ids: list[int] = Field(description="Người thực hiện: đảng viên của chi bộ.", examples=[[12]])
    deadline: dt.date | None = Field(examples=["2026-06-30"])


class ResolutionIn(Schema):
    kind: str = Field("NQ", description="`NQ` (nghị quyết) hoặc `KL` (kết luận).", examples=["NQ"])
    results: str = Field("", description="I. Kết quả.", examples=["Chi bộ thống nhất nội dung chuyên đề."])
    shortcomings: str = Field("", description="Hạn chế.")
    implementation: str = Field("", description="III. Tổ chức thực hiện (để trống: lời văn thường dùng).")
    tasks: list[TaskIn] = Field([], max_length=100, description="II. Nhiệm vụ và giải pháp (thay toàn bộ).")


class TaskFilter(Schema):
    cell: int | None = Field(None, ge=1, le=ID_MAX, description="Mã chi bộ.", examples=[3])
    owner: int | None = Field(None, ge=1, le=ID_MAX, description="Mã đảng viên thực hiện.", examples=[12])
    state: Literal["open", "overdue", "done"] | None = Field(
        None, description="`open` (chưa xong, kể cả quá hạn), `overdue` (quá hạn) hoặc `done`."
    )
    due_before: dt.date | None = Field(None, description="Thời hạn đến hết ngày này.")
    due_after: dt.date | None = Field(None, description="Thời hạn từ ngày này.")


class TaskDoneIn(Schema):
    note: str = Field(
        "", max_length=500, description="Kết quả thực hiện.", examples=["Đã dạy giờ mẫu ngày 12/5."]
    )


# --- Reading ----------------------------------------------------------------------------------------


def _person(member: Member | None) -> PersonOut | None:
    return PersonOut(id=member.pk, full_name=member.full_name) if member is not None else None


def _meeting_out(meeting: Meeting, cls: type[MeetingOut] = MeetingOut, **extra: Any) -> Any:
    return cls(
        id=meeting.pk,
        cell_id=meeting.cell_id,
        cell_name=meeting.cell.name,
        kind=meeting.kind,
        session_id=meeting.session_id,
        session_title=meeting.session.title if meeting.session else None,
        date=meeting.date,
        start_time=meeting.start_time,
        end_time=meeting.end_time,
        place=meeting.place,
        status=meeting.status,
        notice_symbol=meeting.notice.symbol if meeting.notice else None,
        minutes_symbol=meeting.minutes_document.symbol if meeting.minutes_document else None,
        page_url=reverse("meetings:detail", args=[meeting.pk]),
        **extra,
    )


def _basis_out(basis: rules.VoteBasis | None) -> VoteBasisOut | None:
    return VoteBasisOut(**vars(basis)) if basis is not None else None


def _vote_out(meeting: Meeting, named: bool) -> VoteOut | None:
    if not meeting.vote_recorded:
        return None
    votes = []
    if named and meeting.vote_mode == Meeting.VoteMode.NAMED:
        votes = [
            NamedVoteOut(member_id=member_id, vote=vote)
            for member_id, vote in meeting.attendances.exclude(vote="")
            .order_by("member_id")
            .values_list("member_id", "vote")
        ]
    return VoteOut(
        mode=meeting.vote_mode,
        subject=meeting.vote_subject,
        votes_for=meeting.votes_for or 0,
        against=meeting.votes_against or 0,
        other=meeting.votes_other or 0,
        passed=bool(meeting.vote_passed),
        basis=_basis_out(services.stored_basis(meeting)),
        named=votes,
    )


def _quality_out(meeting: Meeting) -> QualityOut | None:
    if not meeting.quality_level:
        return None
    shortfall = selectors.quality_shortfall(meeting)
    return QualityOut(
        level=meeting.quality_level,
        label=selectors.quality_label(meeting),
        score=meeting.quality_score,
        shortfall=shortfall.criteria if shortfall else [],
    )


def _visible_meetings(request: HttpRequest) -> QuerySet[Meeting]:
    return permissions.visible_meetings(request.user).select_related(
        "cell", "session", "chair", "minutes_secretary", "notice", "minutes_document"
    )


def _meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    return get_visible_or_404(_visible_meetings(request), pk=meeting_id)


def _detail(request: HttpRequest, meeting: Meeting) -> MeetingDetailOut:
    """The meeting as its page shows it to the caller."""
    meeting = _meeting(request, meeting.pk)  # as it is now, after a change
    records = can(request.user, "meeting.record", meeting)
    resolution = (
        permissions.visible_resolutions(request.user)
        .filter(meeting=meeting)
        .select_related("document")
        .first()
    )
    return _meeting_out(
        meeting,
        MeetingDetailOut,
        chair=_person(meeting.chair),
        minutes_secretary=_person(meeting.minutes_secretary),
        guests=meeting.guests,
        agenda=meeting.agenda,
        conclusion=meeting.conclusion,
        vote_subject=meeting.vote_subject,
        vote=_vote_out(meeting, named=records),
        quality=_quality_out(meeting),
        correction_reason=meeting.correction_reason if records else None,
        minutes=[
            MinutesVersionOut(number=v.number, approved_at=v.approved_at, reason=v.reason)
            for v in meeting.minutes_versions.order_by("number")
        ],
        resolution=ResolutionRefOut(
            id=resolution.pk,
            kind=resolution.kind,
            symbol=resolution.document.symbol if resolution.document else None,
            issued_at=resolution.issued_at,
        )
        if resolution is not None
        else None,
        problems=services.minutes_problems(meeting) if records and meeting.is_editable else None,
        revision=meeting.revision,
    )


@router.get(
    "/meetings",
    response={200: list[MeetingOut], **ERRORS},
    summary="Các cuộc họp đồng chí xem được",
    description="Cuộc họp của các chi bộ trong phạm vi của người gọi (đảng viên: chi bộ của mình; Đảng ủy: "
    "các chi bộ trực thuộc), mới nhất trước.",
)
@paginate(Pages)
def list_meetings(request: HttpRequest, filters: Query[MeetingFilter]) -> QuerySet[Meeting]:
    meetings = _visible_meetings(request).order_by("-date", "-start_time")
    if filters.year is not None:
        meetings = meetings.filter(date__year=filters.year)
    if filters.quarter is not None:
        meetings = meetings.filter(date__quarter=filters.quarter)
    if filters.cell is not None:
        meetings = meetings.filter(cell_id=filters.cell)
    if filters.session is not None:
        meetings = meetings.filter(session_id=filters.session)
    if filters.kind is not None:
        meetings = meetings.filter(kind=filters.kind)
    if filters.status is not None:
        meetings = meetings.filter(status=filters.status)
    return Mapped(meetings, _meeting_out)  # type: ignore[return-value]


@router.get(
    "/meetings/{int:meeting_id}",
    response={200: MeetingDetailOut, **ERRORS},
    summary="Một cuộc họp",
    description="Như trang cuộc họp: chủ trì, thư ký, chương trình, kết luận, biểu quyết với cách tính tổng "
    "số đã điều chỉnh, chất lượng, các phiên bản biên bản.",
)
def get_meeting(request: HttpRequest, meeting_id: int) -> MeetingDetailOut:
    return _detail(request, _meeting(request, meeting_id))


# --- Planning the meeting and its notice -------------------------------------------------------------


@contextmanager
def _fields_named(**names: str) -> Iterator[None]:
    """Refusals by field under the API's names (``session`` of the page's form is ``session_id`` here)."""
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError(
            {names.get(field, field): messages for field, messages in error.message_dict.items()}
        ) from None
    except DomainError as error:
        if error.field in names:
            error.field = names[error.field]
        raise


@router.post(
    "/meetings",
    response={201: MeetingDetailOut, **ERRORS},
    summary="Lên lịch một cuộc họp",
    description="Như trang “Lên lịch họp” của chi bộ (bí thư, phó bí thư): sinh hoạt chuyên đề phải gắn với "
    "một buổi của kế hoạch chưa có cuộc họp. Với `issue_notice`, thông báo (TB) được ban hành và gửi cho "
    "đảng viên cùng lúc.",
)
def create_meeting(request: HttpRequest, payload: MeetingIn) -> Status[MeetingDetailOut]:
    cell = get_visible_or_404(
        visible_organizations(request.user), pk=payload.cell_id, kind=Organization.Kind.CELL
    )
    deny_unless(request.user, "meeting.create", cell)
    with _fields_named(session="session_id"):
        data = validated(
            MeetingForm,
            {
                "kind": payload.kind,
                "session": payload.session_id or "",
                "date": payload.date.isoformat(),
                "start_time": payload.start_time.isoformat(),
                "place": payload.place,
                "issue_notice": payload.issue_notice,
            },
            sessions=selectors.sessions_for_meeting(cell),
        ).cleaned_data
        meeting = services.create_meeting(
            actor=request.user,
            cell=cell,
            kind=data["kind"],
            date=data["date"],
            start_time=data["start_time"],
            place=data["place"],
            session=data["session"],
            with_notice=data["issue_notice"],
        )
    return Status(201, _detail(request, meeting))


@router.post(
    "/meetings/{int:meeting_id}/notice",
    response={200: MeetingDetailOut, **ERRORS},
    summary="Ban hành thông báo họp",
    description="Thông báo (TB) được đánh số và gửi cho mọi đảng viên của chi bộ; chỉ trước khi mở biên bản.",
)
def issue_notice(request: HttpRequest, meeting_id: int) -> MeetingDetailOut:
    meeting = _meeting(request, meeting_id)
    deny_unless(request.user, "meeting.manage", meeting)
    services.issue_notice(actor=request.user, meeting=meeting)
    return _detail(request, meeting)


# --- The record -------------------------------------------------------------------------------------


@router.post(
    "/meetings/{int:meeting_id}/open",
    response={200: MeetingDetailOut, **ERRORS},
    summary="Mở biên bản cuộc họp",
    description="Khi cuộc họp đã bắt đầu. Danh sách điểm danh lập từ danh sách đảng viên của chi bộ ngày "
    "họp. Cuộc họp chưa có thông báo cần `confirmed_without_notice` (nếu thiếu: 400 với trường đó).",
)
def open_record(request: HttpRequest, meeting_id: int, payload: OpenRecordIn) -> MeetingDetailOut:
    meeting = _meeting(request, meeting_id)
    deny_unless(request.user, "meeting.record", meeting)
    form = validated(OpenRecordForm, {"confirmed_without_notice": payload.confirmed_without_notice})
    services.open_record(
        actor=request.user,
        meeting=meeting,
        confirmed_without_notice=form.cleaned_data["confirmed_without_notice"],
    )
    return _detail(request, meeting)


# The record's fields as the API names them, and as the services do.
RECORD_NAMES = {"chair_id": "chair", "minutes_secretary_id": "minutes_secretary"}


def _as_text(value: Any) -> str:
    """A field's value as the service takes it (and ``base`` is compared): HH:MM, an id, a text."""
    if value is None:
        return ""
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value)


@router.patch(
    "/meetings/{int:meeting_id}",
    response={200: MeetingDetailOut, 409: ErrorOut, **ERRORS},
    summary="Ghi biên bản: địa điểm, khách mời, chương trình, kết luận của chủ trì, giờ, chủ trì, thư ký",
    description="Chỉ các trường gửi lên được lưu, tất cả hoặc không trường nào. Chủ trì và thư ký do bí thư, "
    "phó bí thư chỉ định (trong danh sách điểm danh); `null` bỏ chỉ định. Với `base`, một trường người khác "
    "đã sửa từ khi đồng chí đọc được báo 409 (`conflict`) thay vì ghi đè.",
)
def update_meeting_record(
    request: HttpRequest, meeting_id: int, payload: RecordIn
) -> MeetingDetailOut | Status[ErrorOut]:
    meeting = _meeting(request, meeting_id)
    deny_unless(request.user, "meeting.record", meeting)
    sent = payload.model_dump(exclude_unset=True)
    bases = {RECORD_NAMES.get(k, k): v for k, v in (sent.pop("base", None) or {}).items()}
    changes = {RECORD_NAMES.get(k, k): _as_text(v) for k, v in sent.items()}
    api_names = {service: api for api, service in RECORD_NAMES.items()}
    try:
        with transaction.atomic(), _fields_named(**api_names):
            for name in services.RECORD_FIELDS:
                if name in changes:
                    meeting = services.save_field(
                        actor=request.user,
                        meeting=meeting,
                        name=name,
                        value=changes[name],
                        base=bases.get(name),
                    )
    except services.Conflict as conflict:
        field = api_names.get(conflict.field or "", conflict.field or "__all__")
        message = str(conflict.message)
        return Status(409, ErrorOut(code="conflict", message=message, fields={field: [message]}))
    return _detail(request, meeting)


def _attendance_out(attendance: Attendance) -> AttendanceOut:
    return AttendanceOut(
        member=PersonOut(id=attendance.member_id, full_name=attendance.member.full_name),
        status=attendance.status,
        status_label=str(attendance.get_status_display()) if attendance.status else "",
        reason=attendance.reason,
        full=attendance.full,
        attached_here=attendance.attached_here,
        exempted=attendance.exempted,
        attached_elsewhere=attendance.attached_elsewhere,
        may_vote=services.may_vote(attendance),
    )


def _attendance_list(request: HttpRequest, meeting: Meeting) -> AttendanceListOut:
    if meeting.status == Meeting.Status.SCHEDULED:
        return AttendanceListOut(meeting_id=meeting.pk, rows=[], summary=None, checks=None)
    rows = selectors.attendances(meeting)
    summary = selectors.summary(rows)
    checks = None
    if can(request.user, "meeting.record", meeting):
        checks = [
            CheckOut(code=c.code, message=str(c.message), severity=c.severity)
            for c in selectors.checks(meeting, rows)
        ]
    return AttendanceListOut(
        meeting_id=meeting.pk,
        rows=[_attendance_out(a) for a in rows],
        summary=AttendanceSummaryOut(
            **{k: v for k, v in vars(summary).items() if k != "basis"},
            basis=VoteBasisOut(**vars(summary.basis)),
        ),
        checks=checks,
    )


@router.get(
    "/meetings/{int:meeting_id}/attendance",
    response={200: AttendanceListOut, **ERRORS},
    summary="Điểm danh: danh sách đảng viên ngày họp và việc dự họp của từng người",
    description="Danh sách lập khi mở biên bản (rỗng trước đó), theo thứ tự tên, với số liệu tổng hợp và "
    "cách tính tổng số biểu quyết đã điều chỉnh.",
)
def get_attendance(request: HttpRequest, meeting_id: int) -> AttendanceListOut:
    return _attendance_list(request, _meeting(request, meeting_id))


def _mark(request: HttpRequest, meeting: Meeting, member_id: int, mark: MarkIn) -> Attendance:
    return services.set_attendance(
        actor=request.user,
        meeting=meeting,
        member_id=member_id,
        status=mark.status,
        reason=mark.reason,
        expected=mark.expected,
    )


@router.put(
    "/meetings/{int:meeting_id}/attendance/{int:member_id}",
    response={200: AttendanceOut, **ERRORS},
    summary="Điểm danh một đảng viên",
    description="Đổi trạng thái đã điểm danh được ghi vào nhật ký. Khi đã biểu quyết, không được đổi ai có "
    "mặt hay có quyền biểu quyết (xóa biểu quyết trước).",
)
def set_attendance(request: HttpRequest, meeting_id: int, member_id: int, payload: MarkIn) -> AttendanceOut:
    meeting = _meeting(request, meeting_id)
    deny_unless(request.user, "meeting.record", meeting)
    return _attendance_out(_mark(request, meeting, member_id, payload))


@router.post(
    "/meetings/{int:meeting_id}/attendance",
    response={200: AttendanceListOut, **ERRORS},
    summary="Điểm danh nhiều đảng viên một lần",
    description="Các điểm danh được lưu cùng nhau, hoặc không cái nào (lời từ chối đầu tiên được trả về). "
    "Gửi lại cùng điểm danh không thay đổi gì.",
)
def set_attendances(request: HttpRequest, meeting_id: int, payload: MarksIn) -> AttendanceListOut:
    meeting = _meeting(request, meeting_id)
    deny_unless(request.user, "meeting.record", meeting)
    with transaction.atomic():
        for mark in payload.marks:
            _mark(request, meeting, mark.member_id, mark)
    return _attendance_list(request, meeting)


@router.post(
    "/meetings/{int:meeting_id}/attendance/all-present",
    response={200: AllPresentOut, **ERRORS},
    summary="Ghi có mặt tất cả những người chưa điểm danh",
)
def mark_all_present(request: HttpRequest, meeting_id: int) -> AllPresentOut:
    meeting = _meeting(request, meeting_id)
    deny_unless(request.user, "meeting.record", meeting)
    count = services.mark_all_present(actor=request.user, meeting=meeting)
    return AllPresentOut(marked=count, attendance=_attendance_list(request, meeting))


# --- Speeches ---------------------------------------------------------------------------------------


def _speech_out(speech: Speech) -> SpeechOut:
    return SpeechOut(
        id=speech.pk,
        member=_person(speech.member),
        speaker=speech.speaker,
        kind=speech.kind,
        summary=speech.summary,
        client_id=speech.client_id,
        created_at=speech.created_at,
    )


@router.get(
    "/meetings/{int:meeting_id}/speeches",
    response={200: list[SpeechOut], **ERRORS},
    summary="Các ý kiến phát biểu, theo thứ tự",
)
def list_speeches(request: HttpRequest, meeting_id: int) -> list[SpeechOut]:
    meeting = _meeting(request, meeting_id)
    return [_speech_out(s) for s in meeting.speeches.select_related("member")]


@router.post(
    "/meetings/{int:meeting_id}/speeches",
    response={201: SpeechOut, 200: SpeechOut, **ERRORS},
    summary="Ghi một ý kiến phát biểu",
    description="Người phát biểu là người trong danh sách điểm danh (`member_id`) hoặc khách mời "
    "(`speaker_name`). Gửi lại cùng `client_id` trả về ý kiến đã ghi (200) mà không ghi lần nữa.",
)
def add_speech(request: HttpRequest, meeting_id: int, payload: SpeechIn) -> Status[SpeechOut]:
    meeting = _meeting(request, meeting_id)
    deny_unless(request.user, "meeting.record", meeting)
    rows = selectors.attendances(meeting)
    with _fields_named(member="member_id"):
        data = validated(
            SpeechForm,
            {
                "member": payload.member_id or "",
                "speaker_name": payload.speaker_name,
                "kind": payload.kind,
                "summary": payload.summary,
                "client_id": str(payload.client_id) if payload.client_id else "",
            },
            members=[a.member for a in rows],
        ).cleaned_data
        again = (
            data["client_id"] is not None and meeting.speeches.filter(client_id=data["client_id"]).exists()
        )
        speech = services.add_speech(
            actor=request.user,
            meeting=meeting,
            member_id=data["member"],
            speaker_name=data["speaker_name"],
            kind=data["kind"],
            summary=data["summary"],
            client_id=data["client_id"],
        )
    return Status(200 if again else 201, _speech_out(speech))


@router.delete(
    "/speeches/{int:speech_id}",
    response={**NO_CONTENT, **ERRORS},
    summary="Xóa một ý kiến ghi nhầm",
    description="Ghi vào nhật ký. Ý kiến không sửa được: xóa rồi ghi lại, như trên trang.",
)
def delete_speech(request: HttpRequest, speech_id: int) -> Status[None]:
    speech = get_visible_or_404(
        Speech.objects.filter(meeting__in=permissions.visible_meetings(request.user)).select_related(
            "meeting", "member"
        ),
        pk=speech_id,
    )
    deny_unless(request.user, "meeting.record", speech.meeting)
    services.delete_speech(actor=request.user, speech=speech)
    return Status(204, None)


# --- The vote and the quality -------------------------------------------------------------------------


def _blank(number: int | None) -> Any:
    return "" if number is None else number


@router.post(
    "/meetings/{int:meeting_id}/vote",
    response={200: VoteOut, **ERRORS},
    summary="Ghi kết quả biểu quyết",
    description="Thông qua khi số tán thành quá nửa tổng số đảng viên chính thức đã điều chỉnh (trừ sinh "
    "hoạt tạm thời nơi khác, miễn sinh hoạt vắng mặt, bị đình chỉ, bị truy tố, tạm giam), không phải quá "
    "nửa số có mặt; đảng viên dự bị không biểu quyết. Cần điểm danh xong mọi người. Gửi lại cùng kết quả "
    "không thay đổi gì; kết quả khác bị từ chối cho đến khi xóa biểu quyết.",
)
def record_vote(request: HttpRequest, meeting_id: int, payload: VoteIn) -> VoteOut | None:
    meeting = _meeting(request, meeting_id)
    deny_unless(request.user, "meeting.record", meeting)
    data = validated(
        VoteForm,
        {
            "mode": payload.mode,
            "votes_for": _blank(payload.votes_for),
            "against": _blank(payload.against),
            "other": _blank(payload.other),
        },
    ).cleaned_data
    services.record_vote(
        actor=request.user,
        meeting=meeting,
        mode=data["mode"],
        votes_for=data["votes_for"],
        against=data["against"],
        other=data["other"],
        named=payload.named or {},
        subject=payload.subject,
        first=True,  # as the page's form: a vote recorded meanwhile is not written over
    )
    return _vote_out(_meeting(request, meeting_id), named=True)


@router.delete(
    "/meetings/{int:meeting_id}/vote",
    response={**NO_CONTENT, **ERRORS},
    summary="Xóa kết quả biểu quyết (để sửa điểm danh)",
)
def clear_vote(request: HttpRequest, meeting_id: int) -> Status[None]:
    meeting = _meeting(request, meeting_id)
    deny_unless(request.user, "meeting.record", meeting)
    services.clear_vote(actor=request.user, meeting=meeting)
    return Status(204, None)


def _quality_detail(meeting: Meeting) -> QualityDetailOut:
    rubric = selectors.rubric_for(meeting)
    return QualityDetailOut(
        criteria=[
            CriterionOut(code=c.code, label=c.label, points=c.points, must_be_full=c.must_be_full)
            for c in rubric.criteria
        ],
        levels=[LevelOut(code=lv.code, label=lv.label, min_points=lv.min_points) for lv in rubric.levels],
        scores={code: int(points) for code, points in meeting.quality_scores.items()},
        result=_quality_out(meeting),
    )


@router.get(
    "/meetings/{int:meeting_id}/quality",
    response={200: QualityDetailOut, **ERRORS},
    summary="Chất lượng sinh hoạt: bộ tiêu chí và điểm đã chấm",
    description="Cho bí thư, phó bí thư, như phần “Chất lượng” của trang ghi biên bản; mức đã chấm có trong "
    "cuộc họp cho mọi người xem được nó.",
)
def get_quality(request: HttpRequest, meeting_id: int) -> QualityDetailOut:
    meeting = _meeting(request, meeting_id)
    deny_unless(request.user, "meeting.manage", meeting)
    return _quality_detail(meeting)


@router.post(
    "/meetings/{int:meeting_id}/quality",
    response={200: QualityDetailOut, **ERRORS},
    summary="Chấm chất lượng sinh hoạt",
    description="Bí thư, phó bí thư chấm điểm theo từng tiêu chí của quy định chi bộ áp dụng; mức được tính "
    "(mức cao cần đủ điểm các tiêu chí bắt buộc).",
)
def score_quality(request: HttpRequest, meeting_id: int, payload: QualityIn) -> QualityDetailOut:
    meeting = _meeting(request, meeting_id)
    deny_unless(request.user, "meeting.manage", meeting)
    services.score_quality(actor=request.user, meeting=meeting, scores=payload.scores)
    return _quality_detail(_meeting(request, meeting_id))


# --- The minutes ------------------------------------------------------------------------------------


@router.get(
    "/meetings/{int:meeting_id}/minutes/{int:number}",
    response={200: MinutesDocumentOut, **ERRORS},
    summary="Một phiên bản biên bản đã thông qua",
    description="Nội dung như khi được thông qua (điểm danh với lý do vắng, ý kiến phát biểu, kết luận, biểu "
    "quyết với tổng số đã điều chỉnh, chữ ký); phiên bản đính chính không thay phiên bản cũ.",
)
def get_minutes(request: HttpRequest, meeting_id: int, number: int) -> MinutesDocumentOut:
    meeting = _meeting(request, meeting_id)
    version = get_visible_or_404(meeting.minutes_versions.all(), number=number)
    frame = version.frame
    return MinutesDocumentOut(
        number=version.number,
        approved_at=version.approved_at,
        reason=version.reason,
        symbol=frame.symbol,
        title=frame.title,
        summary=frame.summary,
        date=frame.date,
        body=frame.body,
        signer_title=frame.signer_title,
        signer_name=frame.signer_name,
        cosigner_title=frame.cosigner_title,
        cosigner_name=frame.cosigner_name,
    )


@router.post(
    "/meetings/{int:meeting_id}/minutes/approve",
    response={200: MeetingDetailOut, **ERRORS},
    summary="Thông qua biên bản",
    description="Biên bản được đánh số (BB) lần đầu, lưu thành một phiên bản và khóa lại; buổi sinh hoạt "
    "chuyên đề chuyển sang “đã họp”. Bị từ chối khi còn thiếu (`problems` của cuộc họp).",
)
def approve_minutes(request: HttpRequest, meeting_id: int) -> MeetingDetailOut:
    meeting = _meeting(request, meeting_id)
    deny_unless(request.user, "minutes.approve", meeting)
    services.approve_minutes(actor=request.user, meeting=meeting)
    return _detail(request, meeting)


@router.post(
    "/meetings/{int:meeting_id}/minutes/correct",
    response={200: MeetingDetailOut, **ERRORS},
    summary="Mở lại biên bản đã thông qua để đính chính",
    description="Cần lý do (ghi vào nhật ký). Thông qua lại tạo phiên bản mới; phiên bản cũ được giữ.",
)
def correct_minutes(request: HttpRequest, meeting_id: int, payload: ReasonIn) -> MeetingDetailOut:
    meeting = _meeting(request, meeting_id)
    deny_unless(request.user, "minutes.correct", meeting)
    reason = validated(ReasonForm, {"reason": payload.reason}).cleaned_data["reason"]
    services.start_correction(actor=request.user, meeting=meeting, reason=reason)
    return _detail(request, meeting)


# --- Resolutions and their tasks --------------------------------------------------------------------


def _task_state(task: ResolutionTask) -> str:
    if task.is_done:
        return "done"
    return "overdue" if task.deadline < timezone.localdate() else "open"


def _task_out(task: ResolutionTask) -> TaskOut:
    resolution = task.resolution
    return TaskOut(
        id=task.pk,
        resolution_id=resolution.pk,
        meeting_id=resolution.meeting_id,
        cell_id=resolution.meeting.cell_id,
        symbol=resolution.document.symbol if resolution.document else None,
        description=task.description,
        owners=[PersonOut(id=o.pk, full_name=o.full_name) for o in task.owners.all()],
        deadline=task.deadline,
        state=_task_state(task),
        done_at=task.done_at,
        done_note=task.done_note,
        page_url=reverse("meetings:resolution", args=[resolution.meeting_id]) + "#tasks",
    )


def _tasks(queryset: QuerySet[ResolutionTask]) -> QuerySet[ResolutionTask]:
    return queryset.select_related("resolution__document", "resolution__meeting").prefetch_related(
        Prefetch("owners", Member.objects.order_by("pk"))
    )


def _resolution_out(resolution: Resolution) -> ResolutionOut:
    meeting = resolution.meeting
    tasks = _tasks(resolution.tasks.all())
    return ResolutionOut(
        id=resolution.pk,
        meeting_id=meeting.pk,
        cell_id=meeting.cell_id,
        session_id=meeting.session_id,
        session_title=meeting.session.title if meeting.session else None,
        kind=resolution.kind,
        symbol=resolution.document.symbol if resolution.document else None,
        issued_on=resolution.document.issued_on if resolution.document else None,
        issued_at=resolution.issued_at,
        results=resolution.results,
        shortcomings=resolution.shortcomings,
        implementation=resolution.implementation,
        tasks=[_task_out(t) for t in tasks],
        page_url=reverse("meetings:resolution", args=[meeting.pk]),
    )


def _resolution_of(request: HttpRequest, meeting: Meeting) -> Resolution | None:
    return (
        permissions.visible_resolutions(request.user)
        .filter(meeting=meeting)
        .select_related("document", "meeting__session")
        .first()
    )


def _thematic(request: HttpRequest, meeting_id: int) -> Meeting:
    """The meeting of a thematic session (only those end with a resolution: 404 otherwise)."""
    meeting = _meeting(request, meeting_id)
    if meeting.session is None:
        raise Http404
    return meeting


@router.get(
    "/resolutions",
    response={200: list[ResolutionSummaryOut], **ERRORS},
    summary="Các nghị quyết đồng chí xem được",
    description="Nghị quyết đã ban hành của các chi bộ trong phạm vi; bản chưa ban hành chỉ bí thư, phó bí "
    "thư của chi bộ thấy. Mới nhất trước, với số nhiệm vụ và số đã xong.",
)
@paginate(Pages)
def list_resolutions(request: HttpRequest, filters: Query[ResolutionFilter]) -> QuerySet[Resolution]:
    resolutions = (
        permissions.visible_resolutions(request.user)
        .select_related("document", "meeting__cell", "meeting__session")
        .annotate(
            tasks_total=Count("tasks", distinct=True),
            tasks_done=Count("tasks", filter=Q(tasks__done_at__isnull=False), distinct=True),
        )
        .order_by("-meeting__date", "-meeting__start_time")
    )
    if filters.year is not None:
        resolutions = resolutions.filter(meeting__date__year=filters.year)
    if filters.cell is not None:
        resolutions = resolutions.filter(meeting__cell_id=filters.cell)
    if filters.issued is not None:
        resolutions = resolutions.filter(issued_at__isnull=not filters.issued)

    def build(resolution: Any) -> ResolutionSummaryOut:
        meeting = resolution.meeting
        return ResolutionSummaryOut(
            id=resolution.pk,
            meeting_id=meeting.pk,
            cell_id=meeting.cell_id,
            cell_name=meeting.cell.name,
            session_title=meeting.session.title if meeting.session else None,
            kind=resolution.kind,
            symbol=resolution.document.symbol if resolution.document else None,
            issued_on=resolution.document.issued_on if resolution.document else None,
            tasks_total=resolution.tasks_total,
            tasks_done=resolution.tasks_done,
            page_url=reverse("meetings:resolution", args=[meeting.pk]),
        )

    return Mapped(resolutions, build)  # type: ignore[return-value]


@router.get(
    "/meetings/{int:meeting_id}/resolution",
    response={200: ResolutionOut, **ERRORS},
    summary="Nghị quyết (hoặc kết luận) của buổi sinh hoạt chuyên đề",
    description="Đã ban hành: mọi người xem được cuộc họp; bản đang soạn: chỉ bí thư, phó bí thư.",
)
def get_resolution(request: HttpRequest, meeting_id: int) -> ResolutionOut:
    resolution = _resolution_of(request, _thematic(request, meeting_id))
    if resolution is None:
        raise Http404
    return _resolution_out(resolution)


def _task_forms(tasks: list[TaskIn], members: list[Member]) -> Any:
    """The resolution's task rows checked by the page's own formset (its errors as ``tasks.<n>.<field>``)."""
    data: dict[str, Any] = {"task-TOTAL_FORMS": str(len(tasks)), "task-INITIAL_FORMS": "0"}
    for index, task in enumerate(tasks):
        data[f"task-{index}-description"] = task.description
        data[f"task-{index}-owners"] = [str(pk) for pk in task.owner_ids]
        data[f"task-{index}-deadline"] = task.deadline.isoformat() if task.deadline else ""
    forms = _task_formset(data, members=members)
    if not forms.is_valid():
        fields: dict[str, list[str]] = {}
        for index, errors in enumerate(forms.errors):
            for name, messages in errors.items():
                fields[f"tasks.{index}.{name}"] = list(messages)
        if forms.non_form_errors():
            fields["tasks"] = list(forms.non_form_errors())
        raise ValidationError(fields)
    return forms


@router.put(
    "/meetings/{int:meeting_id}/resolution",
    response={200: ResolutionOut, **ERRORS},
    summary="Soạn (hoặc soạn lại) nghị quyết và các nhiệm vụ",
    description="Sau khi biên bản được thông qua và trước khi ban hành; mục II (nhiệm vụ) được thay toàn bộ "
    "(nên mã nhiệm vụ chỉ ổn định từ khi ban hành). Mỗi nhiệm vụ cần nội dung, người thực hiện là đảng viên "
    "của chi bộ và thời hạn; một dòng không nội dung và không thời hạn bị bỏ qua, như trên trang.",
)
def save_resolution(request: HttpRequest, meeting_id: int, payload: ResolutionIn) -> ResolutionOut:
    meeting = _thematic(request, meeting_id)
    current = _resolution_of(request, meeting)
    editable = permissions.may_write_resolution(request.user, meeting, current)
    if current is None and not editable:
        raise Http404
    deny_unless(request.user, "resolution.issue", meeting)
    members = services.task_owner_choices(meeting) if editable else []
    form = validated(
        ResolutionForm,
        {
            "kind": payload.kind,
            "results": payload.results,
            "shortcomings": payload.shortcomings,
            "implementation": payload.implementation,
        },
    )
    tasks = _task_forms(payload.tasks, members).tasks()
    data = form.cleaned_data
    resolution = services.save_resolution(
        actor=request.user,
        meeting=meeting,
        kind=data["kind"],
        results=data["results"],
        shortcomings=data["shortcomings"],
        implementation=data["implementation"],
        tasks=tasks,
    )
    return _resolution_out(
        Resolution.objects.select_related("document", "meeting__session").get(pk=resolution.pk)
    )


@router.post(
    "/meetings/{int:meeting_id}/resolution/issue",
    response={200: ResolutionOut, **ERRORS},
    summary="Ban hành nghị quyết",
    description="Sau khi chi ủy (hoặc bí thư) duyệt văn bản hoàn chỉnh và khi biểu quyết đã thông qua: nghị "
    "quyết được đánh số theo nhiệm kỳ, gửi đảng viên cùng văn bản hoàn chỉnh, mỗi người thực hiện được báo "
    "nhiệm vụ của mình.",
)
def issue_resolution(request: HttpRequest, meeting_id: int) -> ResolutionOut:
    meeting = _meeting(request, meeting_id)
    deny_unless(request.user, "resolution.issue", meeting)
    resolution = services.issue_resolution(actor=request.user, meeting=meeting)
    return _resolution_out(
        Resolution.objects.select_related("document", "meeting__session").get(pk=resolution.pk)
    )


def _visible_tasks(request: HttpRequest) -> QuerySet[ResolutionTask]:
    """Tasks of the resolutions the caller sees (a draft's tasks only for the cell's secretaries)."""
    return _tasks(ResolutionTask.objects.filter(resolution__in=permissions.visible_resolutions(request.user)))


@router.get(
    "/tasks",
    response={200: list[TaskOut], **ERRORS},
    summary="Các nhiệm vụ theo nghị quyết",
    description="Nhiệm vụ của các nghị quyết đồng chí xem được, thời hạn gần nhất trước.",
)
@paginate(Pages)
def list_tasks(request: HttpRequest, filters: Query[TaskFilter]) -> QuerySet[ResolutionTask]:
    tasks = _visible_tasks(request).order_by("deadline")
    if filters.cell is not None:
        tasks = tasks.filter(resolution__meeting__cell_id=filters.cell)
    if filters.owner is not None:
        tasks = tasks.filter(owners__id=filters.owner)
    if filters.state == "done":
        tasks = tasks.filter(done_at__isnull=False)
    elif filters.state == "open":
        tasks = tasks.filter(done_at__isnull=True)
    elif filters.state == "overdue":
        tasks = tasks.filter(done_at__isnull=True, deadline__lt=timezone.localdate())
    if filters.due_before is not None:
        tasks = tasks.filter(deadline__lte=filters.due_before)
    if filters.due_after is not None:
        tasks = tasks.filter(deadline__gte=filters.due_after)
    return Mapped(tasks, _task_out)  # type: ignore[return-value]


@router.get("/tasks/{int:task_id}", response={200: TaskOut, **ERRORS}, summary="Một nhiệm vụ")
def get_task(request: HttpRequest, task_id: int) -> TaskOut:
    return _task_out(get_visible_or_404(_visible_tasks(request), pk=task_id))


@router.post(
    "/tasks/{int:task_id}/complete",
    response={200: TaskOut, **ERRORS},
    summary="Báo nhiệm vụ đã hoàn thành",
    description="Người thực hiện hoặc bí thư, phó bí thư; khi nghị quyết đã ban hành.",
)
def complete_task(request: HttpRequest, task_id: int, payload: TaskDoneIn) -> TaskOut:
    task = get_visible_or_404(
        ResolutionTask.objects.filter(resolution__meeting__in=permissions.visible_meetings(request.user))
        .select_related("resolution__meeting")
        .prefetch_related("owners"),
        pk=task_id,
    )
    deny_unless(request.user, "task.complete", task)
    note = validated(TaskDoneForm, {"note": payload.note}).cleaned_data["note"]
    services.complete_task(actor=request.user, task=task, note=note)
    return _task_out(_tasks(ResolutionTask.objects.all()).get(pk=task.pk))
