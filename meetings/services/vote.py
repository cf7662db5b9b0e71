"""The vote against the adjusted total (docs/domain.md §3): recording it, by counts or member by
member, and taking it back."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.audit import log_action
from core.errors import DomainError, InvalidTransition
from core.permissions import require
from meetings import rules
from meetings.models import Attendance, Meeting, Resolution
from meetings.services.common import bump, locked, norm, require_editable
from organizations.selectors import vietnamese_name_key


def record_vote(
    *,
    actor: Any,
    meeting: Meeting,
    mode: str,
    votes_for: int | None = None,
    against: int | None = None,
    other: int | None = None,
    named: dict[int, str] | None = None,
    subject: str | None = None,
    first: bool = False,
) -> rules.VoteResult:
    """Record the vote, by counts or member by member, against the adjusted total (docs/domain.md §3).

    Refused before every member's attendance is marked (the total depends on it), and when the counts
    exceed the full members present who may vote. ``first``: the form was drawn with no vote recorded
    (the page's form always is); if one was recorded meanwhile, the same counts sent again (a double tap,
    a retry) change nothing, and different counts are refused rather than written over it."""
    require(actor, "meeting.record", meeting)
    if mode not in Meeting.VoteMode.values:
        raise DomainError(_("Choose how the vote was taken."), field="mode")
    with transaction.atomic():
        meeting = locked(meeting)
        require_editable(meeting)
        _refuse_under_issued_resolution(meeting)
        attendances = list(meeting.attendances.select_related("member"))
        missing = [a.member.full_name for a in attendances if not a.status]
        if missing:
            raise InvalidTransition(
                _("Mark the attendance of every member before the vote: %(names)s.")
                % {"names": ", ".join(sorted(missing, key=vietnamese_name_key))}
            )
        basis = rules.vote_basis(a.voter() for a in attendances)
        if mode == Meeting.VoteMode.NAMED:
            named = {int(k): v for k, v in (named or {}).items() if v}
            if not named:
                raise DomainError(_("Choose the vote of each member who voted."))
            allowed = {a.member_id for a in attendances if may_vote(a)}
            strangers = set(named) - allowed
            if strangers:
                names = [a.member.full_name for a in attendances if a.member_id in strangers]
                raise DomainError(
                    _("Only full members present may vote: %(names)s cannot.")
                    % {"names": ", ".join(names) or str(len(strangers))}
                )
            if any(v not in Attendance.Vote.values for v in named.values()):
                raise DomainError(_("Choose for, against or other opinion."))
            votes_for = sum(1 for v in named.values() if v == Attendance.Vote.FOR)
            against = sum(1 for v in named.values() if v == Attendance.Vote.AGAINST)
            other = sum(1 for v in named.values() if v == Attendance.Vote.OTHER)
        if votes_for is None or against is None or other is None:
            raise DomainError(_("Enter the three counts (write 0 where nobody voted so)."))
        try:
            result = rules.tally(basis, votes_for=votes_for, against=against, other=other)
        except rules.InvalidCount as error:
            raise DomainError(str(error)) from None
        if first and meeting.vote_mode:
            stored = (meeting.vote_mode, meeting.votes_for, meeting.votes_against, meeting.votes_other)
            if stored == (mode, votes_for, against, other):
                return result  # the same vote sent again: already recorded
            raise InvalidTransition(
                _(
                    "A vote was recorded meanwhile (%(for)s for, %(against)s against, %(other)s other). "
                    "Clear it first if it must be corrected."
                )
                % {"for": meeting.votes_for, "against": meeting.votes_against, "other": meeting.votes_other}
            )
        if mode == Meeting.VoteMode.NAMED:
            for attendance in attendances:
                attendance.vote = named.get(attendance.member_id, "") if named else ""
            Attendance.objects.bulk_update(attendances, ["vote"])
        else:
            meeting.attendances.exclude(vote="").update(vote="")
        meeting.vote_mode = mode
        meeting.votes_for, meeting.votes_against, meeting.votes_other = votes_for, against, other
        meeting.vote_basis = {
            "full_members": basis.full_members,
            "attached_elsewhere": basis.attached_elsewhere,
            "exempted_absent": basis.exempted_absent,
            "suspended": basis.suspended,
            "detained": basis.detained,
            "adjusted_total": basis.adjusted_total,
            "needed": basis.needed,
            "eligible_present": basis.eligible_present,
        }
        meeting.vote_passed = result.passed
        if subject is not None:
            meeting.vote_subject = norm(subject)[:300]
        bump(
            meeting,
            "vote_mode",
            "votes_for",
            "votes_against",
            "votes_other",
            "vote_basis",
            "vote_passed",
            "vote_subject",
        )
        log_action(
            actor,
            "meetings.vote.recorded",
            meeting,
            {"for": votes_for, "total": basis.adjusted_total, "needed": basis.needed},
        )
    return result


def _refuse_under_issued_resolution(meeting: Meeting) -> None:
    if Resolution.objects.filter(meeting=meeting, issued_at__isnull=False).exists():
        raise InvalidTransition(
            _("The resolution was issued on this vote; the vote can no longer be changed.")
        )


def may_vote(attendance: Attendance) -> bool:
    """A full member of this cell, in the room, not attached elsewhere, suspended or detained."""
    voter = attendance.voter()
    return (
        voter.full and voter.present and not (voter.attached_elsewhere or voter.suspended or voter.detained)
    )


def clear_vote(*, actor: Any, meeting: Meeting) -> None:
    """Take the vote back (to correct the attendance it stood on)."""
    require(actor, "meeting.record", meeting)
    with transaction.atomic():
        meeting = locked(meeting)
        require_editable(meeting)
        _refuse_under_issued_resolution(meeting)
        meeting.attendances.exclude(vote="").update(vote="")
        meeting.vote_mode, meeting.vote_basis, meeting.vote_passed = "", None, None
        meeting.votes_for = meeting.votes_against = meeting.votes_other = None
        bump(meeting, "vote_mode", "vote_basis", "vote_passed", "votes_for", "votes_against", "votes_other")
        log_action(actor, "meetings.vote.cleared", meeting)


def stored_basis(meeting: Meeting) -> rules.VoteBasis | None:
    """The adjusted total as it was computed when the vote was recorded (None before the vote)."""
    return rules.VoteBasis(**meeting.vote_basis) if meeting.vote_basis else None
