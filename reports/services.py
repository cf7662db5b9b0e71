"""Every change to a report: starting it, writing the assessment, submitting, acknowledging, returning.

Each function checks permission and state (typed domain errors with translatable messages), writes
in one transaction with the report row locked, logs one audit entry and notifies (in-app notices
written in the transaction, e-mails sent after it commits).

Why the Đảng ủy may return a report as well as acknowledge it: the figures come from the cell's
records, and a report submitted before a meeting's minutes were approved, or with an assessment that
says nothing, cannot be corrected once numbered and frozen. Returning it with remarks lets the cell
complete its records and submit again, as a new numbered document with its figures computed afresh
(numbers are never reused), the way annual plans are returned. Acknowledging may carry remarks too
(the Đảng ủy's comments for the next quarter) without sending the report back.
"""

from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import workkeys
from core.audit import log_action
from core.errors import DomainError, InvalidTransition
from core.permissions import require
from documents.services import issue_document
from notifications.kinds import Kind
from notifications.services import notify, notify_members, site_text
from notifications.webhooks import emit
from organizations.models import Organization
from organizations.selectors import cell_leader_members, officers_above
from reports.models import QUARTERS, Report, period_bounds

MAX_TEXT = 20000


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update(of=("self",)).select_related("cell__parent").get(pk=report.pk)


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _moment(on: date | None) -> datetime:
    """Now, or 08:00 local time on ``on`` when a past step is recorded afterwards (the demo)."""
    if on is None:
        return timezone.now()
    return datetime.combine(on, time(8, 0), tzinfo=timezone.get_current_timezone())


def _url(report: Report) -> str:
    return reverse("reports:detail", args=[report.pk])


def _event(report: Report) -> dict[str, Any]:
    """What a webhook says of a report (notifications.webhooks.emit)."""
    return {
        "id": report.pk,
        "kind": "report",
        "title": report,
        "url": _url(report),
        "year": report.year,
        "quarter": report.quarter,
    }


def _period(report: Report) -> str:
    """The period in the site's language, for notices."""
    if report.quarter is None:
        return site_text(_("Year %(year)s"), {"year": report.year})
    return site_text(_("Quarter %(quarter)s/%(year)s"), {"quarter": report.quarter, "year": report.year})


def _audit_period(report: Report) -> str:
    """ "3/2026" or "2026": the same in every language, since audit data is stored as written."""
    return f"{report.quarter}/{report.year}" if report.quarter else str(report.year)


def _clean(text: str, field: str) -> str:
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise DomainError(
            _("This text can be at most %(count)s characters.") % {"count": MAX_TEXT}, field=field
        )
    return text


# --- Writing -----------------------------------------------------------------------------------------


def create_report(
    *, actor: Any, cell: Organization, year: int, quarter: int | None, today: date | None = None
) -> Report:
    """Start the report of ``cell`` for a quarter (1–4), or the annual report (``quarter`` None).

    The period must have begun: a report tells what was done."""
    require(actor, "report.create", cell)
    today = today or timezone.localdate()
    if quarter is not None and quarter not in QUARTERS:
        raise DomainError(_("A quarter is 1, 2, 3 or 4."), field="quarter")
    first, _last = period_bounds(year, quarter)
    if first > today:
        raise DomainError(_("This period has not begun yet."), field="quarter")
    with transaction.atomic():
        # Lock the cell so that two secretaries starting the same report queue up.
        list(Organization.objects.select_for_update().filter(pk=cell.pk))
        existing = Report.objects.filter(cell=cell, year=year, quarter=quarter)
        if existing.exists():
            raise DomainError(
                _("This cell already has an annual report for this year.")
                if quarter is None
                else _("This cell already has a report for this quarter."),
                field="quarter",
            )
        report = Report.objects.create(cell=cell, year=year, quarter=quarter, created_by=_user(actor))
        log_action(actor, "reports.report.created", report, {"period": _audit_period(report)})
    return report


def save_text(*, actor: Any, report: Report, assessment: str, direction: str) -> Report:
    """Write the secretary's assessment (section II) and the tasks for the next period (section III)."""
    require(actor, "report.edit", report)
    assessment = _clean(assessment, "assessment")
    direction = _clean(direction, "direction")
    with transaction.atomic():
        report = _locked(report)
        if not report.is_editable:
            raise InvalidTransition(_("The report is with the Party committee; it can no longer be changed."))
        report.assessment, report.direction = assessment, direction
        report.save(update_fields=["assessment", "direction"])
        log_action(actor, "reports.report.saved", report, {"period": _audit_period(report)})
    return report


# --- Submitting and the Đảng ủy's answer -------------------------------------------------------------


def submit_report(*, actor: Any, report: Report, on: date | None = None) -> Report:
    """Send the report to the Đảng ủy: its figures are computed as of ``on`` (today by default) and
    frozen, and it is issued as a numbered BÁO CÁO dated ``on``. Submitting again after a return
    issues a new document."""
    from reports.documents import report_frame
    from reports.selectors import report_figures

    require(actor, "report.submit", report)
    day = on or timezone.localdate()
    with transaction.atomic():
        report = _locked(report)
        if not report.is_editable:
            raise InvalidTransition(_("This report has already been submitted."))
        if not report.assessment.strip():
            raise DomainError(
                _("Write the general assessment before submitting the report."), field="assessment"
            )
        first, _last = period_bounds(report.year, report.quarter)
        if day < first:
            raise DomainError(_("This period has not begun yet."))
        data = report_figures(report.cell, report.year, report.quarter, day)
        document = issue_document(
            actor=actor,
            organization=report.cell,
            doc_type="BC",
            frame=report_frame(report, data, on=day),
            source=report,
            issued_on=day,
        )
        report.figures = data.to_dict()
        report.document = document
        report.status = Report.Status.SUBMITTED
        report.submitted_at = _moment(on)
        report.submitted_by = _user(actor)
        report.remarks = ""
        report.save(
            update_fields=["figures", "document", "status", "submitted_at", "submitted_by", "remarks"]
        )
        log_action(actor, "reports.report.submitted", report, {"symbol": document.symbol})
        emit("report.submitted", report.cell, _event(report))
        notify(
            kind=Kind.PLAN_REPORT,
            recipients=officers_above(report.cell),
            title=site_text(
                _("Report to acknowledge: %(cell)s, %(period)s"),
                {"cell": report.cell.name, "period": _period(report)},
            ),
            body=site_text(_("The cell has submitted its report %(symbol)s."), {"symbol": document.symbol}),
            url=_url(report),
            work_key=workkeys.report(report.pk),
        )
    return report


def acknowledge_report(*, actor: Any, report: Report, remarks: str = "", on: date | None = None) -> Report:
    """The Đảng ủy acknowledges a submitted report, with remarks for the cell if it has any."""
    require(actor, "report.acknowledge", report)
    remarks = _clean(remarks, "remarks")
    with transaction.atomic():
        report = _locked(report)
        if report.status != Report.Status.SUBMITTED:
            raise InvalidTransition(_("Only a submitted report can be acknowledged."))
        report.status = Report.Status.ACKNOWLEDGED
        report.acknowledged_at = _moment(on)
        report.acknowledged_by = _user(actor)
        report.remarks = remarks
        report.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "remarks"])
        symbol = report.document.symbol if report.document else ""
        log_action(actor, "reports.report.acknowledged", report, {"symbol": symbol})
        emit("report.acknowledged", report.cell, _event(report))
        notify_members(
            kind=Kind.PLAN_REPORT,
            members=cell_leader_members(report.cell),
            title=site_text(_("Report acknowledged: %(period)s"), {"period": _period(report)}),
            body=remarks or site_text(_("The Party committee acknowledged the report.")),
            url=_url(report),
        )
    return report


def return_report(*, actor: Any, report: Report, remarks: str) -> Report:
    """The Đảng ủy returns a submitted report with the remarks the cell must act on."""
    require(actor, "report.return", report)
    remarks = _clean(remarks, "remarks")
    if not remarks:
        raise DomainError(_("Write the remarks the cell should act on."), field="remarks")
    with transaction.atomic():
        report = _locked(report)
        if report.status != Report.Status.SUBMITTED:
            raise InvalidTransition(_("Only a submitted report can be returned."))
        report.status = Report.Status.RETURNED
        report.remarks = remarks
        report.save(update_fields=["status", "remarks"])
        log_action(actor, "reports.report.returned", report, {"remarks": remarks})
        notify_members(
            kind=Kind.PLAN_REPORT,
            members=cell_leader_members(report.cell),
            title=site_text(_("Report returned with remarks: %(period)s"), {"period": _period(report)}),
            body=remarks,
            url=_url(report),
        )
    return report
