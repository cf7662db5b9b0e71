"""Importing a cell's member list from a spreadsheet (XLSX or CSV), and the template to fill in.

The file is read in full and **every row is checked before anything is written**; if one row is
wrong, nothing is imported and the person sees each wrong row with its reasons. Otherwise all rows
are written in one transaction. Importing the same file twice changes nothing the second time.

The file
    XLSX (recognised by its content, not its name) or CSV in UTF-8, with or without the byte order
    mark Excel writes. The header row carries the official Vietnamese column names of
    :data:`COLUMNS`; they are matched without regard to case, diacritics, spaces and punctuation, and
    may sit below a few title rows. Unknown columns (STT, notes…) are ignored. Dates are real date
    cells, ``dd/mm/yyyy`` (Vietnamese day-first order; ``-`` or ``.`` also separate) or ISO
    ``yyyy-mm-dd``.

Which member a row is
    * A row with a party card number is the member who has that card number. If nobody has it yet,
      it is the member with the same full name and date of birth who has no card number: a
      probationary member who has since become a full member and received the card.
    * A row without a card number (probationary members receive the card only after becoming full
      members) is the member with that full name and date of birth. A name alone is not enough in
      Vietnam; together with the date of birth a clash is rare, and when several members still match,
      the row is refused and asks for the card number.
    * An empty card number never removes a card number already on record.
    * A row that matches nobody is a new member, added to the cell as a regular member.

What is changed
    Only the fields whose values differ. An optional column absent from the file leaves that field
    as it is; an empty cell in a column that is present clears it. A member who belongs regularly to
    another cell is refused: that cell must end the membership first.
"""

import csv
import io
import re
import unicodedata
import warnings
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

import openpyxl
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.audit import log_action
from core.errors import DomainError, PermissionDenied
from organizations.models import Member, Membership, Organization
from organizations.permissions import can

# A cell has a few dozen members; far more rows means a wrong file (or a hostile one).
MAX_ROWS = 5000
# The header row may sit below a few title lines ("DANH SÁCH ĐẢNG VIÊN CHI BỘ …").
HEADER_SEARCH_ROWS = 10

TEMPLATE_NAME = "mau-danh-sach-dang-vien"
DATA_SHEET_TITLE = "Danh sách đảng viên"
GUIDE_SHEET_TITLE = "Hướng dẫn"

# The words people write in the file (data, like the column names), by the value they stand for.
GENDER_WORDS = {"Nam": Member.Gender.MALE, "Nữ": Member.Gender.FEMALE}
STATUS_WORDS = {"Chính thức": Member.Status.FULL, "Dự bị": Member.Status.PROBATIONARY}

JOINED_ON = "joined_on"  # not a Member field: the start of the membership in this cell


@dataclass(frozen=True)
class Column:
    """One column of the member list: the official Vietnamese name and how its cells are read."""

    key: str
    header: str
    kind: str  # "text", "date", "gender" or "status"
    required: bool
    width: int
    example: str
    help: Promise
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column(
        "full_name",
        "Họ và tên",
        "text",
        True,
        28,
        "Nguyễn Văn An",
        gettext_lazy("Full name, as on the Party card."),
        ("Họ tên",),
    ),
    Column("date_of_birth", "Ngày sinh", "date", True, 13, "02/03/1985", gettext_lazy("Day/month/year.")),
    Column("gender", "Giới tính", "gender", True, 10, "Nam", gettext_lazy("One of: %(values)s.")),
    Column(
        "party_card_number",
        "Số thẻ đảng viên",
        "text",
        True,
        18,
        "79123456",
        gettext_lazy("Empty for probationary members, who have no card yet."),
        ("Số thẻ", "Số thẻ Đảng"),
    ),
    Column(
        "admission_date",
        "Ngày vào Đảng",
        "date",
        True,
        15,
        "19/05/2010",
        gettext_lazy("Day/month/year."),
        ("Ngày kết nạp", "Ngày kết nạp Đảng"),
    ),
    Column(
        "official_date",
        "Ngày chính thức",
        "date",
        True,
        15,
        "19/05/2011",
        gettext_lazy("Day/month/year; empty for probationary members."),
    ),
    Column("status", "Trạng thái", "status", True, 13, "Chính thức", gettext_lazy("One of: %(values)s.")),
    Column(
        "job_title",
        "Chức vụ / nghề nghiệp",
        "text",
        False,
        28,
        "Giảng viên chính",
        gettext_lazy("Optional."),
        ("Chức vụ", "Nghề nghiệp"),
    ),
    Column(
        "strengths",
        "Sở trường, chuyên môn",
        "text",
        False,
        36,
        "Tư tưởng Hồ Chí Minh; xây dựng Đảng",
        gettext_lazy("Optional; used to suggest presenters for topics."),
        ("Sở trường", "Chuyên môn"),
    ),
    Column(
        "email",
        "Email",
        "text",
        False,
        28,
        "an.nv@example.vn",
        gettext_lazy("Optional."),
        ("E-mail", "Thư điện tử"),
    ),
    Column(
        "phone",
        "Điện thoại",
        "text",
        False,
        14,
        "0912345678",
        gettext_lazy("Optional."),
        ("Số điện thoại",),
    ),
    Column(
        JOINED_ON,
        "Ngày sinh hoạt tại chi bộ",
        "date",
        False,
        15,
        "01/09/2020",
        gettext_lazy("Optional; when empty, a new member's membership starts today."),
    ),
)


def _fold(text: Any) -> str:
    """A key that ignores case, diacritics, spaces and punctuation: "Số thẻ  Đảng viên" → "sothedangvien"."""
    decomposed = unicodedata.normalize("NFD", str(text)).replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in decomposed.lower() if c.isalnum() and not unicodedata.combining(c))


_COLUMN_BY_KEY = {_fold(name): column for column in COLUMNS for name in (column.header, *column.aliases)}
_GENDER_BY_KEY = {_fold(word): value for word, value in GENDER_WORDS.items()} | {
    "male": Member.Gender.MALE,
    "female": Member.Gender.FEMALE,
}
_STATUS_BY_KEY = {"full": Member.Status.FULL, "probationary": Member.Status.PROBATIONARY}


def choice_words(kind: str) -> str:
    """The words accepted in a gender or status cell, for instructions and error messages."""
    return ", ".join(GENDER_WORDS if kind == "gender" else STATUS_WORDS)


# --- Results and refusals --------------------------------------------------------------------


@dataclass
class RowError:
    """One refused row: its number as the spreadsheet shows it, the name written in it, the reasons."""

    row: int
    full_name: str
    reasons: list[str]


class ImportRejected(DomainError):
    """Some rows are wrong, so nothing was imported; ``rows`` lists each of them with its reasons."""

    def __init__(self, rows: list[RowError]):
        super().__init__(
            ngettext(
                "%(count)s row has errors, so nothing was imported. Correct it in the file and "
                "import it again.",
                "%(count)s rows have errors, so nothing was imported. Correct them in the file and "
                "import it again.",
                len(rows),
            )
            % {"count": len(rows)}
        )
        self.rows = rows


@dataclass
class ImportResult:
    """What an import did: members added to the cell, members updated, rows already up to date."""

    file_name: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _not_a_spreadsheet() -> DomainError:
    return DomainError(_("The file is not an XLSX or CSV spreadsheet."), field="file")


def _no_data_rows() -> DomainError:
    return DomainError(_("The file has no data rows."), field="file")


# --- Reading the file ------------------------------------------------------------------------

Table = list[tuple[int, list[Any]]]  # (row number as the spreadsheet shows it, cell values)

_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _read_upload(uploaded_file: Any) -> bytes:
    limit = settings.UPLOAD_MAX_MB * 1024 * 1024
    too_big = DomainError(
        _("The file is larger than %(size)s MB.") % {"size": settings.UPLOAD_MAX_MB}, field="file"
    )
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limit:
        raise too_big
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise too_big
    return data


def _tables(data: bytes) -> list[Table]:
    """The sheets of the file (one for a CSV), recognised by content, never by the file name."""
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_tables(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise DomainError(
            _("Old Excel files (.xls) cannot be read. Open the file in Excel and save it as .xlsx."),
            field="file",
        )
    not_utf8 = DomainError(
        _("The CSV file is not in UTF-8. In Excel, save it as “CSV UTF-8 (Comma delimited)”."), field="file"
    )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16, Excel's "Unicode Text"
        raise not_utf8
    if data.startswith(_BINARY_MAGIC) or _CONTROL_BYTES.search(data[:8192]):
        raise _not_a_spreadsheet()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise not_utf8 from None
    if not text.strip():
        raise _no_data_rows()
    return [_csv_table(text)]


def _xlsx_tables(data: bytes) -> list[Table]:
    # openpyxl warns about harmless oddities of files written by other programs; they are not ours
    # to fix, and the test suite turns warnings into errors.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:
            # Any zip that openpyxl cannot open (DOCX, ODS, a damaged file…) is not a workbook to us.
            raise _not_a_spreadsheet() from None
        try:
            tables = []
            for sheet in workbook.worksheets:
                # Some programs write wrong sheet dimensions; read what is actually there.
                sheet.reset_dimensions()
                tables.append(_bounded(enumerate(sheet.iter_rows(values_only=True), start=1)))
            return tables
        finally:
            workbook.close()


def _csv_table(text: str) -> Table:
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        return _bounded(enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1))
    except csv.Error:
        raise _not_a_spreadsheet() from None


def _bounded(rows: Iterable[tuple[int, Iterable[Any]]]) -> Table:
    table: Table = []
    for number, values in rows:
        cells = list(values)
        if not any(_is_filled(value) for value in cells):
            continue
        if number > MAX_ROWS:
            raise DomainError(_("The file has more than %(count)s rows.") % {"count": MAX_ROWS}, field="file")
        table.append((number, cells))
    return table


def _is_filled(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _header(table: Table) -> tuple[int, dict[int, Column]] | None:
    """The position of the header row and the column at each index, if the table has the name column."""
    for position, (_number, cells) in enumerate(table[:HEADER_SEARCH_ROWS]):
        columns = {i: _COLUMN_BY_KEY.get(_fold(value)) for i, value in enumerate(cells) if _is_filled(value)}
        if any(column is not None and column.key == "full_name" for column in columns.values()):
            return position, {i: column for i, column in columns.items() if column is not None}
    return None


def _locate(tables: list[Table]) -> tuple[Table, dict[int, Column]]:
    """The data rows and their columns, from the first sheet with a member-list header (the
    template's guide sheet comes second)."""
    for table in tables:
        found = _header(table)
        if found is None:
            continue
        position, columns = found
        seen: set[str] = set()
        for column in columns.values():
            if column.key in seen:
                raise DomainError(
                    _("The column “%(column)s” appears twice.") % {"column": column.header}, field="file"
                )
            seen.add(column.key)
        missing = _missing_columns(seen)
        if missing is not None:
            raise missing
        return table[position + 1 :], columns
    first = next((table for table in tables if table), None)
    if first is None:
        raise _no_data_rows()
    # No sheet has the name column: say what the first row lacks (the name column at least).
    present = {known.key for value in first[0][1] if (known := _COLUMN_BY_KEY.get(_fold(value)))}
    raise _missing_columns(present) or _not_a_spreadsheet()


def _missing_columns(present: set[str]) -> DomainError | None:
    missing = [column.header for column in COLUMNS if column.required and column.key not in present]
    if not missing:
        return None
    return DomainError(
        _("The file lacks these columns: %(columns)s. Download the template to see the expected columns.")
        % {"columns": ", ".join(f"“{name}”" for name in missing)},
        field="file",
    )


# --- Reading one row -------------------------------------------------------------------------

_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?")


def _text(value: Any, *, single_line: bool = True) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores typed numbers (card numbers) as floats
    if isinstance(value, datetime | date):
        value = f"{value:%d/%m/%Y}"
    text = unicodedata.normalize("NFC", str(value)).strip()
    return " ".join(text.split()) if single_line else text


def _parse_date(value: Any) -> date | None:
    """A date from a date cell or from text; ValueError when it is not one."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    if match := _DAY_FIRST.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
        return date(year, month, day)
    if match := _ISO.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
        return date(year, month, day)
    raise ValueError(text)


@dataclass
class _Row:
    """One data row on its way from the file to the database."""

    number: int
    full_name: str
    values: dict[str, Any] = field(default_factory=dict)  # Member fields whose column is in the file
    joined_on: date | None = None
    unreadable: set[str] = field(default_factory=set)
    reasons: list[str] = field(default_factory=list)
    member: Member | None = None  # the member to save: new, or the matched one with the changes set
    is_new: bool = False
    changes: list[str] = field(default_factory=list)
    membership: Membership | None = None  # the open regular membership in this cell, if any
    joins_cell: bool = False
    moves_start: bool = False

    @property
    def card(self) -> str:
        return self.values.get("party_card_number", "")

    @property
    def birth(self) -> date | None:
        return self.values.get("date_of_birth")


def _read_row(number: int, cells: list[Any], columns: dict[int, Column], today: date) -> _Row:
    row = _Row(number=number, full_name="")
    for index, column in columns.items():
        raw = cells[index] if index < len(cells) else None
        try:
            value = _cell_value(column, raw, today)
        except ValueError as error:
            row.unreadable.add(column.key)
            row.reasons.append(f"{column.header}: {error.args[0]}")
            continue
        if (
            column.required
            and column.key not in ("party_card_number", "official_date")
            and value in ("", None)
        ):
            row.unreadable.add(column.key)
            row.reasons.append(_("“%(column)s” is empty.") % {"column": column.header})
        elif column.key == JOINED_ON:
            row.joined_on = value
        else:
            row.values[column.key] = value
        if column.key == "full_name":
            row.full_name = value
    return row


def _cell_value(column: Column, raw: Any, today: date) -> Any:
    """The value of one cell for the model; ValueError with the reason shown to the person."""
    if column.kind == "date":
        return _date_value(raw, today)
    if column.kind in ("gender", "status"):
        return _choice_value(column.kind, raw)
    if column.key == "phone" and isinstance(raw, int | float) and len(_text(raw)) == 9:
        # A number typed into a General cell loses its leading zero (0912… becomes 912…).
        return "0" + _text(raw)
    return _text(raw, single_line=column.key != "strengths")


def _date_value(raw: Any, today: date) -> date | None:
    try:
        value = _parse_date(raw)
    except ValueError:
        raise ValueError(
            _("“%(value)s” is not a date; write it as dd/mm/yyyy.") % {"value": _text(raw)}
        ) from None
    if value is not None and value > today:
        raise ValueError(_("%(date)s is in the future.") % {"date": f"{value:%d/%m/%Y}"})
    return value


def _choice_value(kind: str, raw: Any) -> str:
    text = _text(raw)
    if not text:
        return ""
    value = _GENDER_BY_KEY.get(_fold(text)) if kind == "gender" else _status(text)
    if value is None:
        raise ValueError(
            _("“%(value)s” is not one of: %(values)s.") % {"value": text, "values": choice_words(kind)}
        )
    return value


def _status(text: str) -> str | None:
    key = _fold(text)
    # "Đảng viên chính thức", "ĐV dự bị" and the like are understood as well.
    for word, value in STATUS_WORDS.items():
        if key.endswith(_fold(word)):
            return value
    return _STATUS_BY_KEY.get(key)


# --- Matching and checking -------------------------------------------------------------------


def _open_regular(today: date) -> Q:
    return Q(kind=Membership.Kind.REGULAR) & (Q(end_date__isnull=True) | Q(end_date__gte=today))


def _check(rows: list[_Row], cell: Organization, today: date) -> None:
    """Match every row to a member, set its changes on the (unsaved) instance and validate it."""
    cards = {row.card for row in rows if row.card}
    names = {row.full_name for row in rows if row.full_name}
    known = list(Member.objects.filter(Q(party_card_number__in=cards) | Q(full_name__in=names)))
    by_card = {m.party_card_number: m for m in known if m.party_card_number}
    by_person: dict[tuple[str, date], list[Member]] = defaultdict(list)
    for m in known:
        by_person[(m.full_name, m.date_of_birth)].append(m)
    memberships: dict[int, list[Membership]] = defaultdict(list)
    for membership in Membership.objects.filter(_open_regular(today), member__in=known):
        memberships[membership.member_id].append(membership)

    card_rows: dict[str, int] = {}
    person_rows: dict[tuple[Any, ...], int] = {}
    for row in rows:
        repeated_card = row.card in card_rows
        if repeated_card:
            row.reasons.append(
                _("The card number %(card)s is also in row %(row)s.")
                % {"card": row.card, "row": card_rows[row.card]}
            )
        elif row.card:
            card_rows[row.card] = row.number
        if {"full_name", "date_of_birth"} & row.unreadable:
            _prepare(row, None)  # who it is cannot be told; still check the other cells of the row
            continue
        existing = _match(row, by_card, by_person, memberships, cell)
        # The same person twice in one file (a repeated card number has been reported already).
        if existing is not None:
            person: tuple[Any, ...] = ("member", existing.pk)
        else:
            person = ("card", row.card) if row.card else ("person", row.full_name, row.birth)
        if person in person_rows and not repeated_card:
            row.reasons.append(_("This is the same member as in row %(row)s.") % {"row": person_rows[person]})
        person_rows.setdefault(person, row.number)
        if existing is not None:
            open_here = [m for m in memberships[existing.pk] if m.organization_id == cell.pk]
            if len(open_here) < len(memberships[existing.pk]):
                row.reasons.append(
                    _("This member belongs to another cell; that cell must end the membership first.")
                )
                continue
            row.membership = open_here[0] if open_here else None
        _prepare(row, existing)


def _match(
    row: _Row,
    by_card: dict[str, Member],
    by_person: dict[tuple[str, date], list[Member]],
    memberships: dict[int, list[Membership]],
    cell: Organization,
) -> Member | None:
    if row.card and row.card in by_card:
        return by_card[row.card]
    candidates = by_person.get((row.full_name, row.birth), []) if row.birth else []
    if row.card:
        candidates = [m for m in candidates if not m.party_card_number]
    if len(candidates) > 1:
        in_cell = [m for m in candidates if any(x.organization_id == cell.pk for x in memberships[m.pk])]
        candidates = in_cell if len(in_cell) == 1 else candidates
    if len(candidates) > 1:
        row.reasons.append(_("Several members have this name and date of birth; add the party card number."))
        return None
    return candidates[0] if candidates else None


def _prepare(row: _Row, existing: Member | None) -> None:
    values = dict(row.values)
    if existing is None:
        row.is_new = True
        row.member = Member(**values)
    else:
        if not values.get("party_card_number") and existing.party_card_number:
            values.pop("party_card_number", None)  # an empty cell never takes a card away
        row.changes = [key for key, value in values.items() if getattr(existing, key) != value]
        row.member = existing  # loaded for this import only: a refused file leaves nothing behind
        for key in row.changes:
            setattr(row.member, key, values[key])
        row.joins_cell = row.membership is None
        row.moves_start = bool(
            row.membership and row.joined_on and row.joined_on != row.membership.start_date
        )
    if row.is_new or row.changes:
        try:
            row.member.full_clean(exclude=sorted(row.unreadable | {"user"}))
        except ValidationError as error:
            row.reasons.extend(_reasons(error))


_HEADER_BY_FIELD = {column.key: column.header for column in COLUMNS}


def _reasons(error: ValidationError) -> list[str]:
    reasons = []
    for field_name, messages in error.message_dict.items():
        label = _HEADER_BY_FIELD.get(field_name)
        for message in messages:
            reasons.append(f"{label}: {message}" if label and field_name != NON_FIELD_ERRORS else message)
    return reasons


# --- The service -----------------------------------------------------------------------------


def import_members(*, actor: Any, cell: Organization, uploaded_file: Any) -> ImportResult:
    """Import a cell's member list from an XLSX or CSV file: all rows are checked, then all written.

    Raises :class:`ImportRejected` (with every wrong row) or :class:`DomainError` (the file itself
    cannot be used); in both cases nothing is written. ``actor`` None is the system (commands).
    """
    if actor is not None and not can(actor, "organization.import_members", cell):
        raise PermissionDenied(_("You are not allowed to do this."))
    if not cell.is_cell:
        raise DomainError(_("Members belong to a cell, not directly to a Party organisation."))
    file_name = PurePath(getattr(uploaded_file, "name", "") or "").name[:100]
    table, columns = _locate(_tables(_read_upload(uploaded_file)))
    if not table:
        raise _no_data_rows()
    today = timezone.localdate()
    rows = [_read_row(number, cells, columns, today) for number, cells in table]
    _check(rows, cell, today)
    refused = [RowError(row.number, row.full_name, row.reasons) for row in rows if row.reasons]
    if refused:
        raise ImportRejected(refused)
    result = ImportResult(file_name=file_name)
    try:
        with transaction.atomic():
            for row in rows:
                _write(actor, cell, row, file_name, today, result)
    except IntegrityError:
        # Someone changed the same members between our checks and our writes.
        raise DomainError(
            _("The member list changed while the file was being imported; import it again."),
            field="file",
        ) from None
    return result


def _write(
    actor: Any, cell: Organization, row: _Row, file_name: str, today: date, result: ImportResult
) -> None:
    member = row.member
    assert member is not None  # every row without reasons has been prepared
    if row.is_new:
        member.save()
    elif row.changes:
        member.save(update_fields=row.changes)
    if row.is_new or row.joins_cell:
        Membership.objects.create(
            member=member, organization=cell, kind=Membership.Kind.REGULAR, start_date=row.joined_on or today
        )
        log_action(actor, "organizations.member.imported", member, {"file": file_name})
    elif row.moves_start and row.membership is not None and row.joined_on is not None:
        row.membership.start_date = row.joined_on
        row.membership.save(update_fields=["start_date"])
    labels = [str(getattr(Member._meta.get_field(key), "verbose_name", key)) for key in row.changes]
    if row.moves_start:
        labels.append(_("In this cell since"))
    if labels:
        log_action(
            actor,
            "organizations.member.import_updated",
            member,
            {"file": file_name, "fields": ", ".join(labels)},
        )
    if row.is_new or row.joins_cell:
        result.created += 1
    elif labels:
        result.updated += 1
    else:
        result.unchanged += 1


# --- The template ----------------------------------------------------------------------------


def _column_help(column: Column) -> str:
    if column.kind in ("gender", "status"):
        return str(column.help) % {"values": choice_words(column.kind)}
    return str(column.help)


def template_xlsx() -> bytes:
    """The XLSX template: the header row on the first sheet, an example and explanations on the second."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = DATA_SHEET_TITLE
    sheet.append([column.header for column in COLUMNS])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="F4D9D7")
    for index, column in enumerate(COLUMNS, start=1):
        header = sheet.cell(row=1, column=index)
        header.font = bold
        header.fill = fill
        header.alignment = Alignment(wrap_text=True, vertical="top")
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = column.width
        # Dates typed into the sheet become real dates; card and phone numbers stay text (leading 0).
        if column.kind == "date":
            dimension.number_format = "DD/MM/YYYY"
        elif column.key in ("party_card_number", "phone"):
            dimension.number_format = "@"
    sheet.freeze_panes = "A2"
    for kind, words in (("gender", GENDER_WORDS), ("status", STATUS_WORDS)):
        letter = get_column_letter(next(i for i, c in enumerate(COLUMNS, start=1) if c.kind == kind))
        validation = DataValidation(type="list", formula1=f'"{",".join(words)}"', allow_blank=True)
        validation.add(f"{letter}2:{letter}{MAX_ROWS}")
        sheet.add_data_validation(validation)

    guide = workbook.create_sheet(GUIDE_SHEET_TITLE)
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 14
    guide.column_dimensions["C"].width = 70
    guide.append([_("How to fill in the member list")])
    guide["A1"].font = Font(bold=True, size=13)
    for line in _guide_lines():
        guide.append([line])
    guide.append([])
    guide.append([_("Column"), _("Required column"), _("How to write it"), _("Example")])
    _emphasise(guide[guide.max_row], bold, fill)
    for column in COLUMNS:
        guide.append(
            [column.header, _("yes") if column.required else "", _column_help(column), column.example]
        )
    guide.append([])
    guide.append([_("An example row, as it is written on the first sheet:")])
    guide.append([column.header for column in COLUMNS])
    _emphasise(guide[guide.max_row], bold, fill)
    guide.append([column.example for column in COLUMNS])
    guide.column_dimensions["D"].width = 36
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _emphasise(cells: Iterable[Any], font: Font, fill: PatternFill) -> None:
    for cell in cells:
        cell.font = font
        cell.fill = fill


def _guide_lines() -> Iterator[str]:
    yield _(
        "Fill in one row per member on the sheet “%(sheet)s”, under the header row. Keep the column "
        "names; other columns are ignored."
    ) % {"sheet": DATA_SHEET_TITLE}
    yield _("Dates are written day/month/year, for example 19/05/2010.")
    yield _(
        "Members are matched by party card number; probationary members, who have no card yet, by full "
        "name and date of birth. Matched members are updated; the others are added to the cell."
    )
    yield _("If any row has an error, nothing is imported and each row to correct is listed.")


def template_csv() -> bytes:
    """The CSV template: the header row, in UTF-8 with the byte order mark Excel needs to read it."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([column.header for column in COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
