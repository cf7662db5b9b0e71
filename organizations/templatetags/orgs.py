"""Template helpers about organisations: link only to what the reader may open."""

from typing import Any

from django import template

from organizations.permissions import can

register = template.Library()


@register.filter
def viewable_by(org: Any, user: Any) -> bool:
    """Whether ``user`` may open ``org`` (no query: the user's scope is cached for the request)."""
    return org is not None and can(user, "organization.view", org)
