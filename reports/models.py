"""A cell's progress report to the Đảng ủy (báo cáo), for a quarter or for the whole year.

docs/domain.md §2 step 10: the secretary reports the progress of the thematic sessions every quarter, and
the year ends with a summary. The figures (planned and held sessions, attendance, comments on the
drafts, quality levels, resolutions and their tasks) are computed from the records of the period
(:mod:`reports.selectors`); the secretary adds the narrative. Submitting issues the report as a
numbered Party document (``Số 01-BC/CB``) and freezes the figures as they stood that day in
``figures``; the Đảng ủy acknowledges it, or returns it with remarks and the cell submits it again
(a new number, figures computed afresh).
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization

QUARTERS = (1, 2, 3, 4)


def period_bounds(year: int, quarter: int | None) -> tuple[date, date]:
    """First and last day of a quarter, or of the year when ``quarter`` is None."""
    if quarter is None:
        return date(year, 1, 1), date(year, 12, 31)
    first_month = 3 * quarter - 2
    last_month = first_month + 2
    end = date(year + 1, 1, 1) if last_month == 12 else date(year, last_month + 1, 1)
    return date(year, first_month, 1), date.fromordinal(end.toordinal() - 1)


def period_label(year: int, quarter: int | None) -> str:
    """ "Quarter 3/2026" or "Year 2026", in the active language."""
    if quarter is None:
        return gettext("Year %(year)s") % {"year": year}
    return gettext("Quarter %(quarter)s/%(year)s") % {"quarter": quarter, "year": year}


class Report(models.Model):
    """The report of one cell for one quarter (``quarter`` 1–4) or one year (``quarter`` empty).

    ``draft`` → ``submitted`` → ``acknowledged``; or ``submitted`` → ``returned`` (remarks) →
    ``submitted`` again. While it is a draft (or returned) its figures are computed live; from
    submission on they are read from ``figures``, frozen with the issued document.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        SUBMITTED = "submitted", _("Submitted to the Party committee")
        RETURNED = "returned", _("Returned with remarks")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")

    # The secretaries write the narrative in these states.
    EDITABLE = (Status.DRAFT, Status.RETURNED)
    # A numbered document stands for the report in these states.
    ISSUED = (Status.SUBMITTED, Status.ACKNOWLEDGED)

    cell = models.ForeignKey(
        Organization, verbose_name=_("cell"), on_delete=models.CASCADE, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"),
        null=True,
        blank=True,
        choices=[(q, q) for q in QUARTERS],
        help_text=_("Empty: the annual summary report."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    assessment = models.TextField(
        _("general assessment"),
        blank=True,
        help_text=_("Strengths, shortcomings and their causes, lessons learned. Printed as section II."),
    )
    direction = models.TextField(
        _("tasks for the next period"),
        blank=True,
        help_text=_("What the cell will do next quarter (or next year). Printed as section III."),
    )
    figures = models.JSONField(
        _("figures as submitted"),
        null=True,
        blank=True,
        help_text=_("Frozen when the report is submitted; computed from the records until then."),
    )
    document = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name=_("issued document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    remarks = models.TextField(_("remarks of the Party committee"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["cell", "-year", "-quarter"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4),
                name="report_quarter_range",
                violation_error_message=_("A quarter is 1, 2, 3 or 4."),
            ),
            # Two constraints, because NULL never equals NULL in a unique index: one report per
            # quarter, and one annual report (quarter empty) per year.
            models.UniqueConstraint(
                fields=["cell", "year", "quarter"],
                condition=Q(quarter__isnull=False),
                name="report_one_per_quarter",
                violation_error_message=_("This cell already has a report for this quarter."),
            ),
            models.UniqueConstraint(
                fields=["cell", "year"],
                condition=Q(quarter__isnull=True),
                name="report_one_annual_per_year",
                violation_error_message=_("This cell already has an annual report for this year."),
            ),
        ]
        indexes = [models.Index(fields=["cell", "year"], name="report_cell_year_idx")]

    def __str__(self) -> str:
        return f"{self.period} · {self.cell}"

    @property
    def period(self) -> str:
        return period_label(self.year, self.quarter)

    @property
    def is_annual(self) -> bool:
        return self.quarter is None

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_issued(self) -> bool:
        return self.status in self.ISSUED

    @property
    def bounds(self) -> tuple[date, date]:
        return period_bounds(self.year, self.quarter)


class OrganizationFigures(models.Model):
    """The figures of one organisation's own records for one period (``quarter`` 0: the year), as the
    dashboard adds them up (reports.selectors.Figures and Counts), kept so that the dashboard sums
    stored rows in SQL instead of aggregating the whole subtree after every change (issue 12).

    Derived data, not a record: a row is good while ``version`` is still the organisation's version
    token (core.versions: ``cell:<id>`` and ``all``, which home.invalidation replaces whenever a row
    of the organisation changes, or the tree does) and ``as_of`` is today; otherwise
    reports.selectors computes it again. Only used with the shared cache (settings.FRAME_CACHE), where
    the tokens live; rows can be deleted any time. Not watched by home.invalidation
    (``derived_data``): writing them changes nothing they were read from.
    """

    derived_data = True

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()  # 1–4, or 0 for the year
    as_of = models.DateField()
    version = models.CharField(max_length=100)
    # Figures (reports.selectors.Figures) but quality, which is QualityFigures.
    planned = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)
    cancelled = models.PositiveIntegerField(default=0)
    meetings = models.PositiveIntegerField(default=0)
    regular = models.PositiveIntegerField(default=0)
    thematic = models.PositiveIntegerField(default=0)
    combined = models.PositiveIntegerField(default=0)
    expected = models.PositiveIntegerField(default=0)
    attended = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    excused = models.PositiveIntegerField(default=0)
    unexcused = models.PositiveIntegerField(default=0)
    drafts = models.PositiveIntegerField(default=0)
    readers = models.PositiveIntegerField(default=0)
    commented = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    resolutions = models.PositiveIntegerField(default=0)
    tasks = models.PositiveIntegerField(default=0)
    tasks_done = models.PositiveIntegerField(default=0)
    tasks_overdue = models.PositiveIntegerField(default=0)
    overdue_drafts = models.PositiveIntegerField(default=0)
    # Counts (reports.selectors.Counts): 1 or 0 for a cell, 0 for a Đảng bộ.
    cells = models.PositiveIntegerField(default=0)
    members = models.PositiveIntegerField(default=0)
    no_session = models.PositiveIntegerField(default=0)
    no_plan = models.PositiveIntegerField(default=0)
    no_report = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "quarter"], name="organization_figures_one_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} · {self.year} Q{self.quarter} · {self.as_of}"


class QualityFigures(models.Model):
    """Meetings of one organisation in one period at one quality level (``Figures.quality``), beside
    its OrganizationFigures row and written with it."""

    derived_data = True

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=40)
    meetings = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "quarter", "level"], name="quality_figures_one_per_level"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} · {self.year} Q{self.quarter} · {self.level}: {self.meetings}"
