"""Model thematic sessions (sinh hoạt chuyên đề mẫu) and their roll-out to other cells
(docs/domain.md §2 step 11).

A cell registers one of its sessions as a model with the Đảng ủy of its Đảng bộ (:class:`ModelSession`,
``registered``); the Đảng ủy approves it or declines it with a reason. Once the session has been held
and evaluated, the cell or the Đảng ủy publishes it: its package (topic, final text, minutes extract,
resolution, lessons, quality level) is frozen as JSON in ``package`` and every cell of the Đảng bộ can
read it in the library. Another cell adopts it in one step (:class:`Adoption`), which adds a session
on the same topic to its own annual plan and keeps the link back to the model.

``registered`` → ``approved`` → ``published``; side exits ``declined`` (by the Đảng ủy, with a reason)
and ``withdrawn`` (by the cell, before publication). A declined or withdrawn session may be registered
again: only one registration of a session is live at a time.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization
from planning.models import Session


class ModelSession(models.Model):
    """A session a cell registered as a model session with its Đảng ủy, and, once published, its package."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Waiting for the Party committee")
        APPROVED = "approved", _("Approved by the Party committee")
        DECLINED = "declined", _("Declined by the Party committee")
        PUBLISHED = "published", _("Published in the library")
        WITHDRAWN = "withdrawn", _("Withdrawn by the cell")

    # A registration in one of these states blocks another one for the same session.
    LIVE_STATUSES = (Status.REGISTERED, Status.APPROVED, Status.PUBLISHED)

    # A session still only planned may be removed from its plan (planning.services.remove_session); its
    # registration goes with it (the audit log keeps what happened). A published model's session is
    # evaluated and can no longer be removed.
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="model_registrations"
    )
    # Copied from the session when it is registered, so that the library's listings filter on indexed
    # columns without joining the plan.
    cell = models.ForeignKey(Organization, verbose_name=_("cell"), on_delete=models.PROTECT, related_name="+")
    party = models.ForeignKey(
        Organization,
        verbose_name=_("Party organisation"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The Đảng bộ whose Party committee approves the model and whose cells read it."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED)
    note = models.TextField(
        _("what the cell wants to show"),
        blank=True,
        help_text=_("Why this session is a model: the method, the preparation, what other cells can take."),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registered"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.CharField(
        _("reason"), max_length=500, blank=True, help_text=_("Why it was declined or withdrawn.")
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # The package as published (see library/package.py); never rebuilt from the live records.
    package = models.JSONField(_("package as published"), null=True, blank=True)

    class Meta:
        verbose_name = _("model session")
        verbose_name_plural = _("model sessions")
        ordering = ["-published_at", "-registered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session"],
                condition=Q(status__in=["registered", "approved", "published"]),
                name="library_one_live_model_per_session",
                violation_error_message=_("This session is already registered as a model session."),
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | (Q(package__isnull=False) & Q(published_at__isnull=False)),
                name="library_published_has_package",
                violation_error_message=_("A published model session needs its package."),
            ),
        ]
        indexes = [models.Index(fields=["party", "status"], name="library_model_party_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """The topic as published, else the session's current title."""
        if self.package:
            return str(self.package["topic"]["title"])
        return self.session.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Adoption(models.Model):
    """A cell adopting a published model session (nhân rộng): the session it added to its own plan."""

    model = models.ForeignKey(
        ModelSession, verbose_name=_("model session"), on_delete=models.PROTECT, related_name="adoptions"
    )
    cell = models.ForeignKey(Organization, verbose_name=_("cell"), on_delete=models.PROTECT, related_name="+")
    # The adopting cell may still remove a session that is only planned (planning.services.remove_session);
    # the adoption then stays on record, without its session.
    session = models.OneToOneField(
        Session,
        verbose_name=_("session in the cell's plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adopted_from",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=[(q, q) for q in (1, 2, 3, 4)])
    plan_created = models.BooleanField(
        _("plan started by the adoption"),
        default=False,
        help_text=_("The cell had no plan for this year; adopting the model started one."),
    )
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adopted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    adopted_at = models.DateTimeField(_("adopted"))

    class Meta:
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        ordering = ["-adopted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="library_adoption_quarter_range"
            ),
        ]
        indexes = [models.Index(fields=["model", "cell", "year"], name="library_adoption_cell_idx")]

    def __str__(self) -> str:
        return f"{self.cell} · {self.model}"
