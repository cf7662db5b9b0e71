"""Background jobs with progress (docs/architecture.md, "Background jobs").

An app that has long work to do for a person registers a *runner* under a kind, in its ``jobs.py``::

    @jobs.register("reports.dashboard_xlsx")
    def dashboard(job: Job, out: BinaryIO, progress: Progress) -> str:
        ...               # write the file to ``out``, call progress(done, total) now and then
        return "bang-theo-doi.xlsx"   # the name the owner downloads it under ("" when no file)

:func:`start` writes the job (queued) and, once the caller's transaction commits, enqueues the
``run_job`` task (below) with its id. :func:`run` claims it (one worker only: a conditional UPDATE), runs the
runner into a file under MEDIA_ROOT/jobs/ and marks it done with the file's name and size, or failed
with a message the owner can read. Progress calls refresh ``heartbeat_at``; a job still ``running``
whose heartbeat is older than JOB_LEASE_SECONDS belonged to a worker that died: :func:`retake_dead`
(``manage.py jobs``, and the progress page of that job) queues it again, and it runs from the start.
Files are removed once they expire (:func:`expire`).
"""

import logging
import os
import secrets
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django_tasks import task

from core.errors import DomainError
from core.models import Job

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
Runner = Callable[[Job, BinaryIO, Progress], str]
State = Job.State

_runners: dict[str, Runner] = {}
_discovered = False


class JobError(DomainError):
    """A refusal the owner should read on the job's page (the text is translatable)."""


def register(kind: str) -> Callable[[Runner], Runner]:
    def decorator(runner: Runner) -> Runner:
        _runners[kind] = runner
        return runner

    return decorator


def runner_for(kind: str) -> Runner:
    global _discovered
    if kind not in _runners and not _discovered:
        autodiscover_modules("jobs")
        _discovered = True
    return _runners[kind]


def lease() -> timedelta:
    return timedelta(seconds=settings.JOB_LEASE_SECONDS)


def directory() -> Path:
    return Path(settings.MEDIA_ROOT) / "jobs"


def start(*, actor: Any, kind: str, title: str, params: dict[str, Any] | None = None) -> Job:
    """Queue a job of ``kind`` for ``actor``; the task is enqueued once the transaction commits."""
    runner_for(kind)  # an unknown kind is a programming error, raised here rather than in the worker
    with transaction.atomic():
        job = Job.objects.create(owner=actor, kind=kind, title=title[:255], params=params or {})
        transaction.on_commit(lambda: _enqueue(job.pk), robust=True)
    return job


@task()
def run_job(job_id: int) -> str:
    """The background task: run the job ``job_id`` unless another worker holds it (it carries the id,
    nothing else); returns the job's state afterwards."""
    return run(job_id)


def _enqueue(job_id: int) -> None:
    run_job.enqueue(job_id)


def _stale(now: Any) -> Q:
    return Q(state=State.RUNNING, heartbeat_at__lt=now - lease())


def claim(job_id: int) -> Job | None:
    """Take the job for this worker (queued, or running with a dead worker); None if another has it."""
    now = timezone.now()
    taken = Job.objects.filter(Q(state=State.QUEUED) | _stale(now), pk=job_id).update(
        state=State.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1, done=0
    )
    return Job.objects.get(pk=job_id) if taken else None


def run(job_id: int) -> str:
    """Run the job if nobody else is running it; returns its state afterwards."""
    job = claim(job_id)
    if job is None:
        return Job.objects.filter(pk=job_id).values_list("state", flat=True).first() or "missing"
    folder = directory()
    folder.mkdir(parents=True, exist_ok=True)
    # A name nobody can guess, although the file is only ever served through the owner's view.
    stored = f"{job.pk}-{secrets.token_hex(8)}"
    partial = folder / f"{stored}.part"

    job.message = ""  # a runner may leave a line for its owner (what the file holds)

    def progress(done: int, total: int) -> None:
        job.done, job.total = done, total
        Job.objects.filter(pk=job.pk).update(done=done, total=total, heartbeat_at=timezone.now())

    try:
        with open(partial, "wb") as out:
            name = runner_for(job.kind)(job, out, progress)
    except Exception as error:
        partial.unlink(missing_ok=True)
        if isinstance(error, JobError):
            message = str(error.message)
        else:
            logger.exception("Job %s (%s) failed", job.pk, job.kind)
            message = _(
                "The work stopped on an error. Start it again; if it fails again, tell the administrator."
            )
        Job.objects.filter(pk=job.pk).update(
            state=State.FAILED, message=message, finished_at=timezone.now(), heartbeat_at=timezone.now()
        )
        return State.FAILED
    now = timezone.now()
    done = {"state": State.DONE, "done": job.total or job.done, "message": job.message}
    if not name:  # work whose result is not a file (an announcement delivered)
        partial.unlink(missing_ok=True)
        Job.objects.filter(pk=job.pk).update(**done, finished_at=now, heartbeat_at=now)
        return State.DONE
    final = folder / stored
    os.replace(partial, final)
    Job.objects.filter(pk=job.pk).update(
        **done,
        file_path=f"jobs/{stored}",
        file_name=name,
        file_size=final.stat().st_size,
        content_type=_content_type(name),
        finished_at=now,
        heartbeat_at=now,
        expires_at=now + timedelta(days=settings.JOB_FILE_DAYS),
    )
    return State.DONE


def _content_type(name: str) -> str:
    import mimetypes

    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def retake_dead(jobs: Any = None) -> int:
    """Queue again the running jobs whose worker died (no heartbeat within the lease); how many."""
    jobs = Job.objects.all() if jobs is None else jobs
    ids = list(jobs.filter(_stale(timezone.now())).values_list("pk", flat=True))
    for job_id in ids:
        _enqueue(job_id)
    return len(ids)


def expire(now: Any = None) -> int:
    """Remove the files of expired jobs (the rows stay, without their file); how many."""
    now = now or timezone.now()
    removed = 0
    for job in Job.objects.filter(expires_at__lt=now).exclude(file_path=""):
        (Path(settings.MEDIA_ROOT) / job.file_path).unlink(missing_ok=True)
        Job.objects.filter(pk=job.pk).update(file_path="", file_size=0)
        removed += 1
    return removed


def path_of(job: Job) -> Path:
    return Path(settings.MEDIA_ROOT) / job.file_path
