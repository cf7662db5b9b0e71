"""Drafts of thematic sessions: versions, approval rounds, distribution, reading, comments, responses.

docs/domain.md §2 steps 5–6 and 8. The session's place in its lifecycle stays on ``planning.Session.status``
(drafting → submitted ⇄ returned → distributed); these models hold what each step produced.
Every version is immutable once written; comments keep the version they were written on and are
re-attached to the matching paragraph of each newer version.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.text import shorten
from drafts.rules import comments_due
from organizations.models import Member
from planning.models import Session


class DraftVersion(models.Model):
    """One immutable version of a session's written text (dự thảo, or the final text after the meeting)."""

    class Kind(models.TextChoices):
        DOCX = "docx", _("Word document")
        PDF = "pdf", _("PDF")
        HTML = "html", _("Written in the editor")

    class Stage(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Final text")

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="draft_versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.DRAFT)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="drafts/%Y/%m/", blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    html = models.TextField(_("text"), blank=True, help_text=_("Sanitised HTML; empty for a PDF."))
    paragraphs = models.JSONField(_("paragraphs"), default=list)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    class Meta:
        verbose_name = _("draft version")
        verbose_name_plural = _("draft versions")
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "number"],
                name="draftversion_unique_number",
                violation_error_message=_("This version number already exists; reload the page."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} · v{self.number}"

    def anchors(self) -> set[str]:
        return {p["anchor"] for p in self.paragraphs}


class Review(models.Model):
    """One approval round: the presenter submits a version; the secretary (or chi ủy) approves or
    returns it."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned with remarks")

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="reviews"
    )
    version = models.ForeignKey(
        DraftVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    remarks = models.TextField(_("remarks"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("approval round")
        verbose_name_plural = _("approval rounds")
        ordering = ["session", "-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session"],
                condition=Q(decision="pending"),
                name="review_one_pending_per_session",
                violation_error_message=_("This draft is already waiting for approval."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.version} · {self.get_decision_display()}"


class Distribution(models.Model):
    """The approved draft sent to the members for study (gửi đảng viên nghiên cứu)."""

    session = models.OneToOneField(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="distribution"
    )
    version = models.ForeignKey(
        DraftVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="+"
    )
    distributed_at = models.DateTimeField(_("sent"), auto_now_add=True)
    distributed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    include_exempted = models.BooleanField(_("also sent to exempted members"), default=False)
    late = models.BooleanField(
        _("sent late"), default=False, help_text=_("Later than the rule set allows before the meeting.")
    )

    class Meta:
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")

    def __str__(self) -> str:
        return str(self.session)

    @property
    def comments_due(self) -> "date | None":
        """Counted back from the session's date (which postponing may move) by the rule set."""
        return comments_due(self.session)


class Reading(models.Model):
    """The first time a member opened the distributed draft."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="readings"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="readings"
    )
    version = models.ForeignKey(
        DraftVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="+"
    )
    first_opened_at = models.DateTimeField(_("first opened"), auto_now_add=True)

    class Meta:
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="reading_once_per_member")]

    def __str__(self) -> str:
        return f"{self.member} · {self.session}"


class Comment(models.Model):
    """A member's comment (góp ý) on a paragraph, a PDF page or the whole draft, or a reply to one.

    ``version``/``anchor`` say where it was written; ``current_version``/``current_anchor`` where it
    sits in the newest version (``unmatched`` when no paragraph there is similar enough: it is then
    shown apart, never dropped). Deleting leaves a tombstone."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="comments"
    )
    version = models.ForeignKey(
        DraftVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="+"
    )
    anchor = models.CharField(
        _("paragraph"), max_length=20, blank=True, help_text=_("Empty: the whole draft.")
    )
    current_version = models.ForeignKey(
        DraftVersion, verbose_name=_("current version"), on_delete=models.CASCADE, related_name="+"
    )
    current_anchor = models.CharField(_("current paragraph"), max_length=20, blank=True)
    unmatched = models.BooleanField(_("paragraph not found in the newest version"), default=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    author = models.ForeignKey(
        Member, verbose_name=_("author"), on_delete=models.PROTECT, related_name="comments"
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    late = models.BooleanField(_("after the comment deadline"), default=False)
    # Made on the phone with the form: a comment sent again (queued without signal, a retry, a double
    # tap) is stored once. Empty for comments from before it existed.
    client_id = models.UUIDField(_("client id"), null=True, blank=True, editable=False)
    # A comment written on the printed comment sheet (góp ý bằng văn bản) by a member without a phone,
    # typed in by a secretary on their behalf: who typed it, and the day the sheet was handed in (what
    # decides whether it came after the deadline).
    on_paper = models.BooleanField(_("comment on paper"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handed_in_on = models.DateField(_("handed in on"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["session", "created_at", "id"]
        indexes = [models.Index(fields=["session", "created_at"], name="comment_session_idx")]
        constraints = [
            models.UniqueConstraint(fields=["author", "client_id"], name="comment_client_id_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.author} · {shorten(self.body, 40)}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Response(models.Model):
    """How the presenter handled one comment (tiếp thu, giải trình)."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", pgettext_lazy("response to a comment", "Accepted")
        PARTLY = "partly", _("Partly accepted")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")

    comment = models.OneToOneField(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="response"
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    explanation = models.TextField(_("explanation"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    responded_at = models.DateTimeField(_("answered"), auto_now=True)

    class Meta:
        verbose_name = _("response to a comment")
        verbose_name_plural = _("responses to comments")

    def __str__(self) -> str:
        return f"{self.comment} · {self.get_decision_display()}"


class Reminder(models.Model):
    """A reminder sent to the members who had not commented (by the secretary, or automatically)."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="reminders"
    )
    automatic = models.BooleanField(_("automatic"), default=False)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["session"], condition=Q(automatic=True), name="reminder_one_automatic_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.sent_at:%Y-%m-%d}"
