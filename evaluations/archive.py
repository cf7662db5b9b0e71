"""The year-end evidence archive of a whole Đảng bộ (docs/architecture.md, "Year-end evidence archive").

One ZIP for the officers' year-end review, made in the background (core/jobs.py) for up to a province:

* ``<organisation>/<…>/<cell>.xlsx``: each cell's participation table (the one its page exports:
  evaluations.documents.write_records), in folders by the organisation path below the Đảng bộ;
* ``tong-hop.xlsx``: one row per cell with its totals (members, attendance, drafts, comments…);
* ``manifest.csv``: every other file with its size and SHA-256, so that a copy can be checked.

Per-member PDFs are not in it: at tens of thousands of members they would take hours to render; each
stays available one by one from the member's record. The figures come from
evaluations.participation.records, called once per batch of cells (a fixed number of queries per batch,
never one per member); the rosters of a batch come from one query. Only one batch of members is in
memory at a time, and each file is written into the ZIP as soon as it is made.
"""

import csv
import hashlib
import io
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify
from openpyxl.styles import Font

from core.spreadsheets import safe_row, write_only_book
from core.text import fold
from evaluations import participation
from evaluations.documents import COLUMNS, record_row
from organizations.models import Member, Membership, Organization
from organizations.permissions import active_q
from organizations.selectors import vietnamese_name_key

BATCH_CELLS = 100
SUMMARY = "tong-hop.xlsx"
MANIFEST = "manifest.csv"
SUMMARY_COLUMNS = (
    "Tổ chức",
    "Chi bộ",
    "Số đảng viên",
    "Số lượt phải dự",
    "Có mặt",
    "Vắng có lý do",
    "Vắng không lý do",
    "Tỷ lệ dự họp",
    "Dự thảo được gửi",
    "Đã mở",
    "Góp ý",
    "Phát biểu",
    "Chuyên đề chuẩn bị",
    "Tệp",
)

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class CellEntry:
    pk: int
    name: str
    folder: str  # "to-chuc-a/to-chuc-b" below the Đảng bộ, slugs of the organisations' names


def _slug(name: str, pk: int) -> str:
    # The id keeps two cells of the same name apart.
    return f"{slugify(fold(name))[:60] or 'to-chuc'}-{pk}"


def cells_under(party: Organization) -> list[CellEntry]:
    """The cells below ``party`` in tree order, each with its folder (two queries: organisations, not
    members, are few enough to hold)."""
    names = dict(
        Organization.objects.filter(path__startswith=party.path).values_list("pk", "name").order_by()
    )
    entries = []
    for pk, name, path in (
        Organization.objects.filter(path__startswith=party.path, kind=Organization.Kind.CELL)
        .order_by("path")
        .values_list("pk", "name", "path")
    ):
        ids = [int(part) for part in path.split(".") if part]
        between = ids[ids.index(party.pk) + 1 : -1]
        entries.append(CellEntry(pk, name, "/".join(_slug(names[i], i) for i in between)))
    return entries


def _batches(cells: list[CellEntry], size: int) -> Iterator[list[CellEntry]]:
    for start in range(0, len(cells), size):
        yield cells[start : start + size]


def _roster_memberships(cell_ids: list[int], year: int) -> QuerySet[Membership]:
    on = min(date(year, 12, 31), timezone.localdate())
    return Membership.objects.filter(
        active_q(on=on), organization_id__in=cell_ids, kind=Membership.Kind.REGULAR
    )


def rosters(cell_ids: list[int], year: int) -> dict[int, list[Member]]:
    """Each cell's own members at the end of ``year`` (today during the year), in name order: the
    roster evaluations.review.roster gives one cell, for a batch of cells in one query."""
    result: dict[int, list[Member]] = {pk: [] for pk in cell_ids}
    for membership in _roster_memberships(cell_ids, year).select_related("member"):
        result[membership.organization_id].append(membership.member)
    for members in result.values():
        members.sort(key=lambda m: vietnamese_name_key(m.full_name))
    return result


# --- Each cell's table, written directly --------------------------------------------------------
# openpyxl spends about 10 ms on every workbook it saves, whatever its size (its styles, theme and
# parts), and 0.2 ms a row: 3,000 cells' tables took 45 s of the province's archive. The table's
# workbook is always the same but for its rows, so the archive writes it itself: the same sheet as
# evaluations.documents.write_records (title, bold headings, column A 28 wide, panes frozen at B3,
# names as text even when they start with "=", figures as numbers), a tenth of the time
# (test_archive compares the two cell by cell).

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_PARTS = {
    "[Content_Types].xml": (
        f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'{_HEAD}<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
        f'Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC}"><sheets>'
        '<sheet name="Tham gia" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'{_HEAD}<Relationships xmlns="{_RELS}">'
        f'<Relationship Id="rId1" Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_DOC}/styles" Target="styles.xml"/></Relationships>'
    ),
    # Styles: 0 plain, 1 bold (headings), 2 bold 13 pt (title), as write_records sets them.
    "xl/styles.xml": (
        f'{_HEAD}<styleSheet xmlns="{_MAIN}"><fonts count="3">'
        '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        '<font><b val="1"/></font>'
        '<font><b val="1"/><sz val="13"/><name val="Calibri"/><family val="2"/></font></fonts>'
        '<fills count="2"><fill><patternFill/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    ),
}
_SHEET_START = (
    f'{_HEAD}<worksheet xmlns="{_MAIN}"><sheetViews><sheetView workbookViewId="0">'
    '<pane xSplit="1" ySplit="2" topLeftCell="B3" activePane="bottomRight" state="frozen"/>'
    '<selection pane="bottomRight" activeCell="B3" sqref="B3"/></sheetView></sheetViews>'
    '<sheetFormatPr defaultRowHeight="15"/><cols><col min="1" max="1" width="28" customWidth="1"/></cols>'
    "<sheetData>"
)
_SHEET_END = "</sheetData></worksheet>"
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Characters XML 1.0 cannot hold (openpyxl refuses them; a name never needs them).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell(ref: str, value: Any, style: int = 0) -> str:
    s = f' s="{style}"' if style else ""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        text = escape(_ILLEGAL.sub("", str(value)))
        return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    return f'<c r="{ref}"{s}><v>{value}</v></c>'


def _row(number: int, values: list[Any], style: int = 0) -> str:
    cells = "".join(_cell(f"{_LETTERS[i]}{number}", v, style) for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


def cell_table(records: list[participation.Record], title: str) -> bytes:
    """The cell's participation table as XLSX bytes: what evaluations.documents.write_records writes."""
    rows = [_row(1, [title], 2), _row(2, list(COLUMNS), 1)]
    rows.extend(_row(number, record_row(r)) for number, r in enumerate(records, start=3))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for name, text in _PARTS.items():
            book.writestr(name, text)
        book.writestr("xl/worksheets/sheet1.xml", _SHEET_START + "".join(rows) + _SHEET_END)
    return buffer.getvalue()


def write_archive(
    party: Organization, year: int, out: BinaryIO, progress: Progress | None = None
) -> tuple[int, int]:
    """Write the archive of ``party`` for ``year`` to ``out``; returns (cells, members) in it."""
    cells = cells_under(party)
    manifest: list[tuple[str, int, str]] = []
    summary_book = write_only_book()
    summary = summary_book.create_sheet("Tong hop")
    summary.column_dimensions["A"].width = 40
    summary.column_dimensions["B"].width = 36
    summary.freeze_panes = "C3"
    summary.append(safe_row(summary, [f"{party.name} · {year}"], font=Font(bold=True, size=13)))
    summary.append(safe_row(summary, list(SUMMARY_COLUMNS), font=Font(bold=True)))
    members_total = 0
    done = 0
    # XLSX files are already compressed: stored as they are, the ZIP costs no second compression.
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:

        def add(name: str, data: bytes) -> None:
            archive.writestr(name, data)
            manifest.append((name, len(data), hashlib.sha256(data).hexdigest()))

        if progress:
            progress(0, len(cells))
        for batch in _batches(cells, BATCH_CELLS):
            ids = [c.pk for c in batch]
            by_cell = rosters(ids, year)
            # The batch's members as a subquery in each query, not a list of thousands of ids.
            among = _roster_memberships(ids, year).values("member_id")
            members = [m for members in by_cell.values() for m in members]
            records = participation.records(members, year, among=among)
            for cell in batch:
                rows = [records[m.pk] for m in by_cell[cell.pk]]
                name = f"{cell.folder}/{_slug(cell.name, cell.pk)}.xlsx".lstrip("/")
                add(name, cell_table(rows, f"{cell.name} · {year}"))
                present = sum(r.present for r in rows)
                expected = sum(r.expected for r in rows)
                summary.append(
                    safe_row(
                        summary,
                        [
                            cell.folder,
                            cell.name,
                            len(rows),
                            expected,
                            present,
                            sum(r.excused for r in rows),
                            sum(r.unexcused for r in rows),
                            present / expected if expected else None,
                            sum(r.drafts for r in rows),
                            sum(r.opened for r in rows),
                            sum(r.comments for r in rows),
                            sum(r.speeches for r in rows),
                            sum(len(r.presented) for r in rows),
                            name,
                        ],
                        formats={7: "0.0%"},
                    )
                )
                members_total += len(rows)
            done += len(batch)
            if progress:
                progress(done, len(cells))
        with tempfile.TemporaryFile() as summary_file:
            summary_book.save(summary_file)
            summary_file.seek(0)
            add(SUMMARY, summary_file.read())
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(["file", "bytes", "sha256"])
        writer.writerows(manifest)
        archive.writestr(MANIFEST, text.getvalue().encode())
    return len(cells), members_total


def archive_name(party: Organization, year: int) -> str:
    return f"{slugify(fold(f'ho-so-tham-gia-{year}-{party.name}')) or 'ho-so-tham-gia'}.zip"
