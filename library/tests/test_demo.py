"""The model sessions demo on top of the meetings demo (the evaluations step may or may not run before
it): one published model of the article's cell adopted by another cell, one waiting for approval."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from drafts.demo import add_drafts
from library.demo import ADOPTING_CELL, add_library
from library.models import Adoption, ModelSession
from meetings.demo import add_meetings
from organizations.demo import ARTICLE_CELL, load_demo
from planning.demo import add_plans
from planning.models import AnnualPlan

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(module_transaction: None) -> None:
    """Loaded once for the module's tests, which only read it."""
    assert load_demo(add_plans, add_drafts, add_meetings, add_library)


def test_the_article_cell_published_a_model_that_another_cell_adopted(demo, client):
    model = ModelSession.objects.get(status=ModelSession.Status.PUBLISHED)
    assert model.cell.name == ARTICLE_CELL
    assert model.package["evaluation"]["lessons"] and model.package["resolution"]["symbol"]
    adoption = Adoption.objects.get(model=model)
    next_year = timezone.localdate().year + 1
    assert (adoption.year, adoption.quarter, adoption.plan_created) == (next_year, 2, True)
    assert adoption.session.title == model.title
    assert AnnualPlan.objects.get(cell=adoption.cell, year=next_year).sessions.count() == 1
    assert ADOPTING_CELL == "llcs" and adoption.cell.name == "Chi bộ Khoa Lý luận cơ sở"

    client.force_login(User.objects.get(username="dangvien"))
    assert model.title in client.get(reverse("library:list")).content.decode()
    page = client.get(reverse("library:detail", args=[model.pk])).content.decode()
    assert model.package["resolution"]["symbol"] in page


def test_the_party_committee_has_a_model_to_approve(demo, client):
    waiting = ModelSession.objects.get(status=ModelSession.Status.REGISTERED)
    client.force_login(User.objects.get(username="danguy"))
    page = client.get(reverse("library:party", args=[waiting.party_id])).content.decode()
    assert reverse("library:approve", args=[waiting.pk]) in page
    overview = client.get(reverse("library:adoptions", args=[waiting.party_id])).content.decode()
    assert "Chi bộ Khoa Lý luận cơ sở" in overview
