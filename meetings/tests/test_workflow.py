"""The whole cycle through the services: meeting, minutes, final text, resolution, tasks."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import DomainError, InvalidTransition
from drafts import services as drafts
from drafts.models import Comment, Response
from meetings import services
from meetings.models import Meeting, MinutesVersion, Resolution
from organizations.models import Member
from planning.models import Session


def _run_meeting(world, meeting):
    secretary = Member.objects.get(user=world.secretary)
    presenter = Member.objects.get(user=world.member)
    services.mark_all_present(actor=world.secretary, meeting=meeting)
    services.save_field(
        actor=world.secretary, meeting=meeting, name="minutes_secretary", value=str(presenter.pk)
    )
    services.add_speech(
        actor=world.secretary,
        meeting=meeting,
        member_id=presenter.pk,
        kind="presentation",
        summary="Trình bày dự thảo.",
    )
    services.add_speech(actor=world.secretary, meeting=meeting, member_id=secretary.pk, summary="Nhất trí.")
    services.save_field(actor=world.secretary, meeting=meeting, name="conclusion", value="Chi bộ thống nhất.")
    result = services.record_vote(
        actor=world.secretary, meeting=meeting, mode="counts", votes_for=3, against=0, other=0
    )
    services.save_field(actor=world.secretary, meeting=meeting, name="end_time", value="16:00")
    return result


@pytest.mark.new_year
def test_full_cycle(world, meeting):
    result = _run_meeting(world, meeting)
    # secretary, deputy, member full; the probationary member does not count.
    assert (result.basis.adjusted_total, result.basis.needed, result.passed) == (3, 2, True)
    version = services.approve_minutes(actor=world.secretary, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.APPROVED and version.number == 1
    assert meeting.minutes_document.symbol == "01-BB/CB"
    session = Session.objects.get(pk=meeting.session_id)
    assert session.status == Session.Status.HELD
    with pytest.raises(InvalidTransition):
        services.approve_minutes(actor=world.secretary, meeting=meeting)
    with pytest.raises(InvalidTransition):
        services.save_field(actor=world.secretary, meeting=meeting, name="conclusion", value="x")

    drafts.add_version(actor=world.member, session=session, text="# Bản hoàn chỉnh\n\nNội dung đã tiếp thu.")
    session.refresh_from_db()
    assert session.status == Session.Status.REVISING
    for comment in Comment.objects.filter(session=session, parent=None):
        Response.objects.create(comment=comment, decision="accepted")
    drafts.submit_final(actor=world.member, session=session)
    with pytest.raises(InvalidTransition):
        services.issue_resolution(actor=world.secretary, meeting=meeting)
    drafts.approve_final(actor=world.deputy, session=session)
    session.refresh_from_db()
    assert session.status == Session.Status.FINAL_APPROVED

    presenter = Member.objects.get(user=world.member)
    services.save_resolution(
        actor=world.secretary,
        meeting=meeting,
        kind=Resolution.Kind.RESOLUTION,
        results="Chi bộ đã thảo luận sâu.",
        shortcomings="",
        implementation="",
        tasks=[
            services.TaskInput(
                "Xây dựng giờ giảng mẫu", [presenter.pk], timezone.localdate() + timedelta(days=30)
            )
        ],
    )
    resolution = services.issue_resolution(actor=world.secretary, meeting=meeting)
    assert resolution.document.symbol == "01-NQ/CB"
    session.refresh_from_db()
    assert session.status == Session.Status.RESOLUTION_ISSUED
    task = resolution.tasks.get()
    services.complete_task(actor=world.member, task=task, note="Đã dạy mẫu")
    task.refresh_from_db()
    assert task.is_done

    services.start_correction(actor=world.secretary, meeting=meeting, reason="Sai giờ kết thúc")
    services.save_field(actor=world.secretary, meeting=meeting, name="end_time", value="16:15")
    second = services.approve_minutes(actor=world.secretary, meeting=meeting)
    assert second.number == 2 and second.reason == "Sai giờ kết thúc"
    assert MinutesVersion.objects.filter(meeting=meeting).count() == 2
    assert "16 giờ 15 phút" in str(second.snapshot) and "16 giờ 00 phút" in str(version.snapshot)
    assert second.snapshot["symbol"] == "01-BB/CB"


def test_vote_before_attendance_refused(world, meeting):
    with pytest.raises(InvalidTransition, match="Nguyễn Văn Bình"):  # who is not marked yet
        services.record_vote(
            actor=world.secretary, meeting=meeting, mode="counts", votes_for=1, against=0, other=0
        )


def test_regular_meeting(world, regular):
    assert regular.session is None
    services.mark_all_present(actor=world.secretary, meeting=regular)
    services.save_field(actor=world.secretary, meeting=regular, name="end_time", value="9:00")
    secretary = Member.objects.get(user=world.secretary)
    services.save_field(
        actor=world.secretary, meeting=regular, name="minutes_secretary", value=str(secretary.pk)
    )
    services.approve_minutes(actor=world.secretary, meeting=regular)
    regular.refresh_from_db()
    assert regular.status == Meeting.Status.APPROVED


def test_minutes_problems_listed(world, meeting):
    with pytest.raises(DomainError) as error:
        services.approve_minutes(actor=world.secretary, meeting=meeting)
    assert "Nguyễn Văn Bình" in str(error.value.message)  # the members still to mark
