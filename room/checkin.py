"""Check-in from a member's phone (issue 15): a 6-digit code that changes every few minutes, shown with
a QR code of the check-in page on the secretary's phone and the room screen.

The code is derived, not stored: HMAC (Django's ``salted_hmac`` over the server's SECRET_KEY) of the
meeting's id and the current time window. The current and the previous window's codes are accepted, so a
code read just before it changes still works for one more window. A member checking in more than
``LATE_AFTER`` after the start is marked late, with the time kept on their :class:`~room.models.CheckIn`.
"""

import hmac
import re
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import segno
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from core.audit import log_action
from core.errors import DomainError, InvalidTransition, PermissionDenied
from meetings import rules
from meetings import services as meetings
from meetings.models import Attendance, Meeting
from meetings.permissions import visible_meetings
from room import live
from room.models import CheckIn
from room.services import voter_attendance

WINDOW_SECONDS = 180  # a code lives 3 minutes, and is still accepted for the 3 after
# The record opens only once the meeting has started, so "after the start" allows the minutes it takes to
# open it and show the code: a member who checks in within them is present, later is late.
LATE_AFTER = timedelta(minutes=5)


def _window(moment: float | None = None) -> int:
    return int((time.time() if moment is None else moment) // WINDOW_SECONDS)


def code_for(meeting: Meeting, window: int) -> str:
    digest = salted_hmac("room.checkin", f"{meeting.pk}:{window}", algorithm="sha256").digest()
    return f"{int.from_bytes(digest[:8], 'big') % 1_000_000:06d}"


@dataclass(frozen=True)
class Code:
    code: str
    expires_in: int  # seconds until the next code


def current_code(meeting: Meeting) -> Code:
    now = time.time()
    window = _window(now)
    return Code(code_for(meeting, window), int((window + 1) * WINDOW_SECONDS - now))


def code_valid(meeting: Meeting, code: str) -> bool:
    """The current window's code or the previous one (compared in constant time)."""
    code = "".join(code.split())
    if not re.fullmatch(r"[0-9]{6}", code, flags=re.ASCII):
        return False  # not six ASCII digits ("²³⁴", "٣"…): never a code, and compare_digest takes ASCII only
    window = _window()
    return any(hmac.compare_digest(code, code_for(meeting, w)) for w in (window, window - 1))


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as an inline SVG (no XML declaration, scaled by CSS)."""
    return segno.make(url, error="m").svg_inline(scale=6, border=2, dark="#000", light="#fff")


def check_in(*, actor: Any, meeting: Meeting, code: str) -> CheckIn:
    """The member checks themselves in: only while the record is open, with a valid code, once.
    Marked present, or late after the start time; the record's attendance is written through
    ``meetings.services.set_attendance`` as the secretary's marking is."""
    if not visible_meetings(actor).filter(pk=meeting.pk).exists():
        raise PermissionDenied(_("You are not allowed to do this."))
    if meeting.status != Meeting.Status.IN_PROGRESS:
        raise InvalidTransition(_("Check-in is open only while the meeting is being recorded."))
    attendance = voter_attendance(actor, meeting)
    if attendance is None:
        raise PermissionDenied(_("Only the members summoned to the meeting check in."))
    if not code_valid(meeting, code):
        raise DomainError(
            _("This code is not valid (it changes every few minutes); type the one shown now."), field="code"
        )
    if attendance.status in (rules.ELSEWHERE, rules.SUSPENDED, rules.DETAINED):
        raise PermissionDenied(
            _("You are marked “%(status)s” for this meeting; the secretary marks you if that changes.")
            % {"status": attendance.get_status_display()}
        )
    if attendance.status in rules.ATTENDED:
        raise InvalidTransition(_("You are already marked present."))
    now = timezone.now()
    late = now > meeting.starts_at + LATE_AFTER
    try:
        with transaction.atomic():
            check = CheckIn.objects.create(meeting=meeting, member_id=attendance.member_id, at=now, late=late)
            meetings.set_attendance(
                actor=None,
                meeting=meeting,
                member_id=attendance.member_id,
                status=Attendance.Status.LATE if late else Attendance.Status.PRESENT,
            )
            log_action(
                actor,
                "room.checked_in",
                meeting,
                {"time": timezone.localtime(now).strftime("%H:%M"), "late": late},
            )
            live.changed(meeting.pk)
    except IntegrityError:
        raise InvalidTransition(_("You have already checked in.")) from None
    return check
