"""The speakers' page: two members ask from their phones, the chair gives and ends the floor, the turns are
speeches in the record; the page's queries do not grow with the queue."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import services as meetings
from meetings.models import Speech
from meetings.tests.helpers import member_of, open_meeting
from room import speakers
from room.models import SpeakerRequest


def as_(client, user):
    client.force_login(user)
    return client


def test_two_requests_handled_by_the_chair(client, world):
    meeting = open_meeting(world)
    meetings.mark_all_present(actor=world.secretary, meeting=meeting)
    page = reverse("room:speakers", args=[meeting.pk])
    ask = reverse("room:speak_request", args=[meeting.pk])
    as_(client, world.member).post(ask, {"about": "Đoạn 3"})
    as_(client, world.probationary).post(ask, {})
    shown = as_(client, world.probationary).get(page)
    assert [t.member for t in shown.context["queue"]] == [
        member_of(world.member),
        member_of(world.probationary),
    ]
    assert 'action="' + ask + '"' not in shown.content.decode()  # already asked: no second form

    chair = as_(client, world.secretary)
    first, second = SpeakerRequest.objects.order_by("requested_at", "id")
    html = chair.get(page).content.decode()
    assert reverse("room:speak_give", args=[first.pk]) in html
    chair.post(reverse("room:speak_give", args=[first.pk]))
    chair.post(reverse("room:speak_end", args=[first.pk]))
    chair.post(reverse("room:speak_give", args=[second.pk]))
    done = chair.post(reverse("room:speak_end", args=[second.pk]), follow=True)
    assert not done.context["queue"]
    speeches = Speech.objects.filter(meeting=meeting).order_by("created_at", "id")
    assert [s.member for s in speeches] == [member_of(world.member), member_of(world.probationary)]
    assert "Đoạn 3" in speeches[0].summary


def test_the_page_makes_as_many_queries_with_a_longer_queue(client, world):
    meeting = open_meeting(world)
    meetings.mark_all_present(actor=world.secretary, meeting=meeting)
    page = reverse("room:speakers", args=[meeting.pk])
    ask = reverse("room:speak_request", args=[meeting.pk])
    as_(client, world.member).post(ask, {})

    def count() -> int:
        as_(client, world.secretary).get(page)
        with CaptureQueriesContext(connection) as captured:
            client.get(page)
        return len(captured)

    few = count()
    for user in (world.deputy, world.probationary):
        speakers.request_floor(actor=user, meeting=meeting)
    assert len(client.get(page).context["queue"]) == 3
    assert count() == few
