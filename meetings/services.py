"""Every change to a meeting: planning it, the notice, the record, the vote, the minutes, the resolution.

Each function checks permission and state, validates everything first, writes in one transaction,
logs one audit entry and notifies after commit. The meeting row is locked for every change, so two
phones recording the same meeting queue up; text fields saved from a phone carry the value the phone
started from (``base``), and a change made meanwhile by someone else is reported instead of
overwritten.
"""

import uuid
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import log_action
from core.errors import DomainError, InvalidTransition
from core.permissions import require
from documents.services import issue_document
from drafts.models import DraftVersion
from drafts.services import recipients_of
from meetings import rules, selectors
from meetings.models import Attendance, Meeting, MinutesVersion, Resolution, ResolutionTask, Speech
from notifications.services import notify_members, site_text
from organizations.models import Member, Membership
from organizations.selectors import cell_members, cell_roster, vietnamese_name_key
from planning import lifecycle
from planning.models import Session

# Text fields of the record a phone saves one at a time (autosave).
RECORD_TEXT_FIELDS = ("guests", "agenda", "conclusion", "vote_subject", "place")
RECORD_FIELDS = (*RECORD_TEXT_FIELDS, "chair", "minutes_secretary", "start_time", "end_time")
MAX_TEXT = 20000


def _locked(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("cell__parent", "session", "chair", "minutes_secretary")
        .get(pk=meeting.pk)
    )


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _require_editable(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.SCHEDULED:
        raise InvalidTransition(_("Open the meeting record first."))
    if not meeting.is_editable:
        raise InvalidTransition(
            _("The minutes are approved and locked. To change them, start a correction with its reason.")
        )


def _bump(meeting: Meeting, *fields: str) -> None:
    meeting.revision += 1
    meeting.save(update_fields=[*fields, "revision"])


# --- Planning the meeting and its notice -------------------------------------------------------


# The agenda is part of the notice and the minutes, official documents written in Vietnamese whatever
# language the secretary uses the application in; the default items are therefore not translated.
AGENDA_REGULAR = "Kiểm điểm việc thực hiện nhiệm vụ tháng; phương hướng, nhiệm vụ tháng tới"
AGENDA_TASKS = "Kiểm điểm việc thực hiện các nhiệm vụ theo nghị quyết ({count} nhiệm vụ chưa hoàn thành)"
AGENDA_SESSION = "Sinh hoạt chuyên đề: {title}"
AGENDA_CLOSING = "Thảo luận, kết luận của chủ trì và biểu quyết"


def default_agenda(kind: str, session: Session | None, open_tasks: int) -> str:
    """The usual order of business (HD 12 §II.1.2), with the follow-up of open tasks when there are any."""
    items = []
    if kind in (Meeting.Kind.REGULAR, Meeting.Kind.COMBINED):
        items.append(AGENDA_REGULAR)
    if open_tasks:
        items.append(AGENDA_TASKS.format(count=open_tasks))
    if session is not None:
        items.append(AGENDA_SESSION.format(title=session.title))
        items.append(AGENDA_CLOSING)
    return "\n".join(items)


def create_meeting(
    *,
    actor: Any,
    cell: Any,
    kind: str,
    date: date,
    start_time: time,
    place: str,
    session: Session | None = None,
    agenda: str | None = None,
) -> Meeting:
    """Plan a meeting of ``cell``; a thematic or combined one belongs to a session of the cell's plan."""
    require(actor, "meeting.create", cell)
    if kind not in Meeting.Kind.values:
        raise DomainError(_("Choose the kind of meeting."), field="kind")
    place = place.strip()
    if not place:
        raise DomainError(_("Say where the meeting takes place."), field="place")
    if kind == Meeting.Kind.REGULAR:
        session = None
    elif session is None:
        raise DomainError(_("Choose the thematic session held at this meeting."), field="session")
    elif session.cell_id != cell.pk:
        raise DomainError(_("This session belongs to another cell."), field="session")
    elif session.status == Session.Status.CANCELLED:
        raise DomainError(_("This session was cancelled."), field="session")
    with transaction.atomic():
        if session is not None:
            session = Session.objects.select_for_update(of=("self",)).get(pk=session.pk)
            if Meeting.objects.filter(session=session).exists():
                raise DomainError(_("This session already has its meeting."), field="session")
        if Meeting.objects.filter(cell=cell, date=date, start_time=start_time).exists():
            # Also what a form sent twice meets: the first one made the meeting.
            raise DomainError(_("This cell already has a meeting at this time."), field="date")
        if agenda is None:
            agenda = default_agenda(kind, session, selectors.open_tasks(cell.pk).count())
        meeting = Meeting.objects.create(
            cell=cell,
            kind=kind,
            session=session,
            date=date,
            start_time=start_time,
            place=place,
            agenda=agenda.strip(),
        )
        log_action(actor, "meetings.meeting.created", meeting, {"date": date.strftime("%d/%m/%Y")})
    return meeting


def issue_notice(*, actor: Any, meeting: Meeting, issued_on: date | None = None) -> Any:
    """Issue the meeting notice (Thông báo, numbered TB) and tell every member of the cell.
    ``issued_on`` (today by default) is for records of meetings already past."""
    from meetings.documents import notice_frame

    require(actor, "meeting.manage", meeting)
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.status != Meeting.Status.SCHEDULED:
            raise InvalidTransition(_("The meeting has already started; a notice is sent before it."))
        if meeting.notice_id is not None:
            raise InvalidTransition(_("The notice of this meeting was already issued."))
        document = issue_document(
            actor=actor,
            organization=meeting.cell,
            doc_type="TB",
            frame=notice_frame(meeting),
            source=meeting,
            issued_on=issued_on,
        )
        meeting.notice = document
        meeting.save(update_fields=["notice"])
        log_action(actor, "meetings.notice.issued", meeting, {"symbol": document.symbol})
        members = cell_members(
            meeting.cell, meeting.date, exempted=False, attached_here=True, attached_elsewhere=True
        )
        notify_members(
            members=members,
            title=site_text(_("Meeting on %(date)s"), {"date": meeting.date.strftime("%d/%m/%Y")}),
            body=site_text(
                _("%(kind)s at %(time)s, %(place)s."),
                {
                    "kind": Meeting.Kind(meeting.kind).label,
                    "time": meeting.start_time.strftime("%H:%M"),
                    "place": meeting.place,
                },
            ),
            url=reverse("meetings:detail", args=[meeting.pk]),
        )
    return document


# --- The record -----------------------------------------------------------------------------


def open_record(*, actor: Any, meeting: Meeting) -> Meeting:
    """Start recording: the attendance list is made from the cell's roster on the meeting's date.

    Exempted members and members attached to another cell start with that status; everyone else is
    to be marked. A thematic session is held on an approved, distributed draft (HD 12)."""
    require(actor, "meeting.record", meeting)
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.status != Meeting.Status.SCHEDULED:
            raise InvalidTransition(_("The record of this meeting is already open."))
        if meeting.session is not None and meeting.session.status != Session.Status.DISTRIBUTED:
            raise InvalidTransition(
                _(
                    "The session's draft must be approved and sent to the members before the meeting "
                    "(it is “%(status)s”)."
                )
                % {"status": meeting.session.get_status_display()}
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
        _bump(meeting, "status", "chair")
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
    value = getattr(meeting, f"{name}_id" if name in ("chair", "minutes_secretary") else name)
    if value is None:
        return ""
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


def _norm(text: str) -> str:
    """Text as stored: Unix line ends, no surrounding spaces (a browser sends "\r\n")."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def save_field(*, actor: Any, meeting: Meeting, name: str, value: str, base: str | None = None) -> Meeting:
    """Save one field of the record as it is typed. ``base`` is the value the phone started from:
    when someone else has changed the field since, nothing is written and :class:`Conflict` says so.
    Texts are compared as stored (line ends and surrounding spaces do not make a conflict). Who
    chairs and who writes the minutes is decided by the secretaries."""
    require(actor, "meeting.record", meeting)
    if name not in RECORD_FIELDS:
        raise DomainError(_("Unknown field."))
    if name in ("chair", "minutes_secretary"):
        require(actor, "meeting.manage", meeting)
    value = _norm(value)
    if len(value) > MAX_TEXT:
        raise DomainError(_("This text is too long."), field=name)
    with transaction.atomic():
        meeting = _locked(meeting)
        _require_editable(meeting)
        current = stored_text(meeting, name)
        if base is not None and current != _norm(base) and current != value:
            raise Conflict(
                _("Someone else changed this field meanwhile; their text is shown, yours was not saved."),
                field=name,
                current=current,
            )
        if current == value:
            return meeting
        if name in ("chair", "minutes_secretary"):
            member = _attendee(meeting, value) if value else None
            setattr(meeting, name, member)
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
        _bump(meeting, name)
    return meeting


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
    *, actor: Any, meeting: Meeting, member_id: Any, status: str, reason: str = ""
) -> Attendance:
    """Mark one member. Only members on the list (the cell's roster on the day) can be marked."""
    require(actor, "meeting.record", meeting)
    if status not in Attendance.Status.values:
        raise DomainError(_("Choose how the member attended."), field="status")
    with transaction.atomic():
        meeting = _locked(meeting)
        _require_editable(meeting)
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
        attendance.status = status
        attendance.reason = (
            reason.strip()[:255] if status in (rules.EXCUSED, rules.SUSPENDED, rules.DETAINED) else ""
        )
        if status not in rules.ATTENDED:
            attendance.vote = ""
        attendance.save(update_fields=["status", "reason", "vote"])
        _bump(meeting)
    return attendance


def mark_all_present(*, actor: Any, meeting: Meeting) -> int:
    """The common case in one tap: everyone not yet marked is present. Returns how many were marked."""
    require(actor, "meeting.record", meeting)
    with transaction.atomic():
        meeting = _locked(meeting)
        _require_editable(meeting)
        count = Attendance.objects.filter(meeting=meeting, status="").update(status=Attendance.Status.PRESENT)
        if count:
            _bump(meeting)
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
        meeting = _locked(meeting)
        existing = Speech.objects.filter(meeting=meeting, client_id=client).first()
        if existing is not None:
            return existing
        _require_editable(meeting)
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
        _bump(meeting)
    return speech


def delete_speech(*, actor: Any, speech: Speech) -> None:
    meeting = speech.meeting
    require(actor, "meeting.record", meeting)
    with transaction.atomic():
        meeting = _locked(meeting)
        _require_editable(meeting)
        Speech.objects.filter(pk=speech.pk).delete()
        _bump(meeting)
        log_action(actor, "meetings.speech.deleted", meeting, {"speaker": speech.speaker})


# --- The vote ---------------------------------------------------------------------------------


def record_vote(
    *,
    actor: Any,
    meeting: Meeting,
    mode: str,
    votes_for: int | None = None,
    against: int | None = None,
    other: int | None = None,
    named: dict[int, str] | None = None,
    subject: str | None = None,
) -> rules.VoteResult:
    """Record the vote, by counts or member by member, against the adjusted total (docs/domain.md §3).

    Refused before every member's attendance is marked (the total depends on it), and when the counts
    exceed the full members present who may vote."""
    require(actor, "meeting.record", meeting)
    if mode not in Meeting.VoteMode.values:
        raise DomainError(_("Choose how the vote was taken."), field="mode")
    with transaction.atomic():
        meeting = _locked(meeting)
        _require_editable(meeting)
        _refuse_under_issued_resolution(meeting)
        attendances = list(meeting.attendances.select_related("member"))
        missing = [a.member.full_name for a in attendances if not a.status]
        if missing:
            raise InvalidTransition(
                _("Mark the attendance of every member before the vote: %(names)s.")
                % {"names": ", ".join(sorted(missing, key=vietnamese_name_key))}
            )
        basis = rules.vote_basis(a.voter() for a in attendances)
        if mode == Meeting.VoteMode.NAMED:
            named = {int(k): v for k, v in (named or {}).items() if v}
            if not named:
                raise DomainError(_("Choose the vote of each member who voted."))
            allowed = {a.member_id for a in attendances if may_vote(a)}
            strangers = set(named) - allowed
            if strangers:
                names = [a.member.full_name for a in attendances if a.member_id in strangers]
                raise DomainError(
                    _("Only full members present may vote: %(names)s cannot.")
                    % {"names": ", ".join(names) or str(len(strangers))}
                )
            if any(v not in Attendance.Vote.values for v in named.values()):
                raise DomainError(_("Choose for, against or other opinion."))
            votes_for = sum(1 for v in named.values() if v == Attendance.Vote.FOR)
            against = sum(1 for v in named.values() if v == Attendance.Vote.AGAINST)
            other = sum(1 for v in named.values() if v == Attendance.Vote.OTHER)
        if votes_for is None or against is None or other is None:
            raise DomainError(_("Enter the three counts (write 0 where nobody voted so)."))
        try:
            result = rules.tally(basis, votes_for=votes_for, against=against, other=other)
        except rules.InvalidCount as error:
            raise DomainError(str(error)) from None
        if mode == Meeting.VoteMode.NAMED:
            for attendance in attendances:
                attendance.vote = named.get(attendance.member_id, "") if named else ""
            Attendance.objects.bulk_update(attendances, ["vote"])
        else:
            meeting.attendances.exclude(vote="").update(vote="")
        meeting.vote_mode = mode
        meeting.votes_for, meeting.votes_against, meeting.votes_other = votes_for, against, other
        meeting.vote_basis = {
            "full_members": basis.full_members,
            "attached_elsewhere": basis.attached_elsewhere,
            "exempted_absent": basis.exempted_absent,
            "suspended": basis.suspended,
            "detained": basis.detained,
            "adjusted_total": basis.adjusted_total,
            "needed": basis.needed,
            "eligible_present": basis.eligible_present,
        }
        meeting.vote_passed = result.passed
        if subject is not None:
            meeting.vote_subject = _norm(subject)[:300]
        _bump(
            meeting,
            "vote_mode",
            "votes_for",
            "votes_against",
            "votes_other",
            "vote_basis",
            "vote_passed",
            "vote_subject",
        )
        log_action(
            actor,
            "meetings.vote.recorded",
            meeting,
            {"for": votes_for, "total": basis.adjusted_total, "needed": basis.needed},
        )
    return result


def _refuse_under_issued_resolution(meeting: Meeting) -> None:
    if Resolution.objects.filter(meeting=meeting, issued_at__isnull=False).exists():
        raise InvalidTransition(
            _("The resolution was issued on this vote; the vote can no longer be changed.")
        )


def may_vote(attendance: Attendance) -> bool:
    """A full member of this cell, in the room, not attached elsewhere, suspended or detained."""
    voter = attendance.voter()
    return (
        voter.full and voter.present and not (voter.attached_elsewhere or voter.suspended or voter.detained)
    )


def clear_vote(*, actor: Any, meeting: Meeting) -> None:
    """Take the vote back (to correct the attendance it stood on)."""
    require(actor, "meeting.record", meeting)
    with transaction.atomic():
        meeting = _locked(meeting)
        _require_editable(meeting)
        _refuse_under_issued_resolution(meeting)
        meeting.attendances.exclude(vote="").update(vote="")
        meeting.vote_mode, meeting.vote_basis, meeting.vote_passed = "", None, None
        meeting.votes_for = meeting.votes_against = meeting.votes_other = None
        _bump(meeting, "vote_mode", "vote_basis", "vote_passed", "votes_for", "votes_against", "votes_other")
        log_action(actor, "meetings.vote.cleared", meeting)


def stored_basis(meeting: Meeting) -> rules.VoteBasis | None:
    return rules.VoteBasis(**meeting.vote_basis) if meeting.vote_basis else None


# --- Quality ----------------------------------------------------------------------------------


def score_quality(*, actor: Any, meeting: Meeting, scores: dict[str, int]) -> rules.Assessment:
    """Give points per criterion of the rule set's rubric; the level is computed and stored. The
    secretaries assess the meeting (not the minutes secretary)."""
    require(actor, "meeting.manage", meeting)
    rubric = selectors.rubric_for(meeting)
    try:
        assessment = rules.assess(rubric, scores)
    except rules.InvalidCount as error:
        raise DomainError(str(error)) from None
    except ValueError:
        raise DomainError(_("These criteria are not in the rule set's rubric.")) from None
    with transaction.atomic():
        meeting = _locked(meeting)
        _require_editable(meeting)
        meeting.quality_scores = {c.code: int(scores.get(c.code, 0)) for c in rubric.criteria}
        meeting.quality_score = assessment.score
        meeting.quality_level = assessment.level.code
        _bump(meeting, "quality_scores", "quality_score", "quality_level")
        log_action(
            actor,
            "meetings.quality.scored",
            meeting,
            {"level": assessment.level.label, "score": assessment.score},
        )
    return assessment


# --- Minutes ----------------------------------------------------------------------------------


def minutes_problems(meeting: Meeting) -> list[str]:
    """What must be filled in before the minutes can be approved (empty when ready)."""
    problems: list[str] = []
    attendances = list(meeting.attendances.select_related("member"))
    missing = [a.member.full_name for a in attendances if not a.status]
    if missing:
        problems.append(
            str(
                _("Mark the attendance of: %(names)s.")
                % {"names": ", ".join(sorted(missing, key=vietnamese_name_key))}
            )
        )
    no_reason = [a.member.full_name for a in attendances if a.status == rules.EXCUSED and not a.reason]
    if no_reason:
        problems.append(
            str(_("Write the reason of the absence of: %(names)s.") % {"names": ", ".join(no_reason)})
        )
    if meeting.chair_id is None:
        problems.append(str(_("Name the chair.")))
    if meeting.minutes_secretary_id is None:
        problems.append(str(_("Name the minutes secretary.")))
    if not meeting.agenda.strip():
        problems.append(str(_("Write the agenda.")))
    if meeting.end_time is None:
        problems.append(str(_("Record the time the meeting ended.")))
    if meeting.is_thematic:
        if not meeting.speeches.filter(kind=Speech.Kind.PRESENTATION).exists():
            problems.append(str(_("Record the presenter's presentation of the draft.")))
        if not meeting.conclusion.strip():
            problems.append(str(_("Write the chair's conclusion.")))
        if not meeting.vote_recorded:
            problems.append(str(_("Record the vote.")))
    return problems


def approve_minutes(*, actor: Any, meeting: Meeting) -> MinutesVersion:
    """Approve the minutes as read back at the end of the meeting: they are numbered (BB) the first
    time, frozen as a version, and the record is locked. The session is then held."""
    from meetings.documents import minutes_frame

    require(actor, "minutes.approve", meeting)
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.status == Meeting.Status.APPROVED:
            raise InvalidTransition(_("These minutes are already approved."))
        _require_editable(meeting)
        problems = minutes_problems(meeting)
        if problems:
            raise DomainError(" ".join(problems))
        frame = minutes_frame(meeting)
        number = (
            meeting.minutes_versions.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        if meeting.minutes_document is None:
            document = issue_document(
                actor=actor,
                organization=meeting.cell,
                doc_type="BB",
                frame=frame,
                source=meeting,
                issued_on=meeting.date,
            )
            meeting.minutes_document = document
            snapshot = document.snapshot
        else:
            document = meeting.minutes_document
            snapshot = (
                frame.issued(number=document.number, symbol=document.symbol, on=document.issued_on)
                .normalized()
                .to_dict()
            )
        version = MinutesVersion.objects.create(
            meeting=meeting,
            number=number,
            snapshot=snapshot,
            reason=meeting.correction_reason if number > 1 else "",
            approved_at=timezone.now(),
            approved_by=_user(actor),
        )
        meeting.status = Meeting.Status.APPROVED
        meeting.correction_reason = ""
        _bump(meeting, "status", "minutes_document", "correction_reason")
        if meeting.session is not None and lifecycle.can_take(meeting.session.status, "hold"):
            lifecycle.advance(
                meeting.session,
                "hold",
                actor=actor,
                on=meeting,
                data={"date": meeting.date.strftime("%d/%m/%Y")},
            )
        log_action(actor, "meetings.minutes.approved", meeting, {"number": number})
        if meeting.session is not None and number == 1:
            notify_members(
                members=meeting.session.presenters.all(),
                title=site_text(_("Revise the text: %(title)s"), {"title": meeting.session.title}),
                body=site_text(_("The meeting is over. Answer the comments and upload the final text.")),
                url=reverse("drafts:workspace", args=[meeting.session_id]),
            )
    return version


def start_correction(*, actor: Any, meeting: Meeting, reason: str) -> Meeting:
    """Re-open approved minutes to correct them; approving again adds a version, the old one kept."""
    require(actor, "minutes.correct", meeting)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the minutes are corrected."), field="reason")
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.status != Meeting.Status.APPROVED:
            raise InvalidTransition(_("Only approved minutes are corrected; these can still be edited."))
        meeting.status = Meeting.Status.CORRECTING
        meeting.correction_reason = reason[:500]
        _bump(meeting, "status", "correction_reason")
        log_action(actor, "meetings.minutes.correcting", meeting, {"reason": reason})
    return meeting


# --- Final text (after the meeting) -------------------------------------------------------------


def final_text(session: Session) -> DraftVersion | None:
    return session.draft_versions.filter(stage=DraftVersion.Stage.FINAL).order_by("-number").first()


# --- Resolution ---------------------------------------------------------------------------------


@dataclass
class TaskInput:
    description: str
    owner_ids: list[int]
    deadline: date | None


def task_owner_choices(meeting: Meeting) -> list[Member]:
    """Who may carry out a task of the meeting's resolution: the members of the cell now (they carry it
    out from now on), exempted ones and those attached here included."""
    return cell_members(meeting.cell, exempted=True, attached_here=True, attached_elsewhere=True)


def save_resolution(
    *,
    actor: Any,
    meeting: Meeting,
    kind: str,
    results: str,
    shortcomings: str,
    implementation: str,
    tasks: list[TaskInput],
) -> Resolution:
    """Write (or rewrite) the resolution before it is issued: sections I and III and the tasks of II.

    Every task needs a description, at least one owner who is a member of the cell and a deadline; all
    are checked before anything is written."""
    require(actor, "resolution.issue", meeting)
    if kind not in Resolution.Kind.values:
        raise DomainError(_("Choose resolution or conclusion."), field="kind")
    if meeting.session is None:
        raise InvalidTransition(_("Only a thematic session ends with a resolution."))
    members = {m.pk: m for m in task_owner_choices(meeting)}
    errors = []
    for index, task in enumerate(tasks, start=1):
        if not task.description.strip():
            errors.append(str(_("Task %(n)s: describe it.") % {"n": index}))
        if not task.owner_ids:
            errors.append(str(_("Task %(n)s: name who carries it out.") % {"n": index}))
        elif any(pk not in members for pk in task.owner_ids):
            errors.append(str(_("Task %(n)s: owners must be members of the cell.") % {"n": index}))
        if task.deadline is None:
            errors.append(str(_("Task %(n)s: give a deadline.") % {"n": index}))
    if errors:
        raise DomainError(" ".join(errors), field="tasks")
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.status != Meeting.Status.APPROVED:
            raise InvalidTransition(
                _("The resolution is written once the minutes of the meeting are approved.")
            )
        resolution, _created = Resolution.objects.select_for_update().get_or_create(meeting=meeting)
        if resolution.is_issued:
            raise InvalidTransition(_("The resolution is issued; it can no longer be changed."))
        resolution.kind = kind
        resolution.results = results.strip()
        resolution.shortcomings = shortcomings.strip()
        resolution.implementation = implementation.strip()
        resolution.revision += 1
        resolution.save()
        resolution.tasks.all().delete()
        for position, task in enumerate(tasks, start=1):
            row = ResolutionTask.objects.create(
                resolution=resolution,
                position=position,
                description=task.description.strip(),
                deadline=task.deadline or timezone.localdate(),
            )
            row.owners.set([members[pk] for pk in task.owner_ids])
        log_action(actor, "meetings.resolution.saved", meeting, {"count": len(tasks)})
    return resolution


def issue_resolution(*, actor: Any, meeting: Meeting, issued_on: date | None = None) -> Resolution:
    """Number and issue the resolution (NQ or KL, numbered per term), after the final text is approved.

    The members receive it with the final text for study; the Đảng ủy sees it on its pages."""
    from meetings.documents import resolution_frame

    require(actor, "resolution.issue", meeting)
    with transaction.atomic():
        meeting = _locked(meeting)
        session = (
            Session.objects.select_for_update(of=("self",)).get(pk=meeting.session_id)
            if meeting.session_id
            else None
        )
        resolution = Resolution.objects.select_for_update().filter(meeting=meeting).first()
        if resolution is None:
            raise InvalidTransition(_("Write the resolution first."))
        if resolution.is_issued:
            raise InvalidTransition(_("This resolution is already issued."))
        if meeting.status != Meeting.Status.APPROVED:
            raise InvalidTransition(
                _("The resolution is written once the minutes of the meeting are approved.")
            )
        if not meeting.vote_passed:
            raise InvalidTransition(
                _("The cell did not pass it: the votes for did not exceed half of the adjusted total.")
            )
        if session is None or session.status != Session.Status.FINAL_APPROVED:
            raise InvalidTransition(
                _("The resolution is issued after the final text is approved by the chi ủy or the secretary.")
            )
        if not resolution.results.strip():
            raise DomainError(_("Write section I: the results and shortcomings."))
        if resolution.kind == Resolution.Kind.RESOLUTION and not resolution.tasks.exists():
            raise DomainError(_("Section II needs at least one task with its owners and deadline."))
        document = issue_document(
            actor=actor,
            organization=meeting.cell,
            doc_type=resolution.kind,
            frame=resolution_frame(resolution),
            source=resolution,
            issued_on=issued_on,
        )
        resolution.document = document
        resolution.issued_at = timezone.now()
        resolution.save(update_fields=["document", "issued_at"])
        log_action(actor, "meetings.resolution.issued", meeting, {"symbol": document.symbol})
        lifecycle.advance(
            session, "issue_resolution", actor=actor, on=meeting, data={"symbol": document.symbol}
        )
        notify_members(
            members=recipients_of(session, include_exempted=True),
            title=site_text(
                _("%(symbol)s issued: %(title)s"), {"symbol": document.symbol, "title": session.title}
            ),
            body=site_text(_("The resolution and the final text of the session are ready for your study.")),
            url=reverse("meetings:resolution", args=[meeting.pk]),
        )
        owners = Member.objects.filter(resolution_tasks__resolution=resolution).distinct()
        notify_members(
            members=owners,
            title=site_text(_("Your task from %(symbol)s"), {"symbol": document.symbol}),
            body=site_text(
                _("You carry out a task of the resolution on “%(title)s”."), {"title": session.title}
            ),
            url=reverse("home:home"),
        )
    return resolution


def complete_task(*, actor: Any, task: ResolutionTask, note: str = "") -> ResolutionTask:
    """Mark a task done, with what was done."""
    require(actor, "task.complete", task)
    with transaction.atomic():
        task = (
            ResolutionTask.objects.select_for_update().select_related("resolution__meeting").get(pk=task.pk)
        )
        if task.is_done:
            raise InvalidTransition(_("This task is already done."))
        if not task.resolution.is_issued:
            raise InvalidTransition(_("The resolution is not issued yet."))
        task.done_at = timezone.now()
        task.done_note = note.strip()[:500]
        task.done_by = _user(actor)
        task.save(update_fields=["done_at", "done_note", "done_by"])
        log_action(actor, "meetings.task.done", task.resolution.meeting, {"task": task.description[:80]})
    return task
