"""The audit log and the versioned rule sets every other app builds on."""

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import versions
from core.sentences import describe


class AuditEntry(models.Model):
    """One thing someone did: who, what (a dotted action code), to which object, with which data.

    Written explicitly by services (never by signals), so each entry is a deliberate statement.
    Entries are never changed or deleted through the application.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=80)
    content_type = models.ForeignKey(ContentType, verbose_name=_("object type"), on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField(_("object id"))
    object_repr = models.CharField(_("object"), max_length=255)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    @property
    def sentence(self) -> str:
        """The entry as one sentence in the active language."""
        return describe(self)


class RuleSet(models.Model):
    """A versioned set of the numbers the regulations fix (thresholds, deadlines, quotas).

    Each set names its legal basis and the date it takes effect; an organisation picks one (or
    inherits its parent's). Code reads numbers through :meth:`param`, never from literals.
    """

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.TextField(_("legal basis"))
    effective_date = models.DateField(_("effective date"))
    params = models.JSONField(_("parameters"), default=dict)

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["-effective_date"]

    def __str__(self) -> str:
        return self.name

    def param(self, key: str) -> Any:
        """Return one parameter; a missing one is a configuration error, not a silent default."""
        try:
            return self.params[key]
        except KeyError:
            raise KeyError(f"Rule set {self.code!r} has no parameter {key!r}") from None

    @classmethod
    def current(cls, on: date | None = None) -> "RuleSet":
        """The newest rule set already in effect on ``on`` (today by default). Asked for by most pages
        (every deadline of a cell without a rule set of its own): kept in the shared cache while no rule
        set changes (core.versions; a change to one bumps ``all``, see home.invalidation)."""
        on = on or timezone.localdate()
        version = versions.current(["all"])
        key = f"ruleset:current:{on.isoformat()}:{version}"
        cached = cache.get(key) if version else None
        if cached is not None:
            return cached
        found = cls._current(on)
        if version:
            cache.set(key, found, versions.TIMEOUT)
        return found

    @classmethod
    def _current(cls, on: date) -> "RuleSet":
        found = cls.objects.filter(effective_date__lte=on).order_by("-effective_date").first()
        if found is None:
            found = cls.objects.order_by("effective_date").first()
        if found is None:
            raise cls.DoesNotExist("No rule set is defined; run the migrations.")
        return found


class Job(models.Model):
    """Work too long for a request, done in the background for one person (core/jobs.py).

    What to do is a ``kind`` (registered by the app that knows how, in its ``jobs.py``) and JSON
    ``params`` (primary keys and plain values, never objects). The worker that runs it keeps
    ``heartbeat_at`` fresh while it reports progress; a job left ``running`` with a stale heartbeat
    belonged to a worker that died and is taken up again from the start. Its result is a file under
    MEDIA_ROOT/jobs/, served only to its owner by core's download view, and removed once it expires."""

    class State(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("job", "waiting")
        RUNNING = "running", pgettext_lazy("job", "running")
        DONE = "done", pgettext_lazy("job", "done")
        FAILED = "failed", pgettext_lazy("job", "failed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    kind = models.CharField(_("kind"), max_length=60)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    title = models.CharField(pgettext_lazy("heading", "title"), max_length=255)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.TextField(_("message"), blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    file_path = models.CharField(_("file"), max_length=255, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size"), default=0)
    content_type = models.CharField(_("content type"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="job_owner_idx"),
            models.Index(fields=["state", "heartbeat_at"], name="job_state_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return min(100, 100 * self.done // self.total) if self.total else 0

    @property
    def has_file(self) -> bool:
        return self.state == self.State.DONE and bool(self.file_path)
