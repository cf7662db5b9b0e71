"""Who sees evaluations, participation records and the year-end review.

* A member sees their own participation record and the evaluations of the sessions they presented.
* The secretary and deputy of a cell (current term) evaluate its sessions, see every member's record and
  prepare the year-end review; the Đảng ủy officers above the cell read all of it.
* The result of a session and its lessons are for every member of the cell (they prepare the next
  sessions with them); the presenter's strengths and weaknesses are between the presenter, the cell's
  secretaries and the Đảng ủy.
"""

from typing import Any

from organizations.models import Member, Membership, Organization
from organizations.permissions import active_q, scope_for


def _reaches(user: Any, cell: Organization) -> bool:
    """A manager of the cell, an officer above it, or an administrator."""
    scope = scope_for(user)
    return scope.is_admin or cell.pk in scope.managed_cell_ids or scope.reaches_path(cell.path)


def manages(user: Any, cell: Organization) -> bool:
    scope = scope_for(user)
    return scope.is_admin or cell.pk in scope.managed_cell_ids


# The action codes this module decides (registered with core.permissions in apps.py).
ACTIONS = frozenset(
    {
        "cell.records",
        "evaluation.presenter",
        "lessons.view",
        "party.records",
        "record.view",
        "review.edit",
        "review.issue",
        "review.view",
        "session.evaluate",
    }
)


def can(user: Any, action: str, obj: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    scope = scope_for(user)
    if action == "record.view":  # obj: a member
        if scope.is_admin or obj.pk == scope.member_id:
            return True
        # The secretaries of the member's own cell and the Đảng ủy above it; not a cell the member is
        # only temporarily attached to (the record covers their home cell's sessions and evaluations).
        cells = Organization.objects.filter(
            pk__in=Membership.objects.filter(active_q(), member=obj, kind=Membership.Kind.REGULAR).values(
                "organization_id"
            )
        )
        return any(_reaches(user, cell) for cell in cells)
    if action == "party.records":  # obj: a Đảng bộ; its officers export every cell's records
        return obj.kind == Organization.Kind.PARTY_COMMITTEE and (
            scope.is_admin or scope.reaches_path(obj.path)
        )
    if action in ("cell.records", "review.view"):  # obj: a cell
        return obj.is_cell and _reaches(user, obj)
    if action in ("review.edit", "review.issue", "session.evaluate"):  # obj: a cell
        return obj.is_cell and manages(user, obj)
    if action == "lessons.view":  # obj: a cell
        return obj.is_cell and (obj.pk in scope.cell_ids or _reaches(user, obj))
    if action == "evaluation.presenter":  # obj: a session — strengths, weaknesses, rating
        presenters = set(obj.presenters.values_list("id", flat=True))
        return scope.member_id in presenters or _reaches(user, obj.cell)
    return False


def member_of(user: Any) -> Member | None:
    scope = scope_for(user)
    return Member.objects.filter(pk=scope.member_id).first() if scope.member_id else None
