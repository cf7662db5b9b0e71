"""After the session: evaluation, participation, the quarterly report, the Đảng ủy's dashboard and a
model session adopted by another cell, in a real Chromium (issue: evaluation, participation record,
reports, oversight, model sessions).

With the demo loaded: the secretary evaluates the session that waits for it (on her phone) and
registers it as a model session; a member opens his participation record and the meetings behind a
figure (phone); the secretary submits the first quarter's report; the Đảng ủy officer finds it on the
dashboard (desktop), approves the model session; the secretary publishes it; the secretary of
Chi bộ Khoa Lý luận cơ sở adopts it into her cell's plan for next year.
"""

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from drafts.demo import add_drafts
from evaluations.demo import add_evaluations
from evaluations.models import SessionEvaluation
from library.demo import add_library
from library.models import Adoption, ModelSession
from meetings.demo import add_meetings
from organizations.demo import ARTICLE_CELL, PASSWORD, SCHOOL, load_demo
from organizations.models import Organization, Position
from planning.demo import add_plans
from planning.models import Session
from reports.demo import add_reports
from reports.models import Report
from search.demo import add_search
from tests.browser import assert_no_horizontal_scroll, save_screenshot, vi

OTHER_CELL = "Chi bộ Khoa Lý luận cơ sở"


@pytest.fixture
def demo(transactional_db: Any, live_server: Any, settings: Any) -> Session:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert load_demo(
        add_plans, add_drafts, add_meetings, add_evaluations, add_reports, add_library, add_search
    )
    # A login for the other cell's secretary (the demo has logins for the article's cell only).
    other = Organization.objects.get(name=OTHER_CELL)
    secretary = Position.objects.get(term__organization=other, role="secretary", end_date=None).member
    secretary.user = User.objects.create_user("bithullcs", password=PASSWORD, first_name=secretary.full_name)
    secretary.save(update_fields=["user"])
    return Session.objects.get(
        cell__name=ARTICLE_CELL, status=Session.Status.RESOLUTION_ISSUED, evaluation__isnull=True
    )


@pytest.fixture
def devices(browser: Any) -> Any:
    contexts: list[Any] = []

    def open_device(*, phone: bool) -> Page:
        size = {"width": 360, "height": 740} if phone else {"width": 1280, "height": 900}
        context = browser.new_context(viewport=size, locale="vi-VN")
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        return page

    yield open_device
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


def success(page: Page) -> Any:
    return page.locator(".msg-success")


@pytest.mark.browser
def test_evaluation_participation_report_dashboard_and_a_model_session_adopted(demo, live_server, devices):
    session = demo
    party = Organization.objects.get(name=SCHOOL, parent__isnull=True)
    cell = session.cell

    # 1. The secretary evaluates the session from its page (the cycle says it is next).
    secretary = devices(phone=True)
    sign_in(secretary, live_server, "bithu")
    secretary.goto(url(live_server, "planning:session", session.pk))
    secretary.get_by_role("link", name=vi("Evaluate the session")).click()
    secretary.locator("textarea[name=presenter_strengths]").fill("Chuẩn bị công phu, liên hệ sát thực tế.")
    secretary.locator("input[name=presenter_rating][value=excellent]").check()
    secretary.locator("textarea[name=result]").fill("Chi bộ thống nhất cao, nghị quyết khả thi.")
    secretary.locator("textarea[name=lessons]").fill("Mời học viên cùng dự buổi sinh hoạt mẫu")
    secretary.get_by_role("button", name=vi("Save the evaluation")).click()
    expect(success(secretary)).to_have_text(vi("The evaluation was saved; the presenter can read it."))
    expect(secretary.locator("#evaluation")).to_contain_text("Mời học viên cùng dự buổi sinh hoạt mẫu")
    session.refresh_from_db()
    assert session.status == Session.Status.EVALUATED and SessionEvaluation.objects.filter(session=session)
    # …and registers it as a model session with the Đảng ủy.
    secretary.get_by_role("link", name=vi("Register as a model session")).click()
    secretary.locator("textarea").first.fill("Cách tổ chức thảo luận theo nhóm, có học viên cùng dự.")
    secretary.get_by_role("button", name=vi("Register with the Party committee")).click()
    expect(success(secretary)).to_have_text(
        vi("The session is registered as a model session; the Party committee will decide.")
    )

    # 2. A member opens his participation record and what is behind a figure.
    member = devices(phone=True)
    sign_in(member, live_server, "dangvien")
    member.get_by_role("link", name=vi("My participation record")).click()
    expect(member.locator("h1")).to_contain_text(str(timezone.localdate().year))
    member.locator("a.figure[href$='muc=present#chi-tiet']").click()
    details = member.locator("#chi-tiet li")
    expect(details.first).to_be_visible()
    figure = int(member.locator("a.figure[href$='muc=present#chi-tiet'] b").inner_text())
    assert details.count() == figure > 0
    assert_no_horizontal_scroll(member)
    save_screenshot(member, "participation-record-phone.png")

    # 3. The secretary submits the first quarter's report.
    secretary.goto(url(live_server, "reports:list", cell.pk))
    year = timezone.localdate().year
    secretary.locator("select[name=year]").select_option(str(year))
    secretary.locator("select[name=quarter]").select_option("1")
    secretary.get_by_role("button", name=vi("Start the report")).click()
    secretary.get_by_role("link", name=vi("Write the assessment")).click()
    secretary.locator("textarea[name=assessment]").fill(
        "Chi bộ tổ chức đầy đủ sinh hoạt thường kỳ và một buổi sinh hoạt chuyên đề; "
        "đảng viên tham gia tích cực."
    )
    secretary.get_by_role("button", name=vi("Save")).click()
    secretary.get_by_role("button", name=vi("Submit to the Party committee")).click()
    expect(success(secretary)).to_be_visible()
    report = Report.objects.get(cell=cell, year=year, quarter=1)
    assert report.status == Report.Status.SUBMITTED and report.document.symbol.endswith("-BC/CB")

    # 4. The officer sees it on the dashboard for the first quarter, and approves the model session.
    officer = devices(phone=False)
    sign_in(officer, live_server, "danguy")
    officer.goto(url(live_server, "reports:dashboard", party.pk) + f"?nam={year}&quy=1")
    cell_link = officer.locator(f"a[href='{reverse('organizations:detail', args=[cell.pk])}']")
    row = officer.locator("tbody tr", has=cell_link)
    expect(row).to_contain_text(vi("Submitted to the Party committee"))
    expect(officer.locator("svg").first).to_be_visible()
    save_screenshot(officer, "dashboard-desktop.png")
    model = ModelSession.objects.get(session=session)
    officer.goto(url(live_server, "library:detail", model.pk))
    officer.get_by_role("button", name=vi("Approve as a model session")).click()
    expect(success(officer)).to_have_text(vi("The model session is approved. The cell is told."))

    # 5. The secretary publishes it; the other cell's secretary adopts it for next year.
    secretary.goto(url(live_server, "library:detail", model.pk))
    secretary.get_by_role("button", name=vi("Publish in the library")).click()
    expect(success(secretary)).to_contain_text(
        vi("The model session is published: every cell of the Party organisation can read and adopt it.")
    )
    other = devices(phone=True)
    sign_in(other, live_server, "bithullcs")
    other.goto(url(live_server, "library:list"))
    other.get_by_role("link", name=session.title).first.click()
    adopt = other.locator("#adopt")
    adopt.locator("select[name=year]").select_option(str(year + 1))
    adopt.locator("select[name=quarter]").select_option("2")
    adopt.get_by_role("button", name=vi("Adopt")).click()
    expect(success(other)).to_contain_text(session.title)
    adoption = Adoption.objects.get(model=model)
    assert adoption.cell.name == OTHER_CELL and adoption.session is not None
    assert adoption.session.plan.year == year + 1 and adoption.session.quarter == 2
    # The Đảng ủy sees which cells adopted which model.
    officer.goto(url(live_server, "library:adoptions", party.pk))
    expect(officer.locator("main")).to_contain_text(OTHER_CELL)
