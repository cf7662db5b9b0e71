"""The draft pages: upload by form, approval buttons for the right people, diff, response table export."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from lxml import html as lxml_html
from pypdf import PdfReader

from drafts import services
from drafts.blocks import split_blocks
from drafts.models import Response
from drafts.tests.conftest import TEXT, docx_bytes
from planning.models import Session


def test_the_presenter_uploads_through_the_page_and_sees_bad_files_explained(client, world, session):
    client.force_login(world.member)
    url = reverse("drafts:upload", args=[session.pk])
    good = SimpleUploadedFile("du-thao.docx", docx_bytes("Nội dung chính."))
    assert client.post(url, {"file": good, "expected_version": 0}).status_code == 302
    assert session.draft_versions.count() == 1
    bad = SimpleUploadedFile("du-thao.docx", b"not a document at all")
    response = client.post(url, {"file": bad, "expected_version": 1}, follow=True)
    assert session.draft_versions.count() == 1
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_unapproved_versions_are_hidden_from_members(client, world, session):
    services.add_version(actor=world.member, session=session, text=TEXT)
    client.force_login(world.probationary)
    assert client.get(reverse("drafts:read", args=[session.pk])).status_code == 404
    client.force_login(world.secretary)  # an approver reads it to decide
    assert client.get(reverse("drafts:read", args=[session.pk])).status_code == 200


def test_the_approver_sees_the_approval_form_and_the_presenter_the_submit_button(client, world, session):
    services.add_version(actor=world.member, session=session, text=TEXT)
    client.force_login(world.member)
    page = client.get(reverse("drafts:workspace", args=[session.pk])).content.decode()
    assert reverse("drafts:submit", args=[session.pk]) in page
    services.submit_draft(actor=world.member, session=session)
    client.force_login(world.secretary)
    page = client.get(reverse("drafts:workspace", args=[session.pk])).content.decode()
    assert reverse("drafts:approve", args=[session.pk]) in page
    client.force_login(world.probationary)
    page = client.get(reverse("drafts:workspace", args=[session.pk])).content.decode()
    assert reverse("drafts:approve", args=[session.pk]) not in page


def test_two_versions_compare_word_by_word(client, world, session):
    services.add_version(actor=world.member, session=session, text="Học tập suốt đời.")
    services.add_version(actor=world.member, session=session, text="Học tập suốt đời và sáng tạo.")
    client.force_login(world.member)
    page = client.get(reverse("drafts:compare", args=[session.pk]) + "?a=1&b=2").content.decode()
    assert "<ins>" in page and "sáng tạo" in page


def test_the_response_table_exports_as_docx_and_pdf_in_the_party_frame(client, world, distributed):
    comment = services.add_comment(
        actor=world.probationary, session=distributed, anchor="p-2", body="Thêm ví dụ"
    )
    services.respond(actor=world.member, comment=comment, decision=Response.Decision.ACCEPTED)
    client.force_login(world.member)
    docx = client.get(reverse("drafts:responses_export", args=[distributed.pk, "docx"]))
    document = Document(io.BytesIO(docx.content))
    texts = [p.text for p in document.paragraphs] + [
        c.text for t in document.tables for row in t.rows for c in row.cells
    ]
    assert "BẢNG TỔNG HỢP TIẾP THU, GIẢI TRÌNH Ý KIẾN GÓP Ý" in texts
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in texts
    assert any("Thêm ví dụ" in t for t in texts) and "Tiếp thu." in texts
    assert not any(t.startswith("Số ") for t in texts)  # an annex is not numbered
    pdf = client.get(reverse("drafts:responses_export", args=[distributed.pk, "pdf"]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Phạm Thị Mai" in text.replace("\n", " ")


def test_list_items_are_blocks_of_their_own_and_nested_anchors_stay_with_them():
    html = (
        '<p id="p-1" data-anchor="p-1">Một</p><ul><li id="p-2" data-anchor="p-2">Hai'
        '<ul><li id="p-3" data-anchor="p-3">Ba</li></ul></li><li id="p-4" data-anchor="p-4">Bốn</li></ul>'
        '<ol><li id="p-5" data-anchor="p-5">Năm</li><li id="p-6" data-anchor="p-6">Sáu</li></ol>'
    )
    blocks = split_blocks(html)
    assert [(b.anchor, sorted(b.anchors)) for b in blocks] == [
        ("p-1", ["p-1"]),
        ("p-2", ["p-2", "p-3"]),
        ("p-4", ["p-4"]),
        ("p-5", ["p-5"]),
        ("p-6", ["p-6"]),
    ]
    assert blocks[1].html.startswith("<ul><li") and blocks[4].html.startswith('<ol start="2">')


def test_a_long_session_title_is_shortened_in_whole_words_in_the_breadcrumbs(client, world, session):
    title = "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về xây dựng Đảng trong sạch"
    Session.objects.filter(pk=session.pk).update(title=title)
    services.add_version(actor=world.member, session=session, text=TEXT)
    client.force_login(world.member)
    page = client.get(reverse("drafts:workspace", args=[session.pk])).content.decode()
    crumb = page.split('<nav class="breadcrumbs">')[1].split("</nav>")[0]
    shown = crumb.rsplit(">", 2)[-2].split("<")[0]  # the text of the last link: the session
    assert shown == "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí…"


LONG = (
    "Mỗi đảng viên gương mẫu sử dụng mạng xã hội đúng mực, không chia sẻ thông tin chưa được kiểm chứng, "
    "tích cực đấu tranh phản bác quan điểm sai trái, thù địch và lan tỏa những điều tốt đẹp trong nhà trường."
)


def test_the_responses_quote_the_paragraph_commented_on_and_every_label_names_a_field(client, world, session):
    services.add_version(actor=world.member, session=session, text=f"# Mở đầu\n\nHọc tập suốt đời.\n\n{LONG}")
    services.submit_draft(actor=world.member, session=session)
    services.approve_draft(actor=world.secretary, session=session)
    short = services.add_comment(actor=world.secretary, session=session, anchor="p-2", body="Rõ hơn")
    long = services.add_comment(actor=world.deputy, session=session, anchor="p-3", body="Thêm ví dụ")
    services.add_comment(actor=world.probationary, session=session, anchor="", body="Nhất trí")
    client.force_login(world.member)  # the presenter answers

    tree = lxml_html.fromstring(client.get(reverse("drafts:responses", args=[session.pk])).content.decode())

    def card(comment) -> tuple[str, str, str]:
        section = tree.xpath(f"//section[@id='c{comment.pk}']")[0]
        link = section.xpath(".//small/a")[0]
        return link.text_content(), link.get("href"), section.xpath("string(.//blockquote)")

    read = reverse("drafts:read", args=[session.pk])
    assert card(short) == ("Đoạn 2", f"{read}#c{short.pk}", "Học tập suốt đời.")
    number, href, quote = card(long)
    assert (number, href) == ("Đoạn 3", f"{read}#c{long.pk}")  # the whole paragraph is a tap away
    assert len(quote) <= 160 and quote.endswith("…") and LONG.startswith(quote[:-1])
    assert LONG[len(quote) - 1] == " "  # shortened between two words
    assert len(tree.xpath("//blockquote")) == 2  # the comment on the whole draft quotes nothing

    ids = {element.get("id") for element in tree.xpath("//*[@id]")}
    labels = tree.xpath("//label")
    assert labels and all(label.get("for") and label.get("for") in ids for label in labels)


def test_the_last_response_leads_to_submitting_the_final_text_from_the_responses_page(
    client, world, distributed
):
    first = services.add_comment(actor=world.probationary, session=distributed, anchor="p-2", body="Một")
    second = services.add_comment(actor=world.deputy, session=distributed, anchor="", body="Hai")
    Session.objects.filter(pk=distributed.pk).update(status=Session.Status.REVISING)  # after the meeting
    distributed.refresh_from_db()
    client.force_login(world.member)
    url = reverse("drafts:responses", args=[distributed.pk])
    # The final text uploaded while comments wait for an answer: on to the responses.
    upload = SimpleUploadedFile("ban-hoan-chinh.docx", docx_bytes("Bản hoàn chỉnh.", "Bổ sung theo góp ý."))
    answer = client.post(
        reverse("drafts:upload", args=[distributed.pk]), {"file": upload, "expected_version": 1}
    )
    assert answer["Location"] == url

    answer = client.post(reverse("drafts:respond", args=[first.pk]), {f"c{first.pk}-decision": "accepted"})
    assert answer["Location"] == f"{url}#c{first.pk}"
    assert 'id="submit-final"' not in client.get(url).content.decode()  # one comment still waits
    answer = client.post(reverse("drafts:respond", args=[second.pk]), {f"c{second.pk}-decision": "accepted"})
    assert answer["Location"] == f"{url}#submit-final"
    html = client.get(url).content.decode()
    form = html.split('id="submit-final"', 1)[1].split("</form>", 1)[0]
    assert "Trình duyệt bản hoàn chỉnh" in form and "Phiên bản 2 là bản hoàn chỉnh" in form
    client.post(reverse("drafts:submit_final", args=[distributed.pk]), {"expected_version": 2})
    distributed.refresh_from_db()
    assert distributed.status == Session.Status.FINAL_SUBMITTED
    client.force_login(world.probationary)  # not the presenter: no button
    assert 'id="submit-final"' not in client.get(url).content.decode()
