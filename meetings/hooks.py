"""What the apps above meetings add to its pages, without meetings importing them (as planning/hooks.py
does for planning): the meeting room (room) adds its links to the meeting's page, and hears of every
change of a record (to tell the phones and the room screen)."""

from collections.abc import Callable
from typing import Any

from meetings.models import Meeting

# part(user, meeting) -> [(label, url)], with no query of its own (the page is cached per cell).
MeetingLinks = Callable[[Any, Meeting], list[tuple[str, str]]]

_MEETING_LINKS: list[MeetingLinks] = []


def add_to_meeting_page(part: MeetingLinks) -> None:
    if part not in _MEETING_LINKS:
        _MEETING_LINKS.append(part)


def meeting_links(user: Any, meeting: Meeting) -> list[tuple[str, str]]:
    links: list[tuple[str, str]] = []
    for part in _MEETING_LINKS:
        links.extend(part(user, meeting))
    return links


# changed(meeting_id), called inside the transaction that saves the record (``services.common.bump``):
# the room (room/live.py) tells the phones and the screen once it commits.
RecordChange = Callable[[int], None]

_RECORD_CHANGE: list[RecordChange] = []


def on_record_change(listener: RecordChange) -> None:
    if listener not in _RECORD_CHANGE:
        _RECORD_CHANGE.append(listener)


def record_changed(meeting_id: int) -> None:
    for listener in _RECORD_CHANGE:
        listener(meeting_id)
