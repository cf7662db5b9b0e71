"""Notifying people (in the app, and by e-mail after the transaction commits) and calendar links."""

from collections.abc import Callable, Iterable, Mapping
from datetime import time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from core import versions
from core.audit import log_action
from core.errors import DomainError, InvalidTransition, PermissionDenied
from core.permissions import require
from core.text import nfc, shorten
from notifications import channels, outbox, routing, webhooks
from notifications.kinds import Kind, is_urgent
from notifications.models import (
    CalendarFeed,
    CellChannelDefault,
    ChannelChoice,
    ChannelMessage,
    DeliveryPreference,
    Notification,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from notifications.tasks import deliver_channels, deliver_outbox

if TYPE_CHECKING:
    from organizations.models import Member

TITLE_LENGTH = Notification._meta.get_field("title").max_length or 255


def is_site_path(url: str) -> bool:
    """A path on this site (``/ke-hoach/buoi/12/``), not an address elsewhere (``//x.example``,
    ``https://x.example/``, ``javascript:…``): the only kind of link a notification may follow."""
    return url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None)


def site_text(text: str | Promise, params: Mapping[str, Any] | None = None) -> str:
    """``text`` in the site's language, formatted with ``params`` when given.

    People have no language of their own yet, so notices are written in settings.LANGUAGE_CODE, not
    in the language of whoever caused them. Pass the lazy text and its parameters: a lazy text
    formatted first (``_("…%(title)s") % …``) would already be in the actor's language. Only our own
    translatable texts are formatted; a plain string (remarks typed by a person) is taken as it is.
    """
    with translation.override(settings.LANGUAGE_CODE):
        if isinstance(text, Promise) and params is not None:
            return str(text) % params
        return str(text)


def notify(
    *,
    recipients: Iterable[Any],
    title: str | Promise,
    body: str | Promise,
    url: str,
    kind: str = Kind.OTHER,
    email: bool = True,
    work_key: str = "",
) -> list[Notification]:
    """Notify each distinct active user in ``recipients`` about the page at ``url`` (a path on this site).

    Runs inside the caller's transaction: if it rolls back, nobody is notified. After it commits, one
    background task e-mails the batch (``email=False`` for in-app only). People have no language of
    their own, so the text is in the site's language: pass lazy strings (evaluated here under
    settings.LANGUAGE_CODE) or texts made with :func:`site_text`. ``work_key`` names the step the
    notification asks for (core.workkeys), when it asks for one. ``kind`` (notifications.kinds) decides
    the channels besides the app, as each recipient chose (notifications.routing); ``email=False``
    keeps the notice in the app only.
    Returns the notifications created, in the order of their recipients' ids.
    """
    users = get_user_model().objects.filter(pk__in={user.pk for user in recipients})
    return _notify_users(users, title=title, body=body, url=url, kind=kind, email=email, work_key=work_key)


def notify_members(
    *,
    members: "Iterable[Member] | QuerySet[Member]",
    title: str | Promise,
    body: str | Promise,
    url: str,
    kind: str = Kind.OTHER,
    email: bool = True,
    work_key: str = "",
) -> list[Notification]:
    """Notify the login accounts of ``members`` (Party members; those without an account or whose
    account is disabled are skipped), as :func:`notify` does.

    ``members`` may be a list or a queryset; a queryset stays a subquery, so the active accounts are
    found in one query whatever the number of members.
    """
    users = get_user_model().objects.filter(member__in=members)
    return _notify_users(users, title=title, body=body, url=url, kind=kind, email=email, work_key=work_key)


def _notify_users(
    users: QuerySet[Any],
    *,
    title: str | Promise,
    body: str | Promise,
    url: str,
    kind: str,
    email: bool,
    work_key: str,
) -> list[Notification]:
    if not is_site_path(url):
        # A programming error, not a refusal a person could cause: the caller builds the URL.
        raise ValueError(f"A notification links to a path on this site, not to {url!r}.")
    if kind not in Kind.values:
        raise ValueError(f"Unknown kind of notice {kind!r} (notifications.kinds.Kind).")
    with translation.override(settings.LANGUAGE_CODE):
        # A subject line and a list heading: one line, bounded.
        title_text = shorten(nfc(str(title)), TITLE_LENGTH)
        body_text = nfc(str(body)).strip()
    now = timezone.now()
    with transaction.atomic():
        active = list(users.filter(is_active=True).order_by("pk").only("pk", "email", "is_active"))
        created = Notification.objects.bulk_create(
            Notification(
                recipient=user,
                title=title_text,
                body=body_text,
                url=url,
                created_at=now,
                work_key=work_key,
                kind=kind,
            )
            for user in active
        )
        bump_bell([user.pk for user in active])
        if email and created:
            _queue_channels(created, kind, now)
    return created


def _queue_channels(created: list[Notification], kind: str, now: Any) -> None:
    """The rows of the outboxes that carry the notices beyond the app, as each recipient's route says
    (notifications.routing): e-mails now or at the end of quiet hours; Zalo and push messages; what
    waits for the daily digest held. Committed with the notifications or not at all."""
    routes = routing.plan([notice.recipient for notice in created], kind, now)
    mailed, others = [], []
    for notice in created:
        route = routes[notice.recipient_id]
        for channel in sorted(route.channels):
            if channel == channels.EMAIL and not route.digest:
                mailed.append(notice)
                continue
            others.append(
                ChannelMessage(
                    notification=notice,
                    channel=channel,
                    recipient_id=notice.recipient_id,
                    kind=kind,
                    state=ChannelMessage.State.HELD if route.digest else ChannelMessage.State.PENDING,
                    created_at=now,
                    next_attempt_at=route.not_before or now,
                )
            )
    if mailed and outbox.queue(mailed, {pk: route.not_before for pk, route in routes.items()}):
        # robust: the rows are committed by then; a queue that cannot take the job is logged (the
        # next run, or `manage.py outbox --send`, sends them) rather than turned into an error page
        # for a change that was made.
        transaction.on_commit(deliver_outbox.enqueue, robust=True)
    if others:
        ChannelMessage.objects.bulk_create(others)
        if any(row.state == ChannelMessage.State.PENDING for row in others):
            transaction.on_commit(deliver_channels.enqueue, robust=True)


# The steps still waiting for a person, as the work queue finds them. Set by the app that owns the
# queue (home, above every other) in its AppConfig.ready(), so that this app need not import it.
OpenWork = Callable[[Any, Any], set[str]]
_open_work: list[OpenWork] = []


def set_open_work(source: OpenWork) -> None:
    """``source(user, request)`` returns the keys of the steps still waiting for ``user``."""
    _open_work[:] = [source]


def open_work(user: Any, request: Any = None) -> set[str]:
    """The keys of the steps still waiting for ``user`` (empty when no queue is installed)."""
    return _open_work[0](user, request) if _open_work else set()


def pending(notifications: QuerySet[Notification], open_keys: set[str]) -> QuerySet[Notification]:
    """The notifications still worth a look: those that only inform, and those whose step still waits."""
    return notifications.filter(Q(work_key="") | Q(work_key__in=open_keys))


def mark_read(*, actor: Any, notification: Notification) -> Notification:
    """Mark one of the actor's notifications as read (the first reading time is kept)."""
    if notification.recipient_id != actor.pk:
        raise PermissionDenied(_("This notification is addressed to someone else."))
    if notification.read_at is None:
        now = timezone.now()
        # Conditional, so two tabs opening it at once keep the first time.
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
        bump_bell([actor.pk])
    return notification


def mark_all_read(*, actor: Any) -> int:
    """Mark all the actor's unread notifications as read; returns how many there were."""
    count = Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    bump_bell([actor.pk])
    return count


def bell_version(user: Any) -> str | None:
    """The version token of the user's unread notifications (None when the frame is not cached)."""
    return versions.current([f"bell:{user.pk}", EVERYONE])


# An announcement reaches thousands at once: one token for every bell rather than one per recipient.
EVERYONE = "bell:all"


def bump_bell(user_ids: Iterable[int]) -> None:
    """The unread notifications of these users changed (created, read): their bell counts again."""
    versions.bump(f"bell:{pk}" for pk in user_ids)


def create_or_renew_feed(*, actor: Any) -> CalendarFeed:
    """Give the user a calendar link; an existing one is replaced, so the old URL stops working. The
    returned feed carries the plain ``token``, which is not stored: show it now or never."""
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(user=actor).first() or CalendarFeed(user=actor)
        feed.set_token()
        feed.save()
        log_action(actor, "notifications.calendar.created", feed)
    return feed


def revoke_feed(*, actor: Any) -> None:
    """Delete the user's calendar link: its URL answers 404 from now on."""
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(user=actor).first()
        if feed is not None:
            log_action(actor, "notifications.calendar.revoked", feed)
            feed.delete()


# --- Webhooks (notifications/webhooks.py sends them) -----------------------------------------------


def _clean_events(events: Iterable[str]) -> list[str]:
    chosen = set(events)
    if not chosen:
        raise DomainError(_("Choose at least one event."), field="events")
    unknown = chosen - set(WebhookEvent.values)
    if unknown:
        raise DomainError(
            _("Unknown event: %(event)s.") % {"event": ", ".join(sorted(unknown))}, field="events"
        )
    return [event for event in WebhookEvent.values if event in chosen]  # in the list's order


def register_webhook(*, actor: Any, organization: Any, url: str, events: Iterable[str]) -> WebhookEndpoint:
    """Register an endpoint for the events of ``organization`` and of every cell under it. The returned
    endpoint carries its new secret in ``secret_shown``: show it now (it is not shown again)."""
    require(actor, "webhook.manage", organization)
    url = webhooks.check_url(url)
    chosen = _clean_events(events)
    with transaction.atomic():
        endpoint = WebhookEndpoint(
            organization=organization,
            url=url,
            events=chosen,
            secret=webhooks.new_secret(),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        endpoint.full_clean()
        endpoint.save()
        log_action(actor, "notifications.webhook.created", endpoint, {"events": ", ".join(chosen)})
    endpoint.secret_shown = endpoint.secret
    return endpoint


def rotate_webhook_secret(*, actor: Any, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Give the endpoint a new secret (the old one stops signing at once); shown in ``secret_shown``."""
    require(actor, "webhook.manage", endpoint.organization)
    with transaction.atomic():
        endpoint = (
            WebhookEndpoint.objects.select_for_update().select_related("organization").get(pk=endpoint.pk)
        )
        endpoint.secret = webhooks.new_secret()
        endpoint.secret_rotated_at = timezone.now()
        endpoint.save(update_fields=["secret", "secret_rotated_at"])
        log_action(actor, "notifications.webhook.rotated", endpoint)
    endpoint.secret_shown = endpoint.secret
    return endpoint


def set_webhook_active(*, actor: Any, endpoint: WebhookEndpoint, active: bool) -> WebhookEndpoint:
    """Deactivate an endpoint (nothing more is sent to it; what waits stays waiting) or activate it again."""
    require(actor, "webhook.manage", endpoint.organization)
    with transaction.atomic():
        endpoint = (
            WebhookEndpoint.objects.select_for_update().select_related("organization").get(pk=endpoint.pk)
        )
        if endpoint.is_active == active:
            raise InvalidTransition(
                _("This webhook is already active.") if active else _("This webhook is already deactivated.")
            )
        endpoint.is_active = active
        endpoint.save(update_fields=["is_active"])
        code = "notifications.webhook.activated" if active else "notifications.webhook.deactivated"
        log_action(actor, code, endpoint)
        if active:
            transaction.on_commit(webhooks.deliver_webhooks.enqueue, robust=True)
    return endpoint


def resend_delivery(*, actor: Any, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again ("Gửi lại"), whatever became of it: same id, same content, a new signature
    and timestamp; its attempts count from zero."""
    require(actor, "webhook.manage", delivery.endpoint.organization)
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("endpoint")
            .get(pk=delivery.pk)
        )
        if delivery.state == WebhookDelivery.State.SENDING:
            raise InvalidTransition(_("This delivery is being sent right now."))
        if not delivery.endpoint.is_active:
            raise InvalidTransition(_("Activate the webhook first."))
        delivery.state = WebhookDelivery.State.PENDING
        delivery.attempts = 0
        delivery.next_attempt_at = timezone.now()
        delivery.claimed_at = None
        delivery.save(update_fields=["state", "attempts", "next_attempt_at", "claimed_at"])
        log_action(actor, "notifications.webhook.resent", delivery.endpoint, {"delivery": delivery.pk})
        transaction.on_commit(webhooks.deliver_webhooks.enqueue, robust=True)
    return delivery


# --- Channels: a member's choices, a cell's defaults (docs/channels.md) -----------------------------


def _clean_table(choices: Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
    """The chosen channels per kind, checked: known kinds that are not urgent, known channels."""
    table: dict[str, set[str]] = {}
    for kind, names in choices.items():
        if kind not in Kind.values or is_urgent(kind):
            raise DomainError(_("Unknown kind of notice: %(kind)s.") % {"kind": kind})
        chosen = set(names)
        unknown = chosen - set(routing.CHOOSABLE)
        if unknown:
            raise DomainError(_("Unknown channel: %(channel)s.") % {"channel": ", ".join(sorted(unknown))})
        table[kind] = chosen
    return table


def _flags(chosen: set[str], current: frozenset[str], offered: list[str]) -> dict[str, bool]:
    """The three flags of a row: what was offered as chosen; a channel the site does not offer now
    keeps its current value (it comes back as it was when switched on again)."""
    return {name: (name in chosen) if name in offered else (name in current) for name in routing.CHOOSABLE}


def set_member_channels(
    *,
    actor: Any,
    choices: Mapping[str, Iterable[str]],
    quiet_from: time | None = None,
    quiet_until: time | None = None,
    digest: bool = False,
    digest_hour: int = 7,
    offered: Iterable[str] | None = None,
) -> DeliveryPreference:
    """Save the actor's own channels per kind of notice, their quiet hours and their digest.

    Every kind in ``choices`` becomes the member's own choice (no longer following the cell's
    default); urgent kinds are not chosen. Quiet hours are both times or neither. ``offered``: the
    channels the choice was made among (by default those the site sends by now, as on the page); the
    others keep their value."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to choose how you are notified."))
    table = _clean_table(choices)
    if (quiet_from is None) != (quiet_until is None):
        raise DomainError(
            _("Enter both the start and the end of the quiet hours, or neither."), field="quiet_until"
        )
    if quiet_from is not None and quiet_from == quiet_until:
        raise DomainError(_("The quiet hours must start and end at different times."), field="quiet_until")
    if not 0 <= digest_hour <= 23:
        raise DomainError(_("Choose an hour from 0 to 23."), field="digest_hour")
    offered = list(routing.enabled_channels() if offered is None else offered)
    cell = routing.cell_of(actor.pk)
    current, _own = routing.member_table(actor.pk, cell.pk if cell else None)
    with transaction.atomic():
        for kind, chosen in table.items():
            ChannelChoice.objects.update_or_create(
                user=actor, kind=kind, defaults=_flags(chosen, current[kind], offered)
            )
        pref, _created = DeliveryPreference.objects.update_or_create(
            user=actor,
            defaults={
                "quiet_from": quiet_from,
                "quiet_until": quiet_until,
                "digest": digest,
                "digest_hour": digest_hour,
            },
        )
        log_action(
            actor,
            "notifications.channels.chosen",
            pref,
            {"kinds": len(table), "digest": digest, "quiet": bool(quiet_from)},
        )
    return pref


def set_cell_channels(
    *, actor: Any, cell: Any, choices: Mapping[str, Iterable[str]], offered: Iterable[str] | None = None
) -> Any:
    """Save a cell's default channels per kind, for its members who did not choose themselves
    (``offered`` as for :func:`set_member_channels`)."""
    require(actor, "organization.manage", cell)
    if not cell.is_cell:
        raise DomainError(_("Default channels are set for a cell."))
    table = _clean_table(choices)
    offered = list(routing.enabled_channels() if offered is None else offered)
    current = routing.cell_table(cell.pk)
    with transaction.atomic():
        for kind, chosen in table.items():
            CellChannelDefault.objects.update_or_create(
                organization=cell, kind=kind, defaults=_flags(chosen, current[kind], offered)
            )
        log_action(actor, "notifications.channels.cell_defaults", cell, {"kinds": len(table)})
    return cell
