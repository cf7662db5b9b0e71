"""One thematic session's whole cycle in a real Chromium, person by person, each starting from the home
page (issue 11: a journey per persona with tap counts).

The secretary assigns the presenter of next year's planned session; the presenter uploads a Word draft
and submits it; the deputy secretary approves and sends it; a probationary member comments on it on a
360-px phone; the secretary plans the meeting and issues its notice, then on the meeting's day runs
meeting mode (attendance, presentation, conclusion, vote) and approves the minutes; the presenter
answers the comment and submits the final text; the deputy approves it; the secretary issues the
resolution and evaluates the session.

After each step the next person opens the app on the home page: the step waiting for them is in the
block "Cần đồng chí xử lý" (#work-queue), and ONE tap on it lands on the page whose form completes it
(its submit button is visible). Every step of the cycle is in the queue, planning the meeting and
starting its record included.

Every tap (click, box ticked, confirmation accepted) and every field filled (typed, chosen in a list,
file picked) goes through the ``Person`` wrappers, which count them per person; ``-s`` shows the
totals. Signing in is counted apart: a person signs in once on their phone, not at each step.
"""

import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Locator, Page, expect

from conftest import HCM, World
from meetings.models import Meeting
from planning.models import Session
from tests import scenarios
from tests.browser import (
    PASSWORD,
    assert_accessible,
    assert_no_horizontal_scroll,
    save_screenshot,
    url,
    vi,
    watch_policy_violations,
)

# The cycle's taps, without signing in: about 50 in the walk before issue 11, whose goal is a third fewer
# (33). That walk had no confirmations; the same issue asks for them (item 6: distribute, issue the
# notice, approve and lock the minutes, approve the final text, issue the resolution), so the goal is
# checked on the taps besides the confirmations' "OK", and the total is kept from growing.
TAP_BUDGET = 33
# What the cycle takes today (2026-12-03): 37 taps, 5 of them on a confirmation's OK. Lower this number
# whenever a step gets shorter.
TAPS_NOW = 37
COMMENT = "Đề nghị bổ sung ví dụ về học tập suốt đời của Bác."
CONCLUSION = "Chi bộ thống nhất cao với nội dung chuyên đề."
TASK = "Xây dựng giờ giảng mẫu về học tập suốt đời"
RESULTS = "Chi bộ thống nhất nội dung chuyên đề; giao đảng viên vận dụng vào công tác."


@dataclass
class Tally:
    taps: Counter[str] = field(default_factory=Counter)
    fields: Counter[str] = field(default_factory=Counter)
    sign_in_taps: Counter[str] = field(default_factory=Counter)
    sign_in_fields: Counter[str] = field(default_factory=Counter)
    confirmations: Counter[str] = field(default_factory=Counter)  # also counted in taps
    questions: list[str] = field(default_factory=list)  # what each confirmation asked

    def report(self) -> str:
        lines = [f"{'persona':<12} {'taps':>5} {'OK taps':>8} {'fields':>7} (signing in: taps, fields)"]
        for name in self.taps | self.fields | self.sign_in_taps:
            lines.append(
                f"{name:<12} {self.taps[name]:>5} {self.confirmations[name]:>8} {self.fields[name]:>7} "
                f"({self.sign_in_taps[name]}, {self.sign_in_fields[name]})"
            )
        lines.append(
            f"{'total':<12} {self.taps.total():>5} {self.confirmations.total():>8} {self.fields.total():>7} "
            f"({self.sign_in_taps.total()}, {self.sign_in_fields.total()})"
        )
        return "\n".join([*lines, "Confirmations (OK):", *self.asked()])

    def asked(self) -> list[str]:
        return [f"  {question}" for question in self.questions]


class Person:
    """One persona on their own device; every tap and filled field goes through here and is counted."""

    def __init__(self, name: str, page: Page, live_server: Any, tally: Tally):
        self.name, self.page, self.live_server, self.tally = name, page, live_server, tally
        self._signing_in = False
        # A confirmation ("Approve and send…?") is one more tap, on its OK.
        page.on("dialog", self._confirm)

    def _confirm(self, dialog: Any) -> None:
        self._count_tap()
        self.tally.confirmations[self.name] += 1
        self.tally.questions.append(f"{self.name}: {dialog.message}")
        dialog.accept()

    def _count_tap(self) -> None:
        (self.tally.sign_in_taps if self._signing_in else self.tally.taps)[self.name] += 1

    def _count_field(self) -> None:
        (self.tally.sign_in_fields if self._signing_in else self.tally.fields)[self.name] += 1

    def tap(self, target: Locator) -> None:
        target.click()
        self._count_tap()

    def check(self, target: Locator) -> None:
        target.check()
        self._count_tap()

    def fill(self, target: Locator, value: str) -> None:
        target.fill(value)
        self._count_field()

    def choose(self, target: Locator, **option: str) -> None:
        target.select_option(**option)
        self._count_field()

    def pick_file(self, target: Locator, path: Path) -> None:
        target.set_input_files(path)
        self._count_field()

    def sign_in(self) -> None:
        self._signing_in = True
        self.page.goto(url(self.live_server, "accounts:login"))
        self.fill(self.page.locator("input[name=username]"), self.name)
        self.fill(self.page.locator("input[name=password]"), PASSWORD)
        self.tap(self.page.locator("main button[type=submit]"))
        expect(self.page).to_have_url(url(self.live_server, "home:home"))
        self._signing_in = False

    def open_app(self) -> None:
        """Opens the application on the home page, as from the phone's bookmark or a notification;
        signs in again when the login has expired (the meeting comes months after the draft)."""
        self.page.goto(url(self.live_server, "home:home"))
        if self.page.url.startswith(url(self.live_server, "accounts:login")):
            self.sign_in()

    def work_item(self, action: str) -> Locator:
        return (
            self.page.locator("#work-queue li")
            .filter(has_text=vi(action))
            .filter(has_text=scenarios.SESSION_TITLE)
        )

    def from_home(self, action: str, lands_on: str, button: str, *args: Any) -> None:
        """Opens the app: ``action`` waits in "Cần đồng chí xử lý"; one tap on it lands on ``lands_on``
        (a URL name with ``args``) where the button ``button`` that completes it is visible."""
        self.open_app()
        item = self.work_item(action)
        expect(item, f"{self.name}'s work queue offers “{vi(action)}”").to_have_count(1)
        self.tap(item.locator("a"))
        address = url(self.live_server, lands_on, *args)
        expect(self.page).to_have_url(re.compile("^" + re.escape(address) + r"(\?[^#]*)?(#.*)?$"))
        expect(self.page.get_by_role("button", name=vi(button)).first).to_be_visible()

    def button(self, name: str, translated: bool = False) -> Locator:
        return self.page.get_by_role("button", name=name if translated else vi(name), exact=True)

    def success(self, text: str) -> None:
        expect(self.page.locator("main .msg-success")).to_contain_text(text)


@pytest.fixture
def planned(transactional_db: None, live_server: Any, world: World) -> Session:
    """Next year's plan of the personas' cell, with its session planned on 10 February at 14:00 and
    no presenter yet."""
    session = scenarios.plan(world).sessions.get()
    Session.objects.filter(pk=session.pk).update(planned_time="14:00")
    session.refresh_from_db()
    return session


@pytest.fixture
def devices(browser: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def open_device(*, phone: bool = True) -> Page:
        size = {"width": 360, "height": 740} if phone else {"width": 1366, "height": 900}
        context = browser.new_context(viewport=size, locale="vi-VN")
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        refused.append(watch_policy_violations(page))
        return page

    refused: list[list[str]] = []
    open_device.refused = refused
    yield open_device
    for context in contexts:
        context.close()


@pytest.mark.browser
def test_each_person_finds_their_step_on_the_home_page_and_the_cycle_keeps_to_33_taps_and_5_confirmations(
    planned, world, live_server, devices, tmp_path
):
    session = planned
    tally = Tally()
    docx = tmp_path / "du-thao.docx"
    docx.write_bytes(scenarios.draft_docx())
    final = tmp_path / "ban-hoan-chinh.docx"
    final.write_bytes(scenarios.draft_docx())

    people = {}
    for persona in ("bithu", "dangvien", "phobithu", "duby"):
        people[persona] = Person(persona, devices(phone=persona != "bithu"), live_server, tally)
        people[persona].sign_in()
    secretary, presenter, deputy, probationary = (
        people[p] for p in ("bithu", "dangvien", "phobithu", "duby")
    )

    # 1. The secretary assigns the presenter among the suggested members.
    secretary.from_home("Assign the presenter", "planning:session", "Assign the ticked members", session.pk)
    assert_accessible(secretary.page)
    secretary.check(secretary.page.locator("#suggestions").get_by_label("Lê Văn Đức"))
    secretary.tap(secretary.button("Assign the ticked members"))
    reaches(session, Session.Status.ASSIGNED)

    # 2. The presenter uploads the Word draft and submits it.
    presenter.from_home("Write the draft and submit it", "drafts:workspace", "Upload", session.pk)
    presenter.pick_file(presenter.page.get_by_label(vi("Draft file (Word .docx or PDF)")), docx)
    presenter.tap(presenter.button("Upload"))
    presenter.success(vi("Version %(number)s was saved.") % {"number": 1})
    presenter.tap(presenter.button(vi("Submit version %(n)s for approval") % {"n": 1}, translated=True))
    reaches(session, Session.Status.SUBMITTED)

    # 3. The deputy secretary approves it and sends it to the members (after a confirmation).
    deputy.from_home("Approve the draft", "drafts:workspace", "Approve and send to the members", session.pk)
    deputy.tap(deputy.button("Approve and send to the members"))
    reaches(session, Session.Status.DISTRIBUTED)

    # 4. The probationary member reads it on her phone and comments on its paragraph.
    probationary.from_home("Read the draft and comment", "drafts:read", "Send the comment", session.pk)
    phone = probationary.page
    assert_no_horizontal_scroll(phone)
    box = phone.locator("section.block details.block-comments").first
    probationary.tap(box.locator(":scope > summary"))
    probationary.fill(box.get_by_label(vi("Your comment")), COMMENT)
    probationary.tap(box.get_by_role("button", name=vi("Send the comment")))
    # Sent in place by the page's script (static/chuyende/comments.js), without reloading.
    expect(phone.locator("#comment-status")).to_have_text(vi("Sent."))
    expect(box).to_contain_text(COMMENT)
    assert_accessible(phone)
    save_screenshot(phone, "journey-comment-phone.png")

    # 5. The secretary plans the meeting and issues its notice in one step (after a confirmation).
    secretary.from_home(
        "Plan the meeting and issue its notice", "meetings:create", "Plan the meeting", world.cell.pk
    )
    expect(secretary.page.get_by_label(vi("Issue the notice to the members now"))).to_be_checked()
    secretary.tap(secretary.button("Plan the meeting"))
    secretary.success(vi("The meeting is planned and its notice was sent to the members."))
    meeting = Meeting.objects.get(session=session)
    assert meeting.notice is not None

    # The meeting's day, half an hour after it started.
    with time_machine.travel(datetime(session.planned_date.year, 2, 10, 14, 30, tzinfo=HCM), tick=True):
        # 6. Meeting mode: everyone present, the presentation, the conclusion, the vote, the end time;
        #    the minutes are approved.
        secretary.from_home(
            "Start the meeting record", "meetings:detail", "Start the meeting record", meeting.pk
        )
        secretary.tap(secretary.button("Start the meeting record"))
        record = secretary.page
        expect(record).to_have_url(re.compile(re.escape(url(live_server, "meetings:record", meeting.pk))))
        assert_accessible(record)
        secretary.tap(record.locator("#attendance form[action$='co-mat-tat-ca/'] button"))
        expect(record.locator("#attendance .roll-row.unmarked")).to_have_count(0)
        secretary.choose(record.locator("select[data-field='minutes_secretary']"), label="Trần Thị Hoa")
        saved(record)
        speech = record.locator("#speech-form")
        secretary.choose(speech.locator("select[name=member]"), label="Lê Văn Đức")
        secretary.choose(speech.locator("select[name=kind]"), value="presentation")
        secretary.fill(speech.locator("textarea[name=summary]"), "Trình bày dự thảo chuyên đề.")
        secretary.tap(speech.get_by_role("button", name=vi("Add the speech")))
        expect(record.locator("#pending-speeches li.unsent")).to_have_count(0)
        secretary.fill(record.locator("textarea[data-field='conclusion']"), CONCLUSION)
        record.locator("textarea[data-field='conclusion']").blur()
        saved(record)
        vote = record.locator("#vote form").last
        secretary.fill(vote.locator("input[name=votes_for]"), "3")
        secretary.fill(vote.locator("input[name=against]"), "0")
        secretary.fill(vote.locator("input[name=other]"), "0")
        secretary.tap(vote.get_by_role("button", name=vi("Record the vote")))
        expect(record.locator("#vote .result-ok")).to_contain_text(vi("Passed."))
        end = record.locator("input[data-field='end_time']")
        secretary.fill(end, "14:30")
        end.blur()
        saved(record)
        approve = secretary.button("Approve the minutes")
        expect(approve).to_be_enabled()
        secretary.tap(approve)
        secretary.success(vi("The minutes are approved and locked."))
        reaches(session, Session.Status.HELD)

        # 7. The presenter uploads the final text, answers the comment and submits it.
        presenter.from_home(
            "Answer the comments and upload the final text", "drafts:workspace", "Upload", session.pk
        )
        presenter.pick_file(presenter.page.get_by_label(vi("Draft file (Word .docx or PDF)")), final)
        presenter.tap(presenter.button("Upload"))
        presenter.success(vi("Version %(number)s was saved.") % {"number": 2})
        # With a comment still unanswered, the upload leads to the responses.
        expect(presenter.page).to_have_url(
            re.compile(re.escape(url(live_server, "drafts:responses", session.pk)))
        )
        card = presenter.page.locator("section.card").filter(has_text=COMMENT)
        presenter.check(card.locator("input[type=radio][value=accepted]"))
        presenter.tap(card.get_by_role("button", name=vi("Save the response")))
        # The last response answered, the final text is submitted from the same page.
        presenter.tap(presenter.button("Submit the final text for approval"))
        reaches(session, Session.Status.FINAL_SUBMITTED)

        # 8. The deputy secretary approves the final text.
        deputy.from_home("Approve the final text", "drafts:workspace", "Approve the final text", session.pk)
        deputy.tap(deputy.button("Approve the final text"))
        reaches(session, Session.Status.FINAL_APPROVED)

        # 9. The secretary writes the resolution and issues it.
        secretary.from_home("Issue the resolution", "meetings:resolution", "Save the resolution", meeting.pk)
        assert_accessible(secretary.page)
        form = secretary.page.locator("#resolution-form")
        secretary.fill(form.locator("textarea[name=results]"), RESULTS)
        secretary.fill(form.locator("textarea[name='task-0-description']"), TASK)
        secretary.check(form.locator(".task-row").first.get_by_label("Lê Văn Đức"))
        secretary.fill(form.locator("input[name='task-0-deadline']"), f"{session.planned_date.year}-06-30")
        secretary.tap(secretary.button("Save and issue the resolution"))
        secretary.success(vi("The resolution was issued and sent to the members with the final text."))
        reaches(session, Session.Status.RESOLUTION_ISSUED)

        # 10. The secretary evaluates the session and its presenter.
        secretary.from_home("Evaluate the session", "evaluations:evaluate", "Save the evaluation", session.pk)
        form = secretary.page.locator("main form.stack")
        secretary.fill(form.locator("textarea[name=presenter_strengths]"), "Chuẩn bị công phu")
        secretary.check(form.locator("input[name=presenter_rating][value=good]"))
        secretary.fill(form.locator("textarea[name=result]"), "Đạt mục đích, yêu cầu")
        secretary.tap(secretary.button("Save the evaluation"))
        secretary.success(vi("The evaluation was saved; the presenter can read it."))
        reaches(session, Session.Status.EVALUATED)
        # Nothing of this session waits for anyone any more.
        for person in people.values():
            person.open_app()
            expect(person.page.locator("#work-queue li").filter(has_text=session.title)).to_have_count(0)

    print("\nTaps and fields of the cycle, per persona\n" + tally.report())
    # Each confirmation is asked once (approving the minutes asked twice: confirm.js and meeting.js).
    assert len(set(tally.questions)) == len(tally.questions), tally.report()
    # No step may cost more taps than it does now, and besides the confirmations the cycle keeps to the
    # goal of issue 11.
    assert tally.taps.total() <= TAPS_NOW, tally.report()
    assert tally.taps.total() - tally.confirmations.total() <= TAP_BUDGET, tally.report()
    # Nothing any page did was refused by the Content-Security-Policy.
    assert not [line for page in devices.refused for line in page]


def reaches(session: Session, status: str) -> None:
    """Waits (10 s at most) until the last tap's request has moved the session to ``status``."""
    deadline = time.monotonic() + 10
    while Session.objects.values_list("status", flat=True).get(pk=session.pk) != status:
        assert time.monotonic() < deadline, f"the session is {session.status!r}, not {status!r}"
        time.sleep(0.05)
    session.refresh_from_db()


def saved(page: Page) -> None:
    expect(page.locator("#savebar")).to_contain_text(vi("Saved at"))
