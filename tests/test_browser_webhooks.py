"""The Đảng ủy officer connects the Đảng bộ's portal, on a phone, in a real Chromium (issue 14, item 5).

From the Đảng bộ's page she opens its webhooks, registers the portal's address (a real receiver on
127.0.0.1 that checks every signature) for two events, and copies the secret shown once. When a cell
submits its plan, the portal receives the signed event; the delivery log shows its answer, and "Gửi lại"
sends it again.
"""

from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import World
from notifications.models import WebhookDelivery, WebhookEndpoint
from notifications.tests.receiver import serve
from tests import scenarios
from tests.browser import accessibility_violations, assert_no_horizontal_scroll, save_screenshot, url, vi
from tests.test_browser import sign_in


@pytest.mark.browser
def test_the_officer_connects_the_portal_and_sends_a_delivery_again(
    transactional_db: None, live_server: Any, world: World, phone: Any, settings: Any
) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    with serve() as portal:
        sign_in(phone, live_server, world.officer.username)
        phone.goto(url(live_server, "organizations:detail", world.party.pk))
        phone.get_by_role("link", name=vi("Webhooks"), exact=True).click()
        phone.get_by_role("link", name=vi("Register a webhook")).click()

        phone.get_by_label(vi("Address (URL)")).fill(portal.url)
        phone.get_by_label(vi("Annual plan submitted")).check()
        phone.get_by_label(vi("Resolution issued")).check()
        phone.get_by_role("button", name=vi("Register"), exact=True).click()

        secret = phone.locator("#secret")
        expect(secret).to_be_visible()
        portal.secret = secret.input_value()
        assert portal.secret == WebhookEndpoint.objects.get().secret
        assert_no_horizontal_scroll(phone)
        assert accessibility_violations(phone) == []
        save_screenshot(phone, "webhook-secret-360.png")

        scenarios.plan(world, "submitted")  # committed: the job sends it at once (embedded backend)
        assert [request["verified"] for request in portal.received] == [True]

        phone.reload()
        expect(phone.locator("#secret")).to_have_count(0)  # shown once
        row = phone.locator("#deliveries li").first
        expect(row).to_contain_text(vi("Annual plan submitted"))
        expect(row).to_contain_text("200")
        assert_no_horizontal_scroll(phone)
        save_screenshot(phone, "webhook-log-360.png")

        row.get_by_role("button", name=vi("Send again")).click()
        expect(phone.locator(".msg-success")).to_have_text(vi("The delivery is queued to be sent again."))
        assert [request["verified"] for request in portal.received] == [True, True]
        ids = {request["headers"]["X-Chuyende-Delivery"] for request in portal.received}
        assert ids == {str(WebhookDelivery.objects.get().pk)}
