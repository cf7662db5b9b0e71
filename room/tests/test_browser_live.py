"""Live updates on a member's phone in a real Chromium (poll mode, as the tests' live server serves):
the member waits on the vote page while the secretary opens the vote on her own phone; the ballot's
form appears without a reload; another member's vote updates the count in place; a vote closed while
the member has a choice made in the form waits until they leave it. And once in stream mode, against a
real uvicorn and Redis: the page follows through server-sent events and never polls."""

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from meetings import services as meetings
from meetings.tests.helpers import open_meeting
from room import services
from room.models import Ballot
from room.tests import test_live
from tests.browser import PASSWORD, vi

pytestmark = pytest.mark.browser

SOON = 3000  # ms: the issue asks for 2 s; one poll of slack


@pytest.fixture
def phone(browser: Any) -> Any:
    contexts: list[Any] = []

    def open_phone(live_server: Any, login: str) -> Page:
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        page.goto(live_server.url + reverse("accounts:login"))
        page.locator("input[name=username]").fill(login)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        expect(page).to_have_url(live_server.url + reverse("home:home"))
        return page

    yield open_phone
    for context in contexts:
        context.close()


def test_the_vote_reaches_the_waiting_member_without_a_reload(
    transactional_db: Any, live_server: Any, world: Any, phone: Any
) -> None:
    meeting = open_meeting(world)
    meetings.mark_all_present(actor=world.secretary, meeting=meeting)
    vote_page = live_server.url + reverse("room:vote", args=[meeting.pk])

    member = phone(live_server, "dangvien")
    member.goto(vote_page)
    expect(member.locator("#ballot")).to_have_count(0)
    member.evaluate("window.sameDocument = true")  # gone if the page is loaded again

    # The secretary opens the vote on her phone; the member's page shows its form.
    secretary = phone(live_server, "bithu")
    secretary.goto(vote_page)
    secretary.locator("input[name=subject]").fill("Thông qua nghị quyết chuyên đề")
    secretary.get_by_role("button", name=vi("Open the vote")).click()
    expect(secretary.locator("#ballot")).to_be_visible()
    ballot = Ballot.objects.get(meeting=meeting)
    expect(member.locator("#cast-form")).to_be_visible(timeout=SOON)
    expect(member.locator("#ballot-subject")).to_have_text("Thông qua nghị quyết chuyên đề")
    assert member.evaluate("window.sameDocument") is True

    # Another member votes: the count changes in place (the form the member sees stays as it is).
    voted = member.locator('[data-live="ballot.voted"]')
    expect(voted).to_have_text("0")
    expect(member.locator('[data-live="ballot.eligible"]')).to_have_text("3")
    member.evaluate("document.getElementById('cast-form').dataset.kept = 'yes'")
    services.cast_vote(actor=world.deputy, ballot=ballot, choice="for")
    expect(voted).to_have_text("1", timeout=SOON)
    assert member.evaluate("document.getElementById('cast-form').dataset.kept") == "yes"

    # The member has made a choice, still in the form, when the chair closes the vote: the page
    # waits for them, then shows the result once they leave the form.
    member.get_by_label(vi("Against"), exact=True).check()
    services.close_ballot(actor=world.secretary, ballot=ballot)
    member.wait_for_timeout(SOON)
    expect(member.locator("#cast-form")).to_be_visible()
    expect(member.get_by_label(vi("Against"), exact=True)).to_be_checked()
    member.locator("h1").click()  # leaves the form
    expect(member.locator("#cast-form")).to_have_count(0, timeout=SOON)
    expect(member.locator("#basis")).to_be_visible()
    assert member.evaluate("window.sameDocument") is True


def test_the_speakers_page_follows_the_queue(
    transactional_db: Any, live_server: Any, world: Any, phone: Any
) -> None:
    meeting = open_meeting(world)
    meetings.mark_all_present(actor=world.secretary, meeting=meeting)
    member = phone(live_server, "dangvien")
    member.goto(live_server.url + reverse("room:speakers", args=[meeting.pk]))
    expect(member.locator("#queue")).to_have_count(0)
    from room import speakers

    turn = speakers.request_floor(actor=world.deputy, meeting=meeting, about="Đoạn 2")
    expect(member.locator("#queue")).to_contain_text("Trần Thị Hoa", timeout=SOON)
    speakers.give_floor(actor=world.secretary, request=turn)
    expect(member.locator("#queue")).to_contain_text(vi("Has the floor"), timeout=SOON)


uvicorn_server = test_live.uvicorn_server  # the app under uvicorn in stream mode


def test_in_stream_mode_the_page_follows_the_room_through_server_sent_events(
    uvicorn_server: str, world: Any, browser: Any, settings: Any
) -> None:
    settings.LIVE_UPDATES, settings.LIVE_REDIS_URL = "stream", test_live.REDIS_URL  # this process tells
    meeting = open_meeting(world)
    meetings.mark_all_present(actor=world.secretary, meeting=meeting)

    # Signed in by its session cookie: the server checks passwords with other hashers than the tests'.
    base = f"http://{uvicorn_server}"
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    name, value = test_live._session_cookie(world.member).split("=", 1)
    context.add_cookies([{"name": name, "value": value, "url": base}])
    try:
        member = context.new_page()
        asked: list[str] = []
        member.on("request", lambda request: asked.append(request.url))
        member.goto(base + reverse("room:vote", args=[meeting.pk]))
        stream_url = reverse("room:stream", args=[meeting.pk])
        given = member.locator("[data-live-root]").get_attribute("data-stream-url") or ""
        assert given.startswith(stream_url + "?t=")  # the reader's token (room/live.py stream_url)
        member.wait_for_timeout(500)  # the stream opens

        ballot = services.open_ballot(
            actor=world.secretary, meeting=meeting, subject="Nghị quyết", secret=True
        )
        expect(member.locator("#cast-form")).to_be_visible(timeout=SOON)
        services.cast_vote(actor=world.deputy, ballot=ballot, choice="for")
        expect(member.locator('[data-live="ballot.voted"]')).to_have_text("1", timeout=SOON)
        assert any(url.endswith(given) for url in asked)
        assert not any(reverse("room:state", args=[meeting.pk]) in url for url in asked)  # no polling
    finally:
        context.close()
