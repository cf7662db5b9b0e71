"""Adopting a model into a cell's plan: the rule (not your own model, once a year), the plan it goes
into, and refusals that leave nothing half-written."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from core.errors import DomainError, InvalidTransition, PermissionDenied
from library import services
from library.models import Adoption
from library.tests import helpers
from planning import services as planning
from planning.models import AnnualPlan, Session


def _adopt(world, model, *, quarter=1, year=None, actor=None, cell=None):
    return services.adopt_model(
        actor=actor or world.other_member,
        model=model,
        cell=cell or world.other_cell,
        year=year or helpers.next_year(),
        quarter=quarter,
    )


def test_a_cell_does_not_adopt_its_own_model(world, published):
    with pytest.raises(PermissionDenied):
        _adopt(world, published, actor=world.secretary, cell=world.cell)
    # Even the administrator, who may adopt for any cell, is refused (on the cell field).
    with pytest.raises(DomainError) as refused:
        _adopt(world, published, actor=world.admin, cell=world.cell)
    assert refused.value.field == "cell"
    assert not Adoption.objects.exists()


def test_a_cell_adopts_a_model_once_a_year(world, other_secretary, published):
    first = _adopt(world, published, quarter=1)
    with pytest.raises(DomainError) as refused:
        _adopt(world, published, quarter=3)
    assert refused.value.field == "year" and world.other_cell.name in str(refused.value.message)
    assert Session.objects.filter(cell=world.other_cell).count() == 1
    # After removing the adopted session from its plan, the cell may adopt the model again.
    planning.remove_session(actor=other_secretary, session=first.session)
    first.refresh_from_db()
    assert first.session is None
    again = _adopt(world, published, quarter=3)
    assert again.session is not None and again.session.quarter == 3
    assert Adoption.objects.count() == 2


def test_a_cancelled_adopted_session_frees_the_year(world, other_secretary, published):
    first = _adopt(world, published, quarter=1)
    planning.cancel_session(actor=other_secretary, session=first.session, reason="Trùng lịch")
    assert _adopt(world, published, quarter=2).session.quarter == 2


def test_the_adopted_session_goes_into_the_existing_plan(world, other_secretary, published):
    plan = planning.create_plan(actor=other_secretary, cell=world.other_cell, year=helpers.next_year())
    adoption = _adopt(world, published, quarter=4)
    assert adoption.session.plan == plan and not adoption.plan_created


def test_an_acknowledged_plan_opens_a_revision(world, other_secretary, published):
    session = helpers.plan_session(world.other_cell, "Chuyên đề quý I")
    planning.submit_plan(actor=other_secretary, plan=session.plan)
    planning.acknowledge_plan(actor=world.officer, plan=session.plan)
    adoption = _adopt(world, published, quarter=2)
    plan = AnnualPlan.objects.get(pk=session.plan_id)
    assert adoption.session.plan == plan
    assert (plan.status, plan.revision) == (AnnualPlan.Status.DRAFT, 2)


def test_a_plan_waiting_for_the_party_committee_is_not_changed(world, other_secretary, published):
    session = helpers.plan_session(world.other_cell, "Chuyên đề quý I")
    planning.submit_plan(actor=other_secretary, plan=session.plan)
    with pytest.raises(InvalidTransition):
        _adopt(world, published, quarter=2)
    assert not Adoption.objects.exists()
    assert Session.objects.filter(cell=world.other_cell).count() == 1


@pytest.mark.parametrize(
    ("year_offset", "quarter", "field"),
    [(-1, 4, "year"), (2, 1, "year"), (0, 1, "quarter"), (1, 5, "quarter")],
    ids=["last-year", "two-years-ahead", "a-quarter-already-over", "no-such-quarter"],
)
def test_the_year_and_quarter_must_lie_ahead(world, other_secretary, published, year_offset, quarter, field):
    # 20 August: the first quarter of this year is over.
    with time_machine.travel(date(helpers.next_year() - 1, 8, 20), tick=False):
        this_year = helpers.next_year() - 1
        with pytest.raises(DomainError) as refused:
            _adopt(world, published, year=this_year + year_offset, quarter=quarter)
    assert refused.value.field == field
    assert not Adoption.objects.exists() and not AnnualPlan.objects.filter(cell=world.other_cell).exists()


def test_only_the_leaders_of_another_cell_adopt(world, published):
    # world.other_member is only a member of world.other_cell here: they read the model, nothing more.
    with pytest.raises(PermissionDenied):
        _adopt(world, published)
    with pytest.raises(PermissionDenied):
        _adopt(world, published, actor=world.officer)


def test_an_unpublished_model_cannot_be_adopted(world, other_secretary, issued):
    model = services.register_model(actor=world.secretary, session=issued)
    with pytest.raises(InvalidTransition):
        _adopt(world, model)


def test_the_adopt_form_reports_bad_input(client, world, other_secretary, published):
    client.force_login(other_secretary)
    url = reverse("library:adopt", args=[published.pk])
    response = client.post(url, {"cell": world.other_cell.pk, "year": "hai nghìn", "quarter": 7}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("library:detail", args=[published.pk])
    assert 'class="msg msg-error"' in page
    assert not Adoption.objects.exists()
    # A cell the person does not lead is not a choice.
    response = client.post(
        url, {"cell": world.cell.pk, "year": helpers.next_year(), "quarter": 1}, follow=True
    )
    assert 'class="msg msg-error"' in response.content.decode()
    assert not Adoption.objects.exists()
