"""What the meeting tests share: the meeting opened on a day, a member marked, a thematic meeting
held (everyone present, the vote, approved minutes), the final text approved, a resolution written,
and the text of a document frame."""

import unicodedata
from contextlib import nullcontext
from datetime import datetime, time, timedelta

import time_machine
from django.utils import timezone

from drafts import services as drafts
from drafts.models import Comment, Response
from drafts.tests.conftest import TEXT
from meetings import selectors, services
from meetings.models import Attendance, Meeting, Resolution, Speech
from organizations.models import Member
from planning import services as planning
from planning.models import Session

PLACE = "Phòng họp Khoa Xây dựng Đảng"


def member_of(user) -> Member:
    return Member.objects.get(user=user)


def reload(meeting: Meeting) -> Meeting:
    return Meeting.objects.get(pk=meeting.pk)


def yesterday():
    return timezone.localdate() - timedelta(days=1)


def on_day(day, hour=9):
    """The clock moved to ``hour`` o'clock (local time) on ``day``, for a step that happened then: the
    services stamp what they do with the time they run."""
    moment = datetime.combine(day, time(hour), tzinfo=timezone.get_default_timezone())
    return time_machine.travel(moment, tick=True)


def open_meeting(world, *, day=None, kind=Meeting.Kind.REGULAR, session=None, cell=None, actor=None):
    """Plan a meeting held at 14:00 on ``day`` (yesterday by default, so it is over) and open its record
    (the attendance list is made from the roster on ``day``), confirming that it had no notice."""
    actor = actor or world.secretary
    meeting = services.create_meeting(
        actor=actor,
        cell=cell or world.cell,
        kind=kind,
        date=day or yesterday(),
        start_time=time(14, 0),
        place=PLACE,
        session=session,
    )
    return services.open_record(actor=actor, meeting=meeting, confirmed_without_notice=True)


def attendance_of(meeting: Meeting, member: Member) -> Attendance:
    return Attendance.objects.get(meeting=meeting, member=member)


def mark(world, meeting, member, status, reason=""):
    return services.set_attendance(
        actor=world.secretary, meeting=meeting, member_id=member.pk, status=status, reason=reason
    )


def approve_regular(world, meeting):
    """Fill what the minutes of a regular meeting need, and approve them."""
    services.mark_all_present(actor=world.secretary, meeting=meeting)
    services.save_field(
        actor=world.secretary,
        meeting=meeting,
        name="minutes_secretary",
        value=str(member_of(world.deputy).pk),
    )
    services.save_field(actor=world.secretary, meeting=meeting, name="end_time", value="16:00")
    return services.approve_minutes(actor=world.secretary, meeting=meeting)


def hold(world, meeting):
    """Record a thematic meeting of world.cell (everyone present, 3 votes for) and approve its minutes."""
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
    services.save_field(actor=world.secretary, meeting=meeting, name="conclusion", value="Chi bộ thống nhất.")
    services.record_vote(
        actor=world.secretary, meeting=meeting, mode="counts", votes_for=3, against=0, other=0
    )
    services.save_field(actor=world.secretary, meeting=meeting, name="end_time", value="16:00")
    return services.approve_minutes(actor=world.secretary, meeting=meeting)


def finalize(world, session):
    """After the meeting: the presenter revises, answers every comment, submits; the deputy approves."""
    drafts.add_version(actor=world.member, session=session, text="# Bản hoàn chỉnh\n\nĐã tiếp thu ý kiến.")
    for comment in Comment.objects.filter(session=session, parent=None):
        Response.objects.create(comment=comment, decision="accepted")
    drafts.submit_final(actor=world.member, session=session)
    drafts.approve_final(actor=world.deputy, session=session)
    session.refresh_from_db()
    assert session.status == Session.Status.FINAL_APPROVED
    return session


def distributed_session(world, plan, title, day):
    """Another session of the plan on ``day``, its draft approved and sent to the members a week before
    (or now, for a session still to come)."""
    week_before = day - timedelta(days=7)
    with on_day(week_before) if week_before < timezone.localdate() else nullcontext():
        session = planning.add_session(
            actor=world.secretary, plan=plan, quarter=(day.month - 1) // 3 + 1, title=title, planned_date=day
        )
        planning.assign_presenters(actor=world.secretary, session=session, members=[member_of(world.member)])
        drafts.add_version(actor=world.member, session=session, text=TEXT)
        drafts.submit_draft(actor=world.member, session=session)
        drafts.approve_draft(actor=world.secretary, session=session)
    session.refresh_from_db()
    assert session.status == Session.Status.DISTRIBUTED
    return session


def near_day(session, offset):
    """A day ``offset`` days from the session's, in the same year (the plan's)."""
    for delta in (offset, -offset):
        day = session.planned_date + timedelta(days=delta)
        if day.year == session.planned_date.year:
            return day
    raise AssertionError("no day in the same year")


def one_task(world, days=30):
    return services.TaskInput(
        "Xây dựng giờ giảng mẫu", [member_of(world.member).pk], timezone.localdate() + timedelta(days=days)
    )


def save_resolution(world, meeting, tasks):
    return services.save_resolution(
        actor=world.secretary,
        meeting=meeting,
        kind=Resolution.Kind.RESOLUTION,
        results="Chi bộ đã thảo luận sâu, thống nhất cao.",
        shortcomings="Một số ý kiến còn chung chung.",
        implementation="",
        tasks=tasks,
    )


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def flat_text(snapshot: dict) -> str:
    """Every text of a DocumentFrame dict's body: headings, paragraphs, list items, table rows."""
    lines: list[str] = []
    for block in snapshot["body"]:
        if block["kind"] in ("heading", "paragraph"):
            lines.append(block["text"])
        elif block["kind"] == "list":
            lines.extend(block["items"])
        elif block["kind"] == "table":
            lines.extend(" | ".join(row) for row in [block["header"], *block["rows"]])
    return nfc("\n".join(lines))


def check_codes(meeting: Meeting) -> list[str]:
    return [c.code for c in selectors.checks(reload(meeting))]
