"""The session lifecycle has one owner: the table in planning/lifecycle.py, moved only by ``advance``.

The guard parses every module of our apps and fails when code outside planning/lifecycle.py assigns a
session's status (attribute assignment, ``update(status=…)``, ``create(status=…)``, ``setattr``).
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from core.audit import registered_actions
from core.errors import InvalidTransition, PermissionDenied
from core.models import AuditEntry
from core.permissions import registered_actions as permission_actions
from planning import lifecycle
from planning import services as planning
from planning.models import Session

S = Session.Status
ROOT = Path(settings.BASE_DIR)
APPS = [
    "accounts",
    "core",
    "documents",
    "drafts",
    "evaluations",
    "home",
    "library",
    "meetings",
    "notifications",
    "organizations",
    "planning",
    "reports",
    "search",
    "chuyende",
]
OWNER = ROOT / "planning" / "lifecycle.py"
WRITING_CALLS = {"update", "create", "get_or_create", "update_or_create", "bulk_create", "Session"}


# --- The guard ----------------------------------------------------------------------------------


def _is_session_class(node: ast.AST) -> bool:
    return (isinstance(node, ast.Name) and node.id in ("Session", "S")) or (
        isinstance(node, ast.Attribute) and node.attr == "Session"
    )


def _mentions_session_status(node: ast.AST) -> bool:
    """``Session.Status.X`` (or ``S.X`` with ``S = Session.Status``) anywhere in ``node``."""
    return any(
        (isinstance(n, ast.Attribute) and n.attr == "Status" and _is_session_class(n.value))
        or (isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "S")
        for n in ast.walk(node)
    )


def _looks_like_a_session(node: ast.AST) -> bool:
    return "session" in ast.unparse(node).lower()


def stray_status_writes(source: str) -> list[int]:
    """Line numbers where ``source`` assigns a session's status outside the lifecycle."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if (
                    isinstance(target, ast.Attribute)
                    and target.attr == "status"
                    and (_looks_like_a_session(target.value) or _mentions_session_status(node.value))
                ):
                    lines.append(node.lineno)
        elif isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name == "setattr" and len(node.args) >= 2:
                if ast.unparse(node.args[1]).strip("'\"") == "status" and _looks_like_a_session(node.args[0]):
                    lines.append(node.lineno)
            elif name in WRITING_CALLS:
                chain = ast.unparse(node.func)
                for keyword in node.keywords:
                    if keyword.arg == "status" and (
                        re.search(r"\bSession\b", chain)
                        or "session" in chain
                        or _mentions_session_status(keyword.value)
                    ):
                        lines.append(node.lineno)
    return lines


def _modules() -> list[Path]:
    paths = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or "tests" in path.parts or path == OWNER:
                continue
            paths.append(path)
    return paths


def test_no_module_outside_the_lifecycle_assigns_a_session_status():
    found = {
        str(path.relative_to(ROOT)): lines
        for path in _modules()
        if (lines := stray_status_writes(path.read_text(encoding="utf-8")))
    }
    assert found == {}, f"assign a session's status only through planning.lifecycle.advance: {found}"


def test_the_guard_reads_a_real_tree():
    modules = {str(p.relative_to(ROOT)) for p in _modules()}
    assert {"drafts/services.py", "meetings/services/minutes.py", "planning/services.py"} <= modules


@pytest.mark.parametrize(
    "stray",
    [
        "session.status = Session.Status.HELD",
        "meeting.session.status = 'held'",
        "obj.status = Session.Status.EVALUATED",
        "Session.objects.filter(pk=1).update(status=Session.Status.HELD)",
        "session.plan.sessions.update(status='held')",
        "Session.objects.create(plan=plan, status='held')",
        "Session(plan=plan, status=S.HELD)",
        "setattr(session, 'status', 'held')",
    ],
)
def test_the_guard_finds_a_stray_assignment(stray):
    assert stray_status_writes(f"def f(session, meeting, obj, plan, S):\n    {stray}\n") == [2]


@pytest.mark.parametrize(
    "innocent",
    [
        "Session.objects.filter(status=Session.Status.HELD)",
        "meeting.status = Meeting.Status.APPROVED",
        "plan.status = AnnualPlan.Status.SUBMITTED",
        "Session.objects.exclude(status__in=lifecycle.FINISHED)",
        "registration.status = Registration.Status.ACCEPTED",
        "model.status = ModelSession.Status.APPROVED",
        "ModelSession.objects.filter(pk=1).update(status='published')",
    ],
)
def test_the_guard_leaves_other_statuses_and_reads_alone(innocent):
    assert stray_status_writes(f"def f(session, meeting, plan, registration):\n    {innocent}\n") == []


# --- The table ----------------------------------------------------------------------------------


def test_every_permission_and_audit_code_of_the_table_is_registered():
    for transition in lifecycle.TRANSITIONS:
        assert transition.permission in permission_actions(), transition.action
        for code in (transition.audit, transition.logged_as):
            if code:
                assert code in registered_actions(), (transition.action, code)
        assert transition.audit or transition.logged_as, f"{transition.action} leaves no trace in the log"


def test_every_state_is_reached_and_only_the_ends_have_no_way_out():
    reached = {S.PLANNED} | {t.target for t in lifecycle.TRANSITIONS}
    assert reached == set(S.values)
    dead_ends = {state for state in S.values if not lifecycle.possible(state)}
    assert dead_ends == {S.CANCELLED}  # evaluated may be evaluated again


def test_the_groups_of_states_follow_from_the_table():
    assert lifecycle.OPEN == (S.PLANNED, S.ASSIGNED)
    assert set(lifecycle.FINISHED) == {
        S.HELD,
        S.REVISING,
        S.FINAL_SUBMITTED,
        S.FINAL_APPROVED,
        S.RESOLUTION_ISSUED,
        S.EVALUATED,
        S.CANCELLED,
    }
    assert set(lifecycle.WRITING) == {S.PLANNED, S.ASSIGNED, S.DRAFTING, S.RETURNED, S.HELD, S.REVISING}
    assert set(lifecycle.AFTER_MEETING) == {S.HELD, S.REVISING}


def test_the_diagram_in_the_architecture_doc_is_generated_from_the_table():
    from planning.management.commands.lifecycle_diagram import (
        architecture_doc,
        current_block,
        generated_block,
    )

    text = architecture_doc().read_text(encoding="utf-8")
    assert current_block(text) == generated_block(), (
        "docs/architecture.md is out of step: run `python manage.py lifecycle_diagram --write`"
    )
    for transition in lifecycle.TRANSITIONS:
        assert f": {transition.action}\n" in text


def test_the_command_prints_the_table(capsys):
    call_command("lifecycle_diagram")
    assert "stateDiagram-v2" in capsys.readouterr().out


# --- advance ------------------------------------------------------------------------------------


@pytest.fixture
def session(world):
    plan = planning.create_plan(actor=world.secretary, cell=world.cell, year=2026)
    return planning.add_session(
        actor=world.secretary, plan=plan, quarter=4, title="Văn hóa công sở", planned_date=None
    )


def test_advance_moves_along_an_arrow_and_writes_its_audit_entry(world, session):
    assert (
        lifecycle.advance(session, "cancel", actor=world.secretary, data={"reason": "Sáp nhập"})
        == S.CANCELLED
    )
    session.refresh_from_db()
    assert session.status == S.CANCELLED
    entry = AuditEntry.objects.get(action="planning.session.cancelled", object_id=session.pk)
    assert "Sáp nhập" in entry.sentence


def test_advance_refuses_an_arrow_that_is_not_in_the_table(world, session):
    with pytest.raises(InvalidTransition):
        lifecycle.advance(session, "distribute", actor=world.secretary)
    session.refresh_from_db()
    assert session.status == S.PLANNED


def test_advance_refuses_who_may_not_take_the_step(world, session):
    with pytest.raises(PermissionDenied):
        lifecycle.advance(session, "cancel", actor=world.member, data={"reason": "x"})
    session.refresh_from_db()
    assert session.status == S.PLANNED
    assert not AuditEntry.objects.filter(action="planning.session.cancelled").exists()


def test_an_arrow_of_the_meeting_needs_the_meeting(world, session):
    session.status = S.DISTRIBUTED  # in memory only: advance refuses before anything is written
    with pytest.raises(ValueError):
        lifecycle.advance(session, "hold", actor=world.secretary)


def test_the_next_actions_come_from_the_table_for_each_persona(world, session, members):
    planning.assign_presenters(actor=world.secretary, session=session, members=[members["member"]])
    session.refresh_from_db()
    labels = {
        name: [a.label for a in lifecycle.next_actions(getattr(world, name), session)]
        for name in ("member", "secretary", "probationary")
    }
    assert labels["member"] == [str(lifecycle.TRANSITION["start_drafting"].todo)]
    assert str(lifecycle.TRANSITION["start_drafting"].todo) not in labels["secretary"]
    assert any("meeting" in label.lower() or "họp" in label.lower() for label in labels["secretary"])
    assert labels["probationary"] == []
