"""Reading the uploaded file: bytes → sheets → the located header row → one :class:`Row` per data row,
each cell read and checked on its own (matching rows to members is :mod:`.writing`'s business).

The file
    XLSX (recognised by its content, not its name) or CSV in UTF-8, with or without the byte order
    mark Excel writes. The header row carries the official Vietnamese column names of
    :data:`~organizations.importing.columns.COLUMNS`; they are matched without regard to case,
    diacritics, spaces and punctuation, and may sit below a few title rows. Unknown columns (STT,
    notes…) are ignored. Dates are real date cells, ``dd/mm/yyyy`` (Vietnamese day-first order;
    ``-`` or ``.`` also separate) or ISO ``yyyy-mm-dd``.
"""

import csv
import io
import re
import unicodedata
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import openpyxl
from django.conf import settings
from django.utils.translation import gettext as _

from core.errors import DomainError
from organizations.importing.columns import COLUMNS, JOINED_ON, Column, choice_value, choice_words, column_for
from organizations.models import Member, Membership

# A cell has a few dozen members; far more rows means a wrong file (or a hostile one).
MAX_ROWS = 5000
# The header row may sit below a few title lines ("DANH SÁCH ĐẢNG VIÊN CHI BỘ …").
HEADER_SEARCH_ROWS = 10


def read_rows(uploaded_file: Any, today: date) -> list["Row"]:
    """Every data row of the file, each cell read and checked; rows are not matched to members yet.

    Raises :class:`DomainError` (on the ``file`` field) when the file itself cannot be used."""
    table, columns = _locate(_tables(_read_upload(uploaded_file)))
    if not table:
        raise _no_data_rows()
    return [_read_row(number, cells, columns, today) for number, cells in table]


def _not_a_spreadsheet() -> DomainError:
    return DomainError(_("The file is not an XLSX or CSV spreadsheet."), field="file")


def _no_data_rows() -> DomainError:
    return DomainError(_("The file has no data rows."), field="file")


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
        columns = {i: column_for(value) for i, value in enumerate(cells) if _is_filled(value)}
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
    present = {known.key for value in first[0][1] if (known := column_for(value))}
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
class Row:
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


def _read_row(number: int, cells: list[Any], columns: dict[int, Column], today: date) -> Row:
    row = Row(number=number, full_name="")
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
    value = choice_value(kind, text)
    if value is None:
        raise ValueError(
            _("“%(value)s” is not one of: %(values)s.") % {"value": text, "values": choice_words(kind)}
        )
    return value
