"""The draft journey in a real Chromium (issue: drafts, approval, comments, responses).

The presenter (Lê Văn Đức) uploads a Word draft; the secretary (Nguyễn Văn Bình) returns it once with
remarks; the presenter uploads a second version and the secretary approves it, which sends it to the
cell. A probationary member (Phạm Thị Mai) reads it on her phone and comments on a paragraph; the
deputy (Trần Thị Hoa) comments on another one and replies to her. The secretary sees who has neither
opened nor commented and reminds them. The presenter answers every comment and exports the table.

Each person uses their own browser context and signs in through the login form.
"""

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django.utils.translation import ngettext_lazy
from docx import Document
from playwright.sync_api import Locator, Page, expect

from conftest import World
from drafts.exports import TITLE as RESPONSE_TABLE_TITLE
from drafts.models import Comment, DraftVersion, Reading, Response
from organizations.models import Member
from planning import services as planning
from planning.models import Session
from tests.browser import PASSWORD, assert_no_horizontal_scroll, save_screenshot, url, vi
from tests.factories import member_in

TITLE = "Văn hóa Hồ Chí Minh về học tập"
INTRO = "Văn hóa Hồ Chí Minh về học tập là tấm gương sáng cho mỗi giảng viên, đảng viên của Khoa."
LIFELONG = "Người học tập suốt đời, học ở mọi nơi, học mọi người, học trong sách vở."
LIFELONG_V2 = "Người học tập suốt đời, học ở mọi nơi, học mọi người, học trong thực tiễn công tác."
SELF_STUDY = "Tự học, tự nghiên cứu là phương pháp học tập chủ yếu mà Người thường nhắc nhở cán bộ."
TEACHING = "Liên hệ với nhiệm vụ giảng dạy: giảng viên phải gắn học với hành, lý luận với thực tiễn."

REMARKS = "Đề nghị bổ sung ví dụ thực tiễn trong đoạn về học tập suốt đời."
COMMENT_A = "Nên dẫn thêm câu nói của Người: “Học hỏi là một việc phải tiếp tục suốt đời”."
COMMENT_B = "Đề nghị nêu rõ hình thức tự học của giảng viên trẻ trong Khoa."
REPLY_B = "Tôi đồng ý với đồng chí Mai, nên ghi rõ nguồn trích dẫn."
PARTLY = "Đã bổ sung một ví dụ; phần hình thức tự học sẽ trình bày khi thảo luận."

# world.cell's members: everyone the approved draft is sent to.
CELL_MEMBERS = 5  # the four personas' cell, and Đặng Văn Sơn, who has no login and will not comment
SILENT = "Đặng Văn Sơn"


# --- Data and helpers --------------------------------------------------------------------------


@pytest.fixture
def drafting(transactional_db: None, live_server: Any, world: World) -> Session:
    """The shared personas, committed for the live server, and a session about three weeks ahead
    that world.member (Lê Văn Đức) is assigned to present."""
    day = timezone.localdate() + timedelta(days=21)
    # The session's date must lie in the plan's year.
    plan = planning.create_plan(actor=None, cell=world.cell, year=day.year)
    session = planning.add_session(
        actor=None, plan=plan, quarter=(day.month - 1) // 3 + 1, title=TITLE, planned_date=day
    )
    planning.assign_presenters(actor=None, session=session, members=[Member.objects.get(user=world.member)])
    member_in(world.cell, full_name=SILENT)
    return session


def write_docx(path: Path, *paragraphs: str) -> Path:
    document = Document()
    document.add_heading(TITLE, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def open_as(browser: Any, contexts: list[Any], *, phone: bool = False) -> Page:
    """A fresh browser context (a person's own device) at desktop or phone size."""
    size = {"width": 360, "height": 740} if phone else {"width": 1280, "height": 900}
    context = browser.new_context(viewport=size, locale="vi-VN", device_scale_factor=2 if phone else 1)
    contexts.append(context)
    return context.new_page()


@pytest.fixture
def devices(browser: Any) -> Any:
    contexts: list[Any] = []
    yield lambda **kwargs: open_as(browser, contexts, **kwargs)
    for context in contexts:
        context.close()


def sign_in(page: Page, live_server: Any, login: str) -> None:
    page.goto(url(live_server, "accounts:login"))
    page.locator("input[name=username]").fill(login)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(url(live_server, "home:home"))


def success(page: Page) -> Locator:
    return page.locator("main .msg-success")


def sent(page: Page) -> Locator:
    """The reading page's line saying what became of a comment (static/chuyende/comments.js)."""
    return page.locator("#comment-status")


def block(page: Page, text: str) -> Locator:
    """The paragraph block of the reading page that shows ``text``, with its comment box."""
    return page.locator("section.block").filter(has=page.get_by_text(text, exact=True))


def comment_box(page: Page, text: str) -> Locator:
    """The (collapsible) comments under the paragraph that shows ``text``."""
    return block(page, text).locator("details.block-comments")


def toggle(details: Locator) -> Locator:
    """The summary that opens or closes ``details`` (not those of the reply boxes inside it)."""
    return details.locator(":scope > summary")


def comment_count(n: int) -> str:
    return vi(ngettext_lazy("%(n)s comment", "%(n)s comments", n)) % {"n": n}


def versions(page: Page) -> Locator:
    """The workspace's list of versions."""
    return page.locator("section.card").filter(has=page.get_by_role("heading", name=vi("Versions")))


def as_pattern(message: str, placeholder: str) -> re.Pattern[str]:
    """A translated message with a number in place of ``%(placeholder)s``, to read the number back."""
    return re.compile(re.escape(message).replace(re.escape(f"%({placeholder})s"), r"(\d+)"))


def docx_text(path: Path) -> str:
    document = Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


# --- The journey -------------------------------------------------------------------------------


@pytest.mark.browser
def test_draft_is_returned_revised_approved_read_commented_and_answered(
    drafting, world, live_server, devices, tmp_path
):
    session = drafting
    workspace = url(live_server, "drafts:workspace", session.pk)
    first = write_docx(tmp_path / "chuyen-de-v1.docx", INTRO, LIFELONG, SELF_STUDY, TEACHING)
    second = write_docx(tmp_path / "chuyen-de-v2.docx", INTRO, LIFELONG_V2, SELF_STUDY, TEACHING)

    # 1. The presenter uploads the Word file and submits version 1.
    presenter = devices()
    sign_in(presenter, live_server, world.member.username)
    presenter.goto(workspace)
    presenter.get_by_label(vi("Draft file (Word .docx or PDF)")).set_input_files(first)
    presenter.get_by_role("button", name=vi("Upload"), exact=True).click()
    expect(success(presenter)).to_have_text(vi("Version %(number)s was saved.") % {"number": 1})
    expect(
        versions(presenter).get_by_role("link", name=vi("Version %(n)s") % {"n": 1}, exact=True)
    ).to_be_visible()
    presenter.get_by_role("button", name=vi("Submit version %(n)s for approval") % {"n": 1}).click()
    expect(success(presenter)).to_have_text(vi("The draft was sent for approval."))

    # 2. The secretary finds it waiting for approval, reads it and returns it with remarks.
    secretary = devices()
    sign_in(secretary, live_server, world.secretary.username)
    secretary.goto(workspace)
    approval = secretary.locator("#approval")
    expect(approval.get_by_role("heading", name=vi("Approve the draft"))).to_be_visible()
    approval.get_by_role("link", name=vi("Read it")).click()
    expect(block(secretary, LIFELONG)).to_be_visible()
    secretary.go_back()
    approval.locator("summary", has_text=vi("Return with remarks")).click()  # kept apart from approving
    approval.get_by_label(vi("Remarks for the presenter")).fill(REMARKS)
    approval.get_by_role("button", name=vi("Return with remarks")).click()
    expect(success(secretary)).to_have_text(vi("The draft was returned to the presenter."))
    expect(secretary.locator("#approval")).to_have_count(0)

    # 3. The presenter sees the remarks, uploads version 2, looks at the changes and submits it.
    presenter.goto(workspace)
    returned = presenter.get_by_role("alert").filter(
        has_text=vi("Version %(n)s was returned with remarks:") % {"n": 1}
    )
    expect(returned).to_contain_text(REMARKS)
    presenter.get_by_label(vi("Draft file (Word .docx or PDF)")).set_input_files(second)
    presenter.get_by_label(vi("What changed in this version")).fill("Bổ sung ví dụ thực tiễn")
    presenter.get_by_role("button", name=vi("Upload"), exact=True).click()
    expect(success(presenter)).to_have_text(vi("Version %(number)s was saved.") % {"number": 2})
    versions(presenter).get_by_role("link", name=vi("Changes")).click()
    expect(presenter).to_have_url(re.compile(r"/so-sanh/\?a=1&b=2$"))
    expect(presenter.get_by_role("heading", level=1)).to_have_text(
        vi("Changes from version %(a)s to version %(b)s") % {"a": 1, "b": 2}
    )
    expect(presenter.locator(".diff ins").filter(has_text="thực tiễn")).to_be_visible()
    expect(presenter.locator(".diff del").filter(has_text="sách")).to_be_visible()
    presenter.goto(workspace)
    presenter.get_by_role("button", name=vi("Submit version %(n)s for approval") % {"n": 2}).click()
    expect(success(presenter)).to_have_text(vi("The draft was sent for approval."))

    # 4. The secretary approves version 2: it goes to every member of the cell.
    secretary.goto(workspace)
    asked: list[str] = []

    def answer(dialog):
        asked.append(dialog.message)
        dialog.accept()

    secretary.once("dialog", answer)
    secretary.locator("#approval").get_by_role("button", name=vi("Approve and send to the members")).click()
    expect(success(secretary)).to_have_text(
        vi("Approved and sent to %(count)s members for study.") % {"count": CELL_MEMBERS}
    )
    assert asked and f" {CELL_MEMBERS} " in asked[0]  # the confirmation said how many will receive it

    # 5. Member A, on her phone, finds the draft on her home page and comments on a paragraph.
    member_a = devices(phone=True)
    sign_in(member_a, live_server, world.probationary.username)
    expect(member_a.get_by_role("heading", name=vi("Drafts to read and comment on"))).to_be_visible()
    member_a.locator("#drafts-to-read").get_by_role("link", name=TITLE).click()
    expect(member_a).to_have_url(url(live_server, "drafts:read", session.pk))
    for text in (INTRO, LIFELONG_V2, SELF_STUDY, TEACHING):
        expect(block(member_a, text)).to_be_visible()
    reading = url(live_server, "drafts:read", session.pk)
    box = comment_box(member_a, LIFELONG_V2)
    toggle(box).click()
    box.get_by_label(vi("Your comment")).fill(COMMENT_A)
    box.get_by_role("button", name=vi("Send the comment")).click()
    # Sent by the page's script: the page stays, her comment appears in the open box.
    expect(sent(member_a)).to_have_text(vi("Sent."))
    expect(member_a).to_have_url(reading)
    expect(box.locator("article.comment")).to_be_visible()
    expect(box.locator("article.comment")).to_contain_text(COMMENT_A)
    # On the next visit the paragraph's box counts it.
    member_a.reload()
    expect(toggle(box)).to_have_text(comment_count(1))
    toggle(box).click()
    expect(box.locator("article.comment")).to_contain_text(COMMENT_A)
    expect(box.locator("article.comment header")).to_contain_text("Phạm Thị Mai")
    assert_no_horizontal_scroll(member_a)
    assert save_screenshot(member_a, "draft-read-360.png").stat().st_size > 0

    # 6. Member B, the deputy, on a desktop: her own comment on another paragraph, and a reply to A.
    member_b = devices()
    sign_in(member_b, live_server, world.deputy.username)
    member_b.goto(reading)
    box = comment_box(member_b, SELF_STUDY)
    toggle(box).click()
    box.get_by_label(vi("Your comment")).fill(COMMENT_B)
    box.get_by_role("button", name=vi("Send the comment")).click()
    expect(sent(member_b)).to_have_text(vi("Sent."))
    expect(box.locator("article.comment")).to_be_visible()
    expect(box.locator("article.comment")).to_contain_text(COMMENT_B)

    box = comment_box(member_b, LIFELONG_V2)
    a_comment = box.locator("article.comment").filter(has_text=COMMENT_A)
    toggle(box).click()
    a_comment.locator("details.reply-form > summary").click()
    a_comment.get_by_label(vi("Your reply")).fill(REPLY_B)
    a_comment.get_by_role("button", name=vi("Send the reply")).click()
    # The reply appears under the comment it answers, in the open box.
    expect(sent(member_b)).to_have_text(vi("Sent."))
    expect(a_comment.locator(".reply")).to_be_visible()
    expect(a_comment.locator(".reply")).to_contain_text(REPLY_B)
    expect(a_comment.locator(".reply")).to_contain_text("Trần Thị Hoa")

    # 7. The secretary sees who has neither opened nor commented, and reminds those who have not.
    secretary.goto(workspace)
    progress = secretary.locator("#progress")
    expect(progress.get_by_role("heading", name=vi("Who has read and commented"))).to_be_visible()
    rows = progress.locator("tbody tr")
    expect(rows).to_have_count(CELL_MEMBERS - 1)  # the presenter wrote it and is not listed
    for commented in ("Phạm Thị Mai", "Trần Thị Hoa"):
        expect(rows.filter(has_text=commented)).not_to_have_class("row-neither")
    expect(rows.filter(has_text="Nguyễn Văn Bình")).to_have_class(
        "row-neither"
    )  # opened nothing, wrote nothing
    expect(rows.filter(has_text="Lê Văn Đức")).to_have_count(0)
    progress.get_by_role("button", name=vi("Remind those who have not commented")).click()
    reminded = as_pattern(vi("Reminder sent to %(count)s members."), "count")
    expect(success(secretary)).to_have_text(reminded)
    match = reminded.fullmatch(success(secretary).inner_text())
    assert match is not None and int(match.group(1)) == 1  # Sơn: not the secretary herself, not the presenter

    # 8. The presenter answers both comments and exports the response table.
    presenter.goto(url(live_server, "drafts:responses", session.pk))
    warning = presenter.locator("main p.warning")
    expect(warning).to_have_text(
        vi(ngettext_lazy("%(n)s comment has no response yet.", "%(n)s comments have no response yet.", 2))
        % {"n": 2}
    )
    answers = (
        (COMMENT_A, Response.Decision.ACCEPTED, ""),
        (COMMENT_B, Response.Decision.PARTLY, PARTLY),
    )
    for body, decision, explanation in answers:
        card = presenter.locator("section.card").filter(has_text=body)
        card.get_by_role("radio", name=vi(decision.label), exact=True).check()
        if explanation:
            card.get_by_label(vi("Explanation")).fill(explanation)
        card.get_by_role("button", name=vi("Save the response")).click()
        expect(presenter).to_have_url(re.compile(f"#{card.get_attribute('id')}$"))
        expect(success(presenter)).to_have_text(vi("The response was saved."))
        expect(card.get_by_role("radio", name=vi(decision.label), exact=True)).to_be_checked()
    expect(warning).to_have_count(0)

    with presenter.expect_download() as pdf:
        presenter.get_by_role("link", name="PDF", exact=True).click()
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")
    with presenter.expect_download() as docx:
        presenter.get_by_role("link", name="DOCX", exact=True).click()
    table = docx_text(Path(docx.value.path()))
    assert RESPONSE_TABLE_TITLE in table
    assert COMMENT_A in table and COMMENT_B in table
    assert PARTLY in table

    # What was recorded.
    assert session.draft_versions.count() == 2
    assert list(session.draft_versions.exclude(approved_at=None).values_list("number", flat=True)) == [2]
    assert DraftVersion.objects.get(session=session, number=2).note == "Bổ sung ví dụ thực tiễn"
    top_level = Comment.objects.filter(session=session, parent=None)
    assert sorted(top_level.values_list("body", flat=True)) == sorted([COMMENT_A, COMMENT_B])
    assert Response.objects.filter(comment__in=top_level).count() == 2
    assert Comment.objects.get(session=session, parent__body=COMMENT_A).body == REPLY_B
    assert Reading.objects.filter(session=session, member__user=world.probationary).exists()


# --- A comment written without signal ---------------------------------------------------------

OFFLINE_COMMENT = "Đề nghị bổ sung số liệu về giảng viên trẻ tự học ngoại ngữ trong năm qua."


@pytest.fixture
def under_comment(drafting: Session, world: World) -> Session:
    """The draft approved and sent to the cell: its members can comment."""
    from drafts import services

    text = f"# {TITLE}\n\n{INTRO}\n\n{LIFELONG}\n\n{SELF_STUDY}"
    services.add_version(actor=world.member, session=drafting, text=text)
    services.submit_draft(actor=world.member, session=drafting)
    services.approve_draft(actor=world.secretary, session=drafting)
    return drafting


@pytest.mark.browser
def test_a_comment_written_without_signal_is_sent_when_the_signal_returns(
    under_comment, world, live_server, devices
):
    session = under_comment
    phone = devices(phone=True)
    sign_in(phone, live_server, world.probationary.username)
    reading = url(live_server, "drafts:read", session.pk)
    phone.goto(reading)
    box = comment_box(phone, LIFELONG)
    toggle(box).click()
    phone.evaluate("window.sameDocument = true")  # gone if the browser navigates

    # No signal: the comment is kept on the phone, the page stays (no browser offline page).
    phone.context.set_offline(True)
    box.get_by_label(vi("Your comment")).fill(OFFLINE_COMMENT)
    box.get_by_role("button", name=vi("Send the comment")).click()
    queued = vi("Saved; it will be sent when there is a connection.")
    expect(sent(phone)).to_have_text(queued)
    expect(box.locator("article.comment.pending")).to_contain_text(OFFLINE_COMMENT)
    expect(box.locator("article.comment.pending")).to_contain_text(queued)
    expect(box.get_by_label(vi("Your comment"))).to_have_value("")
    assert phone.evaluate("window.sameDocument") is True and phone.url == reading
    assert not Comment.objects.filter(session=session).exists()
    key = f"chuyende:comments:{session.pk}:queue"
    waiting = phone.evaluate(f"localStorage.getItem('{key}')")
    assert OFFLINE_COMMENT in waiting
    save_screenshot(phone, "draft-comment-offline-360.png")

    # The signal returns: the comment is sent, and shown as the server has it.
    phone.context.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    expect(sent(phone)).to_have_text(vi("Sent."))
    expect(box.locator("article.comment.pending")).to_have_count(0)
    stored = Comment.objects.get(session=session)
    assert stored.body == OFFLINE_COMMENT and stored.anchor != ""
    shown = box.locator(f"article#c{stored.pk}")
    expect(shown).to_contain_text(OFFLINE_COMMENT)
    expect(shown.locator("header")).to_contain_text("Phạm Thị Mai")
    assert phone.evaluate(f"localStorage.getItem('{key}')") == "[]"
    assert phone.evaluate("window.sameDocument") is True

    # Sent once more (its answer was lost, say): the next load sends it again; it is stored once.
    phone.evaluate(f"localStorage.setItem('{key}', {waiting!r})")
    phone.reload()
    expect(sent(phone)).to_have_text(vi("Sent."))
    assert Comment.objects.filter(session=session).count() == 1
    expect(phone.locator("article.comment", has_text=OFFLINE_COMMENT)).to_have_count(1)
    assert_no_horizontal_scroll(phone)
