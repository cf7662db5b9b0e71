"""Reading, comments, replies, tombstones, re-attachment to new versions, and responses."""

import re
import uuid
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError, InvalidTransition, PermissionDenied
from drafts import services
from drafts.models import Comment, Reading, Response
from drafts.tests.conftest import TEXT
from organizations.models import Member
from planning.models import Session
from tests.browser import vi
from tests.factories import member_in


def past_the_deadline(session):
    """Move the meeting so that its comment deadline was yesterday."""
    days = session.cell.effective_rule_set().param("comments_due_days_before")
    Session.objects.filter(pk=session.pk).update(planned_date=timezone.localdate() - timedelta(days=1 - days))


def member(world, persona):
    return Member.objects.get(user=world.persona(persona))


def test_the_first_open_is_recorded_once(client, world, distributed):
    client.force_login(world.probationary)
    client.get(reverse("drafts:read", args=[distributed.pk]))
    first = Reading.objects.get(session=distributed, member=member(world, "probationary")).first_opened_at
    client.get(reverse("drafts:read", args=[distributed.pk]))
    assert Reading.objects.get(session=distributed).first_opened_at == first


def test_a_member_comments_on_a_paragraph_and_another_replies(world, distributed):
    comment = services.add_comment(
        actor=world.probationary, session=distributed, anchor="p-2", body="Nên bổ sung ví dụ."
    )
    reply = services.add_comment(actor=world.secretary, session=distributed, parent=comment, body="Đồng ý.")
    assert comment.anchor == "p-2" and reply.parent == comment and reply.current_anchor == "p-2"
    with pytest.raises(DomainError):
        services.add_comment(actor=world.member, session=distributed, parent=reply, body="Trả lời lồng nhau")


def test_comments_need_text_and_an_existing_paragraph(world, distributed):
    with pytest.raises(DomainError):
        services.add_comment(actor=world.probationary, session=distributed, anchor="p-2", body="   ")
    with pytest.raises(DomainError):
        services.add_comment(actor=world.probationary, session=distributed, anchor="p-99", body="Ý kiến")
    with pytest.raises(DomainError):
        services.add_comment(actor=world.probationary, session=distributed, anchor="p-2", body="x" * 5001)


def test_comments_open_only_after_distribution(world, session):
    services.add_version(actor=world.member, session=session, text=TEXT)
    with pytest.raises(InvalidTransition):
        services.add_comment(actor=world.probationary, session=session, body="Sớm quá")


def test_members_of_another_cell_can_neither_read_nor_comment(client, world, distributed):
    with pytest.raises(PermissionDenied):
        services.add_comment(actor=world.other_member, session=distributed, body="Ý kiến")
    client.force_login(world.other_member)
    assert client.get(reverse("drafts:read", args=[distributed.pk])).status_code == 404
    assert client.post(reverse("drafts:comment_add", args=[distributed.pk]), {"body": "x"}).status_code == 404
    assert not Comment.objects.exists()


def test_html_typed_in_a_comment_never_runs(client, world, distributed):
    payload = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    services.add_comment(actor=world.probationary, session=distributed, anchor="p-2", body=payload)
    client.force_login(world.member)
    page = client.get(reverse("drafts:read", args=[distributed.pk])).content.decode()
    assert "<script>alert(1)" not in page and '<img src=x onerror="alert(2)">' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_author_edits_until_the_deadline_then_not(world, distributed):
    comment = services.add_comment(
        actor=world.probationary, session=distributed, anchor="p-2", body="Bản đầu"
    )
    with pytest.raises(PermissionDenied):
        services.edit_comment(actor=world.member, comment=comment, body="Sửa hộ")
    services.edit_comment(actor=world.probationary, comment=comment, body="Bản sửa")
    comment.refresh_from_db()
    assert comment.body == "Bản sửa" and comment.edited_at is not None
    past_the_deadline(distributed)
    with pytest.raises(InvalidTransition):
        services.edit_comment(actor=world.probationary, comment=comment, body="Quá hạn")


def test_a_comment_after_the_deadline_is_kept_and_marked_late(world, distributed):
    past_the_deadline(distributed)
    assert services.add_comment(actor=world.probationary, session=distributed, body="Muộn").late


def test_deleting_leaves_a_visible_tombstone(client, world, distributed):
    comment = services.add_comment(actor=world.probationary, session=distributed, anchor="p-2", body="Sẽ xóa")
    services.add_comment(actor=world.member, session=distributed, parent=comment, body="Trả lời vẫn còn")
    services.delete_comment(actor=world.probationary, comment=comment)
    comment.refresh_from_db()
    assert comment.is_deleted and comment.body == ""
    client.force_login(world.member)
    page = client.get(reverse("drafts:read", args=[distributed.pk])).content.decode()
    assert f'id="c{comment.pk}"' in page and "Trả lời vẫn còn" in page and "Sẽ xóa" not in page


def test_comments_follow_their_paragraph_into_a_new_version_or_are_shown_unmatched(world, distributed):
    moved = services.add_comment(
        actor=world.probationary, session=distributed, anchor="p-3", body="Về câu học suốt đời"
    )
    lost = services.add_comment(actor=world.secretary, session=distributed, anchor="p-6", body="Về liên hệ")
    Session.objects.filter(pk=distributed.pk).update(status=Session.Status.REVISING)  # after the meeting
    distributed.refresh_from_db()
    new_text = (
        "# I. Nội dung chuyên đề\n\nMở đầu mới hoàn toàn khác.\n\n"
        "Văn hóa Hồ Chí Minh về học tập là tấm gương sáng cho mỗi giảng viên, đảng viên.\n\n"
        "Học tập suốt đời, học ở mọi nơi, học mọi người, học ở sách vở."
    )
    version = services.add_version(actor=world.member, session=distributed, text=new_text)
    moved.refresh_from_db()
    lost.refresh_from_db()
    assert moved.current_version == version and moved.current_anchor == "p-4" and not moved.unmatched
    assert lost.current_version == version and lost.unmatched
    assert Comment.objects.count() == 2  # never dropped


def test_the_presenter_answers_every_comment(world, distributed):
    comment = services.add_comment(
        actor=world.probationary, session=distributed, anchor="p-2", body="Thêm số liệu"
    )
    services.add_comment(actor=world.secretary, session=distributed, body="Tốt")
    assert services.unanswered_comments(distributed) == 2
    with pytest.raises(PermissionDenied):
        services.respond(actor=world.secretary, comment=comment, decision=Response.Decision.ACCEPTED)
    with pytest.raises(DomainError):
        services.respond(actor=world.member, comment=comment, decision=Response.Decision.NOT_ACCEPTED)
    services.respond(
        actor=world.member, comment=comment, decision=Response.Decision.PARTLY, explanation="Một phần"
    )
    assert services.unanswered_comments(distributed) == 1


def test_the_secretary_sees_who_read_and_commented_and_reminds_the_others(world, distributed):
    services.record_open(member=member(world, "probationary"), session=distributed)
    services.add_comment(actor=world.secretary, session=distributed, body="Ý kiến")
    rows = {p.member.full_name: (bool(p.read_at), p.comments) for p in services.progress(distributed)}
    assert rows == {  # the presenter, Lê Văn Đức, wrote it and is not asked to comment
        "Nguyễn Văn Bình": (True, 1),  # commenting counts as having read it
        "Trần Thị Hoa": (False, 0),
        "Phạm Thị Mai": (True, 0),
    }
    assert services.send_reminder(actor=world.secretary, session=distributed) == 2
    with pytest.raises(PermissionDenied):
        services.send_reminder(actor=world.member, session=distributed)


def test_the_automatic_reminder_goes_once_n_days_before(world, distributed):
    days = world.cell.effective_rule_set().param("comment_reminder_days_before")
    early = distributed.planned_date - timedelta(days=days + 1)
    assert services.send_due_reminders(today=early) == 0
    on_time = distributed.planned_date - timedelta(days=days)
    assert services.send_due_reminders(today=on_time) == 1
    assert services.send_due_reminders(today=on_time) == 0


def test_the_reading_page_costs_the_same_queries_with_40_members_and_200_comments(client, world, distributed):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("drafts:read", args=[distributed.pk])).status_code == 200
        return len(captured)

    client.force_login(world.secretary)
    services.add_comment(actor=world.probationary, session=distributed, anchor="p-2", body="Một")
    count()  # the first open records the reading
    few = count()
    authors = [member_in(world.cell, user=None) for _ in range(36)]
    anchors = [p["anchor"] for p in distributed.draft_versions.get().paragraphs]
    parents = []
    for i in range(150):
        parents.append(
            Comment.objects.create(
                session=distributed,
                version_id=distributed.draft_versions.get().pk,
                current_version_id=distributed.draft_versions.get().pk,
                anchor=anchors[i % len(anchors)],
                current_anchor=anchors[i % len(anchors)],
                author=authors[i % len(authors)],
                body=f"Góp ý {i}",
            )
        )
    # Replies by the deputy: the reader's own work queue (in the menu) stays the same, so the page
    # is compared for more comments and members only.
    for i in range(50):
        services.add_comment(actor=world.deputy, session=distributed, parent=parents[i], body=f"Trả lời {i}")
    assert Comment.objects.count() == 201
    assert count() == few


@pytest.mark.new_year
def test_the_daily_command_sends_the_due_reminders(world, distributed):
    from io import StringIO

    from django.core.management import call_command

    Session.objects.filter(pk=distributed.pk).update(planned_date=timezone.localdate() + timedelta(days=1))
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "for 1 session" in out.getvalue()
    call_command("send_reminders", stdout=out)
    assert "for 0 session" in out.getvalue()


def test_the_final_text_cannot_be_submitted_while_a_comment_has_no_response(world, distributed):
    comment = services.add_comment(actor=world.probationary, session=distributed, anchor="p-2", body="Ý kiến")
    Session.objects.filter(pk=distributed.pk).update(status=Session.Status.REVISING)  # after the meeting
    distributed.refresh_from_db()
    with pytest.raises(InvalidTransition):
        services.submit_final(actor=world.member, session=distributed)  # no revised text yet
    services.add_version(actor=world.member, session=distributed, text=TEXT + "\n\nBổ sung theo góp ý.")
    with pytest.raises(DomainError) as refused:
        services.submit_final(actor=world.member, session=distributed)
    assert "1" in str(refused.value.message)
    services.respond(actor=world.member, comment=comment, decision=Response.Decision.ACCEPTED)
    version = services.submit_final(actor=world.member, session=distributed)
    distributed.refresh_from_db()
    assert distributed.status == Session.Status.FINAL_SUBMITTED and version.stage == "final"


def test_an_answered_comment_stays_in_the_table_and_cannot_be_deleted(world, distributed):
    comment = services.add_comment(
        actor=world.probationary, session=distributed, anchor="p-2", body="Thêm ví dụ"
    )
    services.respond(actor=world.member, comment=comment, decision=Response.Decision.ACCEPTED)
    with pytest.raises(InvalidTransition):
        services.delete_comment(actor=world.probationary, comment=comment)
    comment.refresh_from_db()
    assert not comment.is_deleted


def test_comments_cannot_be_deleted_after_the_deadline(world, distributed):
    comment = services.add_comment(actor=world.probationary, session=distributed, anchor="p-2", body="Ý kiến")
    past_the_deadline(distributed)
    with pytest.raises(InvalidTransition):
        services.delete_comment(actor=world.probationary, comment=comment)


def test_comments_close_at_the_meeting(world, distributed):
    Session.objects.filter(pk=distributed.pk).update(status=Session.Status.HELD)
    with pytest.raises(InvalidTransition):
        services.add_comment(actor=world.probationary, session=distributed, body="Muộn quá")


def test_a_second_manual_reminder_the_same_day_is_refused(world, distributed):
    services.send_reminder(actor=world.secretary, session=distributed)
    with pytest.raises(InvalidTransition):
        services.send_reminder(actor=world.deputy, session=distributed)


# --- A comment sent again (queued without signal, a retry) is stored once ---------------------


def test_a_comment_sent_twice_with_its_client_id_is_stored_once(world, distributed):
    token = uuid.uuid4()
    text = "Nên bổ sung ví dụ."
    first = services.add_comment(
        actor=world.probationary, session=distributed, anchor="p-2", body=text, client_id=token
    )
    again = services.add_comment(
        actor=world.probationary, session=distributed, anchor="p-2", body=text, client_id=token
    )
    assert again.pk == first.pk
    assert Comment.objects.filter(session=distributed).count() == 1
    # Another member's comment with the same id is theirs: it is stored.
    other = services.add_comment(actor=world.deputy, session=distributed, body="Ý kiến khác", client_id=token)
    assert other.pk != first.pk
    # Without an id every post is a comment (the form without JavaScript on an old page).
    services.add_comment(actor=world.probationary, session=distributed, body="Lần một")
    services.add_comment(actor=world.probationary, session=distributed, body="Lần một")
    assert Comment.objects.filter(session=distributed, body="Lần một").count() == 2


def test_the_database_refuses_a_second_comment_with_the_same_client_id(world, distributed):
    token = uuid.uuid4()
    first = services.add_comment(actor=world.probationary, session=distributed, body="Một", client_id=token)
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(
            session=distributed,
            version=first.version,
            current_version=first.version,
            author=first.author,
            body="Hai",
            client_id=token,
        )


def test_the_reading_page_script_gets_the_comment_as_the_page_shows_it(client, world, distributed):
    client.force_login(world.probationary)
    page = client.get(reverse("drafts:read", args=[distributed.pk])).content.decode()
    ids = re.findall(r'name="client_id" value="([0-9a-f-]{36})"', page)
    assert len(ids) > 1 and len(set(ids)) == len(ids)  # one per form, fresh
    data = {"anchor": "p-2", "body": "Nên bổ sung ví dụ <b>thực tế</b>.", "client_id": ids[0]}
    url = reverse("drafts:comment_add", args=[distributed.pk])
    answers = [client.post(url, data, headers={"X-Requested-With": "fetch"}) for _ in range(2)]
    comment = Comment.objects.get(session=distributed)
    for answer in answers:
        assert answer.status_code == 200
        assert answer.json()["ok"] is True and answer.json()["id"] == f"c{comment.pk}"
        assert "thực tế" in answer.json()["html"] and "<b>" not in answer.json()["html"]
    # A reply: the thread comes back, with the reply in it.
    reply = {"parent": comment.pk, "body": "Đồng ý.", "client_id": str(uuid.uuid4())}
    answer = client.post(url, reply, headers={"X-Requested-With": "fetch"}).json()
    assert answer["id"] == f"c{comment.pk}" and "Đồng ý." in answer["html"]
    assert Comment.objects.filter(session=distributed).count() == 2


def test_a_refused_comment_answers_the_script_with_the_reason(client, world, distributed):
    client.force_login(world.probationary)
    url = reverse("drafts:comment_add", args=[distributed.pk])
    answer = client.post(url, {"anchor": "p-99", "body": "Ý kiến"}, headers={"X-Requested-With": "fetch"})
    assert answer.status_code == 400 and answer.json()["ok"] is False
    assert vi("This paragraph is not in the draft any more; reload the page.") in answer.json()["error"]
    fetch = {"X-Requested-With": "fetch"}
    broken = client.post(url, {"body": "Ý kiến", "client_id": "not-a-uuid"}, headers=fetch)
    assert broken.status_code == 400 and broken.json()["ok"] is False
    assert not Comment.objects.filter(session=distributed).exists()
