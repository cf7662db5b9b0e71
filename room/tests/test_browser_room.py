"""The meeting room in real browsers (issue 15's main proof, as far as built): the secretary and members
on separate phones, the room screen on a 1920 × 1080 display. A member checks in with the code the
secretary's phone shows; the secretary opens a secret vote; a member whose connection drops votes
anyway and the vote arrives when it returns; the probationary member sees the vote without a form; a
member asks to speak and the chair ends the turn into the record; the screen follows by polling and
shows the result with the adjusted total."""

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from meetings import services as meetings
from meetings.models import Attendance, Meeting, Speech
from meetings.tests.helpers import member_of, open_meeting, reload
from room.models import Ballot, SecretVoter
from tests.browser import PASSWORD, assert_accessible, assert_no_horizontal_scroll, save_screenshot, vi

pytestmark = pytest.mark.browser


@pytest.fixture
def phones(browser: Any) -> Any:
    contexts: list[Any] = []

    def open_phone(width: int = 360, height: int = 740) -> Page:
        context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        return page

    yield open_phone
    for context in contexts:
        context.close()


def url(live_server: Any, name: str, *args: Any) -> str:
    return live_server.url + reverse(name, args=args)


def sign_in(page: Page, live_server: Any, login: str) -> None:
    page.goto(url(live_server, "accounts:login"))
    page.locator("input[name=username]").fill(login)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(url(live_server, "home:home"))


def test_check_in_a_secret_vote_with_a_dropped_connection_speakers_and_the_screen(
    transactional_db: Any, live_server: Any, world: Any, phones: Any
) -> None:
    meeting = open_meeting(world)
    for user in (world.secretary, world.deputy, world.probationary):
        meetings.set_attendance(
            actor=world.secretary, meeting=meeting, member_id=member_of(user).pk, status="present"
        )

    secretary = phones()
    sign_in(secretary, live_server, "bithu")
    member = phones()
    sign_in(member, live_server, "dangvien")
    probationary = phones()
    sign_in(probationary, live_server, "duby")
    deputy = phones()
    sign_in(deputy, live_server, "phobithu")
    screen = phones(1920, 1080)
    sign_in(screen, live_server, "duby")
    screen.goto(url(live_server, "room:screen", meeting.pk))
    expect(screen.locator("#screen-present")).to_contain_text("3 / 4")

    # Check-in: the code on the secretary's phone, typed on the member's.
    secretary.goto(url(live_server, "room:checkin_code", meeting.pk))
    code = secretary.locator(".checkin-code").inner_text().strip()
    expect(secretary.locator("figure svg")).to_be_visible()
    assert_accessible(secretary)
    member.goto(url(live_server, "room:checkin", meeting.pk))
    member.locator("input[name=code]").fill(code)
    member.get_by_role("button", name=vi("Check in")).click()
    expect(member.locator(".messages")).to_contain_text(vi("Checked in at %(time)s, late.").split("%")[0])
    assert Attendance.objects.get(meeting=meeting, member=member_of(world.member)).status == "late"
    expect(screen.locator("#screen-present")).to_contain_text("4 / 4")  # the screen followed

    # The secretary opens a secret vote.
    secretary.goto(url(live_server, "room:vote", meeting.pk))
    secretary.locator("input[name=subject]").fill("Thông qua nghị quyết chuyên đề")
    secretary.locator("input[name=secret]").check()
    secretary.get_by_role("button", name=vi("Open the vote")).click()
    ballot = Ballot.objects.get(meeting=meeting)
    assert ballot.secret

    # The member's connection drops as they vote: kept on the phone, sent when it returns.
    member.goto(url(live_server, "room:vote", meeting.pk))
    member.context.set_offline(True)
    member.get_by_label(vi("For"), exact=True).check()
    member.get_by_role("button", name=vi("Vote"), exact=True).click()
    expect(member.locator("#room-queue")).to_be_visible()
    assert not SecretVoter.objects.filter(ballot=ballot).exists()
    member.context.set_offline(False)
    expect(member.locator(".messages")).to_contain_text("Mã xác nhận", timeout=15000)
    assert SecretVoter.objects.filter(ballot=ballot).count() == 1
    save_screenshot(member, "room-member-vote.png")
    assert_accessible(member)
    assert_no_horizontal_scroll(member)

    # The probationary member sees the vote, without a form.
    probationary.goto(url(live_server, "room:vote", meeting.pk))
    expect(probationary.locator("#ballot")).to_contain_text("Thông qua nghị quyết chuyên đề")
    expect(probationary.locator("input[name=choice]")).to_have_count(0)

    deputy.goto(url(live_server, "room:vote", meeting.pk))
    deputy.get_by_label(vi("Against"), exact=True).check()
    deputy.get_by_role("button", name=vi("Vote"), exact=True).click()
    expect(deputy.locator(".messages")).to_contain_text("Mã xác nhận")
    expect(screen.locator("#screen-voted")).to_contain_text("2 trong 3")

    # A request to speak, handled by the chair.
    probationary.goto(url(live_server, "room:speakers", meeting.pk))
    probationary.locator("input[name=about]").fill("Mục 2 của dự thảo")
    probationary.get_by_role("button", name=vi("Ask to speak")).last.click()
    expect(probationary.locator("#queue")).to_contain_text("Phạm Thị Mai")
    assert_accessible(probationary)
    expect(screen.locator("#screen-speakers")).to_contain_text("Phạm Thị Mai")
    secretary.goto(url(live_server, "room:speakers", meeting.pk))
    secretary.get_by_role("button", name=vi("Give the floor")).click()
    secretary.get_by_role("button", name=vi("End the turn")).click()
    expect(secretary.locator(".messages")).to_contain_text(vi("The speech is in the record."))
    assert Speech.objects.get(meeting=meeting).summary.endswith("Mục 2 của dự thảo")

    # Closing: the result with the adjusted total, in the record and on the screen.
    secretary.goto(url(live_server, "room:vote", meeting.pk))
    secretary.get_by_role("button", name=vi("Close the vote and record the result")).click()
    expect(secretary.locator("#basis")).to_be_visible()
    stored = reload(meeting)
    assert (stored.vote_mode, stored.votes_for, stored.votes_against) == (Meeting.VoteMode.COUNTS, 1, 1)
    assert stored.vote_basis["adjusted_total"] == 3 and stored.vote_passed is False
    expect(screen.locator("#basis")).to_be_visible()
    save_screenshot(screen, "room-screen-1920.png")
    assert_accessible(screen)
