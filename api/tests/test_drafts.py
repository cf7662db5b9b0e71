"""The drafts API does what the draft pages do, through the same services, and shows each persona what
the pages show them: versions, approval and distribution, reading, comments with their replies and
tombstones, responses, and the final text after the meeting."""

import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import AuditEntry
from drafts import services
from drafts.models import Comment, Reading
from drafts.tests.conftest import TEXT, docx_bytes
from organizations.models import Member
from planning import services as planning
from planning.models import Session
from tests.browser import vi
from tests.factories import member_in

pytestmark = pytest.mark.django_db
API = "/api/v1"


def record(world, persona):
    return Member.objects.get(user=world.persona(persona))


@pytest.fixture
def session(world):
    """A session in a fortnight, presented by world.member (as drafts/tests/conftest.py)."""
    day = timezone.localdate() + timedelta(days=14)
    plan = planning.create_plan(actor=world.secretary, cell=world.cell, year=day.year)
    session = planning.add_session(
        actor=world.secretary,
        plan=plan,
        quarter=(day.month - 1) // 3 + 1,
        title="Văn hóa Hồ Chí Minh về học tập",
        planned_date=day,
    )
    planning.assign_presenters(actor=world.secretary, session=session, members=[record(world, "member")])
    session.refresh_from_db()
    return session


@pytest.fixture
def distributed(world, session):
    services.add_version(actor=world.member, session=session, text=TEXT)
    services.submit_draft(actor=world.member, session=session)
    services.approve_draft(actor=world.secretary, session=session)
    session.refresh_from_db()
    return session


def logged(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


# --- The draft and its versions ------------------------------------------------------------------


class TestDraft:
    def test_the_presenter_uploads_a_word_file_as_on_the_page(self, client, world, session):
        client.force_login(world.member)
        response = client.post(
            f"{API}/sessions/{session.pk}/draft/versions",
            {"file": SimpleUploadedFile("du-thao.docx", docx_bytes("Nội dung chính.")), "note": "Bản đầu"},
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["number"] == 1 and body["kind"] == "docx" and body["note"] == "Bản đầu"
        assert body["stage"] == "draft" and body["approved_at"] is None
        session.refresh_from_db()
        assert session.status == Session.Status.DRAFTING
        assert logged("drafts.version.added") == 1

    def test_the_uploaded_file_is_downloaded_by_who_sees_the_version(self, client, world, session):
        content = docx_bytes("Nội dung chính.")
        services.add_version(actor=world.member, session=session, upload=("du-thao.docx", content))
        url = f"{API}/sessions/{session.pk}/draft/versions/1/file"
        client.force_login(world.probationary)
        assert client.get(url).status_code == 404  # not approved: not theirs to see yet
        client.force_login(world.secretary)
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == content
        assert 'filename="du-thao.docx"' in response["Content-Disposition"]
        assert response["Content-Security-Policy"].startswith("sandbox")

    def test_a_bad_file_is_refused_with_the_pages_message(self, client, world, session):
        client.force_login(world.member)
        url = f"{API}/sessions/{session.pk}/draft/versions"
        response = client.post(url, {"file": SimpleUploadedFile("du-thao.docx", b"not a document at all")})
        assert response.status_code == 400
        assert response.json()["message"] == vi("The file is not a Word document (.docx) or a PDF.")
        missing = client.post(url, {"note": "Quên tệp"})
        assert missing.status_code == 400 and "file" in missing.json()["fields"]
        assert session.draft_versions.count() == 0

    def test_a_version_written_as_text_and_a_stale_expected_version(self, client, world, session):
        client.force_login(world.member)
        url = f"{API}/sessions/{session.pk}/draft/versions/text"
        first = client.post(url, {"text": TEXT, "expected_version": 0}, content_type="application/json")
        assert first.status_code == 201 and first.json()["kind"] == "html"
        stale = client.post(url, {"text": "Bản khác", "expected_version": 0}, content_type="application/json")
        assert stale.status_code == 409 and stale.json()["code"] == "invalid_state"
        assert stale.json()["message"] == vi(
            "Version %(latest)s was added while you were working on version %(seen)s. "
            "Reload the page to see it; nothing was changed."
        ) % {"latest": 1, "seen": 0}
        empty = client.post(url, {"text": ""}, content_type="application/json")
        assert empty.status_code == 400 and "text" in empty.json()["fields"]

    def test_unapproved_versions_and_the_rounds_are_for_the_presenter_and_approvers(
        self, client, world, session
    ):
        services.add_version(actor=world.member, session=session, text=TEXT)
        client.force_login(world.probationary)
        draft = client.get(f"{API}/sessions/{session.pk}/draft").json()
        assert draft["versions"] == [] and draft["current_version"] is None and draft["reviews"] == []
        assert client.get(f"{API}/sessions/{session.pk}/draft/versions/1").status_code == 404
        client.force_login(world.secretary)
        draft = client.get(f"{API}/sessions/{session.pk}/draft").json()
        assert [v["number"] for v in draft["versions"]] == [1]
        assert draft["current_version"]["number"] == 1

    def test_two_versions_compare_word_by_word(self, client, world, session):
        services.add_version(actor=world.member, session=session, text="Học tập suốt đời.")
        services.add_version(actor=world.member, session=session, text="Học tập suốt đời và sáng tạo.")
        client.force_login(world.secretary)
        compared = client.get(f"{API}/sessions/{session.pk}/draft/compare").json()
        assert (compared["a"], compared["b"]) == (1, 2)
        assert [row["status"] for row in compared["rows"]] == ["changed"]
        assert "<ins>" in compared["rows"][0]["html"] and "sáng tạo" in compared["rows"][0]["html"]
        client.force_login(world.probationary)
        assert client.get(f"{API}/sessions/{session.pk}/draft/compare").status_code == 404

    def test_submit_approve_and_distribute_with_the_recipients_counted(self, client, world, session):
        services.add_version(actor=world.member, session=session, text=TEXT)
        client.force_login(world.member)
        submitted = client.post(
            f"{API}/sessions/{session.pk}/draft/submit",
            {"expected_version": 1},
            content_type="application/json",
        )
        assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
        assert submitted.json()["reviews"][0]["decision"] == "pending"
        client.force_login(world.secretary)
        approved = client.post(
            f"{API}/sessions/{session.pk}/draft/approve",
            {"expected_version": 1},
            content_type="application/json",
        )
        assert approved.status_code == 200, approved.content
        body = approved.json()
        assert body["status"] == "distributed" and body["distribution"]["version_number"] == 1
        assert body["recipients"] == len(services.recipients_of(session, include_exempted=False))
        assert body["distribution"]["comments_due"] is not None
        again = client.post(f"{API}/sessions/{session.pk}/draft/approve", {}, content_type="application/json")
        assert again.status_code == 409
        assert again.json()["message"] == vi("There is no draft waiting for approval.")

    def test_return_needs_remarks_and_only_an_approver_may(self, client, world, session):
        services.add_version(actor=world.member, session=session, text=TEXT)
        services.submit_draft(actor=world.member, session=session)
        url = f"{API}/sessions/{session.pk}/draft/return"
        client.force_login(world.probationary)
        assert client.post(url, {"remarks": "Sửa"}, content_type="application/json").status_code == 403
        client.force_login(world.deputy)
        blank = client.post(url, {"remarks": ""}, content_type="application/json")
        assert blank.status_code == 400 and "remarks" in blank.json()["fields"]
        returned = client.post(url, {"remarks": "Bổ sung số liệu"}, content_type="application/json")
        assert returned.status_code == 200 and returned.json()["status"] == "returned"
        assert returned.json()["reviews"][0]["remarks"] == "Bổ sung số liệu"

    def test_a_member_reads_the_html_and_paragraphs_and_the_opening_is_recorded(
        self, client, world, distributed
    ):
        client.force_login(world.probationary)
        draft = client.get(f"{API}/sessions/{distributed.pk}/draft").json()
        current = draft["current_version"]
        assert current["number"] == 1 and current["approved_at"]
        assert [p["anchor"] for p in current["paragraphs"]][:2] == ["p-1", "p-2"]
        assert current["paragraphs"][1]["number"] == 2
        assert current["paragraphs"][1]["text"].startswith("Văn hóa Hồ Chí Minh về học tập")
        assert 'id="p-2"' in current["html"] and "<script" not in current["html"]
        assert Reading.objects.filter(session=distributed, member=record(world, "probationary")).exists()

    def test_another_cells_member_finds_nothing(self, client, world, distributed):
        client.force_login(world.other_member)
        for path in ("draft", "comments", "responses", "draft/versions/1"):
            response = client.get(f"{API}/sessions/{distributed.pk}/{path}")
            assert response.status_code == 404 and response.json()["code"] == "not_found"

    def test_the_secretary_sees_who_read_and_reminds_the_others(self, client, world, distributed):
        services.record_open(member=record(world, "probationary"), session=distributed)
        client.force_login(world.member)
        assert client.get(f"{API}/sessions/{distributed.pk}/draft/readers").status_code == 403
        client.force_login(world.secretary)
        readers = client.get(f"{API}/sessions/{distributed.pk}/draft/readers").json()
        by_name = {r["full_name"]: r for r in readers["items"]}
        assert record(world, "member").full_name not in by_name  # the presenter
        assert by_name[record(world, "probationary").full_name]["first_opened_at"]
        reminded = client.post(f"{API}/sessions/{distributed.pk}/draft/remind")
        assert reminded.status_code == 200 and reminded.json()["reminded"] == readers["count"] - 1
        again = client.post(f"{API}/sessions/{distributed.pk}/draft/remind")
        assert again.status_code == 409


# --- Comments ------------------------------------------------------------------------------------


class TestComments:
    def test_a_comment_handed_in_on_paper_is_marked_in_the_comments_and_the_table(
        self, client, world, distributed
    ):
        services.add_paper_comment(
            actor=world.secretary,
            session=distributed,
            member=record(world, "probationary"),
            body="Đề nghị bổ sung ví dụ.",
            anchor="p-2",
        )
        client.force_login(world.member)
        services.add_comment(actor=world.member, session=distributed, body="Góp ý trên điện thoại.")
        comments = client.get(f"{API}/sessions/{distributed.pk}/comments").json()["items"]
        assert {c["body"]: c["on_paper"] for c in comments} == {
            "Đề nghị bổ sung ví dụ.": True,
            "Góp ý trên điện thoại.": False,
        }
        table = client.get(f"{API}/sessions/{distributed.pk}/responses").json()["items"]
        assert [(row["body"], row["on_paper"]) for row in table] == [
            ("Đề nghị bổ sung ví dụ.", True),
            ("Góp ý trên điện thoại.", False),
        ]

    def test_a_member_comments_on_a_paragraph_and_another_replies(self, client, world, distributed):
        client.force_login(world.probationary)
        url = f"{API}/sessions/{distributed.pk}/comments"
        added = client.post(
            url, {"body": "Nên thêm ví dụ.", "anchor": "p-2"}, content_type="application/json"
        )
        assert added.status_code == 201, added.content
        comment = added.json()
        assert comment["anchor"] == "p-2" and comment["mine"] and comment["author"]["full_name"]
        assert logged("drafts.comment.added") == 1
        client.force_login(world.deputy)
        reply = client.post(
            f"{API}/comments/{comment['id']}/replies", {"body": "Đồng ý."}, content_type="application/json"
        )
        assert reply.status_code == 201 and reply.json()["parent_id"] == comment["id"]
        listed = client.get(url).json()
        assert listed["count"] == 1
        assert [r["body"] for r in listed["items"][0]["replies"]] == ["Đồng ý."]
        assert listed["items"][0]["mine"] is False

    def test_a_missing_paragraph_is_refused_with_the_pages_message(self, client, world, distributed):
        client.force_login(world.probationary)
        response = client.post(
            f"{API}/sessions/{distributed.pk}/comments",
            {"body": "Góp ý", "anchor": "p-99"},
            content_type="application/json",
        )
        assert response.status_code == 400
        assert response.json()["fields"]["anchor"] == [
            vi("This paragraph is not in the draft any more; reload the page.")
        ]
        blank = client.post(
            f"{API}/sessions/{distributed.pk}/comments", {"body": ""}, content_type="application/json"
        )
        assert blank.status_code == 400 and "body" in blank.json()["fields"]
        assert not Comment.objects.exists()

    def test_a_comment_sent_twice_with_its_client_id_is_stored_once(self, client, world, distributed):
        client.force_login(world.probationary)
        data = {"body": "Viết khi mất sóng.", "client_id": str(uuid.uuid4())}
        url = f"{API}/sessions/{distributed.pk}/comments"
        first = client.post(url, data, content_type="application/json")
        second = client.post(url, data, content_type="application/json")
        assert first.status_code == second.status_code == 201
        assert first.json()["id"] == second.json()["id"]
        assert Comment.objects.count() == 1

    def test_the_list_goes_paragraph_by_paragraph_and_filters_by_anchor(self, client, world, distributed):
        services.add_comment(actor=world.probationary, session=distributed, body="Chung", anchor="")
        services.add_comment(actor=world.deputy, session=distributed, body="Đoạn 3", anchor="p-3")
        services.add_comment(actor=world.secretary, session=distributed, body="Đoạn 2", anchor="p-2")
        client.force_login(world.officer)
        url = f"{API}/sessions/{distributed.pk}/comments"
        assert [c["body"] for c in client.get(url).json()["items"]] == ["Đoạn 2", "Đoạn 3", "Chung"]
        assert [c["body"] for c in client.get(url, {"anchor": "p-3"}).json()["items"]] == ["Đoạn 3"]
        assert [c["body"] for c in client.get(url, {"anchor": "whole"}).json()["items"]] == ["Chung"]
        page = client.get(url, {"page_size": 2, "page": 2}).json()
        assert page["count"] == 3 and [c["body"] for c in page["items"]] == ["Chung"]

    def test_a_withdrawn_comment_is_a_tombstone_with_its_replies_kept(self, client, world, distributed):
        comment = services.add_comment(
            actor=world.probationary, session=distributed, body="Rút lại", anchor=""
        )
        services.add_comment(actor=world.deputy, session=distributed, body="Trả lời", parent=comment)
        client.force_login(world.deputy)
        assert client.delete(f"{API}/comments/{comment.pk}").status_code == 403
        client.force_login(world.probationary)
        assert client.delete(f"{API}/comments/{comment.pk}").status_code == 204
        assert logged("drafts.comment.deleted") == 1
        client.force_login(world.secretary)
        shown = client.get(f"{API}/sessions/{distributed.pk}/comments").json()["items"][0]
        assert shown["deleted"] and shown["deleted_at"]
        assert shown["body"] is None and shown["author"] is None
        assert [r["body"] for r in shown["replies"]] == ["Trả lời"]
        assert client.delete(f"{API}/comments/{comment.pk}").status_code == 403

    def test_the_author_edits_until_the_presenter_answers(self, client, world, distributed):
        comment = services.add_comment(
            actor=world.probationary, session=distributed, body="Bản đầu", anchor=""
        )
        url = f"{API}/comments/{comment.pk}"
        client.force_login(world.secretary)
        assert client.patch(url, {"body": "Sửa hộ"}, content_type="application/json").status_code == 403
        client.force_login(world.probationary)
        edited = client.patch(url, {"body": "Bản sửa"}, content_type="application/json")
        assert edited.status_code == 200 and edited.json()["body"] == "Bản sửa" and edited.json()["edited"]
        services.respond(actor=world.member, comment=comment, decision="accepted")
        refused = client.patch(url, {"body": "Sửa nữa"}, content_type="application/json")
        assert refused.status_code == 409
        assert refused.json()["message"] == vi(
            "The presenter has already answered this comment; add a reply instead."
        )

    def test_listing_comments_costs_the_same_queries_for_3_and_60(self, client, world, distributed):
        client.force_login(world.secretary)
        url = f"{API}/sessions/{distributed.pk}/comments?page_size=100"

        def add(count: int) -> None:
            for index in range(count):
                author = member_in(world.cell, user=None)
                comment = Comment.objects.create(
                    session=distributed,
                    version=distributed.draft_versions.get(),
                    current_version=distributed.draft_versions.get(),
                    anchor="p-2",
                    current_anchor="p-2",
                    author=author,
                    body=f"Góp ý {index}",
                )
                services.add_comment(actor=world.deputy, session=distributed, parent=comment, body="Trả lời")

        def count() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            return len(captured)

        add(3)
        client.get(url)
        few = count()
        add(57)
        assert client.get(url).json()["count"] == 60
        assert count() == few


# --- Responses and the final text ----------------------------------------------------------------


class TestResponses:
    def test_the_presenter_answers_and_the_table_shows_it(self, client, world, distributed):
        comment = services.add_comment(
            actor=world.probationary, session=distributed, body="Thêm số liệu", anchor="p-2"
        )
        services.add_comment(actor=world.deputy, session=distributed, body="Chung", anchor="")
        url = f"{API}/comments/{comment.pk}/response"
        client.force_login(world.secretary)
        assert client.put(url, {"decision": "accepted"}, content_type="application/json").status_code == 403
        client.force_login(world.member)
        unexplained = client.put(url, {"decision": "not_accepted"}, content_type="application/json")
        assert unexplained.status_code == 400
        assert unexplained.json()["fields"]["explanation"] == [
            vi("Explain why the comment was not (fully) accepted.")
        ]
        bad = client.put(url, {"decision": "maybe"}, content_type="application/json")
        assert bad.status_code == 400 and "decision" in bad.json()["fields"]
        answered = client.put(
            url,
            {"decision": "partly", "explanation": "Số liệu chưa công bố."},
            content_type="application/json",
        )
        assert answered.status_code == 200 and answered.json()["decision_label"] == vi("Partly accepted")
        assert logged("drafts.comment.answered") == 1
        table = client.get(f"{API}/sessions/{distributed.pk}/responses").json()
        assert [row["number"] for row in table["items"]] == [1, 2]
        first = table["items"][0]
        assert first["quote"].startswith("Văn hóa Hồ Chí Minh") and first["response"]["decision"] == "partly"
        waiting = client.get(f"{API}/sessions/{distributed.pk}/responses", {"answered": "false"}).json()
        assert [row["number"] for row in waiting["items"]] == [2] and waiting["count"] == 1

    def test_the_table_and_the_draft_cost_the_same_queries_for_2_comments_and_40(
        self, client, world, distributed
    ):
        client.force_login(world.member)
        urls = [
            f"{API}/sessions/{distributed.pk}/responses?page_size=100",
            f"{API}/sessions/{distributed.pk}/draft",
        ]

        def add(count: int) -> None:
            for index in range(count):
                comment = services.add_comment(
                    actor=world.probationary, session=distributed, body=f"Góp ý {index}", anchor="p-2"
                )
                if index % 2:
                    services.respond(actor=world.member, comment=comment, decision="accepted")

        def counts() -> list[int]:
            found = []
            for url in urls:
                with CaptureQueriesContext(connection) as captured:
                    assert client.get(url).status_code == 200
                found.append(len(captured))
            return found

        add(2)
        counts()
        few = counts()
        add(38)
        assert client.get(urls[0]).json()["count"] == 40
        assert counts() == few

    def test_the_table_comes_as_a_party_document(self, client, world, distributed):
        services.add_comment(actor=world.probationary, session=distributed, body="Bổ sung", anchor="")
        client.force_login(world.officer)
        url = f"{API}/sessions/{distributed.pk}/responses/file"
        pdf = client.get(url, {"format": "pdf"})
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        docx = client.get(url)
        assert docx.status_code == 200 and docx.content.startswith(b"PK")
        assert client.get(url, {"format": "odt"}).status_code == 422

    def test_the_final_text_is_submitted_once_every_comment_is_answered_then_approved(
        self, client, world, distributed
    ):
        comment = services.add_comment(
            actor=world.probationary, session=distributed, body="Bổ sung", anchor=""
        )
        Session.objects.filter(pk=distributed.pk).update(status=Session.Status.HELD)
        client.force_login(world.member)
        written = client.post(
            f"{API}/sessions/{distributed.pk}/draft/versions/text",
            {"text": "Bản hoàn chỉnh sau buổi sinh hoạt."},
            content_type="application/json",
        )
        assert written.status_code == 201 and written.json()["stage"] == "final"
        submit = f"{API}/sessions/{distributed.pk}/final-text/submit"
        refused = client.post(submit, {}, content_type="application/json")
        assert refused.status_code == 400
        assert refused.json()["message"] == vi(
            "%(count)s comments have no response yet; answer every comment before submitting the final text."
        ) % {"count": 1}
        services.respond(actor=world.member, comment=comment, decision="accepted")
        submitted = client.post(submit, {"expected_version": 2}, content_type="application/json")
        assert submitted.status_code == 200 and submitted.json()["status"] == "final_submitted"
        client.force_login(world.deputy)
        approve = f"{API}/sessions/{distributed.pk}/final-text/approve"
        assert (
            client.post(
                f"{API}/sessions/{distributed.pk}/draft/approve", {}, content_type="application/json"
            ).status_code
            == 409
        )
        approved = client.post(approve, {"expected_version": 2}, content_type="application/json")
        assert approved.status_code == 200 and approved.json()["status"] == "final_approved"
        assert approved.json()["versions"][-1]["approved_at"]

    def test_the_openapi_document_describes_the_drafts_operations(self, client, world):
        client.force_login(world.member)
        schema = client.get(f"{API}/openapi.json").json()
        for path in (
            "/api/v1/sessions/{session_id}/draft",
            "/api/v1/sessions/{session_id}/draft/versions",
            "/api/v1/sessions/{session_id}/comments",
            "/api/v1/comments/{comment_id}/response",
            "/api/v1/sessions/{session_id}/final-text/approve",
        ):
            assert path in schema["paths"], path
        upload = schema["paths"]["/api/v1/sessions/{session_id}/draft/versions"]["post"]
        assert "multipart/form-data" in upload["requestBody"]["content"]
        assert all(
            op["summary"] for ops in schema["paths"].values() for op in ops.values() if "drafts" in op["tags"]
        )
