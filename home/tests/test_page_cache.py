"""Member and session pages kept rendered per viewer (core.pages): a second visit is answered from the
shared cache without rendering; every change shows at once to every viewer who has the page cached;
nothing personal — a name, a control, a CSRF token — ever reaches another person; an unchanged page
answers 304 to its ETag.

Every test runs with the frame cache on, in local memory, emptied before each test.
"""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse

from drafts import services as drafts
from drafts.models import Comment
from meetings import services as meetings
from meetings.models import Attendance
from tests import scenarios

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CLIENT_ID = re.compile(r'name="client_id" value="([0-9a-f-]{36})"')


def same(page: str) -> str:
    """A page without what every answer makes its own (the CSRF token, the comment forms' ids)."""
    return CLIENT_ID.sub("", TOKEN.sub("", page))


@pytest.fixture(autouse=True)
def frame_cache(settings):
    settings.FRAME_CACHE = True
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "page-tests"}
    }
    cache.clear()
    yield
    cache.clear()


def signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def queries(client: Client, url: str) -> int:
    found: list[str] = []

    def record(execute, sql, params, many, context):
        found.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert client.get(url).status_code == 200
    return len(found)


def test_a_second_visit_is_answered_from_the_cache_without_rendering(world):
    session = scenarios.session_at(world, "distributed")
    meeting = scenarios.regular_meeting(world, "approved")
    member = scenarios.record(world.member)
    client = signed_in(world.member)
    for url in (
        reverse("planning:session", args=[session.pk]),
        reverse("drafts:read", args=[session.pk]),
        reverse("meetings:detail", args=[meeting.pk]),
        reverse("evaluations:record", args=[member.pk]),
    ):
        first = queries(client, url)  # renders (and fills the frame)
        rendered = html(client, url)
        second = queries(client, url)
        again = html(client, url)
        # Only the sign-in, the permission-checked object and what must run on every visit (the
        # reading page records a first open): nothing the page shows is read again.
        assert second <= 8, (url, second)
        assert second < first, url
        assert same(again) == same(rendered), url


# --- Every change shows at once to every viewer ------------------------------------------------


def _comment(world, session, body="Đề nghị bổ sung ví dụ thực tế.") -> Comment:
    return drafts.add_comment(actor=world.secretary, session=session, body=body)


Change = tuple[Callable[..., Any], Callable[..., Any], str]
CHANGES: dict[str, Change] = {
    # name: (prepare, change, what the page shows after it)
    "a new comment": (
        lambda world, session: None,
        lambda world, session, _: _comment(world, session, "Góp ý mới về phần ba."),
        "Góp ý mới về phần ba.",
    ),
    "a reply": (
        _comment,
        lambda world, session, parent: drafts.add_comment(
            actor=world.deputy, session=session, body="Tôi đồng ý với ý kiến này.", parent=parent
        ),
        "Tôi đồng ý với ý kiến này.",
    ),
    "an edit": (
        _comment,
        lambda world, session, comment: drafts.edit_comment(
            actor=world.secretary, comment=comment, body="Góp ý đã sửa lại."
        ),
        "Góp ý đã sửa lại.",
    ),
    "an answer": (
        _comment,
        lambda world, session, comment: drafts.respond(
            actor=world.member, comment=comment, decision="not_accepted", explanation="Đã có ở phần hai."
        ),
        "Đã có ở phần hai.",
    ),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_change_to_the_comments_shows_at_once_to_every_reader(world, change):
    prepare, act, shown = CHANGES[change]
    session = scenarios.session_at(world, "distributed")
    made = prepare(world, session)
    url = reverse("drafts:read", args=[session.pk])
    readers = [signed_in(world.probationary), signed_in(world.member)]
    for reader in readers:
        html(reader, url)
        assert shown not in html(reader, url)  # cached now
    act(world, session, made)
    for reader in readers:
        assert shown in html(reader, url)


def test_a_deleted_comment_leaves_every_readers_page_at_once(world):
    session = scenarios.session_at(world, "distributed")
    comment = _comment(world, session, "Góp ý sẽ bị xóa.")
    url = reverse("drafts:read", args=[session.pk])
    readers = [signed_in(world.probationary), signed_in(world.member)]
    for reader in readers:
        html(reader, url)
        assert "Góp ý sẽ bị xóa." in html(reader, url)
    drafts.delete_comment(actor=world.secretary, comment=comment)
    for reader in readers:
        assert "Góp ý sẽ bị xóa." not in html(reader, url)


def test_a_draft_approved_and_distributed_shows_on_the_session_page_of_every_member(world):
    session = scenarios.session_at(world, "submitted")
    url = reverse("planning:session", args=[session.pk])
    readers = [signed_in(world.probationary), signed_in(world.deputy)]
    before = [same(html(reader, url)) for reader in readers]
    assert [same(html(reader, url)) for reader in readers] == before  # from the cache now
    drafts.approve_draft(actor=world.secretary, session=session)
    for reader, old in zip(readers, before, strict=True):
        new = html(reader, url)
        assert same(new) != old
        assert reverse("drafts:read", args=[session.pk]) in new


def test_a_new_version_shows_on_the_reading_page_at_once(world):
    session = scenarios.session_at(world, "revising")
    url = reverse("drafts:read", args=[session.pk])
    reader = signed_in(world.probationary)
    html(reader, url)
    assert "Bản cuối cùng đã được duyệt." not in html(reader, url)
    drafts.add_version(actor=None, session=session, text="Bản cuối cùng đã được duyệt.")
    drafts.submit_final(actor=None, session=session)
    drafts.approve_final(actor=None, session=session)
    assert "Bản cuối cùng đã được duyệt." in html(reader, url)


def test_attendance_and_approved_minutes_show_at_once_on_the_minutes_and_the_record(world):
    meeting = scenarios.regular_meeting(world, "ready")
    member = scenarios.record(world.member)
    minutes = reverse("meetings:detail", args=[meeting.pk])
    record = reverse("evaluations:record", args=[member.pk])
    readers = [signed_in(world.member), signed_in(world.secretary)]
    seen = {}
    for reader in readers:
        for url in (minutes, record):
            html(reader, url)
            seen[reader, url] = same(html(reader, url))

    meetings.set_attendance(
        actor=world.secretary, meeting=meeting, member_id=member.pk, status=Attendance.Status.UNEXCUSED
    )
    for reader in readers:
        assert same(html(reader, minutes)) != seen[reader, minutes]
        seen[reader, minutes] = same(html(reader, minutes))

    meetings.approve_minutes(actor=world.secretary, meeting=meeting)
    for reader in readers:
        assert same(html(reader, minutes)) != seen[reader, minutes]
        assert same(html(reader, record)) != seen[reader, record]


# --- Nothing personal reaches another person ---------------------------------------------------


def test_two_readers_of_one_cached_page_each_see_only_their_own_name_controls_and_token(world):
    session = scenarios.session_at(world, "distributed")
    drafts.add_comment(actor=world.probationary, session=session, body="Góp ý của đảng viên dự bị.")
    url = reverse("drafts:read", args=[session.pk])
    author = signed_in(world.probationary)
    other = signed_in(world.deputy)
    html(author, url)
    mine = html(author, url)  # from the cache
    html(other, url)
    theirs = html(other, url)

    edit = reverse("drafts:comment_edit", args=[Comment.objects.get().pk])
    assert edit in mine and edit not in theirs  # only the author may edit
    assert "duby" in mine and "duby" not in theirs  # the name in the menu
    assert "phobithu" in theirs and "phobithu" not in mine

    for client, page in ((author, mine), (other, theirs)):
        tokens = set(TOKEN.findall(page))
        assert tokens
        secret = client.cookies["csrftoken"].value
        assert {_unmask_cipher_token(token) for token in tokens} == {secret}
    assert not set(TOKEN.findall(mine)) & set(TOKEN.findall(theirs))


def test_the_token_of_a_cached_page_is_accepted_by_the_next_post(world):
    session = scenarios.session_at(world, "distributed")
    url = reverse("drafts:read", args=[session.pk])
    reader = signed_in(world.probationary, enforce_csrf_checks=True)
    html(reader, url)
    token = TOKEN.findall(html(reader, url))[0]  # the page from the cache
    response = reader.post(
        reverse("drafts:comment_add", args=[session.pk]),
        {"csrfmiddlewaretoken": token, "body": "Góp ý gửi từ trang đã lưu.", "anchor": ""},
    )
    assert response.status_code == 302
    assert Comment.objects.filter(body="Góp ý gửi từ trang đã lưu.").exists()
    page = html(reader, url)
    assert "Góp ý gửi từ trang đã lưu." in page
    assert "msg-success" in page  # the message after the POST is shown, not a page kept from before


# --- Conditional GET -------------------------------------------------------------------------


def test_an_unchanged_page_answers_304_to_its_etag_and_a_changed_one_answers_in_full(world):
    session = scenarios.session_at(world, "distributed")
    url = reverse("drafts:read", args=[session.pk])
    reader = signed_in(world.probationary)
    first = reader.get(url)
    etag = first["ETag"]
    assert "private" in first["Cache-Control"] and "no-cache" in first["Cache-Control"]
    assert reader.get(url, headers={"if-none-match": etag}).status_code == 304
    # Another viewer's ETag is not this viewer's.
    other = signed_in(world.deputy)
    assert other.get(url, headers={"if-none-match": etag}).status_code == 200

    _comment(world, session, "Góp ý sau lần xem trước.")
    again = reader.get(url, headers={"if-none-match": etag})
    assert again.status_code == 200
    assert "Góp ý sau lần xem trước." in again.content.decode()


def test_two_answers_of_one_cached_page_never_share_a_comment_id(world):
    """A comment form's client_id makes a resent comment count once: two tabs opened on one cached
    page must not carry the same id, or the second comment would be taken for the first and lost."""
    session = scenarios.session_at(world, "distributed")
    _comment(world, session)  # a reply form too
    url = reverse("drafts:read", args=[session.pk])
    reader = signed_in(world.probationary)
    html(reader, url)
    first, second = CLIENT_ID.findall(html(reader, url)), CLIENT_ID.findall(html(reader, url))
    assert len(first) == len(second) > 1
    assert len(set(first)) == len(first)  # one id per form
    assert not set(first) & set(second)
    for client_id, body in ((first[-1], "Góp ý từ thẻ thứ nhất."), (second[-1], "Góp ý từ thẻ thứ hai.")):
        response = reader.post(
            reverse("drafts:comment_add", args=[session.pk]),
            {"body": body, "anchor": "", "client_id": client_id},
        )
        assert response.status_code == 302
    assert Comment.objects.filter(body__startswith="Góp ý từ thẻ").count() == 2


def test_every_comment_form_of_the_reading_page_posts_to_the_comment_address(world):
    session = scenarios.session_at(world, "distributed")
    _comment(world, session)
    page = html(signed_in(world.probationary), reverse("drafts:read", args=[session.pk]))
    forms = re.findall(r'<form method="post" action="([^"]*)"[^>]*data-queue', page)
    assert len(forms) > 2  # the reply form, a form per paragraph, the whole-draft form
    assert set(forms) == {reverse("drafts:comment_add", args=[session.pk])}
