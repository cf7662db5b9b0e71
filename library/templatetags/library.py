"""Template helpers of the library: the model-session links on a session's page, and small filters for
the frozen package (its dates are ISO strings)."""

from datetime import date
from typing import Any

from django import template

from library import selectors

register = template.Library()

# Colours the existing status classes of app.css give: waiting (yellow), done (green), refused (red),
# set aside (grey).
STATUS_CLASSES = {
    "registered": "status-submitted",
    "approved": "status-acknowledged",
    "published": "status-acknowledged",
    "declined": "status-returned",
    "withdrawn": "status-draft",
}


@register.filter
def model_status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "status-draft")


@register.filter
def iso_date(value: Any) -> date | None:
    """A date stored as an ISO string in a package, as a date for the ``date`` filter."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


@register.inclusion_tag("library/_session_links.html", takes_context=True)
def model_session_links(context: Any, session: Any) -> dict[str, Any]:
    """For planning's session page: the model session this session is registered as (with a link to
    register it when the reader leads the cell), and the model it was adopted from (two queries)."""
    from library import permissions

    links = selectors.session_links(session)
    user = context["request"].user
    return {
        "session": session,
        "model": links.model,
        "adoption": links.adoption,
        "can_register": (links.model is None or links.model.status not in links.model.LIVE_STATUSES)
        and session.status != "cancelled"
        and permissions.can(user, "model.register", session),
    }
