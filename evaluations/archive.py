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
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from django.utils import timezone
from django.utils.text import slugify
from openpyxl.styles import Font

from core.spreadsheets import safe_row, write_only_book
from core.text import fold
from evaluations import participation
from evaluations.documents import write_records
from organizations.models import Member, Membership, Organization
from organizations.permissions import active_q
from organizations.selectors import vietnamese_name_key

BATCH_CELLS = 50
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


def rosters(cell_ids: list[int], year: int) -> dict[int, list[Member]]:
    """Each cell's own members at the end of ``year`` (today during the year), in name order: the
    roster evaluations.review.roster gives one cell, for a batch of cells in one query."""
    on = min(date(year, 12, 31), timezone.localdate())
    result: dict[int, list[Member]] = {pk: [] for pk in cell_ids}
    for membership in Membership.objects.filter(
        active_q(on=on), organization_id__in=cell_ids, kind=Membership.Kind.REGULAR
    ).select_related("member"):
        result[membership.organization_id].append(membership.member)
    for members in result.values():
        members.sort(key=lambda m: vietnamese_name_key(m.full_name))
    return result


class _Hashing:
    """Counts and hashes what is written to a ZIP entry."""

    def __init__(self) -> None:
        self.sha = hashlib.sha256()
        self.size = 0

    def add(self, data: bytes) -> bytes:
        self.sha.update(data)
        self.size += len(data)
        return data


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
            by_cell = rosters([c.pk for c in batch], year)
            records = participation.records([m for members in by_cell.values() for m in members], year)
            for cell in batch:
                rows = [records[m.pk] for m in by_cell[cell.pk]]
                name = f"{cell.folder}/{_slug(cell.name, cell.pk)}.xlsx".lstrip("/")
                buffer = io.BytesIO()
                write_records(rows, f"{cell.name} · {year}", buffer)
                add(name, buffer.getvalue())
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
