"""The list of speakers: members present ask to speak (once at a time), the chair gives the floor to one
at a time and ends it; the ended turn is a speech in the record with its times, saved once."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import translation

from core.errors import InvalidTransition, PermissionDenied
from core.models import AuditEntry
from meetings import services as meetings
from meetings.models import Attendance, Speech
from meetings.tests.helpers import mark, member_of, open_meeting
from room import speakers
from room.models import SpeakerRequest


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def meeting(world):
    meeting = open_meeting(world)
    meetings.mark_all_present(actor=world.secretary, meeting=meeting)
    return meeting


def test_two_requests_handled_by_the_chair_become_speeches_with_their_times(world, meeting):
    start = meeting.starts_at + timedelta(minutes=20)
    with time_machine.travel(start, tick=False):
        first = speakers.request_floor(actor=world.member, meeting=meeting, about="Đoạn 3 của dự thảo")
        second = speakers.request_floor(actor=world.probationary, meeting=meeting)
        with pytest.raises(InvalidTransition, match="already asked"):
            speakers.request_floor(actor=world.member, meeting=meeting)
        assert [r.pk for r in speakers.queue(meeting)] == [first.pk, second.pk]
        speakers.give_floor(actor=world.secretary, request=first)
        with pytest.raises(InvalidTransition, match="has the floor"):
            speakers.give_floor(actor=world.secretary, request=second)
        assert [r.status for r in speakers.queue(meeting)] == ["speaking", "waiting"]
    with time_machine.travel(start + timedelta(minutes=4), tick=False):
        speech = speakers.end_floor(actor=world.secretary, request=first)
        with pytest.raises(InvalidTransition):
            speakers.end_floor(actor=world.secretary, request=first)
        speakers.give_floor(actor=world.secretary, request=second)
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        speakers.end_floor(actor=world.secretary, request=second)

    assert speech.member == member_of(world.member)
    assert speech.summary == "Spoke from 14:20 to 14:24. On: Đoạn 3 của dự thảo"
    speeches = list(Speech.objects.filter(meeting=meeting).order_by("created_at", "id"))
    assert [s.member for s in speeches] == [member_of(world.member), member_of(world.probationary)]
    assert speeches[1].summary == "Spoke from 14:24 to 14:26."
    assert not speakers.queue(meeting)
    # After their turn a member may ask again.
    speakers.request_floor(actor=world.member, meeting=meeting)
    ended = AuditEntry.objects.filter(action="room.speech.ended").order_by("id")
    assert [(e.actor, e.data["start"], e.data["end"]) for e in ended] == [
        (world.secretary, "14:20", "14:24"),
        (world.secretary, "14:24", "14:26"),
    ]
    assert AuditEntry.objects.filter(action="room.speech.requested").count() == 3


def test_who_may_ask_give_and_withdraw(world, meeting):
    mark(world, meeting, member_of(world.deputy), Attendance.Status.EXCUSED, reason="Công tác")
    with pytest.raises(InvalidTransition, match="Check in first"):
        speakers.request_floor(actor=world.deputy, meeting=meeting)
    with pytest.raises(PermissionDenied):
        speakers.request_floor(actor=world.other_member, meeting=meeting)
    with pytest.raises(PermissionDenied):
        speakers.request_floor(actor=world.officer, meeting=meeting)
    request = speakers.request_floor(actor=world.member, meeting=meeting)
    with pytest.raises(PermissionDenied):
        speakers.give_floor(actor=world.member, request=request)
    with pytest.raises(PermissionDenied):
        speakers.withdraw_request(actor=world.probationary, request=request)
    speakers.withdraw_request(actor=world.member, request=request)
    assert SpeakerRequest.objects.get(pk=request.pk).status == SpeakerRequest.Status.WITHDRAWN
    with pytest.raises(InvalidTransition, match="no longer waits"):
        speakers.give_floor(actor=world.secretary, request=request)
    assert not Speech.objects.filter(meeting=meeting).exists()
