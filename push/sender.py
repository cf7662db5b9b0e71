"""``PushSender``: the Web Push channel of the notifications outbox (notifications/channels.py).

Each of the recipient's subscriptions gets a small JSON payload (title, body, url), encrypted for that
browser (RFC 8291, aes128gcm) and signed with the site's VAPID key (RFC 8292), through ``pywebpush``.
What the push services answer decides what the outbox does next:

* 201 (or 200/202) on at least one subscription: sent;
* 404/410: the browser withdrew that subscription; it is deleted. None left: ``Refused``;
* 429, 5xx, a network error, on every subscription: ``Retry`` (after the service's Retry-After);
* another 4xx (a key the service does not accept): counted on the subscription, which is deleted
  after ``MAX_FAILURES`` in a row; none delivered: ``Refused``.

A retry sends to every subscription again; one delivery to any of the member's devices counts as
sent, so a retry only happens when no device got it.
"""

import json
from datetime import timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import requests
from django.conf import settings
from django.db.models import F
from django.utils import timezone
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from notifications.channels import PUSH, Message, Refused, Retry
from push import vapid
from push.models import PushSubscription
from push.services import is_push_service

GONE = (404, 410)
MAX_FAILURES = 5
TIMEOUT_SECONDS = 10
# A push service accepts about 4 kB of payload: the title and body are cut well below it.
TITLE_CHARS = 120
BODY_CHARS = 600


def retry_after(value: str | None) -> timedelta | None:
    """A Retry-After header (seconds or an HTTP date) as a delay, or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(moment - timezone.now(), timedelta(0))


def payload(message: Message) -> str:
    """What the service worker receives (static/push/sw.js shows it and opens ``url`` on a tap)."""
    return json.dumps(
        {
            "title": message.title[:TITLE_CHARS],
            "body": message.body[:BODY_CHARS],
            "url": settings.SITE_URL + message.url if message.url.startswith("/") else message.url,
            "tag": f"notice-{message.outbox_id}",
        },
        ensure_ascii=False,
    )


def reachable(user_ids: Any) -> set[int]:
    """Which of ``user_ids`` have at least one push subscription (one query)."""
    return set(
        PushSubscription.objects.filter(user_id__in=list(user_ids))
        .values_list("user_id", flat=True)
        .distinct()
    )


class PushSender:
    channel = PUSH

    def is_enabled(self) -> bool:
        return vapid.keys() is not None

    def reaches(self, user: Any) -> bool:
        return PushSubscription.objects.filter(user_id=user.pk).exists()

    def reachable(self, user_ids: list[int]) -> set[int]:
        """:meth:`reaches` for many at once, in one query (notifications.routing asks it)."""
        return reachable(user_ids)

    def send(self, message: Message) -> str:
        keys = vapid.keys()
        if keys is None:
            raise Retry("Web Push is not configured (VAPID keys)")
        subscriptions = list(PushSubscription.objects.filter(user_id=message.recipient_id))
        if not subscriptions:
            raise Refused("no push subscription")
        signer = Vapid.from_raw(keys.private_key.encode())
        data = payload(message)
        urgency = "high" if message.params.get("urgent") else "normal"
        delivered: list[str] = []
        retry: list[Retry] = []
        with requests.Session() as session:
            session.max_redirects = 0  # a push service answers; it does not send the server elsewhere
            for subscription in subscriptions:
                outcome = self._send_one(subscription, data, signer, keys.subject, urgency, session)
                if isinstance(outcome, Retry):
                    retry.append(outcome)
                elif outcome is not None:
                    delivered.append(outcome)
        if delivered:
            return " ".join(filter(None, delivered))
        if retry:
            afters = [r.after for r in retry if r.after is not None]
            raise Retry("; ".join(str(r) for r in retry), after=max(afters) if afters else None)
        raise Refused("every push subscription was refused or is gone")

    def _send_one(
        self,
        subscription: PushSubscription,
        data: str,
        signer: Vapid,
        subject: str,
        urgency: str,
        session: requests.Session,
    ) -> str | Retry | None:
        """The push service's message id (possibly ""), a Retry, or None (refused; recorded)."""
        if not is_push_service(subscription.endpoint):
            # Stored before the rule, or PUSH_ALLOW_STANDIN since turned off: never posted to.
            subscription.delete()
            return None
        info = {
            "endpoint": subscription.endpoint,
            "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
        }
        try:
            response = webpush(
                info,
                data=data,
                vapid_private_key=signer,
                vapid_claims={"sub": subject},
                ttl=settings.PUSH_TTL_SECONDS,
                headers={"Urgency": urgency},
                timeout=TIMEOUT_SECONDS,
                requests_session=session,
            )
        except WebPushException as error:
            status = error.response.status_code if error.response is not None else None
            if status in GONE:
                subscription.delete()
                return None
            if status is None or status == 429 or status >= 500:
                headers = error.response.headers if error.response is not None else {}
                return Retry(f"push service answered {status}", after=retry_after(headers.get("Retry-After")))
            self._failed(subscription)
            return None
        except (requests.RequestException, OSError) as error:
            return Retry(f"push service unreachable: {error.__class__.__name__}")
        except ValueError:
            # Keys the browser sent that do not decode into a P-256 point: never deliverable.
            subscription.delete()
            return None
        PushSubscription.objects.filter(pk=subscription.pk).update(last_success_at=timezone.now(), failures=0)
        return str(getattr(response, "headers", {}).get("Location", ""))

    def _failed(self, subscription: PushSubscription) -> None:
        PushSubscription.objects.filter(pk=subscription.pk).update(failures=F("failures") + 1)
        if subscription.failures + 1 >= MAX_FAILURES:
            subscription.delete()
