"""Who may see, write, submit and acknowledge a cell's reports, and who sees the Đảng ủy dashboard.

* The cell's secretary and deputy (current term) write the report and submit it; they see it in
  every state. An administrator may do everything.
* The Đảng ủy officers of an organisation above the cell acknowledge a submitted report or return
  it with remarks. They see it from its submission on (and while it is back with the cell after a
  return), not while the secretaries are still writing it: a draft is the secretaries' working text,
  as an unissued resolution is.
* Members of the cell (probationary and temporarily attached ones included) read the report once it
  stands as the cell's numbered document (submitted or acknowledged). It is the cell's own record
  ("Lưu Chi bộ"), holds only figures of the cell's common work and the secretary's assessment of it,
  and members take part in that work and in the year-end review it feeds; a report being corrected
  after a return is hidden from them until it is submitted again.
* Members of other cells and officers of other Đảng bộ see nothing of it.
* The dashboard of a Đảng bộ is for its officers (and those of the Đảng bộ above it) only.
"""

from typing import Any

from django.db.models import Q, QuerySet

from organizations.models import Organization
from organizations.permissions import scope_for
from reports.models import Report

# What an officer above the cell sees; what a member of the cell sees.
OFFICER_STATUSES = (Report.Status.SUBMITTED, Report.Status.RETURNED, Report.Status.ACKNOWLEDGED)
MEMBER_STATUSES = Report.ISSUED


def visible_reports(user: Any) -> QuerySet[Report]:
    """The reports the user may open (each condition is one indexed filter; no query here)."""
    scope = scope_for(user)
    reports = Report.objects.all()
    if scope.is_admin:
        return reports
    condition = Q(cell_id__in=scope.managed_cell_ids)
    condition |= Q(cell_id__in=scope.cell_ids, status__in=MEMBER_STATUSES)
    for path in scope.officer_paths:
        condition |= Q(cell__path__startswith=path, status__in=OFFICER_STATUSES)
    return reports.filter(condition)


def manages(user: Any, cell: Organization) -> bool:
    scope = scope_for(user)
    return scope.is_admin or cell.pk in scope.managed_cell_ids


def is_officer_above(user: Any, cell: Organization) -> bool:
    scope = scope_for(user)
    return scope.is_admin or (cell.parent is not None and scope.reaches_path(cell.parent.path))


# The action codes this module decides (registered with core.permissions in apps.py).
ACTIONS = frozenset(
    {
        "dashboard.view",
        "report.acknowledge",
        "report.create",
        "report.edit",
        "report.preview",
        "report.return",
        "report.submit",
    }
)


def can(user: Any, action: str, obj: Any) -> bool:
    """May ``user`` do ``action`` to ``obj`` (a cell for report.create, a Đảng bộ for dashboard.view,
    else a report)? Unknown actions are refused. The state a report must be in is the services'
    concern."""
    if not getattr(user, "is_authenticated", False):
        return False
    if action == "report.create":
        return obj.is_cell and manages(user, obj)
    if action == "dashboard.view":
        scope = scope_for(user)
        return obj.kind == Organization.Kind.PARTY_COMMITTEE and (
            scope.is_admin or scope.reaches_path(obj.path)
        )
    assert isinstance(obj, Report)
    if action in ("report.edit", "report.submit", "report.preview"):
        return manages(user, obj.cell)
    if action in ("report.acknowledge", "report.return"):
        return is_officer_above(user, obj.cell)
    return False
