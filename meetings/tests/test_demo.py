"""The meetings demo, as `make run` loads it: monthly meetings, held sessions with full records,
approved minutes, issued resolutions with done and open tasks, and an announced meeting to run."""

from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from meetings import selectors
from meetings.models import Meeting, Resolution, ResolutionTask
from organizations.demo import ARTICLE_CELL
from planning.models import Session

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(module_transaction: None) -> None:
    """Loaded once for the module's tests, which only read it."""
    call_command("load_demo", stdout=StringIO())


def test_the_cell_held_its_monthly_meetings_with_approved_minutes(demo):
    today = timezone.localdate()
    # Besides them, today's meeting is being recorded (the room's demo, room/tests/test_demo.py).
    regular = Meeting.objects.filter(
        cell__name=ARTICLE_CELL, kind=Meeting.Kind.REGULAR, date__year=today.year
    ).exclude(status=Meeting.Status.IN_PROGRESS, date=today)
    assert regular.count() == today.month - (0 if today.day > 5 else 1)
    assert set(regular.values_list("status", flat=True)) == {Meeting.Status.APPROVED}
    # One member missed two of them without a reason: the secretary is warned.
    last = regular.order_by("-date").first()
    assert "charter_art_8_near" in {c.code for c in selectors.checks(last)}


def test_held_sessions_have_full_records_and_issued_resolutions_with_done_and_open_tasks(demo):
    held = Meeting.objects.filter(session__isnull=False, status=Meeting.Status.APPROVED).annotate(
        speeches_count=Count("speeches")
    )
    assert held.count() >= 2
    for meeting in held:
        assert meeting.minutes_versions.count() == 1 and meeting.minutes_document is not None
        assert meeting.vote_passed and meeting.quality_level and meeting.speeches_count >= 3
        assert not meeting.attendances.filter(status="").exists()
    issued = Resolution.objects.filter(issued_at__isnull=False)
    assert issued.count() >= 2
    tasks = ResolutionTask.objects.filter(resolution__in=issued)
    assert tasks.filter(done_at__isnull=False).exists() and tasks.filter(done_at__isnull=True).exists()
    assert Session.objects.filter(status=Session.Status.FINAL_SUBMITTED).exists()


def test_the_next_meeting_is_announced_and_ready_to_run(demo, client):
    meeting = Meeting.objects.get(status=Meeting.Status.SCHEDULED)
    assert meeting.notice is not None and meeting.session.status == Session.Status.DISTRIBUTED
    client.force_login(User.objects.get(username="bithu"))
    home = client.get(reverse("home:home")).content.decode()
    assert reverse("meetings:detail", args=[meeting.pk]) in home
    with time_machine.travel(meeting.starts_at, tick=True):  # the day comes: the record can be opened
        client.force_login(User.objects.get(username="bithu"))
        page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert reverse("meetings:open", args=[meeting.pk]) in page
