"""The meeting's page links to the meeting room while the record is being written (through
meetings.hooks): check in, speakers, the vote, the room screen, and the code for whoever records."""

from django.urls import reverse

from meetings.tests.helpers import open_meeting


def test_the_meeting_page_links_to_the_room_while_the_record_is_open(client, world):
    meeting = open_meeting(world)
    page = reverse("meetings:detail", args=[meeting.pk])
    client.force_login(world.member)
    html = client.get(page).content.decode()
    for name in ("room:checkin", "room:speakers", "room:vote", "room:screen"):
        assert f'href="{reverse(name, args=[meeting.pk])}"' in html, name
    assert reverse("room:checkin_code", args=[meeting.pk]) not in html
    client.force_login(world.secretary)
    assert f'href="{reverse("room:checkin_code", args=[meeting.pk])}"' in client.get(page).content.decode()


def test_no_room_links_before_the_record_opens(client, world):
    from datetime import time

    from django.utils import timezone

    from meetings import services as meetings

    scheduled = meetings.create_meeting(
        actor=world.secretary,
        cell=world.cell,
        kind="regular",
        date=timezone.localdate(),
        start_time=time(23, 0),
        place="Phòng họp",
    )
    client.force_login(world.secretary)
    html = client.get(reverse("meetings:detail", args=[scheduled.pk])).content.decode()
    assert reverse("room:screen", args=[scheduled.pk]) not in html
