"""The figures kept per organisation and period (reports.models.OrganizationFigures): the dashboard
sums them instead of aggregating the whole subtree, and computes again only the organisations whose
version token changed (home.invalidation) or whose day has passed.

What is checked: the sums equal the aggregates over the subtree (the hand-computed tree of
test_rollup_dashboard and a generated one), after every kind of change the figures are current at
once (against the aggregates computed afresh), with the shared cache on and off; only the changed
cell is computed again; the queries do not grow with the tree.
"""

from datetime import date, time, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from drafts import services as drafts
from drafts.models import Comment
from drafts.tests.conftest import TEXT
from meetings import services as meetings
from meetings.models import Meeting, Speech
from organizations import services as organizations
from organizations.models import Membership, Organization
from planning import services as planning
from planning.models import Session
from reports import selectors, services
from reports.models import OrganizationFigures, QualityFigures, Report
from reports.tests import test_rollup_dashboard
from reports.tests.conftest import AS_OF, YEAR
from tests.factories import CellFactory, member_in

pytestmark = pytest.mark.django_db

tree = test_rollup_dashboard.tree  # the three-level tree with hand-computed figures


@pytest.fixture(params=[True, False], ids=["shared-cache", "no-shared-cache"])
def frame_cache(request, settings) -> bool:
    settings.FRAME_CACHE = request.param
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "stored-figures"}
    }
    cache.clear()
    yield request.param
    cache.clear()


@pytest.fixture
def shared_cache(settings):
    settings.FRAME_CACHE = True
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "stored-figures"}
    }
    cache.clear()
    yield
    cache.clear()


def _fresh(party: Organization, by_cell: bool, quarter: int | None = 3, today: date = AS_OF) -> tuple:
    """The figures and counts aggregated over the subtree now, as the dashboard computed them before
    any were kept: the reference."""
    grouping = selectors.Grouping(party=party, by_cell=by_cell)
    figures = selectors.grouped_figures(grouping, YEAR, quarter, today)
    counts = selectors._counts(grouping, YEAR, quarter, today)
    return _nonzero(figures), _nonzero(counts)


def _nonzero(by_key: dict[str, Any]) -> dict[str, Any]:
    """Groups with any figure (the aggregates leave out groups with none; the sums keep them)."""
    return {key: value for key, value in by_key.items() if value != type(value)()}


def _shown(party: Organization, by_cell: bool, quarter: int | None = 3, today: date = AS_OF) -> tuple:
    """What the dashboard shows: through the shared cache and the kept rows when it is on."""
    grouping = selectors.Grouping(party=party, by_cell=by_cell)
    figures, counts = selectors._level_figures(grouping, party, YEAR, quarter, today)
    return _nonzero(figures), _nonzero(counts)


def _assert_current(world: Any, tree: dict[str, Organization]) -> None:
    for party in (world.party, tree["district"], tree["grassroots"]):
        for by_cell in (False, True):
            assert _shown(party, by_cell) == _fresh(party, by_cell), (party.name, by_cell)


# --- The same figures as the aggregates ----------------------------------------------------------


def test_the_kept_figures_sum_to_the_aggregates_at_every_level(world, tree, shared_cache):
    for quarter in (3, None, 2):
        for party in (world.party, tree["district"], tree["grassroots"]):
            for by_cell in (False, True):
                stored = selectors.stored_figures(party, YEAR, quarter, AS_OF, by_cell=by_cell)
                assert stored is not None
                assert (_nonzero(stored[0]), _nonzero(stored[1])) == _fresh(party, by_cell, quarter)
    # One row per organisation below the province and period looked at, and the quality levels.
    below = Organization.objects.exclude(pk=world.party.pk).filter(path__startswith=world.party.path)
    assert OrganizationFigures.objects.filter(year=YEAR, quarter=3).count() == below.count()
    assert QualityFigures.objects.filter(organization=world.cell, quarter=3).count() == 2  # Tốt, Khá
    assert OrganizationFigures.objects.filter(quarter=0).count() == below.count()  # the year


def test_the_hand_computed_figures_are_shown_from_the_kept_rows(world, tree, shared_cache):
    """The level of test_rollup_dashboard, read from the rows: the district holds An and Bình."""
    board = selectors.level(world.party, YEAR, 3, world.officer, AS_OF)
    district = next(row for row in board.rows if row.pk == tree["district"].pk)
    f = district.figures
    assert (f.planned, f.held, f.meetings, f.expected, f.attended) == (4, 0, 2, 6, 6)
    assert (f.drafts, f.readers, f.commented, f.comments, f.answered, f.overdue_drafts) == (2, 4, 2, 2, 0, 2)
    assert (district.counts.cells, district.counts.members) == (3, 6)
    assert (district.counts.no_plan, district.counts.no_report) == (2, 2)
    assert OrganizationFigures.objects.filter(organization=tree["an"]).exists()


def test_without_the_shared_cache_no_row_is_kept(world, tree, settings):
    settings.FRAME_CACHE = False
    assert selectors.stored_figures(world.party, YEAR, 3, AS_OF, by_cell=False) is None
    selectors.level(world.party, YEAR, 3, world.officer, AS_OF)
    selectors.dashboard(world.party, YEAR, 3, world.officer, AS_OF)
    assert not OrganizationFigures.objects.exists()


# --- Current right after each kind of change ----------------------------------------------------


def _bình_session(tree: dict[str, Organization], title: str = "Chuyên đề") -> Session:
    return Session.objects.get(cell=tree["binh"], title=title)


def _people(cell: Organization) -> list:
    return [m.member for m in Membership.objects.filter(organization=cell).select_related("member")]


def _hold(tree: dict[str, Organization]) -> None:
    """Chi bộ Bình holds its first session: a thematic meeting, everyone present, minutes approved."""
    session = _bình_session(tree)
    people = _people(tree["binh"])
    meeting = meetings.create_meeting(
        actor=None,
        cell=tree["binh"],
        kind=Meeting.Kind.THEMATIC,
        date=date(2026, 8, 12),
        start_time=time(7, 30),
        place="Hội trường",
        session=session,
    )
    meetings.open_record(actor=None, meeting=meeting, confirmed_without_notice=True)
    meetings.mark_all_present(actor=None, meeting=meeting)
    for name, value in (("chair", people[0].pk), ("minutes_secretary", people[1].pk), ("end_time", "09:30")):
        meetings.save_field(actor=None, meeting=meeting, name=name, value=str(value))
    presenter = people[0].pk
    meetings.add_speech(
        actor=None, meeting=meeting, member_id=presenter, kind=Speech.Kind.PRESENTATION, summary="Trình bày."
    )
    meetings.save_field(actor=None, meeting=meeting, name="conclusion", value="Chi bộ thống nhất.")
    meetings.record_vote(actor=None, meeting=meeting, mode="counts", votes_for=3, against=0, other=0)
    meetings.approve_minutes(actor=None, meeting=meeting)


def _attendance(tree: dict[str, Organization]) -> None:
    """Chi bộ Bình records a second regular meeting's attendance (one member late) and approves it."""
    people = _people(tree["binh"])
    meeting = meetings.create_meeting(
        actor=None,
        cell=tree["binh"],
        kind=Meeting.Kind.REGULAR,
        date=date(2026, 9, 5),
        start_time=time(7, 30),
        place="Hội trường",
    )
    meetings.open_record(actor=None, meeting=meeting, confirmed_without_notice=True)
    meetings.mark_all_present(actor=None, meeting=meeting)
    meetings.set_attendance(actor=None, meeting=meeting, member_id=people[2].pk, status="late")
    for name, value in (("chair", people[0].pk), ("minutes_secretary", people[1].pk), ("end_time", "09:30")):
        meetings.save_field(actor=None, meeting=meeting, name=name, value=str(value))
    meetings.approve_minutes(actor=None, meeting=meeting)


def _distribute(tree: dict[str, Organization]) -> None:
    """Chi bộ Bình's second session's draft is written, approved and sent to the members."""
    session = _bình_session(tree, "Chuyên đề 2")
    drafts.add_version(actor=None, session=session, text=TEXT)
    drafts.submit_draft(actor=None, session=session)
    drafts.approve_draft(actor=None, session=session)


def _comment(tree: dict[str, Organization]) -> None:
    """A member of Chi bộ Bình comments on its first session's draft (one who had not yet, if any)."""
    session = _bình_session(tree)
    version = drafts.distributed_version(session)
    commented = set(Comment.objects.filter(session=session).values_list("author_id", flat=True))
    presenters = set(session.presenters.values_list("pk", flat=True))
    readers = [m for m in _people(tree["binh"]) if m.pk not in presenters]
    author = next((m for m in readers if m.pk not in commented), readers[0])
    Comment.objects.create(session=session, version=version, current_version=version, author=author, body="Ý")


def _submit_report(tree: dict[str, Organization]) -> None:
    report = Report.objects.get(cell=tree["binh"], year=YEAR, quarter=3)
    services.save_text(actor=None, report=report, assessment="Đạt.", direction="")
    services.submit_report(actor=None, report=report, on=AS_OF)


def _add_member(tree: dict[str, Organization]) -> None:
    member_in(tree["binh"])


def _remove_member(tree: dict[str, Organization]) -> None:
    membership = Membership.objects.filter(organization=tree["binh"]).order_by("pk").last()
    organizations.end_membership(actor=None, membership=membership, end_date=date(2026, 10, 2))


def _submit_plan(tree: dict[str, Organization]) -> None:
    plan = tree["binh"].plans.get(year=YEAR)
    planning.submit_plan(actor=None, plan=plan, on=date(2026, 1, 10))


def _district(world: Any, tree: dict[str, Organization]) -> tuple[selectors.Figures, selectors.Counts]:
    figures, counts = _shown(world.party, by_cell=False)
    key = tree["district"].path
    return figures[key], counts[key]


CHANGES = {
    "session held": (_hold, lambda f, c: (f.held, f.meetings, f.thematic)),
    "attendance recorded": (_attendance, lambda f, c: (f.meetings, f.expected, f.late)),
    "draft distributed": (_distribute, lambda f, c: (f.drafts, f.readers, f.overdue_drafts)),
    "comment": (_comment, lambda f, c: (f.commented, f.comments)),
    "report submitted": (_submit_report, lambda f, c: c.no_report),
    "member added": (_add_member, lambda f, c: c.members),
    "member removed": (_remove_member, lambda f, c: c.members),
    "plan submitted": (_submit_plan, lambda f, c: c.no_plan),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_the_figures_are_current_right_after_each_kind_of_change(world, tree, frame_cache, change):
    """Looked at before the change (rows kept, the level cached), then at once after it: the district
    holding Chi bộ Bình (two levels down) shows the change, and every level equals the aggregates."""
    make, watched = CHANGES[change]
    before = watched(*_district(world, tree))
    _assert_current(world, tree)
    make(tree)
    assert watched(*_district(world, tree)) != before, change
    _assert_current(world, tree)


def test_only_the_changed_cell_is_computed_again(world, tree, shared_cache):
    """A change in Chi bộ Bình recomputes Bình's row alone: An's (altered here behind the tokens'
    back, to tell) is read as kept, and the change itself shows."""
    _shown(world.party, by_cell=False)
    OrganizationFigures.objects.filter(organization=tree["an"], quarter=3).update(planned=40)
    _comment(tree)
    figures, _counts = _shown(world.party, by_cell=True)
    assert figures[tree["an"].path].planned == 40
    assert figures[tree["binh"].path].comments == 2


def test_a_new_day_computes_every_row_again(world, tree, shared_cache):
    _shown(world.party, by_cell=False)
    OrganizationFigures.objects.filter(organization=tree["an"], quarter=3).update(planned=40)
    next_day = AS_OF + timedelta(days=1)
    assert _shown(world.party, by_cell=True, today=next_day) == _fresh(world.party, True, today=next_day)
    assert not OrganizationFigures.objects.filter(planned=40).exists()


def test_a_token_lost_from_the_cache_only_computes_again(world, tree, shared_cache):
    """Tokens evicted (a Redis restart): every row is stale, none is read as current."""
    _shown(world.party, by_cell=False)
    OrganizationFigures.objects.filter(organization=tree["an"], quarter=3).update(planned=40)
    cache.clear()
    assert _shown(world.party, by_cell=True) == _fresh(world.party, True)


def test_the_queries_do_not_grow_with_the_tree(world, tree, shared_cache):
    def queries_after_one_change() -> int:
        _shown(world.party, by_cell=False)
        _comment(tree)
        with CaptureQueriesContext(connection) as captured:
            _shown(world.party, by_cell=False)
        return len(captured)

    small = queries_after_one_change()
    for n in range(6):
        CellFactory.create(parent=tree["grassroots"], name=f"Chi bộ Thêm {n}")
    # A cold start (the new cells changed the tree: every row stale) once, then the usual.
    _shown(world.party, by_cell=False)
    assert queries_after_one_change() == small


def test_the_spreadsheet_reads_the_same_figures(world, tree, shared_cache):
    board = selectors.dashboard(world.party, YEAR, 3, world.officer, AS_OF)
    fresh, _counts = _fresh(world.party, by_cell=True)
    for row in board.rows:
        assert row.figures == fresh.get(row.cell.path, selectors.Figures()), row.cell.name
    assert OrganizationFigures.objects.filter(organization=tree["binh"], quarter=3).exists()


# --- A generated tree -------------------------------------------------------------------------


def test_a_generated_tree_gives_the_same_figures_both_ways(db, shared_cache):
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    call_command("generate_scale_data", "--preset", "tiny", "--seed", "3", stdout=StringIO())
    today = timezone.localdate()
    top = Organization.objects.filter(parent=None).exclude(kind=Organization.Kind.CELL)
    assert top.exists()
    compared = 0
    for party in list(top) + list(Organization.objects.filter(parent__in=top, children__isnull=False)):
        for year in (today.year - 1, today.year):
            for quarter in (None, 1, 2, 3, 4):
                for by_cell in (False, True):
                    stored = selectors.stored_figures(party, year, quarter, today, by_cell=by_cell)
                    assert stored is not None
                    got = (_nonzero(stored[0]), _nonzero(stored[1]))
                    grouping = selectors.Grouping(party=party, by_cell=by_cell)
                    want = (
                        _nonzero(selectors.grouped_figures(grouping, year, quarter, today)),
                        _nonzero(selectors._counts(grouping, year, quarter, today)),
                    )
                    assert got == want, (party.name, year, quarter, by_cell)
                    compared += bool(want[0])
    assert compared >= 10  # the generated tree has figures to compare


def test_writing_the_rows_makes_nothing_stale(world, tree, shared_cache):
    """The rows are not watched by home.invalidation: computing world.cell's again (its quality levels
    deleted and written) leaves it current, and the next look computes nothing."""
    from core import versions
    from home.invalidation import cell_names

    selectors.stored_figures(world.party, YEAR, 3, AS_OF, by_cell=False)
    versions.bump(cell_names(world.cell.pk))  # as any change to the cell does
    selectors.stored_figures(world.party, YEAR, 3, AS_OF, by_cell=False)
    with CaptureQueriesContext(connection) as captured:
        selectors.stored_figures(world.party, YEAR, 3, AS_OF, by_cell=False)
    assert not [q for q in captured.captured_queries if "planning_session" in q["sql"]]
    assert len(captured) == 4  # the organisations, the rows' versions, the two sums


def test_the_daily_command_fills_the_current_periods(world, tree, shared_cache):
    from io import StringIO

    import time_machine
    from django.core.management import call_command

    with time_machine.travel(AS_OF, tick=False):
        call_command("refresh_dashboard_figures", stdout=StringIO())
        with CaptureQueriesContext(connection) as captured:
            selectors.stored_figures(world.party, YEAR, 4, AS_OF, by_cell=False)
    below = Organization.objects.exclude(pk=world.party.pk).filter(path__startswith=world.party.path)
    kept = OrganizationFigures.objects.filter(organization__in=below, as_of=AS_OF)
    assert kept.filter(quarter=4).count() == kept.filter(quarter=0).count() == below.count()
    assert len(captured) == 4  # nothing left to compute


def test_the_daily_command_does_nothing_without_the_shared_cache(world, tree, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.FRAME_CACHE = False
    out = StringIO()
    call_command("refresh_dashboard_figures", stdout=out)
    assert "FRAME_CACHE" in out.getvalue()
    assert not OrganizationFigures.objects.exists()


def test_a_membership_computes_only_its_cell_again(world, tree, shared_cache):
    """A member added to Chi bộ Bình, then moved to Chi bộ An in the back office: each time only the
    cells concerned are computed again (Chi bộ Trống's row, altered behind the tokens' back, is read as
    kept), and the members counted follow."""
    from tests.factories import MembershipFactory

    _shown(world.party, by_cell=False)
    OrganizationFigures.objects.filter(organization=tree["empty"], quarter=3).update(planned=40)
    member = member_in(tree["binh"])
    figures, counts = _shown(tree["district"], by_cell=True)
    assert figures[tree["empty"].path].planned == 40
    assert (counts[tree["binh"].path].members, counts[tree["an"].path].members) == (4, 3)

    membership = Membership.objects.get(member=member)
    membership.organization = tree["an"]
    membership.save()
    figures, counts = _shown(tree["district"], by_cell=True)
    assert figures[tree["empty"].path].planned == 40
    assert (counts[tree["binh"].path].members, counts[tree["an"].path].members) == (3, 4)

    MembershipFactory(
        member=member_in(tree["empty"]), organization=tree["an"], kind=Membership.Kind.TEMPORARY
    )
    _figures, counts = _shown(tree["district"], by_cell=True)
    assert counts[tree["empty"].path].members == 1  # the new member's own cell, computed again


def test_a_change_to_the_tree_computes_every_row_again(world, tree, shared_cache):
    _shown(world.party, by_cell=False)
    OrganizationFigures.objects.filter(organization=tree["empty"], quarter=3).update(planned=40)
    tree["empty"].name = "Chi bộ Trống (đổi tên)"
    tree["empty"].save()
    assert _shown(world.party, by_cell=True) == _fresh(world.party, True)
