"""The quality level of a meeting and its minutes (Biên bản, BB): what they still need, their
approval (numbered, frozen as a version, the record locked) and corrections."""

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import log_action
from core.errors import DomainError, InvalidTransition
from core.permissions import require
from documents.services import issue_document
from meetings import rules, selectors
from meetings.models import Meeting, MinutesVersion, Speech
from meetings.services.common import bump, locked, require_editable, user_of
from notifications.kinds import Kind
from notifications.services import notify_members, site_text
from notifications.webhooks import emit
from organizations.selectors import vietnamese_name_key
from planning import lifecycle

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
        meeting = locked(meeting)
        require_editable(meeting)
        meeting.quality_scores = {c.code: int(scores.get(c.code, 0)) for c in rubric.criteria}
        meeting.quality_score = assessment.score
        meeting.quality_level = assessment.level.code
        bump(meeting, "quality_scores", "quality_score", "quality_level")
        log_action(
            actor,
            "meetings.quality.scored",
            meeting,
            {"level": assessment.level.label, "score": assessment.score},
        )
    return assessment


# --- Minutes ----------------------------------------------------------------------------------


def minutes_problems(meeting: Meeting) -> list[str]:
    """What must be filled in before the minutes can be approved (empty when ready), and the end of
    the meeting when it is still to come."""
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
    ends_at = meeting.ends_at
    if ends_at is None:
        problems.append(str(_("Record the time the meeting ended.")))
    elif timezone.now() < ends_at:
        # The minutes are read back and approved as the meeting closes, not before its recorded end.
        problems.append(
            str(
                _(
                    "The meeting ends at %(time)s on %(date)s: the minutes are approved after that. "
                    "If it is ending now, correct the end time."
                )
                % {"time": ends_at.strftime("%H:%M"), "date": meeting.date.strftime("%d/%m/%Y")}
            )
        )
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
        meeting = locked(meeting)
        if meeting.status == Meeting.Status.APPROVED:
            raise InvalidTransition(_("These minutes are already approved."))
        require_editable(meeting)
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
            approved_by=user_of(actor),
        )
        meeting.status = Meeting.Status.APPROVED
        meeting.correction_reason = ""
        bump(meeting, "status", "minutes_document", "correction_reason")
        if meeting.session is not None and lifecycle.can_take(meeting.session.status, "hold"):
            lifecycle.advance(
                meeting.session,
                "hold",
                actor=actor,
                on=meeting,
                data={"date": meeting.date.strftime("%d/%m/%Y")},
            )
        log_action(actor, "meetings.minutes.approved", meeting, {"number": number})
        emit(
            "minutes.approved",
            meeting.cell,
            {
                "id": meeting.pk,
                "kind": "meeting",
                "title": meeting,
                "url": reverse("meetings:detail", args=[meeting.pk]),
                "year": meeting.date.year,
                "quarter": (meeting.date.month + 2) // 3,
            },
        )
        if meeting.session is not None and number == 1:
            notify_members(
                kind=Kind.DRAFT_REVIEW,
                members=meeting.session.presenters.all(),
                title=site_text(_("Revise the text: %(title)s"), {"title": meeting.session.title}),
                body=site_text(_("The meeting is over. Answer the comments and upload the final text.")),
                url=reverse("drafts:workspace", args=[meeting.session_id]),
                work_key=lifecycle.step_key(meeting.session, "start_revising"),
            )
    return version


def start_correction(*, actor: Any, meeting: Meeting, reason: str) -> Meeting:
    """Re-open approved minutes to correct them; approving again adds a version, the old one kept."""
    require(actor, "minutes.correct", meeting)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the minutes are corrected."), field="reason")
    with transaction.atomic():
        meeting = locked(meeting)
        if meeting.status != Meeting.Status.APPROVED:
            raise InvalidTransition(_("Only approved minutes are corrected; these can still be edited."))
        meeting.status = Meeting.Status.CORRECTING
        meeting.correction_reason = reason[:500]
        bump(meeting, "status", "correction_reason")
        log_action(actor, "meetings.minutes.correcting", meeting, {"reason": reason})
    return meeting
