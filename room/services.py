"""The electronic vote: the chair opens it, each eligible member casts once from their phone, the chair
closes it and the result is recorded through ``meetings.services.record_vote`` (the same checks, the same
adjusted total, the same audit entry and minutes as a vote counted by the secretary).

Decisions:

* **A vote once cast is final**, in both modes, as a paper ballot in the box is: a secret ballot could
  only be changed by finding the voter's earlier choice, which it must not be able to do.
* Who may cast is decided when they cast (``meetings.services.may_vote``: a full member of the cell,
  present, not attached elsewhere, suspended or detained), so a member who checks in late may still vote;
  probationary members and members attached elsewhere see the vote but are refused.
* The record holds one vote (on the resolution, or the meeting's conclusion): a ballot for it cannot be
  opened while the record holds a vote, and closing refuses to write over one recorded meanwhile. Any
  other content (a **motion**: approving the minutes, a proposal, a second question) is opened as such;
  closing it computes the result against the same adjusted total and keeps it on the ballot, and the
  minutes print it after the record's vote (room/minutes.py).
* Casting writes no audit entry: for a secret ballot its time would line a voter up with the count.
"""

import secrets
from dataclasses import asdict, dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import log_action
from core.errors import DomainError, InvalidTransition, PermissionDenied
from core.permissions import require
from meetings import rules
from meetings import services as meetings
from meetings.models import Attendance, Meeting
from meetings.permissions import visible_meetings
from meetings.services.common import bump
from meetings.services.common import locked as meeting_locked
from organizations.models import Member
from room import live
from room.models import Ballot, NamedVote, Receipt, SecretVoter

CHOICES = frozenset(Attendance.Vote.values)
RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or copied by hand
RECEIPT_LENGTH = 10


@dataclass(frozen=True)
class Cast:
    """What the voter is told: their vote counted, and the receipt of a secret ballot."""

    ballot: Ballot
    receipt: str | None = None


def open_ballot(*, actor: Any, meeting: Meeting, subject: str, secret: bool, motion: bool = False) -> Ballot:
    """Open a vote at the meeting (the chair: whoever records the meeting): the record's vote, or with
    ``motion`` another content put to the vote, whose result stays on the ballot."""
    require(actor, "meeting.record", meeting)
    subject = " ".join(subject.split())[:300]
    if not subject:
        raise DomainError(_("Say what is put to the vote."), field="subject")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
        if not meeting.is_editable:
            raise InvalidTransition(_("The vote can be opened only while the meeting is being recorded."))
        if meeting.vote_recorded and not motion:
            raise InvalidTransition(
                _("The record already holds a vote. Clear it first if the meeting votes again.")
            )
        missing = meeting.attendances.filter(status="").count()
        if missing:
            raise InvalidTransition(
                _("Mark the attendance of every member before the vote (%(count)s still to mark).")
                % {"count": missing}
            )
        if Ballot.objects.filter(meeting=meeting, status=Ballot.Status.OPEN).exists():
            raise InvalidTransition(_("A vote is already open at this meeting."))
        ballot = Ballot.objects.create(
            meeting=meeting,
            subject=subject,
            secret=secret,
            motion=motion,
            opened_by=actor if getattr(actor, "pk", None) else None,
        )
        log_action(
            actor,
            "room.vote.opened",
            meeting,
            {"ballot": ballot.pk, "subject": subject, "secret": secret, "motion": motion},
        )
        live.changed(meeting.pk)
    return ballot


def voter_attendance(user: Any, meeting: Meeting) -> Attendance | None:
    """The user's line on the meeting's attendance list (None when they are not summoned)."""
    member_id = Member.objects.filter(user=user).values_list("pk", flat=True).first() if user else None
    if member_id is None:
        return None
    return Attendance.objects.filter(meeting=meeting, member_id=member_id).first()


def cast_vote(*, actor: Any, ballot: Ballot, choice: str) -> Cast:
    """The member's own vote, once. Refused to anyone who may not vote and after the ballot closes; a
    second vote is refused by the database's unique constraint even when both arrive at once."""
    if choice not in CHOICES:
        raise DomainError(_("Choose for, against or other opinion."), field="choice")
    if not visible_meetings(actor).filter(pk=ballot.meeting_id).exists():
        raise PermissionDenied(_("You are not allowed to do this."))
    attendance = voter_attendance(actor, ballot.meeting)
    if attendance is None:
        raise PermissionDenied(_("Only the members summoned to the meeting may vote."))
    if not meetings.may_vote(attendance):
        raise PermissionDenied(_refusal(attendance))
    try:
        with transaction.atomic():
            locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
            if not locked.is_open:
                raise InvalidTransition(_("The vote is closed."))
            if locked.secret:
                SecretVoter.objects.create(ballot=locked, member_id=attendance.member_id)
                counter = {
                    Attendance.Vote.FOR: "votes_for",
                    Attendance.Vote.AGAINST: "votes_against",
                    Attendance.Vote.OTHER: "votes_other",
                }[Attendance.Vote(choice)]
                Ballot.objects.filter(pk=locked.pk).update(**{counter: F(counter) + 1})
                receipt = Receipt.objects.create(ballot=locked, code=_new_receipt_code()).code
                live.changed(locked.meeting_id)
                return Cast(ballot=locked, receipt=receipt)
            NamedVote.objects.create(ballot=locked, member_id=attendance.member_id, choice=choice)
            live.changed(locked.meeting_id)
            return Cast(ballot=locked)
    except IntegrityError:
        # The unique constraint (ballot, member): this member's vote is already in.
        raise InvalidTransition(_("You have already voted.")) from None


def _refusal(attendance: Attendance) -> Any:
    voter = attendance.voter()
    if not voter.full:
        return _("Probationary members and members attached here temporarily do not vote.")
    if voter.attached_elsewhere:
        return _("Members temporarily attached to another cell vote there, not here.")
    if not voter.present:
        return _("Only members present at the meeting may vote; check in first.")
    return _("You may not vote at this meeting.")


def _new_receipt_code() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


def receipt_counted(ballot: Ballot, code: str) -> bool:
    """Whether the receipt ``code`` is among the ballots counted (spaces and case ignored)."""
    code = "".join(code.split()).upper()
    return Receipt.objects.filter(ballot=ballot, code=code).exists()


@dataclass(frozen=True)
class Tally:
    voted: int
    votes_for: int
    against: int
    other: int


def tally(ballot: Ballot) -> Tally:
    """The counts so far (of a secret ballot: nothing else is known)."""
    if ballot.secret:
        fresh = Ballot.objects.get(pk=ballot.pk)
        return Tally(
            voted=fresh.votes_for + fresh.votes_against + fresh.votes_other,
            votes_for=fresh.votes_for,
            against=fresh.votes_against,
            other=fresh.votes_other,
        )
    choices = list(NamedVote.objects.filter(ballot=ballot).values_list("choice", flat=True))
    return Tally(
        voted=len(choices),
        votes_for=choices.count(Attendance.Vote.FOR),
        against=choices.count(Attendance.Vote.AGAINST),
        other=choices.count(Attendance.Vote.OTHER),
    )


def close_ballot(*, actor: Any, ballot: Ballot) -> Any:
    """Close the vote and record its result in the meeting's record, as the secretary would have
    (``meetings.services.record_vote``): members who did not vote count as not voting for. Returns the
    rule's result (the adjusted total and its parts)."""
    require(actor, "meeting.record", ballot.meeting)
    with transaction.atomic():
        locked = Ballot.objects.select_for_update().select_related("meeting").get(pk=ballot.pk)
        if not locked.is_open:
            raise InvalidTransition(_("The vote is closed."))
        counts = tally(locked)
        if not counts.voted:
            raise InvalidTransition(_("Nobody has voted yet. Wait for the votes, or withdraw the vote."))
        if locked.motion:
            result = _close_motion(actor, locked, counts)
        elif locked.secret:
            result = meetings.record_vote(
                actor=actor,
                meeting=locked.meeting,
                mode=Meeting.VoteMode.COUNTS,
                votes_for=counts.votes_for,
                against=counts.against,
                other=counts.other,
                subject=locked.subject,
                first=True,
            )
        else:
            named = dict(NamedVote.objects.filter(ballot=locked).values_list("member_id", "choice"))
            result = meetings.record_vote(
                actor=actor,
                meeting=locked.meeting,
                mode=Meeting.VoteMode.NAMED,
                named=named,
                subject=locked.subject,
                first=True,
            )
        locked.status, locked.closed_at = Ballot.Status.CLOSED, timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        log_action(
            actor,
            "room.vote.closed",
            locked.meeting,
            {
                "ballot": locked.pk,
                "voted": counts.voted,
                "eligible": result.basis.eligible_present,
                "motion": locked.motion,
            },
        )
        live.changed(locked.meeting_id)
    return result


def _close_motion(actor: Any, ballot: Ballot, counts: Tally) -> rules.VoteResult:
    """A motion's result against the adjusted total of the attendance as it stands, kept on the ballot;
    the record's revision counts it (its minutes print it)."""
    meeting = meeting_locked(ballot.meeting)
    if not meeting.is_editable:
        raise InvalidTransition(_("The vote can be closed only while the meeting is being recorded."))
    basis = rules.vote_basis(a.voter() for a in meeting.attendances.all())
    try:
        result = rules.tally(basis, votes_for=counts.votes_for, against=counts.against, other=counts.other)
    except rules.InvalidCount as error:
        raise DomainError(str(error)) from None
    ballot.passed, ballot.basis = result.passed, asdict(result.basis)
    ballot.save(update_fields=["passed", "basis"])
    bump(meeting)
    return result


@dataclass(frozen=True)
class Result:
    """A vote's result as the pages and the screen show it: the adjusted total with its parts, whether
    it passed, and the votes for."""

    basis: rules.VoteBasis
    passed: bool
    votes_for: int


def result_shown(meeting: Meeting, ballot: Ballot | None, counts: Tally | None) -> Result | None:
    """The result beside the latest ballot: a closed motion's own, else the record's vote (also one the
    secretary counted by hand); none while the ballot is open."""
    if ballot is not None and ballot.is_open:
        return None
    if ballot is not None and ballot.motion:
        if not ballot.basis or counts is None:
            return None
        return Result(rules.VoteBasis(**ballot.basis), bool(ballot.passed), counts.votes_for)
    basis = meetings.stored_basis(meeting)
    if basis is None or meeting.votes_for is None:
        return None
    return Result(basis, bool(meeting.vote_passed), meeting.votes_for)


def result_sentence(result: rules.VoteResult) -> str:
    """The result in one sentence, as the chair's page and the API tell it on closing."""
    text = (
        _("Passed: %(for)s for, at least %(needed)s of %(total)s needed.")
        if result.passed
        else _("Not passed: %(for)s for, at least %(needed)s of %(total)s needed.")
    )
    return str(text) % {
        "for": result.votes_for,
        "needed": result.basis.needed,
        "total": result.basis.adjusted_total,
    }


def withdraw_ballot(*, actor: Any, ballot: Ballot) -> None:
    """Take back a vote opened by mistake, before anyone has voted."""
    require(actor, "meeting.record", ballot.meeting)
    with transaction.atomic():
        locked = Ballot.objects.select_for_update().select_related("meeting").get(pk=ballot.pk)
        if not locked.is_open:
            raise InvalidTransition(_("The vote is closed."))
        if tally(locked).voted:
            raise InvalidTransition(_("Members have voted: close the vote instead."))
        locked.status, locked.closed_at = Ballot.Status.WITHDRAWN, timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        log_action(
            actor, "room.vote.withdrawn", locked.meeting, {"ballot": locked.pk, "subject": locked.subject}
        )
        live.changed(locked.meeting_id)


@dataclass(frozen=True)
class Standing:
    """What the vote page shows a member: whether they may cast, why not, and whether they have."""

    may_cast: bool
    reason: str
    voted: bool


def standing(user: Any, ballot: Ballot) -> Standing:
    """The reader's standing in ``ballot`` (two queries whatever the size of the meeting)."""
    attendance = voter_attendance(user, ballot.meeting)
    if attendance is None:
        return Standing(False, str(_("Only the members summoned to the meeting may vote.")), False)
    flags = NamedVote if not ballot.secret else SecretVoter
    voted = flags.objects.filter(ballot=ballot, member_id=attendance.member_id).exists()
    if not meetings.may_vote(attendance):
        return Standing(False, str(_refusal(attendance)), voted)
    return Standing(not voted and ballot.is_open, "", voted)
