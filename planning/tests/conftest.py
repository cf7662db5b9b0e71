from datetime import date

import pytest

from organizations.models import Member
from planning import services


@pytest.fixture
def plan(world):
    return services.create_plan(actor=world.secretary, cell=world.cell, year=2026)


@pytest.fixture
def members(world):
    return {
        name: Member.objects.get(user=getattr(world, name))
        for name in ("secretary", "deputy", "member", "probationary")
    }


@pytest.fixture
def groups(world):
    return services.ensure_topic_groups(world.party)


@pytest.fixture
def hcm_topic(world, groups):
    return services.create_topic(
        actor=world.officer,
        organization=world.party,
        group=groups[0],
        title="Văn hóa Hồ Chí Minh về học tập, lao động và làm việc",
    )


def full_year(plan, actor):
    """One session per quarter."""
    return [
        services.add_session(
            actor=actor,
            plan=plan,
            quarter=q,
            title=f"Chuyên đề quý {q}",
            planned_date=date(2026, 3 * q - 1, 10),
        )
        for q in (1, 2, 3, 4)
    ]
