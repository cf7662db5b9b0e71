"""Permission rows of the API's planning operations (gathered by api/tests/routes.py). Where an operation
is the same action as a page, its rule is the page's (planning/tests/routes.py), anonymous callers
getting 401."""

from datetime import date
from typing import Any

from django.utils import timezone

from conftest import World
from planning.tests import routes as pages
from tests import matrix, scenarios
from tests.matrix import Route, api_rule, for_api
from tests.scenarios import record

# The pages' rules (tests/matrix.py, planning/tests/routes.py) for the operations that are their actions.
ANYONE_SIGNED_IN = for_api(matrix.ANYONE_SIGNED_IN)
SEES_CELL = for_api(matrix.SEES_CELL)
SEES_PARTY = for_api(matrix.SEES_PARTY)
PLANS_CELL = for_api(matrix.PLANS_CELL)
REVIEWS_PLAN = for_api(matrix.REVIEWS_PLAN)
REGISTERS_IN_CELL = for_api(pages.REGISTERS_IN_CELL)
REGISTERS_FOR_TOPIC = for_api(pages.REGISTERS_FOR_TOPIC)
PROPOSES_TOPIC = for_api(pages.PROPOSES_TOPIC)
# Reads no page makes on its own: the Đảng bộ's catalogue is read by everyone in its cells and by its
# Đảng ủy (the topics page lists it); a registration by whoever decides it and by the member who made
# it (world.probationary), as the session page lists them.
READS_CATALOGUE = api_rule(
    ok=("secretary", "deputy", "member", "probationary", "other_member", "officer", "admin")
)
READS_REGISTRATION = api_rule(ok=("secretary", "deputy", "probationary", "admin"))


def draft_plan(world: World) -> dict[str, Any]:
    return {"plan_id": scenarios.plan(world).pk}


def submitted_plan(world: World) -> dict[str, Any]:
    return {"plan_id": scenarios.plan(world, "submitted").pk}


def planned_session(world: World) -> dict[str, Any]:
    return {"session_id": scenarios.session_at(world, "planned").pk}


def removal(world: World) -> dict[str, Any]:
    found = pages.removed_session(world)
    return {"plan_id": found["pk"], "entry_id": found["entry_pk"]}


def registration(world: World) -> dict[str, Any]:
    return {"registration_id": pages.pending_registration(world)["pk"]}


def orientation(world: World) -> dict[str, Any]:
    from planning import services as planning

    planning.set_orientation(actor=None, party=world.party, year=2027, plans_due=date(2027, 1, 31))
    return {"organization_id": world.party.pk, "year": 2027}


ROUTES = [
    # catalogue and orientation
    Route("api-v1:list_topic_groups", "any", ANYONE_SIGNED_IN, api=True),
    Route(
        "api-v1:get_topic_group",
        "party-group",
        READS_CATALOGUE,
        kwargs=lambda w: {"group_id": pages.topic_group(w)["pk"]},
        api=True,
    ),
    Route("api-v1:list_topics", "any", ANYONE_SIGNED_IN, api=True),
    Route(
        "api-v1:get_topic",
        "party-topic",
        READS_CATALOGUE,
        kwargs=lambda w: {"topic_id": pages.catalogue_topic(w)["pk"]},
        api=True,
    ),
    Route(
        "api-v1:create_topic",
        "party",
        SEES_PARTY,
        "POST",
        kwargs=lambda w: {"organization_id": w.party.pk},
        data=pages.topic_data,
        changes_state=True,
        api=True,
        ok_status=201,
    ),
    Route(
        "api-v1:create_topic",
        "cell",
        PROPOSES_TOPIC,
        "POST",
        kwargs=lambda w: {"organization_id": w.cell.pk},
        data=pages.topic_data,
        changes_state=True,
        api=True,
        ok_status=201,
    ),
    Route(
        "api-v1:register_for_topic",
        "party-topic",
        REGISTERS_FOR_TOPIC,
        "POST",
        kwargs=lambda w: {"topic_id": pages.catalogue_topic(w)["pk"]},
        data=lambda w: {"note": ""},
        changes_state=True,
        api=True,
        ok_status=201,
    ),
    Route("api-v1:get_orientation", "party", SEES_PARTY, kwargs=orientation, api=True),
    # plans
    Route("api-v1:list_plans", "any", ANYONE_SIGNED_IN, api=True),
    Route("api-v1:get_plan", "cell-plan", SEES_CELL, kwargs=draft_plan, api=True),
    Route(
        "api-v1:create_plan",
        "cell",
        PLANS_CELL,
        "POST",
        data=lambda w: {"cell_id": w.cell.pk, "year": timezone.localdate().year, "purpose": ""},
        changes_state=True,
        api=True,
        ok_status=201,
    ),
    Route(
        "api-v1:submit_plan",
        "cell-plan",
        PLANS_CELL,
        "POST",
        kwargs=draft_plan,
        changes_state=True,
        api=True,
        ok_status=200,
    ),
    Route(
        "api-v1:acknowledge_plan",
        "cell-plan",
        REVIEWS_PLAN,
        "POST",
        kwargs=submitted_plan,
        changes_state=True,
        api=True,
        ok_status=200,
    ),
    Route(
        "api-v1:return_plan",
        "cell-plan",
        REVIEWS_PLAN,
        "POST",
        kwargs=submitted_plan,
        data=lambda w: {"remarks": "Bổ sung chuyên đề quý III"},
        changes_state=True,
        api=True,
        ok_status=200,
    ),
    Route(
        "api-v1:add_session",
        "cell-plan",
        PLANS_CELL,
        "POST",
        kwargs=draft_plan,
        data=lambda w: {"quarter": 2, "title": "Phòng, chống lãng phí"},
        changes_state=True,
        api=True,
        ok_status=201,
    ),
    Route(
        "api-v1:restore_session",
        "cell-plan",
        PLANS_CELL,
        "POST",
        kwargs=removal,
        changes_state=True,
        api=True,
        ok_status=200,
    ),
    # sessions
    Route("api-v1:list_sessions", "any", ANYONE_SIGNED_IN, api=True),
    Route("api-v1:get_session", "cell-session", SEES_CELL, kwargs=planned_session, api=True),
    Route(
        "api-v1:edit_session",
        "cell-session",
        PLANS_CELL,
        "PATCH",
        kwargs=planned_session,
        data=lambda w: {"title": "Văn hóa Hồ Chí Minh về học tập", "quarter": 1},
        changes_state=True,
        api=True,
        ok_status=200,
    ),
    Route(
        "api-v1:remove_session",
        "cell-session",
        PLANS_CELL,
        "DELETE",
        kwargs=planned_session,
        changes_state=True,
        api=True,
        ok_status=204,
    ),
    Route(
        "api-v1:assign_presenters",
        "cell-session",
        PLANS_CELL,
        "PUT",
        kwargs=planned_session,
        data=lambda w: {"members": [record(w.member).pk]},
        changes_state=True,
        api=True,
        ok_status=200,
    ),
    Route(
        "api-v1:postpone_session",
        "cell-session",
        PLANS_CELL,
        "POST",
        kwargs=planned_session,
        data=pages.later_in_plan_year,
        changes_state=True,
        api=True,
        ok_status=200,
    ),
    Route(
        "api-v1:cancel_session",
        "cell-session",
        PLANS_CELL,
        "POST",
        kwargs=planned_session,
        data=lambda w: {"reason": "Chi bộ sáp nhập"},
        changes_state=True,
        api=True,
        ok_status=200,
    ),
    # registrations
    Route(
        "api-v1:register_for_session",
        "cell-session",
        REGISTERS_IN_CELL,
        "POST",
        kwargs=planned_session,
        data=lambda w: {"note": "Xin được chuẩn bị"},
        changes_state=True,
        api=True,
        ok_status=201,
    ),
    Route("api-v1:list_registrations", "any", ANYONE_SIGNED_IN, api=True),
    Route("api-v1:get_registration", "cell", READS_REGISTRATION, kwargs=registration, api=True),
    Route(
        "api-v1:accept_registration",
        "cell",
        PLANS_CELL,
        "POST",
        kwargs=registration,
        changes_state=True,
        api=True,
        ok_status=200,
    ),
    Route(
        "api-v1:decline_registration",
        "cell",
        PLANS_CELL,
        "POST",
        kwargs=registration,
        data=lambda w: {"reason": "Đã phân công đồng chí khác"},
        changes_state=True,
        api=True,
        ok_status=200,
    ),
]
