"""Who may make, download and restore the archives of a term.

An archive holds every member's participation and every document of the cell: it is the leadership's,
as the register of issued documents is. Whoever manages the organisation — the cell's secretary or
deputy secretary in the current term, an officer of a Đảng ủy above it, an administrator — may make a
cell's archive, download it, restore an archive under the organisation and read what was restored there.
The cell's members are refused; anyone else does not see the organisation.
"""

from typing import Any

from django.db.models import Q, QuerySet

from archives.models import RestoredArchive, TermArchive
from organizations import permissions as org_permissions
from organizations.models import Organization

# The action codes this module decides (registered with core.permissions in apps.py).
ACTIONS = frozenset({"archive.view", "archive.make", "archive.restore"})


def can(user: Any, action: str, obj: Any) -> bool:
    """``archive.*`` on an organisation, a term archive or a restored archive (their organisation's
    managers); ``archive.make`` only for a cell."""
    organization = obj if isinstance(obj, Organization) else getattr(obj, "organization", None)
    if organization is None or action not in ACTIONS:
        return False
    if action == "archive.make" and not organization.is_cell:
        return False
    return org_permissions.can(user, "organization.manage", organization)


def managed_organizations(user: Any) -> QuerySet[Organization]:
    """The organisations whose archives ``user`` may read."""
    scope = org_permissions.scope_for(user)
    if scope.is_admin:
        return Organization.objects.all()
    q = Q(pk__in=scope.managed_cell_ids)
    for prefix in scope.officer_paths:
        q |= Q(path__startswith=prefix)
    return Organization.objects.filter(q)


def visible_archives(user: Any) -> QuerySet[TermArchive]:
    return TermArchive.objects.filter(organization__in=managed_organizations(user))


def visible_restored(user: Any) -> QuerySet[RestoredArchive]:
    return RestoredArchive.objects.filter(organization__in=managed_organizations(user))
