"""The drafts demo: one draft in each state, with realistic text, as `make run` loads it."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from drafts import services
from drafts.models import Comment, Distribution, Review
from planning.models import Session

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(module_transaction: None) -> None:
    """Loaded once for the module's tests, which only read it (whether the demo sends e-mail is
    checked in test_demo_email.py, where the loading happens inside the test)."""
    call_command("load_demo", stdout=StringIO())


def test_there_is_a_draft_in_each_state(demo):
    statuses = set(Session.objects.filter(draft_versions__isnull=False).values_list("status", flat=True))
    assert {
        Session.Status.DRAFTING,
        Session.Status.RETURNED,
        Session.Status.DISTRIBUTED,
        Session.Status.HELD,
    } <= statuses
    returned = Session.objects.get(status=Session.Status.RETURNED)
    assert "học viên Lào" in Review.objects.get(session=returned, decision=Review.Decision.RETURNED).remarks


def test_the_draft_under_comment_has_comments_and_members_who_have_not_commented(demo, client):
    session = Session.objects.get(status=Session.Status.DISTRIBUTED)
    progress = services.progress(session)
    assert any(p.comments for p in progress) and any(not p.comments for p in progress)
    client.force_login(User.objects.get(username="duby"))
    home = client.get(reverse("home:home")).content.decode()
    assert session.title in home  # to read and comment on
    page = client.get(reverse("drafts:read", args=[session.pk])).content.decode()
    assert "Quy tắc ứng xử" in page


def test_the_answered_draft_has_a_response_to_every_comment(demo):
    session = Distribution.objects.get(session__status=Session.Status.HELD).session
    assert Comment.objects.filter(session=session, parent=None).count() == 3
    assert services.unanswered_comments(session) == 0


def test_one_comment_under_comment_was_handed_in_on_paper(demo, client):
    session = Session.objects.get(status=Session.Status.DISTRIBUTED)
    paper = Comment.objects.get(session=session, on_paper=True)
    assert paper.author.full_name == "Tôn Nữ Minh Châu" and paper.recorded_by.username == "bithu"
    client.force_login(User.objects.get(username="bithu"))
    page = client.get(reverse("drafts:paper", args=[session.pk])).content.decode()
    assert "Tôn Nữ Minh Châu" in page and "thư viện điện tử" in page
