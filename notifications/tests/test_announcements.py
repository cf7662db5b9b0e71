"""Announcements to every member under an organisation (notifications/announcements.py): exactly who
receives them, in the app and by e-mail; a fixed number of queries per batch; a delivery cut short by a
crash goes on after its last committed batch, nobody twice and nobody forgotten."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import jobs
from core.models import Job
from notifications import announcements, outbox
from notifications.models import Announcement, Notification, OutboundEmail
from organizations.models import Membership
from tests.factories import CellFactory, ExemptionFactory, MembershipFactory, UserFactory, member_in


def _send(client, data) -> Job:
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("notifications:announce"), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return Job.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


def _recipients() -> set[str]:
    return set(Notification.objects.values_list("recipient__username", flat=True))


def test_it_reaches_every_current_member_under_the_organisation_and_no_one_else(client, world):
    school = CellFactory(name="Chi bộ Trường Tiểu học", parent=world.party)
    member_in(school, user=UserFactory(username="giaovien"))
    exempted = member_in(world.cell, user=UserFactory(username="mien"))
    ExemptionFactory(member=exempted)  # exempted from meetings, still informed
    left = member_in(world.cell, user=UserFactory(username="dachuyen"))
    Membership.objects.filter(member=left).update(start_date=date(2020, 1, 1), end_date=date(2026, 6, 30))
    member_in(world.cell, user=UserFactory(username="khoa", is_active=False))
    member_in(world.cell, full_name="Không có tài khoản")
    visitor = member_in(world.foreign_cell, user=UserFactory(username="tamthoi"))
    MembershipFactory(member=visitor, organization=world.cell, kind=Membership.Kind.TEMPORARY)
    client.force_login(world.officer)

    job = _send(
        client,
        {"organization": world.party.pk, "title": "Nghỉ lễ", "body": "Kính gửi các đồng chí.", "link": ""},
    )

    expected = {"bithu", "phobithu", "dangvien", "duby", "khac", "giaovien", "mien", "tamthoi"}
    assert _recipients() == expected
    assert Notification.objects.count() == len(expected)  # each once (tamthoi has two memberships)
    emails = OutboundEmail.objects.all()
    assert sorted(e.to for e in emails) == sorted(f"{name}@example.vn" for name in expected)
    assert all(e.subject == "[chuyende] Nghỉ lễ" and "Kính gửi các đồng chí." in e.body for e in emails)
    announcement = Announcement.objects.get()
    assert (announcement.reached, announcement.emailed, announcement.delivered_at is not None) == (8, 8, True)
    job.refresh_from_db()
    assert job.state == "done" and (job.done, job.total) == (8, 8)
    with translation.override(settings.LANGUAGE_CODE):
        assert job.message == " ".join(  # the disabled account and the member without one
            [
                _("Reached %(reached)s members (%(emailed)s e-mails queued).") % {"reached": 8, "emailed": 8},
                _("%(count)s members have no account and were not reached.") % {"count": 2},
            ]
        )
    # The notice leads to the announcement, which its recipients read and others cannot.
    url = reverse("notifications:announcement", args=[announcement.pk])
    assert set(Notification.objects.values_list("url", flat=True)) == {url}
    client.force_login(world.member)
    assert "Kính gửi các đồng chí." in client.get(url).content.decode()
    client.force_login(world.foreign_officer)
    assert client.get(url).status_code == 404


def test_a_secretary_announces_to_their_cell_only(client, world):
    client.force_login(world.secretary)
    refused = client.post(
        reverse("notifications:announce"), {"organization": world.party.pk, "title": "Họp", "body": "Họp"}
    )
    assert refused.status_code == 200 and "organization" in refused.context["form"].errors
    assert not Announcement.objects.exists()

    _send(client, {"organization": world.cell.pk, "title": "Họp chi bộ", "body": "Thứ Sáu, 7 giờ 30."})

    assert _recipients() == {"bithu", "phobithu", "dangvien", "duby"}


def test_members_without_a_way_in_do_not_see_the_form(client, world):
    client.force_login(world.member)
    assert client.get(reverse("notifications:announce")).status_code == 404


def _members(cell, count: int) -> None:
    for number in range(count):
        member_in(cell, user=UserFactory(username=f"dv{cell.pk}-{number}"), full_name=f"Đảng viên {number}")


def _delivery_queries(world) -> int:
    return len(_delivery_sql(world))


def _delivery_sql(world) -> list[str]:
    job = announcements.announce(actor=world.officer, organization=world.party, title="Thông báo", body="…")
    with CaptureQueriesContext(connection) as captured:
        jobs.run(job.pk)
    assert Job.objects.get(pk=job.pk).state == "done"
    return [q["sql"][:150] for q in captured.captured_queries]


def test_queries_are_fixed_per_batch_whatever_the_number_of_members(world, monkeypatch):
    monkeypatch.setattr(announcements, "deliver_outbox", SimpleNamespace(enqueue=lambda: None))
    few = _delivery_sql(world)  # 5 members, one batch
    _members(world.other_cell, 295)
    many = _delivery_sql(world)  # 300 members, one batch: one INSERT for the notices, one for e-mails
    assert len(many) == len(few), "\n".join(["few:", *few, "many:", *many])
    assert sum(1 for q in many if q.startswith("INSERT")) == 2

    monkeypatch.setattr(announcements, "BATCH", 100)
    three_batches = _delivery_queries(world)
    monkeypatch.setattr(announcements, "BATCH", 60)
    five_batches = _delivery_queries(world)
    per_batch = (five_batches - three_batches) // 2
    assert 0 < per_batch <= 10 and five_batches - three_batches == 2 * per_batch


def test_a_delivery_cut_short_goes_on_after_its_last_batch(world, monkeypatch):
    monkeypatch.setattr(announcements, "BATCH", 2)
    monkeypatch.setattr(announcements, "deliver_outbox", SimpleNamespace(enqueue=lambda: None))
    real = outbox.queue_copies
    calls = []

    def dies_on_the_second_batch(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("the worker's machine went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(outbox, "queue_copies", dies_on_the_second_batch)
    job = announcements.announce(actor=world.officer, organization=world.party, title="Thông báo", body="…")
    assert jobs.run(job.pk) == "failed"
    # The first batch is committed with its cursor; the second left nothing behind.
    announcement = Announcement.objects.get()
    assert announcement.reached == 2 and Notification.objects.count() == 2 == OutboundEmail.objects.count()

    # A worker that died leaves the job running; once its lease is over, it is taken up again.
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING,
        heartbeat_at=timezone.now() - timedelta(seconds=settings.JOB_LEASE_SECONDS + 1),
    )
    assert jobs.retake_dead() == 1

    assert Job.objects.get(pk=job.pk).state == "done"
    assert _recipients() == {"bithu", "phobithu", "dangvien", "duby", "khac"}
    assert Notification.objects.count() == 5 == OutboundEmail.objects.count()
    assert Announcement.objects.get().reached == 5


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://x.example/a"])
def test_the_link_is_a_web_address(client, world, link):
    client.force_login(world.officer)
    response = client.post(
        reverse("notifications:announce"),
        {"organization": world.cell.pk, "title": "Họp", "body": "Họp", "link": link},
    )
    assert response.status_code == 200 and "link" in response.context["form"].errors


def test_the_copies_by_email_are_those_of_the_notices_just_written(world):
    """queue_copies e-mails the notifications of the batch (unread, written at its moment), not an
    older one of the same link, nor one already read."""
    now = timezone.now()
    users = [world.member, world.deputy, world.probationary]
    url = "/thong-bao/chung/1/"
    older = Notification.objects.create(recipient=users[0], title="T", url=url, created_at=now - timedelta(1))
    read = Notification.objects.create(recipient=users[1], title="T", url=url, created_at=now, read_at=now)
    fresh = [Notification.objects.create(recipient=u, title="T", url=url, created_at=now) for u in users]
    ids = sorted(u.pk for u in users)
    queued = outbox.queue_copies(url=url, recipient_ids=(ids[0], ids[-1]), now=now)
    emailed = set(OutboundEmail.objects.values_list("notification_id", flat=True))
    assert queued == len(emailed) == sum(1 for u in users if u.email) >= 2
    assert emailed == {n.pk for n in fresh if n.recipient.email}
    assert older.pk not in emailed and read.pk not in emailed


def test_members_who_chose_zalo_or_push_for_announcements_get_it_there_too(world, senders, monkeypatch):
    """Their own choice, and only where the channel reaches them; in the same queries for many."""
    from notifications import channels
    from notifications.kinds import Kind
    from notifications.models import ChannelChoice, ChannelMessage

    monkeypatch.setattr(announcements, "deliver_outbox", SimpleNamespace(enqueue=lambda: None))
    monkeypatch.setattr(announcements, "deliver_channels", SimpleNamespace(enqueue=lambda: None))
    ChannelChoice.objects.create(user=world.member, kind=Kind.ANNOUNCEMENT, zalo=True)
    ChannelChoice.objects.create(user=world.deputy, kind=Kind.ANNOUNCEMENT, push=True, zalo=True)
    ChannelChoice.objects.create(user=world.secretary, kind=Kind.MEETING, push=True)  # another kind
    ChannelChoice.objects.create(user=world.foreign_officer, kind=Kind.ANNOUNCEMENT, push=True)  # elsewhere
    senders[channels.ZALO].reached = {world.member.pk}  # the deputy has no phone on the roster
    job = announcements.announce(actor=world.officer, organization=world.party, title="Thông báo", body="…")
    jobs.run(job.pk)
    sent = set(ChannelMessage.objects.values_list("recipient_id", "channel", "kind"))
    assert sent == {
        (world.member.pk, channels.ZALO, Kind.ANNOUNCEMENT),
        (world.deputy.pk, channels.PUSH, Kind.ANNOUNCEMENT),
    }
    for row in ChannelMessage.objects.select_related("notification"):
        notice = row.notification
        assert (notice.recipient_id, notice.kind) == (row.recipient_id, Kind.ANNOUNCEMENT)
