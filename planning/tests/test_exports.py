"""The annual plan as a Party document: DOCX opened with python-docx, PDF text extracted with pypdf."""

import io
import unicodedata
from datetime import date

import pytest
from docx import Document
from pypdf import PdfReader

from planning import exports, services
from planning.tests.conftest import full_year


@pytest.fixture
def submitted(world, plan, members):
    sessions = full_year(plan, world.secretary)
    services.assign_presenters(actor=world.secretary, session=sessions[0], members=[members["member"]])
    return services.submit_plan(actor=world.secretary, plan=plan)


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_submitted_plan_exports_as_docx_in_the_party_frame(submitted):
    data, _content_type, filename = exports.export_plan(submitted, "docx")
    assert filename == "ke-hoach-2026-chi-bo-khoa-xay-dung-dang.docx"
    text = docx_text(data)
    issued_on = submitted.document.issued_on
    for line in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "ĐẢNG BỘ TRƯỜNG CHÍNH TRỊ NGUYỄN CHÍ THANH",
        "CHI BỘ KHOA XÂY DỰNG ĐẢNG",
        "Số 01-KH/CB",
        f"Huế, ngày {issued_on:%d} tháng {issued_on:%m} năm {issued_on:%Y}",
        "KẾ HOẠCH",
        "Sinh hoạt chuyên đề năm 2026",
        "Chuyên đề quý 3",
        "Lê Văn Đức",
        "Nơi nhận:",
        "T/M CHI BỘ",
        "Nguyễn Văn Bình",
    ):
        assert line in text, line


def test_the_submitted_plan_exports_as_pdf_with_vietnamese_text_intact(submitted):
    data, content_type, _ = exports.export_plan(submitted, "pdf")
    assert content_type == "application/pdf" and data.startswith(b"%PDF")
    text = unicodedata.normalize("NFC", pdf_text(data))
    issued_on = submitted.document.issued_on
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "Số 01-KH/CB" in text
    assert f"Huế, ngày {issued_on:%d} tháng {issued_on:%m} năm {issued_on:%Y}" in text
    assert "Chuyên đề quý 1" in text


def test_a_draft_plan_exports_without_a_number(world, plan):
    services.add_session(
        actor=world.secretary, plan=plan, quarter=1, title="Chuyên đề", planned_date=date(2026, 3, 4)
    )
    text = docx_text(exports.export_plan(plan, "docx")[0])
    assert "-KH/CB" in text and "01-KH/CB" not in text


def test_the_issued_document_stays_as_submitted_when_the_plan_changes_later(world, submitted):
    services.acknowledge_plan(actor=world.officer, plan=submitted)
    services.add_session(actor=world.secretary, plan=submitted, quarter=4, title="Bổ sung sau khi tiếp nhận")
    submitted.refresh_from_db()
    frozen = docx_text(exports.export_plan(submitted, "docx")[0])  # a revision in draft: the live draft
    assert "Bổ sung sau khi tiếp nhận" in frozen
    assert "Bổ sung sau khi tiếp nhận" not in str(submitted.document.snapshot)
