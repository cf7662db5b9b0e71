"""Webhooks: events told to other systems of an organisation, signed, through an outbox (docs/webhooks.md).

:func:`emit` is called by the service that made the change, inside its transaction: it writes one
``WebhookDelivery`` per active endpoint of the organisation or of an organisation above it that asked
for the event, and asks for the background job once the transaction commits. A change that rolls back
takes its deliveries with it; a committed change cannot lose them.

:func:`drain` sends what is due, the way the e-mail outbox does (notifications/outbox.py): a batch is
claimed in a short transaction (``SKIP LOCKED`` on PostgreSQL), a claim older than the lease (a worker
that died) is taken over, a failed attempt waits :func:`outbox.backoff` and after
:data:`outbox.MAX_ATTEMPTS` the delivery stays ``failed`` until someone sends it again.

Each delivery is one ``POST`` of the JSON payload, signed with the endpoint's secret:
``X-Chuyende-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>``. Redirects are not
followed, and only HTTPS addresses on the public Internet are reached (the address the name resolves
to is checked, and that very address is the one connected to) unless ``WEBHOOKS_ALLOW_PRIVATE``.
"""

import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import socket
import ssl
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from core.errors import DomainError
from notifications import outbox
from notifications.models import WebhookDelivery, WebhookEndpoint, WebhookEvent

logger = logging.getLogger(__name__)

TIMEOUT = 10  # seconds, to connect and then for each read
BATCH = 50
EXCERPT = 500  # characters of the receiver's answer kept in the log
READ_AT_MOST = 4096  # bytes of the answer read; the rest is not wanted
USER_AGENT = "chuyende-webhooks/1"
State = WebhookDelivery.State


class Refused(Exception):
    """The address may not be reached (not HTTPS, or not on the public Internet)."""


# --- The address ---------------------------------------------------------------------------------


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    return ip.is_global and not ip.is_multicast


def check_url(url: str) -> str:
    """The address, if a webhook may be registered with it; else a ``DomainError`` saying why.

    The name is not resolved here (a form should not wait for DNS): an address written as an IP or as
    ``localhost`` is judged now, a name when each delivery resolves it."""
    allow_private = settings.WEBHOOKS_ALLOW_PRIVATE
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        raise DomainError(_("Enter a valid address."), field="url") from None
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        raise DomainError(_("The address must start with https://."), field="url")
    if not host:
        raise DomainError(_("Enter a valid address."), field="url")
    if parts.username or parts.password:
        raise DomainError(_("The address must not contain a user name or password."), field="url")
    if not allow_private:
        if host == "localhost" or host.endswith(".localhost"):
            raise DomainError(_("The address must be on the public Internet."), field="url")
        try:
            public = _is_public(host)
        except ValueError:
            public = True  # a name: judged when it is resolved
        if not public:
            raise DomainError(_("The address must be on the public Internet."), field="url")
    return url.strip()


def _resolve(host: str, port: int) -> str:
    """The address to connect to: the first the name resolves to, when every one is allowed."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise Refused(f"cannot resolve {host}: {error}") from None
    addresses = [str(info[4][0]) for info in found]
    if not addresses:
        raise Refused(f"cannot resolve {host}")
    if not settings.WEBHOOKS_ALLOW_PRIVATE:
        for address in addresses:
            if not _is_public(address):
                raise Refused(f"{host} resolves to {address}, which is not on the public Internet")
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address already checked, so a second lookup cannot lead elsewhere."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to the address already checked, the certificate checked against the host's name."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.address = address

    def connect(self) -> None:
        raw = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(raw, server_hostname=self.host)


def post(url: str, body: bytes, headers: Mapping[str, str]) -> tuple[int, bytes]:
    """POST ``body`` to ``url``; the status and the beginning of the answer. Never follows a redirect
    (http.client does not); raises ``Refused`` or ``OSError``/``http.client.HTTPException``."""
    parts = urlsplit(url)
    https = parts.scheme == "https"
    if not https and not (parts.scheme == "http" and settings.WEBHOOKS_ALLOW_PRIVATE):
        raise Refused("only https:// addresses are allowed")
    host = parts.hostname or ""
    port = parts.port or (443 if https else 80)
    address = _resolve(host, port)
    pinned = _PinnedHTTPSConnection if https else _PinnedHTTPConnection
    conn = pinned(host, port, address, TIMEOUT)
    try:
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        conn.request("POST", target, body=body, headers=dict(headers))
        response = conn.getresponse()
        return response.status, response.read(READ_AT_MOST)
    finally:
        conn.close()


# --- Signing -------------------------------------------------------------------------------------


def new_secret() -> str:
    import secrets

    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>`` of HMAC-SHA256 with the secret over ``<timestamp>.<body>``."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def body_of(payload: Mapping[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def headers_for(delivery: WebhookDelivery, body: bytes, timestamp: str) -> dict[str, str]:
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Chuyende-Event": delivery.event,
        "X-Chuyende-Delivery": str(delivery.pk),
        "X-Chuyende-Timestamp": timestamp,
        "X-Chuyende-Signature": signature(delivery.endpoint.secret, timestamp, body),
    }


# --- Emitting ------------------------------------------------------------------------------------


def emit(event: str, organization: Any, payload: Mapping[str, Any]) -> list[WebhookDelivery]:
    """Tell the endpoints of ``organization`` and of the organisations above it that ``event`` happened.

    ``payload`` describes the object: ``id``, ``kind``, ``title`` (a text, or an object whose ``str`` is
    its title, made in the site's language), ``url`` (a path on this site) and the natural keys
    ``year`` and ``quarter`` where it has them. Call it inside the transaction of the
    change (one query when no endpoint wants the event); the deliveries go after the commit."""
    if event not in WebhookEvent.values:
        raise ValueError(f"Unknown webhook event {event!r}")  # a programming error
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(
            organization_id__in=organization.ancestor_ids(include_self=True), is_active=True
        ).only("pk", "events")
        if event in endpoint.events
    ]
    if not endpoints:
        return []
    now = timezone.now()
    event_id = uuid.uuid4()
    path = str(payload["url"])
    with translation.override(settings.LANGUAGE_CODE):  # the site's language, as in the notifications
        title = str(payload["title"])
    body = {
        "event": event,
        "id": str(event_id),
        "occurred_at": now.isoformat().replace("+00:00", "Z"),
        "organization": {"id": organization.pk, "name": organization.name},
        "object": {
            "id": payload["id"],
            "kind": payload["kind"],
            "title": title,
            "url": settings.SITE_URL + path if path.startswith("/") else path,
        },
        "year": payload.get("year"),
        "quarter": payload.get("quarter"),
        "cell": organization.pk if organization.is_cell else None,
    }
    rows = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint=endpoint,
            event=event,
            event_id=event_id,
            payload=body,
            created_at=now,
            next_attempt_at=now,
        )
        for endpoint in endpoints
    )
    # robust: a queue that cannot take the job is logged; the next run (or `manage.py outbox --send`)
    # sends the rows, which are committed by then.
    transaction.on_commit(deliver_webhooks.enqueue, robust=True)
    return rows


# --- Sending -------------------------------------------------------------------------------------


def _due(now: datetime) -> Q:
    pending = Q(state=State.PENDING, next_attempt_at__lte=now)
    abandoned = Q(state=State.SENDING, claimed_at__lt=now - outbox.LEASE)  # a worker died holding it
    return (pending | abandoned) & Q(endpoint__is_active=True)


def claim(batch: int = BATCH, now: datetime | None = None) -> list[WebhookDelivery]:
    """Take up to ``batch`` due deliveries for this worker: marked ``sending``, one attempt more."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = WebhookDelivery.objects.filter(_due(now)).select_related("endpoint")
        rows = rows.order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True, of=("self",))
        taken = list(rows[:batch])
        for row in taken:
            row.state, row.claimed_at, row.attempts = State.SENDING, now, row.attempts + 1
        WebhookDelivery.objects.bulk_update(taken, ["state", "claimed_at", "attempts"])
    return taken


@dataclass
class Outcome:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0


def _excerpt(content: bytes) -> str:
    return content.decode("utf-8", errors="replace")[:EXCERPT]


def send_one(row: WebhookDelivery) -> str:
    """POST one claimed delivery and record the answer; returns its new state."""
    body = body_of(row.payload)
    timestamp = str(int(time.time()))
    code: int | None = None
    excerpt = error = ""
    try:
        code, content = post(row.endpoint.url, body, headers_for(row, body, timestamp))
        excerpt = _excerpt(content)
        if not 200 <= code < 300:
            error = f"HTTP {code}" + (" (redirects are not followed)" if 300 <= code < 400 else "")
    except (Refused, OSError, http.client.HTTPException, ValueError) as problem:
        error = f"{type(problem).__name__}: {problem}"
    now = timezone.now()
    mine = WebhookDelivery.objects.filter(pk=row.pk, state=State.SENDING, claimed_at=row.claimed_at)
    answer = {"response_code": code, "response_excerpt": excerpt, "last_attempt_at": now}
    if not error:
        mine.update(state=State.DELIVERED, delivered_at=now, claimed_at=None, last_error="", **answer)
        return State.DELIVERED
    logger.warning(
        "Webhook delivery %s to %s failed (attempt %s): %s", row.pk, row.endpoint.url, row.attempts, error
    )
    state = State.FAILED if row.attempts >= outbox.MAX_ATTEMPTS else State.PENDING
    mine.update(
        state=state,
        next_attempt_at=now + outbox.backoff(row.attempts),
        claimed_at=None,
        last_error=error[:500],
        **answer,
    )
    return state


def drain() -> Outcome:
    """Send every due delivery, batch after batch, until none is left."""
    total = Outcome()
    while rows := claim():
        for row in rows:
            state = send_one(row)
            if state == State.DELIVERED:
                total.delivered += 1
            elif state == State.FAILED:
                total.failed += 1
            else:
                total.retrying += 1
    return total


@task()
def deliver_webhooks() -> dict[str, int]:
    """The background job: send every due delivery; returns how many were delivered, are to be retried,
    failed. Like the e-mail job it carries no data: the deliveries are the queue, so running it twice,
    or in several workers at once, sends each delivery once (barring a crash: then twice, with the same
    ``X-Chuyende-Delivery`` id)."""
    done = drain()
    return {"delivered": done.delivered, "retrying": done.retrying, "failed": done.failed}
