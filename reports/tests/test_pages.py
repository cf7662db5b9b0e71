"""The report pages as each persona sees them: the list, the report with its figures, the files."""

import io

import pytest
import time_machine
from django.urls import reverse
from docx import Document

from reports import services
from reports.models import Report
from reports.tests.conftest import AS_OF, YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_as_of():
    with time_machine.travel(AS_OF, tick=False):
        yield


def _report(world, *, submit: bool = False) -> Report:
    report = services.create_report(actor=world.secretary, cell=world.cell, year=YEAR, quarter=3)
    services.save_text(
        actor=world.secretary, report=report, assessment="Chi bộ thực hiện đúng kế hoạch.", direction=""
    )
    if submit:
        services.submit_report(actor=world.secretary, report=report, on=AS_OF)
    report.refresh_from_db()
    return report


def test_the_secretary_starts_a_report_from_the_cells_list(client, world, on_as_of):
    client.force_login(world.secretary)
    page = client.get(reverse("reports:list", args=[world.cell.pk])).content.decode()
    assert reverse("reports:create", args=[world.cell.pk]) in page

    response = client.post(reverse("reports:create", args=[world.cell.pk]), {"year": YEAR, "quarter": "nam"})

    report = Report.objects.get()
    assert (report.year, report.quarter) == (YEAR, None)
    assert response["Location"] == reverse("reports:detail", args=[report.pk])


def test_a_duplicate_is_refused_on_the_form(client, world, on_as_of):
    services.create_report(actor=world.secretary, cell=world.cell, year=YEAR, quarter=3)
    client.force_login(world.deputy)

    response = client.post(reverse("reports:create", args=[world.cell.pk]), {"year": YEAR, "quarter": "3"})

    assert response.status_code == 200
    assert response.context["form"].errors["quarter"]
    assert Report.objects.count() == 1


def test_a_draft_shows_live_figures_and_the_secretarys_actions(client, world, history, on_as_of):
    report = _report(world)
    client.force_login(world.secretary)

    response = client.get(reverse("reports:detail", args=[report.pk]))

    page = response.content.decode()
    assert response.context["frozen"] is False
    assert response.context["f"].attended == 7
    assert reverse("reports:submit", args=[report.pk]) in page
    assert reverse("reports:edit", args=[report.pk]) in page
    assert "Văn hóa Hồ Chí Minh về học tập" in page and "01-NQ/CB" in page
    assert reverse("reports:acknowledge", args=[report.pk]) not in page


def test_the_officer_reviews_a_submitted_report_with_its_frozen_figures(client, world, history, on_as_of):
    report = _report(world, submit=True)
    client.force_login(world.officer)

    response = client.get(reverse("reports:detail", args=[report.pk]))

    page = response.content.decode()
    assert response.context["frozen"] is True
    assert reverse("reports:acknowledge", args=[report.pk]) in page
    assert reverse("reports:return", args=[report.pk]) in page
    assert reverse("reports:submit", args=[report.pk]) not in page
    assert "01-BC/CB" in page


def test_the_officer_returns_with_remarks_the_secretary_sees_them(client, world, history, on_as_of):
    report = _report(world, submit=True)
    client.force_login(world.officer)
    client.post(reverse("reports:return", args=[report.pk]), {"remarks": "Chưa nêu nguyên nhân."})
    client.force_login(world.secretary)

    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()

    assert "Chưa nêu nguyên nhân." in page
    assert reverse("reports:submit", args=[report.pk]) in page


def test_returning_without_remarks_changes_nothing(client, world, history, on_as_of):
    report = _report(world, submit=True)
    client.force_login(world.officer)

    client.post(reverse("reports:return", args=[report.pk]), {"remarks": ""})

    report.refresh_from_db()
    assert report.status == "submitted"


def test_members_see_the_submitted_report_only(client, world, history, on_as_of):
    draft = services.create_report(actor=world.secretary, cell=world.cell, year=YEAR, quarter=None)
    submitted = _report(world, submit=True)
    client.force_login(world.probationary)

    page = client.get(reverse("reports:list", args=[world.cell.pk])).content.decode()

    assert reverse("reports:detail", args=[submitted.pk]) in page
    assert reverse("reports:detail", args=[draft.pk]) not in page
    assert reverse("reports:create", args=[world.cell.pk]) not in page


def test_the_files_are_the_issued_document_for_readers(client, world, history, on_as_of):
    report = _report(world, submit=True)
    client.force_login(world.member)

    docx = client.get(reverse("reports:file", args=[report.pk, "docx"]))
    pdf = client.get(reverse("reports:file", args=[report.pk, "pdf"]))

    assert "bao-cao-quy-3-2026-chi-bo-khoa-xay-dung-dang.docx" in docx["Content-Disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "BÁO CÁO" in text and "Kết quả sinh hoạt chuyên đề quý III năm 2026" in text
    assert "Số liệu tính đến ngày 05/10/2026." in text
    assert pdf.content.startswith(b"%PDF")
    assert client.get(reverse("reports:file", args=[report.pk, "odt"])).status_code == 404


def test_a_draft_preview_has_a_blank_number(client, world, history, on_as_of):
    report = _report(world)
    client.force_login(world.deputy)

    response = client.get(reverse("reports:file", args=[report.pk, "docx"]))

    document = Document(io.BytesIO(response.content))
    header = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "Số     -BC/CB" in header


def test_the_secretary_writes_the_assessment(client, world, on_as_of):
    report = services.create_report(actor=world.secretary, cell=world.cell, year=YEAR, quarter=3)
    client.force_login(world.secretary)

    response = client.post(
        reverse("reports:edit", args=[report.pk]),
        {"assessment": "Ưu điểm: đúng kế hoạch.\nHạn chế: còn vắng.", "direction": "Quý IV: chuyên đề mới."},
    )

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.assessment == "Ưu điểm: đúng kế hoạch.\nHạn chế: còn vắng."
    assert report.direction == "Quý IV: chuyên đề mới."


def test_report_page_queries_do_not_grow_with_the_sessions(client, world, history, on_as_of):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from planning import services as planning

    report = _report(world)
    client.force_login(world.secretary)
    url = reverse("reports:detail", args=[report.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for day in (3, 4, 5):
        planning.add_session(
            actor=world.secretary,
            plan=history.s1.plan,
            quarter=3,
            title=f"Chuyên đề thêm {day}",
            planned_date=history.s1.planned_date.replace(day=day),
        )
    with CaptureQueriesContext(connection) as after:
        client.get(url)

    assert len(before.captured_queries) == len(after.captured_queries)


def test_the_officer_finds_the_reports_to_acknowledge_for_the_home_page(world, history):
    from django.template.loader import render_to_string

    from reports.selectors import reports_to_acknowledge

    report = _report(world, submit=True)
    services.create_report(actor=world.secretary, cell=world.cell, year=YEAR, quarter=2)  # a draft

    assert reports_to_acknowledge(world.officer) == [report]
    assert reports_to_acknowledge(world.foreign_officer) == []
    assert reports_to_acknowledge(world.secretary) == []
    html = render_to_string(
        "reports/_home_to_acknowledge.html", {"reports_to_acknowledge": reports_to_acknowledge(world.officer)}
    )
    assert reverse("reports:detail", args=[report.pk]) in html and "01-BC/CB" in html
    services.acknowledge_report(actor=world.officer, report=report)
    assert reports_to_acknowledge(world.officer) == []
