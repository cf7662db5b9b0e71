"""No exported spreadsheet turns text a person typed into a formula (issue 13 item 3): a member or a
cell named like a formula comes out as that text, in every export."""

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.tests.jobhelpers import start_and_download
from organizations.models import Member
from tests.factories import member_in

HOSTILE = "=1+2+cmd|' /C calc'!A0"


def assert_text_only(content: bytes, expected: str) -> None:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in archive.read(name) for name in sheets)
    book = load_workbook(io.BytesIO(content))
    found = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value == expected
    ]
    assert found and all(cell.data_type == "s" for cell in found)


def test_the_participation_table_writes_a_formula_like_name_as_text(client, world):
    member_in(world.cell, full_name=HOSTILE, status=Member.Status.FULL)
    client.force_login(world.secretary)
    response = client.get(reverse("evaluations:cell_records_xlsx", args=[world.cell.pk]))
    assert response.status_code == 200
    assert_text_only(response.content, HOSTILE)


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_the_dashboard_writes_a_formula_like_cell_name_as_text(client, world, start):
    world.cell.name = start + 'HYPERLINK("http://x.example","bấm")'
    world.cell.save(update_fields=["name"])
    client.force_login(world.officer)
    _job, content = start_and_download(client, reverse("reports:dashboard_xlsx", args=[world.party.pk]))
    assert_text_only(content, world.cell.name)
