"""A constructed quarter (Q3 2026) of world.cell and world.other_cell, built through the services,
whose figures are computed by hand in the tests.

world.cell's people: the secretary S (Bình), the deputy D (Hoa), the member M (Đức, who presents
session 1), the probationary member P (Mai), plus
  E — a full member exempted from activity since 2024,
  X — a full member temporarily attached to world.other_cell (so "attached elsewhere" here),
  Q — a full member (suspended at the August meeting).

Quarter 3 of 2026, as of 5 October 2026:

* sessions: S1 (15/07, held with its resolution), S2 (10/09, draft sent, not held), S3 (25/09,
  planned, no draft: overdue), S4 (cancelled); S5 lies in quarter 4.
* meeting A, 15/07, thematic (S1): S present, D late, M present, P absent with reason, E exempted,
  X attached elsewhere, Q present; quality Tốt.
  meeting B, 05/08, regular: S present, D present, M absent without reason, P late, E present
  (exempted: still not expected), X attached elsewhere, Q suspended; quality Khá.
  A regular meeting of 08/09 still being recorded, and one of 05/06 (quarter 2), approved.
  → expected 5 + 4 = 9, attended 4 + 3 = 7, late 2, excused 1, unexcused 1.
* comments: S1 (presenter M) is sent to S, D, P, X, Q (E exempted): S comments twice, P once, D
  replies to S, Q comments and deletes it → 3 of 5 commented, 3 comments, all answered. S2
  (presenter D) is sent to S, M, P, X, Q: M comments once, unanswered → 1 of 5.
* resolution 01-NQ/CB issued 25/07 with tasks due 30/08 (done), 20/09 (not done: overdue on
  5 October) and 15/12 (quarter 4).

world.other_cell: Khánh (K) and X attached there. O1 (20/08) was held before the meetings feature
existed (status only), O2 (28/09) is planned without a draft (overdue); a regular meeting on 06/08
with K and X present, not assessed.
"""

from dataclasses import dataclass
from datetime import date, time
from typing import Any

import pytest
import time_machine

from drafts import services as drafts
from drafts.tests.conftest import TEXT
from meetings import services as meetings
from meetings.models import Meeting, Resolution, ResolutionTask, Speech
from organizations.models import Member, Membership
from planning import services as planning
from planning.models import Session
from tests.factories import ExemptionFactory, MembershipFactory, TermFactory, UserFactory, member_in

YEAR = 2026
AS_OF = date(2026, 10, 5)
PLACE = "Phòng họp Khoa Xây dựng Đảng"
FULL_MARKS = {
    "attendance": 20,
    "preparation": 15,
    "procedure": 15,
    "duration": 10,
    "participation": 20,
    "conclusion": 10,
    "minutes": 10,
}


@dataclass
class History:
    s1: Session
    s2: Session
    s3: Session
    s4: Session
    s5: Session
    meeting_a: Meeting
    meeting_b: Meeting
    resolution: Resolution
    tasks: list[ResolutionTask]
    members: dict[str, Member]


def member_of(user: Any) -> Member:
    return Member.objects.get(user=user)


def _meeting(actor: Any, cell: Any, day: date, *, kind: str = "regular", session: Any = None) -> Meeting:
    meeting = meetings.create_meeting(
        actor=actor,
        cell=cell,
        kind=kind,
        date=day,
        start_time=time(14, 0) if session else time(7, 30),
        place=PLACE,
        session=session,
    )
    return meetings.open_record(actor=actor, meeting=meeting, confirmed_without_notice=True)


def _mark(actor: Any, meeting: Meeting, marks: dict[Member, tuple[str, str]]) -> None:
    for member, (status, reason) in marks.items():
        meetings.set_attendance(
            actor=actor, meeting=meeting, member_id=member.pk, status=status, reason=reason
        )
    meetings.mark_all_present(actor=actor, meeting=meeting)


def _close(actor: Any, meeting: Meeting, minutes_secretary: Member, end: str, scores: dict | None) -> None:
    meeting.refresh_from_db()
    if meeting.chair_id is None:  # a cell without a secretary on record: the minutes secretary chairs
        meetings.save_field(actor=actor, meeting=meeting, name="chair", value=str(minutes_secretary.pk))
    meetings.save_field(
        actor=actor, meeting=meeting, name="minutes_secretary", value=str(minutes_secretary.pk)
    )
    meetings.save_field(actor=actor, meeting=meeting, name="end_time", value=end)
    if scores is not None:
        meetings.score_quality(actor=actor, meeting=meeting, scores=scores)
    meetings.approve_minutes(actor=actor, meeting=meeting)


def _distribute(session: Session, presenter: Member) -> Session:
    planning.assign_presenters(actor=None, session=session, members=[presenter])
    drafts.add_version(actor=None, session=session, text=TEXT)
    drafts.submit_draft(actor=None, session=session)
    drafts.approve_draft(actor=None, session=session)
    session.refresh_from_db()
    return session


@pytest.fixture
def history(world) -> History:
    cell, other = world.cell, world.other_cell
    sec = world.secretary
    S, D, M, P = (member_of(u) for u in (world.secretary, world.deputy, world.member, world.probationary))
    E = member_in(cell, user=UserFactory(username="mien"), full_name="Hoàng Văn Em")
    ExemptionFactory(member=E, start_date=date(2024, 1, 1))
    X = member_in(cell, user=UserFactory(username="tamthoi"), full_name="Đặng Văn Xuân")
    MembershipFactory(
        member=X, organization=other, kind=Membership.Kind.TEMPORARY, start_date=date(2025, 1, 1)
    )
    Q = member_in(cell, user=UserFactory(username="dinhchi"), full_name="Ngô Văn Quý")
    K = member_of(world.other_member)

    plan = planning.create_plan(actor=sec, cell=cell, year=YEAR)

    def add(title: str, day: date) -> Session:
        return planning.add_session(
            actor=sec, plan=plan, quarter=(day.month - 1) // 3 + 1, title=title, planned_date=day
        )

    s1 = _distribute(add("Văn hóa Hồ Chí Minh về học tập", date(2026, 7, 15)), M)
    s2 = _distribute(add("Chuyển đổi số trong công tác đảng", date(2026, 9, 10)), D)
    s3 = add("Nâng cao năng lực giảng dạy", date(2026, 9, 25))
    s4 = planning.cancel_session(
        actor=sec, session=add("Phòng, chống lãng phí", date(2026, 8, 20)), reason="Trùng lịch thi"
    )
    s5 = add("Giáo dục truyền thống cách mạng", date(2026, 11, 10))

    # Comments on S1 (written and one deleted before its meeting) and S2.
    with time_machine.travel(date(2026, 7, 10), tick=False):
        c1 = drafts.add_comment(
            actor=world.secretary, session=s1, body="Bổ sung số liệu khảo sát.", anchor=""
        )
        c2 = drafts.add_comment(actor=world.secretary, session=s1, body="Nêu rõ giải pháp.", anchor="")
        c3 = drafts.add_comment(actor=world.probationary, session=s1, body="Thêm ví dụ.", anchor="")
        drafts.add_comment(actor=world.deputy, session=s1, body="Nhất trí với đồng chí Bình.", parent=c1)
        gone = drafts.add_comment(actor=Q.user, session=s1, body="Góp ý nhầm.", anchor="")
        drafts.delete_comment(actor=Q.user, comment=gone)
    drafts.add_comment(actor=world.member, session=s2, body="Cần ví dụ về chữ ký số.", anchor="")

    # Meeting A: the thematic session S1.
    a = _meeting(sec, cell, date(2026, 7, 15), kind="thematic", session=s1)
    _mark(sec, a, {D: ("late", ""), P: ("absent_excused", "Ốm")})
    meetings.add_speech(
        actor=sec, meeting=a, member_id=M.pk, kind=Speech.Kind.PRESENTATION, summary="Trình bày dự thảo."
    )
    meetings.save_field(actor=sec, meeting=a, name="conclusion", value="Chi bộ thống nhất.")
    meetings.record_vote(actor=sec, meeting=a, mode="counts", votes_for=4, against=0, other=0)
    _close(sec, a, D, "16:00", FULL_MARKS)

    # Meeting B: regular, August.
    b = _meeting(sec, cell, date(2026, 8, 5))
    _mark(
        sec,
        b,
        {M: ("absent_unexcused", ""), P: ("late", ""), E: ("present", ""), Q: ("suspended", "Kỷ luật")},
    )
    _close(sec, b, D, "09:30", {**FULL_MARKS, "attendance": 10})

    # Still being recorded (September), and an approved one of quarter 2.
    _meeting(sec, cell, date(2026, 9, 8))
    june = _meeting(sec, cell, date(2026, 6, 5))
    _mark(sec, june, {})
    _close(sec, june, D, "09:30", None)

    # After meeting A: the final text, the resolution and its tasks.
    for comment in (c1, c2, c3):
        drafts.respond(actor=world.member, comment=comment, decision="accepted")
    s1.refresh_from_db()
    drafts.add_version(actor=world.member, session=s1, text="# Bản hoàn chỉnh\n\nĐã tiếp thu.")
    drafts.submit_final(actor=world.member, session=s1)
    drafts.approve_final(actor=world.secretary, session=s1)
    meetings.save_resolution(
        actor=sec,
        meeting=a,
        kind="NQ",
        results="Chi bộ thống nhất nội dung chuyên đề.",
        shortcomings="",
        implementation="",
        tasks=[
            meetings.TaskInput("Xây dựng giờ giảng mẫu", [M.pk], date(2026, 8, 30)),
            meetings.TaskInput("Biên soạn tài liệu", [D.pk], date(2026, 9, 20)),
            meetings.TaskInput("Tổng kết việc thực hiện", [S.pk], date(2026, 12, 15)),
        ],
    )
    resolution = meetings.issue_resolution(actor=sec, meeting=a, issued_on=date(2026, 7, 25))
    tasks = list(resolution.tasks.order_by("position"))
    meetings.complete_task(actor=world.member, task=tasks[0], note="Đã dạy mẫu.")

    # world.other_cell.
    TermFactory(organization=other)
    other_plan = planning.create_plan(actor=None, cell=other, year=YEAR)
    o1 = planning.add_session(
        actor=None, plan=other_plan, quarter=3, title="Học tập và làm theo", planned_date=date(2026, 8, 20)
    )
    Session.objects.filter(pk=o1.pk).update(status=Session.Status.HELD)
    planning.add_session(
        actor=None, plan=other_plan, quarter=3, title="Văn hóa công sở", planned_date=date(2026, 9, 28)
    )
    d = _meeting(None, other, date(2026, 8, 6))
    _mark(None, d, {})
    _close(None, d, K, "09:30", None)

    s1.refresh_from_db()
    s2.refresh_from_db()
    return History(
        s1=s1,
        s2=s2,
        s3=s3,
        s4=s4,
        s5=s5,
        meeting_a=a,
        meeting_b=b,
        resolution=resolution,
        tasks=tasks,
        members={"S": S, "D": D, "M": M, "P": P, "E": E, "X": X, "Q": Q, "K": K},
    )
