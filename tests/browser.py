"""What the browser journeys (tests/test_browser*.py) share: the test password, the address of a
page on the live server, the Vietnamese of a label, and checks of the page's width, its accessibility
(axe-core) and screenshots (written to ``var/screenshots/``)."""

from pathlib import Path
from typing import Any

from axe_playwright_python.base import AXE_SCRIPT
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


# axe-core's impacts, from the least to the most severe; a page fails on these.
BLOCKING_IMPACTS = ("serious", "critical")


def accessibility_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations of impact serious or critical on the page as it is now (WCAG 2.x A and
    AA rules and axe's best practices), each with its nodes."""
    page.wait_for_load_state("load")  # colour contrast is measured with the stylesheet applied
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [v for v in results["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def accessibility_problems(page: Page) -> list[str]:
    """The serious and critical axe-core violations on the page, in words: for each its rule id,
    impact, axe's help text and page, then the elements (CSS targets) with what is wrong."""
    lines = []
    for violation in accessibility_violations(page):
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}"
        )
        for node in violation["nodes"][:10]:
            summary = " ".join(node.get("failureSummary", "").split())[:300]
            lines.append(f"    {' '.join(map(str, node['target']))}: {summary}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    … and {len(violation['nodes']) - 10} more")
    return lines


def assert_accessible(page: Page) -> None:
    """Fails on any axe-core violation of impact serious or critical, listing for each its rule id,
    the elements (CSS targets) and axe's help text."""
    problems = accessibility_problems(page)
    width = page.viewport_size["width"] if page.viewport_size else "?"
    assert not problems, f"axe-core on {page.url} at {width} px:\n" + "\n".join(problems)


def watch_policy_violations(page: Page) -> list[str]:
    """Collects what the Content-Security-Policy refused on ``page`` (Chromium says so on the console);
    the list fills as the page is used: assert it stays empty."""
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return refused
