"""PDFs are kept by page; scripts, launch actions, passwords and damage are refused."""

from pypdf.actions import JavaScript
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from drafts.ingest import ingest_upload
from drafts.tests.ingest.files import LIMIT, pdf, pdf_bytes, refusal


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
