"""The evaluation of a session, and the year-end review's constraints: cut-offs, the cap on
"excellent", members not ranked; the result issued as a numbered report."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError, InvalidTransition, PermissionDenied
from evaluations import review, services
from evaluations.models import ReviewProposal, ReviewRound, SessionEvaluation
from organizations.models import Member
from planning import services as planning
from planning.models import Session
from tests.factories import member_in

YEAR = timezone.localdate().year


def member(user) -> Member:
    return Member.objects.get(user=user)


def propose(world, levels: dict[Member, tuple[str, int | None]]):
    return review.save_review(
        actor=world.secretary,
        cell=world.cell,
        year=YEAR,
        proposals=[review.ProposalInput(m.pk, level, points, "") for m, (level, points) in levels.items()],
    )


def flags_of(world):
    result = review.review(world.cell, YEAR)
    return result, {r.member.full_name: r.flags for r in result.rows}


def test_points_that_do_not_fit_the_proposed_level_are_flagged_at_each_cut_off(world):
    đức = member(world.member)
    for points, level, flagged in (
        (90, "excellent", False),
        (89, "excellent", True),
        (89, "good", False),
        (70, "good", False),
        (69, "good", True),
        (50, "complete", False),
        (49, "complete", True),
        (49, "incomplete", False),
    ):
        propose(world, {đức: (level, points)})
        _result, flags = flags_of(world)
        assert bool(flags[đức.full_name]) is flagged, (points, level)


def test_more_than_the_cap_of_excellent_is_flagged_but_the_cell_decides(world):
    for n in range(6):
        member_in(world.cell, full_name=f"Đảng viên {n}")
    people = review.roster(world.cell, YEAR)
    assert len(people) == 10
    levels = {m: ("good", 80) for m in people}
    levels.update({people[0]: ("excellent", 95), people[1]: ("excellent", 92)})  # 2 of 10: 20 %
    propose(world, levels)
    result, _flags = flags_of(world)
    assert not any("20%" in f for f in result.flags)
    propose(world, {people[2]: ("excellent", 91)})  # 3 of 10
    result, _flags = flags_of(world)
    assert any("20%" in f for f in result.flags)
    assert ReviewProposal.objects.filter(level="excellent").count() == 3  # flagged, not refused


def test_a_member_admitted_less_than_six_months_before_the_end_of_the_year_is_not_ranked(world):
    newcomer = member_in(
        world.cell,
        full_name="Ngô Thị Mới",
        admission_date=date(YEAR, 9, 1),
        official_date=None,
        status=Member.Status.PROBATIONARY,
    )
    propose(world, {newcomer: ("good", 80)})
    _result, flags = flags_of(world)
    assert flags["Ngô Thị Mới"] and "6" in flags["Ngô Thị Mới"][0]
    propose(world, {newcomer: ("not_ranked", None)})
    _result, flags = flags_of(world)
    assert flags["Ngô Thị Mới"] == []


def test_bad_input_writes_nothing_and_the_issue_needs_every_level(world):
    đức = member(world.member)
    with pytest.raises(DomainError):
        propose(world, {đức: ("good", 101)})
    with pytest.raises(DomainError):
        propose(world, {member(world.other_member): ("good", 80)})
    assert not ReviewProposal.objects.exists()
    with pytest.raises(PermissionDenied):
        review.save_review(actor=world.member, cell=world.cell, year=YEAR, proposals=[])
    propose(world, {đức: ("good", 80)})
    with pytest.raises(DomainError):
        review.issue_review(actor=world.secretary, cell=world.cell, year=YEAR)
    everyone = {m: ("good", 80) for m in review.roster(world.cell, YEAR)}
    propose(world, everyone)
    issued = review.issue_review(actor=world.secretary, cell=world.cell, year=YEAR)
    assert issued.status == ReviewRound.Status.ISSUED and issued.document.symbol == "01-BC/CB"
    texts = str(issued.document.snapshot)
    assert "Hoàn thành tốt nhiệm vụ" in texts and "Lê Văn Đức" in texts
    with pytest.raises(InvalidTransition):
        propose(world, {đức: ("excellent", 95)})


def test_the_review_page_shows_the_evidence_and_officers_read_it(client, world):
    url = reverse("evaluations:review", args=[world.cell.pk]) + f"?nam={YEAR}"
    client.force_login(world.secretary)
    page = client.get(url).content.decode()
    assert "Lê Văn Đức" in page and 'name="level-' in page
    client.force_login(world.officer)
    page = client.get(url)
    assert page.status_code == 200 and 'name="level-' not in page.content.decode()
    client.force_login(world.member)
    assert client.get(url).status_code == 403


@pytest.fixture
def issued_session(world):
    plan = planning.create_plan(actor=world.secretary, cell=world.cell, year=YEAR)
    session = planning.add_session(
        actor=world.secretary, plan=plan, quarter=1, title="Văn hóa công vụ", planned_date=date(YEAR, 2, 10)
    )
    planning.assign_presenters(actor=world.secretary, session=session, members=[member(world.member)])
    Session.objects.filter(pk=session.pk).update(status=Session.Status.RESOLUTION_ISSUED)
    session.refresh_from_db()
    return session


def evaluate(world, session, actor=None, **overrides):
    data = {
        "presenter_strengths": "Chuẩn bị công phu, số liệu sát thực tế.",
        "presenter_weaknesses": "Trình bày còn dài.",
        "presenter_rating": "good",
        "result": "Chi bộ thống nhất cao.",
        "lessons": "Gửi dự thảo sớm hơn\nMời khách dự",
    }
    data.update(overrides)
    return services.evaluate_session(actor=actor or world.secretary, session=session, **data)


def test_evaluating_ends_the_cycle_and_the_presenter_sees_it_members_see_the_lessons(
    client, world, issued_session
):
    evaluation = evaluate(world, issued_session)
    issued_session.refresh_from_db()
    assert issued_session.status == Session.Status.EVALUATED
    assert evaluation.lesson_lines == ["Gửi dự thảo sớm hơn", "Mời khách dự"]
    url = reverse("planning:session", args=[issued_session.pk])
    client.force_login(world.member)  # the presenter
    assert "Trình bày còn dài." in client.get(url).content.decode()
    client.force_login(world.probationary)  # another member: the result and lessons, not the rating
    page = client.get(url).content.decode()
    assert "Mời khách dự" in page and "Trình bày còn dài." not in page
    # The lessons are shown when the cell prepares its next session.
    nxt = planning.add_session(
        actor=world.secretary,
        plan=issued_session.plan,
        quarter=4,
        title="Chuyên đề tiếp theo",
        planned_date=date(YEAR, 12, 30),
    )
    assert "Gửi dự thảo sớm hơn" in client.get(reverse("planning:session", args=[nxt.pk])).content.decode()


def test_evaluation_refused_before_the_resolution_or_without_what_is_needed(world, issued_session):
    Session.objects.filter(pk=issued_session.pk).update(status=Session.Status.HELD)
    with pytest.raises(InvalidTransition):
        evaluate(world, issued_session)
    Session.objects.filter(pk=issued_session.pk).update(status=Session.Status.RESOLUTION_ISSUED)
    with pytest.raises(DomainError):
        evaluate(world, issued_session, presenter_strengths=" ", result="")
    with pytest.raises(PermissionDenied):
        evaluate(world, issued_session, actor=world.member)
    assert not SessionEvaluation.objects.exists()


def test_a_member_who_should_be_ranked_is_flagged_when_proposed_not_ranked(world):
    đức = member(world.member)
    propose(world, {đức: ("not_ranked", None)})
    _result, flags = flags_of(world)
    assert flags[đức.full_name]


def test_a_form_that_sends_no_level_for_a_member_leaves_their_proposal_alone(client, world):
    đức = member(world.member)
    propose(world, {đức: ("good", 80)})
    client.force_login(world.secretary)
    url = reverse("evaluations:review", args=[world.cell.pk])
    client.post(url, {"nam": str(YEAR)})
    assert ReviewProposal.objects.get(member=đức).level == "good"


def test_members_read_the_issued_result(client, world):
    propose(world, {m: ("good", 80) for m in review.roster(world.cell, YEAR)})
    review.issue_review(actor=world.secretary, cell=world.cell, year=YEAR)
    client.force_login(world.probationary)
    answer = client.get(reverse("evaluations:review_file", args=[world.cell.pk, "docx"]) + f"?nam={YEAR}")
    assert answer.status_code == 200
    client.force_login(world.other_member)
    assert client.get(reverse("evaluations:review_file", args=[world.cell.pk, "docx"])).status_code == 404
