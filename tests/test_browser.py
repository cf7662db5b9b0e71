"""User journeys in a real Chromium: what a person sees on a phone and on a desktop.

The interface is Vietnamese by default. Elements are found by role, URL and data (people's and
cells' names), never by wording; a label is expected as the Vietnamese catalogue renders it (``vi``),
so rewording a translation does not break a test, but a label left untranslated does.

Screenshots of the cell page at 360 px and 1280 px are written to ``var/screenshots/``.
"""

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from accounts.forms import LoginForm
from conftest import World
from organizations.models import Member, Membership, Position
from tests.browser import PASSWORD, assert_no_horizontal_scroll, save_screenshot, url, vi
from tests.factories import ExemptionFactory, MembershipFactory, member_in

# world.cell's people, as the cell page lists them.
CELL_PEOPLE = ("Nguyễn Văn Bình", "Trần Thị Hoa", "Lê Văn Đức", "Phạm Thị Mai")
EXEMPTED = "Đặng Văn Sơn"
ATTACHED = "Võ Văn Khánh"  # world.other_member, attached here temporarily


# --- Data for the live server ------------------------------------------------------------------


@pytest.fixture
def live_world(transactional_db: None, live_server: Any, world: World) -> World:
    """The shared personas, committed so that the live server sees them, and a fuller cell:
    an exempted member and a member of another cell attached here temporarily."""
    exempted = member_in(world.cell, full_name=EXEMPTED, job_title="Nguyên Trưởng khoa")
    ExemptionFactory.create(member=exempted, reason="Tuổi cao, sức khỏe yếu")
    MembershipFactory.create(
        member=Member.objects.get(user=world.other_member),
        organization=world.cell,
        kind=Membership.Kind.TEMPORARY,
    )
    return world


def sign_in(page: Page, live_server: Any, login: str, password: str = PASSWORD) -> None:
    page.goto(url(live_server, "accounts:login"))
    page.locator("input[name=username]").fill(login)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()


def open_menu(page: Page) -> Any:
    """The account and language controls: in the bar on a desktop, in the menu drawer on a phone."""
    drawer = page.locator("details.drawer")
    if drawer.is_visible():
        if drawer.get_attribute("open") is None:
            drawer.locator("summary").click()
        return drawer
    page.locator("details.usermenu summary").click()
    return page.locator("header.topbar")


def sign_out(page: Page) -> None:
    open_menu(page).locator(f"form[action='{reverse('accounts:logout')}'] button").click()


def person(page: Page, name: str) -> Locator:
    """The roster row of one person on the cell page."""
    return page.locator("#roster li.person").filter(has=page.get_by_role("link", name=name, exact=True))


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two CSS ``rgb(…)`` colours."""

    def luminance(css_color: str) -> float:
        def channel(value: str) -> float:
            c = int(value) / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        red, green, blue = (channel(v) for v in re.findall(r"\d+", css_color)[:3])
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# --- Journeys ----------------------------------------------------------------------------------


@pytest.mark.browser
def test_secretary_signs_in_on_a_phone_by_username_or_email_and_opens_the_cell(
    live_world, live_server, phone
):
    world = live_world
    home = url(live_server, "home:home")
    cell_page = url(live_server, "organizations:detail", world.cell.pk)

    for login in (world.secretary.username, world.secretary.email):
        sign_in(phone, live_server, login)
        expect(phone).to_have_url(home)
        expect(phone.locator("html")).to_have_attribute("lang", "vi")
        my_cells = phone.locator("section").filter(has=phone.get_by_role("heading", name=vi("My cells")))
        my_cell = my_cells.locator("li.person").filter(has=phone.get_by_role("link", name=world.cell.name))
        expect(my_cell.locator(".tag-position")).to_be_visible()  # she is its secretary
        assert_no_horizontal_scroll(phone)

        my_cell.get_by_role("link", name=world.cell.name).click()
        expect(phone).to_have_url(cell_page)
        expect(phone.get_by_role("heading", level=1)).to_have_text(world.cell.name)
        for name in (*CELL_PEOPLE, EXEMPTED, ATTACHED):
            expect(person(phone, name)).to_be_visible()
        expect(person(phone, "Lê Văn Đức").locator(".tag")).to_have_text([vi(Member.Status.FULL.label)])
        expect(person(phone, "Phạm Thị Mai").locator(".tag")).to_have_text(
            [vi(Member.Status.PROBATIONARY.label)]
        )
        expect(person(phone, "Nguyễn Văn Bình").locator(".tag-position")).to_have_text(
            vi(Position.Role.SECRETARY.label)
        )
        expect(person(phone, "Trần Thị Hoa").locator(".tag-position")).to_have_text(
            vi(Position.Role.DEPUTY_SECRETARY.label)
        )
        expect(person(phone, EXEMPTED).locator(".tag-exempted")).to_have_text(vi("Exempted"))
        expect(person(phone, ATTACHED).locator(".tag-temporary")).to_have_text(
            vi("Temporarily attached here")
        )
        assert_no_horizontal_scroll(phone)
        assert save_screenshot(phone, "cell-360.png").stat().st_size > 0

        sign_out(phone)
        expect(phone).to_have_url(url(live_server, "accounts:login"))


@pytest.mark.browser
def test_cell_page_on_a_desktop_shows_the_whole_roster(live_world, live_server, desktop):
    world = live_world
    sign_in(desktop, live_server, world.secretary.email)
    expect(desktop).to_have_url(url(live_server, "home:home"))
    desktop.goto(url(live_server, "organizations:detail", world.cell.pk))
    expect(desktop.locator("#roster li.person")).to_have_count(len(CELL_PEOPLE) + 2)
    assert_no_horizontal_scroll(desktop, 1280)
    assert save_screenshot(desktop, "cell-1280.png").stat().st_size > 0


@pytest.mark.browser
def test_wrong_password_is_explained_and_repeated_failures_lock_sign_in(
    live_world, live_server, phone, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    wrong_password = vi(LoginForm.error_messages["invalid_login"]) % {"limit": settings.AXES_FAILURE_LIMIT}
    error = phone.locator("main form [role=alert]")

    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(phone, live_server, live_world.secretary.username, "sai-mat-khau")
        expect(phone).to_have_url(url(live_server, "accounts:login"))
        expect(phone.locator("html")).to_have_attribute("lang", "vi")
        expect(error).to_have_text(wrong_password)

    sign_in(phone, live_server, live_world.secretary.username, "sai-mat-khau")
    locked = phone.get_by_role("heading", level=1)
    expect(locked).to_have_text(vi("Sign-in locked"))
    expect(phone.get_by_role("alert")).to_contain_text(str(settings.AXES_FAILURE_LIMIT))

    # Locked means locked: the right password does not get in either…
    sign_in(phone, live_server, live_world.secretary.username)
    expect(locked).to_have_text(vi("Sign-in locked"))
    expect(phone).not_to_have_url(url(live_server, "home:home"))
    # …while another person on the same device still can.
    sign_in(phone, live_server, live_world.deputy.username)
    expect(phone).to_have_url(url(live_server, "home:home"))


@pytest.mark.browser
def test_language_button_switches_the_page_to_english_and_back(live_world, live_server, phone):
    cell_page = url(live_server, "organizations:detail", live_world.cell.pk)
    sign_in(phone, live_server, live_world.member.username)
    phone.goto(cell_page)
    html = phone.locator("html")
    members_heading = phone.locator("section", has=phone.locator("#roster")).get_by_role("heading", level=2)
    expect(html).to_have_attribute("lang", "vi")
    expect(members_heading).to_have_text(vi("Members"))

    open_menu(phone).get_by_role("button", name="EN", exact=True).click()
    expect(html).to_have_attribute("lang", "en")
    expect(phone).to_have_url(cell_page)
    expect(members_heading).to_have_text("Members")
    menu = open_menu(phone)
    expect(menu.locator("nav").get_by_role("link", name="Organisations")).to_be_visible()

    menu.get_by_role("button", name="VI", exact=True).click()
    expect(html).to_have_attribute("lang", "vi")
    expect(phone).to_have_url(cell_page)
    expect(members_heading).to_have_text(vi("Members"))


@pytest.mark.browser
def test_the_top_bar_stays_readable_on_its_red_background(live_world, live_server, phone):
    sign_in(phone, live_server, live_world.secretary.username)
    bar = phone.locator("header.topbar")
    # One row on a phone: the brand, the bell and the menu drawer, at most 56 px high — measured once
    # the stylesheet applies (the desktop nav is then hidden; without it everything shows).
    phone.wait_for_load_state("load")
    expect(bar.locator("nav.mainnav")).to_be_hidden()
    assert bar.bounding_box()["height"] <= 56
    background = bar.evaluate("el => getComputedStyle(el).backgroundColor")
    panel = phone.locator(".drawer-panel")
    phone.locator("details.drawer summary").click()
    panel_background = panel.evaluate("el => getComputedStyle(el).backgroundColor")
    texts = {
        "brand": (bar.locator(".brand"), background),
        "menu button": (bar.locator("details.drawer summary"), background),
        "bell": (bar.locator("a.bell"), background),
        "main menu": (panel.locator("nav a").first, panel_background),
        "language button": (panel.get_by_role("button", name="EN", exact=True), panel_background),
        "sign out": (panel.locator("button.linklike"), panel_background),
    }
    for label, (element, behind) in texts.items():
        expect(element).to_be_visible()
        color = element.evaluate("el => getComputedStyle(el).color")
        ratio = contrast_ratio(color, behind)
        assert ratio >= 4.5, f"{label}: {color} on {behind} has contrast {ratio:.1f}:1 (WCAG AA: 4.5)"
