"""Subscribing a browser to Web Push and taking it back (docs/pwa.md § Web Push)."""

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.audit import log_action
from core.errors import DomainError
from core.permissions import require
from notifications.webhooks import check_url
from push import vapid
from push.models import PushSubscription

# The browser's P-256 public key is 65 bytes (87 base64url characters), its auth secret 16 (22).
P256DH_BYTES = 65
AUTH_BYTES = 16


def _decoded(text: Any, size: int) -> str:
    if not isinstance(text, str) or len(text) > 200:
        raise DomainError(_("The browser sent keys this site cannot use."))
    try:
        raw = vapid.unb64url(text.strip())
    except ValueError:
        raise DomainError(_("The browser sent keys this site cannot use.")) from None
    if len(raw) != size or (size == P256DH_BYTES and raw[0] != 4):
        raise DomainError(_("The browser sent keys this site cannot use."))
    return text.strip()


# The push services browsers subscribe with (Chrome and Edge: Google FCM; Firefox: Mozilla; Safari:
# Apple; older Edge: Microsoft WNS), each with its subdomains.
PUSH_SERVICES = ("fcm.googleapis.com", "push.services.mozilla.com", "push.apple.com", "notify.windows.com")


def is_push_service(endpoint: str) -> bool:
    """Whether the server may post to ``endpoint``: HTTPS at a known push service, or anywhere when
    PUSH_ALLOW_STANDIN (development, tests). A host name anyone could register would otherwise let a
    subscription make the server post to an address inside its own network."""
    if settings.PUSH_ALLOW_STANDIN:
        return True
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    return parts.scheme == "https" and any(host == s or host.endswith("." + s) for s in PUSH_SERVICES)


def check_endpoint(endpoint: Any) -> str:
    """A push service's address: HTTPS at a push service browsers use (:func:`is_push_service`; the
    same rule as a webhook's besides, since the server posts to it), at most 1000 characters."""
    if not isinstance(endpoint, str) or not endpoint.strip() or len(endpoint) > 1000:
        raise DomainError(_("The browser sent no push service address."))
    try:
        checked = check_url(endpoint)
    except DomainError:
        raise DomainError(_("This push service address cannot be used.")) from None
    if not is_push_service(checked):
        raise DomainError(_("This push service address cannot be used."))
    return checked


def subscribe(*, actor: Any, endpoint: Any, p256dh: Any, auth: Any, user_agent: str = "") -> PushSubscription:
    """Store the subscription ``actor``'s browser made (or renew it with new keys).

    An endpoint is one browser's: if it was stored for another person (a shared computer where
    someone else signed in and subscribed), it now belongs to ``actor``, as the browser does."""
    endpoint = check_endpoint(endpoint)
    p256dh = _decoded(p256dh, P256DH_BYTES)
    auth = _decoded(auth, AUTH_BYTES)
    with transaction.atomic():
        previous = (
            PushSubscription.objects.filter(endpoint=endpoint).values_list("user_id", flat=True).first()
        )
        subscription, created = PushSubscription.objects.select_for_update().update_or_create(
            endpoint=endpoint,
            defaults={
                "user": actor,
                "p256dh": p256dh,
                "auth": auth,
                "user_agent": user_agent[:300],
                "failures": 0,
            },
        )
        if created or previous != actor.pk:
            log_action(actor, "push.subscription.created", subscription)
    return subscription


def unsubscribe(*, actor: Any, endpoint: Any) -> bool:
    """Forget the subscription at ``endpoint`` if it is ``actor``'s; True if one was removed. Another
    person's endpoint is answered as if unknown."""
    if not isinstance(endpoint, str) or not endpoint.strip():
        raise DomainError(_("The browser sent no push service address."))
    with transaction.atomic():
        subscription = (
            PushSubscription.objects.select_for_update().filter(endpoint=endpoint.strip(), user=actor).first()
        )
        if subscription is None:
            return False
        require(actor, "push.subscription.delete", subscription)
        log_action(actor, "push.subscription.deleted", subscription)
        subscription.delete()
    return True
