"""Who sees which notification: its recipient, and nobody else (not even an administrator). Who manages
an organisation's webhooks: the officers of its Đảng ủy or of one above it, and the administrators."""

from typing import Any

from django.db.models import QuerySet

from notifications.models import Notification, WebhookEndpoint
from organizations.permissions import scope_for, visible_organizations


def visible_notifications(user: Any) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk).order_by("-created_at", "-pk")


# The action codes this module decides (registered with core.permissions in apps.py).
ACTIONS = frozenset({"webhook.manage"})


def can(user: Any, action: str, obj: Any) -> bool:
    """``webhook.manage`` on an organisation.

    A webhook sends the events of the organisation and of every cell under it to another system, so
    it is the Đảng ủy's decision, like the oversight it already has of those cells: its officers (and
    the officers above it) and the site's administrators. A cell's secretary does not register one:
    the data would leave the app on the word of one cell for what is the Đảng bộ's IT."""
    if not getattr(user, "is_authenticated", False) or action not in ACTIONS:
        return False
    scope = scope_for(user)
    return scope.is_admin or scope.reaches_path(obj.path)


def visible_webhooks(user: Any) -> QuerySet[WebhookEndpoint]:
    """The endpoints of the organisations the user may open (opening one still needs ``webhook.manage``:
    a cell's member finds it forbidden, a stranger finds nothing)."""
    return WebhookEndpoint.objects.filter(organization__in=visible_organizations(user)).select_related(
        "organization"
    )
