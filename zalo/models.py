"""A Zalo Official Account (OA) of a Đảng ủy or a cell, the ZNS template it uses per kind of notice,
and the log of every call made to Zalo on its behalf (docs/zalo.md).

The app secret and the OA's tokens are kept encrypted (core.crypto): a copied database gives none of
them. The refresh token is single-use: the one stored is always the newest Zalo gave.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import crypto
from notifications.kinds import Kind

# The values a template parameter may take from a notice (notifications.channels.Message).
SOURCE_RECIPIENT = "recipient_name"
SOURCE_TITLE = "title"
SOURCE_BODY = "body"
SOURCE_URL = "url"
FIXED_SOURCES = (SOURCE_RECIPIENT, SOURCE_TITLE, SOURCE_BODY, SOURCE_URL)
PARAM_PREFIX = "param:"  # "param:session_title" → message.params["session_title"]

PARAM_NAME = re.compile(r"^[A-Za-z0-9_]{1,50}$")
KIND = re.compile(r"^[a-z0-9_.-]{1,60}$")


def check_source(source: str) -> str:
    """``source`` if a template parameter may take its value from it, else ValidationError."""
    if source in FIXED_SOURCES:
        return source
    if source.startswith(PARAM_PREFIX) and PARAM_NAME.match(source[len(PARAM_PREFIX) :]):
        return source
    raise ValidationError(
        _(
            "“%(source)s” is not a value a notice gives: use recipient_name, title, body, url or "
            "param:<name>."
        ),
        params={"source": source},
    )


class ZaloAccount(models.Model):
    """The Zalo Official Account of one organisation, and the app that sends on its behalf.

    Sending is off until ``enabled`` is set. A member is reached through their cell's account when it
    has one enabled, else through the nearest Đảng ủy's above it (``services.account_for``)."""

    organization = models.OneToOneField(
        "organizations.Organization",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="zalo_account",
    )
    name = models.CharField(_("Official Account name"), max_length=120, blank=True)
    app_id = models.CharField(_("app ID"), max_length=40)
    secret_key_encrypted = models.TextField(_("secret key (encrypted)"), blank=True, editable=False)
    access_token_encrypted = models.TextField(_("access token (encrypted)"), blank=True, editable=False)
    access_token_expires_at = models.DateTimeField(_("access token expires at"), null=True, blank=True)
    refresh_token_encrypted = models.TextField(_("refresh token (encrypted)"), blank=True, editable=False)
    refreshed_at = models.DateTimeField(_("tokens last refreshed at"), null=True, blank=True)
    oauth_url = models.URLField(_("OAuth address"), default="https://oauth.zaloapp.com")
    business_url = models.URLField(_("ZNS address"), default="https://business.openapi.zalo.me")
    openapi_url = models.URLField(_("OA API address"), default="https://openapi.zalo.me")
    enabled = models.BooleanField(
        _("sending enabled"), default=False, help_text=_("Nothing is sent through Zalo until this is on.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("Zalo Official Account")
        verbose_name_plural = _("Zalo Official Accounts")

    def __str__(self) -> str:
        return self.name or self.app_id

    # The secrets are read and written through these, never as plain columns.
    def secret_key(self) -> str:
        return _open(self.secret_key_encrypted)

    def access_token(self) -> str:
        return _open(self.access_token_encrypted)

    def refresh_token(self) -> str:
        return _open(self.refresh_token_encrypted)

    def set_secret_key(self, value: str) -> None:
        self.secret_key_encrypted = crypto.encrypt(value.encode()) if value else ""

    def set_tokens(self, *, access: str, refresh: str, expires_in: int | None) -> None:
        self.access_token_encrypted = crypto.encrypt(access.encode()) if access else ""
        self.refresh_token_encrypted = crypto.encrypt(refresh.encode()) if refresh else ""
        self.access_token_expires_at = timezone.now() + timedelta(seconds=expires_in) if expires_in else None

    @property
    def has_secret(self) -> bool:
        return bool(self.secret_key_encrypted)

    @property
    def has_tokens(self) -> bool:
        return bool(self.refresh_token_encrypted)

    def access_token_expired(self, margin_seconds: int = 60) -> bool:
        """Whether the access token is missing or ends within ``margin_seconds`` (a call that starts
        now must not reach Zalo with a token that has just run out)."""
        if not self.access_token_encrypted:
            return True
        if self.access_token_expires_at is None:
            return False
        return self.access_token_expires_at <= timezone.now() + timedelta(seconds=margin_seconds)


def _open(token: str) -> str:
    return crypto.decrypt(token).decode() if token else ""


class ZaloTemplate(models.Model):
    """The approved ZNS template an account uses for one kind of notice, and where each of its
    parameters takes its value: ``{"ten_dang_vien": "recipient_name", "lien_ket": "url"}``."""

    account = models.ForeignKey(
        ZaloAccount, verbose_name=_("Official Account"), on_delete=models.CASCADE, related_name="templates"
    )
    kind = models.CharField(_("kind of notice"), max_length=60)
    template_id = models.CharField(_("ZNS template ID"), max_length=30)
    params = models.JSONField(_("parameters"), default=dict, blank=True)

    class Meta:
        verbose_name = _("ZNS template")
        verbose_name_plural = _("ZNS templates")
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "kind"],
                name="zalo_template_one_per_kind",
                violation_error_message=_("This account already has a template for this kind of notice."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.template_id}"

    @property
    def kind_label(self) -> str:
        """The kind as members read it (notifications.kinds), or its code for a kind no longer sent."""
        return str(dict(Kind.choices).get(self.kind, self.kind))

    def clean(self) -> None:
        if not KIND.match(self.kind or ""):
            raise ValidationError(
                {"kind": _("A kind of notice is written in lower-case letters, digits, “_”, “.” or “-”.")}
            )
        if not re.fullmatch(r"[0-9]{1,30}", self.template_id or ""):
            raise ValidationError({"template_id": _("A ZNS template ID is a number, e.g. 231577.")})
        if not isinstance(self.params, dict) or not self.params:
            raise ValidationError({"params": _("Give at least one template parameter.")})
        for name, source in self.params.items():
            if not PARAM_NAME.match(str(name)):
                raise ValidationError(
                    {
                        "params": _(
                            "“%(name)s” is not a ZNS parameter name (letters, digits and “_”, at most 50)."
                        )
                        % {"name": name}
                    }
                )
            try:
                check_source(str(source))
            except ValidationError as error:
                raise ValidationError({"params": error.messages}) from None


class ZaloSend(models.Model):
    """One call to Zalo and what it answered: kept so that an administrator sees what went out, what
    was refused and why, and how much of the day's quota is left. The phone number is kept masked."""

    account = models.ForeignKey(
        ZaloAccount, verbose_name=_("Official Account"), on_delete=models.CASCADE, related_name="sends"
    )
    kind = models.CharField(_("kind of notice"), max_length=60, blank=True)
    outbox_id = models.BigIntegerField(_("outbox row"), null=True, blank=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    phone_masked = models.CharField(_("phone (masked)"), max_length=20, blank=True)
    template_id = models.CharField(_("ZNS template ID"), max_length=30, blank=True)
    tracking_id = models.CharField(_("tracking ID"), max_length=48, blank=True)
    msg_id = models.CharField(_("Zalo message ID"), max_length=64, blank=True)
    error_code = models.IntegerField(_("error code"), null=True, blank=True)
    error_message = models.CharField(_("error message"), max_length=300, blank=True)
    quota_remaining = models.IntegerField(_("quota remaining today"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("Zalo send")
        verbose_name_plural = _("Zalo sends")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.phone_masked} {self.msg_id or self.error_code}"

    @property
    def ok(self) -> bool:
        return self.error_code == 0
