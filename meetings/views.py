"""The meeting pages: a cell's meetings, one meeting, the meeting mode (the record typed on a phone during
the meeting), the minutes and the resolution. Thin views over meetings.services.

The meeting mode works without JavaScript (every part is a form); with it (static/chuyende/meeting.js)
text is saved as it is typed, kept on the phone while the connection is down and sent when it is back.
Requests from that script carry ``X-Requested-With: fetch`` and get JSON answers.
"""

import re
import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import pages
from core.audit import history
from core.errors import DomainError
from core.web import (
    action_form,
    attachment,
    deny_unless,
    form_errors,
    get_visible_or_404,
    run_service,
    submit_and_report,
)
from documents.files import issued_file
from documents.render import export
from meetings import documents, hooks, permissions, selectors, services
from meetings.forms import (
    MeetingForm,
    OpenRecordForm,
    ReasonForm,
    ResolutionForm,
    SpeechForm,
    TaskDoneForm,
    VoteForm,
    task_formset,
)
from meetings.models import Attendance, Meeting, Resolution, ResolutionTask, Speech
from organizations.models import Organization
from organizations.permissions import scope_for, visible_organizations
from planning.models import Session


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    return get_visible_or_404(
        permissions.visible_meetings(request.user).select_related(
            "cell__parent", "session", "chair", "minutes_secretary", "notice", "minutes_document"
        ),
        pk=pk,
    )


def _is_fetch(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _back(meeting: Meeting, anchor: str = "") -> HttpResponse:
    return redirect(reverse("meetings:record", args=[meeting.pk]) + (f"#{anchor}" if anchor else ""))


def _number(text: str) -> int | None:
    """A whole number typed in ASCII digits, else None ("²".isdigit() is true, int("²") fails)."""
    return int(text) if re.fullmatch(r"[0-9]{1,9}", text or "") else None


def _check_format(fmt: str) -> None:
    if fmt not in ("pdf", "docx"):
        raise Http404


# --- A cell's meetings ------------------------------------------------------------------------


def meeting_list(request: HttpRequest, cell_pk: int) -> HttpResponse:
    cell = get_visible_or_404(visible_organizations(request.user), pk=cell_pk, kind=Organization.Kind.CELL)
    meetings = list(
        permissions.visible_meetings(request.user)
        .filter(cell=cell)
        .select_related("session", "notice", "minutes_document")
        .order_by("-date", "-start_time")
    )
    return render(
        request,
        "meetings/list.html",
        {
            "cell": cell,
            "meetings": meetings,
            "can_create": permissions.can(request.user, "meeting.create", cell),
            "tasks": selectors.with_owners(selectors.open_tasks(cell.pk)),
            "today": timezone.localdate(),
        },
    )


def meeting_create(request: HttpRequest, cell_pk: int) -> HttpResponse:
    cell = get_visible_or_404(visible_organizations(request.user), pk=cell_pk, kind=Organization.Kind.CELL)
    deny_unless(request.user, "meeting.create", cell)
    sessions = selectors.sessions_for_meeting(cell)
    if request.method == "POST":
        form = MeetingForm(request.POST, sessions=sessions)
        if form.is_valid():
            data = form.cleaned_data
            meeting = run_service(
                form,
                lambda: services.create_meeting(
                    actor=request.user,
                    cell=cell,
                    kind=data["kind"],
                    date=data["date"],
                    start_time=data["start_time"],
                    place=data["place"],
                    session=data["session"],
                    with_notice=data["issue_notice"],
                ),
            )
            if meeting is not None:
                if data["issue_notice"]:
                    messages.success(
                        request, _("The meeting is planned and its notice was sent to the members.")
                    )
                else:
                    messages.success(
                        request, _("The meeting is planned. Issue its notice to tell the members.")
                    )
                return redirect("meetings:detail", meeting.pk)
    else:
        initial: dict[str, Any] = {
            "kind": Meeting.Kind.REGULAR,
            "place": cell.place and f"Phòng họp {cell.name}",
        }
        wanted = _number(request.GET.get("session", ""))
        session = sessions.filter(pk=wanted).first() if wanted is not None else None
        if session is not None:
            initial.update(
                kind=Meeting.Kind.COMBINED if session.combined_with_regular else Meeting.Kind.THEMATIC,
                session=session,
                date=session.planned_date,
                start_time=session.planned_time,
            )
        form = MeetingForm(initial=initial, sessions=sessions)
    return render(request, "meetings/create.html", {"cell": cell, "form": form})


# --- One meeting ------------------------------------------------------------------------------


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    # All of it is the meeting's cell's (kept rendered per viewer until a row of the cell changes).
    return pages.render(
        request,
        "meetings/detail.html",
        [f"cell:{meeting.cell_id}"],
        lambda: _detail_context(request, meeting),
    )


def _detail_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    manages = permissions.can(request.user, "meeting.manage", meeting)
    rows = selectors.attendances(meeting) if meeting.status != Meeting.Status.SCHEDULED else []
    context: dict[str, Any] = {
        "meeting": meeting,
        "manages": manages,
        "can_record": permissions.can(request.user, "meeting.record", meeting),
        "versions": list(meeting.minutes_versions.select_related("approved_by").order_by("-number")),
        "resolution": Resolution.objects.filter(meeting=meeting).select_related("document").first(),
        "rows": rows,
        "summary": selectors.summary(rows) if rows else None,
        "speeches": list(meeting.speeches.select_related("member")),
        "quality_label": selectors.quality_label(meeting),
        "shortfall": selectors.quality_shortfall(meeting),
        "basis": services.stored_basis(meeting),
        "history": history(meeting) if manages else [],
        "correct_form": ReasonForm(),
        # The meeting room's pages (room, through meetings.hooks).
        "room_links": hooks.meeting_links(request.user, meeting),
    }
    return context


@require_POST
def notice_issue(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    deny_unless(request.user, "meeting.manage", meeting)
    submit_and_report(
        request,
        action_form(),
        lambda data: services.issue_notice(actor=request.user, meeting=meeting),
        _("The notice was issued and the members were told."),
    )
    return redirect("meetings:detail", meeting.pk)


def notice_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    _check_format(fmt)
    meeting = _meeting(request, pk)
    name = f"thong-bao-{meeting.date:%Y-%m-%d}-{meeting.cell.name}"
    if meeting.notice is not None:
        return attachment(*issued_file(meeting.notice, fmt, name))
    deny_unless(request.user, "meeting.manage", meeting)
    return attachment(*export(documents.notice_frame(meeting), fmt, name))


@require_POST
def open_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the record. A meeting without a notice answers with the confirm step (a page with a box to
    tick, which posts here again); any other refusal goes back to the meeting page with its reason."""
    meeting = _meeting(request, pk)
    deny_unless(request.user, "meeting.record", meeting)
    form = OpenRecordForm(request.POST)
    confirmed = form.is_valid() and form.cleaned_data["confirmed_without_notice"]
    try:
        services.open_record(actor=request.user, meeting=meeting, confirmed_without_notice=confirmed)
    except services.NoticeMissing as missing:
        context = {
            "meeting": meeting,
            "form": form,
            "missing": missing.message,
            "manages": permissions.can(request.user, "meeting.manage", meeting),
        }
        return render(request, "meetings/open.html", context)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("meetings:detail", meeting.pk)
    messages.success(request, _("The record is open. Mark the attendance first."))
    return _back(meeting)


# --- Meeting mode -----------------------------------------------------------------------------


def _record_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    rows = selectors.attendances(meeting)
    rubric = selectors.rubric_for(meeting)
    summary = selectors.summary(rows)
    return {
        "meeting": meeting,
        "rows": rows,
        "summary": summary,
        "checks": selectors.checks(meeting, rows),
        "speeches": list(meeting.speeches.select_related("member")),
        "speech_form": SpeechForm(members=[a.member for a in rows], initial={"client_id": uuid.uuid4()}),
        "vote_form": VoteForm(
            initial={
                "mode": meeting.vote_mode or Meeting.VoteMode.COUNTS,
                "votes_for": meeting.votes_for,
                "against": meeting.votes_against,
                "other": meeting.votes_other,
            }
        ),
        "voters": [a for a in rows if services.may_vote(a)],
        "basis": services.stored_basis(meeting) or summary.basis,
        "rubric": rubric,
        "scores": meeting.quality_scores,
        "quality_label": selectors.quality_label(meeting),
        "shortfall": selectors.quality_shortfall(meeting),
        "problems": services.minutes_problems(meeting),
        "statuses": Attendance.Status.choices,
        "tasks": selectors.with_owners(selectors.open_tasks(meeting.cell_id)),
        "manages": permissions.can(request.user, "meeting.manage", meeting),
        "votes": Attendance.Vote.choices,
        # What the page shows, sent back with the plain "Save" so a change made meanwhile is caught.
        "bases": [
            (name, services.stored_text(meeting, name))
            for name in ("chair", "minutes_secretary", "start_time", "end_time", "place", "guests", "agenda")
        ],
    }


def _refused(request: HttpRequest, meeting: Meeting, section: str, form: forms.BaseForm) -> HttpResponse:
    """The record page again, with the refusal beside the form of ``section`` and every value typed
    kept (the form is bound to what was sent); the script scrolls to it, the browser focuses the first
    field of it without the script."""
    context = _record_context(request, meeting)
    context["refused"] = {"section": section, "message": form_errors(form)}
    typed = request.POST
    if section == "vote":
        context["vote_form"] = form
        context["vote_subject"] = typed.get("vote_subject", "")
        for attendance in context["voters"]:  # in memory only: what was chosen, not what is stored
            attendance.vote = typed.get(f"vote-{attendance.member_id}", "")
    elif section == "quality":
        context["scores"] = {c.code: typed.get(f"score-{c.code}", "") for c in context["rubric"].criteria}
    return render(request, "meetings/record.html", context, status=400)


def record(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    deny_unless(request.user, "meeting.record", meeting)
    if meeting.status == Meeting.Status.SCHEDULED:
        return redirect("meetings:detail", meeting.pk)
    if not meeting.is_editable:
        return redirect("meetings:detail", meeting.pk)
    return render(request, "meetings/record.html", _record_context(request, meeting))


def _live_parts(request: HttpRequest, meeting: Meeting) -> dict[str, str]:
    """The parts of the record page that depend on what was just saved, sent back to the script."""
    rows = selectors.attendances(meeting)
    summary = selectors.summary(rows)
    parts = {
        "summary": render_to_string(
            "meetings/_summary.html",
            {"meeting": meeting, "summary": summary, "checks": selectors.checks(meeting, rows)},
            request=request,
        ),
        "problems": _problems_html(request, meeting),
    }
    if not meeting.vote_recorded:
        parts["basis"] = render_to_string("meetings/_basis.html", {"basis": summary.basis}, request=request)
    return parts


def _problems_html(request: HttpRequest, meeting: Meeting) -> str:
    return render_to_string(
        "meetings/_problems.html",
        {
            "meeting": meeting,
            "problems": services.minutes_problems(meeting),
            "manages": permissions.can(request.user, "meeting.manage", meeting),
        },
        request=request,
    )


@require_POST
def save_field(request: HttpRequest, pk: int) -> HttpResponse:
    """Autosave of one field (JSON), or the whole "details" form without JavaScript."""
    meeting = _meeting(request, pk)
    deny_unless(request.user, "meeting.record", meeting)
    if _is_fetch(request):
        name = request.POST.get("name", "")
        try:
            meeting = services.save_field(
                actor=request.user,
                meeting=meeting,
                name=name,
                value=request.POST.get("value", ""),
                base=request.POST.get("base"),
            )
        except services.Conflict as conflict:
            return JsonResponse(
                {"ok": False, "error": str(conflict.message), "current": conflict.current}, status=409
            )
        except DomainError as error:
            return JsonResponse({"ok": False, "error": str(error.message)}, status=400)
        return JsonResponse(
            {"ok": True, "value": services.stored_text(meeting, name), **_live_parts(request, meeting)}
        )
    errors = []
    for name in services.RECORD_FIELDS:
        if name in request.POST:
            try:
                meeting = services.save_field(
                    actor=request.user,
                    meeting=meeting,
                    name=name,
                    value=request.POST.get(name, ""),
                    base=request.POST.get(f"base-{name}"),
                )
            except DomainError as error:
                errors.append(str(error.message))
    if errors:
        messages.error(request, " ".join(errors))
    else:
        messages.success(request, _("Saved."))
    return _back(meeting, request.POST.get("section", ""))


@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Attendance of one member (JSON for the script) or of the whole list (the form without script).

    Fields: ``status-<member id>`` and ``reason-<member id>``."""
    meeting = _meeting(request, pk)
    deny_unless(request.user, "meeting.record", meeting)
    errors = []
    for key in request.POST:
        status = request.POST.get(key, "")
        if not key.startswith("status-"):
            continue
        member_id = key.removeprefix("status-")
        if not status:
            continue
        try:
            services.set_attendance(
                actor=request.user,
                meeting=meeting,
                member_id=member_id,
                status=status,
                reason=request.POST.get(f"reason-{member_id}", ""),
                # What the page showed: a change over someone else's mark is refused.
                expected=request.POST.get(f"base-{member_id}"),
            )
        except DomainError as error:
            errors.append(str(error.message))
    if _is_fetch(request):
        if errors:
            return JsonResponse({"ok": False, "error": " ".join(errors)}, status=400)
        return JsonResponse({"ok": True, **_live_parts(request, meeting)})
    if errors:
        messages.error(request, " ".join(errors))
    else:
        messages.success(request, _("Attendance saved."))
    return _back(meeting, "attendance")


@require_POST
def all_present(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    deny_unless(request.user, "meeting.record", meeting)
    form = action_form()
    count = run_service(form, lambda: services.mark_all_present(actor=request.user, meeting=meeting))
    if count is None:
        messages.error(request, form_errors(form))
    else:
        messages.success(request, _("%(count)s members marked present.") % {"count": count})
    return _back(meeting, "attendance")


@require_POST
def speech_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    deny_unless(request.user, "meeting.record", meeting)
    rows = selectors.attendances(meeting)
    form = SpeechForm(request.POST, members=[a.member for a in rows])
    speech = None
    if form.is_valid():
        data = form.cleaned_data
        speech = run_service(
            form,
            lambda: services.add_speech(
                actor=request.user,
                meeting=meeting,
                member_id=data["member"],
                speaker_name=data["speaker_name"],
                kind=data["kind"],
                summary=data["summary"],
                client_id=data["client_id"],
            ),
        )
    if _is_fetch(request):
        if speech is None:
            return JsonResponse({"ok": False, "error": form_errors(form)}, status=400)
        return JsonResponse({"ok": True, "id": speech.pk})
    if speech is None:
        messages.error(request, form_errors(form))
    else:
        messages.success(request, _("Speech recorded."))
    return _back(meeting, "speeches")


@require_POST
def speech_delete(request: HttpRequest, pk: int) -> HttpResponse:
    speech = get_visible_or_404(
        Speech.objects.filter(meeting__in=permissions.visible_meetings(request.user)).select_related(
            "meeting"
        ),
        pk=pk,
    )
    deny_unless(request.user, "meeting.record", speech.meeting)
    form = action_form()
    if run_service(form, lambda: _delete(request, speech)) is None:
        messages.error(request, form_errors(form))
    else:
        messages.success(request, _("Speech removed."))
    return _back(speech.meeting, "speeches")


def _delete(request: HttpRequest, speech: Speech) -> bool:
    services.delete_speech(actor=request.user, speech=speech)
    return True


@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    deny_unless(request.user, "meeting.record", meeting)
    form = VoteForm(request.POST)
    result = None
    if form.is_valid():
        data = form.cleaned_data
        named = {
            number: request.POST.get(key, "")
            for key in request.POST
            if key.startswith("vote-") and (number := _number(key.removeprefix("vote-"))) is not None
        }
        result = run_service(
            form,
            lambda: services.record_vote(
                actor=request.user,
                meeting=meeting,
                mode=data["mode"],
                votes_for=data["votes_for"],
                against=data["against"],
                other=data["other"],
                named=named,
                subject=request.POST.get("vote_subject"),
                first=True,  # the page's form is drawn only while no vote is recorded
            ),
        )
    if result is None:
        return _refused(request, meeting, "vote", form)
    if result.passed:
        messages.success(
            request,
            _("Passed: %(for)s for, at least %(needed)s of %(total)s needed.")
            % {"for": result.votes_for, "needed": result.basis.needed, "total": result.basis.adjusted_total},
        )
    else:
        messages.warning(
            request,
            _("Not passed: %(for)s for, at least %(needed)s of %(total)s needed.")
            % {"for": result.votes_for, "needed": result.basis.needed, "total": result.basis.adjusted_total},
        )
    return _back(meeting, "vote")


@require_POST
def vote_clear(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    deny_unless(request.user, "meeting.record", meeting)
    submit_and_report(
        request,
        action_form(),
        lambda data: services.clear_vote(actor=request.user, meeting=meeting),
        _("The vote was cleared."),
    )
    return _back(meeting, "vote")


@require_POST
def quality(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    deny_unless(request.user, "meeting.manage", meeting)
    rubric = selectors.rubric_for(meeting)
    form = action_form()
    scores: dict[str, int] = {}
    for criterion in rubric.criteria:
        raw = request.POST.get(f"score-{criterion.code}", "").strip() or "0"
        try:
            scores[criterion.code] = int(raw)
        except ValueError:
            form.add_error(None, _("“%(criterion)s”: write a whole number.") % {"criterion": criterion.label})
    assessment = None
    if not form.errors:
        assessment = run_service(
            form, lambda: services.score_quality(actor=request.user, meeting=meeting, scores=scores)
        )
    if assessment is None:
        return _refused(request, meeting, "quality", form)
    messages.success(
        request,
        _("Quality level: %(level)s (%(score)s points).")
        % {"level": assessment.level.label, "score": assessment.score},
    )
    return _back(meeting, "quality")


@require_POST
def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    deny_unless(request.user, "minutes.approve", meeting)
    if submit_and_report(
        request,
        action_form(),
        lambda data: services.approve_minutes(actor=request.user, meeting=meeting),
        _("The minutes are approved and locked."),
    ):
        return redirect("meetings:detail", meeting.pk)
    return _back(meeting, "approve") if meeting.is_editable else redirect("meetings:detail", meeting.pk)


@require_POST
def minutes_correct(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    deny_unless(request.user, "minutes.correct", meeting)
    if submit_and_report(
        request,
        ReasonForm(request.POST),
        lambda data: services.start_correction(actor=request.user, meeting=meeting, reason=data["reason"]),
        _("The minutes are open for correction; approving them again makes a new version."),
    ):
        return _back(meeting)
    return redirect("meetings:detail", meeting.pk)


def minutes_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """An approved version (``?v=``, the newest by default), or a preview of the open record for
    those who write it."""
    _check_format(fmt)
    meeting = _meeting(request, pk)
    versions = meeting.minutes_versions.order_by("-number")
    raw = request.GET.get("v", "")
    wanted = _number(raw)
    if raw and wanted is None:
        raise Http404
    version = versions.filter(number=wanted).first() if wanted is not None else versions.first()
    if wanted is not None and version is None:
        raise Http404
    if version is None or (meeting.is_editable and not wanted):
        deny_unless(request.user, "meeting.record", meeting)
        if meeting.status == Meeting.Status.SCHEDULED:
            raise Http404
        name = f"bien-ban-{meeting.date:%Y-%m-%d}-{meeting.cell.name}-du-thao"
        return attachment(*export(documents.minutes_frame(meeting), fmt, name))
    name = f"bien-ban-{meeting.date:%Y-%m-%d}-{meeting.cell.name}-v{version.number}"
    if meeting.minutes_document is None:  # approved before minutes were numbered: nothing stored
        return attachment(*export(version.frame, fmt, name))
    # A correction keeps the number: its text is the next stored version of the same document.
    return attachment(
        *issued_file(meeting.minutes_document, fmt, name, version=version.number, frame=version.frame)
    )


# --- Resolution -------------------------------------------------------------------------------


def resolution(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    if meeting.session is None:
        raise Http404
    current = (
        permissions.visible_resolutions(request.user)
        .filter(meeting=meeting)
        .select_related("document")
        .first()
    )
    may_issue = permissions.can(request.user, "resolution.issue", meeting)
    editable = permissions.may_write_resolution(request.user, meeting, current)
    if current is None and not editable:
        raise Http404
    errors: list[str] = []
    members = services.task_owner_choices(meeting) if editable else []
    if request.method == "POST":
        deny_unless(request.user, "resolution.issue", meeting)
        form = ResolutionForm(request.POST)
        task_forms = task_formset(request.POST, members=members)
        if form.is_valid() and task_forms.is_valid():
            data = form.cleaned_data
            tasks = task_forms.tasks()
            saved = run_service(
                form,
                lambda: services.save_resolution(
                    actor=request.user,
                    meeting=meeting,
                    kind=data["kind"],
                    results=data["results"],
                    shortcomings=data["shortcomings"],
                    implementation=data["implementation"],
                    tasks=tasks,
                ),
            )
            if saved is not None:
                # Saved either way; issuing is the next step, refused with its reason if not yet.
                issued = bool(request.POST.get("and_issue")) and submit_and_report(
                    request,
                    action_form(),
                    lambda _data: services.issue_resolution(actor=request.user, meeting=meeting),
                    _("The resolution was issued and sent to the members with the final text."),
                )
                if not issued:
                    messages.success(request, _("The resolution was saved."))
                return redirect("meetings:resolution", meeting.pk)
        errors += [str(e) for e in form.non_field_errors()]
        errors += [str(e) for e in task_forms.non_form_errors()]
    else:
        form = ResolutionForm(
            initial={
                "kind": current.kind if current else Resolution.Kind.RESOLUTION,
                "results": current.results if current else "",
                "shortcomings": current.shortcomings if current else "",
                "implementation": current.implementation if current else "",
            }
        )
        initial = [
            {"description": t.description, "owners": [o.pk for o in t.owners.all()], "deadline": t.deadline}
            for t in (current.tasks.prefetch_related("owners") if current else [])
        ]
        task_forms = task_formset(members=members, initial=initial, extra=1 if editable else 0)
    scope_member = scope_for(request.user).member_id
    tasks = list(current.tasks.prefetch_related("owners")) if current is not None else []
    for task in tasks:
        task.can_done = may_issue or scope_member in {o.pk for o in task.owners.all()}
    return render(
        request,
        "meetings/resolution.html",
        {
            "meeting": meeting,
            "resolution": current,
            "form": form,
            "errors": errors,
            "editable": editable,
            "task_forms": task_forms,
            "can_save_and_issue": editable and meeting.session.status == Session.Status.FINAL_APPROVED,
            "session": meeting.session,
            "final_version": services.final_text(meeting.session),
            "me": scope_member,
            "tasks": tasks,
            "manages": may_issue,
        },
    )


@require_POST
def resolution_issue(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    deny_unless(request.user, "resolution.issue", meeting)
    submit_and_report(
        request,
        action_form(),
        lambda data: services.issue_resolution(actor=request.user, meeting=meeting),
        _("The resolution was issued and sent to the members with the final text."),
    )
    return redirect("meetings:resolution", meeting.pk)


def resolution_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    _check_format(fmt)
    meeting = _meeting(request, pk)
    current = get_visible_or_404(Resolution.objects.select_related("document"), meeting=meeting)
    name = f"nghi-quyet-{meeting.date:%Y-%m-%d}-{meeting.cell.name}"
    if current.document is not None:
        return attachment(*issued_file(current.document, fmt, name))
    deny_unless(request.user, "resolution.issue", meeting)
    return attachment(*export(documents.resolution_frame(current), fmt, name))


@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_visible_or_404(
        ResolutionTask.objects.filter(resolution__meeting__in=permissions.visible_meetings(request.user))
        .select_related("resolution__meeting")
        .prefetch_related("owners"),
        pk=pk,
    )
    deny_unless(request.user, "task.complete", task)
    submit_and_report(
        request,
        TaskDoneForm(request.POST),
        lambda data: services.complete_task(actor=request.user, task=task, note=data["note"]),
        _("The task is marked done."),
    )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("meetings:resolution", args=[task.resolution.meeting_id])
    return redirect(target)
