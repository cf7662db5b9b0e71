"""A real SMTP conversation: Django's SMTP backend talks to a local aiosmtpd server, and what arrives on
the wire is parsed back with the standard library, so the encoding of Vietnamese subjects and bodies is
checked where it matters (the bytes a mail server receives), not on Django's message object."""

import email
import io
import re
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult

from notifications import outbox, services
from notifications.models import Notification, OutboundEmail
from notifications.tasks import deliver_outbox

SITE = "https://chuyende.truongchinhtri.vn"
URL = "/ke-hoach/buoi/7/"
TITLE = "Dự thảo chuyên đề “Văn hóa Hồ Chí Minh” đã được gửi để nghiên cứu"
BODY = (
    "Đồng chí Lê Văn Đức đã hoàn thành dự thảo chuyên đề “Văn hóa Hồ Chí Minh về học tập, lao động và "
    "làm việc”.\nĐề nghị các đồng chí đảng viên nghiên cứu, chuẩn bị ý kiến góp ý trước buổi sinh hoạt."
)
REFUSED = "khongtontai@example.vn"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes


@dataclass
class Mailbox:
    """An aiosmtpd handler: keeps every message exactly as it came over the wire."""

    messages: list[Received] = field(default_factory=list)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address == REFUSED:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[Mailbox]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = controller.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 10
        settings.DEFAULT_FROM_EMAIL = "Chi bộ Khoa Xây dựng Đảng <chibo@truongchinhtri.vn>"
        settings.SITE_URL = SITE
        yield mailbox
    finally:
        controller.stop()


@pytest.fixture
def task_results() -> Iterator[list[Any]]:
    results: list[Any] = []

    def keep(sender: Any, task_result: Any, **kwargs: Any) -> None:
        results.append(task_result)

    task_finished.connect(keep)
    yield results
    task_finished.disconnect(keep)


def parse(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=default)
    assert isinstance(message, EmailMessage)
    return message


def raw_headers(raw: bytes) -> str:
    """The header block as sent; decoding it as ASCII fails if any header went out unencoded."""
    return raw.replace(b"\r\n", b"\n").partition(b"\n\n")[0].decode("ascii")


def test_a_vietnamese_notification_crosses_smtp_intact(
    world, smtp_server, task_results, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        [notice] = services.notify(recipients=[world.member], title=TITLE, body=BODY, url=URL)

    assert [r.status for r in task_results] == [TaskResultStatus.SUCCESSFUL]
    [received] = smtp_server.messages
    assert received.rcpt_tos == [world.member.email]
    assert received.mail_from == "chibo@truongchinhtri.vn"

    headers = raw_headers(received.raw)
    subject = re.search(r"^Subject: (.*(?:\n[ \t].*)*)", headers, re.MULTILINE)
    assert subject is not None
    assert subject.group(1).lower().startswith("=?utf-8?"), "RFC 2047 encoded-words, from the first line"

    message = parse(received.raw)
    assert message["Subject"] == f"[chuyende] {TITLE}"
    assert message["To"] == world.member.email
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    text = message.get_content().replace("\r\n", "\n")  # SMTP lines end in CRLF
    assert text.startswith(f"{BODY}\n\n{SITE}{URL}\n")
    assert f"{SITE}/thong-bao/" in text

    notice.refresh_from_db()
    assert notice.email_sent_at is not None


def test_a_refused_address_does_not_keep_the_others_from_their_e_mail(
    world, smtp_server, task_results, django_capture_on_commit_callbacks
):
    world.probationary.email = REFUSED
    world.probationary.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            recipients=[world.secretary, world.probationary, world.member], title=TITLE, body=BODY, url=URL
        )

    assert sorted(r for m in smtp_server.messages for r in m.rcpt_tos) == sorted(
        [world.secretary.email, world.member.email]
    )
    [result] = task_results
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {"sent": 2, "retrying": 1, "failed": 0}
    unsent = Notification.objects.filter(email_sent_at__isnull=True)
    assert [n.recipient_id for n in unsent] == [world.probationary.pk]
    # The refused message waits in the outbox for its next attempt, with the server's answer.
    refused = OutboundEmail.objects.get(to=REFUSED)
    assert refused.state == "pending" and refused.attempts == 1 and "550" in refused.last_error
    assert refused.next_attempt_at > timezone.now()


def test_a_message_refused_every_time_ends_failed_and_can_be_retried(world, smtp_server):
    world.probationary.email = REFUSED
    world.probationary.save(update_fields=["email"])
    services.notify(recipients=[world.probationary], title=TITLE, body=BODY, url=URL)
    row = OutboundEmail.objects.get()
    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        with time_machine.travel(row.next_attempt_at + timedelta(seconds=1)):
            outbox.drain()
        row.refresh_from_db()
        assert row.attempts == attempt
    assert row.state == "failed"
    out = io.StringIO()
    call_command("outbox", stdout=out)
    assert f"#{row.pk} {REFUSED} ({outbox.MAX_ATTEMPTS} attempts)" in out.getvalue()
    # The address is corrected; the administrator retries.
    OutboundEmail.objects.filter(pk=row.pk).update(to=world.member.email)
    call_command("outbox", "--retry", stdout=io.StringIO())
    row.refresh_from_db()
    assert row.state == "sent" and [m.rcpt_tos for m in smtp_server.messages] == [[world.member.email]]


def test_a_worker_dying_mid_batch_loses_nothing_and_resends_at_most_the_message_in_flight(world, smtp_server):
    """A worker claims the batch, hands one message to the server and dies before marking it sent.
    After the lease another worker takes the batch over: every message arrives, the one in flight
    twice, both times with the same Message-ID."""
    people = [world.secretary, world.deputy, world.member, world.probationary]
    services.notify(recipients=people, title=TITLE, body=BODY, url=URL)
    rows = outbox.claim()
    assert len(rows) == 4 and all(r.state == "sending" for r in rows)
    in_flight = rows[0]
    outbox._message(in_flight, None).send()  # accepted by the server; then the worker is killed
    assert outbox.drain().sent == 0  # another worker now: the claim is still within its lease

    with time_machine.travel(timezone.now() + outbox.LEASE + timedelta(seconds=1)):
        done = outbox.drain()
    assert done.sent == 4
    received = [parse(m.raw)["Message-ID"] for m in smtp_server.messages]
    assert len(received) == 5
    assert sorted(set(received)) == sorted(r.message_id for r in OutboundEmail.objects.all())
    assert received.count(in_flight.message_id) == 2
    assert not Notification.objects.filter(email_sent_at__isnull=True).exists()


def test_requeue_tasks_puts_back_a_job_left_running_by_a_dead_worker(world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    result = deliver_outbox.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - outbox.LEASE - timedelta(minutes=1)
    )
    fresh = deliver_outbox.enqueue()
    DBTaskResult.objects.filter(pk=fresh.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now()
    )
    call_command("outbox", "--requeue-tasks", stdout=io.StringIO())
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(pk=fresh.id).status == TaskResultStatus.RUNNING  # still alive


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_at_once_never_take_the_same_message(world, settings):
    """SELECT … FOR UPDATE SKIP LOCKED (PostgreSQL): two workers in their own transactions at once."""
    if not connection.features.has_select_for_update_skip_locked:
        pytest.skip("row locks (SELECT … FOR UPDATE SKIP LOCKED) are what is tested")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # queued, not sent
    services.notify(recipients=[world.secretary, world.deputy, world.member], title=TITLE, body=BODY, url=URL)
    services.notify(recipients=[world.probationary], title=TITLE, body=BODY, url=URL)
    barrier = threading.Barrier(2)
    taken: list[list[int]] = []

    def worker() -> None:
        try:
            with transaction.atomic():
                barrier.wait()
                taken.append([r.pk for r in outbox.claim(batch=2)])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    first, second = taken
    assert len(first) == len(second) == 2 and not set(first) & set(second)
