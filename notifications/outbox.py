"""The outbox: e-mail that survives a crash (docs/architecture.md, "Notifications and e-mail").

:func:`queue` writes one ``OutboundEmail`` per recipient inside the caller's transaction, its subject,
text and Message-ID fixed then. :func:`drain` sends what is due: it claims a batch (marks it ``sending``
with the time, one attempt more) in a short transaction — ``SKIP LOCKED`` on PostgreSQL, so workers on
several hosts never take the same row — sends each message, and marks it sent. A row left ``sending``
longer than :data:`LEASE` belonged to a worker that died; the next drain takes it over and sends it again
with the same Message-ID. A refused message waits :func:`backoff` and is tried again, up to
:data:`MAX_ATTEMPTS`, then stays ``failed`` until someone retries it (``manage.py outbox --retry``).
"""

import logging
import smtplib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.header import Header
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.models import ChannelChoice, Notification, OutboundEmail

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "[chuyende] "
LEASE = timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
MAX_ATTEMPTS = 8
BATCH = 50
State = OutboundEmail.State


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failure: 1, 2, 4 … minutes, at most six hours."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), timedelta(hours=6))


class NotificationEmail(EmailMessage):
    """A plain-text e-mail whose non-ASCII subject folds cleanly.

    Django 5.2 encodes the subject before the header name is known, so the first encoded word no
    longer fits after "Subject: " and the header goes out as an empty line plus a continuation line;
    standard-library parsers then read a leading space into the subject. Encoding it again knowing
    its name keeps the first encoded word on the Subject line. Revisit when upgrading past Django 5.2,
    which moves to the standard library's modern e-mail API."""

    def message(self) -> Any:
        message = super().message()
        subject = str(self.subject)
        if not subject.isascii():
            # replace_header stores the value as given (Django's __setitem__ would encode it again).
            message.replace_header(
                "Subject", Header(subject, self.encoding or "utf-8", header_name="Subject")
            )
        return message


def _text(notification: Notification) -> str:
    inbox = settings.SITE_URL + reverse("notifications:list")
    footer = _(
        "You receive this e-mail because you have an account in chuyende. All your notifications: %(url)s"
    ) % {"url": inbox}
    # "-- " with its trailing space is the signature separator mail readers recognise.
    parts = [notification.body, settings.SITE_URL + notification.url, f"-- \n{footer}"]
    return "\n\n".join(part for part in parts if part) + "\n"


def _domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "chuyende.local"


def queue(
    notifications: Iterable[Notification], not_before: Mapping[int, datetime | None] | None = None
) -> list[OutboundEmail]:
    """One e-mail per notification whose recipient is active and has an address, in the caller's
    transaction (the text in the site's language, like the notification). ``not_before``: per
    recipient id, the end of their quiet hours, when the e-mail must wait for it."""
    rows = []
    not_before = not_before or {}
    with translation.override(settings.LANGUAGE_CODE):
        for notification in notifications:
            recipient = notification.recipient
            if not recipient.is_active or not recipient.email:
                continue
            rows.append(
                OutboundEmail(
                    notification=notification,
                    to=recipient.email,
                    subject=(SUBJECT_PREFIX + notification.title)[:400],
                    body=_text(notification),
                    message_id=make_msgid(domain=_domain()),
                    next_attempt_at=not_before.get(recipient.pk) or timezone.now(),
                )
            )
    return OutboundEmail.objects.bulk_create(rows)


def _due(now: datetime) -> Q:
    pending = Q(state=State.PENDING, next_attempt_at__lte=now)
    abandoned = Q(state=State.SENDING, claimed_at__lt=now - LEASE)  # a worker died holding it
    return pending | abandoned


def claim(batch: int = BATCH, now: datetime | None = None) -> list[OutboundEmail]:
    """Take up to ``batch`` due messages for this worker: marked ``sending``, one attempt more."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = OutboundEmail.objects.filter(_due(now)).order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        taken = list(rows[:batch])
        for row in taken:
            row.state, row.claimed_at, row.attempts = State.SENDING, now, row.attempts + 1
        OutboundEmail.objects.bulk_update(taken, ["state", "claimed_at", "attempts"])
    return taken


def _message(row: OutboundEmail, smtp: Any) -> EmailMessage:
    return NotificationEmail(
        subject=row.subject,
        body=row.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.to],
        # The same Message-ID on every attempt: a message sent twice after a crash is one message.
        # RFC 3834: out-of-office replies are not sent back to an automatic message.
        headers={"Message-ID": row.message_id, "Auto-Submitted": "auto-generated"},
        connection=smtp,
    )


@dataclass
class Delivery:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def send(rows: list[OutboundEmail]) -> Delivery:
    """Send claimed rows, each marked sent, to be retried or failed as its attempt went."""
    result = Delivery()
    if not rows:
        return result
    with get_connection() as smtp:
        for row in rows:
            try:
                _message(row, smtp).send()
            except (smtplib.SMTPException, OSError) as error:
                # One refused address must not keep the others from their e-mail.
                logger.warning("E-mail %s to %s failed (attempt %s): %s", row.pk, row.to, row.attempts, error)
                now = timezone.now()
                gives_up = row.attempts >= MAX_ATTEMPTS
                OutboundEmail.objects.filter(pk=row.pk, state=State.SENDING).update(
                    state=State.FAILED if gives_up else State.PENDING,
                    next_attempt_at=now + backoff(row.attempts),
                    claimed_at=None,
                    last_error=f"{type(error).__name__}: {error}"[:2000],
                )
                if gives_up:
                    result.failed += 1
                else:
                    result.retrying += 1
                continue
            now = timezone.now()
            OutboundEmail.objects.filter(pk=row.pk).update(state=State.SENT, sent_at=now, last_error="")
            if row.notification_id:
                Notification.objects.filter(pk=row.notification_id).update(email_sent_at=now)
            result.sent += 1
    return result


def drain() -> Delivery:
    """Send every due message, batch after batch, until none is left."""
    total = Delivery()
    while rows := claim():
        done = send(rows)
        total.sent += done.sent
        total.retrying += done.retrying
        total.failed += done.failed
    return total


def retry_failed() -> int:
    """Put the failed messages back in the queue (after the cause was fixed); returns how many."""
    return OutboundEmail.objects.filter(state=State.FAILED).update(
        state=State.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )


def queue_copies(
    *,
    url: str,
    recipient_ids: tuple[int, int],
    now: datetime,
    sample: Notification | None = None,
    kind: str | None = None,
) -> int:
    """One e-mail for each unread notification of ``url`` written at ``now`` whose recipient's id is
    within ``recipient_ids`` (first, last) and who has an address, all of the same text, written by the
    database in one ``INSERT … SELECT`` (an announcement to many people: no object per message). The
    Message-ID is made of the notification's id and a random part, so it is unique and fixed like any
    other. In the caller's transaction; returns how many e-mails were queued. ``sample``: the
    notifications' text, when the caller has it (else one of them is read: with no index on ``url``, a
    scan of the table). ``kind``: those who turned e-mail off for this kind of notice
    (``ChannelChoice.email`` false) are left out, by the same statement.

    The notifications are found through the inbox index (recipient, read_at, created_at) with all
    three columns: by recipient alone, each recipient's whole inbox was read from the table to compare
    its ``url`` (19 notices a member at province scale: 1.7 M rows read for 90,000 e-mails)."""
    if sample is None:
        sample = Notification.objects.filter(url=url).only("title", "body", "url").first()
    if sample is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = (SUBJECT_PREFIX + sample.title)[:400], _text(sample)
    emails, notices = OutboundEmail._meta.db_table, Notification._meta.db_table
    users = Notification._meta.get_field("recipient").related_model._meta.db_table  # type: ignore[union-attr]
    stamp = connection.ops.adapt_datetimefield_value(now)
    token = make_msgid(domain=_domain()).strip("<>").split("@")[0]
    quote = connection.ops.quote_name
    opt_out, opt_params = "", list[Any]()
    if kind is not None:
        choices = quote(ChannelChoice._meta.db_table)
        opt_out = (
            f" AND NOT EXISTS (SELECT 1 FROM {choices} c WHERE c.user_id = u.id AND c.kind = %s "
            "AND c.email = %s)"
        )
        opt_params = [kind, False]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(emails)} (notification_id, {quote('to')}, subject, body, message_id, state, "
            "attempts, created_at, next_attempt_at, last_error) "
            f"SELECT n.id, u.email, %s, %s, '<' || n.id || '.' || %s || '@' || %s || '>', %s, 0, %s, %s, '' "
            f"FROM {quote(notices)} n JOIN {quote(users)} u ON u.id = n.recipient_id "
            "WHERE n.recipient_id >= %s AND n.recipient_id <= %s AND n.read_at IS NULL AND n.created_at = %s "
            "AND n.url = %s AND u.email <> ''" + opt_out,
            [
                subject,
                body,
                token,
                _domain(),
                State.PENDING,
                stamp,
                stamp,
                *recipient_ids,
                stamp,
                url,
                *opt_params,
            ],
        )
        return cursor.rowcount
