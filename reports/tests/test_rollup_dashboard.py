"""The dashboard by level (issue 12): the organisations directly under a Đảng bộ with the figures of
every cell below them rolled up in SQL, drill-down, filters to what needs action, search, sort,
pagination, the cell-by-cell view, and a fixed number of queries whatever the size of the tree.

The tree (Q3 2026, as of 5 October 2026; world.party plays the province):

    world.party ── world.cell, world.other_cell        (reports/tests/conftest.py: hand-computed)
               └── Đảng bộ Huyện (district) ── Chi bộ Trống (no plan, no member)
                                            └── Đảng ủy Xã (grassroots) ── Chi bộ An, Chi bộ Bình

Chi bộ An and Chi bộ Bình are built alike (``_cell_with_work``): three members; a plan with two
sessions in Q3, the first (12/08, presenter: member 0) sent to the members and commented on by
member 1, the second (25/09) without a draft (its draft deadline has passed: overdue); a regular
meeting on 05/08 with all three present, minutes approved, not assessed. Neither held a session.
Chi bộ An's plan and report for Q3 are submitted; Chi bộ Bình's are not.

So each of An and Bình: planned 2, held 0, 1 meeting, expected 3 / attended 3, 1 draft read by 2
members (the presenter left out) of whom 1 commented, 1 comment not answered, 1 overdue draft.
"""

from datetime import date, time
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html as lxml_html

from drafts import services as drafts
from drafts.models import Comment
from drafts.tests.conftest import TEXT
from meetings import services as meetings
from organizations.models import Organization
from planning import services as planning
from reports import selectors, services
from reports.tests.conftest import AS_OF, YEAR
from tests.factories import CellFactory, OrganizationFactory, TermFactory, member_in

pytestmark = pytest.mark.django_db


def _cell_with_work(parent: Organization, name: str, *, submitted: bool) -> Organization:
    cell = CellFactory.create(parent=parent, name=name)
    TermFactory(organization=cell)
    people = [member_in(cell) for _ in range(3)]
    plan = planning.create_plan(actor=None, cell=cell, year=YEAR)
    session = planning.add_session(
        actor=None, plan=plan, quarter=3, title="Chuyên đề", planned_date=date(2026, 8, 12)
    )
    planning.assign_presenters(actor=None, session=session, members=[people[0]])
    planning.add_session(
        actor=None, plan=plan, quarter=3, title="Chuyên đề 2", planned_date=date(2026, 9, 25)
    )
    if submitted:
        planning.submit_plan(actor=None, plan=plan, on=date(2026, 1, 10))
    drafts.add_version(actor=None, session=session, text=TEXT)
    drafts.submit_draft(actor=None, session=session)
    drafts.approve_draft(actor=None, session=session)
    version = drafts.distributed_version(session)
    Comment.objects.create(
        session=session, version=version, current_version=version, author=people[1], body="Ý"
    )
    meeting = meetings.create_meeting(
        actor=None,
        cell=cell,
        kind="regular",
        date=date(2026, 8, 5),
        start_time=time(7, 30),
        place="Hội trường",
    )
    meetings.open_record(actor=None, meeting=meeting, confirmed_without_notice=True)
    meetings.mark_all_present(actor=None, meeting=meeting)
    for field, value in (("chair", people[0].pk), ("minutes_secretary", people[1].pk), ("end_time", "09:30")):
        meetings.save_field(actor=None, meeting=meeting, name=field, value=str(value))
    meetings.approve_minutes(actor=None, meeting=meeting)
    report = services.create_report(actor=None, cell=cell, year=YEAR, quarter=3)
    if submitted:
        services.save_text(actor=None, report=report, assessment="Đạt.", direction="")
        services.submit_report(actor=None, report=report, on=AS_OF)
    return cell


@pytest.fixture
def tree(world, history) -> dict[str, Organization]:
    district = OrganizationFactory.create(parent=world.party, name="Đảng bộ Huyện Phong Điền")
    grassroots = OrganizationFactory.create(parent=district, name="Đảng ủy Xã Phong An")
    empty = CellFactory.create(parent=district, name="Chi bộ Trống")
    an = _cell_with_work(grassroots, "Chi bộ An", submitted=True)
    binh = _cell_with_work(grassroots, "Chi bộ Bình", submitted=False)
    return {"district": district, "grassroots": grassroots, "empty": empty, "an": an, "binh": binh}


@pytest.fixture
def on_as_of():
    with time_machine.travel(date(2026, 10, 5), tick=False):
        yield


def _level(party: Organization, user: Any, **options: Any) -> selectors.Level:
    return selectors.level(party, YEAR, 3, user, AS_OF, **options)


def _row(board: selectors.Level, org: Organization) -> selectors.LevelRow:
    return next(row for row in board.rows if row.pk == org.pk)


def _figures(f: selectors.Figures) -> tuple:
    return (
        (f.planned, f.held, f.cancelled, f.meetings, f.regular, f.expected, f.attended),
        (f.drafts, f.readers, f.commented, f.comments, f.answered, f.overdue_drafts),
        (f.resolutions, f.tasks, f.tasks_overdue),
    )


# --- Figures against hand-computed ones -------------------------------------------------------------


def test_a_grassroots_party_shows_its_cells_with_their_own_figures(world, tree):
    board = _level(tree["grassroots"], world.officer)

    assert [row.name for row in board.rows] == ["Chi bộ An", "Chi bộ Bình"]
    for cell in (tree["an"], tree["binh"]):
        row = _row(board, cell)
        assert _figures(row.figures) == ((2, 0, 0, 1, 1, 3, 3), (1, 2, 1, 1, 0, 1), (0, 0, 0))
        assert row.figures.quality == {} and row.figures.unassessed == 1
    an, binh = _row(board, tree["an"]).counts, _row(board, tree["binh"]).counts
    assert (an.cells, an.members, an.no_session, an.no_plan, an.no_report) == (1, 3, 1, 0, 0)
    assert (binh.cells, binh.members, binh.no_session, binh.no_plan, binh.no_report) == (1, 3, 1, 1, 1)
    # The cells' own pages: the plan and the report of each cell on the page.
    assert _row(board, tree["an"]).plan_id is not None and _row(board, tree["an"]).report.is_issued


def test_a_district_sums_the_cells_of_every_level_below_it(world, tree):
    board = _level(tree["district"], world.officer)

    # The Đảng bộ under the level first, then its own cells.
    assert [row.name for row in board.rows] == ["Đảng ủy Xã Phong An", "Chi bộ Trống"]
    grassroots = _row(board, tree["grassroots"])
    assert not grassroots.is_cell
    assert _figures(grassroots.figures) == ((4, 0, 0, 2, 2, 6, 6), (2, 4, 2, 2, 0, 2), (0, 0, 0))
    c = grassroots.counts
    assert (c.cells, c.members, c.no_session, c.no_plan, c.no_report, c.received) == (2, 6, 2, 1, 1, 1)
    empty = _row(board, tree["empty"])
    assert _figures(empty.figures) == ((0,) * 7, (0,) * 6, (0,) * 3)
    assert (empty.counts.cells, empty.counts.no_session, empty.counts.no_plan) == (1, 1, 1)
    # The level's summary: three cells, six members.
    assert (board.counts.cells, board.counts.members, board.counts.no_session) == (3, 6, 3)
    assert board.total.attendance_rate == 100 and board.total.comment_share == 50


def test_the_province_rolls_up_the_district_beside_its_own_cells(world, history, tree):
    board = _level(world.party, world.officer)

    assert [row.name for row in board.rows] == [
        "Đảng bộ Huyện Phong Điền",
        "Chi bộ Khoa Lý luận cơ sở",
        "Chi bộ Khoa Xây dựng Đảng",
    ]
    district = _row(board, tree["district"])
    assert _figures(district.figures) == ((4, 0, 0, 2, 2, 6, 6), (2, 4, 2, 2, 0, 2), (0, 0, 0))
    assert district.counts.cells == 3
    # world.cell as reports/tests/conftest.py computes it by hand: S1 held of S1–S3, meetings A and
    # B, 9 expected of whom 7 attended, 2 drafts read by 10 of whom 4 commented, 1 resolution.
    cell = _row(board, world.cell).figures
    assert _figures(cell) == ((3, 1, 1, 2, 1, 9, 7), (2, 10, 4, 4, 3, 1), (1, 2, 1))
    assert cell.quality == {"tot": 1, "kha": 1}
    # The total: the old whole-party figures of reports/tests/test_dashboard.py plus the district.
    t = board.total
    assert (t.planned, t.held, t.cancelled) == (5 + 4, 2, 1)
    assert (t.meetings, t.expected, t.attended) == (3 + 2, 11 + 6, 9 + 6)
    assert (t.drafts, t.readers, t.commented, t.comments, t.answered) == (2 + 2, 10 + 4, 4 + 2, 4 + 2, 3)
    assert (t.tasks_overdue, t.overdue_drafts) == (1, 2 + 2)
    assert board.total_levels == [1, 1, 0, 0]
    # The same figures as the whole table (the spreadsheet), cell by cell.
    whole = selectors.dashboard(world.party, YEAR, 3, world.officer, AS_OF)
    assert len(whole.rows) == 5 and whole.total == board.total


def test_the_cell_by_cell_view_lists_every_cell_below_with_its_parent(world, history, tree):
    board = _level(world.party, world.officer, by_cell=True)

    assert [row.name for row in board.rows] == [
        "Chi bộ An",
        "Chi bộ Bình",
        "Chi bộ Khoa Lý luận cơ sở",
        "Chi bộ Khoa Xây dựng Đảng",
        "Chi bộ Trống",
    ]
    assert _row(board, tree["an"]).parent_name == "Đảng ủy Xã Phong An"
    assert _row(board, world.cell).parent_name == world.party.name
    by_cell = selectors.figures_by_cell([world.cell, tree["binh"]], YEAR, 3, AS_OF)
    assert _row(board, world.cell).figures == by_cell[world.cell.pk]
    assert _row(board, tree["binh"]).figures == by_cell[tree["binh"].pk]


# --- Filters, search, sort ---------------------------------------------------------------------------


def test_each_filter_keeps_the_rows_holding_such_a_cell_and_says_how_many(world, history, tree):
    no_session = _level(world.party, world.officer, filter_code="chua-sinh-hoat")
    # world.cell held S1 and world.other_cell O1: only the district, with its three cells.
    assert [(row.name, row.counts.no_session) for row in no_session.rows] == [("Đảng bộ Huyện Phong Điền", 3)]

    no_plan = _level(tree["district"], world.officer, filter_code="chua-nop-ke-hoach")
    assert [(row.name, row.counts.no_plan) for row in no_plan.rows] == [
        ("Đảng ủy Xã Phong An", 1),
        ("Chi bộ Trống", 1),
    ]
    no_report = _level(tree["grassroots"], world.officer, filter_code="thieu-bao-cao")
    assert [row.name for row in no_report.rows] == ["Chi bộ Bình"]
    # Across the subtree: the cells themselves.
    cells = _level(world.party, world.officer, by_cell=True, filter_code="chua-sinh-hoat")
    assert [row.name for row in cells.rows] == ["Chi bộ An", "Chi bộ Bình", "Chi bộ Trống"]
    assert cells.counts.no_session == 3 and cells.found == 3


def test_search_finds_names_without_their_diacritics(world, history, tree):
    board = _level(world.party, world.officer, by_cell=True, search="xay dung")
    assert [row.pk for row in board.rows] == [world.cell.pk]
    assert [row.pk for row in _level(world.party, world.officer, search="HUYỆN").rows] == [
        tree["district"].pk
    ]
    assert _level(world.party, world.officer, search="không có").rows == []


def test_rows_sort_by_a_figure_either_way_names_breaking_ties(world, history, tree):
    by_members = _level(world.party, world.officer, sort="-dang-vien")
    members = [row.counts.members for row in by_members.rows]
    assert members == sorted(members, reverse=True) and by_members.rows[0].pk == world.cell.pk
    by_planned = _level(world.party, world.officer, sort="ke-hoach-sh")
    assert [row.figures.planned for row in by_planned.rows] == [2, 3, 4]
    by_name_reversed = _level(tree["district"], world.officer, sort="-ten")
    assert [row.name for row in by_name_reversed.rows] == ["Đảng ủy Xã Phong An", "Chi bộ Trống"]


# --- The page ----------------------------------------------------------------------------------------


def _page(client, party: Organization, **query: Any) -> Any:
    url = reverse("reports:dashboard", args=[party.pk])
    return client.get(url, {"nam": YEAR, "quy": 3, **query})


def test_a_district_links_one_level_down_with_a_breadcrumb_back_up(client, world, history, tree, on_as_of):
    client.force_login(world.officer)
    page = _page(client, world.party).content.decode()
    down = reverse("reports:dashboard", args=[tree["district"].pk]) + f"?nam={YEAR}&amp;quy=3"
    assert f'<a href="{down}">Đảng bộ Huyện Phong Điền</a>' in page
    assert f'href="{reverse("organizations:detail", args=[world.cell.pk])}"' in page

    deeper = lxml_html.fromstring(_page(client, tree["grassroots"]).content.decode())
    crumbs = deeper.xpath("//nav[@class='breadcrumbs']//a")
    assert [a.text for a in crumbs] == [world.party.name, tree["district"].name, tree["grassroots"].name]
    assert crumbs[0].get("href") == reverse("reports:dashboard", args=[world.party.pk]) + f"?nam={YEAR}&quy=3"
    # The grassroots page lists its cells, each leading to its plan from the sessions column.
    assert deeper.xpath("//table//th[@scope='row']/a/text()") == ["Chi bộ An", "Chi bộ Bình"]


def test_an_officer_of_the_district_sees_no_crumb_above_his_level(client, world, history, tree, on_as_of):
    from organizations.models import OfficerAssignment
    from tests.factories import UserFactory

    user = UserFactory()
    OfficerAssignment.objects.create(user=user, organization=tree["district"])
    client.force_login(user)
    page = lxml_html.fromstring(_page(client, tree["grassroots"]).content.decode())
    assert [a.text for a in page.xpath("//nav[@class='breadcrumbs']//a")] == [
        tree["district"].name,
        tree["grassroots"].name,
    ]
    assert _page(client, world.party).status_code == 404  # above him: not his to see


def test_the_page_keeps_its_query_in_filter_sort_and_page_links(client, world, history, tree, on_as_of):
    client.force_login(world.officer)
    response = _page(client, world.party, cap="chi-bo", loc="chua-sinh-hoat", sap="-du-hop", q="chi")
    board = response.context["board"]
    assert board.by_cell and [row.name for row in board.rows] == ["Chi bộ An", "Chi bộ Bình", "Chi bộ Trống"]
    page = lxml_html.fromstring(response.content.decode())
    name_sort = page.xpath("//table//thead//a")[0].get("href")
    assert "cap=chi-bo" in name_sort and "loc=chua-sinh-hoat" in name_sort and "q=chi" in name_sort
    assert "sap=ten" in name_sort
    filters = [a.text_content() for a in page.xpath("//nav[@class='tabs'][2]/a")]
    # Counted over the five cells: world.cell and world.other_cell held a session, but their plans
    # (reports/tests/conftest.py) were never submitted nor their Q3 reports; only Chi bộ An's were.
    assert filters[1:] == ["Chưa sinh hoạt chuyên đề (3)", "Chưa nộp kế hoạch (4)", "Chưa nhận báo cáo (4)"]
    hidden = {
        i.get("name"): i.get("value") for i in page.xpath("//form[@role='search']//input[@type='hidden']")
    }
    assert hidden == {
        "nam": str(YEAR),
        "quy": "3",
        "cap": "chi-bo",
        "loc": "chua-sinh-hoat",
        "sap": "-du-hop",
    }


def test_fifty_one_children_make_two_pages(client, world, on_as_of):
    party = OrganizationFactory(parent=world.party, name="Đảng bộ Lớn")
    for index in range(51):
        CellFactory(parent=party, name=f"Chi bộ {index:02d}")
    client.force_login(world.officer)

    first = _page(client, party, loc="chua-sinh-hoat")
    assert len(first.context["board"].rows) == 50 and first.context["board"].found == 51
    page = lxml_html.fromstring(first.content.decode())
    (next_link,) = page.xpath("//nav[@class='pager']/a[@rel='next']/@href")
    assert "trang=2" in next_link and "loc=chua-sinh-hoat" in next_link and f"nam={YEAR}" in next_link
    second = client.get(next_link)
    assert [row.name for row in second.context["board"].rows] == ["Chi bộ 50"]
    # The charts draw the page's rows only: one name each.
    chart = second.content.decode().split('id="chart-sessions-title"')[1].split("</svg>")[0]
    assert chart.count("<title>Chi bộ ") == 1 and "<title>Chi bộ 50</title>" in chart


# --- Queries and the index ---------------------------------------------------------------------------


def _queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("query", ["", "&cap=chi-bo", "&loc=chua-sinh-hoat&sap=-du-hop"])
def test_a_bigger_tree_costs_the_same_number_of_queries(client, world, history, tree, on_as_of, query):
    client.force_login(world.officer)
    url = reverse("reports:dashboard", args=[world.party.pk]) + f"?nam={YEAR}&quy=3{query}"
    client.get(url)  # fill the process-wide caches before counting
    small = _queries(client, url)

    # Another district with a grassroots party of its own and two more cells with work.
    district = OrganizationFactory(parent=world.party, name="Đảng bộ Huyện Quảng Điền")
    grassroots = OrganizationFactory(parent=district, name="Đảng ủy Xã Quảng An")
    _cell_with_work(grassroots, "Chi bộ Cư", submitted=True)
    _cell_with_work(district, "Chi bộ Dương", submitted=False)
    big = _queries(client, url)

    assert len(small) == len(big) <= 30, "\n".join(["small:", *small, "big:", *big])


def test_the_figures_of_a_level_cost_a_fixed_number_of_queries(
    world, history, tree, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as small:
        _level(world.party, world.officer)
    _cell_with_work(tree["grassroots"], "Chi bộ Cư", submitted=True)
    with django_assert_max_num_queries(len(small.captured_queries)):
        board = _level(world.party, world.officer)
    assert _row(board, tree["district"]).counts.cells == 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN of PostgreSQL's planner")
def test_the_attendance_aggregate_reads_the_periods_meetings_through_indexes(world, history, tree):
    from meetings.models import Attendance

    first, last = date(2026, 7, 1), date(2026, 9, 30)
    grouping = selectors.Grouping(party=world.party)
    rows = grouping.group(Attendance.objects.filter(meeting__date__range=(first, last)), "meeting__cell")
    with connection.cursor() as cursor:
        # The tables are tiny here: forbid sequential scans so the plan shows which indexes serve.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = rows.annotate(n=Count("id")).explain()
        cursor.execute("RESET enable_seqscan")
    assert "meeting_date_idx" in plan, plan
    assert "Seq Scan on meetings_attendance" not in plan, plan


# --- The figures kept in the shared cache ------------------------------------------------------------


@pytest.fixture
def shared_cache(settings):
    from django.core.cache import cache

    settings.FRAME_CACHE = True
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "dashboard-tests"}
    }
    cache.clear()
    yield
    cache.clear()


def test_cached_figures_are_read_again_until_a_cell_below_changes(world, tree, shared_cache):
    """A second look costs none of the aggregates; a comment in a cell two levels down, a new cell and
    the next day each show at once."""
    first = _level(world.party, world.officer)
    district = _figures(_row(first, tree["district"]).figures)
    with CaptureQueriesContext(connection) as again:
        assert _figures(_row(_level(world.party, world.officer), tree["district"]).figures) == district
    # Only the page's own rows are read: no aggregate grouped by the path of a child.
    assert not any("SUBSTR" in q["sql"].upper() for q in again.captured_queries)

    # A comment in Chi bộ Bình (district → grassroots → cell): the district's comment count moves.
    session = tree["binh"].sessions.get(title="Chuyên đề")
    version = drafts.distributed_version(session)
    author = session.cell.memberships.exclude(member__in=session.presenters.all()).last().member
    Comment.objects.create(
        session=session, version=version, current_version=version, author=author, body="Góp ý thêm"
    )
    after = _row(_level(world.party, world.officer), tree["district"]).figures
    assert after.comments == _row(first, tree["district"]).figures.comments + 1

    # A new cell under the district (the tree changed): it counts at once.
    CellFactory.create(parent=tree["district"], name="Chi bộ Mới")
    assert _row(_level(world.party, world.officer), tree["district"]).counts.cells == 4


def test_without_the_shared_cache_nothing_is_kept(world, tree, settings):
    from django.core.cache import cache

    settings.FRAME_CACHE = False
    cache.clear()
    _level(world.party, world.officer)
    with CaptureQueriesContext(connection) as again:
        _level(world.party, world.officer)
    assert any("SUBSTR" in q["sql"].upper() for q in again.captured_queries)


def test_a_member_attached_to_another_cell_counts_once_at_every_level(world, history, tree):
    """Temporarily attached to a cell of the grassroots Đảng bộ, a member of Chi bộ Trống stays one
    member: in their own cell, in the level's rows and in the summary of either view."""
    from organizations.models import Membership
    from tests.factories import MembershipFactory

    visitor = member_in(tree["empty"])
    MembershipFactory(member=visitor, organization=tree["an"], kind=Membership.Kind.TEMPORARY)

    by_child = _level(tree["district"], world.officer)
    by_cell = _level(tree["district"], world.officer, by_cell=True)
    assert _row(by_child, tree["empty"]).counts.members == 1
    assert _row(by_child, tree["grassroots"]).counts.members == 6  # An's three and Bình's three
    assert by_child.counts.members == by_cell.counts.members == 7
    assert _row(by_cell, tree["an"]).counts.members == 3
