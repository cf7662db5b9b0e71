"""The channel outbox: a fake sender's answers recorded (sent with the provider's id, retried after the
backoff or the provider's delay, refused for good), a dead worker's claim taken over, and the outbox
command sending what is due."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from notifications import channel_outbox, channels, outbox, services
from notifications.kinds import Kind
from notifications.models import ChannelChoice, ChannelMessage
from notifications.tests.channel_fakes import RETRY_AFTER

URL = "/ke-hoach/buoi/12/"
State = ChannelMessage.State


@pytest.fixture
def queued(world, senders):
    """One Zalo message for world.member, queued by a meeting notice."""
    ChannelChoice.objects.create(user=world.member, kind=Kind.MEETING, email=False, zalo=True)
    [notice] = services.notify(
        recipients=[world.member],
        title="Họp chi bộ ngày 25/11",
        body="Tại phòng họp số 2.",
        url=URL,
        kind=Kind.MEETING,
    )
    return ChannelMessage.objects.get(notification=notice)


def test_a_sent_message_keeps_the_providers_id(queued, senders):
    senders[channels.ZALO].answer = "zns-8812"
    done = channel_outbox.drain()
    assert done.sent == 1
    queued.refresh_from_db()
    assert (queued.state, queued.provider_id, queued.attempts) == (State.SENT, "zns-8812", 1)
    assert queued.sent_at is not None
    [message] = senders[channels.ZALO].sent
    assert message.outbox_id == queued.pk and message.kind == Kind.MEETING
    assert (message.title, message.body, message.url) == ("Họp chi bộ ngày 25/11", "Tại phòng họp số 2.", URL)
    assert channel_outbox.drain().sent == 0  # not sent twice


def test_retry_waits_the_backoff(queued, senders):
    senders[channels.ZALO].answer = channels.Retry("network unreachable")
    before = timezone.now()
    assert channel_outbox.drain().retrying == 1
    queued.refresh_from_db()
    assert queued.state == State.PENDING and queued.last_error == "network unreachable"
    assert queued.next_attempt_at >= before + outbox.backoff(1)
    assert channel_outbox.drain().retrying == 0  # not due yet


def test_retry_waits_what_the_provider_said(queued, senders):
    senders[channels.ZALO].answer = channels.Retry("quota exhausted", after=RETRY_AFTER)
    before = timezone.now()
    channel_outbox.drain()
    queued.refresh_from_db()
    assert before + RETRY_AFTER <= queued.next_attempt_at <= timezone.now() + RETRY_AFTER


def test_after_the_last_attempt_the_message_fails(queued, senders):
    senders[channels.ZALO].answer = channels.Retry("down")
    ChannelMessage.objects.filter(pk=queued.pk).update(attempts=outbox.MAX_ATTEMPTS - 1)
    assert channel_outbox.drain().failed == 1
    queued.refresh_from_db()
    assert queued.state == State.FAILED
    assert channel_outbox.retry_failed() == 1  # `outbox --retry` puts it back


def test_a_refused_message_is_not_retried_and_keeps_its_reason(queued, senders):
    senders[channels.ZALO].answer = channels.Refused("The phone number is not a Zalo account.")
    assert channel_outbox.drain().refused == 1
    queued.refresh_from_db()
    assert queued.state == State.REFUSED and queued.last_error == "The phone number is not a Zalo account."
    ChannelMessage.objects.filter(pk=queued.pk).update(next_attempt_at=timezone.now() - timedelta(days=1))
    assert channel_outbox.drain().sent == 0 and channel_outbox.retry_failed() == 0


def test_a_sender_that_crashes_does_not_stop_the_others(queued, senders, world):
    senders[channels.ZALO].answer = ValueError("bug in the sender")
    assert channel_outbox.drain().retrying == 1
    queued.refresh_from_db()
    assert "ValueError" in queued.last_error


def test_a_switched_off_channel_waits(queued, senders):
    senders[channels.ZALO].enabled = False
    assert channel_outbox.drain().retrying == 1
    queued.refresh_from_db()
    assert queued.state == State.PENDING and not senders[channels.ZALO].sent


def test_a_dead_workers_claim_is_taken_over_after_the_lease(queued, senders):
    [taken] = channel_outbox.claim()  # a worker claimed it, then died
    assert channel_outbox.claim() == []  # within the lease nobody else takes it
    later = timezone.now() + outbox.LEASE + timedelta(seconds=1)
    [again] = channel_outbox.claim(now=later)
    assert again.pk == taken.pk and again.attempts == 2
    assert channel_outbox.send([again]).sent == 1
    assert senders[channels.ZALO].sent[0].outbox_id == queued.pk  # the same idempotency key


def test_the_outbox_command_sends_due_channel_messages(queued, senders):
    from io import StringIO

    out = StringIO()
    call_command("outbox", "--send", stdout=out)
    queued.refresh_from_db()
    assert queued.state == State.SENT
    assert "Zalo/push sent: 1" in out.getvalue()


def test_the_administrator_sees_delivery_results_and_sends_failed_ones_again(queued, senders, world, client):
    senders[channels.ZALO].answer = channels.Refused("Số điện thoại chưa dùng Zalo.")
    channel_outbox.drain()
    client.force_login(world.admin)
    page = client.get(
        reverse("admin:notifications_channelmessage_changelist") + "?state=refused"
    ).content.decode()
    assert "Số điện thoại chưa dùng Zalo." in page
    ChannelMessage.objects.filter(pk=queued.pk).update(state=State.FAILED)
    client.post(
        reverse("admin:notifications_channelmessage_changelist"),
        {"action": "send_again", "_selected_action": [queued.pk]},
    )
    queued.refresh_from_db()
    assert (queued.state, queued.attempts) == (State.PENDING, 0)


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_at_once_never_take_the_same_message(world, senders, settings):
    """SELECT … FOR UPDATE SKIP LOCKED OF the row (PostgreSQL): two workers in their own transactions."""
    import threading

    from django.db import connection, connections, transaction

    if not connection.features.has_select_for_update_skip_locked:
        pytest.skip("row locks (SELECT … FOR UPDATE SKIP LOCKED) are what is tested")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # queued, not sent
    people = [world.secretary, world.deputy, world.member, world.probationary]
    for user in people:
        ChannelChoice.objects.create(user=user, kind=Kind.MEETING, email=False, zalo=True)
    services.notify(recipients=people, title="Họp chi bộ", body="", url=URL, kind=Kind.MEETING)
    barrier = threading.Barrier(2)
    taken: list[list[int]] = []

    def worker() -> None:
        try:
            with transaction.atomic():
                barrier.wait()
                taken.append([row.pk for row in channel_outbox.claim(batch=2)])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    first, second = taken
    assert len(first) == len(second) == 2 and not set(first) & set(second)


def test_a_sender_is_told_which_notices_are_urgent(world, senders):
    """A postponed session is urgent (Web Push sends it with Urgency: high); a meeting notice is not."""
    ChannelChoice.objects.create(user=world.member, kind=Kind.MEETING, email=False, zalo=True)
    told = {}
    for kind in (Kind.MEETING, Kind.SESSION_CHANGED):
        [notice] = services.notify(recipients=[world.member], title="Họp", body="", url=URL, kind=kind)
        row = ChannelMessage.objects.get(notification=notice, channel=channels.ZALO)
        told[kind] = channel_outbox.message(row).params["urgent"]
    assert told == {Kind.MEETING: False, Kind.SESSION_CHANGED: True}
