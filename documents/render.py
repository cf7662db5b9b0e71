"""Rendering a document frame as DOCX (python-docx) and PDF (WeasyPrint), in the Party layout.

docs/domain.md §4 [HD 36-HD/VPTW 2018]: A4, Times New Roman, 14 pt body; a borderless two-column header
(issuing body, "*" and number on the left; "ĐẢNG CỘNG SẢN VIỆT NAM" underlined and the date line on
the right), the centred title and summary, the body, and a borderless two-column closing ("Nơi nhận"
on the left, the signature on the right). Both formats are built from the same frame and the same
sizes below, so a DOCX someone edits in Word and the PDF look alike.

Renderers take a frame (plain data), never model instances, so they can run in a background task
from an issued document's snapshot.
"""

import io
from dataclasses import dataclass
from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from core.text import fold
from documents import wording
from documents.fonts import document_fonts
from documents.frame import DocumentFrame

FONT_NAME = "Times New Roman"


@dataclass(frozen=True)
class Margins:
    """Page margins in millimetres."""

    top: float
    bottom: float
    left: float
    right: float


# The two sets the guides give (docs/domain.md §4). A module default for now; the organisation or its rule
# set can pass another set to the renderers.
MARGINS_20_20_30_15 = Margins(top=20, bottom=20, left=30, right=15)
MARGINS_25_25_35_15 = Margins(top=25, bottom=25, left=35, right=15)
DEFAULT_MARGINS = MARGINS_20_20_30_15

# Point sizes, shared by both formats: header, title and body as HD 36 (appendix 3) sets them; the
# "Nơi nhận" block in the smaller sizes this product chose (12 pt bold italic heading, 11 pt lines).
SIZES = {
    "body": 14,
    "party_name": 15,
    "title": 16,
    "table": 13,
    "recipients_heading": 12,
    "recipients": 11,
}
HEADER_LEFT_PERCENT = 50  # of the text width; the right column takes the rest
CLOSING_LEFT_PERCENT = 50
FIRST_LINE_INDENT_MM = 12.7
SIGNATURE_SPACE_MM = 25
A4 = (Mm(210), Mm(297))


@dataclass(frozen=True)
class Verification:
    """What a stored document prints at its foot so a copy can be checked: its code and the page's URL."""

    code: str
    url: str

    def qr_svg(self) -> str:
        """The QR code of the URL as inline SVG (sized by the stylesheet)."""
        return segno.make(self.url, error="m").svg_inline(border=0, dark="#000", light="#fff", omitsize=True)

    def qr_png(self) -> bytes:
        buffer = io.BytesIO()
        segno.make(self.url, error="m").save(buffer, kind="png", scale=8, border=0)
        return buffer.getvalue()


VERIFICATION_QR_MM = 18
PDF_VARIANT = "pdf/a-2b"
VERIFICATION_TEXT_PT = 9


def _column_shares(block: dict[str, Any]) -> list[float]:
    """Each column's share of the table width in percent."""
    weights = block.get("widths") or [1] * len(block["header"])
    total = sum(weights)
    return [round(100 * weight / total, 2) for weight in weights]


# --- PDF --------------------------------------------------------------------------------------


def render_html(
    frame: DocumentFrame, *, margins: Margins = DEFAULT_MARGINS, verification: Verification | None = None
) -> str:
    """The HTML page WeasyPrint prints (useful on its own for a preview)."""
    frame = frame.normalized()
    body = [
        {**block, "shares": _column_shares(block)} if block["kind"] == "table" else block
        for block in frame.body
    ]
    # "(b/c)" must not break after its slash at the end of a long recipient line.
    nowrap = f'<span class="nowrap">{wording.FOR_REPORT}</span>'
    recipients = [mark_safe(escape(line).replace(wording.FOR_REPORT, nowrap)) for line in frame.recipients]
    return render_to_string(
        "documents/frame.html",
        {
            "frame": frame,
            "body": body,
            "recipients": recipients,
            "wording": wording,
            "fonts": document_fonts(),
            "margins": margins,
            "sizes": SIZES,
            "header_left": HEADER_LEFT_PERCENT,
            "indent_mm": FIRST_LINE_INDENT_MM,
            "signature_space_mm": SIGNATURE_SPACE_MM,
            "verification": verification,
            "verification_qr": mark_safe(verification.qr_svg()) if verification else "",
            "verification_lines": (
                wording.verification_lines(verification.code, verification.url) if verification else []
            ),
            "verification_qr_mm": VERIFICATION_QR_MM,
            "verification_pt": VERIFICATION_TEXT_PT,
        },
    )


def render_pdf(
    frame: DocumentFrame, *, margins: Margins = DEFAULT_MARGINS, verification: Verification | None = None
) -> bytes:
    """The document as PDF/A-2b, with its font (Liberation Serif 2 or Tinos) embedded; with ``verification``
    (stored issued documents), its code and QR code under the closing.

    Only ``file:`` URLs are fetched (the font files): the document's text is escaped, so nothing in
    it can make WeasyPrint reach the network.
    """
    html = HTML(
        string=render_html(frame, margins=margins, verification=verification),
        url_fetcher=URLFetcher(allowed_protocols=("file",)),
    )
    # PDF/A-2b (ISO 19005-2, level B): fonts embedded, an sRGB output intent, XMP metadata; what a
    # document kept for the life of the cell needs to be read the same way in decades (issue 17).
    # Every stored PDF is made here, so the stored and the signed files are PDF/A; drafts too.
    pdf = html.write_pdf(pdf_variant=PDF_VARIANT)
    assert pdf is not None  # write_pdf returns the bytes when no target is given
    return pdf


# --- DOCX -------------------------------------------------------------------------------------


def _set_fonts(r_pr: Any) -> None:
    """Times New Roman in every font slot (ASCII, high ANSI, East Asian, complex script), Vietnamese.

    Word picks the slot by the character's script; setting only ``ascii`` (python-docx's ``font.name``)
    leaves some Vietnamese letters in the theme font on some installations.
    """
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        # rFonts comes first in w:rPr, after a character style if there is one.
        r_pr.insert(1 if r_pr.find(qn("w:rStyle")) is not None else 0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT_NAME)
    for theme_slot in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme_slot), None)
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        # w:lang comes after every property python-docx writes (b, i, sz, u…).
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), "vi-VN")


def _set_default_size(r_pr: Any, size: float) -> None:
    """The size in the document defaults (a plain element there, without python-docx's helpers)."""
    for tag in ("w:sz", "w:szCs"):
        element = r_pr.find(qn(tag))
        if element is None:
            element = OxmlElement(tag)
            lang = r_pr.find(qn("w:lang"))
            if lang is not None:
                lang.addprevious(element)
            else:
                r_pr.append(element)
        element.set(qn("w:val"), str(round(size * 2)))


def _setup_document(margins: Margins) -> Any:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = A4
    section.top_margin = Mm(margins.top)
    section.bottom_margin = Mm(margins.bottom)
    section.left_margin = Mm(margins.left)
    section.right_margin = Mm(margins.right)
    # The document defaults and the Normal style both carry the font, so tables, headers and any
    # paragraph a person adds in Word stay in Times New Roman 14 pt.
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    r_pr_default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    if r_pr_default is not None:
        r_pr = r_pr_default.find(qn("w:rPr"))
        if r_pr is None:
            r_pr = OxmlElement("w:rPr")
            r_pr_default.append(r_pr)
        _set_fonts(r_pr)
        _set_default_size(r_pr, SIZES["body"])
    normal = document.styles["Normal"]
    normal.font.size = Pt(SIZES["body"])
    _set_fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _page_numbers(section)
    return document


def _page_numbers(section: Any) -> None:
    """Page numbers centred at the top from page 2 on [HD 36]."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _text(
    paragraph: Paragraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size: float | None = None,
) -> None:
    """Add ``text`` as one run; a newline becomes a line break."""
    run = paragraph.add_run()
    for index, line in enumerate(text.split("\n")):
        if index:
            run.add_break()
        run.add_text(line)
    run.bold = bold or None
    run.italic = italic or None
    run.underline = underline or None
    if size is not None:
        run.font.size = Pt(size)
    _set_fonts(run._r.get_or_add_rPr())


def _line(
    container: Any,
    text: str,
    *,
    align: Any = WD_ALIGN_PARAGRAPH.CENTER,
    first: bool = False,
    space_before: float = 0,
    **style: Any,
) -> Paragraph:
    """A paragraph of one run in a cell or the document (reusing a cell's empty first paragraph)."""
    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(space_before)
    paragraph.paragraph_format.space_after = Pt(0)
    _text(paragraph, text, **style)
    return paragraph


def _borderless(table: Table, widths_mm: list[float]) -> None:
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.insert_element_before(
        borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription"
    )
    _fixed_widths(table, widths_mm)


def _fixed_widths(table: Table, widths_mm: list[float]) -> None:
    """Word reads each cell's width, LibreOffice the grid's: set both, and a fixed layout."""
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _header(document: Any, frame: DocumentFrame, text_width: float) -> None:
    left = text_width * HEADER_LEFT_PERCENT / 100
    table = document.add_table(rows=2, cols=2)
    _borderless(table, [left, text_width - left])
    issuer: _Cell = table.cell(0, 0)
    lines = [(frame.parent_name, False)] if frame.parent_name else []
    lines += [(frame.org_name, True)]
    for index, (text, bold) in enumerate(lines):
        _line(issuer, text, bold=bold, first=index == 0)
    _line(issuer, wording.STAR)
    _line(
        table.cell(0, 1), wording.PARTY_NAME, bold=True, underline=True, size=SIZES["party_name"], first=True
    )
    _line(table.cell(1, 0), frame.number_line, first=True, space_before=2)
    _line(table.cell(1, 1), frame.date_line, italic=True, first=True, space_before=2)


def _body(document: Any, frame: DocumentFrame, text_width: float) -> None:
    for block in frame.body:
        kind = block["kind"]
        if kind == "table":
            _grid(document, block, text_width)
            continue
        texts = [f"- {item}" for item in block["items"]] if kind == "list" else [block["text"]]
        for text in texts:
            paragraph = _line(document, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, bold=kind == "heading")
            paragraph.paragraph_format.first_line_indent = Mm(FIRST_LINE_INDENT_MM)
            paragraph.paragraph_format.space_after = Pt(6)
            # A heading never ends a page alone.
            paragraph.paragraph_format.keep_with_next = kind == "heading" or None


def _grid(document: Any, block: dict[str, Any], text_width: float) -> None:
    table = document.add_table(rows=1 + len(block["rows"]), cols=len(block["header"]))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_widths(table, [text_width * share / 100 for share in _column_shares(block)])
    for cell, text in zip(table.rows[0].cells, block["header"], strict=True):
        _line(cell, text, bold=True, size=SIZES["table"], first=True)
    # The header row repeats on every page the table runs onto, as <thead> does in the PDF.
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for row, values in zip(table.rows[1:], block["rows"], strict=True):
        for cell, text in zip(row.cells, values, strict=True):
            _line(cell, text, align=WD_ALIGN_PARAGRAPH.LEFT, size=SIZES["table"], first=True)
    # A little air after the table, as in the PDF.
    document.add_paragraph().paragraph_format.space_after = Pt(3)


def _closing(document: Any, frame: DocumentFrame, text_width: float) -> None:
    left = text_width * CLOSING_LEFT_PERCENT / 100
    table = document.add_table(rows=1, cols=2)
    if frame.cosigner_title:
        # Two signatures side by side (the minutes): equal columns.
        _borderless(table, [text_width / 2, text_width / 2])
        _signature(table.cell(0, 0), "", frame.cosigner_title, frame.cosigner_name)
    else:
        _borderless(table, [left, text_width - left])
        recipients = table.cell(0, 0)
        _line(
            recipients,
            wording.RECIPIENTS_HEADING,
            align=WD_ALIGN_PARAGRAPH.LEFT,
            bold=True,
            italic=True,
            size=SIZES["recipients_heading"],
            first=True,
        )
        for line in frame.recipients:
            _line(recipients, line, align=WD_ALIGN_PARAGRAPH.LEFT, size=SIZES["recipients"])
    _signature(table.cell(0, 1), frame.signer_capacity, frame.signer_title, frame.signer_name)


def _signature(cell: _Cell, capacity: str, title: str, name: str) -> None:
    lines = [text for text in (capacity, title) if text]
    for index, text in enumerate(lines):
        _line(cell, text, bold=True, first=index == 0)
    # The space for the handwritten signature.
    _line(cell, name, bold=True, space_before=SIGNATURE_SPACE_MM * 72 / 25.4)


def _verification(document: Any, verification: Verification) -> None:
    """The QR code and the code under the closing, small, as in the PDF."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(12)
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run().add_picture(io.BytesIO(verification.qr_png()), width=Mm(VERIFICATION_QR_MM))
    for text in wording.verification_lines(verification.code, verification.url):
        _line(document, text, align=WD_ALIGN_PARAGRAPH.LEFT, size=VERIFICATION_TEXT_PT)


def render_docx(
    frame: DocumentFrame, *, margins: Margins = DEFAULT_MARGINS, verification: Verification | None = None
) -> bytes:
    """The document as DOCX: real Word tables without borders for the header and the closing."""
    frame = frame.normalized()
    document = _setup_document(margins)
    text_width = 210 - margins.left - margins.right
    _header(document, frame, text_width)
    if frame.title:
        _line(document, frame.title, bold=True, size=SIZES["title"], space_before=18)
    if frame.summary:
        _line(document, frame.summary, bold=True)
    document.add_paragraph().paragraph_format.space_after = Pt(6)
    _body(document, frame, text_width)
    _closing(document, frame, text_width)
    if verification is not None:
        _verification(document, verification)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def file_name(name: str, fmt: str, *, limit: int | None = None) -> str:
    """An ASCII file name: "Kế hoạch 2026" → "ke-hoach-2026.pdf", cut to ``limit`` characters if given."""
    return f"{slugify(fold(name))[:limit] or 'van-ban'}.{fmt}"


def export(frame: DocumentFrame, fmt: str, name: str, *, limit: int | None = None) -> tuple[bytes, str, str]:
    """(content, content type, file name) of ``frame`` rendered now as ``"pdf"`` or DOCX; ``name`` becomes
    an ASCII file name (:func:`file_name`). An issued document is served as stored instead
    (:func:`documents.files.issued_file`)."""
    if fmt == "pdf":
        return render_pdf(frame), "application/pdf", file_name(name, "pdf", limit=limit)
    return render_docx(frame), DOCX_CONTENT_TYPE, file_name(name, "docx", limit=limit)
