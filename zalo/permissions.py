"""Who configures an organisation's Zalo Official Account: the officers of its Đảng ủy or of one above
it, and the administrators (the same people who decide its webhooks).

The account holds the app secret and the OA's tokens, and speaks to members in the Đảng bộ's name:
that is the Đảng ủy's decision and its IT's secret, not one cell secretary's."""

from typing import Any

from organizations.permissions import scope_for

ACTIONS = frozenset({"zalo.manage"})


def can(user: Any, action: str, obj: Any) -> bool:
    """``zalo.manage`` on an organisation."""
    if not getattr(user, "is_authenticated", False) or action not in ACTIONS:
        return False
    scope = scope_for(user)
    return scope.is_admin or scope.reaches_path(obj.path)
