"""The vote rule, the attendance checks and the quality rubric on constructed cases (docs/domain.md §3)."""

from datetime import date

import pytest
from django.utils import translation

from core.seeds import HD12_HD42
from meetings.rules import (
    DETAINED,
    EXCUSED,
    EXEMPTED,
    LATE,
    PRESENT,
    SUSPENDED,
    UNEXCUSED,
    InvalidCount,
    Rubric,
    Voter,
    assess,
    attendance_rate,
    expected_at_meeting,
    longest_absence_run,
    meeting_checks,
    tally,
    unexcused_months,
    vote_basis,
)

PARAMS = HD12_HD42["params"]


def voters(full=0, probationary=0, **groups):
    """``full`` ordinary full members present, plus groups of special ones: name=(count, Voter kwargs)."""
    result, n = [], 0
    for _ in range(full):
        n += 1
        result.append(Voter(n, full=True))
    for _ in range(probationary):
        n += 1
        result.append(Voter(n, full=False))
    for count, kwargs in groups.values():
        for _ in range(count):
            n += 1
            result.append(Voter(n, **{"full": True, **kwargs}))
    return result


def test_the_example_of_the_domain_25_full_1_attached_2_exempted_absent_needs_12():
    basis = vote_basis(
        voters(
            22, elsewhere=(1, {"attached_elsewhere": True}), away=(2, {"exempted": True, "present": False})
        )
    )
    assert (basis.full_members, basis.adjusted_total, basis.needed) == (25, 22, 12)
    assert tally(basis, votes_for=12, against=10, other=0).passed
    assert not tally(basis, votes_for=11, against=11, other=0).passed


def test_half_exactly_is_not_more_than_half():
    basis = vote_basis(voters(10))
    assert basis.needed == 6
    assert not tally(basis, votes_for=5, against=5, other=0).passed


def test_an_odd_total_needs_the_next_whole_vote():
    basis = vote_basis(voters(9))
    assert basis.needed == 5 and tally(basis, votes_for=5, against=4, other=0).passed


def test_probationary_members_never_count_nor_vote():
    basis = vote_basis(voters(3, probationary=12))
    assert (basis.adjusted_total, basis.needed, basis.eligible_present) == (3, 2, 3)
    with pytest.raises(InvalidCount):
        tally(basis, votes_for=10, against=0, other=0)


def test_a_cell_where_all_members_but_three_are_probationary():
    basis = vote_basis(voters(3, probationary=7))
    assert tally(basis, votes_for=2, against=1, other=0).passed
    assert not tally(basis, votes_for=1, against=1, other=1).passed


def test_exempted_members_who_attend_count_and_vote():
    basis = vote_basis(voters(8, came=(2, {"exempted": True, "present": True})))
    assert (basis.adjusted_total, basis.needed, basis.eligible_present) == (10, 6, 10)


def test_exempted_members_who_stay_away_are_left_out_of_the_total():
    basis = vote_basis(voters(8, away=(2, {"exempted": True, "present": False})))
    assert (basis.exempted_absent, basis.adjusted_total, basis.needed) == (2, 8, 5)


def test_ordinary_absent_members_stay_in_the_total():
    basis = vote_basis(voters(6, absent=(4, {"present": False})))
    assert (basis.adjusted_total, basis.needed, basis.eligible_present) == (10, 6, 6)
    assert tally(basis, votes_for=6, against=0, other=0).passed
    assert not tally(
        basis, votes_for=5, against=1, other=0
    ).passed  # a majority of those present is not enough


def test_a_member_attached_to_another_cell_is_left_out():
    basis = vote_basis(voters(7, elsewhere=(1, {"attached_elsewhere": True, "present": False})))
    assert (basis.attached_elsewhere, basis.adjusted_total, basis.needed) == (1, 7, 4)


def test_suspended_and_detained_members_are_left_out_and_cannot_vote():
    basis = vote_basis(
        voters(10, suspended=(1, {"suspended": True}), detained=(1, {"detained": True, "present": False}))
    )
    assert (basis.suspended, basis.detained, basis.adjusted_total, basis.eligible_present) == (1, 1, 10, 10)


def test_counts_above_the_eligible_voters_present_are_refused():
    basis = vote_basis(voters(5, absent=(3, {"present": False})))
    with pytest.raises(InvalidCount):
        tally(basis, votes_for=4, against=1, other=1)
    with pytest.raises(InvalidCount):
        tally(basis, votes_for=-1, against=0, other=0)


def test_the_parts_of_the_computation_are_told_in_words():
    basis = vote_basis(
        voters(
            22, elsewhere=(1, {"attached_elsewhere": True}), away=(2, {"exempted": True, "present": False})
        )
    )
    with translation.override("en"):
        parts = basis.parts()
    assert parts[0] == ("Full members summoned", 25) and parts[-1] == ("Adjusted total", 22)
    assert sum(value for _label, value in parts[:-1]) == 22


# --- Attendance --------------------------------------------------------------------------------


def test_who_is_expected_at_a_meeting():
    def expected(status, exempted=False, attached_elsewhere=False):
        return expected_at_meeting(status, exempted=exempted, attached_elsewhere=attached_elsewhere)

    assert expected(PRESENT) and expected(LATE) and expected(EXCUSED) and expected(UNEXCUSED)
    assert not expected(PRESENT, exempted=True)  # welcome when they come, never expected
    assert not expected(UNEXCUSED, attached_elsewhere=True)  # they attend at the other cell
    assert not expected(SUSPENDED) and not expected(DETAINED)


def test_attendance_rate_leaves_exempted_members_out():
    assert attendance_rate([PRESENT, LATE, EXCUSED, EXEMPTED]) == pytest.approx(200 / 3)
    assert attendance_rate([EXEMPTED]) is None


def test_the_longest_absence_run_ignores_exempted_meetings():
    assert longest_absence_run([PRESENT, EXCUSED, UNEXCUSED, EXEMPTED, EXCUSED, PRESENT, EXCUSED]) == 3


def test_unexcused_absences_count_distinct_months():
    history = [
        (date(2026, 1, 5), UNEXCUSED),
        (date(2026, 1, 20), UNEXCUSED),
        (date(2026, 3, 2), UNEXCUSED),
        (date(2026, 4, 1), EXCUSED),
    ]
    assert unexcused_months(history) == 2


def test_meeting_checks_report_each_rule():
    statuses = {"An": PRESENT, "Bình": PRESENT, "Chi": UNEXCUSED, "Dung": EXCUSED, "Hà": EXEMPTED}
    histories = {
        "Chi": [(date(2026, m, 10), UNEXCUSED) for m in (2, 5, 9)],
        "Dung": [(date(2026, m, 10), EXCUSED) for m in (6, 7, 8, 9)],
        "Bình": [(date(2026, m, 10), UNEXCUSED) for m in (4, 9)],
    }
    with translation.override("en"):
        checks = meeting_checks(
            statuses=statuses, minutes_held=80, combined=False, histories=histories, params=PARAMS
        )
    codes = [c.code for c in checks]
    assert codes == [
        "duration",
        "attendance",
        "unexcused",
        "charter_art_8_near",
        "charter_art_8",
        "consecutive_absences",
    ]
    assert next(c for c in checks if c.code == "charter_art_8").severity == "alert"
    assert "Chi" in next(c for c in checks if c.code == "unexcused").message


def test_a_combined_meeting_needs_120_minutes():
    checks = meeting_checks(statuses={}, minutes_held=100, combined=True, histories={}, params=PARAMS)
    assert [c.code for c in checks] == ["duration"]
    assert meeting_checks(statuses={}, minutes_held=120, combined=True, histories={}, params=PARAMS) == []


# --- Quality level ---------------------------------------------------------------------------


RUBRIC = Rubric.from_params(PARAMS["quality_rubric"])
FULL = {c.code: c.points for c in RUBRIC.criteria}


def with_total(total: int, **overrides: int) -> dict[str, int]:
    """Full marks on the must-be-full criteria, and the rest taken from the others down to ``total``."""
    scores = {**FULL, **overrides}
    excess = sum(scores.values()) - total
    for c in RUBRIC.criteria:
        if not c.must_be_full and c.code not in overrides and excess > 0:
            taken = min(excess, scores[c.code])
            scores[c.code] -= taken
            excess -= taken
    assert sum(scores.values()) == total
    return scores


def test_the_shipped_rubric_totals_100_points():
    assert RUBRIC.total == 100


@pytest.mark.parametrize(
    ("total", "level"),
    [
        (100, "tot"),
        (90, "tot"),
        (89, "kha"),
        (70, "kha"),
        (69, "trung_binh"),
        (50, "trung_binh"),
        (49, "kem"),
        (0, "kem"),
    ],
)
def test_levels_at_each_boundary(total, level):
    scores = (
        with_total(total)
        if total >= 60
        else {c: 0 for c in FULL}
        | {
            "attendance": min(total, 20),
            "participation": max(0, min(total - 20, 20)),
            "minutes": max(0, min(total - 40, 10)),
        }
    )
    assert sum(scores.values()) == total
    assert assess(RUBRIC, scores).level.code == level


def test_ninety_points_without_full_attendance_is_not_tot():
    result = assess(RUBRIC, with_total(95, attendance=15))
    assert result.score == 95 and result.level.code == "kha"
    assert [c.code for c in result.not_full] == ["attendance"]


def test_points_outside_a_criterion_are_refused():
    with pytest.raises(InvalidCount):
        assess(RUBRIC, {**FULL, "duration": 11})


def test_points_with_decimals_are_refused_so_the_level_matches_what_is_stored():
    # 5.5 + 9.5 with the rest full is 90 on paper, but only whole points are stored and printed.
    non_full = [c for c in RUBRIC.criteria if not c.must_be_full][:2]
    scores = {**FULL, non_full[0].code: non_full[0].points - 4.5, non_full[1].code: non_full[1].points - 0.5}
    with pytest.raises(InvalidCount) as refused:
        assess(RUBRIC, scores)
    assert non_full[0].label in str(refused.value)
    whole = {**FULL, non_full[0].code: non_full[0].points - 5, non_full[1].code: non_full[1].points - 1}
    assert assess(RUBRIC, whole).score == 94
    assert assess(RUBRIC, {**FULL, "duration": 10.0}).score == 100  # 10.0 is a whole number
