"""The evaluation of a session and its presenter (DOMAIN §2 step 10), and the year-end review.

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
