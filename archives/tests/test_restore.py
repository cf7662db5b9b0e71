"""Restoring an archive for reading: accepted whole and unchanged, refused otherwise with the file named."""

import io
import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

from archives import restore, services
from archives.models import RestoredArchive, TermArchive
from archives.tests.helpers import flip_one_byte, issue, manifest_of, past_term, rewrite, zip_bytes
from core.models import AuditEntry
from organizations.models import Organization
from tests.factories import CellFactory, OrganizationFactory, member_in

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def made(module_transaction: None) -> tuple[int, bytes]:
    """One archive of an ended term with two documents, made once for the module: (its id, its bytes)."""
    party = OrganizationFactory(name="Đảng bộ Trường")
    cell = CellFactory(name="Chi bộ Khoa Lưu trữ", parent=party)
    member_in(cell, full_name="Nguyễn Thị Lưu")
    term = past_term(cell)
    issue(cell, "KH", date(2024, 2, 5))
    issue(cell, "NQ", date(2024, 3, 6))
    archive = services.make_now(cell=cell, term=term)
    return archive.pk, zip_bytes(archive)


def _upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("luu-tru.zip", content, content_type="application/zip")


def _refusal(content: bytes) -> str:
    with translation.override("en"), pytest.raises(restore.ArchiveRefused) as refused:
        restore.check(io.BytesIO(content))
    return str(refused.value.message)


def _pdf_member(content: bytes) -> str:
    return next(f["path"] for f in manifest_of(content)["files"] if f["path"].endswith(".pdf"))


def test_an_unchanged_archive_is_restored_with_its_index(made):
    archive_id, content = made
    cell = Organization.objects.get(name="Chi bộ Khoa Lưu trữ")
    restored = services.restore_archive(actor=None, organization=cell, upload=_upload(content))
    assert restored.made_here_id == archive_id
    assert restored.sha256 == TermArchive.objects.get(pk=archive_id).sha256
    assert restored.cell_name == "Chi bộ Khoa Lưu trữ" and restored.term_name == "2020–2025"
    assert {f["path"] for f in restored.files} == {f["path"] for f in manifest_of(content)["files"]}
    assert Path(restored.file.path).read_bytes() == content
    assert AuditEntry.objects.filter(action="archives.restored.restored", object_id=restored.pk).exists()
    pdf_index = next(i for i, f in enumerate(restored.files) if f["path"].endswith(".pdf"))
    data, name = services.read_restored(actor=None, restored=restored, index=pdf_index)
    assert data.startswith(b"%PDF") and name.endswith(".pdf")


def test_an_archive_from_another_installation_is_restored_under_any_organisation(made):
    archive_id, content = made
    TermArchive.objects.filter(pk=archive_id).delete()  # as if made elsewhere
    other = CellFactory(name="Chi bộ khác")
    restored = services.restore_archive(actor=None, organization=other, upload=_upload(content))
    assert restored.made_here is None and restored.organization == other


def test_one_byte_changed_in_a_document_is_refused_naming_the_file(made):
    _archive_id, content = made
    member = _pdf_member(content)
    message = _refusal(flip_one_byte(content, member))
    assert member in message and "changed" in message


def test_a_missing_file_is_refused_naming_it(made):
    _archive_id, content = made
    member = _pdf_member(content)
    message = _refusal(rewrite(content, drop=member))
    assert message == f"The file {member} listed in the manifest is missing from the archive."


def test_a_file_added_is_refused(made):
    _archive_id, content = made
    extra = rewrite(content)
    import zipfile

    buffer = io.BytesIO(extra)
    with zipfile.ZipFile(buffer, "a") as z:
        z.writestr("van-ban/them.pdf", b"%PDF-1.7 fake")
    assert "van-ban/them.pdf" in _refusal(buffer.getvalue())


def test_a_manifest_whose_hash_was_edited_is_refused(made):
    _archive_id, content = made
    manifest = manifest_of(content)
    member = _pdf_member(content)
    for entry in manifest["files"]:
        if entry["path"] == member:
            entry["sha256"] = "0" * 64
    edited = rewrite(content, replace={"manifest.json": json.dumps(manifest, ensure_ascii=False).encode()})
    assert member in _refusal(edited)


def test_a_manifest_edited_consistently_is_refused_when_this_installation_made_it(made):
    """The number of a document changed in the manifest, every hash left right: only the manifest
    this installation wrote tells."""
    _archive_id, content = made
    manifest = manifest_of(content)
    for entry in manifest["files"]:
        if "document" in entry:
            entry["document"]["symbol"] = "99-NQ/CB"
    edited = rewrite(content, replace={"manifest.json": json.dumps(manifest, ensure_ascii=False).encode()})
    message = _refusal(edited)
    assert "manifest.json" in message and "version 1" in message


def test_what_is_not_an_archive_is_refused(made):
    _archive_id, content = made
    assert "not a ZIP" in _refusal(b"not a zip at all")
    assert "no manifest.json" in _refusal(rewrite(content, drop="manifest.json"))
    broken = rewrite(content, replace={"manifest.json": b"{ not json"})
    assert "not valid JSON" in _refusal(broken)


def test_nothing_is_kept_when_refused(made):
    _archive_id, content = made
    cell = Organization.objects.get(name="Chi bộ Khoa Lưu trữ")
    with pytest.raises(restore.ArchiveRefused):
        services.restore_archive(
            actor=None, organization=cell, upload=_upload(flip_one_byte(content, _pdf_member(content)))
        )
    assert not RestoredArchive.objects.exists()


def test_the_command_restores_and_refuses(made, tmp_path):
    _archive_id, content = made
    good, bad = tmp_path / "good.zip", tmp_path / "bad.zip"
    good.write_bytes(content)
    bad.write_bytes(rewrite(content, drop=_pdf_member(content)))
    out = StringIO()
    call_command("restore_term_archive", str(good), stdout=out)  # to the archive's own cell, found here
    assert RestoredArchive.objects.get().organization.name == "Chi bộ Khoa Lưu trữ"
    with translation.override("en"), pytest.raises(CommandError, match="missing from the archive"):
        call_command("restore_term_archive", str(bad), stdout=StringIO())


def test_a_manifest_that_unpacks_to_too_much_is_refused_unread(made, monkeypatch):
    _archive_id, content = made
    monkeypatch.setattr(restore, "MANIFEST_MAX_BYTES", 100)
    assert "manifest.json" in _refusal(content)
