"""A person's notifications (list, open, mark all read) and the calendar pages: the private feed (by
secret token, no sign-in), one session's .ics, the link page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.web import get_visible_or_404, run_service
from notifications import announcements, calendar, services
from notifications.forms import AnnouncementForm
from notifications.models import Announcement, CalendarFeed, Notification, token_digest
from notifications.permissions import visible_notifications

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
