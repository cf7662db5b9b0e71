"""Typed domain errors raised by services.

A service refuses an action by raising one of these with a translatable message; views show the
message to the person, the API turns it into a 4xx answer, commands print it.
"""

from django.utils.functional import Promise


class DomainError(Exception):
    """A rule of the domain refuses the action. ``message`` is shown to the user as it is."""

    def __init__(self, message: str | Promise, *, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class PermissionDenied(DomainError):
    """The actor may not do this to this object."""


class InvalidTransition(DomainError):
    """The object is not in a state that allows the action."""
