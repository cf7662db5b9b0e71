"""The minutes: the approved minutes carry every field of docs/domain.md §4, approval locks the record,
and a correction needs a reason and adds a version, the old one kept."""

import copy

import pytest
from django.utils import translation

from core.errors import DomainError, InvalidTransition, PermissionDenied
from core.models import AuditEntry
from documents.models import IssuedDocument
from documents.wording import day_phrase
from meetings import selectors, services
from meetings.models import Attendance, Meeting, MinutesVersion, Speech
from meetings.tests.helpers import (
    PLACE,
    attendance_of,
    flat_text,
    mark,
    member_of,
    nfc,
    open_meeting,
    reload,
)
from organizations.models import Member, Membership
from tests.factories import ExemptionFactory, MembershipFactory, member_in

# --- The minutes carry every field of docs/domain.md §4 -------------------------------------------------

GUESTS = "Đồng chí Nguyễn Văn Hải, Đảng ủy viên\nĐồng chí Lê Thị Hương, Văn phòng Đảng ủy"
AGENDA = "Khai mạc, giới thiệu đại biểu\nTrình bày dự thảo chuyên đề\nThảo luận, kết luận và biểu quyết"
PRESENTATION = "Trình bày ba nội dung chính của chuyên đề về tự học."
SPEECHES = {
    "Nguyễn Văn Bình": "Đề nghị bổ sung ví dụ về tự học của giảng viên trẻ.",
    "Võ Văn Khánh": "Nên gắn với nhiệm vụ giảng dạy lớp trung cấp cho học viên Lào.",
    "Đồng chí Nguyễn Văn Hải (Đảng ủy viên)": "Ghi nhận sự chuẩn bị chu đáo của chi bộ.",
}
CONCLUSION = "Chi bộ thống nhất nội dung chuyên đề; đồng chí Đức tiếp thu và hoàn thiện trong 10 ngày."


@pytest.fixture
def full_record(world, distributed):
    """A thematic meeting with every kind of attendee, speeches, the vote, the quality level."""
    tâm = member_in(world.cell, full_name="Hoàng Văn Tâm")
    ExemptionFactory(member=tâm, reason="Tuổi cao, sức khỏe yếu")
    thu = member_in(world.cell, full_name="Đặng Thị Thu")
    MembershipFactory(member=thu, organization=world.other_cell, kind=Membership.Kind.TEMPORARY)
    nam = member_in(world.cell, full_name="Bùi Văn Nam")
    lan = member_in(world.cell, full_name="Ngô Thị Lan")
    khánh = member_of(world.other_member)
    MembershipFactory(member=khánh, organization=world.cell, kind=Membership.Kind.TEMPORARY)

    meeting = open_meeting(
        world, kind=Meeting.Kind.THEMATIC, session=distributed, day=distributed.planned_date
    )
    mark(world, meeting, nam, Attendance.Status.EXCUSED, "Đi công tác tại Hà Nội")
    mark(world, meeting, lan, Attendance.Status.UNEXCUSED)
    assert services.mark_all_present(actor=world.secretary, meeting=meeting) == 5

    def save(name, value):
        services.save_field(actor=world.secretary, meeting=meeting, name=name, value=value)

    save("guests", GUESTS)
    save("agenda", AGENDA)
    save("minutes_secretary", str(member_of(world.deputy).pk))
    services.add_speech(
        actor=world.secretary,
        meeting=meeting,
        member_id=member_of(world.member).pk,
        kind=Speech.Kind.PRESENTATION,
        summary=PRESENTATION,
    )
    services.add_speech(
        actor=world.secretary,
        meeting=meeting,
        member_id=member_of(world.secretary).pk,
        summary=SPEECHES["Nguyễn Văn Bình"],
    )
    services.add_speech(
        actor=world.secretary, meeting=meeting, member_id=khánh.pk, summary=SPEECHES["Võ Văn Khánh"]
    )
    services.add_speech(
        actor=world.secretary,
        meeting=meeting,
        speaker_name="Đồng chí Nguyễn Văn Hải (Đảng ủy viên)",
        summary=SPEECHES["Đồng chí Nguyễn Văn Hải (Đảng ủy viên)"],
    )
    save("conclusion", CONCLUSION)
    save("vote_subject", "Thông qua kết luận của chủ trì")
    services.record_vote(
        actor=world.secretary, meeting=meeting, mode="counts", votes_for=3, against=0, other=0
    )
    rubric = selectors.rubric_for(meeting)
    services.score_quality(
        actor=world.secretary, meeting=meeting, scores={c.code: c.points for c in rubric.criteria}
    )
    save("end_time", "16:05")
    return reload(meeting)


def test_the_approved_minutes_contain_every_field_of_domain_4(world, full_record):
    meeting = full_record
    version = services.approve_minutes(actor=world.secretary, meeting=meeting)
    snapshot = MinutesVersion.objects.get(pk=version.pk).snapshot
    text = flat_text(snapshot)
    day = meeting.date

    expected = [
        # time and place
        f"Hồi 14 giờ 00 phút, {day_phrase(day)}, tại {PLACE}",
        # totals split full / probationary / temporarily attached; exempted; attached elsewhere
        "Tổng số đảng viên của chi bộ: 8 đồng chí (chính thức: 7, dự bị: 1)",
        "đảng viên sinh hoạt tạm thời tại chi bộ: 1 đồng chí",
        "Đảng viên được miễn sinh hoạt: 1 đồng chí (Hoàng Văn Tâm)",
        "Đảng viên sinh hoạt tạm thời nơi khác: 1 đồng chí (Đặng Thị Thu)",
        # present, absent with reason (names + reasons), absent without reason (names)
        "Có mặt: 5 đồng chí",
        "Vắng có lý do: 1 đồng chí (Bùi Văn Nam (Đi công tác tại Hà Nội))",
        "Vắng không có lý do: 1 đồng chí (Ngô Thị Lan)",
        # guests, chair, minutes secretary
        "Đồng chí Nguyễn Văn Hải, Đảng ủy viên",
        "Đồng chí Lê Thị Hương, Văn phòng Đảng ủy",
        "Chủ trì: đồng chí Nguyễn Văn Bình",
        "Thư ký: đồng chí Trần Thị Hoa",
        # the presenter and the presentation
        f"Đồng chí Lê Văn Đức trình bày dự thảo chuyên đề “{meeting.session.title}”: {PRESENTATION}",
        # each speaker with their opinion
        *(
            f"{name if name.startswith('Đồng chí') else 'Đồng chí ' + name}: {said}"
            for name, said in SPEECHES.items()
        ),
        # the conclusion
        CONCLUSION,
        # the vote against the adjusted total: 7 full − 1 attached elsewhere − 1 exempted absent = 5
        "Thông qua kết luận của chủ trì",
        "tổng số làm căn cứ biểu quyết: 5 đồng chí",
        "ít nhất 3 đồng chí tán thành",
        "tán thành 3/5 đồng chí",
        "không tán thành 0",
        "ý kiến khác 0",
        "− 1 sinh hoạt tạm thời nơi khác − 1 được miễn sinh hoạt và vắng mặt",
        # quality level, end time
        "Chất lượng buổi sinh hoạt: Tốt (100 điểm)",
        "kết thúc lúc 16 giờ 05 phút",
    ]
    missing = [fragment for fragment in expected if nfc(fragment) not in text]
    assert not missing, f"missing from the minutes: {missing}\n---\n{text}"
    agenda_items = next(b["items"] for b in snapshot["body"] if b["kind"] == "list")
    assert agenda_items == AGENDA.splitlines()

    # Closing signatures: the chair and the minutes secretary.
    assert (snapshot["signer_title"], snapshot["signer_name"]) == ("CHỦ TRÌ", "Nguyễn Văn Bình")
    assert (snapshot["cosigner_title"], snapshot["cosigner_name"]) == ("THƯ KÝ", "Trần Thị Hoa")
    assert (snapshot["doc_type"], snapshot["number"], snapshot["symbol"]) == ("BB", 1, "01-BB/CB")
    assert snapshot["date"] == day.isoformat()
    meeting = reload(meeting)
    assert meeting.minutes_document.symbol == "01-BB/CB"
    assert meeting.minutes_document.snapshot == snapshot


def test_a_named_vote_prints_who_voted_how_in_the_minutes(world, meeting):
    services.mark_all_present(actor=world.secretary, meeting=meeting)
    services.save_field(
        actor=world.secretary,
        meeting=meeting,
        name="minutes_secretary",
        value=str(member_of(world.deputy).pk),
    )
    services.add_speech(
        actor=world.secretary,
        meeting=meeting,
        member_id=member_of(world.member).pk,
        kind=Speech.Kind.PRESENTATION,
        summary="Trình bày dự thảo.",
    )
    services.save_field(actor=world.secretary, meeting=meeting, name="conclusion", value="Thống nhất.")
    services.save_field(actor=world.secretary, meeting=meeting, name="end_time", value="16:00")
    named = {
        member_of(world.secretary).pk: "for",
        member_of(world.deputy).pk: "for",
        member_of(world.member).pk: "against",
    }
    services.record_vote(actor=world.secretary, meeting=meeting, mode="named", named=named)
    snapshot = services.approve_minutes(actor=world.secretary, meeting=meeting).snapshot
    text = flat_text(snapshot)
    assert nfc("tán thành 2/3 đồng chí") in text
    table = next(b for b in snapshot["body"] if b["kind"] == "table")
    assert table["header"] == ["Tán thành", "Không tán thành", "Ý kiến khác"]
    [[voted_for, voted_against, voted_other]] = table["rows"]
    assert set(voted_for.split(", ")) == {"Nguyễn Văn Bình", "Trần Thị Hoa"}
    assert (voted_against, voted_other) == ("Lê Văn Đức", "")


# --- Locking, corrections and the audit trail ----------------------------------------------------


def test_approved_minutes_lock_every_editing_service(world, full_record):
    meeting = full_record
    services.approve_minutes(actor=world.secretary, meeting=meeting)
    before = reload(meeting)
    speech = Speech.objects.filter(meeting=meeting).first()
    lan = Member.objects.get(full_name="Ngô Thị Lan")
    rubric = selectors.rubric_for(meeting)
    edits = {
        "save_field": lambda: services.save_field(
            actor=world.secretary, meeting=meeting, name="conclusion", value="Sửa lại."
        ),
        "set_attendance": lambda: mark(world, meeting, lan, Attendance.Status.PRESENT),
        "mark_all_present": lambda: services.mark_all_present(actor=world.secretary, meeting=meeting),
        "add_speech": lambda: services.add_speech(
            actor=world.secretary, meeting=meeting, member_id=lan.pk, summary="Ý kiến mới."
        ),
        "delete_speech": lambda: services.delete_speech(actor=world.secretary, speech=speech),
        "record_vote": lambda: services.record_vote(
            actor=world.secretary, meeting=meeting, mode="counts", votes_for=2, against=1, other=0
        ),
        "clear_vote": lambda: services.clear_vote(actor=world.secretary, meeting=meeting),
        "score_quality": lambda: services.score_quality(
            actor=world.secretary, meeting=meeting, scores={c.code: 0 for c in rubric.criteria}
        ),
    }
    allowed = []
    for name, edit in edits.items():
        try:
            edit()
        except InvalidTransition:
            continue
        allowed.append(name)
    assert not allowed, f"changed approved minutes: {allowed}"

    after = reload(meeting)
    assert after.status == Meeting.Status.APPROVED and after.revision == before.revision
    assert (after.conclusion, after.votes_for, after.quality_level) == (CONCLUSION, 3, "tot")
    assert Speech.objects.filter(meeting=meeting).count() == 4
    assert attendance_of(meeting, lan).status == Attendance.Status.UNEXCUSED

    with pytest.raises(InvalidTransition):
        services.approve_minutes(actor=world.secretary, meeting=meeting)
    assert MinutesVersion.objects.filter(meeting=meeting).count() == 1


def test_a_correction_needs_a_reason_and_adds_version_2_keeping_version_1(world, full_record):
    meeting = full_record
    first = services.approve_minutes(actor=world.secretary, meeting=meeting)
    first_snapshot = copy.deepcopy(MinutesVersion.objects.get(pk=first.pk).snapshot)

    for reason in ("", "   "):
        with pytest.raises(DomainError):
            services.start_correction(actor=world.secretary, meeting=meeting, reason=reason)
    assert reload(meeting).status == Meeting.Status.APPROVED
    with pytest.raises(PermissionDenied):
        services.start_correction(actor=world.member, meeting=meeting, reason="Sai giờ")

    services.start_correction(actor=world.secretary, meeting=meeting, reason="Ghi sai giờ kết thúc")
    assert reload(meeting).status == Meeting.Status.CORRECTING
    with pytest.raises(InvalidTransition):
        services.start_correction(actor=world.secretary, meeting=meeting, reason="Lần nữa")
    services.save_field(actor=world.secretary, meeting=meeting, name="end_time", value="16:20")
    second = services.approve_minutes(actor=world.secretary, meeting=meeting)

    assert (second.number, second.reason) == (2, "Ghi sai giờ kết thúc")
    assert second.approved_by == world.secretary
    assert "16 giờ 20 phút" in flat_text(second.snapshot)
    assert second.snapshot["symbol"] == "01-BB/CB"
    stored_first = MinutesVersion.objects.get(pk=first.pk)
    assert stored_first.snapshot == first_snapshot and stored_first.reason == ""
    assert "16 giờ 05 phút" in flat_text(stored_first.snapshot)
    assert list(MinutesVersion.objects.filter(meeting=meeting).values_list("number", flat=True)) == [1, 2]
    # One numbered document for the minutes, whatever the versions.
    assert IssuedDocument.objects.filter(doc_type="BB", organization=world.cell).count() == 1
    meeting = reload(meeting)
    assert meeting.status == Meeting.Status.APPROVED and meeting.correction_reason == ""
    with pytest.raises(InvalidTransition):
        services.save_field(actor=world.secretary, meeting=meeting, name="end_time", value="16:30")

    entries = AuditEntry.objects.filter(object_id=meeting.pk, content_type__model="meeting")
    approved = entries.filter(action="meetings.minutes.approved")
    assert sorted(e.data["number"] for e in approved) == [1, 2]
    assert all(e.actor == world.secretary for e in approved)
    correcting = entries.get(action="meetings.minutes.correcting")
    assert correcting.data["reason"] == "Ghi sai giờ kết thúc" and correcting.actor == world.secretary


# --- Not before the meeting has ended --------------------------------------------------------------


def test_the_minutes_are_approved_once_the_meeting_has_ended(world, regular):
    """The meeting began at 07:30 and it is 09:00: an end time still to come is refused, with the way out."""
    services.mark_all_present(actor=world.secretary, meeting=regular)
    services.save_field(
        actor=world.secretary,
        meeting=regular,
        name="minutes_secretary",
        value=str(member_of(world.deputy).pk),
    )
    services.save_field(actor=world.secretary, meeting=regular, name="end_time", value="10:00")
    problems = services.minutes_problems(reload(regular))
    assert len(problems) == 1 and "10:00" in problems[0]
    with pytest.raises(DomainError, match="10:00") as refused:
        services.approve_minutes(actor=world.secretary, meeting=regular)
    with translation.override("vi"):
        assert "biên bản được thông qua sau thời điểm đó" in str(refused.value.message)
    assert reload(regular).status == Meeting.Status.IN_PROGRESS
    assert not MinutesVersion.objects.filter(meeting=regular).exists()
    assert not IssuedDocument.objects.filter(doc_type="BB").exists()

    services.save_field(actor=world.secretary, meeting=regular, name="end_time", value="08:55")
    assert services.approve_minutes(actor=world.secretary, meeting=regular).number == 1
