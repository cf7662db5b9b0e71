"""The evaluations demo: evaluated sessions with lessons, a year of participation, a review under way."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from evaluations import participation, review
from evaluations.models import ReviewRound, SessionEvaluation
from organizations.demo import ARTICLE_CELL
from organizations.models import Organization

pytestmark = pytest.mark.django_db


def test_sessions_are_evaluated_and_the_members_have_a_year_of_participation():
    call_command("load_demo", stdout=StringIO())
    assert SessionEvaluation.objects.count() >= 2
    assert all(e.lesson_lines for e in SessionEvaluation.objects.all())
    cell = Organization.objects.get(name=ARTICLE_CELL)
    year = timezone.localdate().year
    members = review.roster(cell, year)
    records = participation.records(members, year)
    assert sum(r.meetings for r in records.values()) > 50
    assert any(r.unexcused for r in records.values()) and any(r.comments for r in records.values())
    assert any(r.presented and r.presented[0].evaluation for r in records.values())
    current = ReviewRound.objects.get(cell=cell, year=year)
    assert current.status == ReviewRound.Status.DRAFT and 0 < current.proposals.count() < len(members)
