"""iCalendar output: a user's private feed and one session as an .ics file.

Times are in the organisation's time zone (settings.TIME_ZONE, Asia/Ho_Chi_Minh by default) with a
VTIMEZONE block, so every calendar app shows the meeting at the right hour; sessions without a start
time and deadlines are all-day events.

notifications sits below the apps whose dates it shows (docs/architecture.md), so those apps make the
events and register them in their ``AppConfig.ready()``, the way they register permission actions with
``core.permissions``: meetings the feed (sessions, their deadlines and the meetings, see
meetings/calendar.py), planning the one-session file (planning/calendar.py).
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

PRODID = "-//chuyende//sinh hoat chuyen de//VI"

FeedEvents = Callable[[Any], Iterable[Event]]
SessionFile = Callable[[Any, int], bytes | None]

_FEED: list[FeedEvents] = []
_SESSION_FILE: list[SessionFile] = []


def register_feed(events: FeedEvents) -> None:
    """``events(user)`` yields the events of the user's private feed, in the order they are written."""
    if events not in _FEED:
        _FEED.append(events)


def register_session_file(build: SessionFile) -> None:
    """``build(user, pk)`` returns the .ics of one session, or None when the user may not see it or it
    has no date."""
    _SESSION_FILE[:] = [build]


def new_calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", " ".join(name.split()))  # one line, whatever a title holds
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def to_ics(cal: Calendar) -> bytes:
    cal.add_missing_timezones()
    return cal.to_ical()


def user_feed(user: Any) -> bytes:
    cal = new_calendar(_("Thematic sessions"))
    for events in _FEED:
        for event in events(user):
            cal.add_component(event)
    return to_ics(cal)


def session_file(user: Any, pk: int) -> bytes | None:
    return _SESSION_FILE[0](user, pk) if _SESSION_FILE else None
