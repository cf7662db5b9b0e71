"""DOCX and PDF in the Party layout: the header, number and date exactly, Times New Roman, fonts embedded."""

import io
import re
import shutil
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from documents import fonts, services
from documents.checks import document_fonts_installed
from documents.fonts import document_fonts
from documents.frame import (
    DocumentFrame,
    bullet_list,
    frame_for,
    heading,
    paragraph,
    superior_recipient,
    table,
)
from documents.models import DocumentType
from documents.render import MARGINS_25_25_35_15, render_docx, render_pdf

ON = date(2026, 2, 5)
HEADER = [
    "ĐẢNG CỘNG SẢN VIỆT NAM",
    "ĐẢNG BỘ TRƯỜNG CHÍNH TRỊ",
    "CHI BỘ KHOA XÂY DỰNG ĐẢNG",
    "Số 01-KH/CB",
    "Huế, ngày 05 tháng 02 năm 2026",
    "KẾ HOẠCH",
    "Sinh hoạt chuyên đề năm 2026",
]
SESSIONS = [
    ["I", "Văn hóa Hồ Chí Minh về học tập, lao động và làm việc", "Tháng 3"],
    ["II", "Chi bộ lãnh đạo khoa thực hiện nhiệm vụ NCKH và tổng kết thực tiễn", "Tháng 6"],
    ["III", "Chi bộ lãnh đạo Khoa nâng cao năng lực giảng dạy của giảng viên", "Tháng 9"],
    ["IV", "Sơ kết việc thực hiện chuyên đề năm 2026", "Tháng 12"],
]


@pytest.fixture
def plan(world):
    # Decomposed input on purpose: what is printed must still be NFC.
    frame = frame_for(
        world.cell,
        doc_type=DocumentType.PLAN,
        summary=unicodedata.normalize("NFD", "Sinh hoạt chuyên đề năm 2026"),
        body=[
            heading("I. MỤC ĐÍCH, YÊU CẦU"),
            paragraph(
                "Nâng cao chất lượng sinh hoạt chi bộ, góp phần xây dựng chi bộ trong sạch, vững mạnh."
            ),
            heading("II. NỘI DUNG VÀ THỜI GIAN"),
            table(["Quý", "Chuyên đề", "Thời gian"], SESSIONS, widths=[1, 6, 2]),
            bullet_list(["Đảng viên nghiên cứu, góp ý dự thảo trước buổi sinh hoạt."]),
        ],
        recipients=[superior_recipient(world.cell), "Đảng viên trong chi bộ"],
        on=ON,
    )
    return services.issue_document(
        actor=world.secretary, organization=world.cell, doc_type=DocumentType.PLAN, frame=frame, issued_on=ON
    )


def docx_texts(data: bytes) -> list[str]:
    document = Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    for tbl in document.tables:
        for row in tbl.rows:
            texts += [p.text for cell in row.cells for p in cell.paragraphs]
    return texts


# --- DOCX -----------------------------------------------------------------------------------------


def test_the_docx_has_the_header_title_body_and_recipients(plan):
    texts = docx_texts(render_docx(plan.frame))
    for line in [*HEADER, "*", "I. MỤC ĐÍCH, YÊU CẦU", "Nơi nhận:", "- Lưu Chi bộ.", "T/M CHI BỘ", "BÍ THƯ"]:
        assert any(line in text for text in texts), line
    assert "- Đảng ủy Trường Chính trị Nguyễn Chí Thanh (b/c)," in texts
    assert "Nguyễn Văn Bình" in texts
    assert "Văn hóa Hồ Chí Minh về học tập, lao động và làm việc" in texts
    assert all(unicodedata.is_normalized("NFC", text) for text in texts)


def test_the_docx_header_and_closing_are_borderless_two_column_tables(plan):
    document = Document(io.BytesIO(render_docx(plan.frame)))
    header, sessions, closing = document.tables
    assert len(header.columns) == len(closing.columns) == 2
    for tbl in (header, closing):
        borders = tbl._tbl.tblPr.find(qn("w:tblBorders"))
        assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}
    party = header.cell(0, 1).paragraphs[0].runs[0]
    assert party.text == "ĐẢNG CỘNG SẢN VIỆT NAM" and party.bold and party.underline
    assert party.font.size.pt == 15
    assert header.cell(1, 1).paragraphs[0].runs[0].italic
    assert [cell.text for cell in sessions.rows[0].cells] == ["Quý", "Chuyên đề", "Thời gian"]
    assert len(sessions.rows) == 1 + len(SESSIONS)


def test_the_docx_is_a4_in_times_new_roman_14_for_every_script(plan):
    document = Document(io.BytesIO(render_docx(plan.frame, margins=MARGINS_25_25_35_15)))
    section = document.sections[0]
    sizes = (section.page_width, section.page_height)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(length.mm) for length in sizes if length is not None] == [210, 297]
    assert [round(length.mm) for length in margins if length is not None] == [25, 25, 35, 15]
    normal = document.styles["Normal"]
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        assert fonts.get(qn(slot)) == "Times New Roman"
    assert normal.font.size.pt == 14


def test_a_draft_docx_leaves_the_number_to_be_written_by_hand(world):
    draft = frame_for(world.cell, doc_type=DocumentType.RESOLUTION, summary="về chuyên đề", on=ON)
    assert "Số     -NQ/CB" in docx_texts(render_docx(draft))


# --- PDF ------------------------------------------------------------------------------------------


def pdf_fonts(reader: PdfReader) -> list[tuple[str, set[str]]]:
    """(base font name, keys of its font descriptor) of every font used on every page."""
    found = []
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            font = font.get_object()
            descriptor_owner = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = descriptor_owner["/FontDescriptor"].get_object()
            found.append((str(font["/BaseFont"]), set(descriptor.keys())))
    return found


def test_the_pdf_prints_the_vietnamese_header_number_and_date_exactly(plan):
    reader = PdfReader(io.BytesIO(render_pdf(plan.frame)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert unicodedata.is_normalized("NFC", text)
    for line in [*HEADER, "Nơi nhận:", "- Lưu Chi bộ.", "T/M CHI BỘ", "Nguyễn Văn Bình"]:
        assert line in text, line
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width) * 25.4 / 72), round(float(height) * 25.4 / 72)) == (210, 297)


def test_every_font_in_the_pdf_is_embedded_liberation_serif_or_tinos(plan):
    fonts = pdf_fonts(PdfReader(io.BytesIO(render_pdf(plan.frame))))
    assert fonts
    for name, descriptor in fonts:
        assert re.search(r"\+(LiberationSerif|Tinos)(-|$)", name), name
        assert descriptor & {"/FontFile2", "/FontFile3"}, f"{name} is not embedded"
    assert any("Bold" in name for name, _ in fonts), "the header and title are bold"


def test_the_font_chosen_for_pdfs_covers_vietnamese():
    faces = document_fonts()
    assert {face.family for face in faces} <= {"Liberation Serif", "Tinos"}
    assert {(face.weight, face.style) for face in faces} == {
        ("normal", "normal"),
        ("bold", "normal"),
        ("normal", "italic"),
        ("bold", "italic"),
    }
    # Liberation Serif 1.x (package fonts-liberation) lacks "ạ", "ế", "ư"…: it must never be picked.
    assert all("/liberation/" not in str(face.path) for face in faces)


OLD_LIBERATION = Path("/usr/share/fonts/truetype/liberation")


@pytest.fixture
def font_dirs(monkeypatch):
    """Point the font search at other folders; the cached choice is forgotten before and after."""

    def use(*directories):
        monkeypatch.setattr(fonts, "FONT_DIRS", directories)
        fonts.document_fonts.cache_clear()

    yield use
    fonts.document_fonts.cache_clear()


def test_a_server_without_a_vietnamese_serif_is_warned_at_start_up(font_dirs, tmp_path):
    font_dirs(tmp_path)
    assert [message.id for message in document_fonts_installed()] == ["documents.W001"]
    with pytest.raises(fonts.FontsMissing):
        render_pdf(DocumentFrame("", "CHI BỘ", DocumentType.NOTICE, "CB", "Huế", "THÔNG BÁO"))


@pytest.mark.skipif(
    not OLD_LIBERATION.is_dir(), reason="Liberation Serif 1.x (fonts-liberation) is not installed"
)
def test_liberation_serif_1_is_refused_for_lack_of_vietnamese_letters(font_dirs, tmp_path):
    for face in OLD_LIBERATION.glob("LiberationSerif-*.ttf"):
        shutil.copy(face, tmp_path)
    font_dirs(tmp_path)
    with pytest.raises(fonts.FontsMissing):
        fonts.document_fonts()
