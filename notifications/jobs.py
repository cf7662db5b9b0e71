"""The notifications' background jobs (core/jobs.py): delivering an announcement."""

from typing import Any

from django.utils.translation import gettext as _

from core import jobs
from core.models import Job
from notifications.announcements import KIND, deliver, unreachable
from notifications.models import Announcement


@jobs.register(KIND)
def run(job: Job, out: Any, progress: jobs.Progress) -> str:
    """The job of one announcement: deliver it; the job's line says how many it reached. No file."""
    announcement = Announcement.objects.select_related("organization").get(pk=job.params["announcement"])
    announcement = deliver(announcement, progress)
    missing = unreachable(announcement)
    job.message = _("Reached %(reached)s members (%(emailed)s e-mails queued).") % {
        "reached": announcement.reached,
        "emailed": announcement.emailed,
    }
    if missing:
        job.message += " " + _("%(count)s members have no account and were not reached.") % {"count": missing}
    return ""
