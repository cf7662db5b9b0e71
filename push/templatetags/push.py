"""``{% load push %}``: what the base template and the subscribe button need from the push app."""

from typing import Any

from django import template
from django.utils.crypto import salted_hmac

from push import vapid

register = template.Library()


@register.simple_tag
def push_public_key() -> str:
    """The VAPID public key a browser subscribes with, or "" when push is off."""
    keys = vapid.keys()
    return keys.public_key if keys else ""


@register.simple_tag(takes_context=True)
def offline_user_key(context: Any) -> str:
    """A name for the signed-in person that the service worker files their saved pages under (a new
    name on the page empties the old one's): not their id, which the cache need not know."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return ""
    return salted_hmac("push.offline-user", str(user.pk)).hexdigest()[:16]
