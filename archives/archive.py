"""Writing the archive of one cell's committee term (docs/archive.md).

One ZIP, streamed to disk member by member (never whole in memory):

* ``van-ban/<type>/<symbol>.pdf|.docx``: every document the cell issued in the term, as stored
  (documents.files; frozen first when it is not yet), never rendered again; the minutes are in the book;
* ``so-bien-ban/<nnn>-<date>-<symbol>.pdf|.docx`` and ``so-bien-ban/MUC-LUC-SO-BIEN-BAN.txt``: the
  minutes book, every meeting of the term in date order, its newest approved minutes as stored;
* ``nghi-quyet/nghi-quyet-va-nhiem-vu.xlsx|.pdf``: the resolutions and their tasks with their outcome;
* ``tham-gia/<year>/tham-gia-<year>.xlsx``: each member's participation record for every year of
  the term (evaluations.participation, one row a member);
* ``MUC-LUC.txt``: the index for a person; ``manifest.json``: for a program (every other file's path,
  SHA-256, size and what it is).

The queries are a fixed number whatever the number of documents (documents with their files, meetings,
minutes versions, resolutions with tasks and owners, and per year the participation figures); only a
document not yet frozen costs its own rendering.
"""

import hashlib
import io
import json
import os
import secrets
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from openpyxl.styles import Font

from core.spreadsheets import safe_row, write_only_book
from core.text import fold
from documents import files as issued_files
from documents.fonts import document_fonts
from documents.models import IssuedDocument, IssuedFile
from documents.wording import day_phrase
from evaluations import participation
from evaluations.archive import cell_table
from meetings.models import Meeting, MinutesVersion, Resolution, ResolutionTask
from organizations.models import Member, Membership, Organization, Term
from organizations.selectors import vietnamese_name_key

FORMAT = "chuyende-term-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
INDEX = "MUC-LUC.txt"
BOOK_INDEX = "so-bien-ban/MUC-LUC-SO-BIEN-BAN.txt"
CHUNK = 64 * 1024
# Formats already compressed are stored as they are; text is deflated.
_STORED_SUFFIXES = (".pdf", ".docx", ".xlsx", ".zip")
# Of the stored files of one version, the one to keep: a signed PDF (documents' PAdES, when it exists)
# before the file as issued; a kind not listed comes last.
KIND_PREFERENCE = ("signed", IssuedFile.Kind.ISSUED.value)

Progress = Callable[[int, int], None]

KIND_WORDS: dict[str, str] = {
    Meeting.Kind.REGULAR: "Sinh hoạt thường kỳ",
    Meeting.Kind.THEMATIC: "Sinh hoạt chuyên đề",
    Meeting.Kind.COMBINED: "Thường kỳ kết hợp chuyên đề",
}


class StoredFileChanged(Exception):
    """A stored file of an issued document no longer matches its SHA-256: no archive is made with it."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _kind_rank(kind: str) -> int:
    return KIND_PREFERENCE.index(kind) if kind in KIND_PREFERENCE else len(KIND_PREFERENCE)


def chosen_files(stored: Iterable[IssuedFile]) -> list[IssuedFile]:
    """The files of one document that go into an archive: for each format, its newest version, and of
    that version the signed file when there is one (else the file as issued). The one place this is
    decided."""
    best: dict[str, IssuedFile] = {}
    for candidate in stored:
        current = best.get(candidate.format)
        if current is None or (candidate.version, -_kind_rank(candidate.kind)) > (
            current.version,
            -_kind_rank(current.kind),
        ):
            best[candidate.format] = candidate
    return [best[fmt] for fmt in issued_files.FORMATS if fmt in best]


def term_end(term: Term, today: date | None = None) -> date:
    """The last day the archive covers: the term's end, or today for a term still running."""
    today = today or timezone.localdate()
    return min(term.end_date, today) if term.end_date else today


def is_running(term: Term, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return term.end_date is None or term.end_date >= today


def term_years(term: Term, today: date | None = None) -> list[int]:
    return list(range(term.start_date.year, term_end(term, today).year + 1))


def _slug(text: str, fallback: str) -> str:
    return slugify(fold(text)) or fallback


# --- What goes in -------------------------------------------------------------------------------


@dataclass
class MinutesEntry:
    """One meeting of the term in the minutes book, with its newest approved minutes (if any)."""

    meeting_id: int
    day: date
    kind: str
    document: IssuedDocument | None = None
    version: int = 1
    frame_id: int | None = None  # the MinutesVersion row to freeze from, when not stored yet


@dataclass
class Contents:
    documents: list[IssuedDocument]
    minutes: list[MinutesEntry]
    resolutions: list[Resolution]
    years: list[int]
    files: dict[int, list[IssuedFile]] = field(default_factory=dict)


def _documents(cell: Organization, term: Term) -> list[IssuedDocument]:
    stored = IssuedFile.objects.order_by("version", "format", "pk")
    return list(
        IssuedDocument.objects.filter(organization=cell, term=term)
        .prefetch_related(Prefetch("files", queryset=stored))
        .order_by("doc_type", "number")
    )


def _minutes(cell: Organization, term: Term, documents: list[IssuedDocument]) -> list[MinutesEntry]:
    """Every meeting of the cell in the term's dates, in date order, with its minutes document."""
    by_id = {d.pk: d for d in documents}
    meetings = list(
        Meeting.objects.filter(cell=cell, date__gte=term.start_date, date__lte=term_end(term))
        .order_by("date", "start_time", "pk")
        .values_list("pk", "date", "kind", "minutes_document_id")
    )
    newest: dict[int, tuple[int, int]] = {}
    for row_id, meeting_id, number in (
        MinutesVersion.objects.filter(meeting_id__in=[m[0] for m in meetings])
        .order_by("meeting_id", "number")
        .values_list("pk", "meeting_id", "number")
    ):
        newest[meeting_id] = (number, row_id)
    entries = []
    for pk, day, kind, document_id in meetings:
        entry = MinutesEntry(pk, day, kind, by_id.get(document_id) if document_id else None)
        if entry.document is not None and pk in newest:
            entry.version, entry.frame_id = newest[pk]
        entries.append(entry)
    return entries


def _resolutions(documents: list[IssuedDocument]) -> list[Resolution]:
    tasks = ResolutionTask.objects.order_by("position", "pk").prefetch_related(
        Prefetch("owners", queryset=Member.objects.order_by("full_name"))
    )
    return sorted(
        Resolution.objects.filter(document__in=[d.pk for d in documents if d.doc_type in ("NQ", "KL")])
        .select_related("document", "meeting__session")
        .prefetch_related(Prefetch("tasks", queryset=tasks)),
        key=_resolution_order,
    )


def _resolution_order(resolution: Resolution) -> tuple[date, str, int]:
    document = resolution.document
    assert document is not None  # filtered on it
    return (document.issued_on, document.doc_type, document.number)


def contents(cell: Organization, term: Term) -> Contents:
    documents = _documents(cell, term)
    return Contents(
        documents=documents,
        minutes=_minutes(cell, term, documents),
        resolutions=_resolutions(documents),
        years=term_years(term),
        files={d.pk: chosen_files(d.files.all()) for d in documents},
    )


def freeze_missing(found: Contents) -> int:
    """Store the files not stored yet (documents issued while no worker ran, minutes corrected and never
    downloaded since): the archive holds stored files only. Returns how many were made."""
    minutes_version = {m.document.pk: m for m in found.minutes if m.document is not None}
    made = 0
    for document in found.documents:
        entry = minutes_version.get(document.pk)
        version = entry.version if entry else 1
        have = {f.format for f in found.files[document.pk] if f.version >= version}
        missing = [fmt for fmt in issued_files.FORMATS if fmt not in have]
        if not missing:
            continue
        frame = None
        if version > 1 and entry is not None and entry.frame_id is not None:
            frame = MinutesVersion.objects.get(pk=entry.frame_id).frame
        for fmt in missing:
            issued_files.freeze(document, fmt, version=version, frame=frame)
            made += 1
        found.files[document.pk] = chosen_files(IssuedFile.objects.filter(document=document))
    return made


# --- The tables ---------------------------------------------------------------------------------

RESOLUTION_COLUMNS = (
    "Số, ký hiệu",
    "Ngày ban hành",
    "Chuyên đề / nội dung",
    "Nhiệm vụ",
    "Người thực hiện",
    "Thời hạn",
    "Kết quả",
)


def task_outcome(task: ResolutionTask | None, today: date) -> str:
    if task is None:
        return ""
    if task.done_at is not None:
        done_on = timezone.localtime(task.done_at).date()
        text = f"Đã hoàn thành ngày {done_on:%d/%m/%Y}"
        return f"{text}: {task.done_note}" if task.done_note else text
    if task.deadline < today:
        return "Quá hạn, chưa hoàn thành"
    return "Đang thực hiện"


def resolution_rows(resolutions: list[Resolution], today: date) -> list[list[str]]:
    rows = []
    for resolution in resolutions:
        document = resolution.document
        assert document is not None  # only issued resolutions are archived
        session = resolution.meeting.session
        topic = session.title if session is not None else document.summary
        tasks: list[ResolutionTask | None] = list(resolution.tasks.all()) or [None]
        for task in tasks:
            rows.append(
                [
                    document.symbol,
                    f"{document.issued_on:%d/%m/%Y}",
                    topic,
                    task.description if task else "(không có nhiệm vụ)",
                    ", ".join(o.full_name for o in task.owners.all()) if task else "",
                    f"{task.deadline:%d/%m/%Y}" if task else "",
                    task_outcome(task, today),
                ]
            )
    return rows


def xlsx(title: str, columns: Iterable[str], rows: Iterable[list[Any]]) -> bytes:
    book = write_only_book()
    sheet = book.create_sheet("Bang")
    sheet.freeze_panes = "A3"
    sheet.append(safe_row(sheet, [title], font=Font(bold=True, size=13)))
    sheet.append(safe_row(sheet, list(columns), font=Font(bold=True)))
    for row in rows:
        sheet.append(safe_row(sheet, list(row)))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pdf_table(title: str, subtitle: str, columns: Iterable[str], rows: Iterable[list[Any]]) -> bytes:
    """A readable table on landscape A4 with the documents' font (WeasyPrint; only font files fetched)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(
        "archives/table.html",
        {
            "title": title,
            "subtitle": subtitle,
            "columns": list(columns),
            "rows": [[str(v) if v is not None else "" for v in row] for row in rows],
            "fonts": document_fonts(),
        },
    )
    pdf = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=("file",))).write_pdf()
    assert pdf is not None
    return pdf


def year_members(cell: Organization, term: Term) -> dict[int, list[Member]]:
    """For every year of the term, the cell's own members at any time of it within the term, in name
    order (one query)."""
    end = term_end(term)
    memberships = list(
        Membership.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=term.start_date),
            organization=cell,
            kind=Membership.Kind.REGULAR,
            start_date__lte=end,
        ).select_related("member")
    )
    result: dict[int, list[Member]] = {}
    for year in term_years(term):
        first, last = max(term.start_date, date(year, 1, 1)), min(end, date(year, 12, 31))
        members = {
            m.member_id: m.member
            for m in memberships
            if m.start_date <= last and (m.end_date is None or m.end_date >= first)
        }
        result[year] = sorted(members.values(), key=lambda m: vietnamese_name_key(m.full_name))
    return result


# --- Writing ------------------------------------------------------------------------------------


@dataclass
class Entry:
    path: str
    sha256: str
    size: int
    kind: str
    description: str
    document: dict[str, Any] | None = None
    year: int | None = None

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "path": self.path,
            "sha256": self.sha256,
            "size": self.size,
            "kind": self.kind,
            "description": self.description,
        }
        if self.document is not None:
            data["document"] = self.document
        if self.year is not None:
            data["year"] = self.year
        return data


class _Zip:
    """The ZIP being written: each member streamed in, its SHA-256 and size noted for the manifest."""

    def __init__(self, out: IO[bytes], when: datetime) -> None:
        self.zip = zipfile.ZipFile(out, "w", allowZip64=True)
        local = timezone.localtime(when)
        self.date_time = (local.year, local.month, local.day, local.hour, local.minute, local.second)
        self.entries: list[Entry] = []

    def _info(self, path: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(path, date_time=self.date_time)
        stored = path.lower().endswith(_STORED_SUFFIXES)
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        return info

    def add_bytes(self, path: str, data: bytes, kind: str, description: str, **extra: Any) -> Entry:
        self.zip.writestr(self._info(path), data)
        entry = Entry(path, hashlib.sha256(data).hexdigest(), len(data), kind, description, **extra)
        self.entries.append(entry)
        return entry

    def add_stored(self, path: str, stored: IssuedFile, kind: str, description: str, **extra: Any) -> Entry:
        """Copy a stored file in chunks, checking it still matches the SHA-256 it was stored with."""
        digest, size = hashlib.sha256(), 0
        with stored.file.open("rb") as source, self.zip.open(self._info(path), "w", force_zip64=True) as dest:
            for chunk in iter(lambda: source.read(CHUNK), b""):
                digest.update(chunk)
                size += len(chunk)
                dest.write(chunk)
        if digest.hexdigest() != stored.sha256:
            raise StoredFileChanged(stored.file.name)
        entry = Entry(path, stored.sha256, size, kind, description, **extra)
        self.entries.append(entry)
        return entry

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> "_Zip":
        return self

    def __exit__(self, *exc: object) -> None:
        # Closed on an error too (a stored file that changed), or the ZipFile would try later.
        self.close()


def document_info(document: IssuedDocument, stored: IssuedFile) -> dict[str, Any]:
    return {
        "id": document.pk,
        "symbol": document.symbol,
        "number": document.number,
        "type": document.doc_type,
        "type_name": _TYPE_WORDS.get(document.doc_type, ""),
        "title": document.title,
        "summary": document.summary,
        "issued_on": document.issued_on.isoformat(),
        "code": document.code,
        "format": stored.format,
        "version": stored.version,
        "file_kind": stored.kind,
    }


# The documents' types as Vietnamese words (the archive's index is a Vietnamese record, as the documents).
_TYPE_WORDS = {
    "NQ": "Nghị quyết",
    "KH": "Kế hoạch",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TB": "Thông báo",
    "KL": "Kết luận",
    "QĐ": "Quyết định",
    "CTr": "Chương trình",
    "CV": "Công văn",
}


@dataclass(frozen=True)
class Header:
    """Who and what the archive is of, written into its index and manifest."""

    archive_id: int | None
    version: int
    provisional: bool
    generated_at: datetime
    generated_by: str


def _document_path(document: IssuedDocument, stored: IssuedFile) -> str:
    folder = _slug(document.doc_type, "vb")
    return f"van-ban/{folder}/{_slug(document.symbol, 'van-ban')}.{stored.format}"


def write_archive(
    cell: Organization, term: Term, header: Header, out: IO[bytes], progress: Progress | None = None
) -> dict[str, Any]:
    """Write the archive to ``out`` (a file open for writing); returns the manifest written."""
    found = contents(cell, term)
    years = found.years
    total = len(found.documents) + len(years) + 2
    if progress:
        progress(0, total)
    freeze_missing(found)
    today = timezone.localdate()
    zip_ = _Zip(out, header.generated_at)
    with zip_:
        in_book = {m.document.pk for m in found.minutes if m.document is not None}
        index_docs: list[str] = []
        done = 0
        # 1. The issued documents (other than the minutes, which make the book).
        for document in found.documents:
            if document.pk in in_book:
                continue
            paths = []
            for stored in found.files[document.pk]:
                path = _document_path(document, stored)
                zip_.add_stored(
                    path,
                    stored,
                    "document",
                    f"{document.symbol} {document.title} {document.summary}".strip(),
                    document=document_info(document, stored),
                )
                paths.append(path)
            index_docs.append(
                f"- {document.symbol}, {document.issued_on:%d/%m/%Y}, "
                f"{_TYPE_WORDS.get(document.doc_type, '')}: "
                f"{document.title} {document.summary}".rstrip()
                + "".join(f"\n    {p}" for p in paths)
            )
            done += 1
            if progress and done % 20 == 0:
                progress(done, total)
        # 2. The minutes book, in date order.
        book_lines = [
            "SỔ BIÊN BẢN SINH HOẠT CHI BỘ",
            f"{cell.name} · Nhiệm kỳ {term.name}",
            "",
        ]
        for order, entry in enumerate(found.minutes, start=1):
            label = f"{order:03d}. {entry.day:%d/%m/%Y} · {KIND_WORDS.get(entry.kind, entry.kind)}"
            if entry.document is None:
                book_lines.append(f"{label}: chưa có biên bản được thông qua")
                continue
            document = entry.document
            version = f" (bản sửa lần {entry.version - 1})" if entry.version > 1 else ""
            book_lines.append(f"{label}: biên bản số {document.symbol}{version}")
            for stored in found.files[document.pk]:
                stem = f"{order:03d}-{entry.day:%Y-%m-%d}-{_slug(document.symbol, 'bb')}"
                path = f"so-bien-ban/{stem}.{stored.format}"
                zip_.add_stored(
                    path,
                    stored,
                    "minutes",
                    f"Biên bản {document.symbol}, {entry.day:%d/%m/%Y}",
                    document=document_info(document, stored),
                )
                book_lines.append(f"    {path}")
            done += 1
        if not found.minutes:
            book_lines.append("(Không có cuộc họp nào trong nhiệm kỳ.)")
        zip_.add_bytes(BOOK_INDEX, _text(book_lines), "index", "Mục lục sổ biên bản")
        # 3. The resolutions and their tasks.
        rows = resolution_rows(found.resolutions, today)
        title = f"NGHỊ QUYẾT VÀ VIỆC THỰC HIỆN NHIỆM VỤ · {cell.name} · Nhiệm kỳ {term.name}"
        subtitle = f"Tình hình đến {day_phrase(today)}"
        zip_.add_bytes(
            "nghi-quyet/nghi-quyet-va-nhiem-vu.xlsx",
            xlsx(title, RESOLUTION_COLUMNS, rows),
            "resolutions",
            "Nghị quyết, nhiệm vụ và kết quả thực hiện (XLSX)",
        )
        zip_.add_bytes(
            "nghi-quyet/nghi-quyet-va-nhiem-vu.pdf",
            pdf_table(title, subtitle, RESOLUTION_COLUMNS, rows),
            "resolutions",
            "Nghị quyết, nhiệm vụ và kết quả thực hiện (PDF)",
        )
        done += 1
        if progress:
            progress(done, total)
        # 4. The members' participation, year by year.
        members_by_year = year_members(cell, term)
        participation_lines = []
        for year in years:
            members = members_by_year[year]
            records = participation.records(members, year)
            ordered = [records[m.pk] for m in members]
            table_title = f"Tham gia sinh hoạt năm {year} · {cell.name}"
            base = f"tham-gia/{year}/tham-gia-{year}"
            zip_.add_bytes(
                f"{base}.xlsx",
                cell_table(ordered, table_title),
                "participation",
                f"Tham gia sinh hoạt của đảng viên năm {year} (XLSX)",
                year=year,
            )
            participation_lines.append(f"- Năm {year}: {len(members)} đảng viên\n    {base}.xlsx")
            done += 1
            if progress:
                progress(done, total)
        # 5. The index, then the manifest of everything.
        lines = _index_head(cell, term, header)
        lines += ["", "I. VĂN BẢN ĐÃ BAN HÀNH (trừ biên bản)", *(index_docs or ["(Không có.)"])]
        lines += ["", "II. SỔ BIÊN BẢN", f"    {BOOK_INDEX}", *[f"  {line}" for line in book_lines[3:]]]
        lines += [
            "",
            "III. NGHỊ QUYẾT VÀ VIỆC THỰC HIỆN NHIỆM VỤ",
            f"- {len(found.resolutions)} nghị quyết/kết luận",
            "    nghi-quyet/nghi-quyet-va-nhiem-vu.xlsx",
            "    nghi-quyet/nghi-quyet-va-nhiem-vu.pdf",
        ]
        lines += ["", "IV. THAM GIA SINH HOẠT CỦA ĐẢNG VIÊN", *(participation_lines or ["(Không có.)"])]
        lines += [
            "",
            f"{MANIFEST}: danh sách mọi tệp với dấu vân tay SHA-256 và kích thước, để kiểm tra bản lưu.",
        ]
        zip_.add_bytes(INDEX, _text(lines), "index", "Mục lục")
        manifest = _manifest(cell, term, header, found, zip_.entries)
        zip_.zip.writestr(zip_._info(MANIFEST), manifest_bytes(manifest))
    if progress:
        progress(total, total)
    return manifest


def _text(lines: list[str]) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _index_head(cell: Organization, term: Term, header: Header) -> list[str]:
    end = f"{term.end_date:%d/%m/%Y}" if term.end_date else "chưa kết thúc"
    lines = [
        "MỤC LỤC HỒ SƠ LƯU TRỮ NHIỆM KỲ",
        cell.name,
        f"Nhiệm kỳ {term.name} ({term.start_date:%d/%m/%Y} – {end})",
        f"Phiên bản {header.version} · lập lúc {timezone.localtime(header.generated_at):%H:%M %d/%m/%Y}"
        + (f" · người lập: {header.generated_by}" if header.generated_by else ""),
    ]
    if header.provisional:
        lines.append(
            f"BẢN TẠM THỜI: nhiệm kỳ chưa kết thúc, hồ sơ tính đến ngày {timezone.localdate():%d/%m/%Y}."
        )
    return lines


def _manifest(
    cell: Organization, term: Term, header: Header, found: Contents, entries: list[Entry]
) -> dict[str, Any]:
    from importlib import metadata

    try:
        version = metadata.version("chuyende")
    except metadata.PackageNotFoundError:
        version = "unknown"
    ancestors = dict(Organization.objects.filter(pk__in=cell.ancestor_ids()).values_list("pk", "name"))
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app": {"name": "chuyende", "version": version, "site": settings.SITE_URL},
        "archive": {"id": header.archive_id, "version": header.version, "provisional": header.provisional},
        "cell": {
            "id": cell.pk,
            "name": cell.name,
            "above": [ancestors[pk] for pk in cell.ancestor_ids() if pk in ancestors],
        },
        "term": {
            "id": term.pk,
            "name": term.name,
            "start_date": term.start_date.isoformat(),
            "end_date": term.end_date.isoformat() if term.end_date else None,
            "covered_until": term_end(term).isoformat(),
        },
        "generated_at": header.generated_at.isoformat(),
        "generated_by": header.generated_by,
        "counts": {
            "documents": len(found.documents),
            "meetings": len(found.minutes),
            "minutes": sum(1 for m in found.minutes if m.document is not None),
            "resolutions": len(found.resolutions),
            "years": found.years,
        },
        "files": [entry.as_json() for entry in entries],
    }


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False).encode("utf-8")


# --- Where archives are kept ----------------------------------------------------------------------


def directory() -> Path:
    return Path(settings.MEDIA_ROOT) / "archives"


def new_path(cell: Organization, term: Term, version: int) -> tuple[Path, str]:
    """(absolute path, name relative to MEDIA_ROOT) of a new archive file; the random part keeps the
    name from being guessed (only the archives' own view serves it)."""
    name = f"luu-tru-{_slug(cell.name, 'chi-bo')[:50]}-{_slug(term.name, 'nhiem-ky')}-v{version}"
    relative = f"archives/{cell.pk}/{name}-{secrets.token_hex(6)}.zip"
    return Path(settings.MEDIA_ROOT) / relative, relative


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_to(
    path: Path, cell: Organization, term: Term, header: Header, progress: Progress | None = None
) -> tuple[dict[str, Any], str, int]:
    """Write the archive to ``path`` (through a partial file renamed at the end); returns (manifest,
    SHA-256 of the ZIP, size)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    try:
        with open(partial, "wb") as out:
            manifest = write_archive(cell, term, header, out, progress)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return manifest, sha256_file(path), path.stat().st_size


def file_name(cell: Organization, term: Term, version: int) -> str:
    return f"luu-tru-{_slug(cell.name, 'chi-bo')[:60]}-{_slug(term.name, 'nhiem-ky')}-v{version}.zip"
