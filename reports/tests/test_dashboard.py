"""The Đảng ủy's dashboard: the figures of every cell for the period, as a table, two inline SVG charts
and a spreadsheet; a fixed number of queries whatever the number of cells."""

import io
import re
from datetime import date, time
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html as lxml_html
from openpyxl import load_workbook

from core.models import Job
from core.tests.jobhelpers import start_and_download
from drafts import services as drafts
from drafts.models import Comment
from drafts.tests.conftest import TEXT
from meetings import services as meetings
from organizations.models import Member
from planning import services as planning
from reports import selectors, services
from reports.tests.conftest import AS_OF, YEAR
from tests.factories import CellFactory, TermFactory, member_in

pytestmark = pytest.mark.django_db


def _url(world, **query) -> str:
    base = reverse("reports:dashboard", args=[world.party.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def on_as_of():
    with time_machine.travel(date(2026, 10, 5), tick=False):
        yield


def test_the_dashboard_rows_are_the_cells_figures_and_the_total_their_sum(world, history):
    board = selectors.dashboard(world.party, YEAR, 3, world.officer, AS_OF)

    assert [row.cell for row in board.rows] == [world.other_cell, world.cell]  # by name
    by_cell = {row.cell.pk: row for row in board.rows}
    assert (
        by_cell[world.cell.pk].figures
        == selectors.figures_by_cell([world.cell], YEAR, 3, AS_OF)[world.cell.pk]
    )
    t = board.total
    assert (t.planned, t.held, t.cancelled) == (5, 2, 1)
    assert (t.meetings, t.expected, t.attended) == (3, 11, 9)
    assert (t.drafts, t.readers, t.commented, t.comments, t.answered) == (2, 10, 4, 4, 3)
    assert (t.resolutions, t.tasks, t.tasks_done, t.tasks_overdue, t.overdue_drafts) == (1, 2, 1, 1, 2)
    assert t.quality == {"tot": 1, "kha": 1}
    assert board.levels == [("tot", "Tốt"), ("kha", "Khá"), ("trung_binh", "Trung bình"), ("kem", "Kém")]
    assert by_cell[world.cell.pk].levels == [1, 1, 0, 0] and board.total_levels == [1, 1, 0, 0]
    assert (board.min_sessions, board.attendance_min, board.period_over) == (1, 85, True)
    assert by_cell[world.cell.pk].plan_id == history.s1.plan_id


def test_the_whole_year_asks_four_sessions_at_least(world, history):
    board = selectors.dashboard(world.party, YEAR, None, world.officer, AS_OF)

    assert board.min_sessions == 4
    assert board.total.planned == 4 + 2


def test_the_page_shows_the_table_the_charts_and_the_links_to_each_cell(client, world, history, on_as_of):
    client.force_login(world.officer)

    page = client.get(_url(world, nam=YEAR, quy=3)).content.decode()

    assert 'class="table-scroll"' in page
    # The cell's row: 1 of 3 sessions held, 78 % attendance (marked: under 85 %), 40 % commented.
    link = reverse("organizations:detail", args=[world.cell.pk])
    row = re.search(rf'<tr>\s*<th scope="row"><a href="{link}".*?</tr>', page, re.S)
    assert row is not None
    cells = re.sub(r"<[^>]+>", " ", row.group(0))
    assert re.findall(r"\d+/\d+|\d+%", cells)[:4] == ["1/3", "78%", "40%", "4/10"]
    assert reverse("planning:plan", args=[history.s1.plan_id]) in row.group(0)
    assert reverse("meetings:list", args=[world.cell.pk]) in row.group(0)
    assert reverse("reports:list", args=[world.cell.pk]) in row.group(0)  # no report received yet
    # Two charts, drawn on the server, scaling with their viewBox.
    assert page.count("<svg viewBox=") == 2
    assert 'id="chart-sessions-title"' in page and 'id="chart-attendance-title"' in page
    assert "85 %" in page  # the threshold line's label
    assert "<script" not in page.split('id="chart-sessions-title"')[1].split("</svg>")[0]


def test_bars_are_as_long_as_their_figures(world, history):
    from reports import charts

    board = selectors.dashboard(world.party, YEAR, 3, world.officer, AS_OF)
    sessions = charts.sessions_chart(board, {})
    attendance = charts.attendance_chart(board, {})

    # Scale: the most sessions planned (3) fills the bar's length.
    mine = next(r for r in sessions.rows if r.full_name == world.cell.name)
    assert [round(b.width, 1) for b in mine.bars] == [charts.BAR_END, round(charts.BAR_END / 3, 1)]
    assert mine.value == "1/3"
    rate = next(r for r in attendance.rows if r.full_name == world.cell.name)
    assert round(rate.bars[1].width, 1) == round(charts.BAR_END * 7 / 9 / 100 * 100, 1)
    assert rate.bars[1].fill == charts.LOW and rate.value == "78%"
    other = next(r for r in attendance.rows if r.full_name == world.other_cell.name)
    assert other.bars[1].fill == charts.OK and other.value == "100%"
    assert attendance.marker is not None and attendance.marker.x == pytest.approx(charts.BAR_END * 0.85)


def test_the_report_column_shows_what_the_officer_received(client, world, history, on_as_of):
    report = services.create_report(actor=world.secretary, cell=world.cell, year=YEAR, quarter=3)
    client.force_login(world.officer)
    url = _url(world, nam=YEAR, quy=3)

    assert reverse("reports:detail", args=[report.pk]) not in client.get(url).content.decode()  # a draft

    services.save_text(actor=world.secretary, report=report, assessment="Đạt kế hoạch.", direction="")
    services.submit_report(actor=world.secretary, report=report, on=AS_OF)
    page = client.get(url).content.decode()
    assert reverse("reports:detail", args=[report.pk]) in page
    assert "1/2" in page  # reports received, of two cells


def test_the_period_defaults_to_the_current_quarter_and_accepts_the_whole_year(
    client, world, history, on_as_of
):
    client.force_login(world.officer)

    assert client.get(_url(world)).context["quarter"] == 4
    response = client.get(_url(world, nam=YEAR, quy=0))
    assert response.context["quarter"] is None and response.context["board"].total.planned == 6
    assert client.get(_url(world, nam="x", quy="9")).context["year"] == YEAR


def test_the_spreadsheet_holds_the_same_numbers(client, world, history, on_as_of):
    client.force_login(world.officer)

    url = reverse("reports:dashboard_xlsx", args=[world.party.pk]) + f"?nam={YEAR}&quy=3"

    job, content = start_and_download(client, url)  # a background job (core/jobs.py) makes it

    assert job.content_type.startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert job.file_name.startswith("bang-theo-doi-quy-3-2026")
    assert (job.done, job.total) == (2, 2)  # progress: the party's two cells
    sheet = load_workbook(io.BytesIO(content)).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=5, values_only=True)}
    mine = rows[world.cell.name]
    # name, planned, held, cancelled, meetings, rate, drafts, share, comments, answered, 4 levels, …
    assert mine[:10] == (world.cell.name, 3, 1, 1, 2, pytest.approx(7 / 9), 2, pytest.approx(0.4), 4, 3)
    assert mine[10:14] == (1, 1, 0, 0)
    assert mine[-3:-1] == (1, 1)  # overdue drafts, overdue tasks
    total = list(rows.values())[-1]
    assert total[1:3] == (5, 2)
    assert sheet["F6"].number_format == "0.0%"


# --- Query count ------------------------------------------------------------------------------------


def _busy_cell(world, index: int) -> None:
    """A cell of world.party with a plan, a distributed draft with a comment, a held session and an
    approved regular meeting: something in every query the dashboard makes."""
    cell = CellFactory.create(parent=world.party, name=f"Chi bộ Phòng {index:02d}")
    TermFactory(organization=cell)
    people = [member_in(cell) for _ in range(3)]
    plan = planning.create_plan(actor=None, cell=cell, year=YEAR)
    session = planning.add_session(
        actor=None, plan=plan, quarter=3, title="Chuyên đề", planned_date=date(2026, 8, 12)
    )
    planning.assign_presenters(actor=None, session=session, members=[people[0]])
    drafts.add_version(actor=None, session=session, text=TEXT)
    drafts.submit_draft(actor=None, session=session)
    drafts.approve_draft(actor=None, session=session)
    version = drafts.distributed_version(session)
    Comment.objects.create(
        session=session, version=version, current_version=version, author=people[1], body="Góp ý"
    )
    planning.add_session(
        actor=None, plan=plan, quarter=3, title="Chuyên đề 2", planned_date=date(2026, 9, 25)
    )
    meeting = meetings.create_meeting(
        actor=None,
        cell=cell,
        kind="regular",
        date=date(2026, 8, 5),
        start_time=time(7, 30),
        place="Phòng họp",
    )
    meetings.open_record(actor=None, meeting=meeting, confirmed_without_notice=True)
    meetings.mark_all_present(actor=None, meeting=meeting)
    for name, value in (("chair", people[0].pk), ("minutes_secretary", people[1].pk), ("end_time", "09:30")):
        meetings.save_field(actor=None, meeting=meeting, name=name, value=str(value))
    meetings.approve_minutes(actor=None, meeting=meeting)
    services.create_report(actor=None, cell=cell, year=YEAR, quarter=3)


def _queries(client, url: str) -> list[str]:
    if "xlsx" in url:  # the table is made by a background job: count what the job does
        with TestCase.captureOnCommitCallbacks(execute=False) as started:
            assert client.post(url).status_code == 302
        job = Job.objects.latest("pk")
        with CaptureQueriesContext(connection) as captured:
            started[0]()
        job.refresh_from_db()
        assert job.state == Job.State.DONE
        return [q["sql"] for q in captured.captured_queries]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("name", ["reports:dashboard", "reports:dashboard_xlsx"])
def test_two_cells_and_six_cells_cost_the_same_number_of_queries(client, world, history, on_as_of, name):
    client.force_login(world.officer)
    url = reverse(name, args=[world.party.pk]) + f"?nam={YEAR}&quy=3"
    _queries(client, url)  # fill the process-wide caches (content types) before counting
    with_2 = _queries(client, url)

    for index in range(4):
        _busy_cell(world, index)
    with_6 = _queries(client, url)

    board = selectors.dashboard(world.party, YEAR, 3, world.officer, AS_OF)
    assert len(board.rows) == 6 and all(row.figures.meetings for row in board.rows)
    assert len(with_2) == len(with_6), "\n".join(["with 2:", *with_2, "with 6:", *with_6])


def test_the_figures_alone_cost_a_fixed_number_of_queries(world, history):
    cells = [world.cell, world.other_cell]
    with CaptureQueriesContext(connection) as two:
        selectors.figures_by_cell(cells, YEAR, 3, AS_OF)
    for index in range(4):
        _busy_cell(world, index)
    cells = list(world.party.children.all())
    with CaptureQueriesContext(connection) as six:
        selectors.figures_by_cell(cells, YEAR, 3, AS_OF)

    assert len(cells) == 6
    assert len(two.captured_queries) == len(six.captured_queries) <= 16


def test_members_and_presenters_are_who_the_drafts_were_sent_to(world, history):
    """A member who joined after the draft's date is not expected to have commented on it."""
    late = member_in(world.cell, full_name="Trịnh Văn Mới")
    late.memberships.update(start_date=date(2026, 9, 15))

    f = selectors.figures_by_cell([world.cell], YEAR, 3, AS_OF)[world.cell.pk]

    assert f.readers == 10  # S1 on 15/07 and S2 on 10/09: both before the newcomer
    assert Member.objects.filter(memberships__organization=world.cell).count() == 8


# Roles whose children are presentational: a link inside one of them is an interactive element nested
# in another for assistive technology (axe-core's nested-interactive), like a link inside a button.
PRESENTATIONAL_CHILDREN = (
    "button",
    "checkbox",
    "img",
    "menuitemcheckbox",
    "menuitemradio",
    "meter",
    "option",
    "progressbar",
    "radio",
    "scrollbar",
    "separator",
    "slider",
    "switch",
    "tab",
)


def _nested_interactive(page: str) -> list[str]:
    """The links and buttons of ``page`` that sit inside another interactive element."""
    tree = lxml_html.fromstring(page)
    roles = " or ".join(f"@role='{role}'" for role in PRESENTATIONAL_CHILDREN)
    outer = f"(self::a[@href] or self::button or self::summary or @tabindex or {roles})"
    return [
        lxml_html.tostring(inner, encoding="unicode")[:80]
        for inner in tree.xpath(f"//*[{outer}]//*[self::a[@href] or self::button]")
    ]


def test_the_dashboard_nests_no_interactive_element_in_another(client, world, history, on_as_of):
    client.force_login(world.officer)
    page = client.get(_url(world, nam=YEAR, quy=3)).content.decode()
    # The charts' cell names are links (the check has something to find)...
    chart = page.split('id="chart-attendance-title"')[1].split("</svg>")[0]
    assert reverse("meetings:list", args=[world.cell.pk]) in chart
    # ...in a group, not in an img, whose children would be presentational.
    assert _nested_interactive(page) == []
    assert _nested_interactive('<svg role="img"><a href="/x"><text>x</text></a></svg>') != []


def test_the_dashboard_uses_the_width_of_the_screen(client, world, history, on_as_of):
    client.force_login(world.officer)
    main = lxml_html.fromstring(client.get(_url(world, nam=YEAR, quy=3)).content.decode()).xpath("//main")[0]
    assert main.get("class") == "wide"
    css = (Path(settings.BASE_DIR) / "static" / "chuyende" / "app.css").read_text()
    assert re.search(r"^main\.wide \{ max-width: 100rem; \}", css, re.M)
    # Other pages keep the reading width.
    other = client.get(reverse("reports:list", args=[world.cell.pk])).content.decode()
    assert lxml_html.fromstring(other).xpath("//main")[0].get("class") is None
