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


# A Đảng ủy over sixty cells may have a hundred plans and reports waiting at the start of a year: the
# page shows the first ones of each list (the oldest first) and a link to all of them (``?tat-ca=1``).
SHOWN = 20


def home(request: HttpRequest) -> HttpResponse:
    show_all = request.GET.get("tat-ca") == "1"

    def first(items: list[Any]) -> list[Any]:
        return items if show_all else items[:SHOWN]

    work = work_for(request.user, request)
    plans = plan_selectors.plans_to_acknowledge(request.user)
    reports = report_selectors.reports_to_acknowledge(request.user)
    context = _about_me(request.user)
    context.update(
        work=first(work),
        work_total=len(work),
        today=timezone.localdate(),
        my_sessions=plan_selectors.my_sessions(request.user),
        upcoming=plan_selectors.upcoming_cell_sessions(request.user),
        pending_registrations=plan_selectors.pending_registrations(request.user),
        plans_to_acknowledge=first(plans),
        plans_total=len(plans),
        drafts_to_read=draft_selectors.drafts_to_read(request.user),
        my_tasks=meeting_selectors.my_tasks(request.user),
        meetings=meeting_selectors.upcoming_meetings(request.user),
        models_to_approve=library_selectors.to_approve(request.user),
        reports_to_acknowledge=first(reports),
        reports_total=len(reports),
    )
    return render(request, "home/home.html", context)
