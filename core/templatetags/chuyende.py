"""Template filters shared by every app."""

import uuid
from datetime import timedelta

from django import template

from core import text

register = template.Library()


@register.filter
def minutes(value: timedelta | None) -> int:
    """A duration in whole minutes (rounded up), for sentences such as "locked for 15 minutes"."""
    if not value:
        return 0
    return int(-(-value.total_seconds() // 60))


@register.filter
def shorten(value: object, limit: int) -> str:
    """Cut a title or a quotation at a word boundary (``core.text.shorten``), never inside a word as
    ``truncatechars`` does."""
    return text.shorten(str(value), int(limit))


@register.simple_tag
def new_uuid() -> str:
    """A fresh random id, e.g. for a form's ``client_id``: the server stores what it carries once,
    however often it is sent (a double tap, a retry after the signal came back)."""
    return str(uuid.uuid4())
