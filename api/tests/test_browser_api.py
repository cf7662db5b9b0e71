"""The API in a real Chromium: a member makes a token on a phone and sees it once; the documentation
page (Swagger UI from the app's own static files) draws every operation under the site's
Content-Security-Policy, which the browser does not once refuse, and a signed-in reader can try an
operation with their session."""

from typing import Any

import pytest
from playwright.sync_api import expect

from accounts import services
from conftest import World
from tests.browser import (
    PASSWORD,
    assert_accessible,
    assert_no_horizontal_scroll,
    url,
    vi,
    watch_policy_violations,
)


@pytest.fixture
def live_world(transactional_db: None, live_server: Any, world: World) -> World:
    return world


def sign_in(page: Any, live_server: Any, username: str) -> None:
    page.goto(url(live_server, "accounts:login"))
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(live_server.url + "/")


# How long Swagger UI may take to draw the document (it is the policy that is tested, not the speed).
DRAWN = 60_000

# Every refusal of the policy, as the page itself hears of it (besides Chromium's console).
VIOLATIONS = """
window.violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.violations.push(e.violatedDirective));
"""


@pytest.mark.browser
def test_the_documentation_draws_the_operations_under_the_policy(live_world, live_server, desktop):
    page = desktop
    refused = watch_policy_violations(page)
    page.add_init_script(VIOLATIONS)
    outside: list[str] = []
    page.on(
        "request",
        lambda request: outside.append(request.url) if not request.url.startswith(live_server.url) else None,
    )
    response = page.goto(url(live_server, "api-v1:openapi-view"))
    # The site's own strict policy, unrelaxed: Swagger UI needs no inline script or style attribute.
    header = response.headers["content-security-policy"]
    policy = dict(directive.strip().split(" ", 1) for directive in header.split(";"))
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    # Swagger UI draws some hundred operations in the browser: seconds on a busy CI machine.
    expect(page.locator(".opblock-summary-path[data-path='/api/v1/me']")).to_be_visible(timeout=DRAWN)
    expect(page.locator(".opblock-summary-path[data-path='/api/v1/organizations']")).to_be_visible()
    # The schemes of authentication are declared: the Authorize button offers them.
    expect(page.locator("button.authorize")).to_be_visible()
    page.locator("#operations-organizations-list_organizations .opblock-summary").click()
    expect(page.locator("#operations-organizations-list_organizations .parameters")).to_be_visible()
    assert refused == [] and page.evaluate("window.violations") == []
    assert outside == [], "no CDN: everything from the app itself"


@pytest.mark.browser
def test_a_signed_in_reader_tries_an_operation(live_world, live_server, desktop):
    page = desktop
    refused = watch_policy_violations(page)
    page.add_init_script(VIOLATIONS)
    sign_in(page, live_server, live_world.member.username)
    page.goto(url(live_server, "api-v1:openapi-view"))
    operation = page.locator("#operations-account-get_me")
    expect(operation).to_be_visible(timeout=DRAWN)
    operation.locator(".opblock-summary").click()
    operation.locator("button.try-out__btn").click()
    operation.locator("button.execute").click()
    expect(operation.locator(".live-responses-table tbody .response-col_status").first).to_have_text(
        "200", timeout=DRAWN
    )
    expect(operation.locator(".live-responses-table")).to_contain_text(live_world.member.username)
    assert refused == [] and page.evaluate("window.violations") == []


@pytest.mark.browser
def test_a_member_makes_a_token_on_a_phone_and_sees_it_once(live_world, live_server, phone):
    page = phone
    refused = watch_policy_violations(page)
    sign_in(page, live_server, live_world.member.username)
    page.goto(url(live_server, "accounts:tokens"))
    page.get_by_label(vi("Name")).fill("Bảng tính của chi bộ")
    page.get_by_label(vi("Valid for")).select_option("30")
    page.get_by_role("button", name=vi("Create the token")).click()
    secret = page.get_by_role("textbox", name=vi("Your new token")).input_value()
    assert secret.startswith("cd_")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    token = live_world.member.access_tokens.get()
    assert token.digest == services.digest_of(secret)
    # Shown once: reloading lists the token without it.
    page.reload()
    expect(page.get_by_role("listitem").filter(has_text="Bảng tính của chi bộ")).to_be_visible()
    assert secret not in page.content()
    assert refused == []
