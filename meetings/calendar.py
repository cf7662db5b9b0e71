"""A person's private calendar feed: their cells' sessions and meetings and their deadlines.

Composed here because a session's meeting replaces the session's event (the secretary may have set
another day than the plan's); registered with notifications.calendar, which writes the feed.
"""

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Event

from meetings.models import Meeting
from organizations.permissions import scope_for
from planning import rules
from planning.calendar import deadline_event, session_event
from planning.models import Session


def meeting_event(meeting: Meeting, params: dict[str, Any]) -> Event:
    """A planned meeting: its own date, time and place (a thematic session's meeting replaces the
    session's event, since the secretary may have set another day than the plan's)."""
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@chuyende")
    event.add("dtstamp", timezone.now())
    if meeting.session is not None:
        event.add("summary", _("Thematic session: %(title)s") % {"title": meeting.session.title})
    else:
        event.add("summary", _("Cell meeting: %(cell)s") % {"cell": meeting.cell.name})
    event.add("location", meeting.place)
    event.add("url", settings.SITE_URL + reverse("meetings:detail", args=[meeting.pk]))
    start = datetime.combine(meeting.date, meeting.start_time, tzinfo=ZoneInfo(settings.TIME_ZONE))
    minutes = params[
        "min_duration_minutes" if meeting.kind == "thematic" else "min_duration_combined_minutes"
    ]
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=minutes))
    return event


def feed_events(user: Any) -> Iterator[Event]:
    """Sessions of the user's cells from a year back, and the deadlines of the sessions they present
    plus the comment deadlines of all their cells' sessions; then the meetings."""
    scope = scope_for(user)
    since = timezone.localdate() - timedelta(days=365)
    sessions = (
        Session.objects.filter(Q(cell_id__in=scope.cell_ids) | Q(presenters__id=scope.member_id or 0))
        .filter(planned_date__gte=since)
        .select_related("cell__rule_set", "cell__parent__rule_set")
        .prefetch_related("presenters")
        .distinct()
        .order_by("planned_date")
    )
    meetings = list(
        Meeting.objects.filter(cell_id__in=scope.cell_ids, date__gte=since).select_related(
            "cell__rule_set", "cell__parent__rule_set", "session"
        )
    )
    with_meeting = {m.session_id for m in meetings if m.session_id}
    params: dict[int, dict[str, Any]] = {}  # one rule-set lookup per cell, not per session
    for session in sessions:
        if session.cell_id not in params:
            params[session.cell_id] = session.cell.effective_rule_set().params
        if session.pk not in with_meeting:
            yield session_event(session, params[session.cell_id])
        if session.status == Session.Status.CANCELLED:
            continue
        presenting = any(p.pk == scope.member_id for p in session.presenters.all())
        for deadline in rules.deadlines(session.planned_date, params[session.cell_id]):
            if presenting or deadline.code == "comments":
                yield deadline_event(session, deadline)
    for meeting in meetings:
        if meeting.cell_id not in params:
            params[meeting.cell_id] = meeting.cell.effective_rule_set().params
        yield meeting_event(meeting, params[meeting.cell_id])
