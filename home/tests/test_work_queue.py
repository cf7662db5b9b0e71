"""The work queue "Cần đồng chí xử lý": every step waiting for a person, from the lifecycle table and
the other apps, with its due date and one tap to where it is done; the same list counted in the menu.

The queue finds a session's steps with one query per page (planning.lifecycle.waiting_for mirrors the
apps' permission rules as roles); the first test checks it against core.permissions.can for every
persona and every state, so the two cannot drift apart.
"""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.permissions import can
from home.work import work_for
from meetings import services as meetings
from meetings.models import Meeting
from organizations.models import Member
from planning import lifecycle
from planning import services as planning
from planning.models import Session
from tests import scenarios

S = Session.Status
YEAR = 2027  # the fixed test clock is 18 November 2026: next year's plan is being prepared
PERSONAS = ("secretary", "deputy", "member", "probationary", "other_member", "officer")


def member(user) -> Member:
    return Member.objects.get(user=user)


def session_in(world, plan, title: str, status: str, presenter=None, day=None, meeting: bool = False):
    session = planning.add_session(
        actor=None, plan=plan, quarter=(day.month - 1) // 3 + 1 if day else 1, title=title, planned_date=day
    )
    if presenter is not None:
        planning.assign_presenters(actor=None, session=session, members=[member(presenter)])
    lifecycle.load_history(Session.objects.filter(pk=session.pk), status)
    if meeting:
        meetings.create_meeting(
            actor=None,
            cell=world.cell,
            kind="thematic",
            date=day,
            start_time=time(14, 0),
            place="Phòng họp",
            session=session,
        )
    session.refresh_from_db()
    return session


@pytest.fixture
def sessions(world):
    plan = planning.create_plan(actor=None, cell=world.cell, year=YEAR)
    old = planning.create_plan(actor=None, cell=world.cell, year=2023)
    return {
        "planned": session_in(world, plan, "Chưa phân công", S.PLANNED, day=date(YEAR, 3, 10)),
        "assigned": session_in(world, plan, "Đã phân công", S.ASSIGNED, world.member, date(YEAR, 3, 20)),
        "returned": session_in(world, plan, "Bị trả lại", S.RETURNED, world.member, date(YEAR, 4, 10)),
        "submitted": session_in(world, plan, "Chờ duyệt", S.SUBMITTED, world.member, date(YEAR, 4, 20)),
        "own_draft": session_in(
            world, plan, "Phó bí thư trình bày", S.SUBMITTED, world.deputy, date(YEAR, 5, 5)
        ),
        "distributed": session_in(world, plan, "Đang góp ý", S.DISTRIBUTED, world.member, date(YEAR, 5, 20)),
        "held": session_in(world, plan, "Đã họp", S.HELD, world.member, date(YEAR, 6, 3)),
        "final": session_in(
            world, plan, "Chờ duyệt bản cuối", S.FINAL_SUBMITTED, world.member, date(YEAR, 6, 9)
        ),
        "approved": session_in(
            world, plan, "Chờ ban hành", S.FINAL_APPROVED, world.member, date(YEAR, 7, 1), meeting=True
        ),
        "issued": session_in(
            world, plan, "Chờ đánh giá", S.RESOLUTION_ISSUED, world.member, date(YEAR, 7, 9)
        ),
        "evaluated": session_in(world, plan, "Đã đánh giá", S.EVALUATED, world.member, date(YEAR, 8, 9)),
        "cancelled": session_in(world, plan, "Đã hủy", S.CANCELLED, world.member, date(YEAR, 8, 20)),
        "history": session_in(world, old, "Năm 2023, bỏ dở", S.HELD, world.member, date(2023, 5, 5)),
    }


def expected_by_the_permissions(user, sessions) -> set[tuple[int, str]]:
    """What core.permissions.can says the user may take now, from the table, on this year's sessions."""
    expected = set()
    for session in sessions.values():
        if session.plan.year < timezone.localdate().year - 1:  # older plans are history (see waiting_for)
            continue
        meeting = getattr(session, "meeting", None)
        for transition in lifecycle.possible(session.status):
            if transition.todo is None or transition.target == session.status:
                continue
            target = meeting if transition.on_meeting else session
            if target is not None and can(user, transition.permission, target):
                expected.add((session.pk, transition.action))
    return expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_queue_lists_exactly_the_steps_the_permissions_allow(world, sessions, persona):
    user = world.persona(persona)
    found = {(w.session.pk, w.transition.action) for w in lifecycle.waiting_for(user)}
    assert found == expected_by_the_permissions(user, sessions)


def test_who_waits_for_what(world, sessions):
    def actions(persona):
        return {(w.session.title, w.transition.action) for w in lifecycle.waiting_for(world.persona(persona))}

    assert actions("member") == {
        ("Bị trả lại", "submit_draft"),
        ("Đã họp", "start_revising"),
        ("Đã phân công", "start_drafting"),
    }
    assert actions("secretary") == {
        ("Chờ ban hành", "issue_resolution"),
        ("Chờ duyệt", "distribute"),
        ("Chờ duyệt bản cuối", "approve_final"),
        ("Chờ đánh giá", "evaluate"),
        ("Chưa phân công", "assign"),
        ("Phó bí thư trình bày", "distribute"),
    }
    # The deputy approves the others' drafts, not her own.
    assert ("Phó bí thư trình bày", "distribute") not in actions("deputy")
    assert ("Chờ duyệt", "distribute") in actions("deputy")
    assert actions("probationary") == actions("other_member") == actions("officer") == set()


def test_each_step_has_its_due_date_and_the_page_where_it_is_done(world, sessions):
    by_action = {
        w.transition.action: w
        for w in lifecycle.waiting_for(world.secretary)
        if w.session.title != "Phó bí thư trình bày"
    }
    submitted = sessions["submitted"]
    # Approval is due 5 days before the meeting by the shipped rule set (approval_due_days_before).
    params = submitted.cell.effective_rule_set().params
    assert (submitted.planned_date - by_action["distribute"].due).days == params["approval_due_days_before"]
    assert by_action["distribute"].url == reverse("drafts:workspace", args=[submitted.pk])
    assert by_action["issue_resolution"].url == reverse(
        "meetings:resolution", args=[sessions["approved"].meeting.pk]
    )
    assert (
        by_action["assign"].url == reverse("planning:session", args=[sessions["planned"].pk]) + "#suggestions"
    )
    assert by_action["evaluate"].due is None  # no rule dates the evaluation


def test_the_home_page_shows_the_queue_first_with_links_overdue_in_red_and_the_count_in_the_menu(
    client, world, sessions
):
    client.force_login(world.secretary)
    html = client.get(reverse("home:home")).content.decode()
    queue = html.split('id="work-queue"', 1)[1].split("</section>", 1)[0]
    assert html.index('id="work-queue"') < html.index("Chi bộ của tôi")  # first on the page
    for title in ("Chờ duyệt", "Chờ ban hành", "Chưa phân công", "Chờ đánh giá"):
        assert title in queue
    assert f'href="{reverse("drafts:workspace", args=[sessions["submitted"].pk])}"' in queue
    items = work_for(world.secretary)
    assert f'<span class="nav-count" title="Cần đồng chí xử lý">{len(items)}</span>' in html
    assert "quá hạn" not in queue  # next year's deadlines are all ahead


def test_an_overdue_step_is_marked(client, world):
    plan = planning.create_plan(actor=None, cell=world.cell, year=2026)
    session_in(world, plan, "Trễ hạn duyệt", S.SUBMITTED, world.member, date(2026, 11, 20))
    client.force_login(world.secretary)
    queue = client.get(reverse("home:home")).content.decode().split('id="work-queue"', 1)[1]
    queue = queue.split("</section>", 1)[0]
    assert 'class="overdue"' in queue and "quá hạn từ 15/11/2026" in queue


def test_the_other_kinds_of_work_are_in_the_same_queue(world, sessions):
    keys = {item.key for item in work_for(world.officer)}
    assert keys == set()  # nothing submitted to the Đảng ủy yet
    plan = planning.create_plan(actor=world.secretary, cell=world.cell, year=2026)
    planning.add_session(
        actor=world.secretary, plan=plan, quarter=4, title="Q4", planned_date=date(2026, 12, 5)
    )
    planning.submit_plan(actor=world.secretary, plan=plan)
    keys = {item.key for item in work_for(world.officer)}
    assert f"plan:{plan.pk}:acknowledge" in keys


def test_nothing_waiting_says_so(client, world):
    client.force_login(world.probationary)
    html = client.get(reverse("home:home")).content.decode()
    assert "Hiện không có việc nào chờ đồng chí xử lý." in html
    assert 'class="nav-count"' not in html


def test_the_queue_costs_the_same_queries_for_more_sessions(client, world, sessions):
    client.force_login(world.secretary)
    url = reverse("home:home")

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    few = queries()
    plan = sessions["submitted"].plan
    for n in range(5):
        session_in(world, plan, f"Thêm {n}", S.SUBMITTED, world.member, date(YEAR, 9, 1 + n))
    assert queries() == few


def test_planning_the_meeting_its_notice_and_starting_its_record_wait_in_the_queue(world):
    session = scenarios.session_at(world, "distributed")
    keys = {item.key: item for item in work_for(world.secretary)}
    plan_it = keys[f"session:{session.pk}:meeting"]
    assert plan_it.action == "Lên lịch cuộc họp và ban hành thông báo"
    assert plan_it.url == reverse("meetings:create", args=[world.cell.pk]) + f"?session={session.pk}"
    assert f"session:{session.pk}:meeting" not in {i.key for i in work_for(world.member)}

    meeting = meetings.create_meeting(
        actor=world.secretary,
        cell=world.cell,
        kind=Meeting.Kind.THEMATIC,
        date=session.planned_date,
        start_time=time(14, 0),
        place="Phòng họp",
        session=session,
    )
    keys = {item.key: item for item in work_for(world.secretary)}
    assert f"session:{session.pk}:meeting" not in keys
    assert keys[f"meeting:{meeting.pk}:notice"].url == reverse("meetings:detail", args=[meeting.pk])
    meetings.issue_notice(actor=world.secretary, meeting=meeting)
    keys = {item.key for item in work_for(world.secretary)}
    assert f"meeting:{meeting.pk}:notice" not in keys and f"meeting:{meeting.pk}:record" not in keys

    # On the day, once it has begun, starting the record waits for the secretary (not before).
    day = timezone.make_aware(datetime.combine(session.planned_date, time(13, 59)))
    with time_machine.travel(day, tick=False):
        assert f"meeting:{meeting.pk}:record" not in {i.key for i in work_for(world.secretary)}
    with time_machine.travel(day + timedelta(minutes=2), tick=False):
        start = {i.key: i for i in work_for(world.secretary)}[f"meeting:{meeting.pk}:record"]
        assert start.action == "Bắt đầu ghi biên bản"
        assert start.url == reverse("meetings:detail", args=[meeting.pk])
        meetings.open_record(actor=world.secretary, meeting=meeting)
        going = {i.key: i for i in work_for(world.secretary)}[f"meeting:{meeting.pk}:record"]
        assert going.url == reverse("meetings:record", args=[meeting.pk])


def test_while_todays_meeting_is_recorded_each_member_not_yet_marked_is_asked_to_check_in(world):
    from meetings.tests.helpers import open_meeting
    from tests.factories import ExemptionFactory, UserFactory, member_in

    exempted = member_in(world.cell, full_name="Bùi Văn Nghỉ", user=UserFactory(username="nghi"))
    ExemptionFactory(member=exempted)
    today = timezone.localdate()
    with time_machine.travel(timezone.make_aware(datetime.combine(today, time(14, 10))), tick=False):
        meeting = open_meeting(world, day=today)
        key = f"meeting:{meeting.pk}:checkin"
        item = {i.key: i for i in work_for(world.member)}[key]
        assert item.action == "Cuộc họp đã bắt đầu: điểm danh"
        assert item.url == reverse("room:checkin", args=[meeting.pk]) and item.due == today
        assert key in {i.key for i in work_for(world.probationary)}
        # Not the exempted member, the member of another cell, nor the officer who oversees it.
        assert key not in {i.key for i in work_for(exempted.user)}
        assert key not in {i.key for i in work_for(world.other_member)}
        assert key not in {i.key for i in work_for(world.officer)}
        # Marked present (by hand or by their own check-in): nothing more to do.
        meetings.set_attendance(
            actor=world.secretary, meeting=meeting, member_id=member(world.member).pk, status="present"
        )
        assert key not in {i.key for i in work_for(world.member)}
    # A record still open the next day asks nobody to check in.
    with time_machine.travel(
        timezone.make_aware(datetime.combine(today + timedelta(days=1), time(9))), tick=False
    ):
        assert key not in {i.key for i in work_for(world.probationary)}
