"""The main pages pass axe-core with no violation of impact serious or critical, on a phone (360×740)
and on a desktop (1366×900): every persona's home page, a session, the draft reading page, meeting mode
(the meeting record) and the resolution form, with the demo loaded (full pages, every block shown).

Each size is one test that visits every page and reports all the violations it found at once.
"""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Page, expect

from drafts import services as drafts
from drafts.demo import add_drafts
from evaluations.demo import add_evaluations
from library.demo import add_library
from meetings import services as meetings
from meetings.demo import add_meetings
from meetings.models import Meeting
from organizations.demo import PASSWORD, load_demo
from planning.demo import add_plans
from planning.models import Session
from reports.demo import add_reports
from search.demo import add_search
from tests.browser import accessibility_problems, assert_accessible, url, watch_policy_violations

SIZES = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1366, "height": 900}}


@pytest.fixture
def demo(transactional_db: Any, live_server: Any, settings: Any) -> Iterator[dict[str, int]]:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert load_demo(
        add_plans, add_drafts, add_meetings, add_evaluations, add_reports, add_library, add_search
    )
    announced = Meeting.objects.get(status=Meeting.Status.SCHEDULED)
    assert announced.session is not None
    # The final text waiting for the chi ủy is approved, so its resolution form opens.
    waiting = Session.objects.get(status=Session.Status.FINAL_SUBMITTED)
    drafts.approve_final(actor=None, session=waiting)
    # On the announced meeting's day, once it has started, its record opens (meeting mode).
    with time_machine.travel(announced.starts_at + timedelta(minutes=30), tick=True):
        meetings.open_record(actor=None, meeting=announced)
        yield {
            "session": announced.session.pk,
            "meeting": announced.pk,
            "resolution_meeting": Meeting.objects.get(session=waiting).pk,
        }


def text_on_first_screen(page: Page) -> list[str]:
    """The reading page shows the draft's text on its first screen, on a phone held upright or
    sideways (issue 11 item 7); the viewport is put back afterwards."""
    before = page.viewport_size
    missing = []
    for width, height in ((360, 740), (740, 360)):
        page.set_viewport_size({"width": width, "height": height})
        page.evaluate("window.scrollTo(0, 0)")
        box = page.locator(".draft .block p").first.bounding_box()
        if box is None or box["y"] + 24 > height:
            missing.append(f"the reading page shows no draft text on its first screen at {width}×{height}")
    if before:
        page.set_viewport_size(before)
    return missing


def sign_in(page: Page, live_server: Any, login: str) -> None:
    page.context.clear_cookies()
    page.goto(url(live_server, "accounts:login"))
    page.locator("input[name=username]").fill(login)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(url(live_server, "home:home"))


@pytest.mark.browser
@pytest.mark.parametrize("size", list(SIZES))
def test_the_main_pages_have_no_serious_or_critical_axe_violation(demo, live_server, browser, size):
    context = browser.new_context(viewport=SIZES[size], locale="vi-VN")
    page = context.new_page()
    refused = watch_policy_violations(page)
    # (login, page name, its argument): every persona's home page, then the pages of the cycle, each
    # seen by the person who works on it.
    visits = [
        ("dangvien", "home:home", None),
        ("duby", "home:home", None),
        ("duby", "drafts:read", demo["session"]),
        ("phobithu", "home:home", None),
        ("danguy", "home:home", None),
        ("admin", "home:home", None),
        ("bithu", "home:home", None),
        ("bithu", "planning:session", demo["session"]),
        ("bithu", "meetings:record", demo["meeting"]),
        ("bithu", "meetings:resolution", demo["resolution_meeting"]),
    ]
    found: list[str] = []
    signed_in = None
    try:
        for login, name, arg in visits:
            if login != signed_in:
                sign_in(page, live_server, login)
                signed_in = login
            address = url(live_server, name, *([arg] if arg is not None else []))
            page.goto(address)
            assert page.url.split("#")[0] == address, f"{login} was sent to {page.url} for {address}"
            problems = accessibility_problems(page)
            if problems:
                found += [f"{login} on {address}:", *problems]
            if name == "drafts:read":
                found += text_on_first_screen(page)
    finally:
        context.close()
    assert not found, f"axe-core at {size} size:\n" + "\n".join(found)
    assert not refused, "the Content-Security-Policy refused:\n" + "\n".join(refused)


@pytest.mark.browser
def test_the_check_fails_on_a_page_with_serious_violations_and_says_where(browser):
    """The check can fail: a page with an image without text, an unnamed button and grey on white."""
    page = browser.new_page()
    try:
        page.set_content(
            '<html lang="vi"><head><title>t</title></head><body><main><h1>t</h1>'
            '<img id="photo" src="data:,"><button id="empty"></button>'
            '<p id="faint" style="color:#bbb;background:#fff">mờ</p></main></body></html>'
        )
        with pytest.raises(AssertionError) as failure:
            assert_accessible(page)
        message = str(failure.value)
        for rule, target in (
            ("image-alt", "#photo"),
            ("button-name", "#empty"),
            ("color-contrast", "#faint"),
        ):
            assert rule in message and target in message, message
        # A page without them passes.
        page.set_content(
            '<html lang="vi"><head><title>t</title></head><body><main><h1>t</h1></main></body></html>'
        )
        assert_accessible(page)
    finally:
        page.close()


@pytest.mark.browser
def test_the_policy_watch_catches_what_the_browser_refuses(browser):
    """The watch used above sees a refusal: an inline script under our policy is reported."""
    context = browser.new_context()
    page = context.new_page()
    refused = watch_policy_violations(page)
    page.route(
        "http://policy.test/",
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Type": "text/html", "Content-Security-Policy": "script-src 'self'"},
            body="<!doctype html><p>x</p><script>document.title = 'ran'</script>",
        ),
    )
    try:
        page.goto("http://policy.test/")
        expect(page.locator("p")).to_have_text("x")
        assert page.title() != "ran"
        page.wait_for_timeout(200)
        assert refused and "inline script" in refused[0]
    finally:
        context.close()
