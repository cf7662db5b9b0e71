"""The channels a notice travels by besides the app and e-mail (Zalo, Web Push), and the one interface
every sender implements (docs/channels.md).

A notice is written once (``Notification``). For each channel the recipient chose for its kind, one
row of the channel outbox carries it (notifications.models, written in the notice's transaction); a
worker claims the row and hands a :class:`Message` to the channel's :class:`Sender`. The sender either
returns the provider's id for the record, or raises :class:`Retry` (try again later: a quota, a network
error, an expired token it could not refresh) or :class:`Refused` (this recipient cannot be reached by
this channel: an unknown phone number, a subscription the browser withdrew). Nothing else is expected
of it: the outbox keeps the state, the attempts and the delivery results.

A sender registers itself in its app's ``AppConfig.ready()`` (``channels.register(ZaloSender())``),
so this app imports none of them.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

APP = "app"
EMAIL = "email"
ZALO = "zalo"
PUSH = "push"


@dataclass(frozen=True)
class Message:
    """What a sender is given: one notice for one person, in the site's language."""

    outbox_id: int  # the outbox row's id: the same on every attempt (an idempotency key)
    recipient_id: int  # the user's id
    kind: str  # the kind of notice (notifications.kinds), for templates chosen per kind
    title: str
    body: str
    url: str  # a path on this site; the sender makes it absolute with settings.SITE_URL
    params: dict[str, Any]  # named values a template may use (the session's title, the date…)


class Retry(Exception):
    """Not sent now; try again later (after ``after`` when the provider said how long)."""

    def __init__(self, reason: str, after: timedelta | None = None) -> None:
        super().__init__(reason)
        self.after = after


class Refused(Exception):
    """This recipient cannot be reached by this channel; retrying will not help."""


class Sender(Protocol):
    channel: str

    def is_enabled(self) -> bool:
        """Whether the channel is configured and switched on (else nothing is queued for it)."""

    def reaches(self, user: Any) -> bool:
        """Whether ``user`` can be reached at all (a phone number, a push subscription)."""

    def send(self, message: Message) -> str:
        """Send one message; return the provider's id (or "") or raise Retry / Refused."""

    # Optional, and asked first when present (notifications.routing.reachable): the ids among
    # ``user_ids`` the channel reaches, in one query, so that notifying 30 or 90,000 people costs the
    # same number of queries:
    #
    #     def reachable(self, user_ids: list[int]) -> set[int]: ...
    #
    # Without it, ``reaches(user)`` is asked once per recipient (each user has only ``pk``, ``email``
    # and ``is_active`` loaded).


_senders: dict[str, Sender] = {}


def register(sender: Sender) -> None:
    _senders[sender.channel] = sender


def sender(channel: str) -> Sender | None:
    return _senders.get(channel)


def registered() -> dict[str, Sender]:
    return dict(_senders)


def restore(senders: dict[str, Sender]) -> None:
    """Exactly ``senders`` registered from now on (a test puts back what :func:`registered` gave)."""
    _senders.clear()
    _senders.update(senders)
