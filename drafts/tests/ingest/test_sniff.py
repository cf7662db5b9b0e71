"""What a file is: decided by its content, never its name, within the size limit."""

import io
import zipfile

import pytest

from drafts.ingest import ingest_upload
from drafts.tests.ingest.files import LIMIT, MB, docx, png, refusal


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
