"""Who sees which notification: its recipient, and nobody else (not even an administrator)."""

from typing import Any

from django.db.models import QuerySet

from notifications.models import Notification


def visible_notifications(user: Any) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk).order_by("-created_at", "-pk")
