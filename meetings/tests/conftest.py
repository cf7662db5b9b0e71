"""Fixtures for the meeting tests: the drafts fixtures (a session with a distributed draft) and a
meeting of world.cell for it."""

from datetime import time

import pytest

from drafts.tests.conftest import distributed, presenter, session  # noqa: F401 (fixtures)
from meetings import services
from meetings.models import Meeting


@pytest.fixture
def meeting(world, distributed):  # noqa: F811
    """The thematic meeting of the distributed session, its record open (attendance to mark)."""
    meeting = services.create_meeting(
        actor=world.secretary,
        cell=world.cell,
        kind=Meeting.Kind.THEMATIC,
        date=distributed.planned_date,
        start_time=time(14, 0),
        place="Phòng họp Khoa Xây dựng Đảng",
        session=distributed,
    )
    return services.open_record(actor=world.secretary, meeting=meeting)


@pytest.fixture
def regular(world):
    """A regular monthly meeting of world.cell, its record open."""
    from django.utils import timezone

    meeting = services.create_meeting(
        actor=world.secretary,
        cell=world.cell,
        kind=Meeting.Kind.REGULAR,
        date=timezone.localdate(),
        start_time=time(7, 30),
        place="Phòng họp Khoa",
    )
    return services.open_record(actor=world.secretary, meeting=meeting)
