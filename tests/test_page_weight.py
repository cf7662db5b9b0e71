"""The member pages stay light enough for a weak signal (issue 11, item 8).

A cold load of the member's home, the reading page of the draft under comment (the demo's) and
meeting mode must not transfer more than 40 KB: the page's HTML gzip-compressed, plus every
stylesheet and script it links, compressed as WhiteNoise serves them (gzip; Brotli is smaller still).
How fast they paint is measured by ``make bench`` (bench/slow3g.py, BENCHMARKS.md), not here."""

import gzip
import re
from io import StringIO

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from meetings import services as meetings
from meetings.models import Meeting
from planning.models import Session

pytestmark = pytest.mark.django_db

BUDGET = 40_000  # bytes, compressed: HTML + CSS + JS of a cold load
LINKED = re.compile(r'<(?:link[^>]*rel="stylesheet"[^>]*href|script[^>]*src)="/static/([^"]+)"')


@pytest.fixture(scope="module")
def demo(module_transaction: None) -> None:
    call_command("load_demo", stdout=StringIO())


def weight(html: str) -> tuple[int, dict[str, int]]:
    """The compressed bytes of a cold load of ``html``: the page and each file it links."""
    parts = {"HTML": len(gzip.compress(html.encode(), compresslevel=9))}
    for name in LINKED.findall(html):
        path = finders.find(name)
        assert path, f"{name} is linked but is not a static file"
        with open(path, "rb") as file:
            parts[name] = len(gzip.compress(file.read(), compresslevel=9))
    return sum(parts.values()), parts


def page(client, login: str, path: str) -> str:
    client.force_login(User.objects.get(username=login))
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def assert_within_budget(html: str, *files: str) -> None:
    total, parts = weight(html)
    for name in files:
        assert name in parts, f"{name} is not linked: the page was not the one meant ({parts})"
    assert total <= BUDGET, f"{total} bytes compressed, more than {BUDGET}: {parts}"


def test_the_members_home_is_light(demo, client):
    html = page(client, "dangvien", reverse("home:home"))
    assert_within_budget(html, "chuyende/app.css")


def test_the_reading_page_of_the_draft_under_comment_is_light(demo, client):
    session = Session.objects.get(status=Session.Status.DISTRIBUTED)
    html = page(client, "dangvien", reverse("drafts:read", args=[session.pk]))
    assert "comment-form" in html  # the member can comment: the page with every form
    assert_within_budget(html, "chuyende/app.css", "chuyende/comments.js")


def test_meeting_mode_is_light(demo, client):
    meeting = Meeting.objects.get(status=Meeting.Status.SCHEDULED)
    secretary = User.objects.get(username="bithu")
    with time_machine.travel(meeting.starts_at, tick=True):  # the meeting begins
        meetings.open_record(actor=secretary, meeting=meeting)
        html = page(client, "bithu", reverse("meetings:record", args=[meeting.pk]))
    assert_within_budget(html, "chuyende/app.css", "chuyende/meeting.js")


def test_pages_are_sent_compressed(demo, client):
    client.force_login(User.objects.get(username="dangvien"))
    plain = client.get(reverse("home:home"))
    response = client.get(reverse("home:home"), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert response["Content-Encoding"] == "gzip"
    assert len(response.content) < len(plain.content) / 2


def test_the_budget_counts_what_is_linked():
    """The measure itself: a page linking a file counts the file."""
    bare = "<html><body>x</body></html>"
    linked = bare.replace("x", '<link rel="stylesheet" href="/static/chuyende/app.css">')
    assert weight(linked)[0] > weight(bare)[0] + 3000
