"""The frame every Party document shares: header, number, date line, title, body, recipients, signature.

A :class:`DocumentFrame` is plain data (JSON through :meth:`~DocumentFrame.to_dict`), so an issued
document freezes it in its snapshot and renderers never touch the database. Later apps build one with
:func:`frame_for` and fill ``body`` with blocks made by :func:`heading`, :func:`paragraph`,
:func:`bullet_list` and :func:`table`.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date
from typing import Any

from django.utils import timezone

from documents import wording
from organizations.models import Organization, Position
from organizations.permissions import active_q
from organizations.selectors import current_term

BLOCK_KINDS = ("heading", "paragraph", "list", "table")


def heading(text: str) -> dict[str, Any]:
    """A bold heading line of the body, e.g. "I. MỤC ĐÍCH, YÊU CẦU"."""
    return {"kind": "heading", "text": text}


def paragraph(text: str) -> dict[str, Any]:
    """A justified paragraph with a first-line indent; a newline in ``text`` breaks the line."""
    return {"kind": "paragraph", "text": text}


def bullet_list(items: Iterable[str]) -> dict[str, Any]:
    """Items printed as "- item" paragraphs, as Party documents list things."""
    return {"kind": "list", "items": list(items)}


def table(
    header: Sequence[str], rows: Iterable[Sequence[str]], widths: Sequence[int] | None = None
) -> dict[str, Any]:
    """A ruled table with a bold header row; ``widths`` are relative column weights (equal if None)."""
    return {
        "kind": "table",
        "header": list(header),
        "rows": [list(row) for row in rows],
        "widths": list(widths) if widths else None,
    }


def _check_block(block: dict[str, Any]) -> None:
    kind = block.get("kind")
    if kind not in BLOCK_KINDS:
        raise ValueError(f"Unknown body block kind {kind!r}; expected one of {BLOCK_KINDS}.")
    if kind in ("heading", "paragraph") and not isinstance(block.get("text"), str):
        raise ValueError(f"A {kind} block needs a text.")
    if kind == "list" and not isinstance(block.get("items"), list):
        raise ValueError("A list block needs its items.")
    if kind == "table":
        columns = len(block.get("header") or [])
        if not columns:
            raise ValueError("A table block needs a header row.")
        if any(len(row) != columns for row in block.get("rows", [])):
            raise ValueError("Every row of a table must have as many cells as its header.")
        widths = block.get("widths")
        if widths is not None and len(widths) != columns:
            raise ValueError("A table needs one width per column.")


@dataclass
class DocumentFrame:
    """Everything printed on a Party document, as plain JSON-serialisable data.

    ``number`` is None (and ``symbol`` empty, ``date`` usually None) while the document is a draft;
    :func:`documents.services.issue_document` fills them in when it is issued.
    """

    parent_name: str
    org_name: str
    doc_type: str
    issuer: str
    place: str
    title: str
    summary: str = ""
    body: list[dict[str, Any]] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signer_capacity: str = ""
    signer_title: str = ""
    signer_name: str = ""
    # A second signature in the left column instead of "Nơi nhận" (minutes: THƯ KÝ left, CHỦ TRÌ right).
    cosigner_title: str = ""
    cosigner_name: str = ""
    number: int | None = None
    symbol: str = ""
    # An annex that is never numbered (e.g. the table of responses to comments) prints no "Số" line.
    numbered: bool = True
    # Named as printed ("ngày …"); annotated through the module because the name shadows the type.
    date: datetime.date | None = None

    def __post_init__(self) -> None:
        for block in self.body:
            _check_block(block)

    @property
    def is_draft(self) -> bool:
        return self.number is None

    @property
    def number_line(self) -> str:
        """ "Số 01-KH/CB", "Số     -KH/CB" while not numbered yet, "" for a document never numbered."""
        if not self.numbered:
            return ""
        return wording.format_number_line(self.number, self.doc_type, self.issuer)

    @property
    def date_line(self) -> str:
        """ "Huế, ngày 05 tháng 02 năm 2026", with blanks while undated."""
        return wording.date_line(self.place, self.date)

    def normalized(self) -> "DocumentFrame":
        """A copy with every text in Unicode NFC."""
        return DocumentFrame.from_dict(wording.nfc(self.to_dict()))

    def issued(self, *, number: int, symbol: str, on: datetime.date) -> "DocumentFrame":
        """A copy carrying the number, symbol and date it is issued with."""
        return replace(self, number=number, symbol=symbol, date=on)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the date as an ISO string."""
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "DocumentFrame":
        """The inverse of :meth:`to_dict`; keys it does not know are refused."""
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"Unknown document frame fields: {sorted(unknown)}")
        values = dict(data)
        if isinstance(values.get("date"), str):
            values["date"] = datetime.date.fromisoformat(values["date"])
        return cls(**values)


# --- Building a frame for an organisation ------------------------------------------------------


def header_names(organization: Organization) -> tuple[str, str]:
    """The two lines of the issuing body in the header: (superior line, own name), both upper case.

    A Chi bộ prints its Đảng bộ above its own name ("ĐẢNG BỘ TRƯỜNG …" / "CHI BỘ KHOA …").

    A Đảng bộ issues its documents through its executive committee, so its own line is the name of
    its Đảng ủy ("Đảng bộ Trường X" → "ĐẢNG ỦY TRƯỜNG X"), and the line above is the superior Đảng bộ
    (its parent in the tree) as HD 36 prescribes for every body below the Central Committee. A
    top-level Đảng bộ whose superior is not recorded gets no line above: inventing one would be
    worse than leaving it out, and an administrator can record the superior as its parent.
    """
    parent = organization.parent
    parent_name = wording.upper(parent.name) if parent is not None else ""
    own = organization.name if organization.is_cell else wording.committee_name(organization.name)
    return parent_name, wording.upper(own)


def document_place(organization: Organization) -> str:
    """The place of the date line: the organisation's own, else its nearest ancestor's."""
    node: Organization | None = organization
    while node is not None:
        if node.place.strip():
            return node.place.strip()
        node = node.parent
    return ""


def signing_position(organization: Organization, on: date | None = None) -> Position | None:
    """Who signs for the organisation on ``on``: the secretary of the term in force, else a deputy."""
    term = current_term(organization, on)
    if term is None:
        return None
    order = (Position.Role.SECRETARY, Position.Role.DEPUTY_SECRETARY)
    positions = term.positions.filter(active_q(on=on), role__in=order).select_related("member")
    return min(positions, key=lambda position: order.index(position.role), default=None)


def superior_recipient(organization: Organization) -> str:
    """The Đảng ủy the organisation reports to, marked "(b/c)": "Đảng ủy Trường X (b/c)"."""
    if organization.parent is None:
        raise ValueError("A top-level organisation has no superior to report to.")
    return wording.reported_to(wording.committee_name(organization.parent.name))


def frame_for(
    organization: Organization,
    *,
    doc_type: str,
    title: str | None = None,
    summary: str = "",
    body: Iterable[dict[str, Any]] = (),
    recipients: Iterable[str] = (),
    signer: Position | None = None,
    on: date | None = None,
) -> DocumentFrame:
    """A draft frame (no number, no date) for a document of ``organization``.

    ``title`` defaults to the name of the type ("KẾ HOẠCH"). ``recipients`` are names ("Đảng ủy
    Trường (b/c)", or use :func:`superior_recipient`); the dashes, commas and the archive line ("Lưu
    Chi bộ." / "Lưu Văn phòng Đảng ủy.") are added. The signer is ``signer`` if given, else the
    secretary in office on ``on`` (a deputy secretary when there is none), signing "T/M CHI BỘ" (or
    "T/M ĐẢNG ỦY") as "BÍ THƯ" or "PHÓ BÍ THƯ".
    """
    on = on or timezone.localdate()
    parent_name, org_name = header_names(organization)
    signer = signer or signing_position(organization, on)
    if signer is not None and signer.role == Position.Role.DEPUTY_SECRETARY:
        signer_title = wording.DEPUTY_SECRETARY
    else:
        signer_title = wording.SECRETARY
    if organization.is_cell:
        capacity, archive = wording.ON_BEHALF_OF_CELL, wording.ARCHIVE_CELL
    else:
        capacity, archive = wording.ON_BEHALF_OF_COMMITTEE, wording.ARCHIVE_COMMITTEE
    frame = DocumentFrame(
        parent_name=parent_name,
        org_name=org_name,
        doc_type=doc_type,
        issuer=wording.issuer_code(organization),
        place=document_place(organization),
        title=wording.upper(title or wording.DOCUMENT_TITLES[doc_type]),
        summary=summary.strip(),
        body=list(body),
        recipients=wording.recipient_lines(list(recipients), archive),
        signer_capacity=capacity,
        signer_title=signer_title,
        signer_name=signer.member.full_name if signer is not None else "",
    )
    return frame.normalized()
