"""Who may issue and read Party documents.

Issuing a numbered document is an act of the organisation's leadership: whoever manages the
organisation (its secretary or deputy secretary in the current term, an officer of a Đảng ủy above
it, an administrator) may issue. Whoever may open the organisation may read what it issued.
"""

from typing import Any

from django.db.models import QuerySet

from documents.models import IssuedDocument
from organizations import permissions as org_permissions

# The action codes this module decides (registered with core.permissions in apps.py).
ACTIONS = frozenset(
    {
        "document.issue",
        "document.register",
        "document.view",
    }
)


def can(user: Any, action: str, obj: Any) -> bool:
    """``document.issue`` and ``document.register`` (its register of issued documents) on an
    organisation; ``document.view`` on an issued document."""
    if action in ("document.issue", "document.register"):
        return org_permissions.can(user, "organization.manage", obj)
    if action == "document.view":
        return org_permissions.can(user, "organization.view", obj.organization)
    return False


def visible_documents(user: Any) -> QuerySet[IssuedDocument]:
    """Issued documents of the organisations the user may open."""
    return IssuedDocument.objects.filter(organization__in=org_permissions.visible_organizations(user))
