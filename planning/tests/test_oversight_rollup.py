"""The Đảng ủy's oversight page at province scale: figures rolled up one level at a time in SQL,
checked against hand-computed ones on a small tree of three levels; drilling down, filters, sort,
search, pagination and the cells of a whole subtree; the same queries at two sizes.

The clock is fixed at 18 Nov 2026 (conftest.py): "this quarter" is the fourth."""

from datetime import date, datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from organizations.models import OfficerAssignment
from planning import selectors
from planning.models import AnnualPlan, Orientation, Session
from tests.factories import CellFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

YEAR = 2026


def _plan(
    cell: Any, status: str, first_submitted: date | None, quarters: dict[int, int], year: int = YEAR
) -> Any:
    at = timezone.make_aware(datetime(*first_submitted.timetuple()[:3], 15)) if first_submitted else None
    plan = AnnualPlan.objects.create(
        cell=cell, year=year, status=status, first_submitted_at=at, submitted_at=at
    )
    for quarter, n in quarters.items():
        for i in range(n):
            Session.objects.create(plan=plan, cell=cell, title=f"Chuyên đề {quarter}.{i}", quarter=quarter)
    return plan


@pytest.fixture
def tree(world: Any) -> dict[str, Any]:
    """province → district A → commune A1 → two cells; district B → one cell; a cell of the province's own.

    Plans for 2026 (due 15/02/2026):
    * a1x acknowledged, sent 10/02 (on time), one session a quarter, plus a cancelled one in Q4;
    * a1y waiting, sent 01/03 (late), two sessions in Q1, none after;
    * b returned, sent 14/02 (on time), one session in Q4 (and a 2025 plan that must not count);
    * own: no plan (not submitted, late since the date has passed).
    """
    province = OrganizationFactory(name="Đảng bộ Tỉnh")
    district_a = OrganizationFactory(name="Đảng bộ Huyện A", parent=province)
    district_b = OrganizationFactory(name="Đảng bộ Huyện B", parent=province)
    commune = OrganizationFactory(name="Đảng bộ Xã A1", parent=district_a)
    a1x = CellFactory(name="Chi bộ thôn Đông", parent=commune)
    a1y = CellFactory(name="Chi bộ thôn Tây", parent=commune)
    b = CellFactory(name="Chi bộ Phòng Nội vụ", parent=district_b)
    own = CellFactory(name="Chi bộ Văn phòng Tỉnh ủy", parent=province)
    Orientation.objects.create(organization=province, year=YEAR, plans_due=date(YEAR, 2, 15))
    plan = _plan(a1x, AnnualPlan.Status.ACKNOWLEDGED, date(YEAR, 2, 10), {1: 1, 2: 1, 3: 1, 4: 1})
    Session.objects.create(plan=plan, cell=a1x, title="Hoãn", quarter=4, status=Session.Status.CANCELLED)
    _plan(a1y, AnnualPlan.Status.SUBMITTED, date(YEAR, 3, 1), {1: 2})
    _plan(b, AnnualPlan.Status.RETURNED, date(YEAR, 2, 14), {4: 1})
    _plan(b, AnnualPlan.Status.ACKNOWLEDGED, date(YEAR - 1, 1, 5), {1: 3, 2: 3, 3: 3, 4: 3}, year=YEAR - 1)
    officer = UserFactory(username="tinhuy")
    OfficerAssignment.objects.create(user=officer, organization=province)
    return locals()


def figures(row: selectors.OversightRow) -> dict[str, Any]:
    return {
        "cells": row.cells,
        "acknowledged": row.acknowledged,
        "submitted": row.submitted,
        "returned": row.returned,
        "not_submitted": row.not_submitted,
        "late": row.late,
        "per_quarter": row.per_quarter,
        "below": row.below,
        "below_now": row.below_now,
    }


def test_figures_roll_up_to_the_organisations_directly_under_the_province(tree):
    terms = selectors.oversight_terms(tree["province"], YEAR)
    assert (terms.due, terms.minimum, terms.quarter) == (date(YEAR, 2, 15), 1, 4)
    rows = {row.org.name: figures(row) for row in selectors.oversight_rows(tree["province"], terms)}
    assert rows == {
        "Đảng bộ Huyện A": {  # two cells, two levels down
            "cells": 2,
            "acknowledged": 1,
            "submitted": 1,
            "returned": 0,
            "not_submitted": 0,
            "late": 1,  # thôn Tây sent on 01/03
            "per_quarter": [3, 1, 1, 1],  # the cancelled Q4 session left out
            "below": [0, 1, 1, 1],  # thôn Tây has nothing after Q1
            "below_now": 1,
        },
        "Đảng bộ Huyện B": {
            "cells": 1,
            "acknowledged": 0,
            "submitted": 0,
            "returned": 1,
            "not_submitted": 0,
            "late": 0,
            "per_quarter": [0, 0, 0, 1],  # the 2025 plan does not count
            "below": [1, 1, 1, 0],
            "below_now": 0,
        },
        "Chi bộ Văn phòng Tỉnh ủy": {
            "cells": 1,
            "acknowledged": 0,
            "submitted": 0,
            "returned": 0,
            "not_submitted": 1,
            "late": 1,
            "per_quarter": [0, 0, 0, 0],
            "below": [1, 1, 1, 1],
            "below_now": 1,
        },
    }


def test_one_level_down_the_commune_holds_what_the_district_held(tree):
    terms = selectors.oversight_terms(tree["province"], YEAR)
    (commune,) = selectors.oversight_rows(tree["district_a"], terms)
    assert commune.org == tree["commune"]
    assert (commune.cells, commune.late, commune.per_quarter) == (2, 1, [3, 1, 1, 1])
    cells = {row.org.name: row for row in selectors.oversight_rows(tree["commune"], terms)}
    assert cells["Chi bộ thôn Đông"].per_quarter == [1, 1, 1, 1] and not cells["Chi bộ thôn Đông"].late
    assert cells["Chi bộ thôn Tây"].per_quarter == [2, 0, 0, 0] and cells["Chi bộ thôn Tây"].late == 1


def test_without_an_orientation_no_plan_is_late(tree):
    Orientation.objects.all().delete()
    terms = selectors.oversight_terms(tree["province"], YEAR)
    assert sum(row.late for row in selectors.oversight_rows(tree["province"], terms)) == 0


def page(client: Any, tree: dict[str, Any], **params: Any) -> str:
    client.force_login(tree["officer"])
    response = client.get(reverse("planning:oversight", args=[tree["province"].pk]), {"nam": YEAR, **params})
    assert response.status_code == 200
    return response.content.decode()


def test_the_officer_drills_down_a_level_at_a_time_with_the_way_back(client, tree):
    top = page(client, tree)
    assert "Đảng bộ Huyện A" in top and "Chi bộ thôn Đông" not in top
    assert f"cap={tree['district_a'].pk}" in top
    district = page(client, tree, cap=tree["district_a"].pk)
    assert "Đảng bộ Xã A1" in district and "Đảng bộ Huyện B" not in district
    assert f'href="?nam={YEAR}&amp;cap={tree["province"].pk}"' in district  # the breadcrumb back up
    commune = page(client, tree, cap=tree["commune"].pk)
    assert "Chi bộ thôn Đông" in commune and "Chi bộ thôn Tây" in commune


def test_a_level_outside_the_party_is_not_found(client, tree, world):
    client.force_login(tree["officer"])
    url = reverse("planning:oversight", args=[tree["province"].pk])
    assert client.get(url, {"cap": world.party.pk}).status_code == 404
    assert client.get(url, {"cap": tree["own"].pk}).status_code == 404  # a cell is not a level


def test_filters_keep_the_rows_that_need_action(client, tree):
    late = page(client, tree, loc="tre")
    assert "Đảng bộ Huyện A" in late and "Chi bộ Văn phòng Tỉnh ủy" in late and "Đảng bộ Huyện B" not in late
    missing = page(client, tree, loc="chua-nop")
    assert "Chi bộ Văn phòng Tỉnh ủy" in missing and "Đảng bộ Huyện A" not in missing
    below = page(client, tree, loc="thieu")
    assert "Đảng bộ Huyện B" not in below and "Đảng bộ Huyện A" in below


def test_the_cells_of_the_whole_subtree_filtered_sorted_and_searched(client, tree):
    terms = selectors.oversight_terms(tree["province"], YEAR)

    def names(**kw: Any) -> list[str]:
        return [c.name for c in selectors.oversight_cells(tree["province"], terms, **kw)]

    assert set(names()) == {
        "Chi bộ Phòng Nội vụ",
        "Chi bộ thôn Đông",
        "Chi bộ thôn Tây",
        "Chi bộ Văn phòng Tỉnh ủy",
    }
    assert names()[0] == "Chi bộ Phòng Nội vụ" and names()[-1] == "Chi bộ Văn phòng Tỉnh ủy"  # by name
    assert names(need="tre") == ["Chi bộ thôn Tây", "Chi bộ Văn phòng Tỉnh ủy"]
    assert names(need="chua-nop") == ["Chi bộ Văn phòng Tỉnh ủy"]
    assert names(need="thieu") == ["Chi bộ thôn Tây", "Chi bộ Văn phòng Tỉnh ủy"]
    assert set(names(query="thôn")) == {"Chi bộ thôn Đông", "Chi bộ thôn Tây"}
    assert names(sort="tre")[:2] == ["Chi bộ thôn Tây", "Chi bộ Văn phòng Tỉnh ủy"]
    assert names(sort="chua-nop")[0] == "Chi bộ Văn phòng Tỉnh ủy"
    html = page(client, tree, xem="chi-bo", cap=tree["district_a"].pk, loc="tre")
    assert "Chi bộ thôn Tây" in html and "Chi bộ thôn Đông" not in html


def test_sorting_the_organisations_by_what_needs_action(client, tree):
    html = page(client, tree, sap="chua-nop")
    assert html.index("Chi bộ Văn phòng Tỉnh ủy") < html.index("Đảng bộ Huyện A")
    html = page(client, tree, sap="ten", q="huyện")
    assert "Đảng bộ Huyện A" in html and "Đảng bộ Huyện B" in html and "Tỉnh ủy</a>" not in html


def _grow(tree: dict[str, Any], n: int) -> None:
    for i in range(n):
        district = OrganizationFactory(name=f"Đảng bộ Huyện thêm {i:02d}", parent=tree["province"])
        cell = CellFactory(name=f"Chi bộ thêm {i:02d}", parent=district)
        _plan(cell, AnnualPlan.Status.SUBMITTED, date(YEAR, 2, 1), {1: 1, 4: 1})


def test_fifty_one_rows_make_two_pages(client, tree):
    _grow(tree, 48)  # 3 + 48 organisations under the province
    first = page(client, tree)
    assert first.count("<tr>") - 1 == 50 and 'rel="next"' in first
    second = page(client, tree, page=2)
    assert second.count("<tr>") - 1 == 1 and 'rel="prev"' in second
    cells = page(client, tree, xem="chi-bo")  # 4 + 48 cells
    assert cells.count("<tr>") - 1 == 50 and 'rel="next"' in cells


@pytest.mark.parametrize("params", [{}, {"xem": "chi-bo"}, {"loc": "tre", "sap": "tre"}])
def test_the_page_costs_the_same_queries_at_two_sizes(client, tree, params):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            page(client, tree, **params)
        return len(captured)

    page(client, tree, **params)  # signs in (the session's own queries)
    few = count()
    _grow(tree, 12)
    assert count() == few
