"""The meeting room's links on the meeting's page (registered with meetings.hooks in apps.py)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from core.permissions import can
from meetings.models import Meeting


def meeting_links(user: Any, meeting: Meeting) -> list[tuple[str, str]]:
    """While the record is being written: check in, speakers, the vote, the room screen; the code for
    whoever records the meeting. No query of its own."""
    if meeting.status != Meeting.Status.IN_PROGRESS:
        return []
    links = [
        (_("Check in"), reverse("room:checkin", args=[meeting.pk])),
        (_("Speakers"), reverse("room:speakers", args=[meeting.pk])),
        (_("Electronic vote"), reverse("room:vote", args=[meeting.pk])),
        (_("Room screen"), reverse("room:screen", args=[meeting.pk])),
    ]
    if can(user, "meeting.record", meeting):
        links.insert(0, (_("Check-in code"), reverse("room:checkin_code", args=[meeting.pk])))
    return links
