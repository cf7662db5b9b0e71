"""A browser's Web Push subscription (docs/pwa.md § Web Push)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PushSubscription(models.Model):
    """Where to send a push to one browser of one person: the push service's endpoint (unique: a
    browser's subscription), the browser's public key (p256dh) and auth secret that encrypt the
    payload (RFC 8291). Deleted when the push service says it is gone (404/410)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="push_subscriptions",
        verbose_name=_("user"),
    )
    endpoint = models.URLField(_("endpoint"), max_length=1000, unique=True)
    p256dh = models.CharField(_("browser public key"), max_length=200)
    auth = models.CharField(_("authentication secret"), max_length=100)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_success_at = models.DateTimeField(_("last delivered"), null=True, blank=True)
    failures = models.PositiveIntegerField(_("failures in a row"), default=0)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.browser_name

    @property
    def browser_name(self) -> str:
        """A short name for the browser, from its user agent (for the history and the admin)."""
        agent = self.user_agent
        for marker, name in (
            ("Edg/", "Edge"),
            ("Firefox/", "Firefox"),
            ("CriOS/", "Chrome"),
            ("Chrome/", "Chrome"),
            ("Safari/", "Safari"),
        ):
            if marker in agent:
                return name
        return str(_("a browser"))
