"""The evaluations' background jobs (core/jobs.py): the year-end evidence archive of a Đảng bộ."""

from typing import BinaryIO

from django.utils.translation import gettext as _

from core import jobs
from core.models import Job
from evaluations.archive import archive_name, write_archive
from organizations.models import Organization

EVIDENCE_ARCHIVE = "evaluations.evidence_archive"


@jobs.register(EVIDENCE_ARCHIVE)
def evidence_archive(job: Job, out: BinaryIO, progress: jobs.Progress) -> str:
    party = Organization.objects.get(pk=job.params["party"])
    year = int(job.params["year"])
    cells, members = write_archive(party, year, out, progress)
    job.message = _("%(members)s members in %(cells)s cells.") % {"members": members, "cells": cells}
    return archive_name(party, year)
