"""The record typed during the meeting: bad input is refused with nothing written, a speech sent twice
is saved once, a field changed meanwhile is reported, who may write the record, and what of it the
audit log keeps (a changed attendance status, the chair and the minutes secretary named)."""

import uuid
from datetime import date, time, timedelta

import pytest
import time_machine
from django.utils import timezone, translation

from core.errors import DomainError, InvalidTransition, PermissionDenied
from core.models import AuditEntry
from meetings import services
from meetings.models import Attendance, Meeting, Speech
from meetings.tests.helpers import (
    attendance_of,
    mark,
    member_of,
    open_meeting,
    reload,
)
from tests.factories import ExemptionFactory, member_in


def test_only_members_on_the_list_can_be_marked_and_only_known_statuses(world, regular):
    outsider = member_of(world.other_member)
    with pytest.raises(DomainError):
        mark(world, regular, outsider, Attendance.Status.PRESENT)
    assert not Attendance.objects.filter(meeting=regular, member=outsider).exists()
    with pytest.raises(DomainError):
        services.set_attendance(
            actor=world.secretary, meeting=regular, member_id="not-a-number", status=Attendance.Status.PRESENT
        )
    đức = member_of(world.member)
    with pytest.raises(DomainError):
        mark(world, regular, đức, "on_leave")
    assert attendance_of(regular, đức).status == ""


def test_a_speech_sent_twice_is_saved_once_and_an_empty_one_is_refused(world, regular):
    client_id = uuid.uuid4()
    first = services.add_speech(
        actor=world.secretary,
        meeting=regular,
        member_id=member_of(world.member).pk,
        summary="Ý kiến về giờ giảng.",
        client_id=str(client_id),
    )
    again = services.add_speech(
        actor=world.secretary,
        meeting=regular,
        member_id=member_of(world.member).pk,
        summary="Ý kiến về giờ giảng.",
        client_id=str(client_id),
    )
    assert again.pk == first.pk
    assert Speech.objects.filter(meeting=regular).count() == 1

    for summary in ("", "   \n "):
        with pytest.raises(DomainError):
            services.add_speech(
                actor=world.secretary, meeting=regular, member_id=member_of(world.member).pk, summary=summary
            )
    with pytest.raises(DomainError):
        services.add_speech(actor=world.secretary, meeting=regular, summary="Không rõ ai nói.")
    with pytest.raises(DomainError):
        services.add_speech(
            actor=world.secretary, meeting=regular, member_id=member_of(world.other_member).pk, summary="x"
        )
    assert Speech.objects.filter(meeting=regular).count() == 1


def test_a_field_changed_meanwhile_is_reported_not_overwritten(world, regular):
    services.save_field(
        actor=world.secretary, meeting=regular, name="conclusion", value="Bản của bí thư.", base=""
    )
    with pytest.raises(services.Conflict) as conflict:
        services.save_field(
            actor=world.deputy, meeting=regular, name="conclusion", value="Bản của phó bí thư.", base=""
        )
    assert conflict.value.current == "Bản của bí thư."
    assert reload(regular).conclusion == "Bản của bí thư."
    # Starting from the current text, the change is saved.
    services.save_field(
        actor=world.deputy,
        meeting=regular,
        name="conclusion",
        value="Bản của phó bí thư.",
        base="Bản của bí thư.",
    )
    assert reload(regular).conclusion == "Bản của phó bí thư."


def test_only_the_named_minutes_secretary_writes_the_record_besides_the_secretaries(world, regular):
    đức = member_of(world.member)
    for user in (world.member, world.probationary, world.other_member):
        with pytest.raises(PermissionDenied):
            services.save_field(actor=user, meeting=regular, name="guests", value="Khách")
    assert reload(regular).guests == ""

    services.save_field(actor=world.secretary, meeting=regular, name="minutes_secretary", value=str(đức.pk))
    regular = reload(regular)  # as the next request loads it
    services.save_field(actor=world.member, meeting=regular, name="guests", value="Đồng chí Hải")
    services.set_attendance(
        actor=world.member, meeting=regular, member_id=đức.pk, status=Attendance.Status.PRESENT
    )
    assert reload(regular).guests == "Đồng chí Hải"
    assert attendance_of(regular, đức).status == Attendance.Status.PRESENT
    for user in (world.probationary, world.other_member):
        with pytest.raises(PermissionDenied):
            services.save_field(actor=user, meeting=regular, name="guests", value="Khách khác")
    # Writing the record is not approving it.
    with pytest.raises(PermissionDenied):
        services.approve_minutes(actor=world.member, meeting=regular)
    assert reload(regular).guests == "Đồng chí Hải"


# --- When the record opens ---------------------------------------------------------------------------


def _planned(world, day, start):
    return services.create_meeting(
        actor=world.secretary,
        cell=world.cell,
        kind=Meeting.Kind.REGULAR,
        date=day,
        start_time=start,
        place="Phòng họp Khoa",
    )


def test_the_record_opens_when_the_meeting_starts_and_a_past_meeting_can_be_recorded_later(world):
    later_today = _planned(world, timezone.localdate(), time(14, 0))  # it is 09:00
    with pytest.raises(InvalidTransition, match="14:00") as refused:
        services.open_record(actor=world.secretary, meeting=later_today, confirmed_without_notice=True)
    with translation.override("vi"):
        assert "Biên bản được mở khi cuộc họp bắt đầu, lúc 14:00" in str(refused.value.message)
    assert reload(later_today).status == Meeting.Status.SCHEDULED
    assert not Attendance.objects.filter(meeting=later_today).exists()

    with time_machine.travel(later_today.starts_at, tick=True):
        services.open_record(actor=world.secretary, meeting=later_today, confirmed_without_notice=True)
    assert reload(later_today).status == Meeting.Status.IN_PROGRESS

    # Back-dated: the record of a meeting held last month is written now.
    past = _planned(world, timezone.localdate() - timedelta(days=30), time(14, 0))
    services.open_record(actor=world.secretary, meeting=past, confirmed_without_notice=True)
    assert reload(past).status == Meeting.Status.IN_PROGRESS


def test_a_meeting_without_a_notice_is_opened_only_when_the_secretary_confirms_it(world):
    without = _planned(world, timezone.localdate(), time(7, 30))
    with pytest.raises(services.NoticeMissing) as refused:
        services.open_record(actor=world.secretary, meeting=without)
    assert refused.value.field == "confirmed_without_notice"
    with translation.override("vi"):
        assert "Cuộc họp này chưa có thông báo (TB)" in str(refused.value.message)
    assert reload(without).status == Meeting.Status.SCHEDULED
    assert not Attendance.objects.filter(meeting=without).exists()
    services.open_record(actor=world.secretary, meeting=without, confirmed_without_notice=True)
    assert reload(without).status == Meeting.Status.IN_PROGRESS

    announced = _planned(world, timezone.localdate() - timedelta(days=1), time(7, 30))
    services.issue_notice(
        actor=world.secretary, meeting=announced, issued_on=announced.date - timedelta(days=7)
    )
    services.open_record(actor=world.secretary, meeting=announced)
    assert reload(announced).status == Meeting.Status.IN_PROGRESS


# --- What the open record's audit keeps (docs/architecture.md, "What is audited") -----------------


def _entries(meeting, *actions):
    return list(
        AuditEntry.objects.filter(
            content_type__model="meeting", object_id=meeting.pk, action__in=actions
        ).order_by("id")
    )


def test_taking_the_attendance_writes_no_entry_a_changed_status_writes_one_with_old_and_new(world, regular):
    mai, đức = member_of(world.probationary), member_of(world.member)
    mark(world, regular, mai, Attendance.Status.PRESENT)
    services.mark_all_present(actor=world.secretary, meeting=regular)
    mark(world, regular, mai, Attendance.Status.PRESENT)  # the same mark sent again
    assert _entries(regular, "meetings.attendance.changed") == []

    mark(world, regular, mai, Attendance.Status.UNEXCUSED)
    mark(world, regular, đức, Attendance.Status.EXCUSED, reason="Ốm")
    mark(world, regular, đức, Attendance.Status.EXCUSED, reason="Ốm, có giấy")  # the reason is text
    first, second = _entries(regular, "meetings.attendance.changed")
    assert first.actor == world.secretary
    assert first.data == {
        "member": "Phạm Thị Mai",
        "old": "Có mặt",
        "new": "Vắng không lý do",
        "from": "present",
        "to": "absent_unexcused",
    }
    assert (second.data["member"], second.data["from"], second.data["to"]) == (
        "Lê Văn Đức",
        "present",
        "absent_excused",
    )
    assert first.sentence == "bithu đã sửa điểm danh của Phạm Thị Mai từ “Có mặt” thành “Vắng không lý do”."


def test_a_standing_the_roster_filled_in_counts_as_set_an_exempted_member_who_comes_is_logged(world):
    """Marking an exempted member present changes the vote's adjusted total: one entry."""
    tâm = member_in(world.cell, full_name="Hoàng Văn Tâm")
    ExemptionFactory(member=tâm)
    meeting = open_meeting(world, day=date(2026, 3, 5))
    mark(world, meeting, tâm, Attendance.Status.PRESENT)
    [entry] = _entries(meeting, "meetings.attendance.changed")
    assert (entry.data["member"], entry.data["from"], entry.data["to"]) == (
        "Hoàng Văn Tâm",
        "exempted",
        "present",
    )


def test_naming_or_changing_the_chair_or_the_minutes_secretary_writes_one_entry_each(world, regular):
    hoa, đức = member_of(world.deputy), member_of(world.member)
    roles = ("meetings.role.named", "meetings.role.changed", "meetings.role.removed")
    assert reload(regular).chair == member_of(world.secretary)  # the secretary by default, from the position
    assert _entries(regular, *roles) == []

    def name(field, member):
        services.save_field(
            actor=world.secretary, meeting=reload(regular), name=field, value=str(member.pk) if member else ""
        )

    name("minutes_secretary", hoa)
    name("minutes_secretary", hoa)  # sent again: nothing changes, nothing is written
    name("minutes_secretary", đức)
    name("chair", hoa)
    name("minutes_secretary", None)
    services.save_field(
        actor=world.secretary, meeting=reload(regular), name="conclusion", value="Thống nhất."
    )

    entries = _entries(regular, *roles)
    assert [(e.action, e.data["field"], e.data.get("member"), e.data.get("previous")) for e in entries] == [
        ("meetings.role.named", "minutes_secretary", "Trần Thị Hoa", None),
        ("meetings.role.changed", "minutes_secretary", "Lê Văn Đức", "Trần Thị Hoa"),
        ("meetings.role.changed", "chair", "Trần Thị Hoa", "Nguyễn Văn Bình"),
        ("meetings.role.removed", "minutes_secretary", None, "Lê Văn Đức"),
    ]
    assert all(e.actor == world.secretary for e in entries)
    assert [e.sentence for e in entries] == [
        "bithu đã cử Trần Thị Hoa làm thư ký cuộc họp.",
        "bithu đã cử Lê Văn Đức làm thư ký cuộc họp thay Trần Thị Hoa.",
        "bithu đã cử Trần Thị Hoa làm chủ trì cuộc họp thay Nguyễn Văn Bình.",
        "bithu đã thôi cử Lê Văn Đức làm thư ký cuộc họp.",
    ]


# --- Found in review ---------------------------------------------------------------------------------


def test_line_ends_and_trailing_spaces_from_a_phone_are_not_a_conflict(world, meeting):
    services.save_field(actor=world.secretary, meeting=meeting, name="agenda", value="Mục 1\r\nMục 2")
    # The phone's base is what it showed: "\r\n" line ends, as a browser sends them.
    services.save_field(
        actor=world.secretary,
        meeting=meeting,
        name="agenda",
        value="Mục 1\r\nMục 2\r\nMục 3",
        base="Mục 1\r\nMục 2",
    )
    services.save_field(actor=world.secretary, meeting=meeting, name="conclusion", value="Chi bộ thống nhất ")
    services.save_field(
        actor=world.secretary,
        meeting=meeting,
        name="conclusion",
        value="Chi bộ thống nhất cao",
        base="Chi bộ thống nhất ",
    )
    meeting = reload(meeting)
    assert (meeting.agenda, meeting.conclusion) == ("Mục 1\nMục 2\nMục 3", "Chi bộ thống nhất cao")


def test_the_end_must_come_after_the_start_and_a_meeting_is_not_made_twice(world, meeting):
    with pytest.raises(DomainError):
        services.save_field(actor=world.secretary, meeting=meeting, name="end_time", value="13:00")
    assert reload(meeting).end_time is None
    with pytest.raises(DomainError):
        services.create_meeting(
            actor=world.secretary,
            cell=world.cell,
            kind="regular",
            date=meeting.date,
            start_time=meeting.start_time,
            place="Phòng họp",
        )
    assert Meeting.objects.filter(cell=world.cell).count() == 1


def test_the_minutes_secretary_writes_but_does_not_assess_or_appoint(world, meeting):
    services.save_field(
        actor=world.secretary,
        meeting=meeting,
        name="minutes_secretary",
        value=str(member_of(world.member).pk),
    )
    meeting = reload(meeting)
    services.save_field(actor=world.member, meeting=meeting, name="conclusion", value="Ghi bởi thư ký")
    for name in ("chair", "minutes_secretary"):
        with pytest.raises(PermissionDenied):
            services.save_field(
                actor=world.member, meeting=meeting, name=name, value=str(member_of(world.deputy).pk)
            )
    with pytest.raises(PermissionDenied):
        services.score_quality(actor=world.member, meeting=meeting, scores={})
    assert reload(meeting).chair == member_of(world.secretary)
