"""Who may see and change plans, sessions, topics and registrations.

* Everyone who may open a cell sees its plans and sessions (organizations.permissions).
* The cell's secretary and deputy (current term) prepare the plan: sessions, presenters,
  registrations, postponing and cancelling, submitting. An administrator may too.
* The Đảng ủy officers of an organisation above the cell acknowledge or return plans, and keep the
  topic catalogue and the annual orientation of their Đảng bộ.
* A member of the cell (regular, probationary included) registers for topics and sessions.
"""

from typing import Any

from django.db.models import Q, QuerySet

from organizations.models import Organization, path_ids
from organizations.permissions import scope_for, visible_organizations
from planning.models import AnnualPlan, Registration, Session, Topic, TopicGroup


def visible_plans(user: Any) -> QuerySet[AnnualPlan]:
    return AnnualPlan.objects.filter(cell__in=visible_organizations(user))


def visible_sessions(user: Any) -> QuerySet[Session]:
    return Session.objects.filter(cell__in=visible_organizations(user))


def visible_topics(user: Any) -> QuerySet[Topic]:
    """Catalogue topics of the user's Đảng bộ (and its ancestors), and topics proposed by their cells."""
    orgs = visible_organizations(user)
    scope = scope_for(user)
    if scope.is_admin:
        return Topic.objects.all()
    ancestor_ids = {pk for path in orgs.values_list("path", flat=True) for pk in path_ids(path)}
    return Topic.objects.filter(Q(organization_id__in=ancestor_ids) | Q(organization__in=orgs))


def visible_topic_groups(user: Any) -> QuerySet[TopicGroup]:
    """The topic groups of the catalogues the user reads: those of the Đảng bộ above their organisations
    (every group for an administrator), as ``visible_topics``."""
    if scope_for(user).is_admin:
        return TopicGroup.objects.all()
    paths = visible_organizations(user).values_list("path", flat=True)
    return TopicGroup.objects.filter(organization_id__in={pk for path in paths for pk in path_ids(path)})


def visible_registrations(user: Any) -> QuerySet[Registration]:
    """Registrations to present: those of the cells the user manages (to decide them) and their own."""
    scope = scope_for(user)
    if scope.is_admin:
        return Registration.objects.all()
    mine = Q(member_id=scope.member_id) if scope.member_id is not None else Q(pk__in=[])
    return Registration.objects.filter(Q(cell_id__in=scope.managed_cell_ids) | mine)


def _is_cell_manager(user: Any, cell: Organization) -> bool:
    scope = scope_for(user)
    return scope.is_admin or cell.pk in scope.managed_cell_ids


def _is_officer_above(user: Any, org: Organization) -> bool:
    scope = scope_for(user)
    return scope.is_admin or scope.reaches_path(org.path)


# The action codes this module decides (registered with core.permissions in apps.py).
ACTIONS = frozenset(
    {
        "catalogue.edit",
        "cell.register",
        "orientation.edit",
        "plan.acknowledge",
        "plan.create",
        "plan.edit",
        "plan.return",
        "plan.submit",
        "registration.decide",
        "registration.withdraw",
        "session.cancel",
        "session.manage",
        "session.postpone",
        "topic.propose",
        "topic_group.edit",
    }
)


def can(user: Any, action: str, obj: Any) -> bool:
    """May ``user`` do ``action`` to ``obj``? Unknown actions are refused."""
    if not getattr(user, "is_authenticated", False):
        return False
    scope = scope_for(user)
    if action == "plan.create":  # obj: the cell
        return obj.is_cell and _is_cell_manager(user, obj)
    if action in ("plan.edit", "plan.submit"):
        return _is_cell_manager(user, obj.cell)
    if action in ("plan.acknowledge", "plan.return"):
        return obj.cell.parent is not None and _is_officer_above(user, obj.cell.parent)
    if action in ("session.manage", "session.postpone", "session.cancel"):
        return _is_cell_manager(user, obj.cell)
    if action == "cell.register":  # obj: the cell
        return scope.member_id is not None and obj.pk in scope.cell_ids
    if action == "registration.decide":
        return _is_cell_manager(user, obj.cell)
    if action == "registration.withdraw":
        return obj.member_id == scope.member_id and obj.status == Registration.Status.PENDING
    if action == "topic.propose":  # obj: the cell
        return obj.pk in scope.cell_ids or _is_cell_manager(user, obj)
    if action in ("catalogue.edit", "orientation.edit"):  # obj: the Đảng bộ
        return obj.kind == Organization.Kind.PARTY_COMMITTEE and _is_officer_above(user, obj)
    if action == "topic_group.edit":
        return isinstance(obj, TopicGroup) and _is_officer_above(user, obj.organization)
    return False
