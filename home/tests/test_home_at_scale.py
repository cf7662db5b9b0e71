"""The officer's home in a deep tree: the work that is theirs, and long lists cut short.

A cell's plan and report go to the committee directly above it; a province's officers would otherwise
find every plan of 3,000 cells in their queue (measured at province scale: a 1.8 MB home page)."""

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from home.views import SHOWN
from organizations.models import OfficerAssignment
from planning import services as planning
from planning.models import AnnualPlan
from tests.factories import CellFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _submitted_plans(cells: list[Any]) -> list[AnnualPlan]:
    plans = [planning.create_plan(actor=None, cell=cell, year=2027) for cell in cells]
    AnnualPlan.objects.filter(pk__in=[p.pk for p in plans]).update(
        status=AnnualPlan.Status.SUBMITTED, submitted_at=timezone.now()
    )
    return plans


def test_plans_wait_for_the_committee_directly_above_the_cell(client: Any) -> None:
    province = OrganizationFactory(name="Đảng bộ Tỉnh")
    district = OrganizationFactory(name="Đảng bộ Huyện", parent=province)
    grassroots = OrganizationFactory(name="Đảng bộ Xã", parent=district)
    village = CellFactory(name="Chi bộ Thôn Đông", parent=grassroots)
    office = CellFactory(name="Chi bộ Văn phòng Huyện ủy", parent=district)
    officers = {}
    for name, org in (("tinh", province), ("huyen", district), ("xa", grassroots)):
        officers[name] = UserFactory(username=name)
        OfficerAssignment.objects.create(user=officers[name], organization=org)
    village_plan, office_plan = _submitted_plans([village, office])

    def queue(user: Any) -> set[str]:
        client.force_login(user)
        page = client.get(reverse("home:home"))
        assert page.status_code == 200
        return {item.key for item in page.context["work"]}

    assert queue(officers["xa"]) == {f"plan:{village_plan.pk}:acknowledge"}
    assert queue(officers["huyen"]) == {f"plan:{office_plan.pk}:acknowledge"}
    assert queue(officers["tinh"]) == set()
    # Higher officers still may open and acknowledge it (the permission is unchanged).
    client.force_login(officers["tinh"])
    assert client.get(reverse("planning:plan", args=[village_plan.pk])).status_code == 200


def test_long_lists_show_the_first_items_and_a_link_to_all(client: Any) -> None:
    party = OrganizationFactory(name="Đảng bộ Xã Lớn")
    officer = UserFactory(username="danguy-xa")
    OfficerAssignment.objects.create(user=officer, organization=party)
    total = SHOWN + 5
    _submitted_plans([CellFactory(name=f"Chi bộ thôn {n}", parent=party) for n in range(total)])
    client.force_login(officer)

    page = client.get(reverse("home:home"))
    assert len(page.context["work"]) == SHOWN and page.context["work_total"] == total
    assert len(page.context["plans_to_acknowledge"]) == SHOWN
    html = page.content.decode()
    assert f'<span class="count">{total}</span>' in html
    assert html.count('href="?tat-ca=1#') == 2  # the queue and the plans list

    everything = client.get(reverse("home:home") + "?tat-ca=1")
    assert len(everything.context["work"]) == total
    assert len(everything.context["plans_to_acknowledge"]) == total
    assert 'href="?tat-ca=1#' not in everything.content.decode()
