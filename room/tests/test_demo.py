"""The room's demo, as `make run` loads it: today's meeting of the article's cell is being recorded, its
page links to the check-in code and the room screen, and a demo member checks in with the code."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from meetings.models import Attendance, Meeting
from organizations.demo import ARTICLE_CELL
from room import checkin

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(module_transaction: None) -> None:
    """Loaded once for the module; each test runs in its own savepoint inside it."""
    call_command("load_demo", stdout=StringIO())


@pytest.fixture
def demo(loaded: None) -> Meeting:
    return Meeting.objects.get(cell__name=ARTICLE_CELL, status=Meeting.Status.IN_PROGRESS)


def test_todays_meeting_is_open_for_check_in_with_the_secretary_present(demo):
    assert demo.date == timezone.localdate() and demo.has_started
    assert Meeting.objects.filter(status=Meeting.Status.IN_PROGRESS).count() == 1
    marked = dict(
        Attendance.objects.filter(meeting=demo)
        .exclude(status="")
        .values_list("member__user__username", "status")
    )
    assert marked.get("bithu") == "present"
    # Everyone else is still to check in (or is exempted / attached elsewhere, as the roster says).
    assert "dangvien" not in marked and "phobithu" not in marked


def test_the_meeting_page_links_to_the_code_and_the_screen_for_the_secretary(demo, client):
    client.force_login(User.objects.get(username="bithu"))
    page = client.get(reverse("meetings:detail", args=[demo.pk])).content.decode()
    assert reverse("room:checkin_code", args=[demo.pk]) in page
    assert reverse("room:screen", args=[demo.pk]) in page
    code_page = client.get(reverse("room:checkin_code", args=[demo.pk])).content.decode()
    assert checkin.current_code(demo).code in code_page


def test_a_demo_member_checks_in_with_the_code_once(demo, client):
    client.force_login(User.objects.get(username="dangvien"))
    # The member's home page says the meeting is on and leads to the check-in, as the meeting's page does.
    home = client.get(reverse("home:home")).content.decode()
    assert "Đang họp" in home and reverse("room:checkin", args=[demo.pk]) in home
    page = client.get(reverse("meetings:detail", args=[demo.pk])).content.decode()
    assert reverse("room:checkin", args=[demo.pk]) in page
    url = reverse("room:checkin", args=[demo.pk])
    client.post(url, {"code": checkin.current_code(demo).code})
    attendance = Attendance.objects.get(meeting=demo, member__user__username="dangvien")
    assert attendance.status in ("present", "late")
    response = client.post(url, {"code": checkin.current_code(demo).code}, follow=True)
    assert "đã điểm danh" in response.content.decode().lower()


def test_loading_again_changes_nothing(demo):
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "nothing changed" in out.getvalue()
    assert Meeting.objects.filter(status=Meeting.Status.IN_PROGRESS).count() == 1
