"""The organisation tree one level at a time: the user's top organisations with counts from SQL,
opening a node shows its children, a search by name across what the user may see with each result's
path, 50 a page, and the same queries at two sizes (issue 12: a province holds thousands of cells)."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations import selectors
from organizations.models import Member
from tests.factories import CellFactory, OrganizationFactory, member_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def district(world: Any) -> Any:
    """A Đảng bộ bộ phận under world.party with a commune-level Đảng bộ holding two cells (3 + 2
    members, one probationary)."""
    district = OrganizationFactory(name="Đảng bộ bộ phận Đào tạo", parent=world.party)
    inner = OrganizationFactory(name="Đảng bộ Khoa Sau đại học", parent=district)
    for name, size in (("Chi bộ Cao học 1", 3), ("Chi bộ Cao học 2", 2)):
        cell = CellFactory(name=name, parent=inner)
        for i in range(size):
            if (name, i) == ("Chi bộ Cao học 2", 0):
                member_in(cell, status=Member.Status.PROBATIONARY)
            else:
                member_in(cell)
    return district


def get(client: Any, user: Any, **params: Any) -> str:
    client.force_login(user)
    response = client.get(reverse("organizations:tree"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_officer_starts_from_their_party_with_its_counts(world, district):
    (top,) = selectors.count_below(list(selectors.tree_level(world.officer)))
    assert top == world.party
    # world.cell (4 members) and world.other_cell (1), and the district's two cells (5).
    assert (top.sub_count, top.cell_count, top.member_count, top.probationary_count) == (3, 4, 10, 2)


def test_opening_a_node_shows_its_children_only_with_counts_of_their_subtrees(client, world, district):
    page = get(client, world.officer, mo=world.party.pk)
    assert "Đảng bộ bộ phận Đào tạo" in page and "Chi bộ Khoa Xây dựng Đảng" in page
    assert "Chi bộ Cao học 1" not in page  # two levels down: not rendered
    children = {
        o.name: o
        for o in selectors.count_below(list(selectors.tree_level(world.officer, world.party)), world.party)
    }
    trained = children["Đảng bộ bộ phận Đào tạo"]
    assert (trained.sub_count, trained.cell_count, trained.member_count) == (1, 2, 5)
    assert (
        children["Chi bộ Khoa Xây dựng Đảng"].sub_count,
        children["Chi bộ Khoa Xây dựng Đảng"].member_count,
    ) == (
        0,
        4,
    )
    assert f'href="?mo={district.pk}"' in page  # the district opens in turn
    deeper = get(client, world.officer, mo=district.pk)
    assert "Đảng bộ Khoa Sau đại học" in deeper
    assert f'href="?mo={world.party.pk}"' in deeper  # the way back up


def test_the_top_page_does_not_render_what_is_below(client, world, district):
    page = get(client, world.officer)
    assert world.party.name in page and "Đảng bộ bộ phận Đào tạo" not in page
    assert "Đảng bộ Sở Y tế" not in page  # another Đảng bộ


def test_a_member_sees_their_cell_only_and_cannot_open_another(client, world, district):
    page = get(client, world.member)
    assert "Chi bộ Khoa Xây dựng Đảng" in page and world.party.name not in page
    client.force_login(world.member)
    assert client.get(reverse("organizations:tree"), {"mo": world.party.pk}).status_code == 404


def test_the_search_finds_deep_organisations_with_their_path(client, world, district):
    page = get(client, world.officer, q="cao học")
    assert "Chi bộ Cao học 1" in page and "Chi bộ Cao học 2" in page
    assert "Đảng bộ Khoa Sau đại học</a>" in page and f'href="?mo={district.pk}"' in page  # the path
    assert "Chi bộ Cao học" not in get(client, world.member, q="cao học")
    assert "Chi bộ Văn phòng Sở" not in get(client, world.officer, q="văn phòng")


def test_fifty_one_children_make_two_pages(client, world):
    for i in range(49):  # with world.cell and world.other_cell
        CellFactory(name=f"Chi bộ số {i:02d}", parent=world.party)
    first = get(client, world.officer, mo=world.party.pk)
    assert first.count('<li><div class="node">') == 50 and 'rel="next"' in first
    second = get(client, world.officer, mo=world.party.pk, page=2)
    assert second.count('<li><div class="node">') == 1


@pytest.mark.parametrize("params", [{}, {"mo": "party"}, {"q": "chi bộ"}])
def test_the_tree_costs_the_same_queries_at_two_sizes(client, world, district, params):
    params = {k: (world.party.pk if v == "party" else v) for k, v in params.items()}

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            get(client, world.officer, **params)
        return len(captured)

    get(client, world.officer, **params)
    few = count()
    for i in range(12):
        sub = OrganizationFactory(name=f"Đảng bộ thêm {i}", parent=world.party)
        member_in(CellFactory(name=f"Chi bộ thêm {i}", parent=sub))
    assert count() == few


def test_the_party_page_lists_its_organisations_fifty_a_page_with_their_counts(client, world, district):
    for i in range(48):  # with world.cell, world.other_cell and the district
        CellFactory(name=f"Chi bộ số {i:02d}", parent=world.party)
    client.force_login(world.officer)
    url = reverse("organizations:detail", args=[world.party.pk])
    first = client.get(url).content.decode()
    assert "Đảng bộ bộ phận Đào tạo" in first and 'rel="next"' in first  # Đảng bộ first, then cells
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count(">Chi bộ") == 1 and 'rel="prev"' in second
