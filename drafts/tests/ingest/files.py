"""Drafts built in memory the way people make them (Word files, PDFs), and the audit that a piece
of stored HTML can neither run code nor load anything."""

import io
import re
import struct
import zipfile
import zlib
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from drafts.ingest import ALLOWED_TAGS, BLOCK_TAGS, IngestError, ingest_upload

MB = 1024 * 1024
LIMIT = 10 * MB
XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">bấm vào đây</a>',
    "<svg onload=alert(1)><circle r=1 /></svg>",
    '<iframe src="https://example.org"></iframe>',
    '<p style="position:fixed;top:0">che trang</p>',
]
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


def png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def add_hyperlink(paragraph, url: str, text: str) -> None:
    rel_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    run_text = OxmlElement("w:t")
    run_text.text = text
    run.append(run_text)
    link.append(run)
    paragraph._p.append(link)


def docx(*texts: str, full: bool = False, link: str | None = None) -> bytes:
    """A Word file: a heading and the given paragraphs; ``full`` adds a list, a table and a picture."""
    document = Document()
    document.add_heading("Văn hóa Hồ Chí Minh về học tập", level=1)
    for text in texts:
        document.add_paragraph(text)
    if full:
        document.add_heading("Liên hệ bản thân", level=2)
        document.add_paragraph("Tự học, tự nghiên cứu", style="List Bullet")
        document.add_paragraph("Gắn học với hành", style="List Bullet")
        table = document.add_table(rows=2, cols=2)
        for row, cells in enumerate([("Nội dung", "Thời hạn"), ("Học nghị quyết", "Quý I")]):
            for column, text in enumerate(cells):
                table.cell(row, column).text = text
        document.add_picture(io.BytesIO(png()), width=Inches(0.5))
    if link is not None:
        add_hyperlink(document.add_paragraph("Xem thêm tại "), link, "trang của Đảng bộ")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rezip(
    data: bytes, *, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None
) -> bytes:
    """The same package with some parts replaced or added."""
    replace = replace or {}
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return buffer.getvalue()


def part(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode()


def with_relationship(data: bytes, rels_part: str, rel_type: str, target: str) -> bytes:
    """The package with an external relationship added to ``rels_part`` (created when missing)."""
    relationship = (
        f'<Relationship Id="rId900" Type="{REL}/{rel_type}" Target="{target}" TargetMode="External"/>'
    )
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    rels = (
        part(data, rels_part)
        if rels_part in names
        else f'<Relationships xmlns="{PACKAGE_RELS}"></Relationships>'
    )
    content = rels.replace("</Relationships>", relationship + "</Relationships>").encode()
    if rels_part in names:
        return rezip(data, replace={rels_part: content})
    return rezip(data, add={rels_part: content})


def pdf(pages: int = 2, texts: list[str] | None = None) -> PdfWriter:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(300, 300)
    for page, text in zip(writer.pages, texts or [], strict=False):
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
        )
        content = DecodedStreamObject()
        content.set_data(f"BT /F1 12 Tf 20 200 Td ({text}) Tj ET".encode())
        page[NameObject("/Contents")] = writer._add_object(content)
    return writer


def pdf_bytes(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def refusal(data: bytes, filename: str = "du-thao.docx", max_bytes: int = LIMIT) -> str:
    with pytest.raises(IngestError) as caught:
        ingest_upload(filename, data, max_bytes=max_bytes)
    return str(caught.value.message)


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    handle_startendtag = handle_starttag


ALLOWED_ATTRIBUTES = {
    "a": {"href", "rel"},
    "img": {"src", "alt"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    **{tag: {"id", "data-anchor"} for tag in BLOCK_TAGS},
}


def assert_safe(html: str) -> None:
    """Every tag and attribute of ``html`` is on the allow-list, and no URL can run code."""
    lowered = html.lower()
    for forbidden in ("<script", "<iframe", "<svg", "<style", "<form", "<object", "<embed"):
        assert forbidden not in lowered, forbidden
    audit = _Audit()
    audit.feed(html)
    markup = repr(audit.tags).lower()  # the tags and attributes only: text may quote anything, escaped
    for forbidden in ("onerror", "onload", "onclick", "javascript:", "style"):
        assert forbidden not in markup, forbidden
    for tag, attrs in audit.tags:
        assert tag in ALLOWED_TAGS, tag
        assert set(attrs) <= ALLOWED_ATTRIBUTES.get(tag, set()), (tag, attrs)
        if "href" in attrs:
            assert urlsplit(attrs["href"]).scheme in ("http", "https", "mailto")
        if "src" in attrs:
            assert re.fullmatch(r"data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+", attrs["src"])
        if "rel" in attrs:
            assert attrs["rel"] == "noopener noreferrer nofollow"
        for name in ("id", "data-anchor"):
            if name in attrs:
                assert re.fullmatch(r"p-[1-9][0-9]*", attrs[name])


def anchors_in(html: str) -> list[str]:
    audit = _Audit()
    audit.feed(html)
    return [attrs["id"] for _tag, attrs in audit.tags if "id" in attrs]
