"""Each figure of the participation record on constructed histories, the drill-down behind it, and the
queries of the cell's table constant in the number of members."""

from datetime import date, time, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from drafts import services as drafts
from drafts.models import Comment, Response
from drafts.tests.conftest import TEXT
from evaluations import participation, services
from meetings import services as meetings
from meetings.models import Meeting, Speech
from organizations.models import Member
from planning import services as planning
from planning.models import Session
from tests.factories import ExemptionFactory, member_in

YEAR = 2026


def member(user) -> Member:
    return Member.objects.get(user=user)


def meeting_on(world, day: date, marks: dict[Member, str], speakers=()) -> Meeting:
    """A regular meeting of world.cell on ``day``: everyone present but ``marks``; approved."""
    meeting = meetings.create_meeting(
        actor=world.secretary,
        cell=world.cell,
        kind="regular",
        date=day,
        start_time=time(7, 30),
        place="Phòng họp",
    )
    meetings.open_record(actor=world.secretary, meeting=meeting, confirmed_without_notice=True)
    for who, status in marks.items():
        meetings.set_attendance(
            actor=world.secretary, meeting=meeting, member_id=who.pk, status=status, reason="Công tác"
        )
    meetings.mark_all_present(actor=world.secretary, meeting=meeting)
    for who in speakers:
        meetings.add_speech(actor=world.secretary, meeting=meeting, member_id=who.pk, summary="Ý kiến")
    secretary = member(world.secretary)
    meetings.save_field(
        actor=world.secretary, meeting=meeting, name="minutes_secretary", value=str(secretary.pk)
    )
    meetings.save_field(actor=world.secretary, meeting=meeting, name="end_time", value="09:30")
    meetings.approve_minutes(actor=world.secretary, meeting=meeting)
    return meeting


def test_meetings_attended_excused_unexcused_exempted_and_the_longest_run(world):
    đức = member(world.member)
    # Jan present, Feb excused, Mar unexcused, Apr late, May-Jul absent (3), Aug present.
    plan = [
        (1, {}),
        (2, {đức: "absent_excused"}),
        (3, {đức: "absent_unexcused"}),
        (4, {đức: "late"}),
        (5, {đức: "absent_excused"}),
        (6, {đức: "absent_unexcused"}),
        (7, {đức: "absent_excused"}),
        (8, {}),
    ]
    for month, marks in plan:
        meeting_on(world, date(YEAR, month, 5), marks)
    # A meeting of last year does not count.
    meeting_on(world, date(YEAR - 1, 12, 5), {đức: "absent_unexcused"})
    record = participation.record(đức, YEAR)
    assert (record.meetings, record.present, record.late_arrivals) == (8, 3, 1)
    assert (record.excused, record.unexcused, record.exempted) == (3, 2, 0)
    assert record.longest_absence == 3
    assert record.attendance_rate == pytest.approx(100 * 3 / 8)
    lines = participation.details(đức, YEAR, "unexcused")
    assert [line.day for line in lines] == [date(YEAR, 3, 5), date(YEAR, 6, 5)]


def test_exempted_meetings_count_apart_and_do_not_break_or_extend_a_run(world):
    đức = member(world.member)
    meeting_on(world, date(YEAR, 1, 5), {đức: "absent_excused"})
    ExemptionFactory(member=đức, start_date=date(YEAR, 2, 1), end_date=date(YEAR, 3, 31))
    meeting_on(world, date(YEAR, 2, 5), {})  # opened with đức exempted
    meeting_on(world, date(YEAR, 4, 5), {đức: "absent_excused"})
    record = participation.record(đức, YEAR)
    assert (record.exempted, record.excused, record.present) == (1, 2, 0)
    assert record.longest_absence == 2
    assert [line.day for line in participation.details(đức, YEAR, "exempted")] == [date(YEAR, 2, 5)]


def _distributed(world, title: str, day: date):
    """A session of ``day``'s plan (one plan per year: near the new year the days straddle two)."""
    plans = world.__dict__.setdefault("_plans", {})
    if day.year not in plans:
        plans[day.year] = planning.create_plan(actor=world.secretary, cell=world.cell, year=day.year)
    plan = plans[day.year]
    session = planning.add_session(
        actor=world.secretary, plan=plan, quarter=(day.month - 1) // 3 + 1, title=title, planned_date=day
    )
    planning.assign_presenters(actor=world.secretary, session=session, members=[member(world.deputy)])
    drafts.add_version(actor=world.deputy, session=session, text=TEXT)
    drafts.submit_draft(actor=world.deputy, session=session)
    drafts.approve_draft(actor=world.secretary, session=session)
    session.refresh_from_db()
    return session


@pytest.mark.new_year
def test_drafts_received_opened_comments_on_time_late_and_accepted(world):
    today = timezone.localdate()
    đức = member(world.member)
    first = _distributed(world, "Chuyên đề một", today + timedelta(days=10))
    second = _distributed(world, "Chuyên đề hai", today + timedelta(days=20))
    _distributed(world, "Chuyên đề ba", today + timedelta(days=30))  # neither opened nor commented
    drafts.record_open(member=đức, session=first)
    a = drafts.add_comment(actor=world.member, session=first, anchor="", body="Góp ý một")
    b = drafts.add_comment(actor=world.member, session=first, anchor="", body="Góp ý hai")
    drafts.add_comment(actor=world.member, session=first, parent=a, body="Trả lời (không tính)")
    late = drafts.add_comment(actor=world.member, session=second, anchor="", body="Góp ý muộn")
    # The second one was written after its deadline: the flag is set when a comment is written late.
    Comment.objects.filter(pk=late.pk).update(late=True)
    Response.objects.create(comment=a, decision=Response.Decision.ACCEPTED)
    Response.objects.create(comment=b, decision=Response.Decision.PARTLY)
    record = participation.record(đức, today.year)
    assert (record.drafts, record.opened) == (3, 2)  # commenting opens the draft
    assert (record.comments, record.on_time, record.late) == (3, 2, 1)
    assert (record.accepted, record.partly) == (1, 1)
    # The presenter does not "receive" their own draft.
    assert participation.record(member(world.deputy), today.year).drafts == 0
    assert [line.text for line in participation.details(đức, today.year, "opened")] == [
        "Chuyên đề một",
        "Chuyên đề hai",
    ]
    assert [line.text.split(":")[0] for line in participation.details(đức, today.year, "late")] == [
        "Chuyên đề hai"
    ]


def test_speeches_and_sessions_presented_with_their_rating(world):
    đức = member(world.member)
    meeting_on(world, date(YEAR, 1, 5), {}, speakers=[đức, đức])
    meeting_on(world, date(YEAR, 2, 5), {}, speakers=[đức])
    plan = planning.create_plan(actor=world.secretary, cell=world.cell, year=YEAR)
    session = planning.add_session(
        actor=world.secretary,
        plan=plan,
        quarter=2,
        title="Tư tưởng Hồ Chí Minh",
        planned_date=date(YEAR, 5, 10),
    )
    planning.assign_presenters(actor=world.secretary, session=session, members=[đức])
    # The thematic cycle is exercised in the meetings tests; here the session only needs its resolution.
    Session.objects.filter(pk=session.pk).update(status=Session.Status.RESOLUTION_ISSUED)
    services.evaluate_session(
        actor=world.secretary,
        session=session,
        presenter_strengths="Chuẩn bị kỹ",
        presenter_weaknesses="",
        presenter_rating="excellent",
        result="Đạt yêu cầu",
        lessons="Gửi dự thảo sớm",
    )
    record = participation.record(đức, YEAR)
    assert record.speeches == 3
    assert [(p.session.title, p.evaluation.presenter_rating) for p in record.presented] == [
        ("Tư tưởng Hồ Chí Minh", "excellent")
    ]
    assert Speech.objects.filter(member=đức).count() == 3


def test_the_cell_table_costs_the_same_queries_for_more_members(client, world):
    client.force_login(world.secretary)
    url = reverse("evaluations:cell_records", args=[world.cell.pk]) + f"?nam={YEAR}"

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    meeting_on(world, date(YEAR, 1, 5), {})
    few = queries()
    for n in range(6):
        member_in(world.cell, full_name=f"Đảng viên thêm {n}")
    meeting_on(world, date(YEAR, 2, 5), {})
    assert queries() == few


def test_the_member_sees_their_record_the_secretary_every_record_others_nothing(client, world):
    đức = member(world.member)
    url = reverse("evaluations:record", args=[đức.pk])
    for user, expected in (
        (world.member, 200),
        (world.secretary, 200),
        (world.officer, 200),
        (world.probationary, 403),
        (world.other_member, 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == expected, user
    client.force_login(world.member)
    page = client.get(url + "?nam=2026&muc=present")
    assert page.status_code == 200 and 'id="chi-tiet"' in page.content.decode()
    pdf = client.get(reverse("evaluations:record_file", args=[đức.pk, "pdf"]) + "?nam=2026")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.new_year
def test_drafts_follow_the_sending_rule_membership_on_the_day_and_exemption(world):
    today = timezone.localdate()
    _distributed(world, "Chuyên đề một", today + timedelta(days=10))
    newcomer = member_in(world.cell, full_name="Người mới")
    newcomer.memberships.update(start_date=today + timedelta(days=11))
    exempted = member_in(world.cell, full_name="Người được miễn")
    ExemptionFactory(member=exempted, start_date=today - timedelta(days=30))
    records = participation.records([newcomer, exempted, member(world.member)], today.year)
    assert records[newcomer.pk].drafts == 0  # not yet a member on the session's day
    assert records[exempted.pk].drafts == 0  # exempted, and the draft was not sent to exempted members
    assert records[member(world.member).pk].drafts == 1


def test_a_session_counts_as_presented_once_it_is_held(world):
    plan = planning.create_plan(actor=world.secretary, cell=world.cell, year=YEAR)
    session = planning.add_session(
        actor=world.secretary, plan=plan, quarter=4, title="Chưa tổ chức", planned_date=date(YEAR, 12, 20)
    )
    planning.assign_presenters(actor=world.secretary, session=session, members=[member(world.member)])
    assert participation.record(member(world.member), YEAR).presented == []
    Session.objects.filter(pk=session.pk).update(status=Session.Status.HELD)
    assert [p.session.pk for p in participation.record(member(world.member), YEAR).presented] == [session.pk]


def test_a_cell_the_member_is_only_attached_to_does_not_read_their_record(client, world):
    from organizations.models import Position
    from tests.factories import MembershipFactory, PositionFactory, TermFactory

    đức = member(world.member)
    MembershipFactory(member=đức, organization=world.other_cell, kind="temporary")
    host = Member.objects.get(user=world.other_member)
    PositionFactory(
        term=TermFactory(organization=world.other_cell), member=host, role=Position.Role.SECRETARY
    )
    client.force_login(world.other_member)
    assert client.get(reverse("evaluations:record", args=[đức.pk])).status_code in (403, 404)


def _figure_classes(page: str) -> dict[str, set[str]]:
    """The classes of each figure of a record page, by the item it opens (``muc=``)."""
    tree = lxml_html.fromstring(page)
    return {
        a.get("href").split("muc=")[1].split("#")[0]: set(a.get("class").split())
        for a in tree.xpath("//a[contains(concat(' ', @class, ' '), ' figure ')]")
    }


def test_only_a_figure_that_is_a_problem_is_in_red(client, world):
    đức, mai = member(world.member), member(world.probationary)
    meeting_on(world, date(YEAR, 1, 5), {đức: "absent_unexcused"})
    meeting_on(world, date(YEAR, 2, 5), {})
    client.force_login(world.secretary)

    def alarms(who: Member) -> set[str]:
        page = client.get(reverse("evaluations:record", args=[who.pk]) + f"?nam={YEAR}").content.decode()
        figures = _figure_classes(page)
        assert {"present", "excused", "unexcused", "comments", "late"} <= set(figures)
        return {code for code, classes in figures.items() if "alarm" in classes}

    assert alarms(đức) == {"unexcused"}  # one absence without reason; his zeros are plain
    assert alarms(mai) == set()  # attended both: nothing to worry about, nothing red
    # The red belongs to the alarm, not to every figure.
    css = (Path(settings.BASE_DIR) / "static" / "chuyende" / "app.css").read_text().splitlines()
    assert ".figure.alarm b { color: var(--red); }" in css
    assert "var(--red" not in next(line for line in css if line.startswith(".figure b "))

    # The cell's table: "without reason" is red only where there is one.
    page = client.get(reverse("evaluations:cell_records", args=[world.cell.pk]) + f"?nam={YEAR}")
    red = {
        row.xpath("string(td[1])").strip(): [
            td.text_content().strip() for td in row.xpath("td") if "bad" in (td.get("class") or "").split()
        ]
        for row in lxml_html.fromstring(page.content.decode()).xpath(
            "//table[contains(@class, 'records')]/tbody/tr"
        )
    }
    assert red[đức.full_name] == ["1"] and red[mai.full_name] == []
