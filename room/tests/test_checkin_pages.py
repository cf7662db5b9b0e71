"""The check-in pages: the secretary's phone shows the code and its QR code, the QR code's link brings a
member to a form with the code filled in (opening it changes nothing), checking in answers with the
time, a second check-in is refused with the reason."""

import re

from django.urls import reverse

from meetings.tests.helpers import attendance_of, member_of, open_meeting
from room import checkin
from room.models import CheckIn


def test_from_the_secretarys_code_to_a_members_check_in(client, world):
    meeting = open_meeting(world)
    client.force_login(world.secretary)
    shown = client.get(reverse("room:checkin_code", args=[meeting.pk]))
    html = shown.content.decode()
    code = checkin.current_code(meeting).code
    assert code in html and "<svg" in html
    assert shown.context["checked_in"] == 0 and shown.context["expected"] == 4

    client.force_login(world.member)
    link = reverse("room:checkin", args=[meeting.pk])
    form = client.get(link, {"ma": code})
    assert re.search(rf'name="code"[^>]*value="{code}"', form.content.decode())
    assert not CheckIn.objects.exists() and attendance_of(meeting, member_of(world.member)).status == ""

    done = client.post(link, {"code": code}, follow=True)
    messages = [str(m) for m in done.context["messages"]]
    assert len(messages) == 1 and re.search(r"\d\d:\d\d", messages[0])
    # The meeting was yesterday: late, with the time kept.
    assert attendance_of(meeting, member_of(world.member)).status == "late"
    assert done.context["check_in"].late

    again = client.post(link, {"code": code})
    assert again.status_code == 200 and again.context["form"].errors
    # Shown, not only kept in the form: the page of a member already checked in draws no form.
    reason = " ".join(str(e) for errors in again.context["form"].errors.values() for e in errors)
    assert 'role="alert"' in again.content.decode() and reason in again.content.decode()
    assert CheckIn.objects.count() == 1

    client.force_login(world.secretary)
    assert client.get(reverse("room:checkin_code", args=[meeting.pk])).context["checked_in"] == 1


def test_a_wrong_code_is_answered_on_the_field(client, world):
    meeting = open_meeting(world)
    client.force_login(world.member)
    wrong = f"{(int(checkin.current_code(meeting).code) + 1) % 1_000_000:06d}"
    answer = client.post(reverse("room:checkin", args=[meeting.pk]), {"code": wrong})
    assert answer.status_code == 200 and "code" in answer.context["form"].errors
    assert not CheckIn.objects.exists()
