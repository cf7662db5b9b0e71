"""The home page: what awaits the signed-in person, gathered from every app."""

import pytest
from django.urls import reverse

from planning import services
from planning.tests.conftest import full_year

pytestmark = pytest.mark.django_db


def test_the_officer_finds_submitted_plans_on_the_home_page(client, world):
    plan = services.create_plan(actor=world.secretary, cell=world.cell, year=2026)
    full_year(plan, world.secretary)
    services.submit_plan(actor=world.secretary, plan=plan)
    client.force_login(world.officer)
    page = client.get(reverse("home:home")).content.decode()
    assert 'id="plans-to-acknowledge"' in page and reverse("planning:plan", args=[plan.pk]) in page
    client.force_login(world.foreign_officer)
    assert 'id="plans-to-acknowledge"' not in client.get(reverse("home:home")).content.decode()


def _separators_join_present_parts(page: str) -> list[str]:
    """What is wrong with the "·" separators of ``page``: one that begins or ends the text of an
    element (nothing before or after it), two in a row, or one that is a grid item of its own in a
    ``.person`` row (a bare text node between its elements becomes a row of the grid)."""
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(page)
    problems = []
    for element in tree.iter("small", "p", "li", "span"):
        text = " ".join("".join(element.itertext()).split())
        if "·" in text and (text.startswith("·") or text.endswith("·") or "· ·" in text):
            problems.append(text)
    for person in tree.xpath("//li[contains(concat(' ', @class, ' '), ' person ')]"):
        loose = [person.text or "", *(child.tail or "" for child in person)]
        problems += [f"loose text in a .person row: {t.strip()!r}" for t in loose if t.strip()]
    return problems


def test_the_officers_links_are_joined_by_a_separator_that_is_not_a_line_of_its_own(client, world):
    client.force_login(world.officer)
    page = client.get(reverse("home:home")).content.decode()
    assert reverse("reports:dashboard", args=[world.party.pk]) in page  # the officer's two links are there
    assert _separators_join_present_parts(page) == []


def test_the_separator_check_catches_both_kinds_of_orphan():
    loose = '<ul><li class="person"><a class="name" href="#">A</a> · <a href="#">B</a></li></ul>'
    leading = "<div><small> · Chi bộ Khoa Xây dựng Đảng</small></div>"
    joined = '<ul><li class="person"><span><a href="#">A</a> · <a href="#">B</a></span></li></ul>'
    assert _separators_join_present_parts(loose) and _separators_join_present_parts(leading)
    assert _separators_join_present_parts(joined) == []
