"""Evaluation of a session, the cell's lessons, participation records and the year-end review."""

import re
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import jobs, pages
from core.web import action_form, attachment, deny_unless, form_errors, get_visible_or_404, run_service
from documents.files import issued_file
from documents.render import export
from evaluations import documents, participation, permissions, review, services
from evaluations.forms import EvaluationForm
from evaluations.models import ReviewProposal, SessionEvaluation
from organizations.models import Member, Organization
from organizations.permissions import visible_members, visible_organizations
from planning.permissions import visible_sessions


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("nam") or request.POST.get("nam") or ""
    if re.fullmatch(r"20[0-9]{2}", raw):
        return int(raw)
    return timezone.localdate().year


def _cell(request: HttpRequest, pk: int) -> Organization:
    return get_visible_or_404(visible_organizations(request.user), pk=pk, kind=Organization.Kind.CELL)


def _document(frame: Any, fmt: str, name: str) -> HttpResponse:
    if fmt not in ("pdf", "docx"):
        raise Http404
    return attachment(*export(frame, fmt, name))


# --- Evaluating a session ---------------------------------------------------------------------


def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_visible_or_404(visible_sessions(request.user).select_related("cell__parent", "plan"), pk=pk)
    deny_unless(request.user, "session.evaluate", session.cell)
    current = SessionEvaluation.objects.filter(session=session).first()
    if request.method == "POST":
        form = EvaluationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if run_service(
                form, lambda: services.evaluate_session(actor=request.user, session=session, **data)
            ):
                messages.success(request, _("The evaluation was saved; the presenter can read it."))
                return redirect("planning:session", session.pk)
    else:
        initial = (
            {
                "presenter_strengths": current.presenter_strengths,
                "presenter_weaknesses": current.presenter_weaknesses,
                "presenter_rating": current.presenter_rating,
                "result": current.result,
                "lessons": current.lessons,
            }
            if current
            else {}
        )
        form = EvaluationForm(initial=initial)
    if session.status not in services.EVALUABLE:
        messages.warning(request, _("A session is evaluated after its resolution is issued."))
    return render(
        request,
        "evaluations/evaluate.html",
        {"session": session, "form": form, "presenters": list(session.presenters.all())},
    )


def lessons(request: HttpRequest, cell_pk: int) -> HttpResponse:
    cell = _cell(request, cell_pk)
    deny_unless(request.user, "lessons.view", cell)
    evaluations = (
        SessionEvaluation.objects.filter(session__cell=cell)
        .exclude(lessons="")
        .select_related("session")
        .order_by("-session__planned_date")
    )
    return render(request, "evaluations/lessons.html", {"cell": cell, "evaluations": evaluations})


# --- Participation records --------------------------------------------------------------------


def record_page(request: HttpRequest, member_pk: int) -> HttpResponse:
    member = get_visible_or_404(visible_members(request.user), pk=member_pk)
    deny_unless(request.user, "record.view", member)
    year = _year(request)
    # The record is read from the member's rows (which bump member:<id>) and from the meetings,
    # sessions and drafts of every cell they have belonged to (cell:<id>).
    cells = set(member.memberships.values_list("organization_id", flat=True))
    return pages.render(
        request,
        "evaluations/record.html",
        [f"member:{member.pk}", *(f"cell:{pk}" for pk in cells)],
        lambda: _record_context(request, member, year),
    )


def _record_context(request: HttpRequest, member: Member, year: int) -> dict[str, Any]:
    record = participation.record(member, year)
    item = request.GET.get("muc", "")
    lines = participation.details(member, year, item) if item in participation.ITEMS else None
    this_year = timezone.localdate().year
    return {
        "member": member,
        "year": year,
        "years": range(this_year, this_year - 5, -1),
        "record": record,
        "item": item,
        "item_label": participation.ITEMS.get(item, ""),
        "lines": lines,
        "mine": permissions.member_of(request.user) == member,
    }


def _member_cell(member: Member) -> Organization:
    membership = (
        member.memberships.filter(kind="regular")
        .select_related("organization")
        .order_by("-start_date")
        .first()
    )
    if membership is None:
        raise Http404
    return membership.organization


def record_file(request: HttpRequest, member_pk: int, fmt: str) -> HttpResponse:
    member = get_visible_or_404(visible_members(request.user), pk=member_pk)
    deny_unless(request.user, "record.view", member)
    year = _year(request)
    frame = documents.evidence_frame(participation.record(member, year), _member_cell(member))
    return _document(frame, fmt, f"minh-chung-{year}-{member.full_name}")


def _cell_records(request: HttpRequest, cell_pk: int) -> tuple[Organization, int, list[participation.Record]]:
    """The cell, the year asked for and its members' records, in the roster's order."""
    cell = _cell(request, cell_pk)
    deny_unless(request.user, "cell.records", cell)
    year = _year(request)
    members = review.roster(cell, year)
    records = participation.records(members, year)
    return cell, year, [records[m.pk] for m in members]


def cell_records(request: HttpRequest, cell_pk: int) -> HttpResponse:
    cell, year, records = _cell_records(request, cell_pk)
    this_year = timezone.localdate().year
    return render(
        request,
        "evaluations/cell_records.html",
        {"cell": cell, "year": year, "years": range(this_year, this_year - 5, -1), "records": records},
    )


def cell_records_xlsx(request: HttpRequest, cell_pk: int) -> HttpResponse:
    cell, year, records = _cell_records(request, cell_pk)
    return attachment(
        *documents.records_xlsx(records, f"{cell.name} · {year}", f"tham-gia-{year}-{cell.name}")
    )


def party_archive(request: HttpRequest, party_pk: int) -> HttpResponse:
    """The year-end evidence archive of a whole Đảng bộ (evaluations/archive.py), made in the
    background: the page offers the year; sending it starts the job and shows its progress."""
    from evaluations.jobs import EVIDENCE_ARCHIVE

    party = get_visible_or_404(
        visible_organizations(request.user).filter(kind=Organization.Kind.PARTY_COMMITTEE), pk=party_pk
    )
    deny_unless(request.user, "party.records", party)
    year = _year(request)
    if request.method == "POST":
        job = jobs.start(
            actor=request.user,
            kind=EVIDENCE_ARCHIVE,
            title=_("Year-end evidence %(year)s · %(party)s") % {"year": year, "party": party.name},
            params={"party": party.pk, "year": year},
        )
        return redirect("core:job", job.pk)
    this_year = timezone.localdate().year
    return render(
        request,
        "evaluations/party_archive.html",
        {"party": party, "year": year, "years": range(this_year, this_year - 5, -1)},
    )


# --- Year-end review --------------------------------------------------------------------------


def review_page(request: HttpRequest, cell_pk: int) -> HttpResponse:
    cell = _cell(request, cell_pk)
    deny_unless(request.user, "review.view", cell)
    year = _year(request)
    may_edit = permissions.can(request.user, "review.edit", cell)
    errors = ""
    if request.method == "POST":
        deny_unless(request.user, "review.edit", cell)
        inputs = []
        for member in review.roster(cell, year):
            if f"level-{member.pk}" not in request.POST:
                continue  # only the members the form showed are changed
            level = request.POST.get(f"level-{member.pk}", "")
            raw = request.POST.get(f"points-{member.pk}", "").strip()
            points = int(raw) if re.fullmatch(r"[0-9]{1,3}", raw) else None
            if raw and points is None:
                errors = _("%(name)s: write the points as a whole number.") % {"name": member.full_name}
            inputs.append(
                review.ProposalInput(member.pk, level, points, request.POST.get(f"note-{member.pk}", ""))
            )
        form = action_form()
        saved = None
        if not errors:
            saved = run_service(
                form, lambda: review.save_review(actor=request.user, cell=cell, year=year, proposals=inputs)
            )
        if saved is not None:
            messages.success(request, _("The proposed levels were saved."))
            return redirect(f"{request.path}?nam={year}")
        errors = errors or form_errors(form)
        messages.error(request, errors)
    result = review.review(cell, year)
    return render(
        request,
        "evaluations/review.html",
        {
            "cell": cell,
            "year": year,
            "result": result,
            "may_edit": may_edit and (result.round is None or result.round.status == "draft"),
            "levels": ReviewProposal.Level.choices,
        },
    )


@require_POST
def review_issue(request: HttpRequest, cell_pk: int) -> HttpResponse:
    cell = _cell(request, cell_pk)
    deny_unless(request.user, "review.issue", cell)
    year = _year(request)
    form = action_form()
    if run_service(form, lambda: review.issue_review(actor=request.user, cell=cell, year=year)):
        messages.success(request, _("The result of the review was issued and sent to the Party committee."))
    else:
        messages.error(request, form_errors(form))
    return redirect(f"{request.path.rsplit('ban-hanh/', 1)[0]}?nam={year}")


def review_file(request: HttpRequest, cell_pk: int, fmt: str) -> HttpResponse:
    cell = _cell(request, cell_pk)
    deny_unless(request.user, "lessons.view", cell)  # members of the cell and the Đảng ủy above
    year = _year(request)
    result = review.review(cell, year)
    name = f"xep-loai-{year}-{cell.name}"
    if result.round is not None and result.round.document is not None:
        # The issued result is also sent to the members of the cell ("Đảng viên trong chi bộ").
        if fmt not in ("pdf", "docx"):
            raise Http404
        return attachment(*issued_file(result.round.document, fmt, name))
    deny_unless(request.user, "review.edit", cell)
    return _document(review.result_frame(result), fmt, name)
