"""One entry point for permission decisions: ``can`` and ``require`` by action code.

Each app keeps its rules in its own ``permissions.py`` (``can(user, action, obj)``) and registers the
action codes it decides in ``AppConfig.ready()``::

    register_permissions({"draft.approve", "draft.return", ...}, drafts.permissions.can)

so any service (or the session lifecycle table) can ask ``require(actor, "draft.approve", session)``
without importing the app that owns the rule, and core imports no app of ours. An action code is owned
by exactly one app; asking about an unregistered code is a programming error, never a silent "no".
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.errors import PermissionDenied

Check = Callable[[Any, str, Any], bool]

_OWNERS: dict[str, Check] = {}


def register_permissions(actions: Iterable[str], check: Check) -> None:
    """Make ``check`` the judge of ``actions`` (called from the owning app's ``ready()``)."""
    for action in actions:
        owner = _OWNERS.get(action)
        if owner is not None and owner is not check:
            raise ImproperlyConfigured(f"Permission action {action!r} is registered twice.")
        _OWNERS[action] = check


def registered_actions() -> frozenset[str]:
    return frozenset(_OWNERS)


def can(user: Any, action: str, obj: Any) -> bool:
    """May ``user`` do ``action`` to ``obj``? Decided by the app that registered ``action``."""
    try:
        check = _OWNERS[action]
    except KeyError:
        raise ImproperlyConfigured(f"No app registered the permission action {action!r}.") from None
    return check(user, action, obj)


def require(actor: Any, action: str, obj: Any) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` may do ``action`` to ``obj``.

    ``actor=None`` is the system (demo loader, scheduled jobs): no person to check.
    """
    if actor is not None and not can(actor, action, obj):
        raise PermissionDenied(_("You are not allowed to do this."))
