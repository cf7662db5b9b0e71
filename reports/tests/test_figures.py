"""The figures of a period against the ones computed by hand on the constructed history (conftest)."""

from datetime import date

import pytest

from reports.selectors import Figures, figures_by_cell, report_figures
from reports.tests.conftest import AS_OF, YEAR

pytestmark = pytest.mark.django_db


def test_quarter_figures_of_the_cell_are_the_hand_computed_ones(world, history):
    f = figures_by_cell([world.cell, world.other_cell], YEAR, 3, AS_OF)[world.cell.pk]

    # S1 held; S2 and S3 not held; S4 cancelled; S5 is in quarter 4.
    assert (f.planned, f.held, f.cancelled, f.not_held) == (3, 1, 1, 2)
    # Meetings A (thematic) and B (regular); the one being recorded and June's are not counted.
    assert (f.meetings, f.regular, f.thematic, f.combined) == (2, 1, 1, 0)
    # A: S, D (late), M, Q attended; P excused. B: S, D, P (late) attended; M unexcused.
    # E (exempted, even present), X (attached elsewhere) and Q when suspended are not expected.
    assert (f.expected, f.attended, f.late, f.excused, f.unexcused) == (9, 7, 2, 1, 1)
    assert f.attendance_rate == pytest.approx(100 * 7 / 9)
    # S1: S, D (a reply), P of S, D, P, X, Q (Q's deleted comment does not count); S2: M of S, M, P, X, Q.
    assert (f.drafts, f.readers, f.commented) == (2, 10, 4)
    assert f.comment_share == pytest.approx(40.0)
    # Top-level comments not deleted: three on S1 (answered), one on S2 (not answered).
    assert (f.comments, f.answered) == (4, 3)
    assert f.quality == {"tot": 1, "kha": 1}
    assert f.unassessed == 0
    assert f.resolutions == 1
    # Tasks due in Q3: 30/08 (done) and 20/09 (overdue on 5 October); 15/12 is due in Q4.
    assert (f.tasks, f.tasks_done, f.tasks_open, f.tasks_overdue) == (2, 1, 0, 1)
    # S3 (25/09): its draft was due ten days before and nothing was sent.
    assert f.overdue_drafts == 1


def test_quarter_figures_of_the_other_cell(world, history):
    f = figures_by_cell([world.cell, world.other_cell], YEAR, 3, AS_OF)[world.other_cell.pk]

    # O1 counts as held by its status alone (held before meetings were recorded).
    assert (f.planned, f.held, f.cancelled) == (2, 1, 0)
    # K and X (attached here) were expected and present.
    assert (f.meetings, f.expected, f.attended) == (1, 2, 2)
    assert f.attendance_rate == 100
    assert f.quality == {} and f.unassessed == 1
    assert (f.drafts, f.readers, f.comment_share) == (0, 0, None)
    assert (f.resolutions, f.tasks, f.overdue_drafts) == (0, 0, 1)


def test_what_is_overdue_depends_on_the_day_of_the_figures(world, history):
    f = figures_by_cell([world.cell], YEAR, 3, date(2026, 9, 10))[world.cell.pk]

    # On 10 September the task due 20/09 is open and S3's draft (due 15/09) is not late yet.
    assert (f.tasks, f.tasks_done, f.tasks_open, f.tasks_overdue) == (2, 1, 1, 0)
    assert f.overdue_drafts == 0


def test_year_figures_add_the_other_quarters(world, history):
    f = figures_by_cell([world.cell], YEAR, None, AS_OF)[world.cell.pk]

    assert (f.planned, f.held, f.cancelled) == (4, 1, 1)  # S5 of quarter 4 added
    # June's meeting: S, D, M, P, Q present, E exempted, X elsewhere.
    assert (f.meetings, f.regular, f.thematic) == (3, 2, 1)
    assert (f.expected, f.attended) == (14, 12)
    assert f.unassessed == 1
    # The third task (15/12) is not due yet.
    assert (f.tasks, f.tasks_done, f.tasks_open, f.tasks_overdue) == (3, 1, 1, 1)
    assert f.overdue_drafts == 1  # S5's draft is due 31/10


def test_a_cell_without_records_has_empty_figures(world, history):
    from tests.factories import CellFactory

    empty = CellFactory.create(parent=world.party)
    f = figures_by_cell([empty], YEAR, 3, AS_OF)[empty.pk]

    assert f == Figures()
    assert f.attendance_rate is None and f.comment_share is None


def test_report_figures_list_the_sessions_and_resolutions(world, history):
    data = report_figures(world.cell, YEAR, 3, AS_OF)

    assert [(line.title, line.status, line.held_on, line.quality) for line in data.sessions] == [
        ("Văn hóa Hồ Chí Minh về học tập", "resolution_issued", "2026-07-15", "tot"),
        ("Phòng, chống lãng phí", "cancelled", None, ""),
        ("Chuyển đổi số trong công tác đảng", "distributed", None, ""),
        ("Nâng cao năng lực giảng dạy", "planned", None, ""),
    ]
    assert data.sessions[0].presenters == "Lê Văn Đức"
    assert data.sessions[1].note == "Trùng lịch thi"
    [resolution] = data.resolutions
    assert (resolution.symbol, resolution.issued_on, resolution.tasks, resolution.done) == (
        "01-NQ/CB",
        "2026-07-25",
        3,
        1,
    )
    assert data.levels[:2] == [("tot", "Tốt"), ("kha", "Khá")]
    assert data.quality_rows == [("Tốt", 1), ("Khá", 1), ("Trung bình", 0), ("Kém", 0)]
    assert data.attendance_min == 85


def test_report_figures_survive_their_json(world, history):
    from reports.selectors import ReportFigures

    data = report_figures(world.cell, YEAR, 3, AS_OF)

    again = ReportFigures.from_dict(data.to_dict())
    assert again == data
    assert again.figures.attendance_rate == data.figures.attendance_rate
