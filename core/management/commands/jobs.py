"""``manage.py jobs``: takes up background jobs whose worker died and removes expired files (core/jobs.py).

Run it from cron every few minutes in production, beside ``outbox --requeue-tasks --send``: a worker
killed mid-job leaves it "running" with a heartbeat that stops; after JOB_LEASE_SECONDS it is queued
again and runs from the start. Files older than JOB_FILE_DAYS are removed (the job's row stays).
"""

from typing import Any

from django.core.management.base import BaseCommand

from core import jobs


class Command(BaseCommand):
    help = "Requeue background jobs whose worker died; remove expired job files."

    def handle(self, *args: Any, **options: Any) -> None:
        retaken = jobs.retake_dead()
        removed = jobs.expire()
        self.stdout.write(f"{retaken} job(s) requeued, {removed} expired file(s) removed")
