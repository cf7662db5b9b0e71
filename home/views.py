"""The home page: what the signed-in person belongs to and what awaits them."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from drafts import selectors as draft_selectors
from home.work import work_for
from library import selectors as library_selectors
from meetings import selectors as meeting_selectors
from organizations import selectors as org_selectors
from planning import selectors as plan_selectors
from reports import selectors as report_selectors


def home(request: HttpRequest) -> HttpResponse:
    context = org_selectors.home_context(request.user)
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
