"""The meeting journey in a real Chromium, on phone-sized windows (issue: meeting, minutes, vote, final
text, resolution).

With the demo loaded, the secretary of Chi bộ Khoa Xây dựng Đảng opens the record of the announced
meeting on her phone: everyone present in one tap, one member then excused, the minutes secretary and
the end time, the presentation and a speech, the conclusion typed while the connection drops (it is
sent when it comes back), the vote against the adjusted total; she approves the minutes. The presenter
answers the comments and submits the final text; the deputy secretary (chi ủy) approves it; the
secretary writes and issues the resolution with a task; a probationary member sees the resolution and
her task on her phone.
"""

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import Page, expect

from drafts.demo import add_drafts
from drafts.models import Comment
from meetings.demo import add_meetings
from meetings.models import Meeting, Resolution, Speech
from organizations.demo import PASSWORD, load_demo
from organizations.models import Member
from planning.demo import add_plans
from planning.models import Session
from tests.browser import assert_no_horizontal_scroll, save_screenshot, vi

MINUTES_SECRETARY = "Lê Thị Kim Oanh"
PRESENTER = "Trần Quốc Bảo"  # the demo `dangvien`
TASK_OWNER = "Trương Thị Ngọc Ánh"  # the demo `duby`, a probationary member
CONCLUSION = "Chi bộ thống nhất cao với nội dung chuyên đề; giao đồng chí báo cáo viên hoàn chỉnh."
TASK = "Xây dựng bộ quy tắc ứng xử số cho giảng viên và học viên"
SECOND_TASK = "Báo cáo kết quả thực hiện với Đảng ủy"


@pytest.fixture
def demo(transactional_db: Any, live_server: Any, settings: Any) -> Iterator[Meeting]:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert load_demo(add_plans, add_drafts, add_meetings)
    meeting = Meeting.objects.get(status=Meeting.Status.SCHEDULED)
    # The journey happens on the meeting's day as it ends: a record opens once its meeting has
    # started (14:00), and the minutes are approved once it has ended (16:05, typed below).
    with time_machine.travel(meeting.starts_at + timedelta(hours=2, minutes=10), tick=True):
        yield meeting


@pytest.fixture
def phones(browser: Any) -> Any:
    contexts: list[Any] = []

    def open_phone() -> Page:
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
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


def saved(page: Page) -> None:
    expect(page.locator("#savebar")).to_contain_text(vi("Saved at"))


@pytest.mark.browser
def test_the_secretary_runs_the_meeting_and_the_cycle_ends_with_the_resolution_and_a_members_task(
    demo, live_server, phones
):
    meeting = demo
    session = meeting.session
    assert session is not None

    # 1. The secretary finds the announced meeting on her home page and starts the record.
    secretary = phones()
    sign_in(secretary, live_server, "bithu")
    secretary.locator("#next-meetings a").first.click()
    expect(secretary).to_have_url(url(live_server, "meetings:detail", meeting.pk))
    secretary.get_by_role("button", name=vi("Start the meeting record")).click()
    expect(secretary).to_have_url(re.compile(re.escape(url(live_server, "meetings:record", meeting.pk))))
    assert_no_horizontal_scroll(secretary)
    save_screenshot(secretary, "meeting-record-phone.png")

    # 2. Attendance: everyone present in one tap, then one member excused with a reason.
    secretary.locator("#attendance form[action$='co-mat-tat-ca/'] button").click()
    expect(secretary.locator("#attendance .roll-row.unmarked")).to_have_count(0)
    linh = Member.objects.get(full_name="Phan Thị Diệu Linh")
    secretary.locator(f"select[data-attendance='{linh.pk}']").select_option("absent_excused")
    reason = secretary.locator(f"input[data-reason='{linh.pk}']")
    expect(reason).to_be_visible()
    reason.fill("Đi công tác")
    saved(secretary)
    expect(secretary.locator("#summary")).to_contain_text(vi("absent with reason"))

    # 3. Minutes secretary and end time, saved as they are chosen.
    secretary.locator("select[data-field='minutes_secretary']").select_option(label=MINUTES_SECRETARY)
    saved(secretary)
    secretary.locator("input[data-field='end_time']").fill("16:05")
    secretary.locator("input[data-field='end_time']").blur()
    saved(secretary)

    # 4. Two speeches: the presenter's presentation and a member's opinion.
    form = secretary.locator("#speech-form")
    for speaker, kind, text in (
        (PRESENTER, "presentation", "Trình bày dự thảo chuyên đề và các giải pháp chuyển đổi số."),
        ("Nguyễn Đình Khánh", "speech", "Đề nghị nêu rõ trách nhiệm của chi ủy trong theo dõi, nhắc nhở."),
    ):
        form.locator("select[name=member]").select_option(label=speaker)
        form.locator("select[name=kind]").select_option(kind)
        form.locator("textarea[name=summary]").fill(text)
        form.get_by_role("button", name=vi("Add the speech")).click()
        expect(secretary.locator("#pending-speeches li", has_text=text)).to_be_visible()
        expect(form.locator("textarea[name=summary]")).to_have_value("")
    expect(secretary.locator("#pending-speeches li.unsent")).to_have_count(0)
    assert Speech.objects.filter(meeting=meeting).count() == 2

    # 5. The connection drops while the conclusion is typed: nothing is lost, it is sent on return.
    secretary.context.set_offline(True)
    conclusion = secretary.locator("textarea[data-field='conclusion']")
    conclusion.fill(CONCLUSION)
    conclusion.blur()
    offline = vi(
        "No connection: the changes are kept on this phone and will be sent when the connection is back. "
        "Pending:"
    )
    expect(secretary.locator("#savebar")).to_contain_text(offline)
    meeting.refresh_from_db()
    assert meeting.conclusion == ""
    secretary.context.set_offline(False)
    secretary.evaluate("window.dispatchEvent(new Event('online'))")
    saved(secretary)
    meeting.refresh_from_db()
    assert meeting.conclusion == CONCLUSION

    # 6. The vote, against the adjusted total shown with its parts (kept up to date as the
    #    attendance changes, without reloading the page).
    basis = secretary.locator("#vote table.basis")
    expect(basis).to_contain_text(vi("Adjusted total"))
    eligible = int(basis.locator("tr").last.locator("td").inner_text())
    vote = secretary.locator("#vote form").last
    # No count may exceed the members who may vote (the browser checks each box); more votes in all
    # than voters is refused by the server beside the fields, every number kept, the card in view.
    assert vote.locator("input[name=votes_for]").get_attribute("max") == str(eligible)
    record_url = secretary.url
    vote.locator("input[name=votes_for]").fill(str(eligible))
    vote.locator("input[name=against]").fill("1")
    vote.locator("input[name=other]").fill("0")
    vote.get_by_role("button", name=vi("Record the vote")).click()
    error = secretary.locator("#vote #vote-error")
    expect(error).to_be_visible()
    expect(error).to_be_in_viewport()
    expect(secretary.locator("#vote input[name=votes_for]")).to_have_value(str(eligible))
    expect(secretary.locator("#vote input[name=against]")).to_have_value("1")
    expect(secretary.locator("#vote input[name=votes_for]")).to_be_focused()
    assert secretary.url.split("#")[0] == record_url.split("#")[0]
    vote = secretary.locator("#vote form").last
    vote.locator("input[name=against]").fill("0")
    vote.get_by_role("button", name=vi("Record the vote")).click()
    expect(secretary.locator("#vote .result-ok")).to_contain_text(vi("Passed."))

    # 7. The minutes are approved (after a confirmation) and locked.
    approve = secretary.get_by_role("button", name=vi("Approve the minutes"))
    expect(secretary.locator("#problems .check")).to_have_count(0)
    expect(approve).to_be_enabled()
    approve.click()
    expect(secretary).to_have_url(url(live_server, "meetings:detail", meeting.pk))
    expect(secretary.locator(".msg-success")).to_have_text(vi("The minutes are approved and locked."))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.APPROVED and meeting.minutes_document is not None
    session.refresh_from_db()
    assert session.status == Session.Status.HELD

    # 8. The presenter writes the final text, answers every comment and submits it.
    presenter = phones()
    sign_in(presenter, live_server, "dangvien")
    presenter.goto(url(live_server, "drafts:write", session.pk))
    presenter.locator("textarea[name=text]").fill("# Bản hoàn chỉnh\n\nĐã tiếp thu ý kiến của chi bộ.")
    presenter.get_by_role("button", name=vi("Save as a new version")).click()
    presenter.goto(url(live_server, "drafts:responses", session.pk))
    unanswered = Comment.objects.filter(session=session, parent=None, deleted_at=None).count()
    for _ in range(unanswered):
        save = presenter.get_by_role("button", name=vi("Save the response"))
        card = presenter.locator("section.card").filter(has=save).first
        card.locator("input[type=radio][value=accepted]").check()
        card.get_by_role("button", name=vi("Save the response")).click()
        expect(presenter.locator(".msg-success")).to_be_visible()
    expect(presenter.get_by_role("button", name=vi("Save the response"))).to_have_count(0)
    presenter.goto(url(live_server, "drafts:workspace", session.pk))
    presenter.get_by_role("button", name=vi("Submit the final text for approval")).click()
    expect(presenter.locator(".msg-success")).to_have_text(vi("The final text was sent for approval."))

    # 9. The deputy secretary (chi ủy) approves the final text.
    deputy = phones()
    sign_in(deputy, live_server, "phobithu")
    deputy.goto(url(live_server, "drafts:workspace", session.pk))
    deputy.get_by_role("button", name=vi("Approve the final text")).click()
    expect(deputy.locator(".msg-success")).to_have_text(
        vi("The final text is approved. The resolution can now be issued.")
    )

    # 10. The secretary writes the resolution with a task, then issues it.
    secretary.goto(url(live_server, "planning:session", session.pk))
    secretary.get_by_role("link", name=vi("Issue the resolution")).click()
    secretary.locator("textarea[name=results]").fill("Chi bộ thảo luận sâu, thống nhất nội dung chuyên đề.")
    secretary.locator("textarea[name='task-0-description']").fill(TASK)
    secretary.locator(".task-row").first.get_by_label(TASK_OWNER).check()
    secretary.locator("input[name='task-0-deadline']").fill("2027-03-31")
    # A second task: "+ Add a task" adds a row on the phone, without a round trip.
    secretary.get_by_role("button", name=vi("+ Add a task")).click()
    expect(secretary.locator(".task-row")).to_have_count(2)
    secretary.locator("textarea[name='task-1-description']").fill(SECOND_TASK)
    secretary.locator(".task-row").nth(1).get_by_label(TASK_OWNER).check()
    secretary.locator("input[name='task-1-deadline']").fill("2027-06-30")
    secretary.get_by_role("button", name=vi("Save the resolution")).click()
    expect(secretary.locator(".msg-success")).to_have_text(vi("The resolution was saved."))
    assert list(
        Resolution.objects.get(meeting__session=session)
        .tasks.order_by("id")
        .values_list("description", flat=True)
    ) == [TASK, SECOND_TASK]
    secretary.get_by_role("button", name=vi("Save and issue the resolution")).click()
    expect(secretary.locator(".msg-success")).to_have_text(
        vi("The resolution was issued and sent to the members with the final text.")
    )
    symbol = secretary.locator("h1").inner_text()
    assert "-NQ/CB" in symbol
    session.refresh_from_db()
    assert session.status == Session.Status.RESOLUTION_ISSUED

    # 11. A member sees the resolution and her task on her phone.
    member = phones()
    sign_in(member, live_server, "duby")
    tasks = member.locator("#my-tasks")
    expect(tasks).to_contain_text(TASK)
    tasks.locator("a", has_text="-NQ/CB").first.click()
    expect(member.locator("h1")).to_contain_text("NQ/CB")
    expect(member.locator("#tasks")).to_contain_text(TASK)
    expect(member.locator("#tasks")).to_contain_text(TASK_OWNER)
    assert_no_horizontal_scroll(member)
    save_screenshot(member, "resolution-member-phone.png")
