"""Fixtures of the library's tests: world.cell's session at each stage a model needs, and a secretary
for world.other_cell (the cell that adopts)."""

import pytest

from organizations.models import Member, Position
from tests import scenarios
from tests.factories import PositionFactory, TermFactory


@pytest.fixture
def issued(world):
    """world.cell's session held with its resolution issued, not yet evaluated."""
    return scenarios.issued_session(world)


@pytest.fixture
def evaluated(issued):
    return scenarios.evaluate(issued)


@pytest.fixture
def other_secretary(world):
    """world.other_member (Võ Văn Khánh) becomes the secretary of world.other_cell."""
    term = TermFactory(organization=world.other_cell)
    PositionFactory(
        term=term, member=Member.objects.get(user=world.other_member), role=Position.Role.SECRETARY
    )
    return world.other_member


@pytest.fixture
def published(world, evaluated):
    from library import services

    model = services.register_model(actor=world.secretary, session=evaluated, note="Mô hình mẫu")
    services.approve_model(actor=world.officer, model=model)
    return services.publish_model(actor=world.secretary, model=model)
