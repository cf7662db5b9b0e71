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
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from core.models import AuditEntry

_SENTENCES: dict[str, str | Promise] = {}


def register_actions(sentences: Mapping[str, str | Promise]) -> None:
    """Register the sentence of each action code. Placeholders: %(actor)s, %(object)s, data keys."""
    _SENTENCES.update(sentences)


def registered_actions() -> frozenset[str]:
    """Every action code the apps registered (each reads as one sentence in a history)."""
    return frozenset(_SENTENCES)


def log_action(
    actor: Any, action: str, obj: models.Model, data: Mapping[str, Any] | None = None
) -> AuditEntry:
    """Write one audit entry. ``actor`` is a user or None for the system."""
    if action not in _SENTENCES:
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


class _Defaulting(dict):
    def __missing__(self, key: str) -> str:
        return "…"


def describe(entry: AuditEntry) -> str:
    """The entry as a sentence in the active language."""
    sentence = _SENTENCES.get(entry.action)
    actor = entry.actor.get_full_name() or entry.actor.get_username() if entry.actor else _("The system")
    values = _Defaulting({"actor": actor, "object": entry.object_repr})
    values.update({key: value for key, value in entry.data.items() if isinstance(value, str | int | float)})
    if sentence is None:
        return _("%(actor)s: %(action)s") % {"actor": actor, "action": entry.action}
    return str(sentence) % values
