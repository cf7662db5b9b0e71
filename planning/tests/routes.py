"""Permission rows of the planning URLs (loaded by tests/test_permissions.py): annual plans, their
sessions, registrations to present, the Đảng bộ's catalogue and orientation."""

from datetime import date
from typing import Any

from django.utils import timezone

from conftest import World
from tests import scenarios
from tests.matrix import (
    ANYONE_SIGNED_IN,
    PLANS_CELL,
    REVIEWS_PLAN,
    SEES_CELL,
    SEES_PARTY,
    Route,
    rule,
)
from tests.scenarios import record

# Registering to present is for the cell's own members (not the officer or the administrator).
REGISTERS_IN_CELL = rule(ok=("secretary", "deputy", "member", "probationary"), forbidden=("officer", "admin"))
# The Đảng bộ's catalogue is read by all its cells; only members register, whatever their cell.
REGISTERS_FOR_TOPIC = rule(
    ok=("secretary", "deputy", "member", "probationary", "other_member"), forbidden=("officer", "admin")
)
PROPOSES_TOPIC = rule(ok=("secretary", "deputy", "member", "probationary", "admin"), forbidden=("officer",))


def draft_plan(world: World) -> dict[str, Any]:
    return {"pk": scenarios.plan(world).pk}


def submitted_plan(world: World) -> dict[str, Any]:
    return {"pk": scenarios.plan(world, "submitted").pk}


def plan_session(world: World) -> dict[str, Any]:
    return {"pk": scenarios.session_at(world, "planned").pk}


def removed_session(world: World) -> dict[str, Any]:
    from planning import services as planning

    plan = scenarios.plan(world)
    entry = planning.remove_session(actor=None, session=plan.sessions.get())
    return {"pk": plan.pk, "entry_pk": entry.pk}


def pending_registration(world: World) -> dict[str, Any]:
    from planning import services as planning

    session = scenarios.session_at(world, "planned")
    registration = planning.register(
        actor=None, member=record(world.probationary), cell=world.cell, session=session
    )
    return {"pk": registration.pk}


def catalogue_topic(world: World) -> dict[str, Any]:
    from planning import services as planning

    group = planning.ensure_topic_groups(world.party)[0]
    return {
        "pk": planning.create_topic(
            actor=None, organization=world.party, group=group, title="Văn hóa công sở"
        ).pk
    }


def topic_group(world: World) -> dict[str, Any]:
    from planning import services as planning

    return {"pk": planning.ensure_topic_groups(world.party)[0].pk}


def topic_data(world: World) -> dict[str, Any]:
    return {
        "group": topic_group(world)["pk"],
        "title": "Chuyển đổi số trong công tác đảng",
        "description": "",
    }


def later_in_plan_year(world: World) -> dict[str, Any]:
    return {"new_date": date(timezone.localdate().year + 1, 3, 3).isoformat(), "reason": "Trùng lịch"}


ROUTES = [
    # plans
    Route("planning:plans", "page", ANYONE_SIGNED_IN),
    Route("planning:plan_create", "cell", PLANS_CELL, kwargs=lambda w: {"cell_pk": w.cell.pk}),
    Route(
        "planning:plan_create",
        "cell",
        PLANS_CELL,
        "POST",
        kwargs=lambda w: {"cell_pk": w.cell.pk},
        data=lambda w: {"year": timezone.localdate().year, "purpose": ""},
        changes_state=False,  # answers with a redirect to the new plan, no message
    ),
    Route("planning:plan", "cell-plan", SEES_CELL, kwargs=draft_plan),
    Route(
        "planning:plan_export", "cell-plan-pdf", SEES_CELL, kwargs=lambda w: {**draft_plan(w), "fmt": "pdf"}
    ),
    Route("planning:session_add", "cell-plan", PLANS_CELL, kwargs=draft_plan),
    Route(
        "planning:session_add",
        "cell-plan",
        PLANS_CELL,
        "POST",
        kwargs=draft_plan,
        data=lambda w: {"quarter": 2, "title": "Phòng, chống lãng phí"},
        changes_state=True,
    ),
    Route("planning:plan_submit", "cell-plan", PLANS_CELL, "POST", kwargs=draft_plan, changes_state=True),
    Route(
        "planning:plan_acknowledge",
        "cell-plan",
        REVIEWS_PLAN,
        "POST",
        kwargs=submitted_plan,
        changes_state=True,
    ),
    Route(
        "planning:plan_return",
        "cell-plan",
        REVIEWS_PLAN,
        "POST",
        kwargs=submitted_plan,
        data=lambda w: {"remarks": "Bổ sung chuyên đề quý III"},
        changes_state=True,
    ),
    # sessions
    Route("planning:session", "cell-session", SEES_CELL, kwargs=plan_session),
    Route("planning:session_edit", "cell-session", PLANS_CELL, kwargs=plan_session),
    Route(
        "planning:session_edit",
        "cell-session",
        PLANS_CELL,
        "POST",
        kwargs=plan_session,
        data=lambda w: {"title": "Văn hóa Hồ Chí Minh về học tập", "quarter": 1},
        changes_state=True,
    ),
    Route(
        "planning:session_remove", "cell-session", PLANS_CELL, "POST", kwargs=plan_session, changes_state=True
    ),
    Route(
        "planning:session_restore",
        "cell-plan",
        PLANS_CELL,
        "POST",
        kwargs=removed_session,
        changes_state=True,
    ),
    Route(
        "planning:session_presenters",
        "cell-session",
        PLANS_CELL,
        "POST",
        kwargs=plan_session,
        data=lambda w: {"members": [record(w.member).pk]},
        changes_state=True,
    ),
    Route(
        "planning:session_postpone",
        "cell-session",
        PLANS_CELL,
        "POST",
        kwargs=plan_session,
        data=later_in_plan_year,
        changes_state=True,
    ),
    Route(
        "planning:session_cancel",
        "cell-session",
        PLANS_CELL,
        "POST",
        kwargs=plan_session,
        data=lambda w: {"reason": "Chi bộ sáp nhập"},
        changes_state=True,
    ),
    Route("planning:session_register", "cell-session", REGISTERS_IN_CELL, kwargs=plan_session),
    Route(
        "planning:session_register",
        "cell-session",
        REGISTERS_IN_CELL,
        "POST",
        kwargs=plan_session,
        data=lambda w: {"note": "Xin được chuẩn bị"},
        changes_state=True,
    ),
    Route("planning:registration_accept", "cell", PLANS_CELL, kwargs=pending_registration),
    Route(
        "planning:registration_accept",
        "cell",
        PLANS_CELL,
        "POST",
        kwargs=pending_registration,
        changes_state=True,
    ),
    Route("planning:registration_decline", "cell", PLANS_CELL, kwargs=pending_registration),
    Route(
        "planning:registration_decline",
        "cell",
        PLANS_CELL,
        "POST",
        kwargs=pending_registration,
        data=lambda w: {"reason": "Đã phân công đồng chí khác"},
        changes_state=True,
    ),
    # catalogue, orientation, oversight
    Route("planning:topics", "page", ANYONE_SIGNED_IN),
    Route("planning:topic_register", "party-topic", REGISTERS_FOR_TOPIC, kwargs=catalogue_topic),
    Route(
        "planning:topic_register",
        "party-topic",
        REGISTERS_FOR_TOPIC,
        "POST",
        kwargs=catalogue_topic,
        data=lambda w: {"note": ""},
        changes_state=True,
    ),
    Route("planning:topic_propose", "cell", PROPOSES_TOPIC, kwargs=lambda w: {"cell_pk": w.cell.pk}),
    Route(
        "planning:topic_propose",
        "cell",
        PROPOSES_TOPIC,
        "POST",
        kwargs=lambda w: {"cell_pk": w.cell.pk},
        data=topic_data,
        changes_state=True,
    ),
    Route("planning:catalogue_topic_add", "party", SEES_PARTY, kwargs=lambda w: {"party_pk": w.party.pk}),
    Route(
        "planning:catalogue_topic_add",
        "party",
        SEES_PARTY,
        "POST",
        kwargs=lambda w: {"party_pk": w.party.pk},
        data=topic_data,
        changes_state=True,
    ),
    Route("planning:topic_group_edit", "party-group", SEES_PARTY, kwargs=topic_group),
    Route(
        "planning:topic_group_edit",
        "party-group",
        SEES_PARTY,
        "POST",
        kwargs=topic_group,
        data=lambda w: {
            "name": "Học tập và làm theo Bác",
            "keywords": "Hồ Chí Minh",
            "order": 1,
            "is_active": "on",
        },
        changes_state=True,
    ),
    Route(
        "planning:orientation", "party", SEES_PARTY, kwargs=lambda w: {"party_pk": w.party.pk, "year": 2027}
    ),
    Route(
        "planning:orientation",
        "party",
        SEES_PARTY,
        "POST",
        kwargs=lambda w: {"party_pk": w.party.pk, "year": 2027},
        data=lambda w: {"plans_due": "2027-01-31", "note": ""},
        changes_state=True,
    ),
    Route("planning:oversight", "party", SEES_PARTY, kwargs=lambda w: {"party_pk": w.party.pk}),
]
