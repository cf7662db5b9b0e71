"""What the browser journeys (tests/test_browser*.py) share: the test password, the address of a
page on the live server, the Vietnamese of a label, and checks of the page's width and screenshots
(written to ``var/screenshots/``)."""

from pathlib import Path
from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from playwright.sync_api import Page

PASSWORD = "chuyende-test"  # tests.factories.UserFactory
SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"
PHONE_WIDTH = 360


def vi(message: str | Promise) -> str:
    """``message`` as the Vietnamese catalogue renders it; the catalogue must translate it."""
    lazy = message if isinstance(message, Promise) else gettext_lazy(message)
    with translation.override("en"):
        source = str(lazy)
    with translation.override("vi"):
        text = str(lazy)
    assert text != source, f"no Vietnamese for {source!r} in locale/vi (or run `make messages`)"
    return text


def url(live_server: Any, name: str, *args: Any) -> str:
    return live_server.url + reverse(name, args=args)


def assert_no_horizontal_scroll(page: Page, width: int = PHONE_WIDTH) -> None:
    page.wait_for_load_state("load")  # measured with the stylesheet applied
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} is {scroll_width} px wide at {width} px"


def save_screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), full_page=True)
    return path
