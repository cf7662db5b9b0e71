"""Reading drafts: Word files become clean anchored HTML, PDFs are kept by page, and anything that
runs code or loads content from elsewhere is refused. Every file is built in memory."""

import io
import re
import struct
import unicodedata
import zipfile
import zlib
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.utils import translation
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)

from drafts.ingest import (
    ALLOWED_TAGS,
    BLOCK_TAGS,
    IngestError,
    ingest_editor_html,
    ingest_upload,
    sanitize_html,
)

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


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in their English source; the Vietnamese catalogue may translate them.
    with translation.override("en"):
        yield


# --- Builders -------------------------------------------------------------------------------------


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


# --- Word files -----------------------------------------------------------------------------------


def test_a_word_file_becomes_clean_html_keeping_its_structure():
    result = ingest_upload("du-thao.docx", docx("Học tập suốt đời.", full=True), max_bytes=LIMIT)

    assert result.kind == "docx"
    assert result.pages is None
    assert '<h1 id="p-1" data-anchor="p-1">Văn hóa Hồ Chí Minh về học tập</h1>' in result.html
    assert '<h2 id="p-3" data-anchor="p-3">Liên hệ bản thân</h2>' in result.html
    assert '<ul><li id="p-4" data-anchor="p-4">Tự học, tự nghiên cứu</li>' in result.html
    assert '<table id="p-6" data-anchor="p-6">' in result.html
    assert '<img src="data:image/png;base64,' in result.html
    assert_safe(result.html)


def test_each_block_has_an_anchor_in_order_and_its_text():
    result = ingest_upload("du-thao.docx", docx("Học tập suốt đời.", full=True), max_bytes=LIMIT)

    assert [p["anchor"] for p in result.paragraphs] == [f"p-{n}" for n in range(1, 8)]
    assert anchors_in(result.html) == [p["anchor"] for p in result.paragraphs]
    assert [p["text"] for p in result.paragraphs] == [
        "Văn hóa Hồ Chí Minh về học tập",
        "Học tập suốt đời.",
        "Liên hệ bản thân",
        "Tự học, tự nghiên cứu",
        "Gắn học với hành",
        "Nội dung Thời hạn\nHọc nghị quyết Quý I",  # a table is one block, a line per row
        "",  # the picture's paragraph: commented on as a whole
    ]


def test_the_same_file_gives_the_same_anchors():
    data = docx("Một.", "Hai.", full=True)

    assert ingest_upload("a.docx", data, max_bytes=LIMIT) == ingest_upload("a.docx", data, max_bytes=LIMIT)


def test_vietnamese_text_is_stored_precomposed():
    decomposed = unicodedata.normalize("NFD", "Nghị quyết Đảng ủy về học tập")
    assert decomposed != unicodedata.normalize("NFC", decomposed)

    result = ingest_upload("du-thao.docx", docx(decomposed), max_bytes=LIMIT)

    assert result.paragraphs[1]["text"] == unicodedata.normalize("NFC", decomposed)
    assert unicodedata.is_normalized("NFC", result.html)


def test_html_typed_into_the_word_text_comes_out_as_harmless_text():
    result = ingest_upload("du-thao.docx", docx(*XSS), max_bytes=LIMIT)

    assert_safe(result.html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in result.html
    assert "&lt;img src=x onerror=alert(1)&gt;" in result.html
    assert [p["text"] for p in result.paragraphs[1:]] == XSS


def test_a_hyperlink_is_kept_with_a_safe_rel():
    result = ingest_upload(
        "du-thao.docx", docx(link="https://dangbo.example.vn/tai-lieu?a=1&b=2"), max_bytes=LIMIT
    )

    assert (
        '<a href="https://dangbo.example.vn/tai-lieu?a=1&amp;b=2" rel="noopener noreferrer nofollow">'
        "trang của Đảng bộ</a>"
    ) in result.html
    assert result.paragraphs[-1]["text"] == "Xem thêm tại trang của Đảng bộ"


def test_a_javascript_hyperlink_keeps_its_words_but_loses_its_address():
    result = ingest_upload("du-thao.docx", docx(link="javascript:alert(1)"), max_bytes=LIMIT)

    assert_safe(result.html)
    assert "<a" not in result.html
    assert "Xem thêm tại trang của Đảng bộ" in result.html


def test_a_word_file_with_macros_is_refused():
    data = docx("Nội dung.")
    types = part(data, "[Content_Types].xml").replace(
        DOCX_MAIN, "application/vnd.ms-word.document.macroEnabled.main+xml"
    )
    docm = rezip(
        data, replace={"[Content_Types].xml": types.encode()}, add={"word/vbaProject.bin": b"\0" * 64}
    )

    assert "contains macros" in refusal(docm, "du-thao.docm")


def test_a_hidden_macro_part_is_refused_even_with_a_plain_content_type():
    data = rezip(docx("Nội dung."), add={"word/vbaProject.bin": b"\0" * 64})

    assert "contains macros" in refusal(data)


def test_an_activex_control_is_refused():
    data = rezip(docx("Nội dung."), add={"word/activeX/activeX1.bin": b"\0" * 64})

    assert "ActiveX" in refusal(data)


def test_a_linked_picture_is_refused_naming_it():
    data = with_relationship(
        docx("Nội dung."), "word/_rels/document.xml.rels", "image", "http://tracker.example/pixel.png"
    )

    message = refusal(data)
    assert "loads content from outside the document" in message
    assert "a linked picture (http://tracker.example/pixel.png)" in message


def test_a_remote_template_is_refused():
    data = with_relationship(
        docx("Nội dung."), "word/_rels/settings.xml.rels", "attachedTemplate", "https://evil.example/t.dotm"
    )

    assert "a template attached from another location (https://evil.example/t.dotm)" in refusal(data)


def test_a_field_that_fetches_a_picture_is_refused():
    data = docx("Nội dung.")
    field = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> INCLUDE</w:instrText></w:r>'
        '<w:r><w:instrText>PICTURE "http://tracker.example/x.png" \\d </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    body = part(data, "word/document.xml").replace("<w:sectPr", field + "<w:sectPr", 1)

    message = refusal(rezip(data, replace={"word/document.xml": body.encode()}))
    assert "a field that loads content (INCLUDEPICTURE)" in message


def test_a_damaged_word_file_is_refused():
    data = docx("Nội dung.", full=True)

    assert "The Word file is damaged" in refusal(data[: len(data) // 2])


def test_a_word_file_missing_its_main_part_is_damaged():
    data = docx("Nội dung.")
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info, source.read(info))

    assert "The Word file is damaged" in refusal(buffer.getvalue())


def test_a_word_part_with_a_dtd_is_refused_before_any_entity_is_expanded():
    data = docx("Nội dung.")
    body = part(data, "word/document.xml")
    bomb = '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    body = body.replace("?>", "?>" + bomb, 1)

    assert "The Word file is damaged" in refusal(rezip(data, replace={"word/document.xml": body.encode()}))


def test_a_zip_that_unpacks_to_far_more_than_a_draft_is_refused():
    data = rezip(docx("Nội dung."), add={"word/media/padding.png": b"\0" * (65 * MB)})

    assert len(data) < MB
    assert "The Word file is damaged" in refusal(data, max_bytes=MB)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("anh.docx", png()),
        ("du-thao.docx", b"Plain text pretending to be a Word document"),
        ("du-thao.docx", b""),
    ],
)
def test_a_file_that_is_neither_word_nor_pdf_is_refused(name, content):
    assert refusal(content, name) == "The file is not a Word document (.docx) or a PDF."


def test_a_zip_that_is_not_a_word_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ghi-chu.txt", "Không phải văn bản Word")

    assert refusal(buffer.getvalue()) == "The file is not a Word document (.docx) or a PDF."


def test_an_old_doc_file_asks_for_docx():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504

    assert "old Word document (.doc)" in refusal(ole, "du-thao.doc")


def test_the_type_comes_from_the_content_not_the_name():
    result = ingest_upload("du-thao.pdf", docx("Nội dung."), max_bytes=LIMIT)

    assert result.kind == "docx"
    assert result.notes == [
        "The file name does not end in .docx, but the file is a Word document; it was read as one."
    ]


def test_a_file_above_the_limit_is_refused_naming_the_limit():
    data = docx("Nội dung.")

    assert refusal(data, max_bytes=len(data) - 1).startswith("The file is larger than the limit of 0")
    assert refusal(b"%PDF-" + b"\0" * 2 * MB, "a.pdf", max_bytes=2 * MB) == (
        "The file is larger than the limit of 2 MB."
    )


def test_an_empty_word_file_is_refused():
    document = Document()
    buffer = io.BytesIO()
    document.save(buffer)

    assert refusal(buffer.getvalue()) == "The draft is empty."


def test_unrecognised_styles_are_reported_as_a_note():
    document = Document()
    document.add_paragraph("Trích yếu", style="Caption")
    buffer = io.BytesIO()
    document.save(buffer)

    result = ingest_upload("du-thao.docx", buffer.getvalue(), max_bytes=LIMIT)

    assert result.paragraphs == [{"anchor": "p-1", "text": "Trích yếu"}]
    assert result.notes == [
        "These Word styles are not recognised; their text is kept as ordinary text: caption."
    ]


# --- PDF ------------------------------------------------------------------------------------------


def test_a_pdf_is_kept_by_page_with_each_page_text():
    result = ingest_upload(
        "du-thao.pdf", pdf_bytes(pdf(2, ["Chuyen de trang mot", "Trang hai"])), max_bytes=LIMIT
    )

    assert result.kind == "pdf"
    assert result.html == ""
    assert result.pages == 2
    assert result.paragraphs == [
        {"anchor": "page-1", "text": "Chuyen de trang mot"},
        {"anchor": "page-2", "text": "Trang hai"},
    ]
    assert result.notes == []


def test_a_pdf_without_text_says_comments_refer_to_pages():
    result = ingest_upload("scan.pdf", pdf_bytes(pdf(3)), max_bytes=LIMIT)

    assert result.pages == 3
    assert [p["anchor"] for p in result.paragraphs] == ["page-1", "page-2", "page-3"]
    assert "No text could be read from the PDF" in result.notes[0]


def test_a_pdf_that_runs_javascript_when_opened_is_refused():
    writer = pdf()
    writer.add_open_action(JavaScript("app.alert(1)"))

    assert "contains JavaScript" in refusal(pdf_bytes(writer), "du-thao.pdf")


def test_a_pdf_with_document_javascript_in_its_names_is_refused():
    writer = pdf()
    action = writer._add_object(
        DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
        )
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {
            NameObject("/JavaScript"): DictionaryObject(
                {NameObject("/Names"): ArrayObject([TextStringObject("chao"), action])}
            )
        }
    )

    assert "contains JavaScript" in refusal(pdf_bytes(writer), "du-thao.pdf")


def test_a_pdf_that_launches_a_program_is_refused():
    writer = pdf()
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
    )

    assert "actions that start programs" in refusal(pdf_bytes(writer), "du-thao.pdf")


def test_a_password_protected_pdf_is_refused():
    writer = pdf()
    writer.encrypt("mat-khau", "chu-so-huu")

    assert refusal(pdf_bytes(writer), "du-thao.pdf").startswith("The PDF is password-protected.")


def test_a_pdf_restricted_only_by_an_owner_password_opens():
    writer = pdf(1, ["Chi bo"])
    writer.encrypt("", "chu-so-huu")

    result = ingest_upload("du-thao.pdf", pdf_bytes(writer), max_bytes=LIMIT)

    assert result.paragraphs == [{"anchor": "page-1", "text": "Chi bo"}]


def test_a_damaged_pdf_is_refused(caplog):
    data = pdf_bytes(pdf())

    assert refusal(data[:60], "du-thao.pdf").startswith("The PDF is damaged")


# --- The editor -----------------------------------------------------------------------------------


def test_editor_html_is_cleaned_and_anchored():
    result = ingest_editor_html(
        "<h2>I. Mở đầu</h2><p>Chi bộ <strong>họp</strong> <em>định kỳ</em>.</p>"
        "<ol><li>Một</li><li>Hai</li></ol>"
    )

    assert result.kind == "html"
    assert result.html == (
        '<h2 id="p-1" data-anchor="p-1">I. Mở đầu</h2>'
        '<p id="p-2" data-anchor="p-2">Chi bộ <strong>họp</strong> <em>định kỳ</em>.</p>'
        '<ol><li id="p-3" data-anchor="p-3">Một</li><li id="p-4" data-anchor="p-4">Hai</li></ol>'
    )
    assert result.paragraphs == [
        {"anchor": "p-1", "text": "I. Mở đầu"},
        {"anchor": "p-2", "text": "Chi bộ họp định kỳ."},
        {"anchor": "p-3", "text": "Một"},
        {"anchor": "p-4", "text": "Hai"},
    ]


@pytest.mark.parametrize("payload", XSS)
def test_editor_html_loses_every_way_to_run_code(payload):
    result = ingest_editor_html(f"<p>Nội dung</p>{payload}<p>{payload}</p>")

    assert_safe(result.html)
    for forbidden in ("onerror", "onload", "javascript:", "alert", "position:fixed"):
        assert forbidden not in result.html.lower()


def test_editor_html_keeps_only_safe_links_and_pictures():
    picture = "data:image/png;base64,iVBORw0KGgo="
    result = ingest_editor_html(
        '<p><a href="https://example.vn" target="_blank" rel="opener">ok</a> '
        '<a href="data:text/html;base64,PHNjcmlwdD4=">data</a> '
        '<a href="JaVaScRiPt:alert(1)">js</a> <a href="/tuong-doi">relative</a> '
        f'<img src="{picture}" alt="ảnh"> <img src="data:image/svg+xml;base64,PHN2Zz4="> '
        '<img src="https://tracker.example/x.png"></p>'
    )

    assert_safe(result.html)
    assert result.html == (
        '<p id="p-1" data-anchor="p-1"><a href="https://example.vn" rel="noopener noreferrer nofollow">ok</a>'
        f' data js relative <img src="{picture}" alt="ảnh">  </p>'
    )


def test_editor_anchors_are_given_afresh_and_nested_list_items_are_blocks():
    result = ingest_editor_html(
        '<p id="p-7" data-anchor="p-7">Đầu</p><p id="x" onclick="y">Giữa</p>'
        "<ul><li>Mục<ul><li>Mục con</li></ul></li></ul>"
    )

    assert result.html == (
        '<p id="p-1" data-anchor="p-1">Đầu</p><p id="p-2" data-anchor="p-2">Giữa</p>'
        '<ul><li id="p-3" data-anchor="p-3">Mục<ul><li id="p-4" data-anchor="p-4">Mục con</li></ul></li></ul>'
    )
    assert [p["text"] for p in result.paragraphs] == ["Đầu", "Giữa", "Mục", "Mục con"]


def test_loose_editor_text_is_wrapped_and_empty_blocks_dropped():
    result = ingest_editor_html("Dòng đầu <div>trong div</div><p></p><p><br></p><ul><li> </li></ul>Cuối")

    assert result.paragraphs == [
        {"anchor": "p-1", "text": "Dòng đầu trong div"},
        {"anchor": "p-2", "text": "Cuối"},
    ]
    assert result.html == (
        '<p id="p-1" data-anchor="p-1">Dòng đầu trong div</p><ul></ul><p id="p-2" data-anchor="p-2">Cuối</p>'
    )


def test_a_table_is_one_block_whatever_it_contains():
    result = ingest_editor_html(
        '<table><thead><tr><th colspan="2" onclick="x">Tiêu đề</th></tr></thead>'
        '<tbody><tr><td rowspan="abc">a</td><td><p>b</p><ul><li>c</li></ul></td></tr></tbody></table>'
    )

    assert result.paragraphs == [{"anchor": "p-1", "text": "Tiêu đề\na b c"}]
    assert anchors_in(result.html) == ["p-1"]
    assert '<th colspan="2">' in result.html
    assert "rowspan" not in result.html


@pytest.mark.parametrize(
    "messy",
    [
        "<p>a<ul><li>b</p>c",
        "<table><td>x</table>sau bảng",
        "<li>mục lạc</li>chữ",
        "<h1><p>lồng</p></h1>",
        "<blockquote>trích<li>mục</li></blockquote>",
        "<ol><ol><li>sâu</li></ol></ol>",
        "<ul>chữ trong danh sách<li>mục</li></ul>",
        "<p>a</p></p></div><p>b",
    ],
)
def test_the_anchors_in_the_html_are_exactly_the_paragraphs(messy):
    result = ingest_editor_html(messy)

    assert anchors_in(result.html) == [p["anchor"] for p in result.paragraphs]
    assert [p["anchor"] for p in result.paragraphs] == [
        f"p-{n}" for n in range(1, len(result.paragraphs) + 1)
    ]
    assert sanitize_html(result.html) == result.html
    assert_safe(result.html)


def test_editor_html_that_is_empty_after_cleaning_is_refused():
    with pytest.raises(IngestError) as caught:
        ingest_editor_html("<script>alert(1)</script><p> </p><iframe></iframe>")

    assert caught.value.message == "The draft is empty."


def test_editor_text_is_stored_precomposed():
    result = ingest_editor_html(unicodedata.normalize("NFD", "<p>Nghị quyết</p>"))

    assert result.paragraphs[0]["text"] == "Nghị quyết"
    assert unicodedata.is_normalized("NFC", result.html)


def test_sanitising_the_stored_html_again_changes_nothing():
    stored = ingest_upload("du-thao.docx", docx("Một.", full=True, link="https://a.vn"), max_bytes=LIMIT).html

    assert sanitize_html(stored) == stored
