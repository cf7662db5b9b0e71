"""Zalo in a real Chromium on a phone (issue 16, item 1).

The Đảng ủy officer opens the Đảng bộ's Zalo Official Account from its page, fills it in against the
stand-in and switches sending on, adds the template of a kind of notice; a notice then reaches a member
through the stand-in and shows in the page's log. A member shares the approved draft "qua Zalo": the
phone's share sheet gets the reading page's own address, and without a share sheet Zalo's share page
opens with that address.
"""

import base64
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from conftest import World
from notifications.channels import Message
from tests import scenarios
from tests.browser import accessibility_violations, assert_no_horizontal_scroll, save_screenshot, url, vi
from tests.test_browser import sign_in
from zalo.models import ZaloAccount, ZaloSend
from zalo.sender import ZaloSender
from zalo.tests.conftest import APP_ID, PARAMS, PHONE, SECRET, TEMPLATE_ID


@pytest.mark.browser
def test_the_officer_configures_the_official_account_and_a_notice_reaches_a_member(
    transactional_db: None, live_server: Any, world: World, phone: Any, standin: Any, settings: Any
) -> None:
    settings.ZALO_ALLOW_STANDIN = True
    access, refresh = standin.issue_tokens()
    sign_in(phone, live_server, world.officer.username)
    phone.goto(url(live_server, "organizations:detail", world.party.pk))
    phone.get_by_role("link", name=vi("Zalo Official Account"), exact=True).click()

    phone.get_by_label(vi("App ID")).fill(APP_ID)
    phone.get_by_label(vi("Secret key")).fill(SECRET)
    phone.get_by_label(vi("Access token"), exact=True).fill(access)
    phone.get_by_label(vi("Refresh token")).fill(refresh)
    phone.get_by_label(vi("Access token lifetime (seconds)")).fill("90000")
    for label in ("OAuth address", "ZNS address", "OA API address"):
        phone.get_by_label(vi(label)).fill(standin.url)
    phone.get_by_label(vi("Send notices through this Official Account")).check()
    phone.get_by_role("button", name=vi("Save"), exact=True).click()
    expect(phone.locator(".msg-success")).to_have_text(vi("The Zalo Official Account is saved."))
    expect(phone.locator("#account")).to_contain_text(vi("Sending enabled"))
    assert access not in phone.content() and SECRET not in phone.content()  # never shown again

    phone.get_by_label(vi("Kind of notice")).select_option("draft_study")
    phone.get_by_label(vi("ZNS template ID")).fill(TEMPLATE_ID)
    phone.get_by_label(vi("Parameters")).fill("\n".join(f"{k} = {v}" for k, v in PARAMS.items()))
    phone.get_by_role("button", name=vi("Save the template")).click()
    expect(phone.locator(".msg-success")).to_have_text(vi("The template is saved."))
    expect(phone.locator("#templates")).to_contain_text(vi("Drafts to study and comment reminders"))

    account = ZaloAccount.objects.get(organization=world.party)
    assert account.enabled and account.refresh_token() == refresh
    world.member.member.phone = PHONE
    world.member.member.save(update_fields=["phone"])
    message = Message(
        outbox_id=1,
        recipient_id=world.member.pk,
        kind="draft_study",
        title="Dự thảo",
        body="",
        url="/",
        params={},
    )
    msg_id = ZaloSender().send(message)

    phone.reload()
    row = phone.locator("#sends li").first
    expect(row).to_contain_text("84912***678")
    expect(row).to_contain_text(vi("Sent"))
    expect(row).to_contain_text(msg_id)
    assert ZaloSend.objects.get().msg_id == msg_id
    assert_no_horizontal_scroll(phone)
    assert accessibility_violations(phone) == []
    save_screenshot(phone, "zalo-account-360.png")


@pytest.mark.browser
def test_a_member_shares_the_approved_draft_through_zalo(
    transactional_db: None, live_server: Any, world: World, phone: Any, settings: Any
) -> None:
    settings.SITE_URL = live_server.url
    session = scenarios.session_at(world, "distributed")
    reading = url(live_server, "drafts:read", session.pk)
    # The phone's share sheet, as the test sees it: what the page hands it is kept.
    phone.add_init_script("navigator.share = (data) => { window.shared = data; return Promise.resolve(); };")
    sign_in(phone, live_server, world.member.username)
    phone.goto(reading)
    button = phone.get_by_role("link", name=vi("Share via Zalo"))
    button.click()
    phone.wait_for_function("window.shared !== undefined")
    shared = phone.evaluate("window.shared")
    assert shared["url"] == reading
    assert session.title in shared["text"] and shared["title"] == session.title
    assert phone.url == reading  # the share sheet, not a new page
    assert_no_horizontal_scroll(phone)
    save_screenshot(phone, "zalo-share-360.png")

    # A browser without a share sheet follows the link: Zalo's share page (answered here, no network).
    phone.context.route("https://button-share.zalo.me/**", lambda route: route.fulfill(body="Zalo"))
    phone.evaluate("delete navigator.share; Navigator.prototype.share = undefined;")
    with phone.expect_popup() as popup:
        button.click()
    address = urlsplit(popup.value.url)
    assert address.netloc == "button-share.zalo.me"
    assert json.loads(base64.b64decode(parse_qs(address.query)["d"][0])) == {"url": reading}
