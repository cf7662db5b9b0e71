"""Daily digests: what a member's channels held for them, sent as one message per channel a day, at
the member's hour (docs/channels.md). ``manage.py send_digests`` runs :func:`send_due`; cron runs it
every hour (more often is safe).

Idempotent: the held rows become ``digested`` in the transaction that writes their digest, and a
member gets at most one digest a day (``DeliveryPreference.last_digest_on``), so a second run sends
nothing twice. A member who turned the digest off since gets what was held for them at the next run.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from email.utils import make_msgid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications import channels, routing
from notifications.kinds import DIGEST
from notifications.models import ChannelMessage, DeliveryPreference, OutboundEmail
from notifications.outbox import SUBJECT_PREFIX, _domain
from notifications.tasks import deliver_channels, deliver_outbox

State = ChannelMessage.State


@dataclass
class Done:
    members: int = 0
    messages: int = 0
    notices: int = 0


def _is_due(pref: DeliveryPreference | None, local: datetime) -> bool:
    if pref is None or not pref.digest:
        return True  # nothing should be held for them any more: send it now
    if pref.last_digest_on is not None and pref.last_digest_on >= local.date():
        return False
    return local.hour >= pref.digest_hour


def compose(items: list[ChannelMessage], day: datetime) -> tuple[str, str]:
    """The digest's title and text: one line per notice, with its link."""
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Your notices of %(date)s (%(count)s)") % {
            "date": day.strftime("%d/%m/%Y"),
            "count": len(items),
        }
        lines = []
        for item in items:
            notice = item.notification
            if notice is None:
                continue
            when = timezone.localtime(notice.created_at).strftime("%H:%M")
            lines.append(f"- {when} {notice.title}\n  {settings.SITE_URL}{notice.url}")
        footer = _("All your notifications: %(url)s") % {
            "url": settings.SITE_URL + reverse("notifications:list")
        }
    return title, "\n".join(lines) + "\n\n" + footer


def send_due(now: datetime | None = None) -> Done:
    """Write the digest of every member whose hour has come and who has notices held."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    done = Done()
    waiting = set(ChannelMessage.objects.filter(state=State.HELD).values_list("recipient_id", flat=True))
    prefs = {p.user_id: p for p in DeliveryPreference.objects.filter(user_id__in=waiting)}
    for user_id in sorted(waiting):
        if not _is_due(prefs.get(user_id), local):
            continue
        with transaction.atomic():
            written = _digest_one(user_id, now, local)
        if written:
            done.members += 1
            done.messages += written[0]
            done.notices += written[1]
    return done


def _digest_one(user_id: int, now: datetime, local: datetime) -> tuple[int, int] | None:
    pref = DeliveryPreference.objects.select_for_update().filter(user_id=user_id).first()
    if pref is not None and not _is_due(pref, local):  # another run got here first
        return None
    held = list(
        ChannelMessage.objects.select_for_update(of=("self",))
        .filter(recipient_id=user_id, state=State.HELD)
        .select_related("notification")
        .order_by("created_at", "pk")
    )
    if not held:
        return None
    by_channel: dict[str, list[ChannelMessage]] = defaultdict(list)
    for row in held:
        by_channel[row.channel].append(row)
    later = routing.not_before(user_id, now)
    user = get_user_model().objects.get(pk=user_id)
    inbox = reverse("notifications:list")
    messages = 0
    for channel, items in by_channel.items():
        title, body = compose(items, local)
        ids = [item.pk for item in items]
        if channel == channels.EMAIL:
            if not user.email:  # the address was removed since: nothing can carry them
                ChannelMessage.objects.filter(pk__in=ids).update(
                    state=State.REFUSED, last_error=_("No e-mail address.")
                )
                continue
            email = OutboundEmail.objects.create(
                to=user.email,
                subject=(SUBJECT_PREFIX + title)[:400],
                body=body,
                message_id=make_msgid(domain=_domain()),
                next_attempt_at=later or now,
            )
            ChannelMessage.objects.filter(pk__in=ids).update(
                state=State.DIGESTED, sent_at=now, digest_email=email
            )
            transaction.on_commit(deliver_outbox.enqueue, robust=True)
        else:
            digest = ChannelMessage.objects.create(
                channel=channel,
                recipient_id=user_id,
                kind=DIGEST,
                title=title[:255],
                body=body,
                url=inbox,
                next_attempt_at=later or now,
            )
            ChannelMessage.objects.filter(pk__in=ids).update(state=State.DIGESTED, sent_at=now, digest=digest)
            transaction.on_commit(deliver_channels.enqueue, robust=True)
        messages += 1
    if pref is not None:
        pref.last_digest_on = local.date()
        pref.save(update_fields=["last_digest_on"])
    return messages, len(held)
