"""The list of speakers (issue 15): a member asks to speak from their phone, the chair (whoever records
the meeting) gives the floor and ends it; the ended turn becomes a speech in the record through
``meetings.services.add_speech``, with its times, ready for the minutes secretary to summarise."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from core.audit import log_action
from core.errors import InvalidTransition, PermissionDenied
from core.permissions import require
from meetings import services as meetings
from meetings.models import Meeting, Speech
from meetings.permissions import visible_meetings
from room import live
from room.models import SpeakerRequest
from room.services import voter_attendance

PENDING = (SpeakerRequest.Status.WAITING, SpeakerRequest.Status.SPEAKING)


def _require_open(meeting: Meeting) -> None:
    if meeting.status != Meeting.Status.IN_PROGRESS:
        raise InvalidTransition(_("Requests to speak are taken only while the meeting is being recorded."))


def request_floor(*, actor: Any, meeting: Meeting, about: str = "") -> SpeakerRequest:
    """The member asks to speak (once at a time: a second request waits until the first is over)."""
    if not visible_meetings(actor).filter(pk=meeting.pk).exists():
        raise PermissionDenied(_("You are not allowed to do this."))
    _require_open(meeting)
    attendance = voter_attendance(actor, meeting)
    if attendance is None:
        raise PermissionDenied(_("Only the members summoned to the meeting ask to speak."))
    if not attendance.attended:
        raise InvalidTransition(_("Check in first: only members present ask to speak."))
    try:
        with transaction.atomic():
            request = SpeakerRequest.objects.create(
                meeting=meeting,
                member_id=attendance.member_id,
                about=" ".join(about.split())[:200],
                requested_at=timezone.now(),
            )
            log_action(actor, "room.speech.requested", meeting, {"about": request.about})
            live.changed(meeting.pk)
    except IntegrityError:
        raise InvalidTransition(_("You have already asked to speak.")) from None
    return request


def withdraw_request(*, actor: Any, request: SpeakerRequest) -> None:
    """The member takes back their own request while it waits."""
    attendance = voter_attendance(actor, request.meeting)
    if attendance is None or attendance.member_id != request.member_id:
        raise PermissionDenied(_("You are not allowed to do this."))
    updated = SpeakerRequest.objects.filter(pk=request.pk, status=SpeakerRequest.Status.WAITING).update(
        status=SpeakerRequest.Status.WITHDRAWN, ended_at=timezone.now()
    )
    if not updated:
        raise InvalidTransition(_("This request no longer waits."))
    live.changed(request.meeting_id)


def give_floor(*, actor: Any, request: SpeakerRequest) -> SpeakerRequest:
    require(actor, "meeting.record", request.meeting)
    _require_open(request.meeting)
    try:
        with transaction.atomic():
            locked = SpeakerRequest.objects.select_for_update().get(pk=request.pk)
            if locked.status != SpeakerRequest.Status.WAITING:
                raise InvalidTransition(_("This request no longer waits."))
            locked.status, locked.started_at = SpeakerRequest.Status.SPEAKING, timezone.now()
            locked.save(update_fields=["status", "started_at"])
            live.changed(locked.meeting_id)
    except IntegrityError:
        raise InvalidTransition(_("Someone has the floor; end their turn first.")) from None
    return locked


def end_floor(*, actor: Any, request: SpeakerRequest) -> Speech:
    """End the turn: the speech is written to the record with its times (ending twice saves it once)."""
    require(actor, "meeting.record", request.meeting)
    with transaction.atomic():
        locked = SpeakerRequest.objects.select_for_update().select_related("meeting").get(pk=request.pk)
        if locked.status != SpeakerRequest.Status.SPEAKING or locked.started_at is None:
            raise InvalidTransition(_("This member does not have the floor."))
        now = timezone.now()
        summary = _g("Spoke from %(start)s to %(end)s.") % {
            "start": timezone.localtime(locked.started_at).strftime("%H:%M"),
            "end": timezone.localtime(now).strftime("%H:%M"),
        }
        if locked.about:
            summary += " " + _g("On: %(about)s") % {"about": locked.about}
        speech = meetings.add_speech(
            actor=actor,
            meeting=locked.meeting,
            summary=summary,
            member_id=locked.member_id,
            client_id=locked.speech_key,
        )
        locked.status, locked.ended_at = SpeakerRequest.Status.DONE, now
        locked.save(update_fields=["status", "ended_at"])
        log_action(
            actor,
            "room.speech.ended",
            locked.meeting,
            {
                "member": speech.speaker,
                "start": timezone.localtime(locked.started_at).strftime("%H:%M"),
                "end": timezone.localtime(now).strftime("%H:%M"),
            },
        )
        live.changed(locked.meeting_id)
    return speech


def queue(meeting: Meeting) -> list[SpeakerRequest]:
    """Who has the floor and who waits, in the order they asked (one query)."""
    return list(
        SpeakerRequest.objects.filter(meeting=meeting, status__in=PENDING)
        .select_related("member")
        .order_by("status", "requested_at", "id")  # "speaking" sorts before "waiting"
    )
