"""The quality level of a meeting follows the rule set's rubric, at its boundaries; bad points are
refused and the level kept."""

import pytest
from django.urls import reverse

from core.errors import DomainError
from meetings import rules, selectors, services
from meetings.tests.helpers import (
    reload,
)


def scores_totalling(rubric: rules.Rubric, total: int, *, short: str | None = None) -> dict[str, int]:
    """Points adding up to ``total``: the must-be-full criteria kept full as long as possible (``short``
    one point under its maximum), the others lowered first."""
    scores = {c.code: c.points for c in rubric.criteria}
    if short:
        scores[short] -= 1
    excess = sum(scores.values()) - total
    for criterion in sorted(rubric.criteria, key=lambda c: c.must_be_full):
        if criterion.code == short or excess <= 0:
            continue
        taken = min(excess, scores[criterion.code])
        scores[criterion.code] -= taken
        excess -= taken
    assert sum(scores.values()) == total
    return scores


def test_the_seeded_rubric_is_on_100_points_with_the_domains_must_be_full_criteria(world, regular):
    rubric = selectors.rubric_for(regular)
    assert rubric.total == 100
    assert {c.code for c in rubric.criteria if c.must_be_full} == {
        "attendance",
        "duration",
        "participation",
        "minutes",
    }
    assert [lv.label for lv in rubric.levels] == ["Tốt", "Khá", "Trung bình", "Kém"]


@pytest.mark.parametrize(
    ("total", "short", "label"),
    [
        (100, None, "Tốt"),
        (90, None, "Tốt"),
        (90, "attendance", "Khá"),
        (90, "minutes", "Khá"),
        (89, None, "Khá"),
        (70, None, "Khá"),
        (69, None, "Trung bình"),
        (50, None, "Trung bình"),
        (49, None, "Kém"),
        (0, None, "Kém"),
    ],
)
def test_quality_levels_at_the_boundaries(world, regular, total, short, label):
    rubric = selectors.rubric_for(regular)
    scores = scores_totalling(rubric, total, short=short)
    assessment = services.score_quality(actor=world.secretary, meeting=regular, scores=scores)
    assert (assessment.score, assessment.level.label) == (total, label)
    meeting = reload(regular)
    level = next(lv for lv in rubric.levels if lv.label == label)
    assert (meeting.quality_score, meeting.quality_level) == (total, level.code)
    assert meeting.quality_scores == scores
    assert selectors.quality_label(meeting) == label


def test_points_out_of_range_or_unknown_criteria_are_refused_and_the_level_kept(world, regular):
    rubric = selectors.rubric_for(regular)
    full = {c.code: c.points for c in rubric.criteria}
    services.score_quality(actor=world.secretary, meeting=regular, scores=full)
    revision = reload(regular).revision
    for bad in (
        {**full, "attendance": full["attendance"] + 1},
        {**full, "duration": -1},
        {**full, "punctuality": 5},
    ):
        with pytest.raises(DomainError):
            services.score_quality(actor=world.secretary, meeting=regular, scores=bad)
    meeting = reload(regular)
    assert (meeting.quality_score, meeting.quality_level, meeting.quality_scores) == (100, "tot", full)
    assert meeting.revision == revision


def test_a_level_below_what_the_points_reach_says_which_criteria_kept_it_there(client, world, regular):
    rubric = selectors.rubric_for(regular)
    attendance = next(c for c in rubric.criteria if c.code == "attendance")
    scores = scores_totalling(rubric, 98, short="attendance")
    services.score_quality(actor=world.secretary, meeting=regular, scores=scores)
    shortfall = selectors.quality_shortfall(reload(regular))
    assert shortfall is not None and shortfall.level == "Tốt" and shortfall.criteria == [attendance.label]
    client.force_login(world.secretary)
    page = client.get(reverse("meetings:record", args=[regular.pk])).content.decode()
    assert f"Chưa đạt “Tốt” vì chưa đạt điểm tối đa ở: {attendance.label}." in page
    # A level the points themselves give needs no explanation.
    services.score_quality(
        actor=world.secretary, meeting=regular, scores=scores_totalling(rubric, 80, short=None)
    )
    assert selectors.quality_shortfall(reload(regular)) is None
