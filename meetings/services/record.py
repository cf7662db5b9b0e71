"""The record of a meeting as it is typed during the meeting: opening it (the attendance list from the
roster of the day), its fields, the attendance, the speeches.

Text fields saved from a phone carry the value the phone started from (``base``); a change made
meanwhile by someone else is reported (:class:`Conflict`) instead of overwritten.
"""

import uuid
from datetime import time
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.audit import log_action
from core.errors import DomainError, InvalidTransition
from core.permissions import require
from meetings import rules
from meetings.models import Attendance, Meeting, Speech
from meetings.services.common import bump, locked, norm, require_editable
from organizations.models import Member, Membership
from organizations.selectors import cell_roster
from planning.models import Session

RECORD_TEXT_FIELDS = ("guests", "agenda", "conclusion", "vote_subject", "place")
# The people the secretaries name, with the words the history uses for them; naming them is audited.
ROLE_LABELS = {"chair": _("chair"), "minutes_secretary": _("minutes secretary")}
ROLE_FIELDS = tuple(ROLE_LABELS)
RECORD_FIELDS = (*RECORD_TEXT_FIELDS, *ROLE_FIELDS, "start_time", "end_time")
MAX_TEXT = 20000


class NoticeMissing(DomainError):
    """The meeting has no notice: opening its record needs the person's confirmation."""


def open_record(*, actor: Any, meeting: Meeting, confirmed_without_notice: bool = False) -> Meeting:
    """Start recording: the attendance list is made from the cell's roster on the meeting's date.

    Exempted members and members attached to another cell start with that status; everyone else is
    to be marked. A thematic session is held on an approved, distributed draft (HD 12).

    The record opens once the meeting has started (a past meeting's record may be written later).
    A meeting whose notice was not issued is opened only when ``confirmed_without_notice``: the
    members may not have been told (:class:`NoticeMissing` asks for it)."""
    require(actor, "meeting.record", meeting)
    with transaction.atomic():
        meeting = locked(meeting)
        if meeting.status != Meeting.Status.SCHEDULED:
            raise InvalidTransition(_("The record of this meeting is already open."))
        if not meeting.has_started:
            raise InvalidTransition(
                _("The record opens when the meeting starts, at %(time)s on %(date)s.")
                % {"time": meeting.start_time.strftime("%H:%M"), "date": meeting.date.strftime("%d/%m/%Y")}
            )
        if meeting.session is not None and meeting.session.status != Session.Status.DISTRIBUTED:
            raise InvalidTransition(
                _(
                    "The session's draft must be approved and sent to the members before the meeting "
                    "(it is “%(status)s”)."
                )
                % {"status": meeting.session.get_status_display()}
            )
        # Asked last, so a confirmation is asked only when nothing else stands in the way.
        if meeting.notice_id is None and not confirmed_without_notice:
            raise NoticeMissing(
                _(
                    "No notice (TB) was issued for this meeting: the members were not told its time, "
                    "place and agenda through the application. Confirm that it is held without one."
                ),
                field="confirmed_without_notice",
            )
        rows = []
        for membership in cell_roster(meeting.cell, meeting.date):
            member: Any = membership.member
            attached_here = membership.kind == Membership.Kind.TEMPORARY
            exempted = bool(member.current_exemptions)
            elsewhere = bool(member.attachments_elsewhere) and not attached_here
            status = ""
            if elsewhere:
                status = Attendance.Status.ELSEWHERE
            elif exempted:
                status = Attendance.Status.EXEMPTED
            rows.append(
                Attendance(
                    meeting=meeting,
                    member=member,
                    status=status,
                    full=member.status == Member.Status.FULL,
                    attached_here=attached_here,
                    exempted=exempted,
                    attached_elsewhere=elsewhere,
                )
            )
        Attendance.objects.bulk_create(rows)
        meeting.status = Meeting.Status.IN_PROGRESS
        if meeting.chair_id is None:
            secretary = _secretary_of(meeting)
            meeting.chair = secretary
        bump(meeting, "status", "chair")
        log_action(actor, "meetings.record.opened", meeting, {"count": len(rows)})
    return meeting


def _secretary_of(meeting: Meeting) -> Member | None:
    from documents.frame import signing_position

    position = signing_position(meeting.cell, meeting.date)
    return position.member if position is not None else None


class Conflict(DomainError):
    """Someone else changed this field since the phone loaded it."""

    def __init__(self, message: Any, *, field: str, current: str):
        super().__init__(message, field=field)
        self.current = current


def stored_text(meeting: Meeting, name: str) -> str:
    """A field of the record as the page shows it (a member's id, a time as HH:MM, a text): what a
    phone sends back as the ``base`` of its next change."""
    value = getattr(meeting, f"{name}_id" if name in ROLE_FIELDS else name)
    if value is None:
        return ""
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


def save_field(*, actor: Any, meeting: Meeting, name: str, value: str, base: str | None = None) -> Meeting:
    """Save one field of the record as it is typed. ``base`` is the value the phone started from:
    when someone else has changed the field since, nothing is written and :class:`Conflict` says so.
    Texts are compared as stored (line ends and surrounding spaces do not make a conflict). Who
    chairs and who writes the minutes is decided by the secretaries, and naming them is audited; the
    texts and times are not (they are frozen with the approved minutes)."""
    require(actor, "meeting.record", meeting)
    if name not in RECORD_FIELDS:
        raise DomainError(_("Unknown field."))
    if name in ROLE_FIELDS:
        require(actor, "meeting.manage", meeting)
    value = norm(value)
    if len(value) > MAX_TEXT:
        raise DomainError(_("This text is too long."), field=name)
    with transaction.atomic():
        meeting = locked(meeting)
        require_editable(meeting)
        current = stored_text(meeting, name)
        if base is not None and current != norm(base) and current != value:
            raise Conflict(
                _("Someone else changed this field meanwhile; their text is shown, yours was not saved."),
                field=name,
                current=current,
            )
        if current == value:
            return meeting
        previous = getattr(meeting, name) if name in ROLE_FIELDS else None
        if name in ROLE_FIELDS:
            setattr(meeting, name, _attendee(meeting, value) if value else None)
        elif name in ("start_time", "end_time"):
            parsed = _parse_time(value, name)
            if parsed is None and name == "start_time":
                raise DomainError(_("The start time is required."), field=name)
            start = parsed if name == "start_time" else meeting.start_time
            end = parsed if name == "end_time" else meeting.end_time
            if start is not None and end is not None and end <= start:
                raise DomainError(_("The meeting must end after it starts."), field=name)
            setattr(meeting, name, parsed)
        elif name == "place":
            if not value:
                raise DomainError(_("Say where the meeting takes place."), field=name)
            meeting.place = value[:200]
        elif name == "vote_subject":
            meeting.vote_subject = value[:300]
        else:
            setattr(meeting, name, value)
        bump(meeting, name)
        if name in ROLE_FIELDS:
            _log_role(actor, meeting, name, previous)
    return meeting


def _log_role(actor: Any, meeting: Meeting, name: str, previous: Member | None) -> None:
    """Naming the chair or the minutes secretary is audited (docs/architecture.md, "What is audited"):
    the minutes secretary gets the right to write the record, and both sign the minutes."""
    member = getattr(meeting, name)
    role = str(ROLE_LABELS[name])
    if member is None:
        action, data = "meetings.role.removed", {"role": role}
    elif previous is None:
        action, data = "meetings.role.named", {"role": role, "member": member.full_name}
    else:
        action, data = "meetings.role.changed", {"role": role, "member": member.full_name}
    if previous is not None:
        data["previous"] = previous.full_name
    log_action(actor, action, meeting, {**data, "field": name})


def _parse_time(value: str, name: str) -> time | None:
    if not value:
        return None
    try:
        hours, minutes = value.split(":")[:2]
        return time(int(hours), int(minutes))
    except ValueError:
        raise DomainError(_("Write the time as hours:minutes, for example 14:00."), field=name) from None


def _attendee(meeting: Meeting, member_id: Any) -> Member:
    try:
        attendance = Attendance.objects.select_related("member").get(
            meeting=meeting, member_id=int(member_id)
        )
    except (Attendance.DoesNotExist, ValueError, TypeError):
        raise DomainError(_("This person is not on the attendance list of the meeting.")) from None
    return attendance.member


def set_attendance(
    *,
    actor: Any,
    meeting: Meeting,
    member_id: Any,
    status: str,
    reason: str = "",
    expected: str | None = None,
) -> Attendance:
    """Mark one member. Only members on the list (the cell's roster on the day) can be marked.

    The first marking of a row is not audited (it is read back and approved with the minutes);
    changing a status once set is, with the member, the old and the new status. ``expected``: the
    status the page showed when the change was made; if someone else has marked the member otherwise
    meanwhile, the change is refused (the autosave's conflict answer) rather than written over theirs."""
    require(actor, "meeting.record", meeting)
    if status not in Attendance.Status.values:
        raise DomainError(_("Choose how the member attended."), field="status")
    with transaction.atomic():
        meeting = locked(meeting)
        require_editable(meeting)
        try:
            attendance = Attendance.objects.select_related("member").get(
                meeting=meeting, member_id=int(member_id)
            )
        except (Attendance.DoesNotExist, ValueError, TypeError):
            raise DomainError(
                _("This person is not a member of the cell on the day of the meeting; they cannot be marked.")
            ) from None
        # Exempted and attached-elsewhere are standings from the roster, not choices: marking them
        # by hand would take a member out of the attendance rules and the vote's total.
        if status == rules.EXEMPTED and not attendance.exempted:
            raise DomainError(
                _("%(name)s is not exempted from activity; mark them present or absent.")
                % {"name": attendance.member.full_name}
            )
        if status == rules.ELSEWHERE and not attendance.attached_elsewhere:
            raise DomainError(
                _("%(name)s is not temporarily attached to another cell; mark them present or absent.")
                % {"name": attendance.member.full_name}
            )
        # Under a recorded vote, nothing may change who counts or who may vote (late or present may).
        if meeting.vote_recorded:
            before = attendance.voter()
            after = Attendance(
                member_id=attendance.member_id,
                status=status,
                full=attendance.full,
                attached_here=attendance.attached_here,
                exempted=attendance.exempted,
                attached_elsewhere=attendance.attached_elsewhere,
            ).voter()
            if before != after:
                raise InvalidTransition(
                    _(
                        "The vote is recorded on this attendance; "
                        "clear the vote before changing who was present."
                    )
                )
        if expected is not None and attendance.status not in (expected, status):
            raise InvalidTransition(
                _("%(name)s was marked “%(status)s” meanwhile by someone else; reload to see it.")
                % {"name": attendance.member.full_name, "status": attendance.get_status_display()}
            )
        previous = attendance.status
        attendance.status = status
        attendance.reason = (
            reason.strip()[:255] if status in (rules.EXCUSED, rules.SUSPENDED, rules.DETAINED) else ""
        )
        if status not in rules.ATTENDED:
            attendance.vote = ""
        attendance.save(update_fields=["status", "reason", "vote"])
        bump(meeting)
        # Taking the attendance (a blank row marked) is read back with the minutes; changing a status
        # once set is a decision about a person and is audited (docs/architecture.md).
        if previous and previous != status:
            log_action(
                actor,
                "meetings.attendance.changed",
                meeting,
                {
                    "member": attendance.member.full_name,
                    "old": str(Attendance.Status(previous).label),
                    "new": str(Attendance.Status(status).label),
                    "from": previous,
                    "to": status,
                },
            )
    return attendance


def mark_all_present(*, actor: Any, meeting: Meeting) -> int:
    """The common case in one tap: everyone not yet marked is present. Returns how many were marked."""
    require(actor, "meeting.record", meeting)
    with transaction.atomic():
        meeting = locked(meeting)
        require_editable(meeting)
        count = Attendance.objects.filter(meeting=meeting, status="").update(status=Attendance.Status.PRESENT)
        if count:
            bump(meeting)
            log_action(actor, "meetings.attendance.all_present", meeting, {"count": count})
    return count


def add_speech(
    *,
    actor: Any,
    meeting: Meeting,
    summary: str,
    member_id: Any = None,
    speaker_name: str = "",
    kind: str = Speech.Kind.SPEECH,
    client_id: Any = None,
) -> Speech:
    """Record a speech. Sending the same ``client_id`` again (a retry) returns the speech saved first."""
    require(actor, "meeting.record", meeting)
    summary = summary.strip()
    if not summary:
        raise DomainError(_("Write a short summary of what was said."), field="summary")
    if len(summary) > MAX_TEXT:
        raise DomainError(_("This text is too long."), field="summary")
    if kind not in Speech.Kind.values:
        raise DomainError(_("Choose the kind of speech."), field="kind")
    try:
        client = uuid.UUID(str(client_id)) if client_id else uuid.uuid4()
    except ValueError:
        raise DomainError(_("The form was damaged; reload the page.")) from None
    with transaction.atomic():
        meeting = locked(meeting)
        existing = Speech.objects.filter(meeting=meeting, client_id=client).first()
        if existing is not None:
            return existing
        require_editable(meeting)
        member = _attendee(meeting, member_id) if member_id else None
        if member is None and not speaker_name.strip():
            raise DomainError(_("Say who spoke."), field="member")
        speech = Speech.objects.create(
            meeting=meeting,
            member=member,
            speaker_name="" if member else speaker_name.strip()[:150],
            kind=kind,
            summary=summary,
            client_id=client,
        )
        bump(meeting)
    return speech


def delete_speech(*, actor: Any, speech: Speech) -> None:
    """Remove a speech recorded by mistake (audited: a speech is part of the record)."""
    meeting = speech.meeting
    require(actor, "meeting.record", meeting)
    with transaction.atomic():
        meeting = locked(meeting)
        require_editable(meeting)
        Speech.objects.filter(pk=speech.pk).delete()
        bump(meeting)
        log_action(actor, "meetings.speech.deleted", meeting, {"speaker": speech.speaker})
