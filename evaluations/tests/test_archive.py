"""The year-end evidence archive of a whole Đảng bộ (evaluations/archive.py): folders by organisation,
each cell's table the same as the one its page exports, a summary, a manifest whose hashes hold, and
a number of queries fixed per batch of cells, not growing with members."""

import csv
import hashlib
import io
import zipfile
from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from core.tests.jobhelpers import start_and_download
from evaluations import archive
from evaluations.tests.test_participation import YEAR, meeting_on, member
from organizations.models import Membership
from tests.factories import CellFactory, OrganizationFactory, member_in


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _values(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))


def _zip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_the_archive_holds_every_cell_by_organisation_with_a_summary_and_a_manifest(client, world):
    đức = member(world.member)
    meeting_on(world, date(YEAR, 3, 5), {đức: "absent_unexcused"})
    meeting_on(world, date(YEAR, 4, 5), {})
    school = OrganizationFactory(name="Đảng ủy Trường Tiểu học Phú Hòa", parent=world.party)
    teachers = CellFactory(name="Chi bộ Giáo viên", parent=school)
    member_in(teachers, full_name="Ngô Thị Hạnh")
    gone = member_in(teachers, full_name="Đặng Văn Tùng")
    Membership.objects.filter(member=gone).update(start_date=date(2020, 1, 1), end_date=date(2025, 6, 30))
    client.force_login(world.officer)

    job, content = start_and_download(
        client, reverse("evaluations:party_archive", args=[world.party.pk]), {"nam": str(YEAR)}
    )

    files = _zip(content)
    names = set(files) - {archive.MANIFEST, archive.SUMMARY}
    assert job.file_name.startswith(f"ho-so-tham-gia-{YEAR}-") and job.file_name.endswith(".zip")
    # The party's own cells at the top, the school's cell in the school's folder.
    assert names == {
        f"chi-bo-khoa-xay-dung-dang-{world.cell.pk}.xlsx",
        f"chi-bo-khoa-ly-luan-co-so-{world.other_cell.pk}.xlsx",
        f"dang-uy-truong-tieu-hoc-phu-hoa-{school.pk}/chi-bo-giao-vien-{teachers.pk}.xlsx",
    }
    # The manifest lists every other file with its size and SHA-256, and they hold.
    rows = list(csv.reader(io.StringIO(files[archive.MANIFEST].decode())))
    assert rows[0] == ["file", "bytes", "sha256"]
    listed = {name: (int(size), sha) for name, size, sha in rows[1:]}
    assert set(listed) == set(files) - {archive.MANIFEST}
    for name, (size, sha) in listed.items():
        assert (len(files[name]), hashlib.sha256(files[name]).hexdigest()) == (size, sha)
    # One cell's table is the very table its page exports.
    mine = next(n for n in names if n.endswith(f"-{world.cell.pk}.xlsx"))
    page = client.get(reverse("evaluations:cell_records_xlsx", args=[world.cell.pk]) + f"?nam={YEAR}")
    assert _values(files[mine]) == _values(page.content)
    by_name = {row[0]: row for row in _values(files[mine])[2:]}
    assert by_name["Lê Văn Đức"][1:5] == (2, 1, 0, 1)  # meetings, present, excused, unexcused
    # The summary: one row per cell, its members and attendance; the ended membership is not counted.
    summary = {row[1]: row for row in _values(files[archive.SUMMARY])[2:]}
    assert set(summary) == {world.cell.name, world.other_cell.name, teachers.name}
    assert summary[teachers.name][2] == 1
    cell_row = summary[world.cell.name]
    assert cell_row[2] == 4 and cell_row[13] == mine
    assert cell_row[3] == 8 and cell_row[4] == 7  # 4 members × 2 meetings expected, one absence
    with translation.override(settings.LANGUAGE_CODE):
        assert job.message == _("%(members)s members in %(cells)s cells.") % {"members": 6, "cells": 3}


def _cells_with(world, members_each: int, cells: int = 3) -> None:
    for index in range(cells):
        cell = CellFactory(name=f"Chi bộ {index}", parent=world.party)
        for number in range(members_each):
            member_in(cell, full_name=f"Nguyễn Văn {index}-{number}")


def _archive_queries(world) -> int:
    with CaptureQueriesContext(connection) as captured:
        archive.write_archive(world.party, YEAR, io.BytesIO())
    return len(captured.captured_queries)


def test_queries_do_not_grow_with_members_only_with_batches_of_cells(world, monkeypatch):
    _cells_with(world, 3)
    few = _archive_queries(world)  # 5 cells, 13 members, one batch
    for cell in world.party.children.filter(name__startswith="Chi bộ "):
        for number in range(60):
            member_in(cell, full_name=f"Trần Thị {cell.pk}-{number}")
    many = _archive_queries(world)  # 5 cells, 193 members: the same batch
    assert many == few

    monkeypatch.setattr(archive, "BATCH_CELLS", 2)
    three_batches = _archive_queries(world)
    monkeypatch.setattr(archive, "BATCH_CELLS", 1)
    five_batches = _archive_queries(world)
    per_batch = (five_batches - three_batches) // 2
    assert 0 < per_batch <= 12 and five_batches - three_batches == 2 * per_batch


def test_the_archive_writes_each_cell_table_as_write_records_does(world):
    """archive.cell_table writes the XLSX itself (openpyxl's fixed cost per workbook was most of the
    province's archive): the same cells, values, types, fonts, column width, frozen panes and sheet."""
    from types import SimpleNamespace

    from evaluations.documents import write_records
    from evaluations.participation import Record

    names = ["Nguyễn Văn Ánh", "=SUM(A1:A9)", "<b>Lê & Trần</b>", " Hồ  Thị 'Hà' \"Xuân\" "]
    rows = [
        Record(member=SimpleNamespace(full_name=n), year=YEAR, present=i, excused=2, longest_absence=i % 3)
        for i, n in enumerate(names)
    ]
    rows[1].comments, rows[2].speeches = 7, 4

    def sheet(content: bytes) -> tuple:
        ws = load_workbook(io.BytesIO(content)).worksheets[0]
        cells = [[(c.value, c.data_type, c.font.b, c.font.sz) for c in row] for row in ws.iter_rows()]
        return ws.title, ws.freeze_panes, ws.column_dimensions["A"].width, cells

    expected = io.BytesIO()
    write_records(rows, "Chi bộ Ánh Dương · 2026", expected)
    ours = sheet(archive.cell_table(rows, "Chi bộ Ánh Dương · 2026"))
    assert ours == sheet(expected.getvalue())
    assert ours[3][3][0] == ("=SUM(A1:A9)", "s", False, 11)
