"""The channel outbox: Zalo and push messages that survive a crash (docs/channels.md).

Rows (``ChannelMessage``) are written with the notices (notifications.services, notifications.digests).
:func:`drain` sends what is due exactly as the e-mail outbox does (notifications/outbox.py): it claims a
batch in a short transaction (``SKIP LOCKED`` on PostgreSQL; marked ``sending`` with the time, one
attempt more), hands each a :class:`~notifications.channels.Message` to its channel's sender, and
records the answer: ``sent`` with the provider's id; :class:`~notifications.channels.Retry` waits the
time the provider gave, else :func:`outbox.backoff`, and after :data:`outbox.MAX_ATTEMPTS` stays
``failed``; :class:`~notifications.channels.Refused` is ``refused`` with its reason and never retried.
A row left ``sending`` beyond the lease belonged to a worker that died: the next drain takes it over
(the sender gets the same ``outbox_id``, its idempotency key).
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications import channels
from notifications.kinds import is_urgent
from notifications.models import ChannelMessage
from notifications.outbox import BATCH, LEASE, MAX_ATTEMPTS, backoff

logger = logging.getLogger(__name__)

State = ChannelMessage.State


def _due(now: datetime) -> Q:
    pending = Q(state=State.PENDING, next_attempt_at__lte=now)
    abandoned = Q(state=State.SENDING, claimed_at__lt=now - LEASE)  # a worker died holding it
    return pending | abandoned


def claim(batch: int = BATCH, now: datetime | None = None) -> list[ChannelMessage]:
    """Take up to ``batch`` due messages for this worker: marked ``sending``, one attempt more."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = (
            ChannelMessage.objects.filter(_due(now))
            .exclude(channel=channels.EMAIL)  # e-mail rows only wait for a digest; OutboundEmail sends
            .select_related("notification")  # the batch's notices in the same query
            .order_by("next_attempt_at", "pk")
        )
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True, of=("self",))
        taken = list(rows[:batch])
        for row in taken:
            row.state, row.claimed_at, row.attempts = State.SENDING, now, row.attempts + 1
        ChannelMessage.objects.bulk_update(taken, ["state", "claimed_at", "attempts"])
    return taken


def message(row: ChannelMessage) -> channels.Message:
    """What the sender is given: the notice's text, or the digest's own."""
    notice = row.notification
    title, body, url = (notice.title, notice.body, notice.url) if notice else (row.title, row.body, row.url)
    # "urgent": a sender may say so to its service (Web Push's Urgency header: high).
    params: dict[str, Any] = {"title": title, "url": url, "urgent": is_urgent(row.kind)}
    if notice is not None:
        params["created_at"] = timezone.localtime(notice.created_at).strftime("%H:%M %d/%m/%Y")
    return channels.Message(
        outbox_id=row.pk,
        recipient_id=row.recipient_id,
        kind=row.kind,
        title=title,
        body=body,
        url=url,
        params=params,
    )


@dataclass
class Delivery:
    sent: int = 0
    retrying: int = 0
    refused: int = 0
    failed: int = 0


def _retry(row: ChannelMessage, reason: str, after: timedelta | None, result: Delivery) -> None:
    now = timezone.now()
    gives_up = row.attempts >= MAX_ATTEMPTS
    wait = after if after is not None else backoff(row.attempts)
    ChannelMessage.objects.filter(pk=row.pk, state=State.SENDING).update(
        state=State.FAILED if gives_up else State.PENDING,
        next_attempt_at=now + wait,
        claimed_at=None,
        last_error=reason[:2000],
    )
    if gives_up:
        result.failed += 1
    else:
        result.retrying += 1


def send(rows: list[ChannelMessage]) -> Delivery:
    """Send claimed rows, each marked sent, to be retried, refused or failed as its attempt went."""
    result = Delivery()
    for row in rows:
        sender = channels.sender(row.channel)
        if sender is None or not sender.is_enabled():
            # Switched off since it was queued: it waits (and gives up) like a provider that is down.
            _retry(row, _("The channel is switched off."), None, result)
            continue
        try:
            provider_id = sender.send(message(row))
        except channels.Refused as refusal:
            ChannelMessage.objects.filter(pk=row.pk, state=State.SENDING).update(
                state=State.REFUSED, claimed_at=None, last_error=str(refusal)[:2000]
            )
            result.refused += 1
            continue
        except channels.Retry as retry:
            logger.warning("%s message %s failed (attempt %s): %s", row.channel, row.pk, row.attempts, retry)
            _retry(row, str(retry), retry.after, result)
            continue
        except Exception as error:  # a sender's bug must not keep the others from their messages
            logger.exception("%s message %s: the sender failed", row.channel, row.pk)
            _retry(row, f"{type(error).__name__}: {error}", None, result)
            continue
        ChannelMessage.objects.filter(pk=row.pk).update(
            state=State.SENT, sent_at=timezone.now(), provider_id=(provider_id or "")[:200], last_error=""
        )
        result.sent += 1
    return result


def drain() -> Delivery:
    """Send every due message, batch after batch, until none is left."""
    total = Delivery()
    while rows := claim():
        done = send(rows)
        total.sent += done.sent
        total.retrying += done.retrying
        total.refused += done.refused
        total.failed += done.failed
    return total


def retry_failed() -> int:
    """Put the failed messages back in the queue (after the cause was fixed); returns how many.
    Refused ones stay refused: the recipient cannot be reached by that channel."""
    return ChannelMessage.objects.filter(state=State.FAILED).update(
        state=State.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
