"""Who may see and do what with organisations and members.

One place answers both questions the rest of the code asks:

* ``can(user, action, obj)`` — may this user do this to this object?
* ``visible_organizations(user)`` / ``visible_members(user)`` — the rows a listing may show.

The rules (docs/domain.md §1, §5 "least privilege"):

* a member sees the cells they belong to (regularly or temporarily) and the members of those cells,
  but not their cell-mates' private data (birth date, card number, phone, e-mail);
* the secretary and deputy secretary of a cell (current term) manage it and see private data;
* a Đảng ủy officer sees and manages every cell under their organisation, at any depth;
* an administrator (superuser) sees everything;
* nobody sees another organisation's data.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils import timezone

from core import versions
from organizations.models import Member, Membership, OfficerAssignment, Organization, Position

MANAGING_ROLES = (Position.Role.SECRETARY, Position.Role.DEPUTY_SECRETARY)
# Who approves a cell's drafts: its secretaries and, where the cell has a chi ủy, its members.
APPROVING_ROLES = (*MANAGING_ROLES, Position.Role.COMMITTEE_MEMBER)


@dataclass(frozen=True)
class Scope:
    """What one user reaches, computed once per request (three small queries)."""

    is_admin: bool = False
    member_id: int | None = None
    cell_ids: frozenset[int] = field(default_factory=frozenset)
    managed_cell_ids: frozenset[int] = field(default_factory=frozenset)
    # The cells whose drafts the user approves (secretaries and, where there is a chi ủy, its members).
    approving_cell_ids: frozenset[int] = field(default_factory=frozenset)
    officer_paths: tuple[str, ...] = ()

    def reaches_path(self, path: str) -> bool:
        return any(path.startswith(prefix) for prefix in self.officer_paths)


def active_q(prefix: str = "", on: Any = None) -> Q:
    """Rows whose [start_date, end_date] period contains ``on`` (today by default)."""
    on = on or timezone.localdate()
    return Q(**{f"{prefix}start_date__lte": on}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": on})
    )


# Every change to the organisations app (memberships, positions, terms, officers, the tree) replaces
# this version token (home.invalidation): such changes are rare, and any of them may change a scope.
STRUCTURE = "all"
# Replaced with it, except by changes to members, memberships, positions, terms and officers: the
# tree itself and the rule sets, what the figures kept per cell (reports.models.OrganizationFigures)
# depend on beyond their cell's own tokens. A membership bumps its cell's tokens instead.
TREE = "tree"


def scope_for(user: Any) -> Scope:
    """The user's scope, cached on the user object for the rest of the request, and across requests in
    the shared cache (settings.FRAME_CACHE) until the organisations change or the day does (memberships
    and positions begin and end on dates)."""
    if not getattr(user, "is_authenticated", False):
        return Scope()
    cached = getattr(user, "_chuyende_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(is_admin=True)
    else:
        version = versions.current([STRUCTURE])
        key = f"scope:{user.pk}:{timezone.localdate().isoformat()}:{version}"
        found: Scope | None = cache.get(key) if version else None
        if found is None:
            found = _compute_scope(user)
            if version:
                cache.set(key, found, versions.TIMEOUT)
        scope = found
    user._chuyende_scope = scope
    return scope


def _compute_scope(user: Any) -> Scope:
    """Three small queries (four with the member's id)."""
    member_id = Member.objects.filter(user=user).values_list("id", flat=True).first()
    cell_ids: set[int] = set()
    managed: set[int] = set()
    approving: set[int] = set()
    if member_id is not None:
        cell_ids = set(
            Membership.objects.filter(active_q(), member_id=member_id).values_list(
                "organization_id", flat=True
            )
        )
        for cell_id, role in Position.objects.filter(
            active_q(), active_q("term__"), member_id=member_id, role__in=APPROVING_ROLES
        ).values_list("term__organization_id", "role"):
            approving.add(cell_id)
            if role in MANAGING_ROLES:
                managed.add(cell_id)
    paths = tuple(OfficerAssignment.objects.filter(user=user).values_list("organization__path", flat=True))
    return Scope(
        member_id=member_id,
        cell_ids=frozenset(cell_ids),
        managed_cell_ids=frozenset(managed),
        approving_cell_ids=frozenset(approving),
        officer_paths=paths,
    )


def _paths_q(scope: Scope, field_name: str = "path") -> Q:
    q = Q(pk__in=[])
    for prefix in scope.officer_paths:
        q |= Q(**{f"{field_name}__startswith": prefix})
    return q


def visible_organizations(user: Any) -> QuerySet[Organization]:
    """Organisations the user may open."""
    scope = scope_for(user)
    if scope.is_admin:
        return Organization.objects.all()
    return Organization.objects.filter(Q(pk__in=scope.cell_ids | scope.managed_cell_ids) | _paths_q(scope))


def visible_members(user: Any) -> QuerySet[Member]:
    """Members the user may see: those currently in a visible cell, and the user themself."""
    scope = scope_for(user)
    if scope.is_admin:
        return Member.objects.all()
    in_cells = Membership.objects.filter(active_q()).filter(
        Q(organization_id__in=scope.cell_ids | scope.managed_cell_ids) | _paths_q(scope, "organization__path")
    )
    return Member.objects.filter(
        Q(pk__in=in_cells.values("member_id")) | Q(pk=scope.member_id or 0)
    ).distinct()


def _manages_org(scope: Scope, org: Organization) -> bool:
    return scope.is_admin or org.pk in scope.managed_cell_ids or scope.reaches_path(org.path)


def _member_cells(member: Member) -> list[Organization]:
    return [m.organization for m in member.memberships.filter(active_q()).select_related("organization")]


# The action codes this module decides (registered with core.permissions in apps.py).
ACTIONS = frozenset(
    {
        "member.edit",
        "member.view",
        "member.view_private",
        "organization.create_child",
        "organization.import_members",
        "organization.manage",
        "organization.view",
    }
)


def can(user: Any, action: str, obj: Any) -> bool:
    """May ``user`` do ``action`` to ``obj``? Unknown actions are refused."""
    scope = scope_for(user)
    if not getattr(user, "is_authenticated", False):
        return False
    if action == "organization.view":
        return (
            scope.is_admin
            or obj.pk in scope.cell_ids
            or obj.pk in scope.managed_cell_ids
            or scope.reaches_path(obj.path)
        )
    if action in ("organization.manage", "organization.import_members"):
        return _manages_org(scope, obj)
    if action == "organization.create_child":
        return obj.kind == Organization.Kind.PARTY_COMMITTEE and (
            scope.is_admin or scope.reaches_path(obj.path)
        )
    if action == "member.view":
        return scope.is_admin or obj.pk == scope.member_id or visible_members(user).filter(pk=obj.pk).exists()
    if action in ("member.view_private", "member.edit"):
        if scope.is_admin:
            return True
        if action == "member.view_private" and obj.pk == scope.member_id:
            return True
        return any(_manages_org(scope, cell) for cell in _member_cells(obj))
    return False
