"""The annual plan journey in a real Chromium (issue: plans, topics, assignment).

On 8 January 2024 the demo secretary of Chi bộ Khoa Xây dựng Đảng builds the 2024 plan with the three
topics the article names and a fourth session, assigns presenters from the suggestions and submits
it; the Đảng ủy officer finds it on the oversight page and acknowledges it; a member sees the session
they present, with its deadlines, on their phone's home page.

The clock is moved to 2024 for the server (time-machine); session cookies are made to last until the
browser closes, since the browser's own clock is in the present.
"""

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import Page, expect

from organizations.demo import ARTICLE_CELL, PASSWORD, SCHOOL, load_demo
from organizations.models import Organization
from planning import services
from planning.models import AnnualPlan
from tests.browser import assert_no_horizontal_scroll, save_screenshot, vi

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
TOPICS = (
    "Văn hóa Hồ Chí Minh về học tập, lao động và làm việc",
    "Chi bộ lãnh đạo khoa thực hiện nhiệm vụ nghiên cứu khoa học và tổng kết thực tiễn",
    "Chi bộ lãnh đạo Khoa nâng cao năng lực giảng dạy của giảng viên",
)
FOURTH = "Phòng, chống suy thoái tư tưởng chính trị, đạo đức, lối sống trong đội ngũ giảng viên"
# (topic or title, quarter, planned date)
SESSIONS = (
    (TOPICS[0], 1, "2024-03-06"),
    (TOPICS[1], 2, "2024-05-15"),
    (TOPICS[2], 3, "2024-09-11"),
    (FOURTH, 4, "2024-11-20"),
)
RESEARCHER = "Trần Quốc Bảo"  # the demo `dangvien`: strengths "Nghiên cứu khoa học, tổng kết thực tiễn"


@pytest.fixture
def january_2024(settings: Any) -> Any:
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    with time_machine.travel(datetime(2024, 1, 8, 9, 0, tzinfo=HCM), tick=True) as traveller:
        yield traveller


@pytest.fixture
def school(january_2024: Any, transactional_db: Any, live_server: Any) -> Organization:
    """The demo organisations (without their plans) and the Đảng ủy's catalogue and 2024 orientation."""
    assert load_demo()
    party = Organization.objects.get(name=SCHOOL)
    group = services.ensure_topic_groups(party)
    topics = [
        services.create_topic(actor=None, organization=party, group=group[i], title=title)
        for i, title in zip((0, 5, 1), TOPICS, strict=True)
    ]
    services.set_orientation(actor=None, party=party, year=2024, plans_due=date(2024, 1, 31), topics=topics)
    return party


def url(live_server: Any, name: str, *args: Any) -> str:
    return live_server.url + reverse(name, args=args)


def sign_in(page: Page, live_server: Any, login: str) -> None:
    page.goto(url(live_server, "accounts:login"))
    page.locator("input[name=username]").fill(login)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(url(live_server, "home:home"))


def add_session(page: Page, title: str, quarter: int, day: str) -> None:
    page.get_by_role("link", name=vi("Add a session")).click()
    topic = page.locator("select[name=topic]")
    option = topic.locator("option", has_text=title)
    if option.count():
        topic.select_option(value=option.first.get_attribute("value"))
    else:
        page.locator("input[name=title]").fill(title)
    page.locator("select[name=quarter]").select_option(str(quarter))
    page.locator("input[name=planned_date]").fill(day)
    page.locator("input[name=planned_time]").fill("14:00")
    page.get_by_role("button", name=vi("Save")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def assign_from_suggestions(page: Page, prefer: str | None = None) -> str:
    """Tick one suggested presenter (``prefer`` if suggested, else the first) and assign them."""
    suggestions = page.locator("#suggestions ol.suggestions > li")
    expect(suggestions.first).to_be_visible()
    assert suggestions.first.locator("ul.reasons li").count() >= 1  # every suggestion says why
    chosen = suggestions.filter(has_text=prefer).first if prefer else suggestions.first
    name = chosen.locator("strong").inner_text()
    chosen.locator("input[type=checkbox]").check()
    page.get_by_role("button", name=vi("Assign the ticked members")).click()
    expect(page.locator(".msg-success")).to_be_visible()
    return name


@pytest.mark.browser
def test_secretary_builds_and_submits_the_2024_plan_the_officer_acknowledges_it_the_member_sees_it(
    school, live_server, browser, desktop, phone
):
    cell = Organization.objects.get(name=ARTICLE_CELL)

    # The secretary starts the 2024 plan from the Plans page (and answers "OK" to confirmations).
    desktop.on("dialog", lambda dialog: dialog.accept())
    sign_in(desktop, live_server, "bithu")
    desktop.get_by_role("navigation", name=vi("Main menu")).get_by_role("link", name=vi("Plans")).click()
    desktop.locator(f"a[href='{reverse('planning:plan_create', args=[cell.pk])}']").click()
    expect(desktop.locator("input[name=year]")).to_have_value("2024")
    desktop.locator("textarea[name=purpose]").fill(
        "Vận dụng văn hóa Hồ Chí Minh vào giảng dạy và nghiên cứu."
    )
    desktop.get_by_role("button", name=vi("Save")).click()
    plan = AnnualPlan.objects.get(cell=cell, year=2024)
    expect(desktop).to_have_url(url(live_server, "planning:plan", plan.pk))
    expect(desktop.locator("[data-warning=quarter_without_session]")).to_have_count(4)

    # Four sessions, one per quarter, each with a presenter picked from the suggestions.
    presenters = []
    for title, quarter, day in SESSIONS:
        add_session(desktop, title, quarter, day)
        presenters.append(assign_from_suggestions(desktop, RESEARCHER if title == TOPICS[1] else None))
        desktop.get_by_role("link", name=vi("Plan %(year)s") % {"year": 2024}).click()
    assert presenters[1] == RESEARCHER
    expect(desktop.locator("[data-warning=quarter_without_session]")).to_have_count(0)
    for name in set(presenters):
        expect(desktop.locator("section.quarter").filter(has_text=name).first).to_be_visible()

    # The exported PDF is the Party-format plan (still a draft, without a number).
    with desktop.expect_download() as download:
        desktop.get_by_role("link", name="PDF", exact=True).click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    desktop.get_by_role("button", name=vi("Submit to the Party committee")).click()
    expect(desktop.locator(".msg-success")).to_be_visible()
    expect(desktop.locator(".tag-plan-submitted")).to_be_visible()
    expect(desktop.locator("p.tags .tag", has_text="01-KH/CB")).to_be_visible()
    save_screenshot(desktop, "plan-submitted-1280.png")

    # The Đảng ủy officer sees it on the oversight page and acknowledges it.
    officer = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN").new_page()
    officer.on("dialog", lambda dialog: dialog.accept())
    sign_in(officer, live_server, "danguy")
    officer.goto(url(live_server, "planning:oversight", school.pk) + "?nam=2024")
    row = officer.locator("table.oversight tbody tr").filter(has_text=ARTICLE_CELL)
    expect(row.locator(".status-submitted")).to_be_visible()
    expect(row.locator("td.q-ok")).to_have_count(4)
    save_screenshot(officer, "oversight-2024-1280.png")
    row.get_by_role("link", name=ARTICLE_CELL).click()
    officer.get_by_role("button", name=vi("Acknowledge the plan")).click()
    expect(officer.locator(".tag-plan-acknowledged")).to_be_visible()
    officer.goto(url(live_server, "planning:oversight", school.pk) + "?nam=2024")
    expect(row.locator(".status-acknowledged")).to_be_visible()
    officer.context.close()

    # The member who presents the research session sees it and its deadlines on the phone.
    sign_in(phone, live_server, "dangvien")
    mine = phone.locator("#my-sessions > li").filter(has_text=TOPICS[1])
    expect(mine).to_be_visible()
    expect(mine.locator("time[datetime='2024-05-05']")).to_be_visible()  # draft due, 10 days before
    expect(mine.locator("time[datetime='2024-05-14']")).to_be_visible()  # sent to members the day before
    expect(mine.locator("time[datetime='2024-05-15']")).to_be_visible()  # comments until the meeting day
    assert_no_horizontal_scroll(phone)
    save_screenshot(phone, "home-member-360.png")
    # The demo cell's page, with its long tags (temporary attachment to a long-named cell), fits too.
    phone.get_by_role("link", name=ARTICLE_CELL, exact=True).first.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(ARTICLE_CELL)
    assert_no_horizontal_scroll(phone)
    plan.refresh_from_db()
    assert plan.status == AnnualPlan.Status.ACKNOWLEDGED
