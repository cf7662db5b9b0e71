"""The meeting room on members' phones: the electronic vote (issue 15).

A :class:`Ballot` is one vote the chair opens on the session's resolution or a motion, named or secret.
Casting a vote writes nothing to the meeting's record; closing the ballot counts it and records the result
through ``meetings.services.record_vote``, as if the secretary had counted the hands. A motion (any other
content put to the vote) keeps its result, with the same adjusted total, on its ballot.

* A **named** ballot keeps each member's choice (:class:`NamedVote`, one per member), which becomes the
  record's named vote.
* A **secret** ballot keeps the choice only as a count on the ballot row. Who voted is a separate flag
  (:class:`SecretVoter`: ballot and member, nothing else) and the voter's receipt another
  (:class:`Receipt`: ballot and a random code, nothing else): no row holds a choice next to a member, no
  timestamp or sequence number is stored that could line a flag up with a count, and the receipt's key is
  the random code itself, not a sequence. A voter keeps their receipt and can check it was counted.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetings.models import Attendance, Meeting
from organizations.models import Member


class Ballot(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("ballot", "Open")
        CLOSED = "closed", pgettext_lazy("ballot", "Closed")
        WITHDRAWN = "withdrawn", pgettext_lazy("ballot", "Withdrawn")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="ballots"
    )
    subject = models.CharField(_("put to the vote"), max_length=300)
    secret = models.BooleanField(_("secret ballot"), default=False)
    # The record holds one vote (on the session's resolution, or the meeting's conclusion). Any other
    # content put to the vote (a motion: approving the minutes, a proposal) keeps its result here, and
    # the minutes print it after the record's vote (room/minutes.py).
    motion = models.BooleanField(_("another content put to the vote"), default=False)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    basis = models.JSONField(_("adjusted total and its parts"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    # The counts of a secret ballot (a named ballot counts its NamedVote rows).
    votes_for = models.PositiveSmallIntegerField(pgettext_lazy("vote", "For"), default=0)
    votes_against = models.PositiveSmallIntegerField(pgettext_lazy("vote", "Against"), default=0)
    votes_other = models.PositiveSmallIntegerField(pgettext_lazy("vote", "Other opinion"), default=0)
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("electronic vote")
        verbose_name_plural = _("electronic votes")
        ordering = ["meeting", "opened_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(status="open"),
                name="ballot_one_open_per_meeting",
                violation_error_message=_("A vote is already open at this meeting."),
            )
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class NamedVote(models.Model):
    """A member's choice in a named ballot: recorded as the member's vote when the ballot closes."""

    ballot = models.ForeignKey(
        Ballot, verbose_name=_("electronic vote"), on_delete=models.CASCADE, related_name="named_votes"
    )
    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("vote"), max_length=10, choices=Attendance.Vote.choices)

    class Meta:
        verbose_name = _("named vote")
        verbose_name_plural = _("named votes")
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "member"],
                name="named_vote_once_per_member",
                violation_error_message=_("You have already voted."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_choice_display()}"


class SecretVoter(models.Model):
    """That a member has voted in a secret ballot: no choice, no time (see the module's note)."""

    ballot = models.ForeignKey(
        Ballot, verbose_name=_("electronic vote"), on_delete=models.CASCADE, related_name="voters"
    )
    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("member who voted")
        verbose_name_plural = _("members who voted")
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "member"],
                name="secret_voter_once_per_member",
                violation_error_message=_("You have already voted."),
            )
        ]

    def __str__(self) -> str:
        return str(self.member)


class Receipt(models.Model):
    """A secret ballot's receipt: the random code given to a voter, whose key it is (no sequence, no time,
    no member, no choice)."""

    code = models.CharField(_("receipt"), max_length=16, primary_key=True)
    ballot = models.ForeignKey(
        Ballot, verbose_name=_("electronic vote"), on_delete=models.CASCADE, related_name="receipts"
    )

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    def __str__(self) -> str:
        return self.code


class CheckIn(models.Model):
    """A member who checked themselves in from their phone, and when: once per meeting (the unique
    constraint refuses a second one even when both arrive at once). The attendance itself is written
    to the meeting's record (present, or late after the start)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="check_ins"
    )
    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("checked in at"))
    late = models.BooleanField(_("late"), default=False)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["meeting", "at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                name="check_in_once_per_member",
                violation_error_message=_("You have already checked in."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.at:%H:%M}"


class SpeakerRequest(models.Model):
    """A member's request to speak (đăng ký phát biểu), optionally on a paragraph of the draft or an agenda
    line; the chair gives the floor and ends it, and the ended turn becomes a speech in the record."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        SPEAKING = "speaking", _("Has the floor")
        DONE = "done", _("Spoke")
        WITHDRAWN = "withdrawn", pgettext_lazy("request to speak", "Withdrawn")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="speaker_requests"
    )
    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+")
    about = models.CharField(
        _("about"), max_length=200, blank=True, help_text=_("A paragraph of the draft or an agenda line.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    requested_at = models.DateTimeField(_("asked at"))
    started_at = models.DateTimeField(_("floor given at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    # The speech written to the record when the turn ends (its client id: ending twice saves it once).
    speech_key = models.UUIDField(_("speech key"), default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("request to speak")
        verbose_name_plural = _("requests to speak")
        ordering = ["meeting", "requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                condition=Q(status__in=("waiting", "speaking")),
                name="speaker_request_one_pending_per_member",
                violation_error_message=_("You have already asked to speak."),
            ),
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(status="speaking"),
                name="speaker_request_one_speaking_per_meeting",
                violation_error_message=_("Someone has the floor; end their turn first."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_status_display()}"
