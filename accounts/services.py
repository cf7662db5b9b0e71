"""Personal access tokens for the API (issue 14): made, used and revoked by their owner.

The secret (``cd_`` and 43 URL-safe characters, 32 random bytes) is shown once when it is made; only
its SHA-256 digest is stored, with its first characters to recognise it by in the list. A token reads
only (``read``) or reads and writes (``write``), and always expires: a forgotten token stops working
by itself.
"""

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AccessToken
from core.audit import log_action
from core.errors import DomainError, PermissionDenied

SECRET_PREFIX = "cd_"
# How long a token may live, in days: the choices of the account page and of create_api_token.
LIFETIMES = (30, 90, 365)
# A token's use is written at most this often, so that reading through the API does not write on
# every request.
USE_RECORD_INTERVAL = timedelta(minutes=1)


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(*, actor: Any, name: str, days: int, scope: str) -> tuple[AccessToken, str]:
    """A new token of ``actor`` and its secret, which is not kept and cannot be shown again."""
    name = name.strip()
    if not name:
        raise DomainError(_("Give the token a name."), field="name")
    if days not in LIFETIMES:
        raise DomainError(_("Choose how long the token stays valid."), field="days")
    if scope not in AccessToken.Scope.values:
        raise DomainError(_("Choose what the token may do."), field="scope")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = AccessToken.objects.create(
            user=actor,
            name=name,
            scope=scope,
            digest=digest_of(secret),
            prefix=secret[:8],
            expires_at=timezone.now() + timedelta(days=days),
        )
        log_action(actor, "accounts.token.created", token, {"name": name, "scope": scope, "days": days})
    return token, secret


def revoke_token(*, actor: Any, token: AccessToken) -> AccessToken:
    """Stop ``token`` working at once. Only its owner revokes it."""
    if token.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only its owner may revoke a token."))
    if token.revoked_at is not None:
        raise DomainError(_("This token is already revoked."))
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log_action(actor, "accounts.token.revoked", token, {"name": token.name})
    return token


def usable_token(secret: str, at: datetime) -> AccessToken | None:
    """The token whose secret this is, with its user, if it is neither revoked nor expired and its
    user may still sign in; else None."""
    if not secret.startswith(SECRET_PREFIX):
        return None
    token = AccessToken.objects.select_related("user").filter(digest=digest_of(secret)).first()
    if token is None or not token.is_active(at) or not token.user.is_active:
        return None
    return token


def record_use(token: AccessToken, ip: str | None, at: datetime) -> None:
    """Remember when and from where ``token`` was last used, at most once a minute (or on a new address)."""
    recent = token.last_used_at is not None and at - token.last_used_at < USE_RECORD_INTERVAL
    if recent and token.last_used_ip == ip:
        return
    AccessToken.objects.filter(pk=token.pk).update(last_used_at=at, last_used_ip=ip)
    token.last_used_at, token.last_used_ip = at, ip
