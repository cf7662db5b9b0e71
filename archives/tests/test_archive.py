"""The archive of a term: what it holds, its manifest and hashes, versions, and its cost in queries."""

import io
import zipfile
from datetime import date, timedelta

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from archives import archive as writer
from archives import services
from archives.models import TermArchive
from archives.tests.helpers import issue, manifest_of, members_of, past_term, sha, zip_bytes
from documents import files
from documents.models import IssuedFile
from evaluations import participation
from evaluations.documents import record_row
from meetings.models import ResolutionTask
from meetings.tests.helpers import approve_regular, open_meeting
from organizations.models import Member, Term
from tests import scenarios
from tests.factories import CellFactory, MembershipFactory, member_in

pytestmark = pytest.mark.django_db


def test_the_archive_holds_every_document_of_the_cell_in_the_term_and_none_other(world):
    term = past_term(world.cell)
    ours = [
        issue(world.cell, "KH", date(2024, 2, 5)),
        issue(world.cell, "TB", date(2024, 3, 1)),
        issue(world.cell, "NQ", date(2024, 3, 6)),
        issue(world.cell, "KH", date(2021, 1, 20)),
    ]
    later = issue(world.cell, "KH", date(2026, 2, 5))  # the running term's
    past_term(world.other_cell)
    elsewhere = issue(world.other_cell, "KH", date(2024, 2, 5))

    archive = services.make_now(cell=world.cell, term=term)

    content = zip_bytes(archive)
    assert sha(content) == archive.sha256 and len(content) == archive.size
    manifest = manifest_of(content)
    documents = [f for f in manifest["files"] if f["kind"] == "document"]
    listed = {(f["document"]["id"], f["document"]["format"]): f for f in documents}
    assert set(listed) == {(d.pk, fmt) for d in ours for fmt in ("pdf", "docx")}
    for stored in IssuedFile.objects.filter(document__in=ours):
        entry = listed[(stored.document_id, stored.format)]
        assert entry["sha256"] == stored.sha256 and entry["size"] == stored.size
        assert entry["document"]["symbol"] == stored.document.symbol
        assert entry["document"]["issued_on"] == stored.document.issued_on.isoformat()
    codes = {f["document"]["code"] for f in documents}
    assert later.code not in codes and elsewhere.code not in codes
    assert manifest["term"]["name"] == "2020–2025" and manifest["cell"]["name"] == world.cell.name
    assert manifest["archive"] == {"id": archive.pk, "version": 1, "provisional": False}
    assert manifest["format"] == writer.FORMAT and manifest["format_version"] == writer.FORMAT_VERSION
    assert manifest["app"]["version"] and manifest["generated_at"]
    assert not archive.provisional

    # Every member of the ZIP but the manifest is listed with its real hash and size, and no other.
    members = members_of(content)
    assert set(members) == {f["path"] for f in manifest["files"]} | {"manifest.json"}
    for entry in manifest["files"]:
        assert sha(members[entry["path"]]) == entry["sha256"]
        assert len(members[entry["path"]]) == entry["size"]
    index = members["MUC-LUC.txt"].decode()
    for document in ours:
        assert document.symbol in index
    assert later.symbol not in index or later.symbol in {d.symbol for d in ours}


def test_the_minutes_book_resolutions_and_participation(world):
    term = Term.objects.get(organization=world.cell)  # 2025–2030, running: a provisional archive
    days = [date(2026, 10, 5), date(2026, 3, 10), date(2026, 7, 1)]
    for day in days:
        approve_regular(world, open_meeting(world, day=day))
    open_meeting(world, day=date(2026, 9, 2))  # held, minutes not approved
    meeting = scenarios.thematic_meeting(world, "resolution-issued")
    task = ResolutionTask.objects.get(resolution__meeting=meeting)
    ResolutionTask.objects.filter(pk=task.pk).update(
        done_at=timezone.now() - timedelta(days=1), done_note="Đã dạy mẫu ở lớp Trung cấp"
    )

    archive = services.make_now(cell=world.cell, term=term)

    assert archive.provisional
    content = zip_bytes(archive)
    manifest = manifest_of(content)
    minutes = [f for f in manifest["files"] if f["kind"] == "minutes" and f["path"].endswith(".pdf")]
    dated = [f["document"]["issued_on"] for f in minutes]
    assert dated == sorted(dated) and len(dated) == 4  # three regular meetings and the thematic one
    assert [f["path"].split("/")[1][:3] for f in minutes] == ["001", "002", "004", "005"]
    members = members_of(content)
    book = members["so-bien-ban/MUC-LUC-SO-BIEN-BAN.txt"].decode()
    assert "003. 02/09/2026" in book and "chưa có biên bản được thông qua" in book
    assert "BẢN TẠM THỜI" in members["MUC-LUC.txt"].decode()
    for entry in minutes:
        stored = IssuedFile.objects.get(document_id=entry["document"]["id"], format="pdf")
        assert entry["sha256"] == stored.sha256

    sheet = openpyxl.load_workbook(io.BytesIO(members["nghi-quyet/nghi-quyet-va-nhiem-vu.xlsx"])).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert len(rows) == 1
    assert rows[0][0] == meeting.resolution.document.symbol and rows[0][3] == "Xây dựng giờ giảng mẫu"
    assert rows[0][4] == "Lê Văn Đức" and rows[0][6].startswith("Đã hoàn thành ngày")
    assert rows[0][6].endswith("Đã dạy mẫu ở lớp Trung cấp")
    assert members["nghi-quyet/nghi-quyet-va-nhiem-vu.pdf"].startswith(b"%PDF")

    cell_members = list(Member.objects.filter(memberships__organization=world.cell))
    for year in (2025, 2026):
        table = openpyxl.load_workbook(io.BytesIO(members[f"tham-gia/{year}/tham-gia-{year}.xlsx"])).active
        by_name = {row[0]: list(row) for row in table.iter_rows(min_row=3, values_only=True)}
        assert set(by_name) == {m.full_name for m in cell_members}
        for member in cell_members:
            assert by_name[member.full_name] == record_row(participation.record(member, year))
    # present at the four meetings of 2026 whose minutes were approved (the one of 2 September is not)
    assert by_name["Lê Văn Đức"][2] == 4


def test_making_it_again_makes_a_second_version_and_leaves_the_first_unchanged(world):
    term = past_term(world.cell)
    issue(world.cell, "KH", date(2024, 2, 5))
    first = services.make_now(cell=world.cell, term=term)
    first_bytes = zip_bytes(first)
    issue(world.cell, "TB", date(2024, 3, 1))  # a document recorded late, in the same term

    second = services.make_now(cell=world.cell, term=term)

    assert (first.version, second.version) == (1, 2)
    assert second.file.name != first.file.name and second.sha256 != first.sha256
    again = TermArchive.objects.get(pk=first.pk)
    assert (again.sha256, again.size, again.file.name) == (first.sha256, first.size, first.file.name)
    assert zip_bytes(again) == first_bytes and sha(first_bytes) == first.sha256
    assert services.make_archive(first.pk).sha256 == first.sha256  # asked again: left as it is
    assert zip_bytes(TermArchive.objects.get(pk=first.pk)) == first_bytes
    assert len([f for f in manifest_of(zip_bytes(second))["files"] if f["kind"] == "document"]) == 4


def test_the_archive_takes_the_newest_version_and_prefers_a_signed_file():
    def stored(fmt, version, kind):
        return IssuedFile(format=fmt, version=version, kind=kind, sha256=f"{fmt}{version}{kind}", size=1)

    chosen = writer.chosen_files(
        [
            stored("pdf", 1, "issued"),
            stored("pdf", 2, "issued"),
            stored("pdf", 2, "signed"),
            stored("pdf", 1, "signed"),
            stored("docx", 1, "issued"),
            stored("docx", 2, "issued"),
        ]
    )
    assert [(f.format, f.version, f.kind) for f in chosen] == [("pdf", 2, "signed"), ("docx", 2, "issued")]


def test_a_stored_file_that_changed_stops_the_archive(world):
    term = past_term(world.cell)
    document = issue(world.cell, "KH", date(2024, 2, 5))
    pdf = files.freeze(document, "pdf")
    with pdf.file.open("r+b") as handle:
        handle.seek(100)
        byte = handle.read(1)
        handle.seek(100)
        handle.write(bytes([byte[0] ^ 1]))
    with pytest.raises(services.jobs.JobError) as refused:
        services.make_now(cell=world.cell, term=term)
    assert pdf.file.name in str(refused.value.message)
    assert not TermArchive.objects.filter(term=term).exclude(sha256="").exists()


def _queries_for(world, count):
    cell = CellFactory(name=f"Chi bộ {count} văn bản", parent=world.party)
    term = past_term(cell)
    for member in Member.objects.filter(memberships__organization=world.cell):
        MembershipFactory(member=member, organization=cell, kind="temporary")
    member_in(cell, full_name=f"Đảng viên {count}")
    made = [issue(cell, "TB", date(2024, 1, 1) + timedelta(days=i)) for i in range(count)]
    for document in made:
        files.freeze_document(document.pk)
    header = writer.Header(None, 1, False, timezone.now(), "")
    with CaptureQueriesContext(connection) as queries, io.BytesIO() as out:
        writer.write_archive(cell, term, header, out)
        with zipfile.ZipFile(out) as z:
            assert len([n for n in z.namelist() if n.startswith("van-ban/")]) == 2 * count
    return len(queries)


def test_the_queries_do_not_grow_with_the_number_of_documents(world):
    assert _queries_for(world, 2) == _queries_for(world, 8)


def test_corrected_minutes_go_into_the_book_as_their_newest_version(world):
    from meetings import services as meetings

    term = Term.objects.get(organization=world.cell)
    meeting = open_meeting(world, day=date(2026, 5, 4))
    approve_regular(world, meeting)
    meeting.refresh_from_db()
    files.freeze(meeting.minutes_document, "pdf")  # version 1 downloaded once
    meetings.start_correction(actor=world.secretary, meeting=meeting, reason="Ghi sai giờ kết thúc")
    meetings.save_field(actor=world.secretary, meeting=meeting, name="end_time", value="16:20")
    meetings.approve_minutes(actor=world.secretary, meeting=meeting)

    archive = services.make_now(cell=world.cell, term=term)

    manifest = manifest_of(zip_bytes(archive))
    minutes = {f["document"]["format"]: f for f in manifest["files"] if f["kind"] == "minutes"}
    assert {f["document"]["version"] for f in minutes.values()} == {2}
    for fmt, entry in minutes.items():
        stored = IssuedFile.objects.get(document=meeting.minutes_document, format=fmt, version=2)
        assert entry["sha256"] == stored.sha256  # frozen from the corrected minutes for the archive
    book = members_of(zip_bytes(archive))["so-bien-ban/MUC-LUC-SO-BIEN-BAN.txt"].decode()
    assert "bản sửa lần 1" in book


def test_the_daily_command_archives_each_ended_term_once(world):
    from io import StringIO

    from django.core.management import call_command

    term = past_term(world.cell)
    issue(world.cell, "KH", date(2024, 2, 5))
    out = StringIO()
    call_command("make_term_archives", stdout=out)
    made = TermArchive.objects.get(term=term)
    assert made.is_made and not made.provisional and made.made_by is None
    call_command("make_term_archives", stdout=StringIO())  # the next day: nothing new
    assert TermArchive.objects.filter(term=term).count() == 1
    # The running term (ends in 2030) and the other cells' (none ended) are not touched.
    assert TermArchive.objects.count() == 1
