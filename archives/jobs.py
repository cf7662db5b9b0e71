"""The archives' background job (core/jobs.py): writing the archive of a term."""

from typing import BinaryIO

from django.utils.translation import gettext as _

from archives import services
from core import jobs
from core.models import Job


@jobs.register(services.TERM_ARCHIVE_JOB)
def term_archive(job: Job, out: BinaryIO, progress: jobs.Progress) -> str:
    """The ZIP is kept with the archive (never expiring, unlike a job's file), so the job leaves no file
    of its own: its line says where to find it."""
    archive = services.make_archive(int(job.params["archive"]), progress)
    job.message = _(
        "Version %(version)s of the archive is made (%(size)s bytes, SHA-256 %(sha256)s). Download it from "
        "the cell's Term archives page."
    ) % {"version": archive.version, "size": archive.size, "sha256": archive.sha256}
    return ""
