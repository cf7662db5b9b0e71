"""The plans list at province scale: 50 a page in a stable order, filters by year, state and cell
name, the officer's Đảng bộ listed once (not every Đảng bộ under it), the same queries at two sizes."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from planning.models import AnnualPlan
from tests.factories import CellFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def _cells(world: Any, n: int, year: int = 2026, status: str = AnnualPlan.Status.SUBMITTED) -> None:
    district = OrganizationFactory(name=f"Đảng bộ bộ phận {n}", parent=world.party)
    for i in range(n):
        cell = CellFactory(name=f"Chi bộ số {i:03d}", parent=district)
        AnnualPlan.objects.create(cell=cell, year=year, status=status)


def get(client: Any, user: Any, **params: Any) -> str:
    client.force_login(user)
    response = client.get(reverse("planning:plans"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_fifty_one_plans_make_two_pages_in_a_stable_order(client, world):
    _cells(world, 51)
    first = get(client, world.officer)
    assert first.count('class="person"') == 50 and 'rel="next"' in first
    assert first.index("Chi bộ số 000") < first.index("Chi bộ số 049") and "Chi bộ số 050" not in first
    second = get(client, world.officer, page=2)
    assert second.count('class="person"') == 1 and "Chi bộ số 050" in second


def test_plans_are_filtered_by_year_state_and_cell_name(client, world):
    _cells(world, 3)
    AnnualPlan.objects.create(cell=world.cell, year=2025, status=AnnualPlan.Status.ACKNOWLEDGED)
    assert get(client, world.officer, nam=2025).count('class="person"') == 1
    assert get(client, world.officer, nam=2026).count('class="person"') == 3
    acknowledged = get(client, world.officer, **{"trang-thai": "acknowledged"})
    assert acknowledged.count('class="person"') == 1 and "Chi bộ Khoa Xây dựng Đảng · 2025" in acknowledged
    named = get(client, world.officer, q="số 001")
    assert named.count('class="person"') == 1 and "Chi bộ số 001" in named
    nothing = get(client, world.officer, q="không có")
    assert 'class="person"' not in nothing and 'role="status"' in nothing


def test_the_officer_sees_the_oversight_of_the_party_they_serve_only(client, world):
    OrganizationFactory(name="Đảng bộ bộ phận A", parent=world.party)
    OrganizationFactory(name="Đảng bộ bộ phận B", parent=world.party)
    page = get(client, world.officer)
    oversight = reverse("planning:oversight", args=[world.party.pk])
    assert page.count("/ke-hoach/giam-sat/") == 1 and oversight in page
    assert "/ke-hoach/giam-sat/" not in get(client, world.member)


def test_the_list_costs_the_same_queries_at_two_sizes(client, world):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            get(client, world.officer, nam=2026)
        return len(captured)

    get(client, world.officer)
    _cells(world, 3)
    few = count()
    _cells(world, 60)
    assert count() == few
