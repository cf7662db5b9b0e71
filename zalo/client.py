"""The one way this app talks to Zalo (docs/zalo.md): ZNS template messages to a phone number,
consultation messages from the Official Account to a follower, and the OAuth token refresh.

Every request carries the OA's access token in the ``access_token`` header. The token lasts about a
day; when it has run out, or Zalo says it is invalid, the client refreshes it once and tries again.
The refresh token is single-use (each refresh returns a new one and the old one stops working), so
the refresh holds the account's row lock (``SELECT … FOR UPDATE``): a second worker waits, then finds
the new token already stored and uses it instead of spending a refresh token that is no longer valid.

Errors come back as :class:`ZaloError` subclasses the sender maps to the outbox's Retry / Refused.
Nothing here was verified against the live service; it follows the public documentation and is
tested against ``zalo.standin``.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zalo.models import ZaloAccount

# ZNS and OA error codes (zalo.cloud/zns/guidelines/handle-error-code; docs/zalo.md says which were
# read there and which were not confirmed).
TOKEN_INVALID = frozenset({-124, -216})
QUOTA_EXCEEDED = frozenset({-115, -144})
RECIPIENT_REFUSED = frozenset({-108, -114, -118, -119})
TEMPLATE_REJECTED = frozenset({-109, -111, -112, -117})

# ZNS counts its daily quota in Vietnam's day, whatever this site's time zone is.
ICT = ZoneInfo("Asia/Ho_Chi_Minh")


class ZaloError(Exception):
    """Zalo refused or could not be reached; ``code`` is Zalo's error number (None: no answer)."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class Unavailable(ZaloError):
    """No usable answer: a network error, a timeout, a 5xx, a body that is not JSON, an unknown error."""


class TokenRejected(ZaloError):
    """The access token was refused even after a refresh, or the refresh itself was refused."""


class QuotaExceeded(ZaloError):
    """The OA's ZNS quota for the day (or its balance) is spent."""


class RecipientRefused(ZaloError):
    """This phone number cannot receive ZNS (invalid, no Zalo account, refuses ZNS)."""


class TemplateRejected(ZaloError):
    """The template id or its data was refused: the account's configuration must be corrected."""


@dataclass
class Result:
    msg_id: str = ""
    quota_remaining: int | None = None
    raw: dict[str, Any] = field(default_factory=dict)


def until_quota_resets(now: datetime | None = None) -> timedelta:
    """How long until 00:00 tomorrow in Vietnam (ICT), when the daily ZNS quota starts again."""
    here = (now or timezone.now()).astimezone(ICT)
    tomorrow = datetime.combine(here.date() + timedelta(days=1), datetime.min.time(), tzinfo=ICT)
    return tomorrow - here


class ZaloClient:
    """Calls Zalo for one account. ``account`` is refreshed from the database when tokens change."""

    def __init__(self, account: ZaloAccount, *, timeout: float | None = None) -> None:
        self.account = account
        self.timeout = timeout if timeout is not None else settings.ZALO_TIMEOUT_SECONDS
        self.http = requests.Session()

    # --- the interface ---------------------------------------------------------------------------

    def send_template(self, phone: str, template_id: str, data: dict[str, str], tracking_id: str) -> Result:
        """Send a ZNS template message to ``phone`` (84… form); returns Zalo's msg_id and the quota left."""
        body = {"phone": phone, "template_id": template_id, "template_data": data, "tracking_id": tracking_id}
        answer = self._authorised("POST", self.account.business_url.rstrip("/") + "/message/template", body)
        data_part = answer.get("data") or {}
        quota = data_part.get("quota") or {}
        return Result(
            msg_id=str(data_part.get("msg_id", "")),
            quota_remaining=_int_or_none(quota.get("remainingQuota")),
            raw=answer,
        )

    def send_oa_text(self, user_id: str, text: str) -> Result:
        """Send a consultation text from the OA to a follower (their Zalo user id for this OA)."""
        body = {"recipient": {"user_id": user_id}, "message": {"text": text}}
        answer = self._authorised("POST", self.account.openapi_url.rstrip("/") + "/v3.0/oa/message/cs", body)
        return Result(msg_id=str((answer.get("data") or {}).get("message_id", "")), raw=answer)

    def refresh_token(self, *, stale: str | None = None) -> None:
        """Exchange the stored refresh token for a new access token and a new refresh token, both
        stored encrypted. ``stale`` is the (encrypted) access token the caller found unusable: when
        another worker has replaced it meanwhile, nothing is refreshed and the new one is used."""
        with transaction.atomic():
            account = ZaloAccount.objects.select_for_update().get(pk=self.account.pk)
            if (
                stale is not None
                and account.access_token_encrypted != stale
                and not account.access_token_expired()
            ):
                self.account = account
                return
            if not account.refresh_token_encrypted:
                raise TokenRejected("no refresh token is stored for this Official Account")
            try:
                response = self.http.post(
                    account.oauth_url.rstrip("/") + "/v4/oa/access_token",
                    headers={"secret_key": account.secret_key()},
                    data={
                        "app_id": account.app_id,
                        "refresh_token": account.refresh_token(),
                        "grant_type": "refresh_token",
                    },
                    timeout=self.timeout,
                )
            except requests.RequestException as error:
                raise Unavailable(f"token refresh: {type(error).__name__}") from error
            answer = _json(response, "token refresh")
            if not answer.get("access_token") or not answer.get("refresh_token"):
                code = _int_or_none(answer.get("error"))
                reason = answer.get("error_name") or answer.get("message") or "no token in the answer"
                raise TokenRejected(f"token refresh refused: {reason}", code)
            account.set_tokens(
                access=str(answer["access_token"]),
                refresh=str(answer["refresh_token"]),
                expires_in=_int_or_none(answer.get("expires_in")),
            )
            account.refreshed_at = timezone.now()
            account.save(
                update_fields=[
                    "access_token_encrypted",
                    "refresh_token_encrypted",
                    "access_token_expires_at",
                    "refreshed_at",
                ]
            )
        self.account = account

    # --- plumbing --------------------------------------------------------------------------------

    def _authorised(self, method: str, url: str, body: dict[str, Any]) -> dict[str, Any]:
        """One call with a valid access token; refreshed once when it has run out or Zalo refuses it."""
        if self.account.access_token_expired():
            self.refresh_token(stale=self.account.access_token_encrypted)
        used = self.account.access_token_encrypted
        answer = self._call(method, url, body)
        if _int_or_none(answer.get("error")) in TOKEN_INVALID:
            self.refresh_token(stale=used)
            answer = self._call(method, url, body)
        _raise_for(answer)
        return answer

    def _call(self, method: str, url: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            response = self.http.request(
                method,
                url,
                headers={"access_token": self.account.access_token()},
                json=body,
                timeout=self.timeout,
            )
        except requests.RequestException as error:
            raise Unavailable(f"{type(error).__name__} calling Zalo") from error
        return _json(response, "Zalo")


def _json(response: requests.Response, what: str) -> dict[str, Any]:
    if response.status_code >= 500:
        raise Unavailable(f"{what} answered HTTP {response.status_code}")
    try:
        answer = response.json()
    except ValueError:
        raise Unavailable(f"{what} answered HTTP {response.status_code} without JSON") from None
    if not isinstance(answer, dict):
        raise Unavailable(f"{what} answered JSON that is not an object")
    return answer


def _raise_for(answer: dict[str, Any]) -> None:
    code = _int_or_none(answer.get("error"))
    if code == 0:
        return
    message = str(answer.get("message") or "")[:300]
    if code in TOKEN_INVALID:
        raise TokenRejected(message or "access token invalid", code)
    if code in QUOTA_EXCEEDED:
        raise QuotaExceeded(message or "quota exceeded", code)
    if code in RECIPIENT_REFUSED:
        raise RecipientRefused(message or "recipient refused", code)
    if code in TEMPLATE_REJECTED:
        raise TemplateRejected(message or "template rejected", code)
    raise Unavailable(message or "unknown error", code)


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
