"""The installable app in a real Chromium: the manifest and its icons, the service worker keeping a
distributed draft readable with the network cut, sign-out emptying what it kept, and the "Nhận thông
báo" button storing a subscription that a push then reaches.

Headless Chromium cannot subscribe to a real push service: ``pushManager.subscribe`` fails with
"AbortError: Registration failed - permission denied" even with the notifications permission granted
and background networking allowed (Chromium 156, checked while writing this). The button's flow is
therefore tested with a page-level stand-in for ``PushManager.subscribe`` that returns a subscription
made with a test key pair (push.standin.BrowserKeys) on the stand-in push service; everything after it
(the request to the site, the stored row, the encrypted push the stand-in decrypts) is real.
"""

import json
import time
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from conftest import World
from drafts.models import DraftVersion
from push.models import PushSubscription
from push.sender import PushSender
from push.standin import BrowserKeys, PushStandIn
from tests import scenarios
from tests.browser import PASSWORD, assert_no_horizontal_scroll, save_screenshot, url, vi

pytestmark = pytest.mark.browser

OFFLINE_BANNER = (
    "You are offline: this is the copy saved on this device. It is refreshed when you are back online."
)

# In place of the browser's push registration (see the module's docstring): counts the permission
# requests, notes the key the page subscribes with, and answers with the test subscription.
STUB = """
window.__permissionAsked = 0;
const ask = Notification.requestPermission.bind(Notification);
Notification.requestPermission = () => { window.__permissionAsked += 1; return ask(); };
let current = null;
PushManager.prototype.subscribe = function (options) {
  const key = new Uint8Array(options.applicationServerKey);
  window.__subscribedWith = btoa(String.fromCharCode(...key))
    .replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  window.__userVisibleOnly = options.userVisibleOnly;
  const json = __SUBSCRIPTION__;
  current = {
    endpoint: json.endpoint,
    toJSON: () => json,
    unsubscribe: () => { current = null; return Promise.resolve(true); },
  };
  return Promise.resolve(current);
};
PushManager.prototype.getSubscription = function () { return Promise.resolve(current); };
"""


@pytest.fixture
def site(transactional_db: None, live_server: Any, world: World, settings: Any, vapid_keys: Any) -> Any:
    """world.cell with a distributed draft, committed for the live server, and push switched on."""
    settings.WEBHOOKS_ALLOW_PRIVATE = True  # the stand-in push service listens on 127.0.0.1
    settings.SITE_URL = live_server.url
    return scenarios.session_at(world, "distributed")


@pytest.fixture
def context(browser: Any) -> Any:
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="vi-VN", device_scale_factor=2
    )
    yield context
    context.close()


def sign_in(page: Page, live_server: Any, login: str) -> None:
    page.goto(url(live_server, "accounts:login"))
    page.locator("input[name=username]").fill(login)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(url(live_server, "home:home"))


def sign_out(page: Page) -> None:
    drawer = page.locator("details.drawer")
    drawer.locator("summary").click()
    drawer.locator(f"form[action='{reverse('accounts:logout')}'] button").click()
    expect(page).to_have_url(
        f"{page.url.split('/', 3)[0]}//{page.url.split('/', 3)[2]}{reverse('accounts:login')}"
    )


def wait_until(page: Page, predicate: str, arg: Any = None, timeout: float = 10.0) -> None:
    """Polls ``predicate`` (a JavaScript function) until it answers true. Playwright's
    ``wait_for_function`` evaluates a string, which the site's Content-Security-Policy forbids."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(predicate, arg):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {predicate}"
        page.wait_for_timeout(100)


def controlled(page: Page) -> None:
    """Waits until the service worker controls the page (it claims the open pages when it activates)."""
    wait_until(page, "() => navigator.serviceWorker.controller !== null")


def saved_pages(page: Page) -> list[str]:
    return page.evaluate(
        """async () => {
          const urls = [];
          for (const name of await caches.keys()) {
            if (!name.startsWith('pages-')) continue;
            const cache = await caches.open(name);
            for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
          }
          return urls.sort();
        }"""
    )


def test_manifest_is_valid_and_its_icons_load_at_their_sizes(site, live_server, context):
    page = context.new_page()
    sign_in(page, live_server, "dangvien")
    href = page.locator("link[rel=manifest]").get_attribute("href")
    assert page.locator("meta[name=theme-color]").get_attribute("content") == "#b3261e"
    answer = page.request.get(live_server.url + href)
    assert answer.headers["content-type"].startswith("application/manifest+json")
    manifest = answer.json()
    assert manifest["name"] == "Sinh hoạt chuyên đề"
    assert manifest["short_name"] == "Chuyên đề"
    assert (manifest["start_url"], manifest["scope"], manifest["display"], manifest["lang"]) == (
        "/",
        "/",
        "standalone",
        "vi",
    )
    assert manifest["theme_color"] and manifest["background_color"]
    sizes = page.evaluate(
        """async (icons) => Promise.all(icons.map((icon) => new Promise((resolve) => {
          const image = new Image();
          image.onload = () => resolve(
            [icon.sizes, icon.purpose, image.naturalWidth + 'x' + image.naturalHeight]);
          image.onerror = () => resolve([icon.sizes, icon.purpose, 'failed']);
          image.src = icon.src;
        })))""",
        manifest["icons"],
    )
    assert sorted(map(tuple, sizes)) == [
        ("192x192", "any", "192x192"),
        ("512x512", "any", "512x512"),
        ("512x512", "maskable", "512x512"),
    ]
    touch = page.locator("link[rel=apple-touch-icon]").get_attribute("href")
    assert page.request.get(live_server.url + touch).ok


def test_a_draft_opened_online_reads_offline_and_sign_out_removes_it(site, live_server, context, world):
    page = context.new_page()
    sign_in(page, live_server, "dangvien")
    controlled(page)
    page.goto(url(live_server, "home:home"))  # the member's tasks, now through the worker
    meeting = scenarios.regular_meeting(world, "noticed")
    page.goto(url(live_server, "meetings:detail", meeting.pk))  # the meeting's notice
    reading = url(live_server, "drafts:read", site.pk)
    page.goto(reading)
    text = DraftVersion.objects.filter(session=site).latest("number")
    expect(page.locator("main h1")).to_be_visible()
    heading = page.locator("main h1").inner_text()
    wait_until(
        page,
        "async (path) => (await Promise.all((await caches.keys()).filter((n) => n.startsWith('pages-'))"
        ".map(async (n) => !!(await (await caches.open(n)).match(path))))).some(Boolean)",
        reading,
    )
    assert saved_pages(page) == sorted(
        ["/", reverse("drafts:read", args=[site.pk]), reverse("meetings:detail", args=[meeting.pk])]
    )
    assert text is not None

    context.set_offline(True)
    page.reload()
    expect(page.locator("main h1")).to_have_text(heading)
    banner = page.locator("[data-offline-banner]")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(vi(OFFLINE_BANNER))
    expect(page.locator("link[rel=stylesheet]")).to_have_count(1)
    assert (
        page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(250, 248, 246)"
    )  # styled offline too
    assert_no_horizontal_scroll(page)
    save_screenshot(page, "pwa-offline-draft-phone.png")
    # A page never opened was not saved: the worker says so instead of the browser's error page.
    page.goto(url(live_server, "drafts:read", site.pk + 1000))
    expect(page.locator("h1")).to_have_text(vi("You are offline"))
    context.set_offline(False)

    # Back online, the page asks the worker to refresh the saved copies.
    saved_at = "async (path) => (await (await caches.match(path)).headers.get('X-Saved-At'))"
    before = page.evaluate(saved_at, reading)
    page.goto(url(live_server, "home:home"))
    page.wait_for_timeout(20)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until(page, f"async (before) => ({saved_at})('{reading}').then((now) => now !== before)", before)

    sign_out(page)
    assert saved_pages(page) == []
    assert page.evaluate("caches.keys()") == []
    context.set_offline(True)
    with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED"):
        page.goto(reading)
    context.set_offline(False)


def test_another_person_signing_in_on_the_same_phone_sees_nothing_of_the_first(site, live_server, context):
    page = context.new_page()
    sign_in(page, live_server, "dangvien")
    controlled(page)
    page.goto(url(live_server, "drafts:read", site.pk))
    wait_until(page, "async () => (await caches.keys()).some((n) => n.startsWith('pages-'))")
    first = page.evaluate("caches.keys()")
    # The first person's session ends without the sign-out button (the cookie expired, say).
    context.clear_cookies()
    sign_in(page, live_server, "duby")
    controlled(page)
    wait_until(
        page,
        "async (first) => { const names = (await caches.keys()).filter((n) => n.startsWith('pages-'));"
        " return names.length === 1 && !first.includes(names[0]); }",
        first,
    )
    assert saved_pages(page) == ["/"]


def test_the_button_asks_permission_only_when_tapped_and_stores_a_subscription(
    site, live_server, context, world, vapid_keys
):
    with PushStandIn(vapid_keys[0]) as service:
        keys = BrowserKeys()
        browser_subscription = service.subscribe(keys=keys)
        context.add_init_script(STUB.replace("__SUBSCRIPTION__", json.dumps(browser_subscription)))
        page = context.new_page()
        sign_in(page, live_server, "dangvien")
        controlled(page)
        page.goto(url(live_server, "notifications:list"))
        button = page.get_by_role("button", name=vi("Get notifications"))
        expect(button).to_be_visible()
        assert page.evaluate("window.__permissionAsked") == 0
        assert page.evaluate("Notification.permission") == "default"
        save_screenshot(page, "pwa-subscribe-off-phone.png")

        context.grant_permissions(["notifications"], origin=live_server.url)
        button.click()
        expect(page.locator("[data-push] [data-state=on]")).to_be_visible()
        expect(button).to_be_hidden()
        expect(page.locator("[data-push] [data-state=off]")).to_be_hidden()
        assert page.evaluate("window.__permissionAsked") == 1
        assert page.evaluate("window.__subscribedWith") == vapid_keys[0]
        assert page.evaluate("window.__userVisibleOnly") is True
        stored = PushSubscription.objects.get()
        assert (stored.user, stored.endpoint, stored.p256dh, stored.auth) == (
            world.member,
            browser_subscription["endpoint"],
            keys.p256dh,
            keys.auth,
        )
        assert_no_horizontal_scroll(page)
        save_screenshot(page, "pwa-subscribe-on-phone.png")

        # A notice for them now reaches that browser, encrypted for its keys.
        from notifications.channels import Message

        PushSender().send(
            Message(
                outbox_id=1,
                recipient_id=world.member.pk,
                kind="draft",
                title="Dự thảo mới",
                body="",
                url="/",
                params={},
            )
        )
        assert service.received[-1].json()["title"] == "Dự thảo mới"

        with page.expect_response(url(live_server, "push:unsubscribe")) as answer:
            page.get_by_role("button", name=vi("Turn off notifications")).click()
        assert answer.value.status == 200, answer.value.text()
        expect(button).to_be_visible()
        expect(page.get_by_role("button", name=vi("Turn off notifications"))).to_be_hidden()
        assert not PushSubscription.objects.exists()


def test_a_push_shows_a_notification_from_the_service_worker(site, live_server, context):
    context.grant_permissions(["notifications"], origin=live_server.url)
    page = context.new_page()
    sign_in(page, live_server, "dangvien")
    controlled(page)
    cdp = context.new_cdp_session(page)
    versions: list[Any] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: versions.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    page.wait_for_timeout(300)
    [registration_id] = {r["registrationId"] for r in versions if r["scopeURL"] == live_server.url + "/"} or {
        None
    }
    assert registration_id is not None
    payload = json.dumps(
        {"title": "Thông báo họp chi bộ", "body": "Họp ngày 10/02", "url": "/", "tag": "notice-9"}
    )
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": live_server.url, "registrationId": registration_id, "data": payload},
    )
    wait_until(
        page, "async () => (await (await navigator.serviceWorker.ready).getNotifications()).length > 0"
    )
    shown = page.evaluate(
        "async () => (await (await navigator.serviceWorker.ready).getNotifications())"
        ".map((n) => [n.title, n.body, n.tag])"
    )
    assert shown == [["Thông báo họp chi bộ", "Họp ngày 10/02", "notice-9"]]


IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)


@pytest.mark.parametrize(
    "situation, script, state, hint",
    [
        # Safari in a tab on an iPhone has no PushManager: only the app added to the home screen has it.
        (
            "iphone-tab",
            "delete window.PushManager;",
            "ios",
            "On an iPhone or iPad, notifications work only in the installed app: tap Share, then "
            "“Add to Home Screen”, open the app from the home screen and turn notifications on there.",
        ),
        (
            "blocked",
            "Object.defineProperty(Notification, 'permission', {get: () => 'denied'});",
            "blocked",
            "allow notifications for this site in the browser's settings, then reload the page.",
        ),
    ],
    ids=["iphone-tab", "blocked"],
)
def test_the_button_says_why_notifications_cannot_be_turned_on(
    site, live_server, browser, situation, script, state, hint
):
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="vi-VN",
        user_agent=IPHONE_SAFARI if situation == "iphone-tab" else None,
    )
    try:
        context.add_init_script(script)
        page = context.new_page()
        sign_in(page, live_server, "dangvien")
        page.goto(url(live_server, "notifications:list"))
        line = page.locator(f"[data-push] [data-state={state}]")
        expect(line).to_be_visible()
        expect(line).to_contain_text(vi(hint))
        expect(page.get_by_role("button", name=vi("Get notifications"))).to_be_hidden()
        save_screenshot(page, f"pwa-subscribe-{situation}-phone.png")
    finally:
        context.close()
