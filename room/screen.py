"""The room screen's state (issue 15): what the projector shows, read in a fixed number of queries, and
the version token its live updates compare (``room.live.version``, an ETag: in poll mode the screen asks
every 2 s and is answered 304 while nothing changed)."""

from dataclasses import dataclass

from meetings.models import Meeting
from room import services
from room.live import eligible_present, expected_and_present, version
from room.models import Ballot, SpeakerRequest
from room.speakers import queue

__all__ = ["ScreenState", "expected_and_present", "state", "version"]


@dataclass(frozen=True)
class ScreenState:
    meeting: Meeting
    agenda: list[str]
    speakers: list[SpeakerRequest]
    expected: int
    present: int
    ballot: Ballot | None
    tally: services.Tally | None
    eligible: int
    result: services.Result | None


def state(meeting: Meeting) -> ScreenState:
    expected, present = expected_and_present(meeting)
    ballot = Ballot.objects.filter(meeting=meeting).exclude(status=Ballot.Status.WITHDRAWN).last()
    counts = services.tally(ballot) if ballot else None
    return ScreenState(
        meeting=meeting,
        agenda=[line.strip() for line in meeting.agenda.splitlines() if line.strip()],
        speakers=queue(meeting),
        expected=expected,
        present=present,
        ballot=ballot,
        tally=counts,
        eligible=eligible_present(meeting),
        result=services.result_shown(meeting, ballot, counts),
    )
