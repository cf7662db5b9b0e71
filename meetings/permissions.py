"""Who may see and record a meeting, approve its minutes and issue its resolution.

* Members of the cell (probationary and temporarily attached ones included) and the Đảng ủy officers
  above it see its meetings, minutes and resolutions; nobody else does.
* The cell's secretary and deputy (current term) plan the meeting, issue the notice, approve the
  minutes and issue the resolution. The member appointed minutes secretary also writes the record
  (attendance, speeches, conclusion, vote) while it is open: the phone in the room may be theirs.
* A task's owners mark it done; so do the secretaries.
"""

from typing import Any

from django.db.models import Q, QuerySet

from meetings.models import Meeting, Resolution, ResolutionTask
from organizations.permissions import scope_for


def visible_meetings(user: Any) -> QuerySet[Meeting]:
    scope = scope_for(user)
    meetings = Meeting.objects.all()
    if scope.is_admin:
        return meetings
    condition = Q(cell_id__in=scope.cell_ids)
    for path in scope.officer_paths:
        condition |= Q(cell__path__startswith=path)
    return meetings.filter(condition)


def visible_resolutions(user: Any) -> QuerySet[Resolution]:
    """Issued resolutions of the meetings the user sees; until it is issued, a resolution is the
    draft of the cell's secretaries (and administrators)."""
    scope = scope_for(user)
    resolutions = Resolution.objects.filter(meeting__in=visible_meetings(user))
    if scope.is_admin:
        return resolutions
    return resolutions.filter(Q(issued_at__isnull=False) | Q(meeting__cell_id__in=scope.managed_cell_ids))


def may_write_resolution(user: Any, meeting: Meeting, resolution: Resolution | None) -> bool:
    """The resolution is written by those who issue it, once the minutes are approved, until issued."""
    return (
        can(user, "resolution.issue", meeting)
        and meeting.status == Meeting.Status.APPROVED
        and (resolution is None or not resolution.is_issued)
    )


def manages(user: Any, cell_id: int) -> bool:
    scope = scope_for(user)
    return scope.is_admin or cell_id in scope.managed_cell_ids


# The action codes this module decides (registered with core.permissions in apps.py).
ACTIONS = frozenset(
    {
        "meeting.create",
        "meeting.manage",
        "meeting.record",
        "minutes.approve",
        "minutes.correct",
        "resolution.issue",
        "task.complete",
    }
)


def can(user: Any, action: str, obj: Any) -> bool:
    """May ``user`` do ``action`` to ``obj`` (a cell for meeting.create, a task for task.*, else a
    meeting)?"""
    if not getattr(user, "is_authenticated", False):
        return False
    scope = scope_for(user)
    if action == "meeting.create":
        return obj.is_cell and manages(user, obj.pk)
    if action == "task.complete":
        assert isinstance(obj, ResolutionTask)
        owners = {m.pk for m in obj.owners.all()}
        return scope.member_id in owners or manages(user, obj.resolution.meeting.cell_id)
    assert isinstance(obj, Meeting)
    if action == "meeting.record":
        return manages(user, obj.cell_id) or (
            scope.member_id is not None and scope.member_id == obj.minutes_secretary_id
        )
    if action in ("meeting.manage", "minutes.approve", "minutes.correct", "resolution.issue"):
        return manages(user, obj.cell_id)
    return False
