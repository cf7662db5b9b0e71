"""The meeting room in real browsers (issue 15, "What must be shown", first bullet): one secretary and
five members on their own phones (360 × 740 contexts, each signed in as themselves) and the room screen
on a 1920 × 1080 display.

The cell: the secretary, the deputy and three full members with phones, a probationary member with a
phone, a full member temporarily attached to another cell and a full member exempted from activity who
stays away. So the Charter's adjusted total is 7 full members − 1 attached elsewhere − 1 exempted and
absent = 5, and 3 votes for are needed (meetings.rules.vote_basis); the 5 full members present may vote.

One meeting: check-in with the code of the secretary's phone (one member follows the QR code's link,
others type it; a wrong code and a second check-in refused; a late arrival once the start is more than
five minutes past), two requests to speak handled by the chair, a secret ballot during which a member's
connection drops and returns, the screen following, the minutes with the result. The record holds one
vote, so the next one at this meeting is another content (a motion, approving the minutes), whose result
the minutes print after it; the named vote on the resolution is taken at a second meeting the same day.

The members' pages update by themselves (room/static/room/live.js; room/tests/test_browser_live.py proves
it); here they are still reloaded where a step needs fresh state, and every expectation waits
(``expect``) rather than sleeps."""

import io
import re
import unicodedata
from datetime import timedelta
from typing import Any

import docx
import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django.utils.translation import pgettext_lazy
from playwright.sync_api import Page, expect

from accounts.models import User
from meetings import services as meetings
from meetings.models import Attendance, Meeting, Speech
from meetings.tests.helpers import PLACE, attendance_of, member_of, reload
from organizations.models import Member, Membership
from room import checkin
from room.models import Ballot, CheckIn, NamedVote, SecretVoter
from tests.browser import PASSWORD, assert_accessible, assert_no_horizontal_scroll, save_screenshot, url, vi
from tests.factories import ExemptionFactory, MembershipFactory, UserFactory, member_in

pytestmark = pytest.mark.browser

SCREEN = {"width": 1920, "height": 1080}
SCREEN_WAIT = 10_000  # ms: the screen polls every 2 s
SUBJECT = "Thông qua nghị quyết chuyên đề"
MOTION = "Đề nghị cấp ủy cấp trên khen thưởng đồng chí Hoàng Văn Nam"
MINUTES_MOTION = "Thông qua biên bản cuộc họp"
# The adjusted total and its parts as the minutes print them (meetings.documents.vote_sentence).
BASIS_SENTENCE = (
    "Tổng số đảng viên chính thức được triệu tập: 7 − 1 sinh hoạt tạm thời nơi khác − 1 được miễn sinh "
    "hoạt và vắng mặt; tổng số làm căn cứ biểu quyết: 5 đồng chí; nghị quyết được thông qua khi có ít "
    "nhất 3 đồng chí tán thành (quá một nửa)."
)


def pattern(message: str, fill: str = "(.+?)") -> re.Pattern[str]:
    """The Vietnamese of ``message`` as a regular expression, each ``%(name)s`` matching ``fill``."""
    parts = re.split(r"%\(\w+\)s", vi(message))
    return re.compile(fill.join(re.escape(part) for part in parts))


def choice_label(choice: str) -> str:
    return vi(pgettext_lazy("vote", choice))


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@pytest.fixture
def phones(browser: Any) -> Any:
    """Opens browser contexts (a phone by default), each with its own cookies and storage."""
    contexts: list[Any] = []

    def open_phone(viewport: dict[str, int] | None = None) -> Page:
        context = browser.new_context(
            viewport=viewport or {"width": 360, "height": 740},
            device_scale_factor=1 if viewport else 2,
            locale="vi-VN",
        )
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # "Close the vote and record its result?"
        return page

    yield open_phone
    for context in contexts:
        context.close()


def sign_in(page: Page, live_server: Any, login: str) -> Page:
    page.goto(url(live_server, "accounts:login"))
    page.locator("input[name=username]").fill(login)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(url(live_server, "home:home"))
    return page


def signed_in(page: Page, live_server: Any, login: str) -> Page:
    """The phone of ``login``, its session made as the sign-in page makes it (the secretary's phone
    goes through that page; the others start signed in, which saves a second each)."""
    client = Client()
    client.force_login(User.objects.get(username=login))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return page


def flash(page: Page) -> Any:
    return page.locator(".messages")


def check_in(page: Page, live_server: Any, meeting: Meeting, code: str) -> None:
    page.goto(url(live_server, "room:checkin", meeting.pk))
    page.locator("input[name=code]").fill(code)
    page.get_by_role("button", name=vi("Check in")).click()


def vote(page: Page, live_server: Any, meeting: Meeting, choice: str) -> None:
    page.goto(url(live_server, "room:vote", meeting.pk))
    page.get_by_label(choice_label(choice), exact=True).check()
    page.get_by_role("button", name=vi("Vote"), exact=True).click()


def post_as(page: Page, address: str, data: dict[str, str]) -> Any:
    """A POST made by the page's own session (its cookies and CSRF token), as a tampered form would."""
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    return page.request.post(address, form={**data, "csrfmiddlewaretoken": token}, max_redirects=0)


def minutes_text(page: Page, live_server: Any, meeting: Meeting) -> str:
    """The text of the minutes as they stand (the DOCX preview the record page links), downloaded by
    the secretary's browser: paragraphs, then each table's cells row by row."""
    answer = page.request.get(url(live_server, "meetings:minutes_file", meeting.pk, "docx"))
    assert answer.ok, answer.status
    document = docx.Document(io.BytesIO(answer.body()))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines.extend(" | ".join(cell.text for cell in row.cells) for row in table.rows)
    return nfc("\n".join(lines))


@pytest.fixture
def cell(world: Any) -> Any:
    """The world's cell with two more members with phones, one attached to another cell and one
    exempted from activity (neither of these two has a phone in the test)."""
    member_in(world.cell, user=UserFactory(username="lan", first_name="lan"), full_name="Ngô Thị Lan")
    member_in(world.cell, user=UserFactory(username="nam", first_name="nam"), full_name="Hoàng Văn Nam")
    away = member_in(world.cell, full_name="Đỗ Văn Xa")
    MembershipFactory(member=away, organization=world.other_cell, kind=Membership.Kind.TEMPORARY)
    ExemptionFactory(member=member_in(world.cell, full_name="Bùi Văn Nghỉ"))
    return world


def start_meeting(world: Any, start: Any) -> Meeting:
    """A regular meeting of the cell today at ``start`` (already come), its record open."""
    meeting = meetings.create_meeting(
        actor=world.secretary,
        cell=world.cell,
        kind=Meeting.Kind.REGULAR,
        date=start.date(),
        start_time=start.time().replace(second=0, microsecond=0),
        place=PLACE,
    )
    return meetings.open_record(actor=world.secretary, meeting=meeting, confirmed_without_notice=True)


def test_a_meeting_on_members_phones_check_in_speakers_a_secret_and_a_named_vote_the_screen_and_the_minutes(
    transactional_db: Any, live_server: Any, cell: Any, phones: Any
) -> None:
    world = cell
    now = timezone.localtime()
    meeting = start_meeting(world, now)
    later = start_meeting(world, now - timedelta(minutes=1))  # the named vote's (the record holds one)
    # The secretary marks himself and Hoàng Văn Nam by hand; the others check in from their phones.
    for member in Member.objects.filter(user__username__in=("bithu", "nam")):
        meetings.set_attendance(actor=world.secretary, meeting=meeting, member_id=member.pk, status="present")
    meetings.mark_all_present(actor=world.secretary, meeting=later)

    secretary = sign_in(phones(), live_server, "bithu")
    deputy = signed_in(phones(), live_server, "phobithu")
    duc = signed_in(phones(), live_server, "dangvien")
    mai = signed_in(phones(), live_server, "duby")  # probationary
    lan = signed_in(phones(), live_server, "lan")
    nam = signed_in(phones(), live_server, "nam")
    # The projector in the room runs on the account of whoever records the meeting: it shows the code.
    screen = signed_in(phones(SCREEN), live_server, "bithu")
    screen.goto(url(live_server, "room:screen", meeting.pk))
    # Expected: the six not exempted nor attached elsewhere; present so far: the two marked by hand.
    expect(screen.locator("#screen-present")).to_have_text("2 / 6")
    expect(screen.locator(".screen-qr svg")).to_be_visible()

    # --- Check-in ------------------------------------------------------------------------------------
    secretary.goto(url(live_server, "room:checkin_code", meeting.pk))
    code = secretary.locator(".checkin-code").inner_text().strip()
    assert re.fullmatch(r"[0-9]{6}", code)
    expect(secretary.locator("figure svg")).to_be_visible()
    assert_accessible(secretary)
    assert_no_horizontal_scroll(secretary)

    # The deputy scans the QR code: its link opens the check-in page with the code filled in.
    deputy.goto(url(live_server, "room:checkin", meeting.pk) + f"?ma={code}")
    expect(deputy.locator("input[name=code]")).to_have_value(code)
    deputy.get_by_role("button", name=vi("Check in")).click()
    expect(flash(deputy)).to_contain_text(pattern("Checked in at %(time)s."))
    expect(flash(deputy)).not_to_contain_text(pattern("Checked in at %(time)s, late."))

    # Phạm Thị Mai has the check-in page open twice (a second tab) and checks in from both.
    first_tab, second_tab = mai, mai.context.new_page()
    for tab in (first_tab, second_tab):
        tab.goto(url(live_server, "room:checkin", meeting.pk))
        tab.locator("input[name=code]").fill(code)
    first_tab.get_by_role("button", name=vi("Check in")).click()
    expect(flash(first_tab)).to_contain_text(pattern("Checked in at %(time)s."))
    assert_accessible(first_tab)
    assert_no_horizontal_scroll(first_tab)
    second_tab.get_by_role("button", name=vi("Check in")).click()
    # Refused: still one check-in, at its first time. Left out: the refusal's words. The server answers
    # "You are already marked present." as a form error, but room/checkin.html shows the member's
    # check-in instead of the form, and with it the error (reported to the lead, not fixed here).
    expect(second_tab.locator("main")).to_contain_text(pattern("You checked in at %(time)s."))
    second_tab.close()
    assert CheckIn.objects.filter(meeting=meeting, member=member_of(world.probationary)).count() == 1

    # Hoàng Văn Nam, marked present by the secretary, scans the code too: refused, and told why.
    nam.goto(url(live_server, "room:checkin", meeting.pk) + f"?ma={code}")
    nam.get_by_role("button", name=vi("Check in")).click()
    expect(nam.locator("main")).to_contain_text(vi("You are already marked present."))
    assert not CheckIn.objects.filter(meeting=meeting, member__full_name="Hoàng Văn Nam").exists()

    check_in(lan, live_server, meeting, code)
    expect(flash(lan)).to_contain_text(pattern("Checked in at %(time)s."))

    # Lê Văn Đức mistypes the code, then comes back after the start is more than five minutes past.
    wrong = next(c for c in ("123456", "654321", "111111") if not checkin.code_valid(meeting, c))
    check_in(duc, live_server, meeting, wrong)
    expect(duc.locator("main")).to_contain_text(
        vi("This code is not valid (it changes every few minutes); type the one shown now.")
    )
    assert Attendance.objects.get(meeting=meeting, member=member_of(world.member)).status == ""
    meetings.save_field(
        actor=world.secretary,
        meeting=meeting,
        name="start_time",
        value=(now - checkin.LATE_AFTER - timedelta(minutes=2)).strftime("%H:%M"),
    )
    check_in(duc, live_server, meeting, code)
    expect(flash(duc)).to_contain_text(pattern("Checked in at %(time)s, late."))

    statuses = dict(Attendance.objects.filter(meeting=meeting).values_list("member__full_name", "status"))
    assert statuses == {
        "Nguyễn Văn Bình": "present",  # by hand
        "Hoàng Văn Nam": "present",  # by hand
        "Trần Thị Hoa": "present",
        "Phạm Thị Mai": "present",
        "Ngô Thị Lan": "present",
        "Lê Văn Đức": "late",
        "Đỗ Văn Xa": "attached_elsewhere",
        "Bùi Văn Nghỉ": "exempted",
    }
    late = CheckIn.objects.get(meeting=meeting, member=member_of(world.member))
    assert late.late and not CheckIn.objects.filter(meeting=meeting, late=True).exclude(pk=late.pk).exists()
    expect(flash(duc)).to_contain_text(timezone.localtime(late.at).strftime("%H:%M"))
    expect(screen.locator("#screen-present")).to_have_text("6 / 6", timeout=SCREEN_WAIT)
    secretary.reload()
    expect(secretary.locator("main")).to_contain_text(
        vi("%(checked)s of %(expected)s expected members checked in from their phones.")
        % {"checked": 4, "expected": 6}
    )

    # --- Two requests to speak, handled by the chair -------------------------------------------------
    lan.goto(url(live_server, "room:speakers", meeting.pk))
    lan.get_by_role("button", name=vi("Ask to speak")).click()
    expect(flash(lan)).to_contain_text(vi("You are on the list of speakers."))
    duc.goto(url(live_server, "room:speakers", meeting.pk))
    duc.locator("input[name=about]").fill("Mục 2 của dự thảo")
    duc.get_by_role("button", name=vi("Ask to speak")).click()
    expect(duc.locator("#queue li")).to_have_count(2)
    expect(duc.locator("#queue li").first).to_contain_text("Ngô Thị Lan")
    expect(duc.locator("#queue li").last).to_contain_text("Lê Văn Đức")
    expect(duc.locator("#queue li").last).to_contain_text("Mục 2 của dự thảo")
    assert_accessible(duc)
    assert_no_horizontal_scroll(duc)
    expect(screen.locator("#screen-speakers li")).to_have_count(2, timeout=SCREEN_WAIT)
    expect(screen.locator("#screen-speakers li").first).to_contain_text("Ngô Thị Lan")

    secretary.goto(url(live_server, "room:speakers", meeting.pk))
    for speaker in ("Ngô Thị Lan", "Lê Văn Đức"):
        turn = secretary.locator("#queue li", has_text=speaker)
        turn.get_by_role("button", name=vi("Give the floor")).click()
        expect(flash(secretary)).to_contain_text(vi("The floor is given."))
        expect(screen.locator("#screen-speakers li.speaking")).to_contain_text(speaker, timeout=SCREEN_WAIT)
        turn.get_by_role("button", name=vi("End the turn")).click()  # the same line, now speaking
        expect(flash(secretary)).to_contain_text(vi("The speech is in the record."))
    assert_accessible(secretary)
    assert_no_horizontal_scroll(secretary)
    expect(secretary.locator("main")).to_contain_text(vi("Nobody has asked to speak."))
    speeches = list(Speech.objects.filter(meeting=meeting).select_related("member"))
    assert [s.speaker for s in speeches] == ["Ngô Thị Lan", "Lê Văn Đức"]
    spoke = pattern("Spoke from %(start)s to %(end)s.", fill=r"\d\d:\d\d").pattern
    on = re.escape(vi("On: %(about)s") % {"about": "Mục 2 của dự thảo"})
    assert re.fullmatch(spoke, speeches[0].summary), speeches[0].summary
    assert re.fullmatch(f"{spoke} {on}", speeches[1].summary), speeches[1].summary

    # --- The secret ballot -----------------------------------------------------------------------------
    secretary.goto(url(live_server, "room:vote", meeting.pk))
    secretary.locator("input[name=subject]").fill(SUBJECT)
    secretary.locator("input[name=secret]").check()
    secretary.get_by_role("button", name=vi("Open the vote")).click()
    expect(flash(secretary)).to_contain_text(vi("The vote is open: members can vote on their phones."))
    ballot = Ballot.objects.get(meeting=meeting)
    assert ballot.secret and ballot.is_open
    voted = screen.locator("#screen-voted")
    expect(voted).to_contain_text("0 trong 5", timeout=SCREEN_WAIT)

    # Ngô Thị Lan's connection drops once the vote page is open: her vote waits on the phone.
    lan.goto(url(live_server, "room:vote", meeting.pk))
    lan.context.set_offline(True)
    lan.get_by_label(choice_label("For"), exact=True).check()
    lan.get_by_role("button", name=vi("Vote"), exact=True).click()
    expect(lan.locator("#room-queue")).to_be_visible()
    expect(lan.locator("#room-queue")).to_contain_text(
        vi("No connection: your action is kept on this phone and will be sent when the connection returns.")
    )
    assert not SecretVoter.objects.filter(ballot=ballot).exists()

    vote(secretary, live_server, meeting, "For")
    vote(deputy, live_server, meeting, "For")
    vote(duc, live_server, meeting, "Against")
    receipt_message = pattern(
        "Your vote is counted. Your receipt: %(receipt)s. Keep it to check your vote was counted."
    )
    for page in (secretary, deputy, duc):
        expect(flash(page)).to_contain_text(receipt_message)
    expect(voted).to_contain_text("3 trong 5", timeout=SCREEN_WAIT)
    lan.context.set_offline(False)  # the connection returns: the queued vote is sent
    expect(flash(lan)).to_contain_text(receipt_message, timeout=15_000)
    found = receipt_message.search(flash(lan).inner_text())
    assert found is not None
    receipt = found.group(1)
    assert SecretVoter.objects.filter(ballot=ballot).count() == 4
    expect(lan.locator("#ballot")).to_contain_text(vi("You have voted."))
    expect(lan.locator("input[name=choice]")).to_have_count(0)
    expect(voted).to_contain_text("4 trong 5", timeout=SCREEN_WAIT)
    # A secret ballot on the screen: how many voted, never who voted what (nor the counts while open).
    vote_section = screen.locator(".screen-vote")
    expect(vote_section).to_contain_text(vi("Secret ballot"))
    expect(screen.locator(".screen-tally")).to_have_count(0)
    for name in ("Nguyễn Văn Bình", "Trần Thị Hoa", "Lê Văn Đức", "Ngô Thị Lan", "Hoàng Văn Nam"):
        expect(vote_section).not_to_contain_text(name)

    # The probationary member sees the vote, without a form, and why.
    mai.goto(url(live_server, "room:vote", meeting.pk))
    expect(mai.locator("#ballot")).to_contain_text(SUBJECT)
    expect(mai.locator("input[name=choice]")).to_have_count(0)
    expect(mai.locator("#ballot")).to_contain_text(
        vi("Probationary members and members attached here temporarily do not vote.")
    )

    # The chair closes with Hoàng Văn Nam still to vote: 3 for of the adjusted total 5, 3 needed.
    secretary.goto(url(live_server, "room:vote", meeting.pk))
    secretary.get_by_role("button", name=vi("Close the vote and record the result")).click()
    expect(flash(secretary)).to_contain_text(
        vi("Passed: %(for)s for, at least %(needed)s of %(total)s needed.")
        % {"for": 3, "needed": 3, "total": 5}
    )
    expect(secretary.locator("#basis")).to_be_visible()
    stored = reload(meeting)
    assert (stored.vote_mode, stored.votes_for, stored.votes_against, stored.votes_other) == (
        Meeting.VoteMode.COUNTS,
        3,
        1,
        0,
    )
    assert stored.vote_subject == SUBJECT and stored.vote_passed is True
    assert stored.vote_basis == {
        "full_members": 7,
        "attached_elsewhere": 1,
        "exempted_absent": 1,
        "suspended": 0,
        "detained": 0,
        "adjusted_total": 5,
        "needed": 3,
        "eligible_present": 5,
    }
    assert not stored.attendances.exclude(vote="").exists()  # a secret ballot names nobody's choice

    # The screen: the tally, then the result with the rule's parts.
    expect(screen.locator("#basis")).to_be_visible(timeout=SCREEN_WAIT)
    tally = screen.locator(".screen-tally")
    expect(tally.locator("dd")).to_have_text(["3", "1", "0"])
    expect(screen.locator(".screen-result")).to_contain_text(
        vi("%(for)s for, at least %(needed)s of %(total)s needed.") % {"for": 3, "needed": 3, "total": 5}
    )
    rows = screen.locator("#basis tr")
    expect(rows).to_have_text(
        [
            re.compile(re.escape(vi("Full members summoned")) + r"\s*7"),
            re.compile(re.escape(vi("temporarily attached to another cell")) + r"\s*−1"),
            re.compile(re.escape(vi("exempted and absent")) + r"\s*−1"),
            re.compile(re.escape(vi("suspended from activity")) + r"\s*0"),
            re.compile(re.escape(vi("prosecuted or detained")) + r"\s*0"),
            re.compile(re.escape(vi("Adjusted total")) + r"\s*5"),
            re.compile(re.escape(vi("Votes for needed to pass (more than half)")) + r"\s*3"),
            re.compile(re.escape(vi("Full members present who may vote")) + r"\s*5"),
        ]
    )
    for name in ("Nguyễn Văn Bình", "Trần Thị Hoa", "Lê Văn Đức", "Ngô Thị Lan"):
        expect(vote_section).not_to_contain_text(name)
    save_screenshot(screen, "room-screen-1920.png")
    assert_accessible(screen)
    assert_no_horizontal_scroll(screen, SCREEN["width"])
    # A projector does not scroll: the result with its parts fits the screen.
    assert screen.evaluate("document.documentElement.scrollHeight") <= SCREEN["height"]

    # Ngô Thị Lan checks her receipt: counted; a made-up one is not.
    lan.goto(url(live_server, "room:vote", meeting.pk))
    lan.locator("#receipt-code").fill(receipt.lower())
    lan.get_by_role("button", name=vi("Check"), exact=True).click()
    expect(lan.locator("#receipt")).to_contain_text(vi("This receipt was counted."))
    lan.locator("#receipt-code").fill("ABCDEFGHJK")
    lan.get_by_role("button", name=vi("Check"), exact=True).click()
    expect(lan.locator("#receipt")).to_contain_text(
        vi("No vote with this receipt was counted in this ballot.")
    )

    # The record holds its vote: what the meeting votes on next is another content (a motion), whose
    # result stays on its ballot and is printed in the minutes after the record's vote.
    expect(secretary.locator("input[name=motion]")).to_have_value("on")
    secretary.locator("input[name=subject]").fill(MINUTES_MOTION)
    secretary.get_by_role("button", name=vi("Open the vote")).click()
    expect(flash(secretary)).to_contain_text(vi("The vote is open: members can vote on their phones."))
    motion = Ballot.objects.get(meeting=meeting, motion=True)
    expect(screen.locator(".screen-vote")).to_contain_text(vi("Another content"), timeout=SCREEN_WAIT)
    vote(lan, live_server, meeting, "For")
    expect(flash(lan)).to_contain_text(vi("Your vote is counted."))
    vote(duc, live_server, meeting, "For")
    expect(flash(duc)).to_contain_text(vi("Your vote is counted."))
    secretary.goto(url(live_server, "room:vote", meeting.pk))
    secretary.get_by_role("button", name=vi("Close the vote and record the result")).click()
    expect(flash(secretary)).to_contain_text(
        vi("Not passed: %(for)s for, at least %(needed)s of %(total)s needed.")
        % {"for": 2, "needed": 3, "total": 5}
    )
    motion.refresh_from_db()
    assert motion.passed is False and motion.basis["adjusted_total"] == 5
    assert reload(meeting).votes_for == 3  # the record's vote as it was

    # The minutes print the result with the adjusted total, and the two speeches in order.
    text = minutes_text(secretary, live_server, meeting)
    assert f"Nội dung biểu quyết: {SUBJECT}." in text
    assert BASIS_SENTENCE in text
    assert (
        "Kết quả: tán thành 3/5 đồng chí (60,0%); không tán thành 1; ý kiến khác 0. Chi bộ thông qua." in text
    )
    assert text.index("Đồng chí Ngô Thị Lan: ") < text.index("Đồng chí Lê Văn Đức: ") < text.index(SUBJECT)
    assert f"Biểu quyết nội dung: {MINUTES_MOTION} (biểu quyết điện tử, biểu quyết công khai)." in text
    assert "Kết quả: tán thành 2/5 đồng chí (40,0%); không tán thành 0; ý kiến khác 0." in text
    assert text.index(SUBJECT) < text.index(MINUTES_MOTION)

    # --- The named vote, at the second meeting -------------------------------------------------------
    secretary.goto(url(live_server, "room:vote", later.pk))
    secretary.locator("input[name=subject]").fill(MOTION)
    expect(secretary.locator("input[name=secret]")).not_to_be_checked()
    secretary.get_by_role("button", name=vi("Open the vote")).click()
    named = Ballot.objects.get(meeting=later)
    assert not named.secret

    lan.goto(url(live_server, "room:vote", later.pk))
    expect(lan.locator("#ballot")).to_contain_text(vi("Named vote"))
    expect(lan.locator("input[name=choice]")).to_have_count(3)
    save_screenshot(lan, "room-member-vote.png")
    assert_accessible(lan)
    assert_no_horizontal_scroll(lan)

    choices = {
        secretary: "For",
        deputy: "Against",
        duc: "Other opinion",
        lan: "For",
        nam: "Against",
    }
    for page, choice in choices.items():
        vote(page, live_server, later, choice)
        expect(flash(page)).to_contain_text(vi("Your vote is counted."))
    expect(nam.locator("#ballot")).to_contain_text(vi("You have voted."))

    # The probationary member: no form, and a vote sent anyway is refused and not counted.
    mai.goto(url(live_server, "room:vote", later.pk))
    expect(mai.locator("input[name=choice]")).to_have_count(0)
    expect(mai.locator("#ballot")).to_contain_text(
        vi("Probationary members and members attached here temporarily do not vote.")
    )
    answer = post_as(mai, url(live_server, "room:vote_cast", named.pk), {"choice": "for"})
    assert answer.status == 403
    # Left out: the refusal's text. The view raises PermissionDenied with the rule's message, but
    # templates/403.html shows only its generic sentence (reported to the lead, not fixed here).
    assert NamedVote.objects.filter(ballot=named).count() == 5
    assert not NamedVote.objects.filter(ballot=named, member=member_of(world.probationary)).exists()

    secretary.goto(url(live_server, "room:vote", later.pk))
    expect(secretary.locator("#tally")).to_contain_text("5 trong 5")
    assert_accessible(secretary)  # the chair's view: the running tally and the close button
    assert_no_horizontal_scroll(secretary)
    secretary.get_by_role("button", name=vi("Close the vote and record the result")).click()
    expect(flash(secretary)).to_contain_text(
        vi("Not passed: %(for)s for, at least %(needed)s of %(total)s needed.")
        % {"for": 2, "needed": 3, "total": 5}
    )
    stored = reload(later)
    assert stored.vote_mode == Meeting.VoteMode.NAMED and stored.vote_passed is False
    kept = {a.member.full_name: a.vote for a in stored.attendances.select_related("member") if a.vote}
    assert kept == {
        "Nguyễn Văn Bình": "for",
        "Trần Thị Hoa": "against",
        "Lê Văn Đức": "other",
        "Ngô Thị Lan": "for",
        "Hoàng Văn Nam": "against",
    }
    assert attendance_of(stored, member_of(world.probationary)).vote == ""
    # The member's vote cannot be changed once closed: the page has no form any more.
    lan.goto(url(live_server, "room:vote", later.pk))
    expect(lan.locator("input[name=choice]")).to_have_count(0)

    text = minutes_text(secretary, live_server, later)
    assert BASIS_SENTENCE in text
    assert (
        "Kết quả: tán thành 2/5 đồng chí (40,0%); không tán thành 2; ý kiến khác 1. "
        "Không được thông qua (chưa quá một nửa)." in text
    )
    table = next(line for line in text.splitlines() if "Ngô Thị Lan" in line and " | " in line)
    for_cell, against_cell, other_cell = table.split(" | ")
    assert set(for_cell.split(", ")) == {"Ngô Thị Lan", "Nguyễn Văn Bình"}
    assert set(against_cell.split(", ")) == {"Hoàng Văn Nam", "Trần Thị Hoa"}
    assert other_cell == "Lê Văn Đức"
