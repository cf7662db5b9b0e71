"""Figures rolled up one level at a time: grouped by the child of the party in SQL."""

from typing import Any

import pytest
from django.db.models import Count

from organizations import rollup
from organizations.models import Membership, Organization
from tests.factories import CellFactory, OrganizationFactory, member_in

pytestmark = pytest.mark.django_db


def _tree() -> dict[str, Any]:
    """province → two districts → (a grassroots Đảng bộ with two cells | one cell) and a cell of its own."""
    province = OrganizationFactory(name="Đảng bộ Tỉnh")
    district_a = OrganizationFactory(name="Đảng bộ Huyện A", parent=province)
    district_b = OrganizationFactory(name="Đảng bộ Huyện B", parent=province)
    grassroots = OrganizationFactory(name="Đảng bộ Xã A1", parent=district_a)
    cells = {
        "a1x": CellFactory(name="Chi bộ thôn 1", parent=grassroots),
        "a1y": CellFactory(name="Chi bộ thôn 2", parent=grassroots),
        "b_cell": CellFactory(name="Chi bộ Huyện B", parent=district_b),
        "own": CellFactory(name="Chi bộ Văn phòng Tỉnh ủy", parent=province),
    }
    sizes = {"a1x": 3, "a1y": 2, "b_cell": 4, "own": 1}
    for key, size in sizes.items():
        for _ in range(size):
            member_in(cells[key])
    return {"province": province, "a": district_a, "b": district_b, "grassroots": grassroots, **cells}


def test_members_roll_up_to_the_children_of_each_level(django_assert_num_queries: Any) -> None:
    t = _tree()
    with django_assert_num_queries(1):
        top = rollup.by_child(
            t["province"], Membership.objects.all(), "organization__path", members=Count("id")
        )
    assert top == {
        t["a"].path: {"members": 5},  # 3 + 2, two levels down
        t["b"].path: {"members": 4},
        t["own"].path: {"members": 1},  # a cell directly under the province is its own child
    }
    one_down = rollup.by_child(t["a"], Membership.objects.all(), "organization__path", members=Count("id"))
    assert one_down == {t["grassroots"].path: {"members": 5}}
    # Nothing of the party itself or of another tree is counted.
    other = OrganizationFactory(name="Đảng bộ Tỉnh khác")
    member_in(CellFactory(parent=other))
    assert rollup.by_child(t["b"], Membership.objects.all(), "organization__path", n=Count("id")) == {
        t["b_cell"].path: {"n": 4}
    }


def test_children_are_one_level_down() -> None:
    t = _tree()
    assert set(rollup.children(t["province"])) == {t["a"], t["b"], t["own"]}
    assert Organization.objects.filter(**rollup.under(t["province"])).count() == 7
    assert not Organization.objects.filter(**rollup.under(t["a1x"])).exists()
