"""The search index: one row per searchable object a member may come across.

See ``search/services.py`` for how the rows are kept up to date and ``search/permissions.py`` for who
sees which row.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organizations.models import Organization


class SearchEntry(models.Model):
    """What search needs to know of one topic, draft version, resolution or session's lessons.

    ``kind`` names the source model one-to-one, so ``(kind, object_id)`` identifies the source (a
    content type would say the same thing again). The text is kept twice: as written, for the snippet
    shown under a result, and folded (lower case, no diacritics, đ → d, a space before each word) for
    matching, so "van hoa ho chi minh" finds "Văn hóa Hồ Chí Minh" with a plain ``LIKE`` on SQLite and
    PostgreSQL alike."""

    class Kind(models.TextChoices):
        TOPIC = "topic", pgettext_lazy("search result kind", "Topic")
        DRAFT = "draft", pgettext_lazy("search result kind", "Draft")
        RESOLUTION = "resolution", pgettext_lazy("search result kind", "Resolution")
        LESSON = "lesson", pgettext_lazy("search result kind", "Lessons learned")

    class Audience(models.TextChoices):
        # A Đảng bộ's topic catalogue: read by every cell under it and by its officers.
        ORGANISATION = "organisation", _("Everyone in the Party organisation")
        # A cell's own work: its members and the Đảng ủy officers above it.
        CELL = "cell", _("The cell and the Party committees above it")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("source id"))
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The cell, or the Party organisation for its topic catalogue."),
    )
    audience = models.CharField(_("who may see it"), max_length=12, choices=Audience.choices)
    title = models.CharField(pgettext_lazy("topic or session", "title"), max_length=500)
    text = models.TextField(_("text"), blank=True)
    url = models.CharField(_("address"), max_length=300)
    dated = models.DateTimeField(
        _("date"), help_text=_("When it was written, approved, issued or evaluated.")
    )
    folded_title = models.TextField(_("title without diacritics"))
    folded = models.TextField(_("title and text without diacritics"))

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        ordering = ["-dated", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="searchentry_one_per_source"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.title}"
