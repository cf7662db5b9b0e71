"""The reports' background jobs (core/jobs.py): the dashboard's full table as XLSX."""

from typing import Any, BinaryIO

from django.contrib.auth import get_user_model
from django.utils import timezone

from core import jobs
from core.models import Job
from organizations.models import Organization
from reports import selectors
from reports.spreadsheet import dashboard_name, write_dashboard

DASHBOARD_XLSX = "reports.dashboard_xlsx"


@jobs.register(DASHBOARD_XLSX)
def dashboard_xlsx(job: Job, out: BinaryIO, progress: jobs.Progress) -> str:
    """Every cell's row of the dashboard of ``params["party"]`` for the period, as the owner sees it."""
    params: dict[str, Any] = job.params
    party = Organization.objects.get(pk=params["party"])
    user = get_user_model().objects.get(pk=job.owner_id)
    board = selectors.dashboard(party, params["year"], params["quarter"], user, timezone.localdate())
    progress(0, len(board.rows))
    write_dashboard(board, out, progress)
    return dashboard_name(board)
