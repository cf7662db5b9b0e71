"""Topics, the Đảng ủy's orientation, a cell's annual thematic plan, its sessions and presenters.

docs/domain.md §2 steps 1–4. A :class:`Session` is one thematic session (buổi sinh hoạt chuyên đề) from
the moment it is planned; later apps (drafts, meetings, resolutions, evaluations) move it along its
lifecycle through their own services.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organizations.models import Member, Organization


class TopicGroup(models.Model):
    """A group of topics (nhóm chuyên đề) a Đảng bộ proposes to its cells; the eight of the source
    article are seeded for each Đảng bộ and may be edited by its Đảng ủy."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("Party organisation"),
        on_delete=models.CASCADE,
        related_name="topic_groups",
    )
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    keywords = models.TextField(
        _("keywords"), blank=True, help_text=_("Words that match members' strengths, separated by commas.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("topic group")
        verbose_name_plural = _("topic groups")
        ordering = ["organization", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="topicgroup_unique_name",
                violation_error_message=_(
                    "This Party organisation already has a topic group with this name."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """A topic in the catalogue: from the Đảng ủy's orientation, or proposed by a cell or a member."""

    class Source(models.TextChoices):
        ORIENTATION = "orientation", _("Party committee orientation")
        CELL = "cell", _("Proposed by the cell")
        MEMBER = "member", _("Proposed by a member")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="topics",
        help_text=_("The Party organisation for catalogue topics, or the cell that proposed it."),
    )
    group = models.ForeignKey(
        TopicGroup, verbose_name=_("topic group"), on_delete=models.PROTECT, related_name="topics"
    )
    title = models.CharField(pgettext_lazy("topic or session", "title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.CELL)
    proposed_by = models.ForeignKey(
        Member,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["group__order", "title"]

    def __str__(self) -> str:
        return self.title


class Orientation(models.Model):
    """The Đảng ủy's thematic orientation for a year: topics it asks cells to cover, and when cells
    must submit their annual plans."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("Party organisation"),
        on_delete=models.CASCADE,
        related_name="orientations",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    plans_due = models.DateField(_("plans due"), help_text=_("Cells submit their annual plans by this date."))
    note = models.TextField(_("guidance"), blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics asked for"), blank=True, related_name="+")

    class Meta:
        verbose_name = _("annual orientation")
        verbose_name_plural = _("annual orientations")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                name="orientation_one_per_year",
                violation_error_message=_("There is already an orientation for this year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.year}"


class AnnualPlan(models.Model):
    """A cell's annual thematic plan (kế hoạch sinh hoạt chuyên đề năm).

    ``draft`` → ``submitted`` → ``acknowledged``, or ``returned`` with remarks and submitted again.
    Changing the sessions of an acknowledged plan opens the next ``revision`` (status ``draft``);
    ``acknowledged_snapshot`` keeps the acknowledged version so the Đảng ủy sees what changed.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        SUBMITTED = "submitted", _("Submitted to the Party committee")
        RETURNED = "returned", _("Returned with remarks")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")

    cell = models.ForeignKey(
        Organization, verbose_name=_("cell"), on_delete=models.CASCADE, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    purpose = models.TextField(
        _("purpose and requirements"), blank=True, help_text=_("Printed as section I of the plan.")
    )
    remarks = models.TextField(_("remarks of the Party committee"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(
        _("first submitted"),
        null=True,
        blank=True,
        help_text=_("Compared with the Party committee's due date."),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_snapshot = models.JSONField(_("acknowledged version"), null=True, blank=True)
    document = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name=_("issued document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lock_version = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("annual thematic plan")
        verbose_name_plural = _("annual thematic plans")
        ordering = ["-year", "cell__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cell", "year"],
                name="plan_one_per_cell_year",
                violation_error_message=_("This cell already has a plan for this year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.cell} · {self.year}"

    @property
    def is_editable(self) -> bool:
        """Sessions can be changed unless the plan is waiting for the Đảng ủy."""
        return self.status != self.Status.SUBMITTED


class Session(models.Model):
    """One thematic session (buổi sinh hoạt chuyên đề) of a cell, from planned to evaluated.

    Side exits: postponing sets a new date (``postponed_from`` keeps the first one); cancelling is the
    ``cancelled`` state with a reason. Both stay visible in the plan."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ASSIGNED = "assigned", _("Presenter assigned")
        DRAFTING = "drafting", _("Draft being written")
        SUBMITTED = "submitted", _("Draft awaiting approval")
        RETURNED = "returned", _("Draft returned with remarks")
        DISTRIBUTED = "distributed", _("Draft sent to members")
        HELD = "held", _("Held")
        REVISING = "revising", _("Final text being revised")
        FINAL_SUBMITTED = "final_submitted", _("Final text awaiting approval")
        FINAL_APPROVED = "final_approved", _("Final text approved")
        RESOLUTION_ISSUED = "resolution_issued", _("Resolution issued")
        EVALUATED = "evaluated", _("Evaluated")
        CANCELLED = "cancelled", _("Cancelled")

    # Which states allow what (open, finished, writable…) is the lifecycle's: planning/lifecycle.py.

    plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="sessions"
    )
    cell = models.ForeignKey(
        Organization, verbose_name=_("cell"), on_delete=models.CASCADE, related_name="sessions"
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    title = models.CharField(pgettext_lazy("topic or session", "title"), max_length=300)
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=[(q, q) for q in (1, 2, 3, 4)])
    month = models.PositiveSmallIntegerField(
        _("month"), null=True, blank=True, choices=[(m, m) for m in range(1, 13)]
    )
    planned_date = models.DateField(_("planned date"), null=True, blank=True)
    planned_time = models.TimeField(_("start time"), null=True, blank=True)
    combined_with_regular = models.BooleanField(
        _("combined with the regular monthly meeting"),
        default=False,
        help_text=_("Held in the same sitting as the monthly meeting (at least 120 minutes)."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    presenters: "models.ManyToManyField[Member, Assignment]" = models.ManyToManyField(
        Member, verbose_name=_("presenters"), through="Assignment", related_name="presented_sessions"
    )
    # Postponing moves the date and keeps the stage the session had reached (docs/domain.md §2: the side exit
    # "postponed" is a mark on the session rather than a state, so the work already done stays valid).
    postponed_from = models.DateField(_("originally planned for"), null=True, blank=True)
    postponed_reason = models.CharField(_("reason for postponing"), max_length=255, blank=True)
    cancelled_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("thematic session")
        verbose_name_plural = _("thematic sessions")
        ordering = ["plan", "quarter", "month", "planned_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12),
                name="session_month_range",
            ),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="session_quarter_range"),
        ]
        indexes = [models.Index(fields=["cell", "planned_date"], name="session_cell_date_idx")]

    def __str__(self) -> str:
        return self.title


class Assignment(models.Model):
    """A member assigned to prepare and present a session (người chuẩn bị / báo cáo viên)."""

    session = models.ForeignKey(Session, verbose_name=_("session"), on_delete=models.CASCADE)
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "member"],
                name="assignment_unique",
                violation_error_message=_("This member is already assigned to this session."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.session}"


class Registration(models.Model):
    """A member offers to present a topic or an open session (đăng ký chuyên đề); the secretary
    accepts (which makes the assignment) or declines with a reason."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the secretary")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="registrations"
    )
    cell = models.ForeignKey(Organization, verbose_name=_("cell"), on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    decision_reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("topic registration")
        verbose_name_plural = _("topic registrations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(session__isnull=False) | Q(topic__isnull=False),
                name="registration_has_target",
                violation_error_message=_("Choose a session or a topic to register for."),
            ),
            models.UniqueConstraint(
                fields=["member", "session"],
                condition=Q(status="pending"),
                name="registration_one_pending_per_session",
                violation_error_message=_("You have already registered for this session."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.session or self.topic}"
