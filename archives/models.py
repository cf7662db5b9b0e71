"""The archive of a committee term (issue 17 item 5), and the archives restored for reading.

A :class:`TermArchive` is one ZIP of one cell's term: every issued document as stored, the minutes book,
the resolutions with their tasks, the members' participation per year, ``MUC-LUC.txt`` and
``manifest.json`` (docs/archive.md). It is written once by a background job and never changed: making it
again makes the next version. A :class:`RestoredArchive` is a ZIP someone uploaded (or gave to
``manage.py restore_term_archive``) whose manifest and every file's SHA-256 were checked; it is kept
under the organisation it was restored to and read from there, never merged into the live data.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import Job
from organizations.models import Organization, Term


class TermArchive(models.Model):
    """One version of the archive of one cell's committee term.

    The row is written when the work is asked for (its version is taken then, so two requests never
    share one); the file, its SHA-256 and size when the job has written it. From then on nothing of it
    changes. ``provisional`` marks an archive of a term still running (its content is not final)."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="term_archives",
    )
    term = models.ForeignKey(
        Term,
        verbose_name=pgettext_lazy("committee term", "term"),
        on_delete=models.PROTECT,
        related_name="archives",
    )
    version = models.PositiveSmallIntegerField(_("version"))
    provisional = models.BooleanField(
        _("provisional"), default=False, help_text=_("Made while the term was still running.")
    )
    job = models.ForeignKey(
        Job,
        verbose_name=_("background job"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    finished_at = models.DateTimeField(_("made at"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="archives/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    manifest_sha256 = models.CharField(_("SHA-256 of the manifest"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    counts = models.JSONField(_("contents"), default=dict, blank=True)

    class Meta:
        verbose_name = _("term archive")
        verbose_name_plural = _("term archives")
        ordering = ["-term__start_date", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "version"],
                name="term_archive_version_unique",
                violation_error_message=_("This term already has an archive of this version."),
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1),
                name="term_archive_version_positive",
                violation_error_message=_("Versions start at 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.term.name} · v{self.version}"

    @property
    def is_made(self) -> bool:
        return bool(self.sha256)

    @property
    def state(self) -> str:
        """done once the file is stored; otherwise the job's state (failed when the job is gone)."""
        if self.is_made:
            return Job.State.DONE
        return self.job.state if self.job is not None else Job.State.FAILED


class RestoredArchive(models.Model):
    """A term archive brought back for reading: the uploaded ZIP as it was (checked, never changed), its
    manifest, and the organisation it is kept under (whose managers may read it)."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("kept under"),
        on_delete=models.PROTECT,
        related_name="restored_archives",
    )
    file = models.FileField(_("file"), upload_to="archives/restored/")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    manifest = models.JSONField(_("manifest"))
    cell_name = models.CharField(_("cell"), max_length=255)
    term_name = models.CharField(pgettext_lazy("committee term", "term"), max_length=50)
    made_here = models.ForeignKey(
        TermArchive,
        verbose_name=_("made by this installation as"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    restored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("restored by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    restored_at = models.DateTimeField(_("restored at"), default=timezone.now)

    class Meta:
        verbose_name = _("restored archive")
        verbose_name_plural = _("restored archives")
        ordering = ["-restored_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.cell_name} · {self.term_name}"

    @property
    def files(self) -> list[dict]:
        return list(self.manifest.get("files") or [])
