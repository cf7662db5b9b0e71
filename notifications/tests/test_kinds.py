"""Every notice the app sends names its kind: each notify()/notify_members() call of the services passes
``kind=`` (read from the source, so a new call site without one fails here), and a postponed session
reaches its members as an urgent notice, by every channel, whatever they chose."""

import ast
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings

from notifications import channels
from notifications.kinds import Kind
from notifications.models import ChannelChoice, ChannelMessage, DeliveryPreference, Notification
from tests import scenarios

ROOT = Path(settings.BASE_DIR)
SKIP = {".venv", "tests", "migrations", "node_modules"}


def _parse(source: str) -> ast.Module:
    """ast.parse, tried again when CPython 3.11.7 fails it with "AST constructor recursion depth
    mismatch": its recursion count is shared by threads (gh-106905, fixed in 3.11.8), and a thread left
    by an earlier test in this process may be parsing too. A real syntax error is raised as it is."""
    for _attempt in range(4):
        try:
            return ast.parse(source)
        except SystemError:
            time.sleep(0.05)
    return ast.parse(source)


def _calls_without_kind() -> list[str]:
    missing = []
    for path in ROOT.rglob("*.py"):
        if SKIP & set(path.relative_to(ROOT).parts):
            continue
        tree = _parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            arguments = {k.arg for k in node.keywords}
            if name in ("notify", "notify_members") and "title" in arguments and "kind" not in arguments:
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return missing


def test_every_call_site_names_its_kind():
    assert _calls_without_kind() == []


def test_a_postponed_session_is_urgent_for_every_member_whatever_they_chose(world, senders):
    from planning.services import postpone_session

    session = scenarios.session_at(world, "planned")
    ChannelChoice.objects.create(user=world.member, kind=Kind.SESSION_CHANGED, email=False)
    DeliveryPreference.objects.create(user=world.member, digest=True)
    postpone_session(
        actor=world.secretary,
        session=session,
        new_date=session.planned_date + timedelta(days=14),
        reason="Trùng lịch họp của Đảng ủy",
    )
    notice = Notification.objects.filter(recipient=world.member).latest("pk")
    assert notice.kind == Kind.SESSION_CHANGED
    rows = ChannelMessage.objects.filter(notification=notice)
    assert {row.channel for row in rows} == {channels.ZALO, channels.PUSH}
    assert {row.state for row in rows} == {ChannelMessage.State.PENDING}
    assert notice.emails.exists()


def test_an_unknown_kind_is_a_programming_error(world):
    from notifications.services import notify

    with pytest.raises(ValueError, match="Unknown kind"):
        notify(recipients=[world.member], title="x", body="", url="/", kind="meetings")
