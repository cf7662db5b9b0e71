"""The editor's HTML is reduced to the allow-list and every block gets its anchor."""

import unicodedata

import pytest

from drafts.ingest import IngestError, ingest_editor_html, ingest_upload, sanitize_html
from drafts.tests.ingest.files import LIMIT, XSS, anchors_in, assert_safe, docx


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
