"""Writing and reading the audit log.

Services call :func:`log_action` inside their transaction. Each app registers, for each of its
action codes, one translatable sentence (``register_actions``), so that an object's history reads
as plain Vietnamese (or English) rather than as codes.
"""

from collections.abc import Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from core.models import AuditEntry
from core.sentences import is_registered
from core.sentences import register_actions as register_actions  # where every app registers its codes
from core.sentences import registered_actions as registered_actions


def log_action(
    actor: Any, action: str, obj: models.Model, data: Mapping[str, Any] | None = None
) -> AuditEntry:
    """Write one audit entry. ``actor`` is a user or None for the system."""
    if not is_registered(action):
        # A missing sentence would show a raw code in the history; catch it in development.
        raise ValueError(f"Unregistered audit action {action!r}")
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        object_repr=str(obj)[:255],
        data=dict(data or {}),
    )


def history(obj: models.Model, limit: int = 50) -> QuerySet[AuditEntry]:
    """The newest entries about one object, with their actors loaded in the same query."""
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return AuditEntry.objects.filter(content_type=ct, object_id=obj.pk).select_related("actor")[:limit]
