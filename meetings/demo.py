"""Demo meetings of the article's cell (Chi bộ Khoa Xây dựng Đảng), added after the drafts demo.

* a regular monthly meeting on the 5th of every month of this year so far, with approved minutes;
  one member missed two of them without a reason (the secretary sees the Charter art. 8 warning);
* this year's thematic sessions held with full records: attendance, the presentation, speeches, the
  chair's conclusion, the vote on the adjusted total, the quality level and approved minutes; the
  first three have their final text approved and an issued resolution whose tasks are done or open
  (one overdue); the last one waits for the chi ủy to approve its final text;
* the session three weeks ahead (its draft under comment) has its meeting planned and its notice
  issued: ready to be run.

Past steps are run through the services with the dates they would have had, so the documents carry
the right numbers and dates; the sessions held before the meetings feature existed are moved back to
"distributed" for a moment so the meeting can be recorded on them, as the drafts demo does.
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from drafts import services as drafts
from drafts.demo import COMMENT_TITLE
from drafts.models import Comment, Distribution, DraftVersion, Reading, Response
from meetings import selectors, services
from meetings.models import Attendance, Meeting, MinutesVersion, Resolution, ResolutionTask
from organizations.demo import ARTICLE_CELL, Demo
from planning import lifecycle
from planning.models import Session

SPEECHES = (
    ("Nguyễn Đình Khánh", "Nhất trí với dự thảo; đề nghị bổ sung số liệu khảo sát học viên năm nay."),
    ("Tôn Nữ Minh Châu", "Liên hệ việc giảng dạy cho học viên Lào: cần tài liệu song ngữ và giờ giảng mẫu."),
    ("Võ Thị Hồng Nhung", "Đề xuất mỗi giảng viên đăng ký một nội dung làm theo cụ thể, đánh giá cuối năm."),
    ("Lê Thị Kim Oanh", "Đề nghị văn phòng khoa theo dõi, tổng hợp việc thực hiện hằng quý."),
)
CONCLUSION = (
    "Chi bộ đánh giá cao sự chuẩn bị của đồng chí báo cáo viên và tinh thần thảo luận dân chủ, thẳng thắn.\n"
    "Giao đồng chí báo cáo viên tiếp thu ý kiến, hoàn chỉnh chuyên đề trình chi ủy; chi ủy dự thảo nghị quyết "
    "chuyên đề với các nhiệm vụ cụ thể, phân công người thực hiện và thời hạn."
)
RESULTS = (
    "Chi bộ đã nghiên cứu, thảo luận sâu nội dung chuyên đề; 100% đảng viên có mặt tham gia ý kiến.\n"
    "Chuyên đề được chuẩn bị công phu, gắn với nhiệm vụ chính trị của Khoa."
)
SHORTCOMINGS = "Một số ý kiến còn chung chung, chưa đề xuất được giải pháp cụ thể."
TASKS = (
    ("Xây dựng kế hoạch thực hiện chuyên đề trong Khoa", "Hoàng Thị Thu Hương", 30),
    ("Tổ chức giờ giảng mẫu áp dụng nội dung chuyên đề", "Võ Thị Hồng Nhung", 60),
    ("Biên soạn tài liệu tham khảo cho học viên", "Tôn Nữ Minh Châu", 90),
)
# (month, member, status, reason): the exceptions to "everyone present" at the regular meetings.
REGULAR_ABSENCES = {
    2: [("Tôn Nữ Minh Châu", "absent_excused", "Đi công tác tại Lào")],
    4: [("Trần Quốc Bảo", "late", "")],
    6: [("Lê Thị Kim Oanh", "absent_excused", "Nghỉ phép")],
    9: [("Nguyễn Hữu Phước", "absent_unexcused", "")],
    10: [("Nguyễn Hữu Phước", "absent_unexcused", ""), ("Võ Thị Hồng Nhung", "absent_excused", "Ốm")],
}


def _mark(meeting: Meeting, demo: Demo, changes: list[tuple[str, str, str]]) -> None:
    """Take the attendance as the minutes secretary does: the exceptions first, then everyone else
    present (so no mark is changed: changing one is audited)."""
    for name, status, reason in changes:
        member = demo.members[name]
        if meeting.attendances.filter(member=member).exists():
            services.set_attendance(
                actor=None, meeting=meeting, member_id=member.pk, status=status, reason=reason
            )
    services.mark_all_present(actor=None, meeting=meeting)


def _close(meeting: Meeting, demo: Demo, end: str, approved_on: date) -> None:
    services.save_field(
        actor=None, meeting=meeting, name="minutes_secretary", value=str(demo.members["Lê Thị Kim Oanh"].pk)
    )
    services.save_field(actor=None, meeting=meeting, name="end_time", value=end)
    rubric = selectors.rubric_for(meeting)
    scores = {c.code: c.points for c in rubric.criteria}
    if meeting.attendances.filter(status="absent_unexcused").exists():
        scores["attendance"] = 10  # an unexcused absence: attendance is not full, the level not Tốt
    if meeting.speeches.count() < 3:
        scores["participation"] = 15
    services.score_quality(actor=None, meeting=meeting, scores=scores)
    services.approve_minutes(actor=None, meeting=meeting)
    stamp = timezone.make_aware(datetime.combine(approved_on, time(16, 30)))
    MinutesVersion.objects.filter(meeting=meeting).update(approved_at=stamp)


def _regular(demo: Demo, cell: object, day: date) -> None:
    meeting = services.create_meeting(
        actor=None,
        cell=cell,
        kind=Meeting.Kind.REGULAR,
        date=day,
        start_time=time(7, 30),
        place="Phòng họp Khoa Xây dựng Đảng",
    )
    # The monthly meeting keeps its usual day and is announced at the previous one: no notice.
    services.open_record(actor=None, meeting=meeting, confirmed_without_notice=True)
    _mark(meeting, demo, REGULAR_ABSENCES.get(day.month, []))
    services.save_field(
        actor=None,
        meeting=meeting,
        name="conclusion",
        value=f"Chi bộ thống nhất nhiệm vụ tháng {day.month % 12 + 1}: bảo đảm tiến độ giảng dạy và nghiên cứu khoa học.",
    )
    _close(meeting, demo, "09:40", day)


def _other_regular(cell: Any, day: date, seed: int) -> None:
    """A monthly meeting of another cell: everyone present but one member excused in most months, and
    in one cell an unexcused absence now and then."""
    meeting = services.create_meeting(
        actor=None,
        cell=cell,
        kind=Meeting.Kind.REGULAR,
        date=day,
        start_time=time(7, 30),
        place="Phòng họp " + cell.name.removeprefix("Chi bộ "),
    )
    services.open_record(actor=None, meeting=meeting, confirmed_without_notice=True)
    rows = list(meeting.attendances.filter(status="").order_by("member__full_name"))
    if rows and (day.month + seed) % 3:
        absent = rows[(day.month * (seed + 2)) % len(rows)]
        unexcused = seed == 1 and day.month % 4 == 0
        services.set_attendance(
            actor=None,
            meeting=meeting,
            member_id=absent.member_id,
            status="absent_unexcused" if unexcused else "absent_excused",
            reason="" if unexcused else "Đi công tác",
        )
    services.mark_all_present(actor=None, meeting=meeting)
    present = meeting.attendances.filter(status="present").exclude(member_id=meeting.chair_id or 0).first()
    if present is not None:
        services.save_field(
            actor=None, meeting=meeting, name="minutes_secretary", value=str(present.member_id)
        )
    services.save_field(actor=None, meeting=meeting, name="end_time", value="09:30")
    rubric = selectors.rubric_for(meeting)
    scores = {c.code: c.points for c in rubric.criteria}
    scores["participation"] = 15 if (day.month + seed) % 2 else 20
    if meeting.attendances.filter(status="absent_unexcused").exists():
        scores["attendance"] = 10
    services.score_quality(actor=None, meeting=meeting, scores=scores)
    services.approve_minutes(actor=None, meeting=meeting)
    stamp = timezone.make_aware(datetime.combine(day, time(10)))
    MinutesVersion.objects.filter(meeting=meeting).update(approved_at=stamp)


DRAFT_TEXT = """# I. Thực trạng

Thời gian qua, chi bộ đã lãnh đạo Khoa triển khai nhiều giải pháp; đảng viên tích cực học tập, nghiên cứu.

Tuy nhiên, việc vận dụng vào giảng dạy và công tác còn chưa đồng đều giữa các bộ môn.

# II. Giải pháp

- Gắn nội dung chuyên đề với nhiệm vụ của từng đảng viên
- Kiểm tra, đánh giá việc thực hiện hằng quý"""
# (author, paragraph, comment, answer) on each held session's draft; one of them written after the deadline.
DRAFT_COMMENTS = (
    ("Nguyễn Đình Khánh", "p-2", "Đề nghị bổ sung số liệu cụ thể của năm học vừa qua.", "accepted"),
    ("Tôn Nữ Minh Châu", "p-3", "Nên nêu rõ khó khăn khi giảng dạy cho học viên Lào.", "partly"),
    ("Võ Thị Hồng Nhung", "p-5", "Đề xuất thêm giải pháp về giờ giảng mẫu.", "accepted"),
    ("Lê Thị Kim Oanh", "", "Dự thảo công phu, tôi nhất trí.", "accepted"),
)


def _distribute(demo: Demo, session: Session, day: date, index: int) -> None:
    """The draft of a session held before the meetings feature: written, approved and sent a week
    before the meeting, opened and commented on by members (some late, some not at all)."""
    from drafts.demo import comment_by

    lifecycle.load_history(Session.objects.filter(pk=session.pk), Session.Status.ASSIGNED)
    session.refresh_from_db()
    drafts.add_version(actor=None, session=session, text=DRAFT_TEXT, note="Bản dự thảo lần 1")
    drafts.submit_draft(actor=None, session=session)
    drafts.approve_draft(actor=None, session=session)
    sent = timezone.make_aware(datetime.combine(day - timedelta(days=7), time(8)))
    Distribution.objects.filter(session=session).update(distributed_at=sent, late=False)
    DraftVersion.objects.filter(session=session).update(created_at=sent - timedelta(days=5), approved_at=sent)
    presenter_ids = set(session.presenters.values_list("id", flat=True))
    readers = [
        m for name, m in demo.members.items() if m.pk not in presenter_ids and name != "Nguyễn Hữu Phước"
    ]
    for member in readers:
        if member.memberships.filter(organization=session.cell).exists():
            drafts.record_open(member=member, session=session)
    Reading.objects.filter(session=session).update(first_opened_at=sent + timedelta(days=1))
    for position, (author, anchor, body, answer) in enumerate(DRAFT_COMMENTS):
        if demo.members[author].pk in presenter_ids or (index + position) % 4 == 3:
            continue
        comment = comment_by(session, author, demo, anchor, body)
        written = day + timedelta(days=1) if (index, position) == (0, 1) else day - timedelta(days=2)
        Comment.objects.filter(pk=comment.pk).update(
            created_at=timezone.make_aware(datetime.combine(written, time(20))), late=written > day
        )
        Response.objects.create(
            comment=comment, decision=answer, explanation="Đã bổ sung vào bản hoàn chỉnh."
        )
    session.refresh_from_db()


def _hold(demo: Demo, session: Session, today: date, *, stage: str, index: int) -> None:
    """Record the meeting of a session already marked held, then take it to ``stage``."""
    day = session.planned_date or today
    _distribute(demo, session, day, index)
    meeting = services.create_meeting(
        actor=None,
        cell=session.cell,
        kind=Meeting.Kind.COMBINED if session.combined_with_regular else Meeting.Kind.THEMATIC,
        date=day,
        start_time=session.planned_time or time(14, 0),
        place="Hội trường B, Trường Chính trị Nguyễn Chí Thanh",
        session=session,
    )
    services.issue_notice(actor=None, meeting=meeting, issued_on=day - timedelta(days=7))
    services.open_record(actor=None, meeting=meeting)
    _mark(
        meeting,
        demo,
        [("Nguyễn Hữu Phước", "absent_excused", "Đi học lớp bồi dưỡng")] if day.month == 5 else [],
    )
    presenter = session.presenters.first()
    assert presenter is not None
    services.save_field(
        actor=None, meeting=meeting, name="guests", value="Đồng chí Phó Bí thư Đảng ủy Trường (dự và chỉ đạo)"
    )
    services.add_speech(
        actor=None,
        meeting=meeting,
        member_id=presenter.pk,
        kind="presentation",
        summary="Trình bày tóm tắt dự thảo chuyên đề, những nội dung mới và đề xuất giải pháp.",
    )
    for name, summary in SPEECHES:
        if demo.members[name].pk != presenter.pk:
            services.add_speech(actor=None, meeting=meeting, member_id=demo.members[name].pk, summary=summary)
    services.save_field(actor=None, meeting=meeting, name="conclusion", value=CONCLUSION)
    services.save_field(
        actor=None,
        meeting=meeting,
        name="vote_subject",
        value="Thông qua nội dung chuyên đề và dự thảo nghị quyết",
    )
    present_full = meeting.attendances.filter(status__in=("present", "late"), full=True, attached_here=False)
    voters = present_full.count()
    services.record_vote(actor=None, meeting=meeting, mode="counts", votes_for=voters, against=0, other=0)
    _close(meeting, demo, "16:10", day)
    session.refresh_from_db()
    if stage == "held":
        return
    # After the meeting: the presenter answers the comments and submits the final text.
    drafts.add_version(
        actor=None,
        session=session,
        text=f"# {session.title}\n\nBản hoàn chỉnh sau khi tiếp thu ý kiến góp ý của chi bộ.",
        note="Bản hoàn chỉnh",
    )
    for comment in Comment.objects.filter(
        session=session, parent=None, deleted_at=None, response__isnull=True
    ):
        Response.objects.create(comment=comment, decision=Response.Decision.ACCEPTED)
    drafts.submit_final(actor=None, session=session)
    if stage == "final_submitted":
        return
    drafts.approve_final(actor=None, session=session)
    DraftVersion.objects.filter(session=session, stage=DraftVersion.Stage.FINAL).update(
        approved_at=timezone.make_aware(datetime.combine(day + timedelta(days=10), time(9)))
    )
    services.save_resolution(
        actor=None,
        meeting=meeting,
        kind="NQ",
        results=RESULTS,
        shortcomings=SHORTCOMINGS,
        implementation="",
        tasks=[
            services.TaskInput(text, [demo.members[owner].pk], day + timedelta(days=days))
            for text, owner, days in TASKS
        ],
    )
    resolution = services.issue_resolution(actor=None, meeting=meeting, issued_on=day + timedelta(days=12))
    Resolution.objects.filter(pk=resolution.pk).update(
        issued_at=timezone.make_aware(datetime.combine(day + timedelta(days=12), time(10)))
    )
    # Finished and open tasks: the older the resolution, the more of its tasks are done.
    done = {0: 2, 1: 1}.get(index, 0)
    for task in resolution.tasks.order_by("position")[:done]:
        if task.deadline < today:
            services.complete_task(actor=None, task=task, note="Đã hoàn thành đúng thời hạn.")
            ResolutionTask.objects.filter(pk=task.pk).update(
                done_at=timezone.make_aware(datetime.combine(task.deadline - timedelta(days=3), time(10)))
            )


def add_meetings(demo: Demo) -> None:
    """Add the meetings demo (see the module docstring)."""
    today = demo.today
    cell = next(c for c in demo.cells.values() if c.name == ARTICLE_CELL)
    held = list(
        Session.objects.filter(cell=cell, plan__year=today.year, status=Session.Status.HELD).order_by(
            "planned_date"
        )
    )
    # Every meeting in date order, so the minutes are numbered as they were held.
    events: list[tuple[date, Session | None]] = [(s.planned_date or today, s) for s in held]
    events += [
        (date(today.year, month, 5), None) for month in range(1, today.month + (1 if today.day > 5 else 0))
    ]
    for day, session in sorted(events, key=lambda event: event[0]):
        if session is None:
            _regular(demo, cell, day)
            continue
        index = held.index(session)
        last = index == len(held) - 1 and len(held) > 1
        _hold(demo, session, today, stage="final_submitted" if last else "issued", index=index)

    # The other cells of the school record their monthly meetings too (for the Đảng ủy's dashboard).
    for seed, other in enumerate(
        c for c in demo.cells.values() if c.parent_id == cell.parent_id and c != cell
    ):
        for month in range(1, today.month + (1 if today.day > 8 else 0)):
            _other_regular(other, date(today.year, month, 8), seed)

    # The next session: its draft is under comment; the meeting is planned and announced.
    upcoming = Session.objects.get(cell=cell, plan__year=today.year, title=COMMENT_TITLE)
    meeting = services.create_meeting(
        actor=None,
        cell=cell,
        kind=Meeting.Kind.THEMATIC,
        date=upcoming.planned_date or today + timedelta(days=20),
        start_time=upcoming.planned_time or time(14, 0),
        place="Phòng họp Khoa Xây dựng Đảng",
        session=upcoming,
    )
    services.issue_notice(actor=None, meeting=meeting)
    assert not Attendance.objects.filter(meeting=meeting).exists()
