"""``/healthz``: whether this app server can serve, for a load balancer or a monitor.

Each part is checked on its own (database, cache, the e-mail outbox moving, the background worker
alive when there is one, free disk space), and a failing part is named without any personal data.
"""

import shutil
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.db.models.functions import Greatest
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from notifications.models import OutboundEmail

# Thresholds of /healthz: what a load balancer or a monitor should alert on.
OUTBOX_LATE = timedelta(minutes=15)
DISK_FREE_MIN = 0.05


def _check_database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True}


def _check_cache() -> dict[str, Any]:
    cache.set("healthz", "1", 10)
    return {"ok": cache.get("healthz") == "1"}


def _check_outbox() -> dict[str, Any]:
    """How long the longest-waiting e-mail has been due. An e-mail that waits for the end of its
    recipient's quiet hours (notifications.routing) or for its next attempt is not late: it is due
    from its ``next_attempt_at``, and not counted before."""
    state = OutboundEmail.State
    now = timezone.now()
    waiting = (
        OutboundEmail.objects.filter(
            Q(state=state.SENDING) | Q(state=state.PENDING, next_attempt_at__lte=now)
        )
        .annotate(due_since=Greatest("created_at", "next_attempt_at"))
        .order_by("due_since")
        .first()
    )
    failed = OutboundEmail.objects.filter(state=state.FAILED).count()
    age = (now - waiting.due_since).total_seconds() if waiting else 0
    return {"ok": age < OUTBOX_LATE.total_seconds(), "oldest_seconds": int(age), "failed": failed}


def _check_worker() -> dict[str, Any]:
    """With a db_worker, its last finished job (none yet is fine); immediate jobs need no worker."""
    if not settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db"):
        return {"ok": True, "mode": "immediate"}
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    late = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, enqueued_at__lt=timezone.now() - OUTBOX_LATE
    ).exists()
    last = (
        DBTaskResult.objects.exclude(finished_at=None)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    return {"ok": not late, "last_finished": last.isoformat() if last else None}


def _check_disk() -> dict[str, Any]:
    usage = shutil.disk_usage(settings.MEDIA_ROOT if settings.MEDIA_ROOT.exists() else settings.BASE_DIR)
    free = usage.free / usage.total
    return {"ok": free >= DISK_FREE_MIN, "free_ratio": round(free, 3)}


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the app can serve (database, cache, outbox moving, worker alive, disk), else 503 with
    the failing parts; no personal data."""
    checks: dict[str, Any] = {}
    for name, check in (
        ("database", _check_database),
        ("cache", _check_cache),
        ("outbox", _check_outbox),
        ("worker", _check_worker),
        ("disk", _check_disk),
    ):
        try:
            checks[name] = check()
        except Exception as error:  # a health check reports every failure, whatever it is
            checks[name] = {"ok": False, "error": type(error).__name__}
    healthy = all(part["ok"] for part in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "failing", "checks": checks}, status=200 if healthy else 503
    )
