"""Who may issue and read Party documents.

Issuing a numbered document is an act of the organisation's leadership: whoever manages the
organisation (its secretary or deputy secretary in the current term, an officer of a Đảng ủy above
it, an administrator) may issue. Whoever may open the organisation may read what it issued.
"""

from typing import Any

from django.db.models import QuerySet

from documents.models import IssuedDocument
from organizations import permissions as org_permissions
from organizations.models import Organization

# The action codes this module decides (registered with core.permissions in apps.py).
ACTIONS = frozenset(
    {
        "document.issue",
        "document.manage_certificate",
        "document.register",
        "document.sign",
        "document.view",
    }
)


def can(user: Any, action: str, obj: Any) -> bool:
    """``document.issue``, ``document.register`` (its register of issued documents) and
    ``document.manage_certificate`` (its signing certificate: administrators) on an organisation;
    ``document.view`` and ``document.sign`` on an issued document."""
    if action in ("document.issue", "document.register"):
        return org_permissions.can(user, "organization.manage", obj)
    if action == "document.sign":
        return can_sign(user, obj.organization)
    if action == "document.manage_certificate":
        return org_permissions.scope_for(user).is_admin
    if action == "document.view":
        return org_permissions.can(user, "organization.view", obj.organization)
    return False


def can_sign(user: Any, organization: Organization) -> bool:
    """A signature is a person's act for the organisation that issued the document: its secretary or
    deputy secretary in the current term, or for a Đảng ủy's own documents an officer assigned to that
    Đảng ủy itself. Not an officer above, not an administrator as such."""
    if not getattr(user, "is_authenticated", False):
        return False
    scope = org_permissions.scope_for(user)
    if organization.pk in scope.managed_cell_ids:
        return True
    return organization.kind == Organization.Kind.PARTY_COMMITTEE and organization.path in scope.officer_paths


def visible_documents(user: Any) -> QuerySet[IssuedDocument]:
    """Issued documents of the organisations the user may open."""
    return IssuedDocument.objects.filter(organization__in=org_permissions.visible_organizations(user))
