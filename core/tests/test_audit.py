"""The audit log: explicit entries, told as sentences, never changed or deleted from the UI."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from core.audit import history, log_action
from core.models import AuditEntry
from organizations import services
from organizations.models import Member


def test_an_unregistered_action_code_is_refused(world):
    with pytest.raises(ValueError):
        log_action(world.secretary, "organizations.member.teleported", world.cell)


def test_entries_read_as_sentences_in_the_active_language(world):
    member = Member.objects.get(user=world.member)
    services.grant_exemption(
        actor=world.secretary, member=member, start_date=date(2026, 1, 1), reason="Ốm dài ngày"
    )
    entry = history(member).first()
    with translation.override("en"):
        assert entry.sentence == "bithu exempted Lê Văn Đức from Party work and meetings: Ốm dài ngày."
    with translation.override("vi"):
        assert "Ốm dài ngày" in entry.sentence
        assert "exempted" not in entry.sentence


def test_the_system_is_named_when_there_is_no_actor(world):
    services.create_organization(actor=None, name="Đảng bộ Thử", kind="party_committee")
    entry = AuditEntry.objects.get(object_repr="Đảng bộ Thử")
    with translation.override("en"):
        assert entry.sentence.startswith("The system created Đảng bộ Thử")


def test_the_member_page_shows_its_history_to_the_secretary(client, world):
    member = Member.objects.get(user=world.member)
    services.update_member(actor=world.secretary, member=member, data={"job_title": "Giảng viên chính"})
    client.force_login(world.secretary)
    page = client.get(reverse("organizations:member", args=[member.pk])).content.decode()
    assert history(member).first().sentence in page


def test_entries_cannot_be_changed_or_deleted_in_the_back_office(client, world):
    services.update_member(
        actor=world.secretary, member=Member.objects.get(user=world.member), data={"job_title": "Trưởng khoa"}
    )
    entry = AuditEntry.objects.first()
    client.force_login(world.admin)
    assert client.get(reverse("admin:core_auditentry_changelist")).status_code == 200
    assert client.get(reverse("admin:core_auditentry_add")).status_code == 403
    assert (
        client.post(reverse("admin:core_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )
    change = client.post(reverse("admin:core_auditentry_change", args=[entry.pk]), {"action": "x"})
    assert change.status_code in (200, 403)  # a read-only view at most
    entry.refresh_from_db()
    assert entry.action == "organizations.member.updated"
