"""The meeting notice: numbered TB, sent to every member of the cell, only before the meeting."""

from datetime import time, timedelta

import pytest
import time_machine
from django.utils import timezone

from core.errors import InvalidTransition, PermissionDenied
from documents.wording import day_phrase
from meetings import services
from meetings.models import Meeting
from meetings.tests.helpers import (
    flat_text,
    member_of,
    open_meeting,
    reload,
)
from notifications.models import Notification
from organizations.models import Membership
from tests.factories import MembershipFactory, UserFactory, member_in


@pytest.mark.new_year
def test_the_notice_is_numbered_tb_and_reaches_every_member_of_the_cell(world):
    visitor = member_of(world.other_member)
    MembershipFactory(member=visitor, organization=world.cell, kind=Membership.Kind.TEMPORARY)
    outsider = UserFactory(username="khac2")
    member_in(world.other_cell, user=outsider, full_name="Phan Văn Ngoài")
    day = timezone.localdate() + timedelta(days=7)
    meeting = services.create_meeting(
        actor=world.secretary,
        cell=world.cell,
        kind=Meeting.Kind.REGULAR,
        date=day,
        start_time=time(7, 30),
        place="Phòng họp Khoa",
    )
    with pytest.raises(PermissionDenied):
        services.issue_notice(actor=world.member, meeting=meeting)

    document = services.issue_notice(actor=world.secretary, meeting=meeting)
    assert document.symbol == "01-TB/CB"
    assert reload(meeting).notice == document
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"bithu", "phobithu", "dangvien", "duby", "khac"}
    notice = Notification.objects.get(recipient=world.member)
    assert day.strftime("%d/%m/%Y") in notice.title and "Phòng họp Khoa" in notice.body
    text = flat_text(document.snapshot)
    assert "Phòng họp Khoa" in text and day_phrase(day) in text

    with pytest.raises(InvalidTransition):
        services.issue_notice(actor=world.secretary, meeting=meeting)
    second = services.create_meeting(
        actor=world.secretary,
        cell=world.cell,
        kind=Meeting.Kind.REGULAR,
        date=day + timedelta(days=30),
        start_time=time(7, 30),
        place="Phòng họp Khoa",
    )
    assert services.issue_notice(actor=world.secretary, meeting=second).symbol == "02-TB/CB"
    with time_machine.travel(meeting.starts_at, tick=True):  # a week later, the meeting starts
        services.open_record(actor=world.secretary, meeting=meeting)
    count = Notification.objects.count()
    third = open_meeting(world, day=day - timedelta(days=14))
    with pytest.raises(InvalidTransition):
        services.issue_notice(actor=world.secretary, meeting=third)
    assert Notification.objects.count() == count
