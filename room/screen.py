"""The room screen's state (issue 15): what the projector shows, read in a fixed number of queries, and
the version token its live updates compare (an ETag: the screen asks every 2 s and is answered 304 while
nothing changed)."""

import hashlib
from dataclasses import dataclass

from django.db.models import Count, Max, Q

from meetings import rules
from meetings import services as meetings
from meetings.models import Attendance, Meeting
from room import services
from room.models import Ballot, CheckIn, SpeakerRequest
from room.speakers import queue


def expected_and_present(meeting: Meeting) -> tuple[int, int]:
    """The members expected at the meeting and how many of them are marked present or late (one query)."""
    counts = Attendance.objects.filter(rules.expected_at_meeting_q(), meeting=meeting).aggregate(
        expected=Count("id"), present=Count("id", filter=Q(status__in=rules.ATTENDED))
    )
    return counts["expected"], counts["present"]


def version(meeting_id: int) -> str:
    """A token that changes whenever anything the screen shows changes (three small queries): the
    record's revision (attendance, speeches, the vote, the agenda), the ballots with their counts, the
    speakers' requests and the check-ins."""
    revision = Meeting.objects.filter(pk=meeting_id).values_list("revision", "status").first()
    ballots = Ballot.objects.filter(meeting_id=meeting_id).aggregate(
        n=Count("id"),
        last=Max("id"),
        voted=Count("voters", distinct=True),
        named=Count("named_votes", distinct=True),
        open=Count("id", filter=Q(status=Ballot.Status.OPEN), distinct=True),
    )
    requests = SpeakerRequest.objects.filter(meeting_id=meeting_id).aggregate(
        n=Count("id"),
        waiting=Count("id", filter=Q(status=SpeakerRequest.Status.WAITING)),
        speaking=Max("id", filter=Q(status=SpeakerRequest.Status.SPEAKING)),
        started=Max("started_at"),
        ended=Max("ended_at"),
    )
    checked = CheckIn.objects.filter(meeting_id=meeting_id).count()
    raw = repr((revision, sorted(ballots.items()), sorted(requests.items()), checked))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


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
        eligible=services.eligible_present(meeting),
        basis=meetings.stored_basis(meeting),
    )
