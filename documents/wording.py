"""The fixed Vietnamese wording of Party documents, and the lines built from it [HD 36-HD/VPTW 2018].

Why Vietnamese in Python code: these strings are not interface text. They are the words of the
official document itself ("ĐẢNG CỘNG SẢN VIỆT NAM", "Số …", "ngày … tháng … năm …", "Nơi nhận:",
"T/M CHI BỘ", "Lưu Chi bộ."), which the regulations prescribe in Vietnamese whatever language the
reader uses the application in. Translating them would make the document invalid, so they stay out of
the translation catalogue and live here, in one place.

Everything here is pure string work (no database), so frames, services and renderers share it.
"""

import unicodedata
from datetime import date
from typing import Any

PARTY_NAME = "ĐẢNG CỘNG SẢN VIỆT NAM"
# Printed under the issuing body's name in the header.
STAR = "*"
NUMBER_WORD = "Số"
RECIPIENTS_HEADING = "Nơi nhận:"
# "(báo cáo)": marks the superior body a document is reported to.
FOR_REPORT = "(b/c)"
ARCHIVE_CELL = "Lưu Chi bộ."
ARCHIVE_COMMITTEE = "Lưu Văn phòng Đảng ủy."
ON_BEHALF_OF_CELL = "T/M CHI BỘ"
ON_BEHALF_OF_COMMITTEE = "T/M ĐẢNG ỦY"
SECRETARY = "BÍ THƯ"
DEPUTY_SECRETARY = "PHÓ BÍ THƯ"
ISSUER_CELL = "CB"
ISSUER_COMMITTEE = "ĐU"
# A Đảng bộ issues its documents in the name of its executive committee, the Đảng ủy.
ORGANISATION_WORD = "Đảng bộ"
COMMITTEE_WORD = "Đảng ủy"
# Where the clerk writes the number by hand on a printed draft: "Số     -KH/CB".
# Printed under the closing of a stored issued document (documents/files.py), with the QR code.
VERIFICATION_CODE = "Mã xác thực: {code}"
VERIFICATION_URL = "Kiểm tra bản gốc tại: {url}"

BLANK_NUMBER = "    "
BLANK_DAY = "    "

# The name of each document type as printed in the title (keys are the DocumentType codes).
DOCUMENT_TITLES = {
    "NQ": "NGHỊ QUYẾT",
    "KH": "KẾ HOẠCH",
    "BC": "BÁO CÁO",
    "BB": "BIÊN BẢN",
    "TB": "THÔNG BÁO",
    "KL": "KẾT LUẬN",
    "QĐ": "QUYẾT ĐỊNH",
    "CTr": "CHƯƠNG TRÌNH",
    "CV": "CÔNG VĂN",
}


def nfc(value: Any) -> Any:
    """``value`` with every string in it (also inside lists and dicts) in Unicode NFC (TCVN 6909:2001)."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list | tuple):
        return [nfc(item) for item in value]
    if isinstance(value, dict):
        return {nfc(key): nfc(item) for key, item in value.items()}
    return value


def upper(text: str) -> str:
    """Upper case for a header line; NFC before and after so that no combining mark is left loose."""
    return nfc(nfc(text).upper())


def issuer_code(organization: Any) -> str:
    """``CB`` for a Chi bộ, ``ĐU`` for a Đảng bộ (which issues through its Đảng ủy)."""
    return ISSUER_CELL if organization.is_cell else ISSUER_COMMITTEE


def format_number(number: int) -> str:
    """Two digits at least: 1 → "01", 100 → "100"."""
    return f"{number:02d}"


def format_symbol(number: int | None, doc_type: str, issuer: str) -> str:
    """ "01-KH/CB"; with ``number=None`` (a draft) the number is left blank: "    -KH/CB"."""
    shown = BLANK_NUMBER if number is None else format_number(number)
    return nfc(f"{shown}-{doc_type}/{issuer}")


def format_number_line(number: int | None, doc_type: str, issuer: str) -> str:
    """ "Số 01-KH/CB", or "Số     -KH/CB" on a draft."""
    return nfc(f"{NUMBER_WORD} {format_symbol(number, doc_type, issuer)}")


def symbol(number: int, doc_type: str, organization: Any) -> str:
    """The symbol of document ``number`` of ``doc_type`` issued by ``organization``: "01-KH/CB"."""
    return format_symbol(number, doc_type, issuer_code(organization))


def number_line(number: int | None, doc_type: str, organization: Any) -> str:
    """The header's number line: "Số 01-KH/CB" (blank number while the document is a draft)."""
    return format_number_line(number, doc_type, issuer_code(organization))


def day_phrase(on: date) -> str:
    """ "ngày 05 tháng 02 năm 2026", "ngày 06 tháng 3 năm 2024", "ngày 27 tháng 8 năm 2026".

    HD 36-HD/VPTW (docs/domain.md §4): a day below 10 takes a leading zero, and so do the months 1
    and 2 only (so that "tháng 01" and "tháng 02" cannot be read as the start of "tháng 10"–"12")."""
    month = f"{on.month:02d}" if on.month < 3 else str(on.month)
    return f"ngày {on.day:02d} tháng {month} năm {on.year}"


def date_line(place: str, on: date | None) -> str:
    """ "Huế, ngày 05 tháng 02 năm 2026" (see ``day_phrase``); blanks while undated."""
    when = f"ngày {BLANK_DAY} tháng {BLANK_DAY} năm {BLANK_DAY}" if on is None else day_phrase(on)
    return nfc(f"{place.strip()}, {when}" if place.strip() else when)


def committee_name(organisation_name: str) -> str:
    """The Đảng ủy of a Đảng bộ: "Đảng bộ Trường X" → "Đảng ủy Trường X"."""
    name = nfc(organisation_name).strip()
    for prefix in (ORGANISATION_WORD, COMMITTEE_WORD):
        if name.casefold().startswith(prefix.casefold() + " "):
            name = name[len(prefix) :].strip()
            break
    return f"{COMMITTEE_WORD} {name}"


def reported_to(recipient: str) -> str:
    """A recipient the document is reported to: "Đảng ủy Trường (b/c)"."""
    recipient = nfc(recipient).strip()
    return recipient if recipient.endswith(FOR_REPORT) else f"{recipient} {FOR_REPORT}"


def recipient_lines(recipients: list[str], archive: str) -> list[str]:
    """The "Nơi nhận" lines: "- A," for each recipient and "- <archive>" last, ending with a full stop.

    Dashes and end punctuation already typed by a person are removed first, and an archive line
    already present is not repeated.
    """
    names = [nfc(line).strip().lstrip("-–").strip().rstrip(",;.").strip() for line in recipients]
    archive_name = nfc(archive).rstrip(".")
    names = [name for name in names if name and name.casefold() != archive_name.casefold()]
    return [f"- {name}," for name in names] + [f"- {archive_name}."]


def verification_lines(code: str, url: str) -> list[str]:
    """The two lines beside the QR code: the code and where to check it."""
    return [VERIFICATION_CODE.format(code=code), VERIFICATION_URL.format(url=url)]
