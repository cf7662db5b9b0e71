"""The report pages (a cell's reports, one report, its files) and the Đảng ủy's dashboard.

Thin views: fetch through ``permissions``, validate a form, call one service, redirect or render.
"""

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import jobs
from core.audit import history
from core.web import attachment, deny_unless, get_visible_or_404, run_service, submit_and_report
from documents.files import issued_file
from organizations.models import Organization
from organizations.permissions import visible_organizations
from reports import charts, permissions, selectors, services
from reports.forms import ANNUAL, AcknowledgeForm, CreateForm, RemarksForm, TextForm, report_years
from reports.models import Report, period_bounds, period_label


def _cell(request: HttpRequest, pk: int) -> Organization:
    return get_visible_or_404(
        visible_organizations(request.user).select_related("parent"), pk=pk, kind=Organization.Kind.CELL
    )


def _report(request: HttpRequest, pk: int) -> Report:
    return get_visible_or_404(
        permissions.visible_reports(request.user).select_related("cell__parent", "document"), pk=pk
    )


def _current_quarter(today: date) -> int:
    return (today.month - 1) // 3 + 1


# --- A cell's reports --------------------------------------------------------------------------------


def _create_form(request: HttpRequest, data: Any = None) -> CreateForm:
    today = timezone.localdate()
    return CreateForm(data, years=report_years(today), initial_period=str(_current_quarter(today)))


def report_list(request: HttpRequest, cell_pk: int) -> HttpResponse:
    cell = _cell(request, cell_pk)
    reports = list(permissions.visible_reports(request.user).filter(cell=cell).select_related("document"))
    # Newest first; the annual report, which closes its year, above that year's quarters.
    reports.sort(key=lambda r: (-r.year, -(r.quarter or 5)))
    can_create = permissions.can(request.user, "report.create", cell)
    return render(
        request,
        "reports/list.html",
        {"cell": cell, "reports": reports, "can_create": can_create, "form": _create_form(request)},
    )


def report_create(request: HttpRequest, cell_pk: int) -> HttpResponse:
    cell = _cell(request, cell_pk)
    deny_unless(request.user, "report.create", cell)
    form = _create_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        report = run_service(
            form,
            lambda: services.create_report(
                actor=request.user, cell=cell, year=form.cleaned_data["year"], quarter=form.quarter()
            ),
        )
        if report is not None:
            messages.success(request, _("The report is started. Its figures come from the records."))
            return redirect("reports:detail", report.pk)
    return render(
        request,
        "reports/form.html",
        {
            "form": form,
            "cell": cell,
            "title": _("Start a report"),
            "cancel": reverse("reports:list", args=[cell.pk]),
        },
    )


# --- One report --------------------------------------------------------------------------------------


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    today = timezone.localdate()
    data = selectors.figures_of(report, today)
    frozen = report.figures is not None and report.status != Report.Status.RETURNED
    can_edit = report.is_editable and permissions.can(request.user, "report.edit", report)
    can_review = report.status == Report.Status.SUBMITTED and permissions.can(
        request.user, "report.acknowledge", report
    )
    _first, last = period_bounds(report.year, report.quarter)
    context = {
        "report": report,
        "cell": report.cell,
        "data": data,
        "f": data.figures,
        "frozen": frozen,
        "period_open": not frozen and last >= today,
        "can_edit": can_edit,
        "can_submit": can_edit and permissions.can(request.user, "report.submit", report),
        "can_review": can_review,
        "can_preview": permissions.can(request.user, "report.preview", report),
        "remarks_form": RemarksForm(),
        "acknowledge_form": AcknowledgeForm(),
        "history": history(report),
    }
    return render(request, "reports/detail.html", context)


def edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    deny_unless(request.user, "report.edit", report)
    form = TextForm(
        request.POST or None, initial={"assessment": report.assessment, "direction": report.direction}
    )
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.save_text(
                actor=request.user,
                report=report,
                assessment=form.cleaned_data["assessment"],
                direction=form.cleaned_data["direction"],
            ),
        )
        if done is not None:
            messages.success(request, _("Saved."))
            return redirect("reports:detail", report.pk)
    return render(
        request,
        "reports/form.html",
        {
            "form": form,
            "cell": report.cell,
            "report": report,
            "title": _("The secretary's assessment"),
            "subtitle": f"{report.period} · {report.cell.name}",
            "cancel": reverse("reports:detail", args=[report.pk]),
        },
    )


@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    deny_unless(request.user, "report.submit", report)
    submit_and_report(
        request,
        TextForm({}),
        lambda data: services.submit_report(actor=request.user, report=report),
        _("The report was submitted to the Party committee."),
    )
    return redirect("reports:detail", report.pk)


@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    deny_unless(request.user, "report.acknowledge", report)
    submit_and_report(
        request,
        AcknowledgeForm(request.POST),
        lambda data: services.acknowledge_report(actor=request.user, report=report, remarks=data["remarks"]),
        _("The report is acknowledged."),
    )
    return redirect("reports:detail", report.pk)


@require_POST
def return_report(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    deny_unless(request.user, "report.return", report)
    submit_and_report(
        request,
        RemarksForm(request.POST),
        lambda data: services.return_report(actor=request.user, report=report, remarks=data["remarks"]),
        _("The report was returned to the cell with your remarks."),
    )
    return redirect("reports:detail", report.pk)


def report_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The numbered document as the Đảng ủy received it; while the report is being written (or
    corrected after a return), a draft with a blank number for the secretaries to check."""
    from reports.documents import export, file_name, report_frame

    if fmt not in ("pdf", "docx"):
        raise Http404
    report = _report(request, pk)
    if report.is_editable and permissions.can(request.user, "report.preview", report):
        data = selectors.report_figures(report.cell, report.year, report.quarter, timezone.localdate())
        frame = report_frame(report, data)
    elif report.document is not None:
        return attachment(*issued_file(report.document, fmt, file_name(report)))
    else:
        raise PermissionDenied
    return attachment(*export(frame, fmt, report))


# --- The Đảng ủy's dashboard -------------------------------------------------------------------------


def _period(request: HttpRequest, today: date) -> tuple[int, int | None]:
    """``nam`` (a year, this one by default) and ``quy`` (1–4, or 0 for the whole year; by default
    the current quarter of this year, the whole year of another)."""
    try:
        year = int(request.GET.get("nam", today.year))
    except ValueError:
        year = today.year
    if not 2000 <= year <= today.year + 1:
        year = today.year
    raw = request.GET.get("quy")
    if raw in ("1", "2", "3", "4"):
        return year, int(raw)
    if raw == "0" or year != today.year:
        return year, None
    return year, _current_quarter(today)


def _party(request: HttpRequest, pk: int) -> Organization:
    party = get_visible_or_404(
        visible_organizations(request.user).filter(kind=Organization.Kind.PARTY_COMMITTEE), pk=pk
    )
    deny_unless(request.user, "dashboard.view", party)
    return party


def _query(params: dict[str, Any], **changes: Any) -> str:
    """The query string of ``params`` with ``changes`` (a page number only when given; empty values
    left out), so links keep the period, the level, the filter, the search and the sort."""
    merged = {key: value for key, value in {**params, **changes}.items() if value not in ("", None)}
    return "?" + urlencode(merged)


def dashboard(request: HttpRequest, party_pk: int) -> HttpResponse:
    """The organisations directly under the Đảng bộ with their figures rolled up (``?cap=chi-bo``:
    every cell below it), filtered to what needs action (``loc``), searched (``q``), sorted
    (``sap``) and paginated (``trang``)."""
    party = _party(request, party_pk)
    today = timezone.localdate()
    year, quarter = _period(request, today)
    by_cell = request.GET.get("cap") == "chi-bo"
    filter_code = request.GET.get("loc", "")
    filter_code = filter_code if filter_code in selectors.FILTERS else ""
    sort = request.GET.get("sap", "ten")
    sort = sort if sort.lstrip("-") in selectors.SORTS else "ten"
    search = request.GET.get("q", "").strip()[:100]
    board = selectors.level(
        party,
        year,
        quarter,
        request.user,
        today,
        by_cell=by_cell,
        filter_code=filter_code,
        search=search,
        sort=sort,
        page_number=request.GET.get("trang"),
    )
    params = {
        "nam": year,
        "quy": quarter or 0,
        "cap": "chi-bo" if by_cell else "",
        "loc": filter_code,
        "q": search,
        "sap": "" if sort == "ten" else sort,
    }
    period = {"nam": year, "quy": quarter or 0}
    here = reverse("reports:dashboard", args=[party.pk])
    row_urls = {}
    plan_urls = {}
    for row in board.rows:
        if row.is_cell:
            row_urls[row.pk] = reverse("organizations:detail", args=[row.pk])
            plan_urls[row.pk] = (
                reverse("planning:plan", args=[row.plan_id]) if row.plan_id else row_urls[row.pk]
            )
        else:
            row_urls[row.pk] = reverse("reports:dashboard", args=[row.pk]) + _query(period, loc=filter_code)
            plan_urls[row.pk] = row_urls[row.pk]
    meeting_urls = {
        row.pk: reverse("meetings:list", args=[row.pk]) if row.is_cell else row_urls[row.pk]
        for row in board.rows
    }
    for row in board.rows:
        row.url = row_urls[row.pk]
    # Keyed for the template (no "-" in its names); a second click on a column reverses its order.
    sorts = {
        code.replace("-", "_"): here + _query(params, sap=("-" + code) if sort == code else code)
        for code in selectors.SORTS
    }
    filters = [
        (code, label, board.counts.matches(code), here + _query(params, loc=code), code == filter_code)
        for code, label in (
            ("chua-sinh-hoat", _("No session held")),
            ("chua-nop-ke-hoach", _("Plan not submitted")),
            ("thieu-bao-cao", _("Report not received")),
        )
    ]
    page = board.page
    context = {
        "board": board,
        "party": party,
        "year": year,
        "quarter": quarter,
        "years": report_years(today),
        "quarters": [(q, _("Quarter %(quarter)s") % {"quarter": q}) for q in (1, 2, 3, 4)],
        "sessions_chart": charts.sessions_chart(board, plan_urls),
        "attendance_chart": charts.attendance_chart(board, meeting_urls),
        "xlsx_url": reverse("reports:dashboard_xlsx", args=[party.pk]) + _query(period),
        "annual": ANNUAL,
        "by_cell": by_cell,
        "filter_code": filter_code,
        "search": search,
        "sort": sort,
        "sorts": sorts,
        "filters": filters,
        "all_url": here + _query(params, loc=""),
        "children_url": here + _query(params, cap=""),
        "cells_url": here + _query(params, cap="chi-bo"),
        "row_urls": row_urls,
        "plan_urls": plan_urls,
        "previous_url": here + _query(params, trang=page.previous_page_number())
        if page.has_previous()
        else "",
        "next_url": here + _query(params, trang=page.next_page_number()) if page.has_next() else "",
        "crumb_query": _query(period),
        "search_hidden": [(k, v) for k, v in params.items() if k != "q" and v not in ("", None)],
    }
    return render(request, "reports/dashboard.html", context)


@require_POST
def dashboard_xlsx(request: HttpRequest, party_pk: int) -> HttpResponse:
    """Start the full table of every cell as XLSX in the background; its page shows the progress."""
    from reports.jobs import DASHBOARD_XLSX

    party = _party(request, party_pk)
    today = timezone.localdate()
    year, quarter = _period(request, today)
    period = period_label(year, quarter)
    job = jobs.start(
        actor=request.user,
        kind=DASHBOARD_XLSX,
        title=_("Monitoring table (XLSX), %(period)s · %(party)s") % {"period": period, "party": party.name},
        params={"party": party.pk, "year": year, "quarter": quarter},
    )
    return redirect("core:job", job.pk)
