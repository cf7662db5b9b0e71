"""What the API keeps of its own: the first answer to each Idempotency-Key (issue 14, item 3)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """The first answer to a POST sent with ``Idempotency-Key: <key>`` by ``user``, kept for a day
    (``API_IDEMPOTENCY_HOURS``) so that a repeat gets the same answer instead of acting twice. The row
    is written before the operation runs (``status`` empty meanwhile): the unique constraint makes a
    concurrent repeat wait for it and then find it, never run the operation a second time."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE)
    key = models.CharField(_("key"), max_length=255)
    # SHA-256 of the method, path and body: the same key with another request is refused.
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    status = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    body = models.BinaryField(_("body"), blank=True, default=b"")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [models.UniqueConstraint("user", "key", name="idempotency_key_unique_per_user")]

    def __str__(self) -> str:
        return self.key
