"""A session and its deadlines as calendar events (written by notifications.calendar)."""

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Event

from notifications.calendar import new_calendar, to_ics
from planning import rules
from planning.models import Session
from planning.permissions import visible_sessions


def session_event(session: Session, params: dict[str, Any]) -> Event:
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


def deadline_event(session: Session, deadline: rules.Deadline) -> Event:
    event = Event()
    event.add("uid", f"session-{session.pk}-{deadline.code}@chuyende")
    event.add("dtstamp", timezone.now())
    event.add("summary", f"{deadline.label}: {session.title}")
    event.add("dtstart", deadline.due)
    event.add("dtend", deadline.due + timedelta(days=1))
    event.add("url", f"{settings.SITE_URL}/ke-hoach/buoi/{session.pk}/")
    return event


def session_file(user: Any, pk: int) -> bytes | None:
    """One session the user may see as an .ics file; None when it is hidden from them or undated."""
    session = visible_sessions(user).select_related("cell__rule_set", "cell__parent").filter(pk=pk).first()
    if session is None or session.planned_date is None:
        return None
    cal = new_calendar(session.title)
    cal.add_component(session_event(session, session.cell.effective_rule_set().params))
    return to_ics(cal)
