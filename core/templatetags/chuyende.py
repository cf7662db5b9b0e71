"""Template filters shared by every app."""

import uuid
from datetime import timedelta
from typing import Any

from django import template

from core import pages, text

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


@register.simple_tag(takes_context=True)
def new_uuid(context: Any) -> str:
    """A fresh random id, e.g. for a form's ``client_id``: the server stores what it carries once,
    however often it is sent (a double tap, a retry after the signal came back). In a page kept
    rendered (core.pages), a placeholder that each answer replaces with ids of its own: two answers
    of one cached page must never share an id, or the second comment would be taken for the first."""
    if context.get(pages.FRESH_IDS):
        return pages.UUID_PLACEHOLDER
    return str(uuid.uuid4())
