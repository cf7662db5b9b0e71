"""The meeting room on members' phones (issues 14 and 15): the room's state, check-in by code, the list of
speakers and the electronic vote. The pages: /hop/<id>/man-hinh/, /hop/<id>/diem-danh-ma/,
/hop/<id>/ma-diem-danh/, /hop/<id>/xin-phat-bieu/, /hop/<id>/bieu-quyet-dien-tu/ (room/views.py).

Every operation finds the meeting, the ballot or the request to speak through
``meetings.permissions.visible_meetings`` (what the caller may not see is a 404), asks the page's
permission question in the page's order (a 403, with the page's sentence where the page has one), checks
the input with the page's form and calls the page's service in ``room``; a refusal carries the sentence
the page shows.

The room of a meeting is at ``/rooms/{meeting_id}`` (the meeting's id), beside ``/meetings/{meeting_id}``
rather than under it: the room is its own area (tag ``room``), as it is its own app.

What each reader sees of a ballot is what the vote's page shows them: how many have voted, always; the
counts of a secret ballot only once it is closed (before, only to whoever records the meeting); never who
chose what in a secret ballot. The names and choices of a named ballot are the record's named vote: shown
once the ballot is closed, to whoever records the meeting, as the record's page and ``GET
/meetings/{meeting_id}`` show them.
"""

import datetime as dt
from typing import Any, Literal

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from api import idempotency
from api.errors import ERRORS
from api.forms import validated
from api.pagination import Mapped, Pages
from api.routers.meetings import PersonOut, SpeechOut, VoteOut, _speech_out, _vote_out
from api.types import ID_MAX, LocalTime
from core.errors import PermissionDenied
from core.permissions import can
from core.web import deny_unless, get_visible_or_404
from meetings.models import Attendance, Meeting
from meetings.permissions import visible_meetings
from room import checkin, live, screen, services, speakers
from room.forms import CastForm, CheckInForm, OpenBallotForm, SpeakForm
from room.models import Ballot, CheckIn, NamedVote, SpeakerRequest

router = Router(tags=["room"])

# Ids in paths: a positive id a database row can have (a larger one is a field error, 422).
MEETING_ID = Path(..., ge=1, le=ID_MAX, description="Mã cuộc họp.", examples=[41])
BALLOT_ID = Path(..., ge=1, le=ID_MAX, description="Mã lần biểu quyết điện tử.", examples=[5])
REQUEST_ID = Path(..., ge=1, le=ID_MAX, description="Mã lượt đăng ký phát biểu.", examples=[17])


# --- Shapes ---------------------------------------------------------------------------------------


class SpeakerRequestOut(Schema):
    id: int = Field(examples=[17])
    meeting_id: int = Field(examples=[41])
    member: PersonOut
    about: str = Field(description="Đoạn dự thảo hoặc mục chương trình (có thể trống).", examples=["Đoạn 3"])
    status: str = Field(
        description="`waiting` (chờ), `speaking` (đang phát biểu), `done` (đã phát biểu) hoặc `withdrawn` "
        "(đã rút).",
        examples=["waiting"],
    )
    status_label: str = Field(examples=["Đang chờ"])
    requested_at: dt.datetime
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    mine: bool = Field(description="Lượt đăng ký của chính người gọi.", examples=[False])


class ScreenSpeakerOut(Schema):
    id: int = Field(examples=[17])
    member: PersonOut
    about: str = Field(examples=["Đoạn 3"])
    status: str = Field(description="`speaking` hoặc `waiting`.", examples=["speaking"])


class ScreenBallotOut(Schema):
    id: int = Field(examples=[5])
    subject: str = Field(examples=["Thông qua nghị quyết chuyên đề"])
    secret: bool = Field(examples=[True])
    status: str = Field(description="`open`, `closed` hoặc `withdrawn`.", examples=["open"])
    voted: int = Field(description="Số người đã biểu quyết.", examples=[12])
    eligible: int = Field(description="Đảng viên chính thức có mặt có quyền biểu quyết.", examples=[20])
    votes_for: int | None = Field(description="Khi lần biểu quyết đã kết thúc (như màn hình).", examples=[11])
    against: int | None = Field(examples=[0])
    other: int | None = Field(examples=[1])


class RoomOut(Schema):
    """What the room screen shows (no personal data beyond names)."""

    meeting_id: int = Field(examples=[41])
    kind: str = Field(description="`regular`, `thematic` hoặc `combined`.", examples=["thematic"])
    status: str = Field(
        description="`scheduled`, `in_progress`, `approved`, `correcting`.", examples=["in_progress"]
    )
    cell_name: str = Field(examples=["Chi bộ Khoa Xây dựng Đảng"])
    session_title: str | None = Field(examples=["Văn hóa Hồ Chí Minh"])
    date: dt.date
    start_time: LocalTime = Field(examples=["14:00"])
    place: str = Field(examples=["Phòng họp Khoa"])
    agenda: list[str] = Field(description="Các dòng của chương trình.", examples=[["Khai mạc", "Thảo luận"]])
    speakers: list[ScreenSpeakerOut] = Field(description="Người đang phát biểu, rồi những người đang chờ.")
    present: int = Field(description="Số người có mặt (kể cả đến muộn).", examples=[18])
    expected: int = Field(description="Số đảng viên phải dự họp.", examples=[22])
    ballot: ScreenBallotOut | None = Field(
        description="Lần biểu quyết điện tử gần nhất (không kể lần đã hủy)."
    )
    result: VoteOut | None = Field(
        description="Kết quả biểu quyết đã ghi vào biên bản, với tổng số đã điều chỉnh."
    )
    page_url: str = Field(examples=["/hop/41/man-hinh/"])


class CheckInIn(Schema):
    code: str = Field(
        pattern=r"^[0-9]{6}$",
        description="6 chữ số hiện trên màn hình phòng họp hoặc điện thoại của người ghi biên bản.",
        examples=["482913"],
    )


class CheckInOut(Schema):
    meeting_id: int = Field(examples=[41])
    member: PersonOut
    at: dt.datetime
    late: bool = Field(description="Điểm danh sau giờ bắt đầu hơn 5 phút: ghi là đến muộn.", examples=[False])
    status: str = Field(
        description="`present` hoặc `late`, như đã ghi vào danh sách điểm danh.", examples=["present"]
    )


class CheckInCodeOut(Schema):
    code: str | None = Field(
        description="Mã điểm danh hiện tại (chỉ khi đang ghi biên bản); mã trước đó vẫn được nhận thêm một "
        "khoảng nữa.",
        examples=["482913"],
    )
    expires_in: int | None = Field(description="Số giây đến khi có mã mới.", examples=[95])
    expires_at: dt.datetime | None = Field(description="Lúc có mã mới.")
    check_in_url: str | None = Field(
        description="Trang điểm danh kèm mã (đường dẫn mà mã QR trên trang mang).",
        examples=["/hop/41/diem-danh-ma/?ma=482913"],
    )
    checked_in: int = Field(description="Số người đã tự điểm danh.", examples=[12])
    expected: int = Field(description="Số đảng viên phải dự họp.", examples=[22])


class SpeakIn(Schema):
    about: str = Field(
        "",
        max_length=200,
        description="Đoạn dự thảo hoặc mục chương trình (không bắt buộc).",
        examples=["Đoạn 3"],
    )


class EndTurnOut(Schema):
    request: SpeakerRequestOut
    speech: SpeechOut = Field(description="Ý kiến phát biểu vừa được ghi vào biên bản, với thời gian.")


class StandingOut(Schema):
    may_cast: bool = Field(description="Người gọi có thể biểu quyết lúc này.", examples=[True])
    reason: str = Field(description="Vì sao không được biểu quyết (nếu không được).", examples=[""])
    voted: bool = Field(description="Người gọi đã biểu quyết.", examples=[False])


class NamedChoiceOut(Schema):
    member: PersonOut
    choice: str = Field(description="`for`, `against` hoặc `other`.", examples=["for"])
    choice_label: str = Field(examples=["Tán thành"])


class BallotOut(Schema):
    id: int = Field(examples=[5])
    meeting_id: int = Field(examples=[41])
    subject: str = Field(examples=["Thông qua nghị quyết chuyên đề"])
    secret: bool = Field(
        description="Bỏ phiếu kín: chỉ giữ số phiếu, mỗi người có một mã biên nhận.", examples=[True]
    )
    motion: bool = Field(
        description="Nội dung khác (không phải biểu quyết chính của biên bản): kết quả ở `passed`.",
        examples=[False],
    )
    passed: bool | None = Field(
        description="Nội dung khác đã kết thúc: có được thông qua không (trên tổng số làm căn cứ biểu "
        "quyết). Biểu quyết chính: kết quả ở biên bản cuộc họp.",
        examples=[None],
    )
    status: str = Field(
        description="`open` (đang biểu quyết), `closed` hoặc `withdrawn` (đã hủy).", examples=["open"]
    )
    status_label: str = Field(examples=["Đang mở"])
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    voted: int = Field(description="Số người đã biểu quyết.", examples=[12])
    eligible: int = Field(description="Đảng viên chính thức có mặt có quyền biểu quyết.", examples=[20])
    votes_for: int | None = Field(
        description="Số tán thành; bỏ phiếu kín đang mở: chỉ người ghi biên bản thấy (như trang).",
        examples=[11],
    )
    against: int | None = Field(examples=[0])
    other: int | None = Field(examples=[1])
    page_url: str = Field(examples=["/hop/41/bieu-quyet-dien-tu/"])


class BallotDetailOut(BallotOut):
    standing: StandingOut = Field(description="Người gọi có thể biểu quyết không, đã biểu quyết chưa.")
    named: list[NamedChoiceOut] | None = Field(
        None,
        description="Biểu quyết của từng người, khi biểu quyết ghi tên đã kết thúc: chỉ người ghi biên bản "
        "thấy, như trang ghi biên bản. Bỏ phiếu kín không bao giờ có.",
    )


class OpenBallotIn(Schema):
    subject: str = Field(
        max_length=300, description="Nội dung đưa ra biểu quyết.", examples=["Thông qua nghị quyết chuyên đề"]
    )
    secret: bool = Field(False, description="Bỏ phiếu kín.", examples=[True])
    motion: bool = Field(
        False,
        description="Nội dung khác, không phải biểu quyết chính của biên bản (ví dụ thông qua biên bản): kết "
        "quả giữ ở lần biểu quyết này và được ghi vào biên bản sau phần biểu quyết nghị quyết.",
        examples=[False],
    )


class CastIn(Schema):
    choice: Literal["for", "against", "other"] = Field(
        description="`for` (tán thành), `against` (không tán thành) hoặc `other` (ý kiến khác).",
        examples=["for"],
    )


class CastOut(Schema):
    receipt: str | None = Field(
        description="Mã biên nhận của phiếu kín: giữ lại để kiểm tra phiếu đã được tính (chỉ trả về lần "
        "này, không lưu ở đâu cùng tên người bỏ phiếu).",
        examples=["K7RM2XQ9PD"],
    )
    ballot: BallotDetailOut


class CloseOut(Schema):
    ballot: BallotDetailOut
    vote: VoteOut | None = Field(
        description="Kết quả đã ghi vào biên bản, với tổng số đã điều chỉnh; `null` khi kết thúc một "
        "nội dung khác (`motion`), mà kết quả ở lần biểu quyết (`ballot.passed`)."
    )
    message: str = Field(examples=["Thông qua: 11 tán thành, cần ít nhất 11 trên 20."])


class ReceiptQuery(Schema):
    code: str = Field(
        min_length=1,
        max_length=16,
        pattern=r"^[A-Za-z0-9 ]+$",
        description="Mã biên nhận (không phân biệt chữ hoa, chữ thường; bỏ qua dấu cách).",
        examples=["K7RM2XQ9PD"],
    )


class ReceiptOut(Schema):
    ballot_id: int = Field(examples=[5])
    code: str = Field(examples=["K7RM2XQ9PD"])
    counted: bool = Field(description="Phiếu có mã biên nhận này đã được tính.", examples=[True])


# --- Fetching as the pages do ----------------------------------------------------------------------


def _meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    return get_visible_or_404(visible_meetings(request.user).select_related("cell", "session"), pk=meeting_id)


def _counted(ballots: QuerySet[Ballot]) -> QuerySet[Ballot]:
    """Ballots with their tally in the same query (a named ballot counts its rows, a secret one keeps
    its counts in its columns)."""
    named = {
        f"named_{choice}": Count("named_votes", filter=Q(named_votes__choice=choice), distinct=True)
        for choice in Attendance.Vote.values
    }
    return ballots.annotate(secret_voters=Count("voters", distinct=True), **named)


def _ballot(request: HttpRequest, ballot_id: int) -> Ballot:
    ballots = Ballot.objects.filter(meeting__in=visible_meetings(request.user))
    return get_visible_or_404(_counted(ballots.select_related("meeting")), pk=ballot_id)


def _turn(request: HttpRequest, request_id: int) -> SpeakerRequest:
    return get_visible_or_404(
        SpeakerRequest.objects.filter(meeting__in=visible_meetings(request.user)).select_related(
            "meeting", "member"
        ),
        pk=request_id,
    )


# --- Building the answers --------------------------------------------------------------------------


def _tally(ballot: Any) -> services.Tally:
    """The tally of a ballot fetched through :func:`_counted`, as ``room.services.tally`` counts it."""
    if ballot.secret:
        counts = (ballot.votes_for, ballot.votes_against, ballot.votes_other)
        return services.Tally(ballot.secret_voters, *counts)
    counts = (ballot.named_for, ballot.named_against, ballot.named_other)
    return services.Tally(sum(counts), *counts)


def _chairs(request: HttpRequest, meeting: Meeting) -> bool:
    """Whoever records the meeting, while it is recorded: the vote page's chair."""
    return can(request.user, "meeting.record", meeting) and meeting.is_editable


def _ballot_fields(ballot: Any, *, eligible: int, chairs: bool) -> dict[str, Any]:
    tally = _tally(ballot)
    # The vote page: the counts of an open secret ballot only for the chair, everything else for everyone.
    shown = not ballot.is_open or not ballot.secret or chairs
    return {
        "id": ballot.pk,
        "meeting_id": ballot.meeting_id,
        "subject": ballot.subject,
        "secret": ballot.secret,
        "motion": ballot.motion,
        "passed": ballot.passed if ballot.motion else None,
        "status": ballot.status,
        "status_label": str(ballot.get_status_display()),
        "opened_at": ballot.opened_at,
        "closed_at": ballot.closed_at,
        "voted": tally.voted,
        "eligible": eligible,
        "votes_for": tally.votes_for if shown else None,
        "against": tally.against if shown else None,
        "other": tally.other if shown else None,
        "page_url": reverse("room:vote", args=[ballot.meeting_id]),
    }


def _named(request: HttpRequest, ballot: Ballot) -> list[NamedChoiceOut] | None:
    if ballot.secret or ballot.status != Ballot.Status.CLOSED:
        return None
    if not can(request.user, "meeting.record", ballot.meeting):
        return None
    votes = (
        NamedVote.objects.filter(ballot=ballot).select_related("member").order_by("member__full_name", "pk")
    )
    return [
        NamedChoiceOut(
            member=PersonOut(id=v.member_id, full_name=v.member.full_name),
            choice=v.choice,
            choice_label=str(v.get_choice_display()),
        )
        for v in votes
    ]


def _ballot_detail(request: HttpRequest, ballot_id: int) -> BallotDetailOut:
    """The ballot as the vote page shows it to the caller, as it is now."""
    ballot = _ballot(request, ballot_id)
    meeting = ballot.meeting
    standing = services.standing(request.user, ballot)
    return BallotDetailOut(
        **_ballot_fields(ballot, eligible=live.eligible_present(meeting), chairs=_chairs(request, meeting)),
        standing=StandingOut(may_cast=standing.may_cast, reason=standing.reason, voted=standing.voted),
        named=_named(request, ballot),
    )


def _request_out(turn: SpeakerRequest, mine: int | None) -> SpeakerRequestOut:
    return SpeakerRequestOut(
        id=turn.pk,
        meeting_id=turn.meeting_id,
        member=PersonOut(id=turn.member_id, full_name=turn.member.full_name),
        about=turn.about,
        status=turn.status,
        status_label=str(turn.get_status_display()),
        requested_at=turn.requested_at,
        started_at=turn.started_at,
        ended_at=turn.ended_at,
        mine=mine is not None and turn.member_id == mine,
    )


def _my_member_id(request: HttpRequest, meeting: Meeting) -> int | None:
    attendance = services.voter_attendance(request.user, meeting)
    return attendance.member_id if attendance else None


def _turn_out(request: HttpRequest, request_id: int) -> SpeakerRequestOut:
    turn = _turn(request, request_id)
    return _request_out(turn, _my_member_id(request, turn.meeting))


# --- The room's state ------------------------------------------------------------------------------


@router.get(
    "/rooms/{int:meeting_id}",
    response={200: RoomOut, **ERRORS},
    summary="Phòng họp: những gì màn hình phòng họp hiển thị",
    description="Như màn hình phòng họp (`/hop/<id>/man-hinh/`): chương trình, danh sách phát biểu, số có "
    "mặt trên số phải dự, lần biểu quyết điện tử gần nhất (số phiếu từng loại khi đã kết thúc) và kết "
    "quả đã ghi với tổng số đã điều chỉnh; không có dữ liệu cá nhân ngoài họ tên, không có mã điểm danh. "
    "Hỏi lại với `If-None-Match` để nhận 304 khi không có gì thay đổi.",
)
def get_room(request: HttpRequest, meeting_id: int = MEETING_ID) -> RoomOut:
    meeting = _meeting(request, meeting_id)
    state = screen.state(meeting)
    ballot = state.ballot
    return RoomOut(
        meeting_id=meeting.pk,
        kind=meeting.kind,
        status=meeting.status,
        cell_name=meeting.cell.name,
        session_title=meeting.session.title if meeting.session else None,
        date=meeting.date,
        start_time=meeting.start_time,
        place=meeting.place,
        agenda=state.agenda,
        speakers=[
            ScreenSpeakerOut(
                id=turn.pk,
                member=PersonOut(id=turn.member_id, full_name=turn.member.full_name),
                about=turn.about,
                status=turn.status,
            )
            for turn in state.speakers
        ],
        present=state.present,
        expected=state.expected,
        ballot=ScreenBallotOut(
            id=ballot.pk,
            subject=ballot.subject,
            secret=ballot.secret,
            status=ballot.status,
            voted=state.tally.voted,
            eligible=state.eligible,
            # The screen shows the counts once the ballot is closed, never while it is open.
            votes_for=None if ballot.is_open else state.tally.votes_for,
            against=None if ballot.is_open else state.tally.against,
            other=None if ballot.is_open else state.tally.other,
        )
        if ballot is not None and state.tally is not None
        else None,
        result=_vote_out(meeting, named=False),
        page_url=reverse("room:screen", args=[meeting.pk]),
    )


# --- Check-in ----------------------------------------------------------------------------------------


@router.get(
    "/rooms/{int:meeting_id}/check-in-code",
    response={200: CheckInCodeOut, **ERRORS},
    summary="Mã điểm danh hiện tại và lúc đổi mã",
    description="Cho người ghi biên bản (chủ trì, thư ký, bí thư, phó bí thư), như trang "
    "`/hop/<id>/ma-diem-danh/`: mã 6 chữ số đổi sau mỗi 3 phút, chỉ có khi đang ghi biên bản (`null` "
    "trước và sau). Không kèm mã QR: "
    "`check_in_url` là đường dẫn mà mã QR mang.",
)
def get_check_in_code(request: HttpRequest, meeting_id: int = MEETING_ID) -> CheckInCodeOut:
    meeting = _meeting(request, meeting_id)
    deny_unless(request.user, "meeting.record", meeting)
    code = checkin.current_code(meeting) if meeting.status == Meeting.Status.IN_PROGRESS else None
    return CheckInCodeOut(
        code=code.code if code else None,
        expires_in=code.expires_in if code else None,
        expires_at=timezone.now() + dt.timedelta(seconds=code.expires_in) if code else None,
        check_in_url=reverse("room:checkin", args=[meeting.pk]) + f"?ma={code.code}" if code else None,
        checked_in=CheckIn.objects.filter(meeting=meeting).count(),
        expected=screen.expected_and_present(meeting)[0],
    )


@router.post(
    "/rooms/{int:meeting_id}/check-ins",
    response={201: CheckInOut, **ERRORS},
    summary="Tự điểm danh bằng mã 6 chữ số",
    description="Đảng viên được triệu tập chỉ tự điểm danh cho mình, một lần, khi đang ghi biên bản, với mã "
    "đang hiện (hoặc mã ngay trước đó); được ghi có mặt, hoặc đến muộn nếu sau giờ bắt đầu hơn 5 phút, vào "
    "danh sách điểm danh như thư ký ghi. Mã sai hoặc hết hạn: 400 (`code`); đã điểm danh: 409.",
)
def check_in(request: HttpRequest, payload: CheckInIn, meeting_id: int = MEETING_ID) -> Status[CheckInOut]:
    meeting = _meeting(request, meeting_id)
    if services.voter_attendance(request.user, meeting) is None:
        raise PermissionDenied(_lazy("Only the members summoned to the meeting check in."))
    code = validated(CheckInForm, {"code": payload.code}).cleaned_data["code"]
    done = checkin.check_in(actor=request.user, meeting=meeting, code=code)
    return Status(
        201,
        CheckInOut(
            meeting_id=meeting.pk,
            member=PersonOut(id=done.member_id, full_name=done.member.full_name),
            at=done.at,
            late=done.late,
            status=Attendance.Status.LATE if done.late else Attendance.Status.PRESENT,
        ),
    )


# --- Speakers ----------------------------------------------------------------------------------------


@router.get(
    "/rooms/{int:meeting_id}/speaker-requests",
    response={200: list[SpeakerRequestOut], **ERRORS},
    summary="Danh sách đăng ký phát biểu",
    description="Người đang phát biểu, rồi những người đang chờ theo thứ tự đăng ký, như trang "
    "`/hop/<id>/xin-phat-bieu/`; `mine` đánh dấu lượt của người gọi.",
)
def list_speaker_requests(request: HttpRequest, meeting_id: int = MEETING_ID) -> list[SpeakerRequestOut]:
    meeting = _meeting(request, meeting_id)
    mine = _my_member_id(request, meeting)
    return [_request_out(turn, mine) for turn in speakers.queue(meeting)]


@router.post(
    "/rooms/{int:meeting_id}/speaker-requests",
    response={201: SpeakerRequestOut, **ERRORS},
    summary="Đăng ký phát biểu",
    description="Đảng viên có mặt đăng ký phát biểu, có thể nêu đoạn dự thảo hoặc mục chương trình "
    "(`about`), mỗi lần một lượt: lượt thứ hai chờ đến khi lượt trước xong (409).",
)
def request_floor(
    request: HttpRequest, payload: SpeakIn, meeting_id: int = MEETING_ID
) -> Status[SpeakerRequestOut]:
    meeting = _meeting(request, meeting_id)
    if services.voter_attendance(request.user, meeting) is None:
        raise PermissionDenied(_lazy("Only the members summoned to the meeting ask to speak."))
    about = validated(SpeakForm, {"about": payload.about}).cleaned_data["about"]
    turn = speakers.request_floor(actor=request.user, meeting=meeting, about=about)
    return Status(201, _turn_out(request, turn.pk))


@router.post(
    "/speaker-requests/{int:request_id}/withdraw",
    response={200: SpeakerRequestOut, **ERRORS},
    summary="Rút đăng ký phát biểu của mình",
    description="Chỉ người đăng ký, khi lượt còn đang chờ.",
)
def withdraw_speaker_request(request: HttpRequest, request_id: int = REQUEST_ID) -> SpeakerRequestOut:
    turn = _turn(request, request_id)
    speakers.withdraw_request(actor=request.user, request=turn)
    return _turn_out(request, turn.pk)


@router.post(
    "/speaker-requests/{int:request_id}/give-floor",
    response={200: SpeakerRequestOut, **ERRORS},
    summary="Mời phát biểu",
    description="Chủ trì (người ghi biên bản) mời một người đang chờ; mỗi lúc chỉ một người phát biểu.",
)
def give_floor(request: HttpRequest, request_id: int = REQUEST_ID) -> SpeakerRequestOut:
    turn = _turn(request, request_id)
    deny_unless(request.user, "meeting.record", turn.meeting)
    speakers.give_floor(actor=request.user, request=turn)
    return _turn_out(request, turn.pk)


@router.post(
    "/speaker-requests/{int:request_id}/end",
    response={200: EndTurnOut, **ERRORS},
    summary="Kết thúc lượt phát biểu",
    description="Lượt phát biểu trở thành một ý kiến trong biên bản, với giờ bắt đầu và kết thúc, để thư ký "
    "tóm tắt (sửa qua `DELETE /speeches/{speech_id}` và ghi lại, như trang).",
)
def end_floor(request: HttpRequest, request_id: int = REQUEST_ID) -> EndTurnOut:
    turn = _turn(request, request_id)
    deny_unless(request.user, "meeting.record", turn.meeting)
    speech = speakers.end_floor(actor=request.user, request=turn)
    return EndTurnOut(request=_turn_out(request, turn.pk), speech=_speech_out(speech))


# --- The electronic vote ---------------------------------------------------------------------------------


@router.get(
    "/rooms/{int:meeting_id}/ballots",
    response={200: list[BallotOut], **ERRORS},
    summary="Các lần biểu quyết điện tử của cuộc họp",
    description="Theo thứ tự mở, với số người đã biểu quyết; số phiếu từng loại như trang biểu quyết cho "
    "người gọi xem (bỏ phiếu kín đang mở: chỉ người ghi biên bản).",
)
@paginate(Pages)
def list_ballots(request: HttpRequest, meeting_id: int = MEETING_ID) -> QuerySet[Ballot]:
    meeting = _meeting(request, meeting_id)
    eligible, chairs = live.eligible_present(meeting), _chairs(request, meeting)
    ballots = _counted(Ballot.objects.filter(meeting=meeting)).order_by("opened_at")

    def build(ballot: Ballot) -> BallotOut:
        return BallotOut(**_ballot_fields(ballot, eligible=eligible, chairs=chairs))

    return Mapped(ballots, build)  # type: ignore[return-value]


@router.get(
    "/ballots/{int:ballot_id}",
    response={200: BallotDetailOut, **ERRORS},
    summary="Một lần biểu quyết điện tử",
    description="Như trang biểu quyết cho người gọi: số đã biểu quyết trên số có quyền biểu quyết có mặt, số "
    "phiếu từng loại (bỏ phiếu kín: khi đã kết thúc, hoặc cho người ghi biên bản), người gọi có thể biểu "
    "quyết không; biểu quyết ghi tên đã kết thúc: từng người chọn gì, cho người ghi biên bản.",
)
def get_ballot(request: HttpRequest, ballot_id: int = BALLOT_ID) -> BallotDetailOut:
    return _ballot_detail(request, ballot_id)


@router.post(
    "/rooms/{int:meeting_id}/ballots",
    response={201: BallotDetailOut, **ERRORS},
    summary="Mở biểu quyết điện tử",
    description="Chủ trì (người ghi biên bản) mở khi đang ghi biên bản và đã điểm danh xong mọi người; mỗi "
    "lúc một lần. Biểu quyết chính khi biên bản chưa có kết quả biểu quyết; `motion`: nội dung khác (thông "
    "qua biên bản, một đề xuất), mở được cả sau đó. `secret`: bỏ phiếu kín.",
)
def open_ballot(
    request: HttpRequest, payload: OpenBallotIn, meeting_id: int = MEETING_ID
) -> Status[BallotDetailOut]:
    meeting = _meeting(request, meeting_id)
    deny_unless(request.user, "meeting.record", meeting)
    data = validated(
        OpenBallotForm, {"subject": payload.subject, "secret": payload.secret, "motion": payload.motion}
    ).cleaned_data
    ballot = services.open_ballot(
        actor=request.user,
        meeting=meeting,
        subject=data["subject"],
        secret=data["secret"],
        motion=data["motion"],
    )
    return Status(201, _ballot_detail(request, ballot.pk))


@router.post(
    "/ballots/{int:ballot_id}/votes",
    response={201: CastOut, **ERRORS},
    summary="Biểu quyết (một lần, không sửa được)",
    description="Đảng viên chính thức có mặt, một lần; đảng viên dự bị và người sinh hoạt tạm thời nơi khác "
    "được từ chối (403) với lý do như trên trang. Bỏ phiếu kín trả về mã biên nhận (`receipt`) chỉ một lần "
    "và không giữ `Idempotency-Key` (để không dòng nào trong cơ sở dữ liệu gắn người bỏ phiếu với lựa chọn): "
    "gửi lại trả lời 409 “đã biểu quyết”. Biểu quyết ghi tên giữ `Idempotency-Key` như mọi lần tạo khác.",
)
def cast_vote(request: HttpRequest, payload: CastIn, ballot_id: int = BALLOT_ID) -> Status[CastOut]:
    ballot = _ballot(request, ballot_id)
    if ballot.secret:
        # An Idempotency-Key keeps the request's fingerprint and its answer beside the caller: for a body
        # that is one of three choices, a hash anyone can reverse. A secret ballot's cast keeps none, so
        # that no row links the voter to their choice (room/models.py).
        idempotency.give_back(request)
    standing = services.standing(request.user, ballot)
    if standing.reason:
        raise PermissionDenied(standing.reason)  # not a voter here at all, as the page answers
    choice = validated(CastForm, {"choice": payload.choice}).cleaned_data["choice"]
    cast = services.cast_vote(actor=request.user, ballot=ballot, choice=choice)
    return Status(201, CastOut(receipt=cast.receipt, ballot=_ballot_detail(request, ballot.pk)))


@router.post(
    "/ballots/{int:ballot_id}/close",
    response={200: CloseOut, **ERRORS},
    summary="Kết thúc biểu quyết và ghi kết quả vào biên bản",
    description="Kết quả được ghi như thư ký ghi (`POST /meetings/{meeting_id}/vote`): thông qua khi số tán "
    "thành quá nửa tổng số đảng viên chính thức đã điều chỉnh; người chưa biểu quyết không tính là tán "
    "thành. Bị từ chối khi chưa ai biểu quyết hoặc biên bản đã có kết quả.",
)
def close_ballot(request: HttpRequest, ballot_id: int = BALLOT_ID) -> CloseOut:
    ballot = _ballot(request, ballot_id)
    deny_unless(request.user, "meeting.record", ballot.meeting)
    result = services.close_ballot(actor=request.user, ballot=ballot)
    # A motion's result stays on its ballot; the record's vote is what closing any other ballot recorded.
    vote = None if ballot.motion else _vote_out(_meeting(request, ballot.meeting_id), named=True)
    return CloseOut(
        ballot=_ballot_detail(request, ballot.pk), vote=vote, message=services.result_sentence(result)
    )


@router.post(
    "/ballots/{int:ballot_id}/withdraw",
    response={200: BallotDetailOut, **ERRORS},
    summary="Hủy lần biểu quyết mở nhầm",
    description="Khi chưa ai biểu quyết; nếu đã có người biểu quyết, hãy kết thúc biểu quyết.",
)
def withdraw_ballot(request: HttpRequest, ballot_id: int = BALLOT_ID) -> BallotDetailOut:
    ballot = _ballot(request, ballot_id)
    deny_unless(request.user, "meeting.record", ballot.meeting)
    services.withdraw_ballot(actor=request.user, ballot=ballot)
    return _ballot_detail(request, ballot.pk)


@router.get(
    "/ballots/{int:ballot_id}/receipt",
    response={200: ReceiptOut, **ERRORS},
    summary="Kiểm tra mã biên nhận của phiếu kín",
    description="Phiếu có mã biên nhận này đã được tính trong lần biểu quyết chưa (mã không cho biết ai đã "
    "chọn gì).",
)
def check_receipt(request: HttpRequest, query: Query[ReceiptQuery], ballot_id: int = BALLOT_ID) -> ReceiptOut:
    ballot = _ballot(request, ballot_id)
    code = "".join(query.code.split()).upper()
    return ReceiptOut(ballot_id=ballot.pk, code=code, counted=services.receipt_counted(ballot, code))
