"""Who may do what to a push subscription: it belongs to the person whose browser made it, and to
nobody else (not even an administrator: a subscription is a key to one person's device)."""

from typing import Any

ACTIONS = frozenset({"push.subscription.delete"})


def can(user: Any, action: str, obj: Any) -> bool:
    if action == "push.subscription.delete":
        return bool(user.is_authenticated and obj.user_id == user.pk)
    raise ValueError(action)
