"""Pages of the site as a whole that need no app: the server-error page, and the pages of a person's
background jobs (their progress, their file)."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string

from core import jobs
from core.models import Job


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. A database that does not answer is an outage, not a bug: 503 with Retry-After and
    a page saying so (plain: the site's frame needs the database). Django reconnects on the next
    request (CONN_HEALTH_CHECKS), so the app recovers by itself when the database returns."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(render_to_string("500.html"), status=500)


# --- Background jobs (core/jobs.py) -------------------------------------------------------------

RECENT = 20


def _own_job(request: HttpRequest, pk: int) -> Job:
    # Another person's job does not exist for you (404), whoever you are.
    return get_object_or_404(Job, pk=pk, owner_id=request.user.pk)


def job_list(request: HttpRequest) -> HttpResponse:
    """The person's recent background work (exports, announcements), newest first."""
    recent = Job.objects.filter(owner_id=request.user.pk).order_by("-created_at", "-pk")[:RECENT]
    return render(request, "core/jobs/list.html", {"jobs": recent})


def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    job = _own_job(request, pk)
    if jobs.retake_dead(Job.objects.filter(pk=job.pk)):
        job.refresh_from_db()
    return render(request, "core/jobs/detail.html", {"job": job})


def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress box alone, which the page asks for every few seconds until the job is finished."""
    return render(request, "core/jobs/_progress.html", {"job": _own_job(request, pk)})


def job_file(request: HttpRequest, pk: int) -> FileResponse:
    job = _own_job(request, pk)
    path = jobs.path_of(job)
    if not job.has_file or not path.is_file():
        raise Http404
    return FileResponse(
        open(path, "rb"), as_attachment=True, filename=job.file_name, content_type=job.content_type
    )
