"""Template filters shared by every app."""

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(value: timedelta | None) -> int:
    """A duration in whole minutes (rounded up), for sentences such as "locked for 15 minutes"."""
    if not value:
        return 0
    return int(-(-value.total_seconds() // 60))
