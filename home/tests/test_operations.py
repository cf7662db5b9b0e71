"""Operations (issue 13 item 9): the health check for a load balancer, a database outage answered with
503 and recovered from by itself, and an upload over the limit refused before it is read."""

import json
import logging
import os
import subprocess
import sys
from datetime import timedelta
from unittest import mock

from django.db import OperationalError, connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from core.logs import JsonFormatter
from notifications.models import OutboundEmail


def test_healthz_answers_without_sign_in_and_names_each_part(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "outbox", "worker", "disk"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_fails_when_the_outbox_stops_moving(client, db):
    written = timezone.now() - timedelta(minutes=20)
    OutboundEmail.objects.create(
        to="a@example.vn",
        subject="s",
        body="b",
        message_id="<1@x>",
        created_at=written,
        next_attempt_at=written,
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["outbox"] == {"ok": False, "oldest_seconds": 1200, "failed": 0}
    assert "a@example.vn" not in response.content.decode()  # no personal data


def test_an_e_mail_waiting_for_the_end_of_quiet_hours_is_not_late(client, db):
    """Written at 22:00 for someone whose quiet hours end at 06:30: not due before, and not late
    the moment it becomes due."""
    now = timezone.now()
    OutboundEmail.objects.create(
        to="a@example.vn",
        subject="s",
        body="b",
        message_id="<1@x>",
        created_at=now - timedelta(hours=8),
        next_attempt_at=now + timedelta(minutes=30),
    )
    OutboundEmail.objects.create(
        to="b@example.vn",
        subject="s",
        body="b",
        message_id="<2@x>",
        created_at=now - timedelta(hours=8),
        next_attempt_at=now - timedelta(minutes=1),
    )
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["outbox"]["oldest_seconds"] < 15 * 60


def test_healthz_fails_when_the_database_does_not_answer(client, db):
    with mock.patch.object(connection, "ensure_connection", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"ok": False, "error": "OperationalError"}


@override_settings(DEBUG=False)
def test_a_database_outage_answers_503_and_the_app_recovers_when_it_returns(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.member)
    with mock.patch.object(connection, "ensure_connection", side_effect=OperationalError("down")):
        response = client.get(reverse("home:home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Hệ thống tạm thời gián đoạn" in response.content.decode()
    assert client.get(reverse("home:home")).status_code == 200  # the database is back


@override_settings(DEBUG=False)
def test_another_server_error_stays_a_500(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.member)
    with mock.patch("home.views.org_selectors.home_context", side_effect=RuntimeError("bug")):
        response = client.get(reverse("home:home"))
    assert response.status_code == 500 and "Hệ thống gặp lỗi" in response.content.decode()


def test_an_upload_over_the_limit_is_refused_from_its_declared_length(client, world, settings):
    client.force_login(world.secretary)
    limit = (settings.UPLOAD_MAX_MB + 1) * 1024 * 1024
    with mock.patch("django.http.request.HttpRequest.read") as read:
        response = client.post(
            reverse("drafts:workspace", args=[1]),
            data=b"x",
            content_type="multipart/form-data; boundary=b",
            CONTENT_LENGTH=str(limit + 1),
        )
    assert response.status_code == 413
    assert f"vượt quá {settings.UPLOAD_MAX_MB} MB" in response.content.decode()
    read.assert_not_called()  # refused before anything read the body


def test_logs_can_be_json_lines():
    try:
        raise ValueError("hỏng")
    except ValueError:
        record = logging.LogRecord("chuyende", logging.ERROR, __file__, 1, "Gửi %s thất bại", ("thư",), None)
        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["message"] == "Gửi thư thất bại" and entry["level"] == "ERROR"
    assert "ValueError: hỏng" in entry["exception"] and "\n" not in line


def test_the_log_format_follows_the_environment():
    code = "import django; django.setup(); import logging; logging.getLogger('x').warning('một')"
    env = {**os.environ, "LOG_FORMAT": "json", "DJANGO_SETTINGS_MODULE": "chuyende.settings"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stderr.startswith("{") and json.loads(out.stderr)["message"] == "một"
