"""The evaluation of a session and its presenter (docs/domain.md §2 step 10), and the year-end review.

After the resolution is issued the secretary evaluates the presenter (strengths, weaknesses, an
overall rating) and the session (its result and the lessons learned); the presenter sees it, and the
lessons are shown to the cell when the next sessions are prepared.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from planning.models import Session


class SessionEvaluation(models.Model):
    class Rating(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent")
        GOOD = "good", _("Good")
        FAIR = "fair", _("Fair")
        WEAK = "weak", _("Weak")

    session = models.OneToOneField(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="evaluation"
    )
    presenter_strengths = models.TextField(_("the presenter's strengths"))
    presenter_weaknesses = models.TextField(_("the presenter's weaknesses"), blank=True)
    presenter_rating = models.CharField(_("the presenter overall"), max_length=10, choices=Rating.choices)
    result = models.TextField(_("result of the session"))
    lessons = models.TextField(_("lessons learned"), blank=True, help_text=_("One lesson per line."))
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    evaluated_at = models.DateTimeField(_("evaluated"))

    class Meta:
        verbose_name = _("session evaluation")
        verbose_name_plural = _("session evaluations")
        ordering = ["-evaluated_at"]

    def __str__(self) -> str:
        return str(self.session)

    @property
    def lesson_lines(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.lessons.splitlines() if line.strip(" -•\t")]


class ReviewRound(models.Model):
    """The cell's year-end review (bình xét thi đua) of one year: the secretary's proposed level for each
    member with the evidence beside it; issued as a document once the cell has decided."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        ISSUED = "issued", _("Issued")

    cell = models.ForeignKey(
        "organizations.Organization", verbose_name=_("cell"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    document = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name=_("issued document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)

    class Meta:
        verbose_name = _("year-end review")
        verbose_name_plural = _("year-end reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["cell", "year"],
                name="review_one_per_cell_year",
                violation_error_message=_("This cell already has a review for this year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.cell} · {self.year}"


class ReviewProposal(models.Model):
    """The level proposed for one member (people decide; the application never ranks on its own)."""

    class Level(models.TextChoices):
        EXCELLENT = "excellent", _("Excellently completed their tasks")
        GOOD = "good", _("Well completed their tasks")
        COMPLETE = "complete", _("Completed their tasks")
        INCOMPLETE = "incomplete", _("Did not complete their tasks")
        NOT_RANKED = "not_ranked", _("Not ranked")

    round = models.ForeignKey(
        ReviewRound, verbose_name=_("review"), on_delete=models.CASCADE, related_name="proposals"
    )
    member = models.ForeignKey(
        "organizations.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("proposed level"), max_length=12, choices=Level.choices, blank=True)
    points = models.PositiveSmallIntegerField(_("points"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("proposed level")
        verbose_name_plural = _("proposed levels")
        constraints = [
            models.UniqueConstraint(fields=["round", "member"], name="review_proposal_once"),
            models.CheckConstraint(
                condition=models.Q(points__isnull=True) | models.Q(points__lte=100),
                name="review_points_at_most_100",
                violation_error_message=_("Points are out of 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_level_display()}"
