"""An annual plan from draft to acknowledged, returned, revised; and who may do each step."""

from datetime import date

import pytest

from core.errors import DomainError, InvalidTransition, PermissionDenied
from core.models import AuditEntry
from planning import selectors, services
from planning.models import AnnualPlan
from planning.tests.conftest import full_year


def actions(obj):
    return list(
        AuditEntry.objects.filter(object_id=obj.pk, action__startswith="planning.plan")
        .values_list("action", flat=True)
        .order_by("id")
    )


def test_the_secretary_builds_and_submits_a_plan_which_gets_a_number(world, plan):
    full_year(plan, world.secretary)
    plan = services.submit_plan(actor=world.secretary, plan=plan)
    assert plan.status == AnnualPlan.Status.SUBMITTED
    assert plan.document.symbol == "01-KH/CB"
    assert plan.document.frame.summary == "Sinh hoạt chuyên đề năm 2026"
    assert plan.first_submitted_at is not None


def test_an_empty_plan_cannot_be_submitted(world, plan):
    with pytest.raises(DomainError):
        services.submit_plan(actor=world.secretary, plan=plan)


def test_the_officer_acknowledges_a_submitted_plan(world, plan):
    full_year(plan, world.secretary)
    services.submit_plan(actor=world.secretary, plan=plan)
    plan = services.acknowledge_plan(actor=world.officer, plan=plan)
    assert plan.status == AnnualPlan.Status.ACKNOWLEDGED
    assert len(plan.acknowledged_snapshot["sessions"]) == 4
    assert actions(plan) == ["planning.plan.created", "planning.plan.submitted", "planning.plan.acknowledged"]


def test_the_officer_returns_a_plan_with_remarks_and_the_cell_submits_again(world, plan):
    full_year(plan, world.secretary)
    services.submit_plan(actor=world.secretary, plan=plan)
    with pytest.raises(DomainError):
        services.return_plan(actor=world.officer, plan=plan, remarks="  ")
    plan = services.return_plan(
        actor=world.officer, plan=plan, remarks="Bổ sung chuyên đề về chống lãng phí."
    )
    assert plan.status == AnnualPlan.Status.RETURNED and "lãng phí" in plan.remarks
    services.add_session(actor=world.secretary, plan=plan, quarter=4, title="Phòng, chống lãng phí")
    plan = services.submit_plan(actor=world.secretary, plan=plan)
    assert plan.status == AnnualPlan.Status.SUBMITTED and plan.remarks == ""
    assert plan.document.symbol == "02-KH/CB"  # a new signed document; numbers are never reused


def test_a_submitted_plan_cannot_change_until_the_party_committee_answers(world, plan):
    sessions = full_year(plan, world.secretary)
    services.submit_plan(actor=world.secretary, plan=plan)
    with pytest.raises(InvalidTransition):
        services.add_session(actor=world.secretary, plan=plan, quarter=1, title="Thêm")
    with pytest.raises(InvalidTransition):
        services.update_session(actor=world.secretary, session=sessions[0], data={"title": "Khác"})
    with pytest.raises(InvalidTransition):
        services.submit_plan(actor=world.secretary, plan=plan)


def test_changing_an_acknowledged_plan_opens_a_revision_the_officer_sees_as_such(world, plan):
    sessions = full_year(plan, world.secretary)
    services.submit_plan(actor=world.secretary, plan=plan)
    services.acknowledge_plan(actor=world.officer, plan=plan)
    services.update_session(
        actor=world.secretary, session=sessions[2], data={"planned_date": date(2026, 9, 20)}
    )
    services.add_session(
        actor=world.secretary, plan=plan, quarter=2, title="Chuyên đề bổ sung", planned_date=date(2026, 6, 20)
    )
    plan.refresh_from_db()
    assert plan.status == AnnualPlan.Status.DRAFT and plan.revision == 2
    changes = selectors.revision_changes(plan, selectors.plan_sessions(plan))
    assert changes["added"] == ["Chuyên đề bổ sung"]
    assert changes["changed"] == ["Chuyên đề quý 3"]
    assert changes["removed"] == []
    # only the first change opens the revision
    assert AuditEntry.objects.filter(action="planning.plan.revision_opened").count() == 1
    plan = services.submit_plan(actor=world.secretary, plan=plan)
    services.acknowledge_plan(actor=world.officer, plan=plan)
    plan.refresh_from_db()
    assert plan.acknowledged_snapshot["revision"] == 2
    assert selectors.revision_changes(plan, selectors.plan_sessions(plan)) is None


@pytest.mark.parametrize("persona", ["member", "probationary", "other_member", "officer", "foreign_officer"])
def test_only_the_cell_leadership_edits_and_submits_the_plan(world, plan, persona):
    with pytest.raises(PermissionDenied):
        services.add_session(actor=world.persona(persona), plan=plan, quarter=1, title="X")
    full_year(plan, world.deputy)
    with pytest.raises(PermissionDenied):
        services.submit_plan(actor=world.persona(persona), plan=plan)


@pytest.mark.parametrize("persona", ["secretary", "deputy", "member", "foreign_officer"])
def test_only_an_officer_above_the_cell_acknowledges_or_returns(world, plan, persona):
    full_year(plan, world.secretary)
    services.submit_plan(actor=world.secretary, plan=plan)
    with pytest.raises(PermissionDenied):
        services.acknowledge_plan(actor=world.persona(persona), plan=plan)
    with pytest.raises(PermissionDenied):
        services.return_plan(actor=world.persona(persona), plan=plan, remarks="x")


def test_acknowledging_twice_or_a_draft_is_refused(world, plan):
    full_year(plan, world.secretary)
    with pytest.raises(InvalidTransition):
        services.acknowledge_plan(actor=world.officer, plan=plan)
    services.submit_plan(actor=world.secretary, plan=plan)
    services.acknowledge_plan(actor=world.officer, plan=plan)
    with pytest.raises(InvalidTransition):
        services.acknowledge_plan(actor=world.officer, plan=plan)


@pytest.mark.parametrize(
    ("quarter", "month", "day", "field"),
    [
        (1, 5, None, "month"),
        (2, None, date(2026, 1, 5), "planned_date"),
        (1, None, date(2025, 2, 1), "planned_date"),
        (3, 8, date(2026, 9, 1), "planned_date"),
    ],
    ids=["month-outside-quarter", "date-outside-quarter", "date-in-another-year", "date-outside-month"],
)
def test_the_schedule_must_be_consistent(world, plan, quarter, month, day, field):
    with pytest.raises(DomainError) as error:
        services.add_session(
            actor=world.secretary, plan=plan, quarter=quarter, month=month, planned_date=day, title="X"
        )
    assert error.value.field == field


def test_one_plan_per_cell_and_year(world, plan):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.create_plan(actor=world.secretary, cell=world.cell, year=2026)


def test_the_plan_warnings_show_on_real_data(world, plan, members):
    sessions = full_year(plan, world.secretary)
    services.assign_presenters(actor=world.secretary, session=sessions[0], members=[members["member"]])
    services.assign_presenters(actor=world.secretary, session=sessions[1], members=[members["member"]])
    services.cancel_session(actor=world.secretary, session=sessions[3], reason="Trùng lịch đại hội")
    codes = [w.code for w in selectors.warnings_for(plan, selectors.plan_sessions(plan))]
    assert codes == ["quarter_without_session", "unbalanced_presenters"]


def test_each_step_of_the_plan_tells_the_people_who_act_next(world, plan):
    from notifications.models import Notification

    full_year(plan, world.secretary)
    services.submit_plan(actor=world.secretary, plan=plan)
    assert Notification.objects.filter(recipient=world.officer, url__endswith=f"/{plan.pk}/").exists()
    assert not Notification.objects.filter(recipient=world.foreign_officer).exists()
    services.return_plan(actor=world.officer, plan=plan, remarks="Thiếu 85% nội dung quý III")
    leaders = set(
        Notification.objects.filter(body__contains="85%").values_list("recipient__username", flat=True)
    )
    assert leaders == {"bithu", "phobithu"}
