"""A cell meeting and what is recorded at it: attendance, speeches, the vote, the minutes, the resolution.

One :class:`Meeting` record serves every kind of cell meeting (docs/domain.md §2 step 1): the regular monthly
meeting, a thematic session, or both in one sitting. Attendance, speeches, the chair's conclusion, the
vote, the quality level and the minutes work the same for all of them, and the attendance rules count
every meeting of the cell.

The minutes are approved at the end of the meeting, which locks the record; a later correction
re-opens it with a reason and its approval adds a new :class:`MinutesVersion`, the old ones kept.
A thematic session's resolution (:class:`Resolution`) is issued after the final text is approved; its
tasks (:class:`ResolutionTask`) are followed up until done.
"""

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.text import shorten
from meetings import rules
from organizations.models import Member, Organization
from planning.models import Session

if TYPE_CHECKING:
    from documents.frame import DocumentFrame


class Meeting(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular monthly meeting")
        THEMATIC = "thematic", _("Thematic session")
        COMBINED = "combined", _("Regular meeting with a thematic session")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        IN_PROGRESS = "in_progress", _("Being recorded")
        APPROVED = "approved", _("Minutes approved")
        CORRECTING = "correcting", _("Minutes being corrected")

    class VoteMode(models.TextChoices):
        COUNTS = "counts", _("Counted by show of hands")
        NAMED = "named", _("Each member's vote recorded")

    # The record can be written in these states; approval locks it.
    EDITABLE = (Status.IN_PROGRESS, Status.CORRECTING)

    cell = models.ForeignKey(
        Organization, verbose_name=_("cell"), on_delete=models.CASCADE, related_name="meetings"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    session = models.OneToOneField(
        Session,
        verbose_name=_("thematic session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting",
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    place = models.CharField(pgettext_lazy("where a meeting is held", "place"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    chair = models.ForeignKey(
        Member,
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    minutes_secretary = models.ForeignKey(
        Member,
        verbose_name=_("minutes secretary"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    guests = models.TextField(_("guests"), blank=True, help_text=_("One guest per line, with their title."))
    agenda = models.TextField(_("agenda"), blank=True, help_text=_("One item per line."))
    conclusion = models.TextField(_("chair's conclusion"), blank=True)
    # The vote (biểu quyết) on the resolution or conclusion.
    vote_subject = models.CharField(_("put to the vote"), max_length=300, blank=True)
    vote_mode = models.CharField(
        _("how the vote was taken"), max_length=10, choices=VoteMode.choices, blank=True
    )
    votes_for = models.PositiveSmallIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("against"), null=True, blank=True)
    votes_other = models.PositiveSmallIntegerField(_("other opinion"), null=True, blank=True)
    vote_basis = models.JSONField(
        _("adjusted total"), null=True, blank=True, help_text=_("The computation as it stood at the vote.")
    )
    vote_passed = models.BooleanField(_("passed"), null=True, blank=True)
    # The quality level (chất lượng sinh hoạt), from the rule set's rubric.
    quality_scores = models.JSONField(_("points per criterion"), default=dict, blank=True)
    quality_score = models.PositiveSmallIntegerField(_("points"), null=True, blank=True)
    quality_level = models.CharField(_("quality level"), max_length=40, blank=True)
    notice = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name=pgettext_lazy("document type", "Notice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    minutes_document = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name=pgettext_lazy("document type", "Minutes"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    correction_reason = models.CharField(_("reason for the correction"), max_length=500, blank=True)
    # Raised by every save of the record: a phone that saved an older state is told, not overwritten.
    revision = models.PositiveIntegerField(_("revision"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-start_time"]
        constraints = [
            models.UniqueConstraint(
                fields=["cell", "date", "start_time"],
                name="meeting_one_per_cell_and_time",
                violation_error_message=_("This cell already has a meeting at this time."),
            ),
            models.CheckConstraint(
                condition=Q(kind="regular") | Q(session__isnull=False),
                name="meeting_thematic_has_session",
                violation_error_message=_("A thematic session's meeting belongs to a session of the plan."),
            ),
        ]
        indexes = [
            models.Index(fields=["cell", "date"], name="meeting_cell_date_idx"),
            # The dashboard's figures of a period for every cell under a Đảng bộ (reports.selectors).
            models.Index(fields=["date"], name="meeting_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.cell} · {self.date:%d/%m/%Y}"

    @property
    def is_thematic(self) -> bool:
        return self.kind in (self.Kind.THEMATIC, self.Kind.COMBINED)

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def starts_at(self) -> datetime:
        """The start as a moment: the date and start time are the cell's local time (the site's zone)."""
        return timezone.make_aware(
            datetime.combine(self.date, self.start_time), timezone.get_default_timezone()
        )

    @property
    def ends_at(self) -> datetime | None:
        """The recorded end as a moment (None until the end time is recorded)."""
        if self.end_time is None:
            return None
        return timezone.make_aware(
            datetime.combine(self.date, self.end_time), timezone.get_default_timezone()
        )

    @property
    def has_started(self) -> bool:
        """Whether the meeting's start has come (its record may be opened)."""
        return timezone.now() >= self.starts_at

    @property
    def minutes_held(self) -> int | None:
        """Minutes between the start and the end time (None until the end is recorded)."""
        if self.end_time is None:
            return None
        start = self.start_time.hour * 60 + self.start_time.minute
        end = self.end_time.hour * 60 + self.end_time.minute
        return max(end - start, 0)

    @property
    def vote_recorded(self) -> bool:
        return self.votes_for is not None


class Attendance(models.Model):
    """One member summoned to the meeting and how they attended (điểm danh).

    The member's standing is copied from the roster when the record is opened (full or probationary,
    regular or attached here, exempted, attached elsewhere), so the minutes of a past meeting keep the
    counts they had even after the roster changes."""

    class Status(models.TextChoices):
        PRESENT = rules.PRESENT, _("Present")
        LATE = rules.LATE, _("Late")
        EXCUSED = rules.EXCUSED, _("Absent with reason")
        UNEXCUSED = rules.UNEXCUSED, _("Absent without reason")
        EXEMPTED = rules.EXEMPTED, _("Exempted")
        ELSEWHERE = rules.ELSEWHERE, _("Temporarily attached elsewhere")
        SUSPENDED = rules.SUSPENDED, _("Suspended from activity")
        DETAINED = rules.DETAINED, _("Prosecuted or detained")

    class Vote(models.TextChoices):
        FOR = "for", pgettext_lazy("vote", "For")
        AGAINST = "against", pgettext_lazy("vote", "Against")
        OTHER = "other", pgettext_lazy("vote", "Other opinion")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("attendance"), max_length=20, choices=Status.choices, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    full = models.BooleanField(_("full member"))
    attached_here = models.BooleanField(_("temporarily attached to this cell"), default=False)
    exempted = models.BooleanField(_("exempted"), default=False)
    attached_elsewhere = models.BooleanField(_("temporarily attached to another cell"), default=False)
    vote = models.CharField(_("vote"), max_length=10, choices=Vote.choices, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                name="attendance_once_per_meeting",
                violation_error_message=_("This member is already on the attendance list."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_status_display() or '—'}"

    @property
    def attended(self) -> bool:
        return self.status in rules.ATTENDED

    def voter(self) -> rules.Voter:
        return rules.Voter(
            member_id=self.member_id,
            full=self.full and not self.attached_here,
            present=self.attended,
            exempted=self.exempted,
            attached_elsewhere=self.attached_elsewhere,
            suspended=self.status == self.Status.SUSPENDED,
            detained=self.status == self.Status.DETAINED,
        )


class Speech(models.Model):
    """Who spoke and a short summary of what they said (phát biểu), in the order spoken."""

    class Kind(models.TextChoices):
        PRESENTATION = "presentation", _("Presentation of the draft")
        SPEECH = "speech", _("Speech")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="speeches"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("speaker"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    speaker_name = models.CharField(_("speaker (guest)"), max_length=150, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SPEECH)
    summary = models.TextField(_("summary"))
    # Made by the phone that typed the speech: sending it twice (a retry after a dropped connection)
    # saves it once.
    client_id = models.UUIDField(_("client id"), default=uuid.uuid4)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("speech")
        verbose_name_plural = _("speeches")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "client_id"], name="speech_client_id_unique"),
            models.CheckConstraint(
                condition=Q(member__isnull=False) | ~Q(speaker_name=""),
                name="speech_has_speaker",
                violation_error_message=_("Say who spoke."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.speaker} · {shorten(self.summary, 40)}"

    @property
    def speaker(self) -> str:
        return self.member.full_name if self.member_id and self.member else self.speaker_name


class MinutesVersion(models.Model):
    """The minutes as approved: version 1 at the end of the meeting, later ones by correction."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="minutes_versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    snapshot = models.JSONField(_("content as approved"))
    reason = models.CharField(_("reason for the correction"), max_length=500, blank=True)
    approved_at = models.DateTimeField(_("approved"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("minutes version")
        verbose_name_plural = _("minutes versions")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"],
                name="minutes_version_unique",
                violation_error_message=_("These minutes already have this version."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.number}"

    @property
    def frame(self) -> "DocumentFrame":
        from documents.frame import DocumentFrame

        return DocumentFrame.from_dict(self.snapshot)


class Resolution(models.Model):
    """The resolution (nghị quyết) or conclusion (kết luận) of a thematic session (docs/domain.md §4)."""

    class Kind(models.TextChoices):
        RESOLUTION = "NQ", pgettext_lazy("document type", "Resolution")
        CONCLUSION = "KL", pgettext_lazy("document type", "Conclusion")

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="resolution"
    )
    kind = models.CharField(_("kind"), max_length=2, choices=Kind.choices, default=Kind.RESOLUTION)
    results = models.TextField(_("results"), blank=True, help_text=_("I. What the session achieved."))
    shortcomings = models.TextField(_("shortcomings"), blank=True)
    implementation = models.TextField(
        _("implementation"), blank=True, help_text=_("III. Who carries it out and reports, and how.")
    )
    document = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name=_("issued document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=0)

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")

    def __str__(self) -> str:
        return self.document.symbol if self.document else f"{self.get_kind_display()} · {self.meeting}"

    @property
    def is_issued(self) -> bool:
        return self.issued_at is not None


class ResolutionTask(models.Model):
    """II. One task of the resolution: what, who, by when; followed up until done."""

    resolution = models.ForeignKey(
        Resolution, verbose_name=_("resolution"), on_delete=models.CASCADE, related_name="tasks"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.TextField(_("task"))
    owners: "models.ManyToManyField[Member, models.Model]" = models.ManyToManyField(
        Member, verbose_name=_("owners"), related_name="resolution_tasks"
    )
    deadline = models.DateField(_("deadline"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_note = models.CharField(_("result"), max_length=500, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked done by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["resolution", "position", "id"]
        indexes = [models.Index(fields=["done_at", "deadline"], name="task_open_idx")]

    def __str__(self) -> str:
        return shorten(self.description, 60)

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
