"""``{% unread_count %}``: the number of the signed-in person's unread notifications, leaving out those
that asked for a step which no longer waits (the work queue decides, notifications.services.open_work).

A template tag rather than a context processor so that only pages that show it pay for it: one COUNT
per request however often a page uses it, none for anonymous visitors."""

from typing import Any

from django import template

from notifications.permissions import visible_notifications
from notifications.services import open_work, pending

register = template.Library()

_CACHE = "_unread_notifications"


@register.simple_tag(takes_context=True)
def unread_count(context: template.Context) -> int:
    request: Any = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    if not hasattr(request, _CACHE):
        unread = visible_notifications(user).filter(read_at__isnull=True)
        setattr(request, _CACHE, pending(unread, open_work(user, request)).count())
    return int(getattr(request, _CACHE))
