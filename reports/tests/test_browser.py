"""The Đảng ủy officer reads the dashboard in a real Chromium: on a 360 px phone the page never
scrolls sideways (the table does, inside its box; the charts shrink to the screen), on a desktop the
two charts stand side by side; a cell's name in a chart leads to its plan."""

from typing import Any

import pytest
from django.urls import reverse

from conftest import World
from reports.tests.conftest import History

PASSWORD = "chuyende-test"  # tests.factories.UserFactory
PHONE_WIDTH = 360

pytestmark = pytest.mark.browser


def _open_dashboard(page: Any, live_server: Any, world: World) -> None:
    page.goto(live_server.url + reverse("accounts:login"))
    page.locator("input[name=username]").fill("danguy")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "dang-nhap" not in url)
    page.goto(live_server.url + reverse("reports:dashboard", args=[world.party.pk]) + "?nam=2026&quy=3")
    page.wait_for_load_state("load")


def test_on_a_phone_only_the_table_scrolls_sideways_and_a_chart_leads_to_the_plan(
    transactional_db: None, live_server: Any, world: World, history: History, phone: Any
) -> None:
    _open_dashboard(phone, live_server, world)

    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    box = phone.locator(".table-scroll")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
    for chart in phone.locator("figure.chart svg").all():
        bounds = chart.bounding_box()
        assert bounds is not None and bounds["x"] >= 0 and bounds["x"] + bounds["width"] <= PHONE_WIDTH
    # The chart's text stays legible on the phone: at least 11 px as drawn.
    label = phone.locator("#chart-sessions-title").locator("..").locator("svg text").nth(4)
    assert label.bounding_box()["height"] >= 11

    plan = reverse("planning:plan", args=[history.s1.plan_id])
    phone.locator(f'figure.chart svg a[href="{plan}"]').first.click()
    phone.wait_for_url(f"**{plan}")


def test_on_a_desktop_the_two_charts_stand_side_by_side(
    transactional_db: None, live_server: Any, world: World, history: History, desktop: Any
) -> None:
    _open_dashboard(desktop, live_server, world)

    sessions, attendance = (chart.bounding_box() for chart in desktop.locator("figure.chart").all())
    assert sessions is not None and attendance is not None
    assert sessions["y"] == attendance["y"] and sessions["x"] < attendance["x"]
    assert desktop.evaluate("document.documentElement.scrollWidth") <= 1280
    assert not desktop.locator(".table-scroll").evaluate("el => el.scrollWidth > el.clientWidth")
