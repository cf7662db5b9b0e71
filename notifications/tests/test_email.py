"""A real SMTP conversation: Django's SMTP backend talks to a local aiosmtpd server, and what arrives on
the wire is parsed back with the standard library, so the encoding of Vietnamese subjects and bodies is
checked where it matters (the bytes a mail server receives), not on Django's message object."""

import email
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished

from notifications import services
from notifications.models import Notification

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
    assert result.status == TaskResultStatus.FAILED  # so the operator sees it in the task log
    assert result.errors[0].exception_class_path == "notifications.tasks.EmailsNotSent"
    unsent = Notification.objects.filter(email_sent_at__isnull=True)
    assert [n.recipient_id for n in unsent] == [world.probationary.pk]
