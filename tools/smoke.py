"""The production smoke test (run by .ci/run after the test suites; see README, "Production").

Starts the app the way the README's production section says — DEBUG off, gunicorn, a db_worker,
PostgreSQL, behind a TLS proxy (X-Forwarded-Proto: https, SECURE_PROXY_SSL_HEADER) — with the demo
data and a local SMTP server that takes 0.3 s per message. Then:

1. `manage.py check --deploy` reports no issue; /healthz answers 200;
2. the sign-in page carries the security headers (CSP, HSTS, nosniff, Referrer-Policy, frame denial)
   and secure cookies; the secretary signs in;
3. one step of the cycle that e-mails every member: she plans a meeting and issues its notice;
4. the worker is killed with SIGKILL as soon as the first e-mail has arrived (mid-batch), then started
   again, and `manage.py outbox --requeue-tasks` runs as cron would;
5. every e-mail of the outbox arrives, at most the one in flight twice, always with its own Message-ID.

Usage: python tools/smoke.py postgres://postgres@127.0.0.1:5432/chuyende_smoke
(the database is dropped and created again). Exits non-zero, saying why, on the first failure.
"""

import asyncio
import email
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from email.policy import default
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
LEASE = 5  # seconds: OUTBOX_LEASE_SECONDS for this run


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SlowMailbox:
    """An SMTP server that takes its time with each message (so a batch is still going when the
    worker is killed) and keeps the Message-ID of every message it accepted."""

    def __init__(self) -> None:
        self.message_ids: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(0.3)
        message = email.message_from_bytes(envelope.content, policy=default)
        self.message_ids.append(str(message["Message-ID"]))
        return "250 Message accepted for delivery"


def fail(why: str) -> None:
    print(f"SMOKE TEST FAILED: {why}", flush=True)
    raise SystemExit(1)


def wait_for(what: str, check: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            fail(f"waited {seconds:.0f} s for {what}")
        time.sleep(0.1)


class Browser:
    """Requests to the app as through the TLS proxy, with the cookies a browser would keep."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[http.client.HTTPResponse, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = "https://127.0.0.1" + path
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response, text


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if found is None:
        fail("no CSRF token on the page")
        raise AssertionError
    return found.group(1)


def main(database_url: str) -> None:
    work = Path(tempfile.mkdtemp(prefix="chuyende-smoke-"))
    port, smtp_port = free_port(), free_port()
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "TASKS_USE_WORKER": "true",
        "SITE_URL": "https://127.0.0.1",
        "SECURE_PROXY_SSL_HEADER": "true",
        "VAR_DIR": str(work),
        "STATIC_ROOT": str(work / "static"),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "DEFAULT_FROM_EMAIL": "chibo@truongchinhtri.vn",
        "OUTBOX_LEASE_SECONDS": str(LEASE),
        "LOG_FORMAT": "json",
    }

    def manage(*args: str) -> str:
        done = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            fail(f"manage.py {' '.join(args)}: {done.stderr[-2000:]}")
        return done.stdout + done.stderr

    def shell(code: str) -> str:
        """What the last line of ``code`` run in ``manage.py shell`` printed."""
        return manage("shell", "-c", code).strip().splitlines()[-1]

    server = urllib.parse.urlsplit(database_url)
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    name = server.path.lstrip("/")
    subprocess.run(["psql", admin_url, "-qc", f'DROP DATABASE IF EXISTS "{name}"'], check=True)
    subprocess.run(["psql", admin_url, "-qc", f'CREATE DATABASE "{name}"'], check=True)

    print("1. migrate, static files, demo data, check --deploy", flush=True)
    manage("migrate", "--no-input", "-v0")
    manage("collectstatic", "--no-input", "-v0")
    manage("load_demo")
    # A site that has been running: the demo's own e-mails went out long ago.
    sent_before = shell(
        "from notifications.models import OutboundEmail as O; O.objects.update(state='sent'); "
        "print(O.objects.order_by('-pk').values_list('pk', flat=True).first() or 0)"
    )
    deploy = manage("check", "--deploy", "--fail-level", "WARNING")
    if "no issues" not in deploy:
        fail(f"check --deploy: {deploy}")

    mailbox = SlowMailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    processes: list[subprocess.Popen[bytes]] = []

    def start(*command: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        processes.append(process)
        return process

    try:
        start(PYTHON, "-m", "gunicorn", "chuyende.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}")
        worker = start(PYTHON, "manage.py", "db_worker")
        browser = Browser(port)

        def healthy() -> bool:
            try:
                return browser.request("GET", "/healthz")[0].status == 200
            except OSError:
                return False

        wait_for("/healthz to answer 200", healthy)

        print("2. security headers, sign-in", flush=True)
        page, text = browser.request("GET", "/tai-khoan/dang-nhap/")
        headers = {k.lower(): v for k, v in page.getheaders()}
        expected = {
            "content-security-policy": "script-src 'self'",
            "strict-transport-security": "max-age=",
            "x-content-type-options": "nosniff",
            "referrer-policy": "same-origin",
            "x-frame-options": "DENY",
            "permissions-policy": "camera=()",
        }
        for header, part in expected.items():
            if part not in headers.get(header, ""):
                fail(f"the sign-in page's {header} is {headers.get(header)!r}")
        cookies = " | ".join(page.headers.get_all("Set-Cookie") or [])
        if "csrftoken" not in cookies or "Secure" not in cookies:
            fail(f"the CSRF cookie is not secure: {cookies}")
        signed, _ = browser.request(
            "POST",
            "/tai-khoan/dang-nhap/",
            {"csrfmiddlewaretoken": csrf_token(text), "username": "bithu", "password": "chuyende-demo"},
        )
        if signed.status != 302 or "sessionid" not in browser.cookies:
            fail(f"signing in answered {signed.status}")

        print("3. a step that e-mails every member: a meeting planned with its notice", flush=True)
        cell = shell(
            "from organizations.models import Position as P; "
            "print(P.objects.filter(member__user__username='bithu').first().term.organization_id)"
        )
        _, page_text = browser.request("GET", f"/hop/chi-bo/{cell}/tao/")
        before = len(mailbox.message_ids)
        form = {
            "csrfmiddlewaretoken": csrf_token(page_text),
            "kind": "regular",
            "date": "2026-12-28",
            "start_time": "07:30",
            "place": "Phòng họp Khoa",
            "issue_notice": "on",
        }
        planned, _ = browser.request("POST", f"/hop/chi-bo/{cell}/tao/", form)
        if planned.status != 302:
            fail(f"planning the meeting answered {planned.status}")

        print("4. the worker is killed mid-batch, started again; cron requeues", flush=True)
        wait_for("the first e-mail", lambda: len(mailbox.message_ids) > before)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        arrived_at_kill = len(mailbox.message_ids)
        time.sleep(LEASE + 1)
        start(PYTHON, "manage.py", "db_worker")
        manage("outbox", "--requeue-tasks")

        print("5. every e-mail arrives", flush=True)
        # The e-mails due now: one a member's quiet hours hold (docs/channels.md) waits for their end.
        rows = shell(
            "from datetime import timedelta; from django.db.models import F; "
            "from notifications.models import OutboundEmail as O; "
            f"new = O.objects.filter(pk__gt={sent_before}, "
            "next_attempt_at__lte=F('created_at') + timedelta(minutes=1)); "
            "print('|'.join(new.values_list('message_id', flat=True)))"
        ).split("|")

        def all_sent() -> bool:
            return set(rows) <= set(mailbox.message_ids)

        wait_for("every e-mail of the outbox", all_sent, seconds=90)
        duplicates = len(mailbox.message_ids) - len(set(mailbox.message_ids))
        early = arrived_at_kill - before
        if len(rows) < 3 or early >= len(rows):
            fail(f"the worker was not killed mid-batch ({early} of {len(rows)} e-mails had arrived)")
        if duplicates > 1:
            fail(f"{duplicates} e-mails arrived twice; at most the one in flight may")
        if not rows or set(mailbox.message_ids) != set(rows):
            fail("an e-mail arrived that the outbox does not hold")
        print(
            f"SMOKE TEST PASSED: {len(rows)} e-mails, {arrived_at_kill - before} before the kill, "
            f"{duplicates} sent twice (same Message-ID)",
            flush=True,
        )
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        smtp.stop()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(sys.argv[1])
