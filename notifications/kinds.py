"""The kinds of notice the app sends, as a member understands them (docs/channels.md).

Every ``notify()`` / ``notify_members()`` call names its kind; a member chooses per kind which channels
(besides the app, always on) carry it, and a cell's secretary sets the defaults per kind. The
:data:`URGENT` kinds go by every channel the member can be reached on, at once: their choices, quiet
hours and digest do not apply to them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    MEETING = "meeting", _("Meeting notices")
    SESSION_CHANGED = "session_changed", _("Session postponed or cancelled")
    ASSIGNMENT = "assignment", _("Presenter assignments and registrations")
    DRAFT_REVIEW = "draft_review", _("Drafts to approve, returned or approved")
    DRAFT_STUDY = "draft_study", _("Drafts to study and comment reminders")
    TASK = "task", _("Tasks assigned to you")
    RESOLUTION = "resolution", _("Resolutions issued")
    PLAN_REPORT = "plan_report", _("Annual plans and quarterly reports")
    EVALUATION = "evaluation", _("Evaluations")
    LIBRARY = "library", _("Model sessions and the library")
    ANNOUNCEMENT = "announcement", _("General announcements")
    OTHER = "other", _("Other notices")


# Always by every reachable channel, at once (a meeting that will not take place must not wait for the
# morning's digest).
URGENT = frozenset({Kind.SESSION_CHANGED})

# The kind of a daily digest message (Message.kind): not a kind a member chooses for.
DIGEST = "digest"


def is_urgent(kind: str) -> bool:
    return kind in URGENT
