"""Template filters shared by every app."""

import uuid
from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(value: timedelta | None) -> int:
    """A duration in whole minutes (rounded up), for sentences such as "locked for 15 minutes"."""
    if not value:
        return 0
    return int(-(-value.total_seconds() // 60))


@register.simple_tag
def new_uuid() -> str:
    """A fresh random id, e.g. for a form's ``client_id``: the server stores what it carries once,
    however often it is sent (a double tap, a retry after the signal came back)."""
    return str(uuid.uuid4())
