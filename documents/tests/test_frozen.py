"""Issued documents frozen as files: rendered once after the issue, stored with their SHA-256, served as
stored whatever changes afterwards, and stored once even when the first downloads race."""

import hashlib
import io
import shutil
import subprocess
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import segno
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from documents import files, render, services, wording
from documents.frame import frame_for, paragraph
from documents.models import DocumentType, IssuedDocument, IssuedFile
from tests.scenarios import thematic_meeting

# Their files are made as a site makes them: once the issue commits (conftest.py).
pytestmark = pytest.mark.freezes

ON = date(2026, 3, 6)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def stored_paths(settings) -> list[Path]:
    return sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


def resolution_frame(world, summary="về học tập và làm theo Bác"):
    return frame_for(
        world.cell,
        doc_type=DocumentType.RESOLUTION,
        summary=summary,
        body=[paragraph("Chi bộ thống nhất nội dung chuyên đề.")],
        recipients=["Đảng ủy Trường (b/c)", "Đảng viên trong chi bộ"],
        on=ON,
    )


def issue(world, **kwargs):
    return services.issue_document(
        actor=world.secretary,
        organization=world.cell,
        doc_type=DocumentType.RESOLUTION,
        frame=kwargs.pop("frame", None) or resolution_frame(world),
        issued_on=ON,
        **kwargs,
    )


def text_of_pdf(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_issuing_stores_the_pdf_and_docx_once_the_issue_commits(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = issue(world)
    assert not IssuedFile.objects.exists()  # nothing before the commit
    for callback in callbacks:
        callback()
    stored = {row.format: row for row in document.files.all()}
    assert set(stored) == {"pdf", "docx"}
    for row in stored.values():
        content = row.file.read()
        assert (row.version, row.kind, row.size) == (1, "issued", len(content))
        assert row.sha256 == hashlib.sha256(content).hexdigest()
    assert stored["pdf"].file.name.startswith("issued/") and stored["pdf"].file.name.endswith("-v1.pdf")


def test_the_stored_pdf_and_docx_carry_the_code_and_the_verification_address(world):
    document = issue(world)
    url = f"http://127.0.0.1:8000/xac-thuc/{document.code}/"
    pdf, content_type, name = files.issued_file(document, "pdf", "nghi-quyet-chi-bo")
    assert (content_type, name) == ("application/pdf", "nghi-quyet-chi-bo.pdf")
    text = " ".join(text_of_pdf(pdf).split())
    assert f"Mã xác thực: {document.code}" in text
    assert url in text
    docx, _type, _name = files.issued_file(document, "docx", "nghi-quyet-chi-bo")
    paragraphs = [p.text for p in Document(io.BytesIO(docx)).paragraphs]
    assert wording.verification_lines(document.code, url) == paragraphs[-2:]


def qr_modules_on_last_page(pdf: bytes, tmp_path: Path, modules: int) -> list[list[int]]:
    """The QR code printed at the foot of the PDF's last page, read back module by module from a 300 dpi
    rendering (pdftoppm): the lowest dark block in the first 19 mm of the text width, sampled at the
    centre of each of the ``modules`` × ``modules`` cells."""
    from PIL import Image

    source = tmp_path / "document.pdf"
    source.write_bytes(pdf)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "300",
            "-gray",
            "-png",
            "-f",
            str(pages),
            "-l",
            str(pages),
            "-singlefile",
            str(source),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    image = Image.open(tmp_path / "page.png").convert("L")
    pixels: Any = image.load()  # grey levels 0-255
    mm = 300 / 25.4
    left, band = int(render.DEFAULT_MARGINS.left * mm) - 3, int(19 * mm)
    dark_rows = [y for y in range(image.height) if any(pixels[x, y] < 128 for x in range(left, left + band))]
    top = dark_rows[-1]
    for y in reversed(dark_rows):  # up to the first gap wider than 1.5 mm
        if top - y > 1.5 * mm:
            break
        top = y
    bottom = dark_rows[-1]
    columns = [x for x in range(left, left + band) if any(pixels[x, y] < 128 for y in range(top, bottom + 1))]
    cell = (max(columns) - min(columns) + 1) / modules
    return [
        [
            int(pixels[int(min(columns) + (c + 0.5) * cell), int(top + (r + 0.5) * cell)] < 128)
            for c in range(modules)
        ]
        for r in range(modules)
    ]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm (poppler-utils) to rasterise")
def test_the_qr_code_printed_in_the_pdf_encodes_the_documents_verification_address(world, tmp_path):
    document = issue(world)
    pdf = files.issued_file(document, "pdf", "nq")[0]
    expected = segno.make(f"http://127.0.0.1:8000/xac-thuc/{document.code}/", error="m")
    matrix = [[int(bool(module)) for module in row] for row in expected.matrix]
    assert qr_modules_on_last_page(pdf, tmp_path, len(matrix)) == matrix


def test_the_code_is_ten_signs_of_the_unambiguous_alphabet_and_differs_between_documents(world):
    codes = {issue(world).code for _ in range(5)}
    assert len(codes) == 5
    assert all(len(code) == 10 and set(code) <= set("34679ACDEFGHJKMNPQRTWXY") for code in codes)


def test_downloads_serve_the_stored_bytes_after_the_layout_and_the_source_change(world, monkeypatch):
    document = issue(world)
    first = files.issued_file(document, "pdf", "nq")[0]
    first_docx = files.issued_file(document, "docx", "nq")[0]
    stored = {row.format: (row.sha256, row.file.name) for row in document.files.all()}

    # A template-level change (the body size) and a change of the organisation the document came from.
    monkeypatch.setitem(render.SIZES, "body", 16)
    world.cell.name = "Chi bộ Khoa Lý luận Mác - Lênin"
    world.cell.save(update_fields=["name"])
    again = render.render_pdf(document.frame, verification=files.verification(document))
    assert hashlib.sha256(again).digest() != hashlib.sha256(first).digest()

    document = IssuedDocument.objects.get(pk=document.pk)
    assert files.issued_file(document, "pdf", "nq")[0] == first
    assert files.issued_file(document, "docx", "nq")[0] == first_docx
    assert {row.format: (row.sha256, row.file.name) for row in document.files.all()} == stored
    assert document.files.count() == 2


def test_freezing_again_returns_the_stored_row_and_renders_nothing(world, monkeypatch, settings):
    document = issue(world)
    row = files.freeze(document, "pdf")

    def refuse(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(files, "_render", refuse)
    assert files.freeze(document, "pdf") == row
    assert len(stored_paths(settings)) == 1


def test_a_download_that_loses_the_race_removes_its_file_and_serves_the_winners(world, monkeypatch, settings):
    document = issue(world)
    real_render = files._render
    winner: list[IssuedFile] = []

    def render_while_another_stores(doc, fmt, frame):
        content = real_render(doc, fmt, frame)
        # Another worker stores the same file while this one was rendering.
        other = IssuedFile(document=doc, format=fmt, sha256=hashlib.sha256(b"other").hexdigest(), size=5)
        other.file.save("other.pdf", ContentFile(b"other"), save=True)
        winner.append(other)
        return content

    monkeypatch.setattr(files, "_render", render_while_another_stores)
    served = files.freeze(document, "pdf")
    assert served.pk == winner[0].pk
    assert files.read(served) == b"other"
    assert IssuedFile.objects.filter(document=document, format="pdf").count() == 1
    assert stored_paths(settings) == [Path(settings.MEDIA_ROOT) / winner[0].file.name]


def test_a_later_version_under_the_same_number_is_stored_beside_the_first(world):
    """Minutes corrected under the same number: version 2 is a new file, version 1 stays as it was."""
    document = issue(world)
    first = files.freeze(document, "pdf")
    corrected = resolution_frame(world, summary="về học tập và làm theo Bác (đính chính)").issued(
        number=document.number, symbol=document.symbol, on=document.issued_on
    )
    second = files.freeze(document, "pdf", version=2, frame=corrected)
    assert second.pk != first.pk and second.sha256 != first.sha256
    assert files.freeze(document, "pdf") == first
    assert IssuedFile.objects.get(pk=first.pk).sha256 == first.sha256
    with pytest.raises(ValueError):
        files.freeze(document, "docx", version=3)


def test_a_new_document_issued_as_a_correction_leaves_the_old_files_as_they_are(world):
    old = issue(world)
    old_files = {row.format: row.sha256 for row in files.freeze_document(old.pk)}
    new = issue(world, frame=resolution_frame(world, summary="về học tập và làm theo Bác, thay thế"))
    files.freeze_document(new.pk)
    assert {row.format: row.sha256 for row in old.files.all()} == old_files
    assert new.files.count() == 2 and not set(new.files.values_list("sha256", flat=True)) & set(
        old_files.values()
    )


def test_the_command_freezes_what_was_issued_before_and_nothing_twice(world, capsys):
    first, second = issue(world), issue(world)
    files.freeze(second, "pdf")  # half frozen: its DOCX is missing
    call_command("freeze_issued_documents")
    assert "2 issued document(s) frozen." in capsys.readouterr().out
    assert IssuedFile.objects.filter(document__in=[first, second]).count() == 4
    call_command("freeze_issued_documents")
    assert "0 issued document(s) frozen." in capsys.readouterr().out


def test_the_issued_resolution_downloads_as_stored_and_a_draft_is_rendered_each_time(world, client):
    meeting = thematic_meeting(world, "resolution-issued")
    document = IssuedDocument.objects.get(doc_type=DocumentType.RESOLUTION)
    client.force_login(world.member)
    url = reverse("meetings:resolution_file", kwargs={"pk": meeting.pk, "fmt": "pdf"})
    first = client.get(url)
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    stored = document.files.get(format="pdf")
    assert first.content == stored.file.read()
    assert client.get(url).content == first.content
    assert document.code in text_of_pdf(first.content)


# --- Concurrency ---------------------------------------------------------------------------------

WORKERS = 4
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent inserts racing on a unique constraint"
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_first_downloads_at_the_same_moment_store_one_file(world, settings, monkeypatch):
    monkeypatch.setattr(files, "enqueue_freeze", lambda document_id: None)  # as if the worker were down
    document = issue(world)
    assert not document.files.exists()
    barrier = threading.Barrier(WORKERS)
    results, errors = [], []

    def download():
        try:
            barrier.wait()
            results.append(files.issued_file(IssuedDocument.objects.get(pk=document.pk), "pdf", "nq")[0])
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=download) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    row = IssuedFile.objects.get(document=document, format="pdf")
    assert {hashlib.sha256(content).hexdigest() for content in results} == {row.sha256}
    assert stored_paths(settings) == [Path(settings.MEDIA_ROOT) / row.file.name]


# --- The migration that gives existing documents their codes --------------------------------------


@pytest.mark.django_db(transaction=True)
def test_documents_issued_before_codes_existed_each_get_a_distinct_code(world):
    from django.db.migrations.executor import MigrationExecutor

    before, after = (
        [("documents", "0002_issued_on_index")],
        [("documents", "0004_issued_document_code_unique")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps.get_model("documents", "IssuedDocument")
        term = world.cell.terms.get()
        # bulk_create: the project's pre_save hooks do not know historical models.
        old.objects.bulk_create(
            old(
                organization_id=world.cell.pk,
                term_id=term.pk,
                doc_type="TB",
                number=number,
                symbol=f"0{number}-TB/CB",
                title="THÔNG BÁO",
                issued_on=ON,
                snapshot={},
            )
            for number in (1, 2, 3)
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
        # And on to the newest state, or the tables of later migrations (0005: signatures) stay missing
        # for the tests this worker runs next.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    codes = list(IssuedDocument.objects.values_list("code", flat=True))
    assert len(codes) == 3 and len(set(codes)) == 3
    assert all(len(code) == 10 and set(code) <= set("34679ACDEFGHJKMNPQRTWXY") for code in codes)
