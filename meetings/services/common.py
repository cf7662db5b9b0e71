"""What the meeting services share: the row lock, the revision counter, the editable check.

Helpers of the modules of this package, not the app's API (``meetings.services`` does not re-export
them). Every change to a meeting locks its row (:func:`locked`), so two phones recording the same
meeting queue up, and counts one more ``revision`` as it saves (:func:`bump`).
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.errors import InvalidTransition
from meetings import hooks
from meetings.models import Meeting


def locked(meeting: Meeting) -> Meeting:
    """The meeting row, locked until the transaction ends, with what the services read of it."""
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("cell__parent", "session", "chair", "minutes_secretary")
        .get(pk=meeting.pk)
    )


def user_of(actor: Any) -> Any:
    """The user to store as who did it: None for the system (``actor=None``)."""
    return actor if getattr(actor, "pk", None) else None


def require_editable(meeting: Meeting) -> None:
    """Refuse a change unless the record is open and the minutes not locked."""
    if meeting.status == Meeting.Status.SCHEDULED:
        raise InvalidTransition(_("Open the meeting record first."))
    if not meeting.is_editable:
        raise InvalidTransition(
            _("The minutes are approved and locked. To change them, start a correction with its reason.")
        )


def bump(meeting: Meeting, *fields: str) -> None:
    """Save ``fields``, count one more revision of the record and tell who listens (meetings.hooks)."""
    meeting.revision += 1
    meeting.save(update_fields=[*fields, "revision"])
    hooks.record_changed(meeting.pk)


def norm(text: str) -> str:
    """Text as stored: Unix line ends, no surrounding spaces (a browser sends "\r\n")."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()
