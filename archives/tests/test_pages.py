"""The cell's "Lưu trữ nhiệm kỳ" page: asking for an archive, the job making it, downloading, restoring."""

import hashlib
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archives.models import RestoredArchive, TermArchive
from archives.tests.helpers import manifest_of, rewrite
from core import jobs
from core.models import AuditEntry, Job
from organizations.models import Term

pytestmark = pytest.mark.django_db


def _make_through_the_page(client, world):
    term = Term.objects.get(organization=world.cell)
    response = client.post(reverse("archives:make", args=[world.cell.pk]), {"term": term.pk})
    assert response.status_code == 302
    archive = TermArchive.objects.get(term=term)
    assert archive.job.state == Job.State.QUEUED and archive.provisional and not archive.is_made
    # The worker's turn (the tests' transaction never commits, so the task was not enqueued).
    assert jobs.run(archive.job.pk) == Job.State.DONE
    archive.refresh_from_db()
    return archive


def test_the_secretary_asks_for_an_archive_and_downloads_it(client, world):
    client.force_login(world.secretary)
    page = client.get(reverse("archives:list", args=[world.cell.pk]))
    assert page.status_code == 200 and "Lưu trữ nhiệm kỳ" in page.content.decode()

    archive = _make_through_the_page(client, world)

    assert archive.is_made and archive.version == 1 and archive.made_by == world.secretary
    job = Job.objects.get(pk=archive.job_id)
    assert archive.sha256 in job.message and not job.file_path  # the ZIP is kept with the archive
    listed = client.get(reverse("archives:list", args=[world.cell.pk])).content.decode()
    assert archive.sha256 in listed and reverse("archives:download", args=[archive.pk]) in listed
    assert "tạm thời" in listed  # the term is running: a provisional archive, said so

    response = client.get(reverse("archives:download", args=[archive.pk]))
    content = b"".join(response.streaming_content)
    assert hashlib.sha256(content).hexdigest() == archive.sha256
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment") and ".zip" in disposition
    assert {e.action for e in AuditEntry.objects.filter(object_id=archive.pk)} >= {
        "archives.archive.requested",
        "archives.archive.made",
        "archives.archive.downloaded",
    }


def test_a_second_request_while_one_is_being_made_is_refused(client, world):
    client.force_login(world.secretary)
    term = Term.objects.get(organization=world.cell)
    url = reverse("archives:make", args=[world.cell.pk])
    assert client.post(url, {"term": term.pk}).status_code == 302
    response = client.post(url, {"term": term.pk})
    assert response.status_code == 400
    assert "đang được lập" in response.content.decode()
    assert TermArchive.objects.filter(term=term).count() == 1


def test_the_officer_restores_an_archive_and_reads_it(client, world):
    client.force_login(world.secretary)
    archive = _make_through_the_page(client, world)
    content = b"".join(client.get(reverse("archives:download", args=[archive.pk])).streaming_content)

    client.force_login(world.officer)
    upload = SimpleUploadedFile("luu-tru.zip", content, content_type="application/zip")
    response = client.post(reverse("archives:restore", args=[world.party.pk]), {"file": upload})
    restored = RestoredArchive.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("archives:restored", args=[restored.pk])
    assert restored.organization == world.party and restored.made_here == archive

    page = client.get(response["Location"]).content.decode()
    manifest = manifest_of(content)
    for entry in manifest["files"]:
        assert entry["path"] in page
    index = next(i for i, f in enumerate(restored.files) if f["path"] == "MUC-LUC.txt")
    answer = client.get(reverse("archives:restored_file", args=[restored.pk, index]))
    assert answer.status_code == 200 and "MỤC LỤC HỒ SƠ LƯU TRỮ NHIỆM KỲ" in answer.content.decode()
    assert AuditEntry.objects.filter(action="archives.restored.file_read", object_id=restored.pk).exists()

    # Kept under the Đảng bộ: the cell's secretary does not reach it.
    client.force_login(world.secretary)
    assert client.get(reverse("archives:restored", args=[restored.pk])).status_code == 404


def test_a_changed_archive_is_refused_on_the_page_with_the_file_named(client, world):
    client.force_login(world.secretary)
    archive = _make_through_the_page(client, world)
    with archive.file.open("rb") as handle:
        content = handle.read()
    manifest = manifest_of(content)
    member = next(f["path"] for f in manifest["files"] if f["path"].endswith(".xlsx"))
    broken = rewrite(content, drop=member)
    upload = SimpleUploadedFile("luu-tru.zip", broken, content_type="application/zip")
    response = client.post(reverse("archives:restore", args=[world.cell.pk]), {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert member in page and "bị thiếu" in page
    assert not RestoredArchive.objects.exists()
    edited = rewrite(content, replace={"manifest.json": json.dumps({"format": "x"}).encode()})
    upload = SimpleUploadedFile("luu-tru.zip", edited, content_type="application/zip")
    response = client.post(reverse("archives:restore", args=[world.cell.pk]), {"file": upload})
    assert response.status_code == 400 and not RestoredArchive.objects.exists()


def test_the_form_offers_the_ended_term_first_and_names_terms_by_their_dates(client, world):
    from archives.tests.helpers import past_term

    term = past_term(world.cell)
    client.force_login(world.officer)
    page = client.get(reverse("archives:list", args=[world.cell.pk])).content.decode()
    assert f'<option value="{term.pk}" selected>2020–2025 (01/06/2020 – 31/05/2025)</option>' in page
    assert "2025–2030 (01/06/2025 – 01/06/2030)" in page  # ends in the future: running


def _list_queries(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("archives:list", args=[world.cell.pk])).status_code == 200
    return len(queries)


def test_the_list_page_costs_the_same_queries_for_one_or_four_archives(client, world):
    term = Term.objects.get(organization=world.cell)
    client.force_login(world.secretary)

    def add(version):
        job = Job.objects.create(
            owner=world.secretary, kind="archives.term_archive", title="t", state="running"
        )
        TermArchive.objects.create(
            organization=world.cell, term=term, version=version, job=job, made_by=world.secretary
        )
        RestoredArchive.objects.create(
            organization=world.cell,
            file="x.zip",
            sha256="0" * 64,
            size=1,
            manifest={},
            cell_name="c",
            term_name="t",
        )

    add(1)
    _list_queries(client, world)  # the frame's caches warmed
    one = _list_queries(client, world)
    for version in (2, 3, 4):
        add(version)
    assert _list_queries(client, world) == one
