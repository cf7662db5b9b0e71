"""A person's notifications (list, open, mark all read), the calendar pages (the private feed by secret
token with no sign-in, one session's .ics, the link page) and an organisation's webhooks."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.web import action_form, deny_unless, get_visible_or_404, run_service, submit_and_report
from notifications import announcements, calendar, channels, routing, services
from notifications.forms import (
    CHANNEL_LABELS,
    AnnouncementForm,
    ChannelTableForm,
    MemberChannelsForm,
    WebhookForm,
)
from notifications.models import (
    Announcement,
    CalendarFeed,
    ChannelMessage,
    DeliveryPreference,
    Notification,
    WebhookDelivery,
    WebhookEndpoint,
    token_digest,
)
from notifications.permissions import visible_notifications, visible_webhooks
from organizations.models import Organization
from organizations.permissions import visible_organizations

ICS = "text/calendar; charset=utf-8"
PAGE_SIZE = 30


def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(visible_notifications(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    # A notification that asked for a step says whether the step still waits: the work queue decides.
    waiting = services.open_work(request.user, request)
    for notification in page.object_list:
        notification.step_waits = notification.work_key in waiting if notification.work_key else None
    may_announce = announcements.targets(request.user).exists()
    return render(request, "notifications/list.html", {"page": page, "may_announce": may_announce})


def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go to the page it is about (someone else's answers 404)."""
    notification = get_visible_or_404(visible_notifications(request.user), pk=pk)
    services.mark_read(actor=request.user, notification=notification)
    # notify() only stores paths on this site; a row written any other way is not followed.
    if services.is_site_path(notification.url):
        return HttpResponseRedirect(notification.url)
    return redirect("notifications:list")


@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    if services.mark_all_read(actor=request.user):
        messages.success(request, _("All your notifications are marked as read."))
    return redirect("notifications:list")


def announce(request: HttpRequest) -> HttpResponse:
    """Write an announcement to every member under an organisation (officers, cell secretaries)."""
    form = AnnouncementForm(request.POST or None, user=request.user)
    if not form.fields["organization"].queryset.exists():  # type: ignore[attr-defined]
        raise Http404  # nobody to announce to: the page does not exist for this person
    if request.method == "POST" and form.is_valid():
        job = run_service(form, lambda: announcements.announce(actor=request.user, **form.cleaned_data))
        if job is not None:
            messages.success(request, _("The announcement is being delivered."))
            return redirect("core:job", job.pk)
    return render(request, "notifications/announce.html", {"form": form})


def announcement(request: HttpRequest, pk: int) -> HttpResponse:
    """An announcement, for its recipients and its author."""
    found = get_visible_or_404(Announcement.objects.select_related("organization", "author"), pk=pk)
    path = request.path
    if found.author_id != request.user.pk and not (
        Notification.objects.filter(recipient_id=request.user.pk, url=path).exists()
    ):
        raise Http404
    return render(request, "notifications/announcement.html", {"announcement": found})


@login_not_required
def feed(request: HttpRequest, token: str) -> HttpResponse:
    found = CalendarFeed.objects.select_related("user").filter(token_hash=token_digest(token)).first()
    if found is None or not found.user.is_active:
        raise Http404
    response = HttpResponse(calendar.user_feed(found.user), content_type=ICS)
    response["Cache-Control"] = "private, max-age=900"
    return response


def session_ics(request: HttpRequest, pk: int) -> HttpResponse:
    ics = calendar.session_file(request.user, pk)  # None: not visible to the reader, or no date yet
    if ics is None:
        raise Http404
    response = HttpResponse(ics, content_type=ICS)
    response["Content-Disposition"] = f'attachment; filename="sinh-hoat-chuyen-de-{pk}.ics"'
    return response


FRESH_LINK = "calendar_fresh_token"


def calendar_page(request: HttpRequest) -> HttpResponse:
    feed_row = CalendarFeed.objects.filter(user_id=request.user.pk or 0).first()
    # The token is stored hashed: the link is shown once, right after it was made.
    token = request.session.pop(FRESH_LINK, None) if feed_row else None
    # The public address (SITE_URL), as in the e-mails and the events' own links: the address a person
    # happens to use (a proxy's, without its port) is not one to subscribe a calendar to.
    url = settings.SITE_URL + reverse("notifications:feed", args=[token]) if token else None
    webcal = "webcal://" + url.split("://", 1)[1] if url else None
    context = {"feed": feed_row, "feed_url": url, "webcal_url": webcal}
    return render(request, "notifications/calendar.html", context)


@require_POST
def calendar_renew(request: HttpRequest) -> HttpResponse:
    feed = services.create_or_renew_feed(actor=request.user)
    request.session[FRESH_LINK] = feed.token
    messages.success(request, _("Your private calendar link is ready. Any older link no longer works."))
    return redirect("notifications:calendar")


@require_POST
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    services.revoke_feed(actor=request.user)
    messages.success(request, _("The calendar link was revoked."))
    return redirect("notifications:calendar")


# --- Webhooks ----------------------------------------------------------------------------------------

LOG_PAGE_SIZE = 50
FRESH_SECRET = "webhook_fresh_secret"


def _managed_org(request: HttpRequest, pk: int) -> Organization:
    """The organisation, if the reader may see it (else 404) and manage its webhooks (else 403)."""
    org = get_visible_or_404(visible_organizations(request.user), pk=pk)
    deny_unless(request.user, "webhook.manage", org)
    return org


def _managed_webhook(request: HttpRequest, pk: int) -> WebhookEndpoint:
    endpoint = get_visible_or_404(visible_webhooks(request.user), pk=pk)
    deny_unless(request.user, "webhook.manage", endpoint.organization)
    return endpoint


def webhooks(request: HttpRequest, pk: int) -> HttpResponse:
    """The webhooks of an organisation, with the state of each one's deliveries."""
    org = _managed_org(request, pk)
    endpoints = list(
        WebhookEndpoint.objects.filter(organization=org).annotate(
            failed=Count("deliveries", filter=Q(deliveries__state=WebhookDelivery.State.FAILED)),
            waiting=Count("deliveries", filter=Q(deliveries__state=WebhookDelivery.State.PENDING)),
        )
    )
    return render(request, "notifications/webhooks.html", {"org": org, "endpoints": endpoints})


def webhook_add(request: HttpRequest, pk: int) -> HttpResponse:
    org = _managed_org(request, pk)
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        endpoint = run_service(
            form, lambda: services.register_webhook(actor=request.user, organization=org, **form.cleaned_data)
        )
        if endpoint is not None:
            request.session[FRESH_SECRET] = [endpoint.pk, endpoint.secret_shown]
            messages.success(request, _("The webhook is registered. Copy its secret now."))
            return redirect("notifications:webhook", endpoint.pk)
    return render(request, "notifications/webhook_add.html", {"org": org, "form": form})


def webhook(request: HttpRequest, pk: int) -> HttpResponse:
    """One webhook: its secret (right after it was made), its actions and its delivery log."""
    endpoint = _managed_webhook(request, pk)
    fresh = request.session.get(FRESH_SECRET)
    secret = None
    if fresh and fresh[0] == endpoint.pk:  # the secret is shown once, on the page that follows its making
        secret = fresh[1]
        del request.session[FRESH_SECRET]
    log = endpoint.deliveries.order_by("-created_at", "-pk")
    page = Paginator(log, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"endpoint": endpoint, "org": endpoint.organization, "secret": secret, "page": page}
    return render(request, "notifications/webhook.html", context)


@require_POST
def webhook_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = _managed_webhook(request, pk)
    endpoint = services.rotate_webhook_secret(actor=request.user, endpoint=endpoint)
    request.session[FRESH_SECRET] = [endpoint.pk, endpoint.secret_shown]
    messages.success(request, _("A new secret is made; the old one no longer signs. Copy it now."))
    return redirect("notifications:webhook", endpoint.pk)


def _set_active(request: HttpRequest, pk: int, active: bool, done: str) -> HttpResponse:
    endpoint = _managed_webhook(request, pk)
    submit_and_report(
        request,
        action_form(),
        lambda data: services.set_webhook_active(actor=request.user, endpoint=endpoint, active=active),
        done,
    )
    return redirect("notifications:webhook", endpoint.pk)


@require_POST
def webhook_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, False, _("The webhook is deactivated: nothing more is sent to it."))


@require_POST
def webhook_activate(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, True, _("The webhook is active again."))


@require_POST
def delivery_resend(request: HttpRequest, pk: int) -> HttpResponse:
    """Send one delivery again (the "Gửi lại" button of the log)."""
    delivery = get_visible_or_404(
        WebhookDelivery.objects.filter(endpoint__in=visible_webhooks(request.user)).select_related(
            "endpoint__organization"
        ),
        pk=pk,
    )
    deny_unless(request.user, "webhook.manage", delivery.endpoint.organization)
    submit_and_report(
        request,
        action_form(),
        lambda data: services.resend_delivery(actor=request.user, delivery=delivery),
        _("The delivery is queued to be sent again."),
    )
    return redirect("notifications:webhook", delivery.endpoint_id)


# --- Channels: how a member is notified; a cell's defaults (docs/channels.md) -------------------------


PUSH_SUBSCRIBE = "push/_subscribe.html"


def _push_subscribe_template() -> str | None:
    """The Web Push app's "Nhận thông báo" button, when that app is installed (this one does not need it)."""
    try:
        get_template(PUSH_SUBSCRIBE)
    except TemplateDoesNotExist:
        return None
    return PUSH_SUBSCRIBE


def channel_settings(request: HttpRequest) -> HttpResponse:
    """The member's "Cài đặt thông báo": channels per kind, quiet hours, digest."""
    user: Any = request.user  # signed in (the site requires it)
    cell = routing.cell_of(user.pk)
    table, own = routing.member_table(user.pk, cell.pk if cell else None)
    pref = DeliveryPreference.objects.filter(user_id=user.pk).first()
    initial = (
        {
            "quiet_from": pref.quiet_from,
            "quiet_until": pref.quiet_until,
            "digest": pref.digest,
            "digest_hour": pref.digest_hour,
        }
        if pref
        else {}
    )
    offered = routing.enabled_channels()
    form = MemberChannelsForm(request.POST or None, offered=offered, table=table, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: services.set_member_channels(
                actor=user,
                choices=form.choices(),
                quiet_from=data["quiet_from"],
                quiet_until=data["quiet_until"],
                digest=data["digest"],
                digest_hour=data["digest_hour"],
            ),
        )
        if done is not None:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:channels")
    member = getattr(user, "member", None)
    # The last message of each channel, for "delivered" or "refused, because…".
    last = {}
    for name in offered:
        if name == channels.EMAIL:
            continue
        last[name] = (
            ChannelMessage.objects.filter(recipient_id=user.pk, channel=name)
            .exclude(state=ChannelMessage.State.HELD)
            .order_by("-pk")
            .first()
        )
    context = {
        "form": form,
        "cell": cell,
        "follows_cell": not own,
        "zalo_offered": channels.ZALO in offered,
        "push_offered": channels.PUSH in offered,
        "no_phone": member is None or not member.phone,
        "no_email": not user.email,
        "last": [(str(CHANNEL_LABELS[name]), row) for name, row in last.items()],
        "push_template": _push_subscribe_template(),
    }
    return render(request, "notifications/channels.html", context)


def cell_channels(request: HttpRequest, pk: int) -> HttpResponse:
    """A cell's default channels per kind, set by its secretaries (and the Đảng ủy above it)."""
    org = get_visible_or_404(visible_organizations(request.user).filter(kind=Organization.Kind.CELL), pk=pk)
    deny_unless(request.user, "organization.manage", org)
    offered = routing.enabled_channels()
    form = ChannelTableForm(request.POST or None, offered=offered, table=routing.cell_table(org.pk))
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form, lambda: services.set_cell_channels(actor=request.user, cell=org, choices=form.choices())
        )
        if done is not None:
            messages.success(request, _("The cell's default channels are saved."))
            return redirect("notifications:cell_channels", org.pk)
    return render(request, "notifications/cell_channels.html", {"form": form, "org": org})
