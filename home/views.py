"""The home page: what the signed-in person belongs to and what awaits them."""

from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation

from core import versions
from drafts import selectors as draft_selectors
from home.work import work_for
from library import selectors as library_selectors
from meetings import selectors as meeting_selectors
from organizations import selectors as org_selectors
from organizations.permissions import STRUCTURE
from planning import selectors as plan_selectors
from reports import selectors as report_selectors


def _about_me(user: Any) -> dict[str, Any]:
    """My cells, positions, exemption, officer posts and the advice for the cells I lead: read from the
    organisations only (and their rule sets), so kept in the shared cache until any of those changes
    (the ``all`` token, home.invalidation) or the day does; the advice is text, hence the language."""
    version = versions.current([STRUCTURE])
    if version is None:
        return org_selectors.home_context(user)
    key = f"home:{user.pk}:{timezone.localdate().isoformat()}:{translation.get_language()}:{version}"
    context: dict[str, Any] | None = cache.get(key)
    if context is None:
        context = org_selectors.home_context(user)
        cache.set(key, context, versions.TIMEOUT)
    return dict(context)


def home(request: HttpRequest) -> HttpResponse:
    context = _about_me(request.user)
    context.update(
        work=work_for(request.user, request),
        today=timezone.localdate(),
        my_sessions=plan_selectors.my_sessions(request.user),
        upcoming=plan_selectors.upcoming_cell_sessions(request.user),
        pending_registrations=plan_selectors.pending_registrations(request.user),
        plans_to_acknowledge=plan_selectors.plans_to_acknowledge(request.user),
        drafts_to_read=draft_selectors.drafts_to_read(request.user),
        my_tasks=meeting_selectors.my_tasks(request.user),
        meetings=meeting_selectors.upcoming_meetings(request.user),
        models_to_approve=library_selectors.to_approve(request.user),
        reports_to_acknowledge=report_selectors.reports_to_acknowledge(request.user),
    )
    return render(request, "home/home.html", context)
