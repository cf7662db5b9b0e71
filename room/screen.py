"""The room screen's state (issue 15): what the projector shows, read in a fixed number of queries, and
the version token its live updates compare (``room.live.version``, an ETag: in poll mode the screen asks
every 2 s and is answered 304 while nothing changed)."""

from dataclasses import dataclass

from meetings import rules
from meetings import services as meetings
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
    basis: rules.VoteBasis | None


def state(meeting: Meeting) -> ScreenState:
    expected, present = expected_and_present(meeting)
    ballot = Ballot.objects.filter(meeting=meeting).exclude(status=Ballot.Status.WITHDRAWN).last()
    return ScreenState(
        meeting=meeting,
        agenda=[line.strip() for line in meeting.agenda.splitlines() if line.strip()],
        speakers=queue(meeting),
        expected=expected,
        present=present,
        ballot=ballot,
        tally=services.tally(ballot) if ballot else None,
        eligible=eligible_present(meeting),
        basis=meetings.stored_basis(meeting),
    )
