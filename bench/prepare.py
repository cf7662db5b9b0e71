"""Readies the demo for bench/slow3g.py and prints the pages to measure, as JSON on the last line.

Meeting mode opens on the meeting's day: the announced meeting's record is opened with the clock
moved to its start (as meetings/tests/test_demo.py does), so that the page can be loaded any day.
Run with the bench's environment (VAR_DIR...); safe to run twice."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuyende.settings")

import django

django.setup()

import time_machine  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import User  # noqa: E402
from meetings import services as meetings  # noqa: E402
from meetings.models import Meeting  # noqa: E402
from planning.models import Session  # noqa: E402

draft = Session.objects.get(status=Session.Status.DISTRIBUTED)  # under comment, presented by dangvien
meeting = Meeting.objects.get(session=draft)  # announced, or opened by an earlier run
if meeting.status == Meeting.Status.SCHEDULED:
    with time_machine.travel(meeting.starts_at, tick=True):
        meetings.open_record(actor=User.objects.get(username="bithu"), meeting=meeting)
print(
    json.dumps(
        [
            {"name": "member home", "login": "dangvien", "path": reverse("home:home")},
            {"name": "reading page", "login": "dangvien", "path": reverse("drafts:read", args=[draft.pk])},
            {"name": "meeting mode", "login": "bithu", "path": reverse("meetings:record", args=[meeting.pk])},
        ]
    )
)
