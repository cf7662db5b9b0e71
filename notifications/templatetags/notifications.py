"""``{% unread_count %}``: the number of the signed-in person's unread notifications, leaving out those
that asked for a step which no longer waits (the work queue decides, notifications.services.open_work).

A template tag rather than a context processor so that only pages that show it pay for it: one COUNT
per request however often a page uses it, none for anonymous visitors; none at all while the count is
in the shared cache (settings.FRAME_CACHE), kept under the version of the user's notifications (bumped
when one is created or read) and the steps that still wait (the count leaves out the others)."""

import hashlib
from typing import Any

from django import template
from django.core.cache import cache

from notifications.permissions import visible_notifications
from notifications.services import bell_version, open_work, pending

register = template.Library()

_CACHE = "_unread_notifications"


@register.simple_tag(takes_context=True)
def unread_count(context: template.Context) -> int:
    request: Any = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    if not hasattr(request, _CACHE):
        setattr(request, _CACHE, _count(user, request))
    return int(getattr(request, _CACHE))


def _count(user: Any, request: Any) -> int:
    waiting = open_work(user, request)
    version = bell_version(user)
    key = ""
    if version:
        steps = hashlib.blake2b("\n".join(sorted(waiting)).encode(), digest_size=12).hexdigest()
        key = f"bell:{user.pk}:{version}:{steps}"
        found = cache.get(key)
        if found is not None:
            return int(found)
    unread = visible_notifications(user).filter(read_at__isnull=True)
    count = pending(unread, waiting).count()
    if key:
        cache.set(key, count, 10 * 60)
    return count
