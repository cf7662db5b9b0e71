"""Who may write, approve, read and comment on a session's draft.

* The presenters write versions, submit them and answer every comment.
* The approvers are the cell's secretary and deputy, and the chi ủy members where the cell has a chi ủy
  (docs/domain.md §2 step 5: "approved by the secretary or the chi ủy"); a presenter does not approve
  their own
  draft while another approver exists.
* Members of the cell (probationary and temporarily attached ones included) read and comment on the
  distributed draft; only approved versions reach them (HD 12). Đảng ủy officers read it too.
* Members of other cells see nothing of it (planning.permissions.visible_sessions).
"""

from typing import Any

from django.db.models import QuerySet

from organizations import permissions as org_permissions
from organizations.models import Member, Position
from organizations.permissions import active_q, scope_for
from planning.models import Session
from planning.permissions import visible_sessions

APPROVING_ROLES = org_permissions.APPROVING_ROLES


def approver_ids(session: Session) -> set[int]:
    """Member ids of everyone who may approve this session's draft (one query)."""
    return set(
        Position.objects.filter(
            active_q(), active_q("term__"), term__organization_id=session.cell_id, role__in=APPROVING_ROLES
        ).values_list("member_id", flat=True)
    )


def presenter_ids(session: Session) -> set[int]:
    if "presenters" in getattr(session, "_prefetched_objects_cache", {}):  # a page that prefetched them
        return {member.pk for member in session.presenters.all()}
    return set(session.presenters.values_list("id", flat=True))


def is_presenter(user: Any, session: Session) -> bool:
    scope = scope_for(user)
    return scope.member_id is not None and scope.member_id in presenter_ids(session)


def may_approve(user: Any, session: Session) -> bool:
    scope = scope_for(user)
    if scope.is_admin:
        return True
    if scope.member_id is None:
        return False
    approvers = approver_ids(session)
    if scope.member_id not in approvers:
        return False
    others = approvers - presenter_ids(session)
    return scope.member_id not in presenter_ids(session) or not others


def sees_unapproved(user: Any, session: Session) -> bool:
    """Presenters and approvers see every version; the others only approved ones."""
    scope = scope_for(user)
    return scope.is_admin or is_presenter(user, session) or (scope.member_id in approver_ids(session))


def is_cell_member(user: Any, session: Session) -> bool:
    scope = scope_for(user)
    return scope.member_id is not None and session.cell_id in scope.cell_ids


# The action codes this module decides (registered with core.permissions in apps.py).
ACTIONS = frozenset(
    {
        "comment.add",
        "comment.delete",
        "comment.edit",
        "comment.respond",
        "draft.approve",
        "draft.paper",
        "draft.return",
        "draft.submit",
        "draft.track",
        "draft.write",
    }
)


def can(user: Any, action: str, obj: Any) -> bool:
    """May ``user`` do ``action`` to ``obj`` (a session, or a comment for comment.* actions)?"""
    if not getattr(user, "is_authenticated", False):
        return False
    scope = scope_for(user)
    if action in ("draft.write", "draft.submit", "comment.respond"):
        return is_presenter(user, obj) or (scope.is_admin and action != "comment.respond")
    if action in ("draft.approve", "draft.return"):
        return may_approve(user, obj)
    # Who read, who commented, reminders; and the paper side (draft.paper): the printed packs and
    # the comments a member handed in on paper, typed in on their behalf.
    if action in ("draft.track", "draft.paper"):
        return scope.is_admin or obj.cell_id in scope.managed_cell_ids or scope.member_id in approver_ids(obj)
    if action == "comment.add":
        return is_cell_member(user, obj)
    if action in ("comment.edit", "comment.delete"):
        # A comment handed in on paper is the record of that sheet: nobody rewrites it on screen.
        return obj.author_id == scope.member_id and not obj.on_paper
    return False


def readable_sessions(user: Any) -> QuerySet[Session]:
    """Sessions whose draft page the user may open (the same as the sessions they may see)."""
    return visible_sessions(user)


def member_of(user: Any) -> Member | None:
    scope = scope_for(user)
    return Member.objects.filter(pk=scope.member_id).first() if scope.member_id else None
