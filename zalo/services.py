"""Configuring a Zalo Official Account and its templates, and the rules that pick the account and
the phone number a notice goes to (docs/zalo.md)."""

import re
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import log_action
from core.errors import DomainError
from core.permissions import require
from organizations.models import Membership, Organization, path_ids
from organizations.permissions import active_q
from zalo.models import (
    FIXED_SOURCES,
    PARAM_PREFIX,
    SOURCE_BODY,
    SOURCE_RECIPIENT,
    SOURCE_TITLE,
    SOURCE_URL,
    ZaloAccount,
    ZaloTemplate,
)

ZALO_HOSTS = ("zalo.me", "zaloapp.com")
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


# --- who and where --------------------------------------------------------------------------------


def normalise_phone(raw: str) -> str | None:
    """A Vietnamese number as ZNS wants it (``84`` and the subscriber number, digits only), or None
    when ``raw`` is not one: ``0912 345 678`` → ``84912345678``, ``+84 912…`` → ``84912…``."""
    digits = re.sub(r"[\s.\-()]", "", raw or "")
    if digits.startswith("+"):
        digits = digits[1:]
    if not digits.isdigit():
        return None
    if digits.startswith("0"):
        digits = "84" + digits[1:]
    if not digits.startswith("84") or not 10 <= len(digits) <= 12:
        return None
    return digits


def mask_phone(phone: str) -> str:
    """Enough of a number to recognise it in the log, not to call it: ``84912***678``."""
    if len(phone) < 7:
        return "***"
    return phone[:5] + "***" + phone[-3:]


def member_cell(user: Any) -> Organization | None:
    """The cell the user is a regular member of today, if any."""
    member_id = getattr(getattr(user, "member", None), "pk", None)
    if member_id is None:
        return None
    membership = (
        Membership.objects.filter(active_q(), member_id=member_id, kind=Membership.Kind.REGULAR)
        .select_related("organization")
        .first()
    )
    return membership.organization if membership else None


def account_for(user: Any) -> ZaloAccount | None:
    """The enabled account that speaks to ``user``: their cell's, else the nearest organisation's above
    it that has one (the Đảng ủy of their Đảng bộ)."""
    cell = member_cell(user)
    if cell is None:
        return None
    ids = cell.ancestor_ids(include_self=True)
    accounts = {
        a.organization_id: a for a in ZaloAccount.objects.filter(organization_id__in=ids, enabled=True)
    }
    for org_id in reversed(ids):
        if org_id in accounts:
            return accounts[org_id]
    return None


def reachable(user_ids: list[int]) -> set[int]:
    """The ids among ``user_ids`` with a valid phone number on the roster and a regular membership in a
    cell that an enabled account speaks to (the cell's own, or one above it): :func:`phone_of` and
    :func:`account_for` for each, in two queries."""
    speaking = set(ZaloAccount.objects.filter(enabled=True).values_list("organization_id", flat=True))
    if not speaking or not user_ids:
        return set()
    rows = (
        Membership.objects.filter(
            active_q(), kind=Membership.Kind.REGULAR, member__user_id__in=user_ids, member__user__isnull=False
        )
        .exclude(member__phone="")
        .values_list("member__user_id", "member__phone", "organization__path")
    )
    found = set()
    for user_id, phone, path in rows:
        if normalise_phone(phone) is not None and speaking.intersection(path_ids(path)):
            found.add(user_id)
    return found


def phone_of(user: Any) -> str | None:
    member = getattr(user, "member", None)
    return normalise_phone(member.phone) if member is not None else None


def template_data(
    template: ZaloTemplate, *, recipient_name: str, message: Any, site_url: str
) -> dict[str, str]:
    """The template's parameters filled from one notice (a missing ``param:`` value is left empty)."""
    values = {
        SOURCE_RECIPIENT: recipient_name,
        SOURCE_TITLE: message.title,
        SOURCE_BODY: message.body,
        SOURCE_URL: site_url.rstrip("/") + message.url if message.url.startswith("/") else message.url,
    }
    data = {}
    for name, source in template.params.items():
        if source in FIXED_SOURCES:
            data[name] = values[source]
        else:
            data[name] = str(message.params.get(source[len(PARAM_PREFIX) :], ""))
    return data


# --- configuration --------------------------------------------------------------------------------


def check_base_url(url: str) -> str:
    """Zalo's own HTTPS addresses, or (with ZALO_ALLOW_STANDIN) a stand-in on this machine: the app
    secret and the tokens are sent to this address, so it may not point anywhere else."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme == "https" and any(host == h or host.endswith("." + h) for h in ZALO_HOSTS):
        return url.rstrip("/")
    if settings.ZALO_ALLOW_STANDIN and parts.scheme in ("http", "https") and host in LOCAL_HOSTS:
        return url.rstrip("/")
    raise DomainError(
        _("Zalo's addresses are HTTPS addresses under zalo.me or zaloapp.com; “%(url)s” is not one.")
        % {"url": url}
    )


def save_account(
    *,
    actor: Any,
    organization: Organization,
    name: str,
    app_id: str,
    secret_key: str = "",
    access_token: str = "",
    refresh_token: str = "",
    expires_in: int | None = None,
    oauth_url: str,
    business_url: str,
    openapi_url: str,
    enabled: bool,
) -> ZaloAccount:
    """Create or change the organisation's account. An empty secret or token keeps the stored one
    (they are never shown again); new tokens replace both at once, since Zalo issues them as a pair."""
    require(actor, "zalo.manage", organization)
    app_id = app_id.strip()
    if not re.fullmatch(r"[0-9]{5,40}", app_id):
        raise DomainError(_("The app ID is the number shown in Zalo for Developers."), field="app_id")
    urls = {
        "oauth_url": check_base_url(oauth_url),
        "business_url": check_base_url(business_url),
        "openapi_url": check_base_url(openapi_url),
    }
    if bool(access_token) != bool(refresh_token):
        raise DomainError(
            _("Give the access token and the refresh token together: Zalo issues them as a pair."),
            field="refresh_token",
        )
    with transaction.atomic():
        account = ZaloAccount.objects.select_for_update().filter(organization=organization).first()
        created = account is None
        if account is None:
            account = ZaloAccount(organization=organization)
        account.name = name.strip()
        account.app_id = app_id
        for key, value in urls.items():
            setattr(account, key, value)
        if secret_key:
            account.set_secret_key(secret_key.strip())
        if access_token:
            account.set_tokens(
                access=access_token.strip(), refresh=refresh_token.strip(), expires_in=expires_in
            )
        if enabled and not (account.has_secret and account.has_tokens):
            raise DomainError(
                _("Sending cannot be enabled before the secret key and the tokens are given."),
                field="enabled",
            )
        was_enabled = account.enabled and not created
        account.enabled = enabled
        account.full_clean()
        account.save()
        changed = [k for k, v in (("secret", secret_key), ("tokens", access_token)) if v]
        log_action(actor, "zalo.account.saved", account, {"changed": ", ".join(changed) or "-"})
        if enabled != was_enabled:
            log_action(actor, "zalo.account.enabled" if enabled else "zalo.account.disabled", account)
    return account


def parse_params(text: str) -> dict[str, str]:
    """``ten_dang_vien = recipient_name`` lines (one per template parameter) as a mapping."""
    params: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        name, sep, source = line.partition("=")
        if not sep or not name.strip() or not source.strip():
            raise DomainError(
                _("Line %(n)s: write “parameter = value”, e.g. “ten_dang_vien = recipient_name”.")
                % {"n": number},
                field="params",
            )
        if name.strip() in params:
            raise DomainError(
                _("Line %(n)s: the parameter “%(name)s” is given twice.")
                % {"n": number, "name": name.strip()},
                field="params",
            )
        params[name.strip()] = source.strip()
    return params


def set_template(
    *, actor: Any, account: ZaloAccount, kind: str, template_id: str, params: dict[str, str]
) -> ZaloTemplate:
    """Use ``template_id`` for notices of ``kind`` (replacing the account's template for that kind)."""
    require(actor, "zalo.manage", account.organization)
    with transaction.atomic():
        template = ZaloTemplate.objects.filter(account=account, kind=kind.strip()).first() or ZaloTemplate(
            account=account, kind=kind.strip()
        )
        template.template_id = template_id.strip()
        template.params = params
        template.full_clean()
        template.save()
        log_action(
            actor, "zalo.template.saved", account, {"kind": template.kind, "template": template.template_id}
        )
    return template


def delete_template(*, actor: Any, template: ZaloTemplate) -> None:
    account = template.account
    require(actor, "zalo.manage", account.organization)
    with transaction.atomic():
        log_action(
            actor, "zalo.template.deleted", account, {"kind": template.kind, "template": template.template_id}
        )
        template.delete()
