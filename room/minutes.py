"""The motions in the minutes: each other content put to the electronic vote at the meeting, after the
record's own vote, with its result against the adjusted total (registered with meetings.hooks)."""

from typing import Any

from documents.frame import paragraph
from meetings.documents import names_table, vote_lines
from meetings.models import Attendance, Meeting
from room.models import Ballot, NamedVote


def motions(meeting: Meeting) -> list[dict[str, Any]]:
    """Two queries, whatever the number of motions: the closed ones, and the names of the named ones."""
    ballots = list(
        Ballot.objects.filter(meeting=meeting, motion=True, status=Ballot.Status.CLOSED).order_by(
            "closed_at", "id"
        )
    )
    if not ballots:
        return []
    named: dict[int, dict[str, list[str]]] = {}
    rows = (
        NamedVote.objects.filter(ballot__in=[b for b in ballots if not b.secret])
        .select_related("member")
        .order_by("member__full_name")
    )
    for vote in rows:
        named.setdefault(vote.ballot_id, {c: [] for c in Attendance.Vote.values})[vote.choice].append(
            vote.member.full_name
        )
    blocks: list[dict[str, Any]] = []
    for ballot in ballots:
        how = "bỏ phiếu kín" if ballot.secret else "biểu quyết công khai"
        blocks.append(paragraph(f"Biểu quyết nội dung: {ballot.subject} (biểu quyết điện tử, {how})."))
        counts = _counts(ballot, named.get(ballot.pk))
        blocks.extend(
            paragraph(line)
            for line in vote_lines(ballot.basis, **counts, passed=bool(ballot.passed), what="nội dung")
        )
        if not ballot.secret and ballot.pk in named:
            blocks.append(names_table({c: ", ".join(n) for c, n in named[ballot.pk].items()}))
    return blocks


def _counts(ballot: Ballot, names: dict[str, list[str]] | None) -> dict[str, int]:
    if ballot.secret or names is None:
        return {"votes_for": ballot.votes_for, "against": ballot.votes_against, "other": ballot.votes_other}
    return {
        "votes_for": len(names[Attendance.Vote.FOR]),
        "against": len(names[Attendance.Vote.AGAINST]),
        "other": len(names[Attendance.Vote.OTHER]),
    }
