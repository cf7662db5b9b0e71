"""iCalendar output: a user's sessions and deadlines, and one session as an .ics file.

Times are in the organisation's time zone (settings.TIME_ZONE, Asia/Ho_Chi_Minh by default) with a
VTIMEZONE block, so every calendar app shows the meeting at the right hour; sessions without a start
time and deadlines are all-day events.
"""

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from organizations.permissions import scope_for
from planning import rules
from planning.models import Session

PRODID = "-//chuyende//sinh hoat chuyen de//VI"


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def _session_event(session: Session, params: dict[str, Any]) -> Event:
    event = Event()
    event.add("uid", f"session-{session.pk}@chuyende")
    event.add("dtstamp", timezone.now())
    event.add("summary", _("Thematic session: %(title)s") % {"title": session.title})
    event.add("location", session.cell.name)
    event.add("url", f"{settings.SITE_URL}/ke-hoach/buoi/{session.pk}/")
    presenters = ", ".join(p.full_name for p in session.presenters.all())
    if presenters:
        event.add("description", _("Presenters: %(names)s") % {"names": presenters})
    assert session.planned_date is not None
    if session.planned_time is not None:
        tz = ZoneInfo(settings.TIME_ZONE)
        start = datetime.combine(session.planned_date, session.planned_time, tzinfo=tz)
        minutes = params[
            "min_duration_combined_minutes" if session.combined_with_regular else "min_duration_minutes"
        ]
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=minutes))
    else:
        event.add("dtstart", session.planned_date)
        event.add("dtend", session.planned_date + timedelta(days=1))
    if session.status == Session.Status.CANCELLED:
        event.add("status", "CANCELLED")
    return event


def _deadline_event(session: Session, deadline: rules.Deadline) -> Event:
    event = Event()
    event.add("uid", f"session-{session.pk}-{deadline.code}@chuyende")
    event.add("dtstamp", timezone.now())
    event.add("summary", f"{deadline.label}: {session.title}")
    event.add("dtstart", deadline.due)
    event.add("dtend", deadline.due + timedelta(days=1))
    event.add("url", f"{settings.SITE_URL}/ke-hoach/buoi/{session.pk}/")
    return event


def _meeting_event(meeting: Any, params: dict[str, Any]) -> Event:
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


def session_ics(session: Session) -> bytes:
    cal = _calendar(session.title)
    cal.add_component(_session_event(session, session.cell.effective_rule_set().params))
    cal.add_missing_timezones()
    return cal.to_ical()


def user_feed(user: Any) -> bytes:
    """Sessions of the user's cells from a year back, and the deadlines of the sessions they present
    plus the comment deadlines of all their cells' sessions."""
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
    from meetings.models import Meeting

    meetings = list(
        Meeting.objects.filter(cell_id__in=scope.cell_ids, date__gte=since).select_related(
            "cell__rule_set", "cell__parent__rule_set", "session"
        )
    )
    with_meeting = {m.session_id for m in meetings if m.session_id}
    cal = _calendar(_("Thematic sessions"))
    params: dict[int, dict[str, Any]] = {}  # one rule-set lookup per cell, not per session
    for session in sessions:
        if session.cell_id not in params:
            params[session.cell_id] = session.cell.effective_rule_set().params
        if session.pk not in with_meeting:
            cal.add_component(_session_event(session, params[session.cell_id]))
        if session.status == Session.Status.CANCELLED:
            continue
        presenting = any(p.pk == scope.member_id for p in session.presenters.all())
        for deadline in rules.deadlines(session.planned_date, params[session.cell_id]):
            if presenting or deadline.code == "comments":
                cal.add_component(_deadline_event(session, deadline))
    for meeting in meetings:
        if meeting.cell_id not in params:
            params[meeting.cell_id] = meeting.cell.effective_rule_set().params
        cal.add_component(_meeting_event(meeting, params[meeting.cell_id]))
    cal.add_missing_timezones()
    return cal.to_ical()
