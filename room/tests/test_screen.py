"""The room screen: the agenda, the speakers, the check-in count against the expected members, the vote's
progress (how many voted, never who) and the result with the rule's parts; its state asked with
If-None-Match is answered 304 until something changes; its queries do not grow with the meeting."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import services as meetings
from meetings.tests.helpers import open_meeting
from room import services, speakers
from tests.factories import UserFactory, member_in


def test_the_screen_shows_the_room_and_never_who_voted_what(client, world):
    meeting = open_meeting(world)
    agenda = "Khai mạc\nThảo luận dự thảo"
    meetings.save_field(actor=world.secretary, meeting=meeting, name="agenda", value=agenda)
    meetings.mark_all_present(actor=world.secretary, meeting=meeting)
    speakers.request_floor(actor=world.member, meeting=meeting, about="Đoạn 3")
    ballot = services.open_ballot(actor=world.secretary, meeting=meeting, subject="Nghị quyết", secret=True)
    services.cast_vote(actor=world.deputy, ballot=ballot, choice="against")
    client.force_login(world.probationary)
    html = client.get(reverse("room:screen", args=[meeting.pk])).content.decode()
    assert "Thảo luận dự thảo" in html and "Lê Văn Đức" in html and "Đoạn 3" in html
    assert "4 / 4" in html  # everyone expected is present
    assert "1 trong 3" in html  # voted, of the full members present
    assert "<form" not in html and "<button" not in html  # no controls
    assert "Trần Thị Hoa" not in html  # the voter is named nowhere (she has not asked to speak)

    services.cast_vote(actor=world.member, ballot=ballot, choice="for")
    services.cast_vote(actor=world.secretary, ballot=ballot, choice="for")
    services.close_ballot(actor=world.secretary, ballot=ballot)
    html = client.get(reverse("room:screen", args=[meeting.pk])).content.decode()
    assert 'id="basis"' in html and "Tán thành" in html


def test_the_state_is_304_until_something_changes(client, world):
    meeting = open_meeting(world)
    meetings.mark_all_present(actor=world.secretary, meeting=meeting)
    client.force_login(world.member)
    url = reverse("room:screen_state", args=[meeting.pk])
    first = client.get(url)
    etag = first["ETag"]
    assert first.status_code == 200 and etag
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    speakers.request_floor(actor=world.member, meeting=meeting)
    second = client.get(url, headers={"If-None-Match": etag})
    assert second.status_code == 200 and second["ETag"] != etag and "Lê Văn Đức" in second.content.decode()
    ballot = services.open_ballot(actor=world.secretary, meeting=meeting, subject="Nghị quyết", secret=True)
    third = client.get(url, headers={"If-None-Match": second["ETag"]})
    assert third.status_code == 200
    services.cast_vote(actor=world.deputy, ballot=ballot, choice="for")
    assert client.get(url, headers={"If-None-Match": third["ETag"]}).status_code == 200


def test_the_screen_makes_as_many_queries_with_more_members_and_speakers(client, world):
    client.force_login(world.member)

    def count(meeting) -> int:
        url = reverse("room:screen", args=[meeting.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured)

    small = open_meeting(world)
    meetings.mark_all_present(actor=world.secretary, meeting=small)
    speakers.request_floor(actor=world.member, meeting=small)
    ballot = services.open_ballot(actor=world.secretary, meeting=small, subject="Nghị quyết", secret=False)
    services.cast_vote(actor=world.deputy, ballot=ballot, choice="for")
    few = count(small)
    users = [UserFactory(username=f"so{i}") for i in range(12)]
    for i, user in enumerate(users):
        member_in(world.cell, full_name=f"Nguyễn Văn Số {i:02d}", user=user)
    from datetime import timedelta

    big = open_meeting(world, day=small.date - timedelta(days=1))
    meetings.mark_all_present(actor=world.secretary, meeting=big)
    for user in users[:6]:
        speakers.request_floor(actor=user, meeting=big)
    ballot = services.open_ballot(actor=world.secretary, meeting=big, subject="Nghị quyết", secret=False)
    for user in users[6:]:
        services.cast_vote(actor=user, ballot=ballot, choice="for")
    assert count(big) == few


def test_the_check_in_code_is_on_the_screen_of_whoever_records_never_a_members(client, world):
    from room import checkin

    meeting = open_meeting(world)
    code = checkin.current_code(meeting).code
    client.force_login(world.secretary)  # the projector in the room, driven from the secretary's account
    html = client.get(reverse("room:screen", args=[meeting.pk])).content.decode()
    assert code in html and "<svg" in html and f"?ma={code}" not in html  # the URL is only in the QR
    client.force_login(world.member)  # a member opening the screen at home
    for name in ("room:screen", "room:screen_state"):
        html = client.get(reverse(name, args=[meeting.pk])).content.decode()
        assert code not in html and "<svg" not in html


def test_the_screens_etag_changes_with_the_code_alone(client, world, monkeypatch):
    from room import checkin

    meeting = open_meeting(world)
    client.force_login(world.secretary)
    url = reverse("room:screen_state", args=[meeting.pk])
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    later = checkin.time.time() + checkin.WINDOW_SECONDS
    monkeypatch.setattr(checkin.time, "time", lambda: later)  # the next window: a new code, nothing else
    answer = client.get(url, headers={"If-None-Match": etag})
    assert answer.status_code == 200 and checkin.current_code(meeting).code in answer.content.decode()
