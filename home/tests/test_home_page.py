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
