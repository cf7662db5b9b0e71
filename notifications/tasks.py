"""Background jobs: e-mailing a batch of notifications once the transaction that made them commits.

Jobs take primary keys, never model instances: with the database queue they run later in another
process, and read the rows as they are then.
"""

import logging
import smtplib
from email.header import Header
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from notifications.models import Notification

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "[chuyende] "


class EmailsNotSent(Exception):
    """Some e-mails of a batch were refused or lost; those notifications keep ``email_sent_at`` empty,
    so running the job again sends only them."""


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


def _message(notification: Notification, connection: BaseEmailBackend) -> EmailMessage:
    inbox = settings.SITE_URL + reverse("notifications:list")
    footer = _(
        "You receive this e-mail because you have an account in chuyende. All your notifications: %(url)s"
    ) % {"url": inbox}
    # "-- " with its trailing space is the signature separator mail readers recognise.
    parts = [notification.body, settings.SITE_URL + notification.url, f"-- \n{footer}"]
    return NotificationEmail(
        subject=SUBJECT_PREFIX + notification.title,
        body="\n\n".join(part for part in parts if part) + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient.email],
        # RFC 3834: out-of-office replies are not sent back to an automatic message.
        headers={"Auto-Submitted": "auto-generated"},
        connection=connection,
    )


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail each notification of the batch to its recipient, once; returns how many were sent.

    Skipped: recipients without an e-mail address or deactivated since, and notifications already
    e-mailed (so a second run is harmless). The text is in the site's language, like the notification.
    """
    pending = list(
        Notification.objects.filter(
            pk__in=notification_ids, email_sent_at__isnull=True, recipient__is_active=True
        )
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("pk")
    )
    if not pending:
        return 0
    sent, failed = 0, 0
    with translation.override(settings.LANGUAGE_CODE), get_connection() as connection:
        for notification in pending:
            try:
                _message(notification, connection).send()
            except (smtplib.SMTPException, OSError):
                # One refused address must not keep the others from their e-mail.
                logger.exception(
                    "E-mail of notification %s to user %s failed", notification.pk, notification.recipient_id
                )
                failed += 1
                continue
            Notification.objects.filter(pk=notification.pk).update(email_sent_at=timezone.now())
            sent += 1
    if failed:
        raise EmailsNotSent(f"{failed} of {sent + failed} notification e-mails were not sent.")
    return sent
