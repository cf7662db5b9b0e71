"""Fixtures for the meeting tests: a session of world.cell held yesterday, its draft distributed the
week before, and a meeting of world.cell for it.

A record opens only once its meeting has started and the minutes are approved only after it ended,
so the meetings recorded here are over when the test runs. The steps before them ran on their own
days (the clock moved back for them), as they would have.
"""

from datetime import time, timedelta

import pytest

from drafts import services as drafts
from drafts.tests.conftest import TEXT, presenter  # noqa: F401 (fixtures)
from meetings import services
from meetings.models import Meeting
from meetings.tests.helpers import member_of, on_day, yesterday
from planning import services as planning


@pytest.fixture
def session(world):
    """The session on yesterday's date in world.cell's plan, world.member presenting (the drafts
    fixture, on a day that is past): planned three weeks before."""
    day = yesterday()
    with on_day(day - timedelta(days=21)):
        plan = planning.create_plan(actor=world.secretary, cell=world.cell, year=day.year)
        session = planning.add_session(
            actor=world.secretary,
            plan=plan,
            quarter=(day.month - 1) // 3 + 1,
            title="Văn hóa Hồ Chí Minh về học tập",
            planned_date=day,
        )
        planning.assign_presenters(actor=world.secretary, session=session, members=[member_of(world.member)])
    session.refresh_from_db()
    return session


@pytest.fixture
def distributed(world, session):
    """The session whose draft (written in the editor) was approved and sent to the members a week
    before its meeting."""
    with on_day(session.planned_date - timedelta(days=7)):
        drafts.add_version(actor=world.member, session=session, text=TEXT)
        drafts.submit_draft(actor=world.member, session=session)
        drafts.approve_draft(actor=world.secretary, session=session)
    session.refresh_from_db()
    return session


@pytest.fixture
def meeting(world, distributed):
    """The thematic meeting of the distributed session, held yesterday at 14:00 without a notice (the
    secretary confirmed it), its record open (attendance to mark)."""
    meeting = services.create_meeting(
        actor=world.secretary,
        cell=world.cell,
        kind=Meeting.Kind.THEMATIC,
        date=distributed.planned_date,
        start_time=time(14, 0),
        place="Phòng họp Khoa Xây dựng Đảng",
        session=distributed,
    )
    return services.open_record(actor=world.secretary, meeting=meeting, confirmed_without_notice=True)


@pytest.fixture
def regular(world):
    """A regular monthly meeting of world.cell this morning at 07:30 without a notice (the secretary
    confirmed it), its record open."""
    from django.utils import timezone

    meeting = services.create_meeting(
        actor=world.secretary,
        cell=world.cell,
        kind=Meeting.Kind.REGULAR,
        date=timezone.localdate(),
        start_time=time(7, 30),
        place="Phòng họp Khoa",
    )
    return services.open_record(actor=world.secretary, meeting=meeting, confirmed_without_notice=True)
