"""The public verification pages: a code, a file or a fingerprint is checked against the stored files
of issued documents, without signing in, and a stranger never reads the document's summary."""

import hashlib
from datetime import date

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents import files, services, verification
from documents.frame import frame_for, paragraph
from documents.models import DocumentType

# Their files are made as a site makes them: once the issue commits (conftest.py).
pytestmark = pytest.mark.freezes

ON = date(2026, 3, 6)
SUMMARY = "về công tác cán bộ nhiệm kỳ tới"  # what a stranger must not read


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    """Files in a temporary folder; the visitors' counters (the rate limit) fresh before and after."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def issued(world):
    frame = frame_for(
        world.cell,
        doc_type=DocumentType.RESOLUTION,
        summary=SUMMARY,
        body=[paragraph("Nội dung mật của nghị quyết.")],
        recipients=["Đảng ủy Trường (b/c)"],
        on=ON,
    )
    document = services.issue_document(
        actor=world.secretary,
        organization=world.cell,
        doc_type=DocumentType.RESOLUTION,
        frame=frame,
        issued_on=ON,
    )
    files.freeze_document(document.pk)
    return document


def pdf_of(document) -> bytes:
    return document.files.get(format="pdf").file.read()


def upload(content: bytes, name: str = "nghi-quyet.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def code_url(document) -> str:
    return reverse("documents:verify_code", args=[document.code])


def test_a_known_code_names_the_issuer_number_date_and_type_to_anyone(client, issued):
    page = client.get(code_url(issued))
    html = page.content.decode()
    assert page.status_code == 200
    for text in ("Chi bộ Khoa Xây dựng Đảng", "01-NQ/CB", "06/03/2026", "Nghị quyết", issued.code):
        assert text in html


def test_a_stranger_reads_no_summary_and_no_content(client, issued):
    html = client.get(code_url(issued)).content.decode()
    assert SUMMARY not in html and "Nội dung mật" not in html and "Đảng ủy Trường" not in html
    html = client.post(code_url(issued), {"file": upload(pdf_of(issued))}).content.decode()
    assert SUMMARY not in html and "Nội dung mật" not in html


def test_a_member_who_may_open_the_document_reads_its_summary(client, world, issued):
    client.force_login(world.member)
    assert SUMMARY in client.get(code_url(issued)).content.decode()
    client.force_login(world.other_member)  # another cell's member: no more than a stranger
    assert SUMMARY not in client.get(code_url(issued)).content.decode()


def test_the_issued_pdf_and_docx_match_byte_for_byte(client, issued):
    answer = client.post(code_url(issued), {"file": upload(pdf_of(issued))}).content.decode()
    assert "Tệp khớp" in answer and "PDF" in answer
    docx = issued.files.get(format="docx").file.read()
    answer = client.post(code_url(issued), {"file": upload(docx, "nq.docx")}).content.decode()
    assert "Tệp khớp" in answer and "DOCX" in answer


def test_a_file_changed_by_one_byte_does_not_match(client, issued):
    content = bytearray(pdf_of(issued))
    content[len(content) // 2] ^= 0x01
    answer = client.post(code_url(issued), {"file": upload(bytes(content))}).content.decode()
    assert "không khớp" in answer and "Tệp khớp" not in answer


def test_another_documents_file_does_not_match_this_code(client, world, issued):
    other = services.issue_document(
        actor=world.secretary,
        organization=world.cell,
        doc_type=DocumentType.NOTICE,
        frame=frame_for(world.cell, doc_type=DocumentType.NOTICE, summary="họp chi bộ", on=ON),
        issued_on=ON,
    )
    content = files.freeze(other, "pdf").file.read()
    answer = client.post(code_url(issued), {"file": upload(content)}).content.decode()
    assert "không khớp" in answer


def test_a_pasted_fingerprint_is_checked_in_any_case_and_spacing(client, issued):
    digest = hashlib.sha256(pdf_of(issued)).hexdigest()
    spaced = " ".join(digest[i : i + 8] for i in range(0, 64, 8)).upper()
    assert "Tệp khớp" in client.post(code_url(issued), {"sha256": spaced}).content.decode()
    wrong = ("0" if digest[0] != "0" else "1") + digest[1:]
    assert "không khớp" in client.post(code_url(issued), {"sha256": wrong}).content.decode()
    refused = client.post(code_url(issued), {"sha256": "xyz"})
    assert refused.status_code == 200 and "64" in refused.content.decode()


def test_an_unknown_code_is_no_such_document(client, issued):
    page = client.get(reverse("documents:verify_code", args=["4444444444"]))
    assert page.status_code == 404
    assert "Không có văn bản" in page.content.decode()


def test_a_code_typed_in_lower_case_with_dashes_leads_to_the_document(client, issued):
    typed = f"{issued.code[:5].lower()}-{issued.code[5:].lower()}"
    answer = client.get(reverse("documents:verify"), {"ma": typed})
    assert answer.status_code == 302 and answer["Location"] == code_url(issued)
    refused = client.get(reverse("documents:verify"), {"ma": "ABC"})
    assert refused.status_code == 200 and "10" in refused.content.decode()


def test_the_general_page_finds_the_document_of_a_file_or_says_none_matches(client, issued):
    url = reverse("documents:verify")
    answer = client.post(url, {"file": upload(pdf_of(issued))}).content.decode()
    assert "01-NQ/CB" in answer and code_url(issued) in answer and SUMMARY not in answer
    answer = client.post(url, {"file": upload(b"%PDF-1.7 not issued")}).content.decode()
    assert "không khớp với văn bản nào" in answer
    assert "Chọn tệp" in client.post(url, {}).content.decode()  # neither a file nor a fingerprint


def test_an_upload_over_the_limit_is_refused_and_never_stored(client, settings, issued):
    settings.UPLOAD_MAX_MB = 1
    before = sorted(p.name for p in (settings.MEDIA_ROOT).rglob("*"))
    answer = client.post(code_url(issued), {"file": upload(b"0" * (1024 * 1024 + 1))})
    assert "lớn hơn 1 MB" in answer.content.decode()
    client.post(code_url(issued), {"file": upload(pdf_of(issued))})
    assert sorted(p.name for p in (settings.MEDIA_ROOT).rglob("*")) == before


def test_a_visitor_is_slowed_down_after_the_minutes_allowance(client, issued):
    url = code_url(issued)
    answers = [client.get(url).status_code for _ in range(verification.RATE_PER_MINUTE + 1)]
    assert answers[:-1] == [200] * verification.RATE_PER_MINUTE and answers[-1] == 429
