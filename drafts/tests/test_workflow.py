"""A draft from the first upload to distribution, and every refusal on the way."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core.errors import DomainError, InvalidTransition, PermissionDenied
from core.models import AuditEntry
from drafts import services
from drafts.models import Distribution, DraftVersion, Review
from drafts.tests.conftest import TEXT, docx_bytes
from notifications.models import Notification
from organizations.models import Member
from planning.models import Session
from tests.factories import ExemptionFactory


def test_the_presenter_uploads_a_docx_which_becomes_version_1(world, session):
    version = services.add_version(
        actor=world.member,
        session=session,
        upload=("du-thao.docx", docx_bytes("Đoạn thứ nhất.", "Đoạn thứ hai.")),
    )
    session.refresh_from_db()
    assert version.number == 1 and version.kind == DraftVersion.Kind.DOCX
    assert [p["text"] for p in version.paragraphs][-2:] == ["Đoạn thứ nhất.", "Đoạn thứ hai."]
    assert version.file.name.endswith(".docx")
    assert session.status == Session.Status.DRAFTING
    assert AuditEntry.objects.filter(action="drafts.version.added", object_id=session.pk).exists()


def test_the_editor_text_becomes_headings_paragraphs_and_lists(world, session):
    version = services.add_version(actor=world.member, session=session, text=TEXT)
    assert "<h2" in version.html and "<ul" in version.html and "<li" in version.html
    assert version.paragraphs[0]["text"] == "I. Nội dung chuyên đề"


def test_only_the_presenter_writes_the_draft(world, session):
    for persona in ("secretary", "probationary", "other_member", "officer"):
        with pytest.raises(PermissionDenied):
            services.add_version(actor=world.persona(persona), session=session, text=TEXT)
    assert not session.draft_versions.exists()


def test_a_bad_file_is_refused_and_nothing_is_stored(world, session):
    with pytest.raises(DomainError):
        services.add_version(
            actor=world.member, session=session, upload=("anh.docx", b"\x89PNG\r\n\x1a\n" + b"0" * 64)
        )
    assert not session.draft_versions.exists()
    session.refresh_from_db()
    assert session.status == Session.Status.ASSIGNED


def test_the_secretary_returns_with_remarks_and_the_next_version_starts_a_new_round(world, session):
    services.add_version(actor=world.member, session=session, text=TEXT)
    services.submit_draft(actor=world.member, session=session)
    with pytest.raises(InvalidTransition):
        services.submit_draft(actor=world.member, session=session)  # a duplicate submission
    with pytest.raises(InvalidTransition):
        services.add_version(actor=world.member, session=session, text=TEXT)  # waiting for approval
    services.return_draft(actor=world.secretary, session=session, remarks="Bổ sung phần liên hệ thực tiễn.")
    session.refresh_from_db()
    assert session.status == Session.Status.RETURNED
    assert Notification.objects.filter(recipient=world.member, body__contains="liên hệ thực tiễn").exists()
    services.add_version(actor=world.member, session=session, text=TEXT + "\n\nLiên hệ thực tiễn của Khoa.")
    services.submit_draft(actor=world.member, session=session)
    assert list(Review.objects.filter(session=session).values_list("decision", flat=True).order_by("id")) == [
        Review.Decision.RETURNED,
        Review.Decision.PENDING,
    ]


@pytest.mark.new_year
def test_approval_sends_the_draft_to_every_member_but_exempted_ones_by_default(world, session):
    exempted = Member.objects.get(user=world.deputy)
    ExemptionFactory(member=exempted, start_date=timezone.localdate() - timedelta(days=30))
    services.add_version(actor=world.member, session=session, text=TEXT)
    services.submit_draft(actor=world.member, session=session)
    result = services.approve_draft(actor=world.secretary, session=session)
    session.refresh_from_db()
    assert session.status == Session.Status.DISTRIBUTED
    recipients = set(
        Notification.objects.filter(url__contains="/doc/").values_list("recipient__username", flat=True)
    )
    # the probationary member too; not the exempted deputy, nor the presenter who wrote it
    assert recipients == {"bithu", "duby"}
    assert result.recipients == 3 and not result.late
    days = world.cell.effective_rule_set().param("comments_due_days_before")
    assert Distribution.objects.get(session=session).comments_due == session.planned_date - timedelta(
        days=days
    )
    assert session.draft_versions.get().approved_at is not None


@pytest.mark.new_year
def test_exempted_members_may_be_included(world, session):
    ExemptionFactory(member=Member.objects.get(user=world.deputy), start_date=timezone.localdate())
    services.add_version(actor=world.member, session=session, text=TEXT)
    services.submit_draft(actor=world.member, session=session)
    assert (
        services.approve_draft(actor=world.secretary, session=session, include_exempted=True).recipients == 4
    )


@pytest.mark.new_year
def test_a_late_distribution_warns_the_secretary(world, session):
    Session.objects.filter(pk=session.pk).update(planned_date=timezone.localdate())
    session.refresh_from_db()
    services.add_version(actor=world.member, session=session, text=TEXT)
    services.submit_draft(actor=world.member, session=session)
    result = services.approve_draft(actor=world.secretary, session=session)
    assert result.late and Distribution.objects.get(session=session).late


def test_members_and_the_presenter_do_not_approve(world, session):
    services.add_version(actor=world.member, session=session, text=TEXT)
    services.submit_draft(actor=world.member, session=session)
    for persona in ("member", "probationary", "other_member", "officer"):
        with pytest.raises(PermissionDenied):
            services.approve_draft(actor=world.persona(persona), session=session)


def test_approving_a_version_older_than_the_page_showed_is_refused(world, session):
    services.add_version(actor=world.member, session=session, text=TEXT)
    services.submit_draft(actor=world.member, session=session)
    with pytest.raises(InvalidTransition):
        services.approve_draft(actor=world.secretary, session=session, expected_version=2)
    with pytest.raises(InvalidTransition):
        services.add_version(actor=world.member, session=session, text=TEXT, expected_version=0)


def test_two_uploads_on_the_same_page_never_overwrite_each_other(world, session):
    services.add_version(actor=world.member, session=session, text=TEXT, expected_version=0)
    with pytest.raises(InvalidTransition) as refused:
        services.add_version(actor=world.member, session=session, text=TEXT + "\n\nKhác.", expected_version=0)
    assert "1" in str(refused.value.message)
    assert session.draft_versions.count() == 1


def test_versions_are_immutable_records(world, session):
    first = services.add_version(actor=world.member, session=session, text=TEXT)
    second = services.add_version(actor=world.member, session=session, text=TEXT + "\n\nĐoạn mới.")
    first.refresh_from_db()
    assert first.html != second.html and first.number == 1 and second.number == 2


def test_distribution_emails_go_out_after_commit(world, session, django_capture_on_commit_callbacks):
    services.add_version(actor=world.member, session=session, text=TEXT)
    services.submit_draft(actor=world.member, session=session)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_draft(actor=world.secretary, session=session)
    # The outbox also sends what earlier steps queued (their commits were never run here): look at
    # the distribution's own e-mails.
    sent = [m for m in mail.outbox if m.subject == f"[chuyende] Dự thảo gửi nghiên cứu: {session.title}"]
    assert sent
    addresses = {address for m in sent for address in m.to}
    assert (
        world.probationary.email in addresses and world.member.email not in addresses
    )  # not to the presenter


def test_a_session_without_a_date_asks_for_comments_before_the_meeting_not_by_a_dash(world, session):
    Session.objects.filter(pk=session.pk).update(planned_date=None)
    session.refresh_from_db()
    services.add_version(actor=world.member, session=session, text="Đoạn một.\n\nĐoạn hai.")
    services.submit_draft(actor=world.member, session=session)
    services.approve_draft(actor=world.secretary, session=session)
    notice = Notification.objects.get(recipient=world.probationary, title__startswith="Dự thảo")
    assert "trước buổi sinh hoạt" in notice.body and "—" not in notice.body
