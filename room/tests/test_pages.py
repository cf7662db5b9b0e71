"""The electronic vote's page on a phone: the chair opens a secret vote, members vote and check their
receipt, the probationary member sees the vote without a form, the chair closes it and the page shows
the result with the adjusted total; the page's queries do not grow with the members of the meeting."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import services as meetings
from meetings.tests.helpers import open_meeting, reload
from room.models import Ballot
from tests.factories import UserFactory, member_in


@pytest.fixture
def meeting(world):
    meeting = open_meeting(world)
    meetings.mark_all_present(actor=world.secretary, meeting=meeting)
    return reload(meeting)


def page(client, user, meeting, **params):
    client.force_login(user)
    return client.get(reverse("room:vote", args=[meeting.pk]), params)


def post(client, user, name, pk, data=None):
    client.force_login(user)
    return client.post(reverse(name, args=[pk]), data or {}, follow=True)


def test_a_secret_vote_from_opening_to_the_recorded_result(client, world, meeting):
    opened = post(
        client, world.secretary, "room:vote_open", meeting.pk, {"subject": "Nghị quyết", "secret": "on"}
    )
    assert "Open a vote" not in opened.content.decode() and "Mở biểu quyết" not in opened.content.decode()
    ballot = Ballot.objects.get(meeting=meeting)
    assert ballot.secret and ballot.is_open

    voted = post(client, world.member, "room:vote_cast", ballot.pk, {"choice": "for"})
    text = voted.content.decode()
    receipt = re.search(r"\b([A-Z2-9]{10})\b", text)
    assert receipt, text
    assert 'name="choice"' not in text  # voted: no second form
    checked = page(client, world.member, meeting, receipt=receipt.group(1).lower())
    assert checked.context["receipt_counted"] is True
    assert page(client, world.member, meeting, receipt="AAAAAAAAAA").context["receipt_counted"] is False

    # The probationary member sees the vote, with the reason and no form; casting anyway is refused.
    seen = page(client, world.probationary, meeting)
    assert seen.status_code == 200 and 'name="choice"' not in seen.content.decode()
    assert seen.context["standing"].reason
    client.force_login(world.probationary)
    refused = client.post(reverse("room:vote_cast", args=[ballot.pk]), {"choice": "for"})
    assert refused.status_code == 403
    assert (
        "Đảng viên dự bị và đảng viên sinh hoạt tạm thời tại chi bộ không biểu quyết."
        in refused.content.decode()
    )

    post(client, world.deputy, "room:vote_cast", ballot.pk, {"choice": "for"})
    closed = post(client, world.secretary, "room:vote_close", ballot.pk)
    stored = reload(meeting)
    assert (stored.vote_mode, stored.votes_for, stored.votes_against, stored.votes_other) == (
        "counts",
        2,
        0,
        0,
    )
    assert stored.vote_passed is True
    # The result with the rule's parts: 3 full members, 2 needed.
    assert closed.context["result"].basis.adjusted_total == 3 and closed.context["result"].basis.needed == 2
    assert 'id="basis"' in closed.content.decode()


def test_a_second_vote_from_the_page_is_refused_with_a_message(client, world, meeting):
    post(client, world.secretary, "room:vote_open", meeting.pk, {"subject": "Kiến nghị"})
    ballot = Ballot.objects.get(meeting=meeting)
    assert not ballot.secret
    post(client, world.member, "room:vote_cast", ballot.pk, {"choice": "against"})
    again = post(client, world.member, "room:vote_cast", ballot.pk, {"choice": "for"})
    messages = [str(m) for m in again.context["messages"]]
    assert len(messages) == 1 and "Đồng chí đã biểu quyết rồi." in messages[0]
    assert ballot.named_votes.get().choice == "against"


def test_the_page_makes_as_many_queries_with_30_more_members(client, world):
    def count(meeting) -> int:
        page(client, world.member, meeting)  # warm the caches of the session and the scope
        with CaptureQueriesContext(connection) as captured:
            assert page(client, world.member, meeting).status_code == 200
        return len(captured)

    from room import services

    first = open_meeting(world)
    meetings.mark_all_present(actor=world.secretary, meeting=first)
    ballot = services.open_ballot(actor=world.secretary, meeting=first, subject="Nghị quyết", secret=False)
    services.cast_vote(actor=world.deputy, ballot=ballot, choice="for")
    few = count(first)
    services.close_ballot(actor=world.secretary, ballot=ballot)
    for i in range(30):
        member_in(world.cell, full_name=f"Nguyễn Văn Số {i:02d}", user=UserFactory(username=f"so{i}"))
    from datetime import timedelta

    from meetings.tests.helpers import yesterday

    second = open_meeting(world, day=yesterday() - timedelta(days=1))
    meetings.mark_all_present(actor=world.secretary, meeting=second)
    ballot = services.open_ballot(actor=world.secretary, meeting=second, subject="Nghị quyết", secret=False)
    for user in (
        world.deputy,
        world.secretary,
        *[UserFactory._meta.model.objects.get(username=f"so{i}") for i in range(10)],
    ):
        services.cast_vote(actor=user, ballot=ballot, choice="for")
    assert count(second) == few


def test_after_the_records_vote_the_page_opens_a_motion_and_shows_its_own_result(client, world, meeting):
    from room import services

    first = services.open_ballot(actor=world.secretary, meeting=meeting, subject="Nghị quyết", secret=False)
    for user in (world.secretary, world.deputy, world.member):
        services.cast_vote(actor=user, ballot=first, choice="for")
    services.close_ballot(actor=world.secretary, ballot=first)

    form = page(client, world.secretary, meeting).content.decode()
    assert '<input type="hidden" name="motion" value="on">' in form
    assert "lần biểu quyết này là nội dung khác" in form
    # The form as the page draws it (no "motion" checkbox to tick): a motion, not a refusal.
    post(
        client,
        world.secretary,
        "room:vote_open",
        meeting.pk,
        {"subject": "Thông qua biên bản", "motion": "on"},
    )
    motion = Ballot.objects.get(meeting=meeting, motion=True)
    post(client, world.deputy, "room:vote_cast", motion.pk, {"choice": "against"})
    post(client, world.member, "room:vote_cast", motion.pk, {"choice": "against"})
    closed = post(client, world.secretary, "room:vote_close", motion.pk)

    shown = closed.context["result"]
    assert (shown.passed, shown.votes_for, shown.basis.adjusted_total) == (False, 0, 3)
    html = closed.content.decode()
    assert "Nội dung khác" in html and "Không thông qua" in html
    # The record's vote is as it was: 3 for, passed.
    stored = reload(meeting)
    assert (stored.votes_for, stored.vote_passed) == (3, True)
    screen = client.get(reverse("room:screen", args=[meeting.pk])).content.decode()
    assert "Nội dung khác" in screen and "Không thông qua" in screen
