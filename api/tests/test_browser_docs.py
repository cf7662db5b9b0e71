"""The API's documentation page in a real Chromium: Swagger UI from the app's own static files draws
every operation under the site's Content-Security-Policy, which the browser does not once refuse, and
a signed-in reader can try an operation with their session."""

from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import World
from tests.browser import PASSWORD, url, watch_policy_violations


@pytest.fixture
def live_world(transactional_db: None, live_server: Any, world: World) -> World:
    return world


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
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "style-src 'self';" in policy and "unsafe" not in policy
    expect(page.locator(".opblock-summary-path[data-path='/api/v1/me']")).to_be_visible()
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
    page.goto(url(live_server, "accounts:login"))
    page.locator("input[name=username]").fill(live_world.member.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(live_server.url + "/")
    page.goto(url(live_server, "api-v1:openapi-view"))
    operation = page.locator("#operations-account-get_me")
    operation.locator(".opblock-summary").click()
    operation.locator("button.try-out__btn").click()
    operation.locator("button.execute").click()
    expect(operation.locator(".live-responses-table tbody .response-col_status").first).to_have_text("200")
    expect(operation.locator(".live-responses-table")).to_contain_text(live_world.member.username)
    assert refused == [] and page.evaluate("window.violations") == []
