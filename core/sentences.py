"""The sentence of each audit action code, registered by the app that owns the code.

Apart from :mod:`core.audit` (which writes entries and imports the model) so that the model can tell
its entry as a sentence without importing the module that imports it. Apps register through
``core.audit.register_actions``.
"""

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _

_SENTENCES: dict[str, str | Promise] = {}


def register_actions(sentences: Mapping[str, str | Promise]) -> None:
    """Register the sentence of each action code. Placeholders: %(actor)s, %(object)s, data keys."""
    _SENTENCES.update(sentences)


def registered_actions() -> frozenset[str]:
    """Every action code the apps registered (each reads as one sentence in a history)."""
    return frozenset(_SENTENCES)


def is_registered(action: str) -> bool:
    return action in _SENTENCES


class _Defaulting(dict):
    def __missing__(self, key: str) -> str:
        return "…"


def describe(entry: Any) -> str:
    """An audit entry (actor, action, object_repr, data) as a sentence in the active language."""
    sentence = _SENTENCES.get(entry.action)
    actor = entry.actor.get_full_name() or entry.actor.get_username() if entry.actor else _("The system")
    values = _Defaulting({"actor": actor, "object": entry.object_repr})
    values.update({key: value for key, value in entry.data.items() if isinstance(value, str | int | float)})
    if sentence is None:
        return _("%(actor)s: %(action)s") % {"actor": actor, "action": entry.action}
    return str(sentence) % values
