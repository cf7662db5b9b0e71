"""The report's life: started by the secretaries, submitted as a numbered document with its figures
frozen, acknowledged (or returned with remarks) by the Đảng ủy; each step logged and notified."""

import threading
from datetime import date

import pytest
from django.db import connection
from django.utils import timezone

from core.errors import DomainError, InvalidTransition, PermissionDenied
from core.models import AuditEntry
from documents.models import IssuedDocument
from meetings import rules as meeting_rules
from meetings import selectors as meeting_selectors
from meetings import services as meetings
from meetings.models import Meeting
from notifications.models import Notification
from reports import services
from reports.models import Report
from reports.selectors import figures_by_cell, figures_of
from reports.tests.conftest import AS_OF, YEAR

pytestmark = pytest.mark.django_db


def _ready(world, quarter=3, year=YEAR, actor=None) -> Report:
    report = services.create_report(
        actor=actor or world.secretary, cell=world.cell, year=year, quarter=quarter
    )
    return services.save_text(
        actor=world.secretary,
        report=report,
        assessment="Chi bộ thực hiện đúng kế hoạch.\nCòn đảng viên vắng sinh hoạt không lý do.",
        direction="Tổ chức chuyên đề quý IV.",
    )


def _actions(report: Report) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_id=report.pk, action__startswith="reports.")
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- Starting and writing ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["secretary", "deputy", "admin"])
def test_the_cells_secretaries_start_a_report(world, persona):
    report = services.create_report(actor=world.persona(persona), cell=world.cell, year=YEAR, quarter=3)

    assert (report.status, report.year, report.quarter, report.figures) == ("draft", YEAR, 3, None)
    assert _actions(report) == ["reports.report.created"]


@pytest.mark.parametrize("persona", ["member", "probationary", "officer", "other_member", "foreign_officer"])
def test_nobody_else_starts_a_cells_report(world, persona):
    with pytest.raises(PermissionDenied):
        services.create_report(actor=world.persona(persona), cell=world.cell, year=YEAR, quarter=3)
    assert not Report.objects.exists()


def test_one_report_per_quarter_and_one_annual_report_per_year(world):
    services.create_report(actor=world.secretary, cell=world.cell, year=YEAR, quarter=3)
    services.create_report(actor=world.secretary, cell=world.cell, year=YEAR, quarter=None)

    for quarter in (3, None):
        with pytest.raises(DomainError) as refused:
            services.create_report(actor=world.deputy, cell=world.cell, year=YEAR, quarter=quarter)
        assert refused.value.field == "quarter"
    assert Report.objects.count() == 2


def test_a_report_tells_what_was_done_so_a_future_period_is_refused(world):
    with pytest.raises(DomainError):
        services.create_report(
            actor=world.secretary, cell=world.cell, year=YEAR, quarter=4, today=date(2026, 9, 30)
        )
    report = services.create_report(
        actor=world.secretary, cell=world.cell, year=YEAR, quarter=4, today=date(2026, 10, 1)
    )
    assert report.quarter == 4


def test_only_a_cells_secretaries_write_the_assessment(world):
    report = services.create_report(actor=world.secretary, cell=world.cell, year=YEAR, quarter=3)

    for persona in ("member", "officer"):
        with pytest.raises(PermissionDenied):
            services.save_text(actor=world.persona(persona), report=report, assessment="x", direction="")
    services.save_text(actor=world.deputy, report=report, assessment="  Đánh giá.  ", direction="")

    report.refresh_from_db()
    assert report.assessment == "Đánh giá."


def test_submitting_without_an_assessment_is_refused_and_nothing_is_numbered(world):
    report = services.create_report(actor=world.secretary, cell=world.cell, year=YEAR, quarter=3)

    with pytest.raises(DomainError) as refused:
        services.submit_report(actor=world.secretary, report=report, on=AS_OF)

    assert refused.value.field == "assessment"
    report.refresh_from_db()
    assert report.status == "draft" and report.document is None
    assert not IssuedDocument.objects.filter(doc_type="BC").exists()


# --- Submitting: the document and the frozen figures ---------------------------------------------


@pytest.mark.new_year
def test_submitting_issues_a_numbered_report_to_the_dang_uy_with_the_figures_frozen(world, history):
    report = _ready(world)

    services.submit_report(actor=world.secretary, report=report, on=AS_OF)

    report.refresh_from_db()
    assert report.status == "submitted"
    assert report.submitted_by == world.secretary
    document = report.document
    assert (document.symbol, document.issued_on, document.doc_type) == ("01-BC/CB", AS_OF, "BC")
    assert document.source == report
    frame = document.frame
    assert frame.title == "BÁO CÁO"
    assert frame.summary == "Kết quả sinh hoạt chuyên đề quý III năm 2026"
    assert frame.number_line == "Số 01-BC/CB"
    assert frame.date_line == "Huế, ngày 05 tháng 10 năm 2026"
    assert frame.recipients == ["- Đảng ủy Trường Chính trị Nguyễn Chí Thanh (b/c),", "- Lưu Chi bộ."]
    assert (frame.signer_capacity, frame.signer_title, frame.signer_name) == (
        "T/M CHI BỘ",
        "BÍ THƯ",
        "Nguyễn Văn Bình",
    )
    text = "\n".join(block.get("text", "") for block in frame.body)
    assert "Theo kế hoạch, trong quý chi bộ sinh hoạt 3 chuyên đề; đã tổ chức 1 chuyên đề" in text
    assert "Tỷ lệ đảng viên dự sinh hoạt: 77,8% (7/9 lượt" in text
    assert "4/10 lượt đảng viên tham gia góp ý (40%), với 4 ý kiến góp ý" in text
    assert "Tốt: 1 buổi; Khá: 1 buổi; Trung bình: 0 buổi; Kém: 0 buổi." in text
    assert "đã hoàn thành: 1; chưa đến hạn: 0; quá hạn chưa hoàn thành: 1." in text
    assert "Số liệu tính đến ngày 05/10/2026." in text
    assert "II. ĐÁNH GIÁ CHUNG" in text and "Chi bộ thực hiện đúng kế hoạch." in text
    assert "III. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ TỚI" in text
    # The frozen figures are the ones computed on the day of submission.
    frozen = figures_of(report, timezone.localdate())
    assert frozen.figures == figures_by_cell([world.cell], YEAR, 3, AS_OF)[world.cell.pk]
    assert frozen.as_of == "2026-10-05"
    assert _actions(report)[-1] == "reports.report.submitted"


def test_figures_stay_as_submitted_while_the_records_move_on(world, history):
    report = _ready(world)
    services.submit_report(actor=world.secretary, report=report, on=AS_OF)
    report.refresh_from_db()

    meetings.complete_task(actor=world.deputy, task=history.tasks[1], note="Đã xong, muộn.")

    assert figures_of(report, AS_OF).figures.tasks_overdue == 1
    assert report.document.frame.to_dict() == IssuedDocument.objects.get(pk=report.document_id).snapshot
    live = figures_by_cell([world.cell], YEAR, 3, AS_OF)[world.cell.pk]
    assert (live.tasks_done, live.tasks_overdue) == (2, 0)


def test_the_submitted_report_is_sent_to_the_dang_uy_officers_above_only(world, history):
    report = _ready(world)
    Notification.objects.all().delete()  # the history's own notices

    services.submit_report(actor=world.secretary, report=report, on=AS_OF)

    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["danguy"]
    notice = Notification.objects.get()
    assert world.cell.name in notice.title and "01-BC/CB" in notice.body


def test_the_annual_report_is_numbered_in_the_same_register_and_prints_the_year(world, history):
    services.submit_report(actor=world.secretary, report=_ready(world), on=AS_OF)
    annual = _ready(world, quarter=None)

    services.submit_report(actor=world.secretary, report=annual, on=date(2026, 12, 20))

    annual.refresh_from_db()
    frame = annual.document.frame
    assert annual.document.symbol == "02-BC/CB"
    assert frame.summary == "Tổng kết sinh hoạt chuyên đề năm 2026"
    text = "\n".join(block.get("text", "") for block in frame.body)
    assert "Theo kế hoạch, trong năm chi bộ sinh hoạt 4 chuyên đề" in text
    assert "III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM TỚI" in text
    assert annual.figures["figures"]["meetings"] == 3


def test_a_submitted_report_can_no_longer_be_changed_or_submitted_twice(world, history):
    report = _ready(world)
    services.submit_report(actor=world.secretary, report=report, on=AS_OF)

    with pytest.raises(InvalidTransition):
        services.save_text(actor=world.secretary, report=report, assessment="Khác", direction="")
    with pytest.raises(InvalidTransition):
        services.submit_report(actor=world.deputy, report=report, on=AS_OF)
    assert IssuedDocument.objects.filter(doc_type="BC").count() == 1


def test_the_plan_the_report_follows_is_cited_when_it_was_issued(world, history):
    from planning import services as planning

    planning.submit_plan(actor=world.secretary, plan=history.s1.plan, on=date(2026, 1, 20))
    report = _ready(world)

    services.submit_report(actor=world.secretary, report=report, on=AS_OF)

    report.refresh_from_db()
    first = report.document.frame.body[0]["text"]
    assert first.startswith(
        "Thực hiện Kế hoạch số 01-KH/CB ngày 20/01/2026 của Chi bộ về sinh hoạt chuyên đề"
    )
    assert "Chi bộ Khoa Xây dựng Đảng báo cáo kết quả sinh hoạt chuyên đề quý III năm 2026 như sau:" in first


# --- The Đảng ủy's answer ------------------------------------------------------------------------


def _submitted(world) -> Report:
    report = _ready(world)
    return services.submit_report(actor=world.secretary, report=report, on=AS_OF)


def test_the_dang_uy_officer_acknowledges_with_remarks_and_the_secretaries_are_told(world):
    report = _submitted(world)
    Notification.objects.all().delete()

    services.acknowledge_report(actor=world.officer, report=report, remarks="Đề nghị đôn đốc nhiệm vụ.")

    report.refresh_from_db()
    assert (report.status, report.acknowledged_by, report.remarks) == (
        "acknowledged",
        world.officer,
        "Đề nghị đôn đốc nhiệm vụ.",
    )
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == ["bithu", "phobithu"]
    assert _actions(report)[-1] == "reports.report.acknowledged"


@pytest.mark.parametrize("persona", ["secretary", "deputy", "member", "foreign_officer", "other_member"])
def test_only_an_officer_above_the_cell_acknowledges_or_returns(world, persona):
    report = _submitted(world)

    with pytest.raises(PermissionDenied):
        services.acknowledge_report(actor=world.persona(persona), report=report)
    with pytest.raises(PermissionDenied):
        services.return_report(actor=world.persona(persona), report=report, remarks="Bổ sung")
    report.refresh_from_db()
    assert report.status == "submitted"


def test_only_a_submitted_report_is_acknowledged(world):
    report = _ready(world)

    with pytest.raises(InvalidTransition):
        services.acknowledge_report(actor=world.officer, report=report)
    with pytest.raises(InvalidTransition):
        services.return_report(actor=world.officer, report=report, remarks="Bổ sung")


def test_returning_needs_remarks(world):
    report = _submitted(world)

    with pytest.raises(DomainError) as refused:
        services.return_report(actor=world.officer, report=report, remarks="   ")
    assert refused.value.field == "remarks"


def test_a_returned_report_is_corrected_and_submitted_again_as_a_new_document(world, history):
    report = _submitted(world)
    first = report.document
    services.return_report(actor=world.officer, report=report, remarks="Chưa nêu nguyên nhân vắng sinh hoạt.")
    report.refresh_from_db()
    assert report.status == "returned"
    # While returned, the page shows live figures: the late task now done is counted.
    meetings.complete_task(actor=world.deputy, task=history.tasks[1])
    assert figures_of(report, AS_OF).figures.tasks_overdue == 0

    services.save_text(actor=world.secretary, report=report, assessment="Bổ sung nguyên nhân.", direction="")
    services.submit_report(actor=world.secretary, report=report, on=date(2026, 10, 12))

    report.refresh_from_db()
    assert report.status == "submitted" and report.remarks == ""
    assert (first.symbol, report.document.symbol) == ("01-BC/CB", "02-BC/CB")
    assert IssuedDocument.objects.filter(pk=first.pk).exists()  # the first stays in the register
    assert report.figures["figures"]["tasks_overdue"] == 0
    assert _actions(report) == [
        "reports.report.created",
        "reports.report.saved",
        "reports.report.submitted",
        "reports.report.returned",
        "reports.report.saved",
        "reports.report.submitted",
    ]


# --- The figures agree with the meeting pages ---------------------------------------------------


def test_the_attendance_rate_counts_as_the_meeting_summary_does(world, history):
    """Each approved meeting of the quarter counted as meetings.selectors.summary counts it, summed."""
    expected = attended = 0
    for meeting in Meeting.objects.filter(
        cell=world.cell, date__range=(date(2026, 7, 1), date(2026, 9, 30)), status=Meeting.Status.APPROVED
    ):
        rows = meeting_selectors.attendances(meeting)
        statuses = [s for s in (meeting_selectors.rate_status(a) for a in rows) if s]
        counted = [s for s in statuses if s not in (meeting_rules.EXEMPTED, meeting_rules.ELSEWHERE)]
        present = sum(1 for s in counted if s in meeting_rules.ATTENDED)
        assert meeting_selectors.summary(rows).rate == pytest.approx(100 * present / len(counted))
        expected += len(counted)
        attended += present

    f = figures_by_cell([world.cell], YEAR, 3, AS_OF)[world.cell.pk]
    assert (f.expected, f.attended) == (expected, attended) == (9, 7)


# --- At the same moment (PostgreSQL row locks) ---------------------------------------------------

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks (SELECT … FOR UPDATE) are what is tested"
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_secretary_and_the_deputy_submitting_at_once_issue_one_document(world):
    report = _ready(world)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit(user):
        try:
            barrier.wait()
            services.submit_report(actor=user, report=report, on=AS_OF)
            outcomes.append("submitted")
        except InvalidTransition:
            outcomes.append("refused")
        except Exception as exc:  # reported by the assertion below
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(u,)) for u in (world.secretary, world.deputy)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["refused", "submitted"]
    assert list(IssuedDocument.objects.filter(doc_type="BC").values_list("symbol", flat=True)) == ["01-BC/CB"]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_secretaries_starting_the_same_report_at_once_make_one(world):
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def start(user):
        try:
            barrier.wait()
            services.create_report(actor=user, cell=world.cell, year=YEAR, quarter=3)
            outcomes.append("created")
        except DomainError:
            outcomes.append("refused")
        except Exception as exc:  # reported by the assertion below
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=start, args=(u,)) for u in (world.secretary, world.deputy)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["created", "refused"]
    assert Report.objects.count() == 1
