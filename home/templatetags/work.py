"""``{% work_count as n %}``: how many steps wait for the signed-in person (the menu's badge)."""

from typing import Any

from django import template

from home.work import work_for

register = template.Library()


@register.simple_tag(takes_context=True)
def work_count(context: Any) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None:
        return 0
    return len(work_for(user, request))
