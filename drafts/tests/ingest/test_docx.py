"""Word files become clean anchored HTML; anything that runs code or loads content from elsewhere
is refused. Every file is built in memory."""

import io
import unicodedata
import zipfile

from docx import Document

from drafts.ingest import ingest_upload
from drafts.tests.ingest.files import (
    DOCX_MAIN,
    LIMIT,
    MB,
    XSS,
    anchors_in,
    assert_safe,
    docx,
    part,
    refusal,
    rezip,
    with_relationship,
)


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
