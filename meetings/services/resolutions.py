"""The resolution (Nghị quyết, NQ, or conclusion, KL) that ends a thematic session: written once the
minutes are approved, issued after the final text is approved, and its tasks followed up."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import workkeys
from core.audit import log_action
from core.errors import DomainError, InvalidTransition
from core.permissions import require
from core.text import shorten
from documents.services import issue_document
from drafts.models import DraftVersion
from drafts.services import recipients_of
from meetings.models import Meeting, Resolution, ResolutionTask
from meetings.services.common import locked, user_of
from notifications.kinds import Kind
from notifications.services import notify_members, site_text
from notifications.webhooks import emit
from organizations.models import Member
from organizations.selectors import cell_members
from planning import lifecycle
from planning.models import Session

# --- Final text (after the meeting) -------------------------------------------------------------


def final_text(session: Session) -> DraftVersion | None:
    """The newest version of the session's final text (written after the meeting), if any."""
    return session.draft_versions.filter(stage=DraftVersion.Stage.FINAL).order_by("-number").first()


# --- Resolution ---------------------------------------------------------------------------------


@dataclass
class TaskInput:
    """One task of section II as the form sends it: what, who (member ids), by when."""

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
        meeting = locked(meeting)
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

    The members receive it with the final text for study; the Đảng ủy sees it on its pages.
    ``issued_on`` (today by default) is for records of meetings already past; it cannot come before
    the meeting."""
    from meetings.documents import resolution_frame

    require(actor, "resolution.issue", meeting)
    with transaction.atomic():
        meeting = locked(meeting)
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
        if (issued_on or timezone.localdate()) < meeting.date:
            raise DomainError(
                _("A resolution is issued on or after the day of its meeting (%(date)s).")
                % {"date": meeting.date.strftime("%d/%m/%Y")},
                field="issued_on",
            )
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
        emit(
            "resolution.issued",
            meeting.cell,
            {
                "id": resolution.pk,
                "kind": "resolution",
                "title": f"{document.symbol}: {session.title}",
                "url": reverse("meetings:resolution", args=[meeting.pk]),
                "year": meeting.date.year,
                "quarter": (meeting.date.month + 2) // 3,
            },
        )
        lifecycle.advance(
            session, "issue_resolution", actor=actor, on=meeting, data={"symbol": document.symbol}
        )
        notify_members(
            kind=Kind.RESOLUTION,
            members=recipients_of(session, include_exempted=True),
            title=site_text(
                _("%(symbol)s issued: %(title)s"), {"symbol": document.symbol, "title": session.title}
            ),
            body=site_text(_("The resolution and the final text of the session are ready for your study.")),
            url=reverse("meetings:resolution", args=[meeting.pk]),
        )
        # One notification per task, naming it and asking for it to be marked done when it is.
        for task in resolution.tasks.order_by("pk"):
            notify_members(
                kind=Kind.TASK,
                members=task.owners.all(),
                title=site_text(_("Your task from %(symbol)s"), {"symbol": document.symbol}),
                body=task.description,
                url=reverse("meetings:resolution", args=[meeting.pk]) + "#tasks",
                work_key=workkeys.task(task.pk),
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
        task.done_by = user_of(actor)
        task.save(update_fields=["done_at", "done_note", "done_by"])
        log_action(
            actor, "meetings.task.done", task.resolution.meeting, {"task": shorten(task.description, 80)}
        )
    return task
