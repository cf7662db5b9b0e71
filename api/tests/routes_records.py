"""Permission rows of the API's operations on evaluations, participation records, reports, model
sessions, search and notifications (gathered by api/tests/routes.py). Each operation that is a page's
action takes that page's rule (the apps' tests/routes.py), with 401 for anonymous callers."""

from typing import Any

from django.utils import timezone

from conftest import World
from evaluations.tests import routes as evaluation_routes
from library.tests import routes as library_routes
from notifications.tests import routes as notification_routes
from reports.tests import routes as report_routes
from reports.tests.routes import QueryRoute
from tests import scenarios
from tests.matrix import ANYONE_SIGNED_IN, MANAGES_MEETING, SEES_CELL, Route, api_rule, for_api
from tests.scenarios import record

API = {"api": True}


def session_issued(world: World) -> dict[str, Any]:
    return {"session_id": evaluation_routes.issued_session(world)["pk"]}


def session_evaluated(world: World) -> dict[str, Any]:
    return {"session_id": scenarios.evaluated_session(world).pk}


def member(world: World) -> dict[str, Any]:
    return {"member_id": record(world.member).pk}


def cell(world: World) -> dict[str, Any]:
    return {"organization_id": world.cell.pk}


def report(stage: str) -> Any:
    return lambda world: {"report_id": report_routes.report_at(stage)(world)["pk"]}


def model(builder: Any) -> Any:
    return lambda world: {"model_id": builder(world)["pk"]}


def planned_session(world: World) -> dict[str, Any]:
    return {"session_id": library_routes.planned_session(world)["session_pk"]}


def notification(world: World) -> dict[str, Any]:
    return {"notification_id": notification_routes.own_notification(world)["pk"]}


# world.member's own notification: nobody else's to read.
READS_OWN_NOTIFICATION = api_rule(ok=("member",))

ROUTES = [
    Route(
        "api-v1:evaluate_session",
        "issued",
        for_api(MANAGES_MEETING),
        "PUT",
        kwargs=session_issued,
        data=evaluation_routes.evaluation_data,
        ok_status=200,
        changes_state=True,
        **API,
    ),
    Route(
        "api-v1:get_session_evaluation",
        "evaluated",
        for_api(SEES_CELL),
        kwargs=session_evaluated,
        **API,
    ),
    Route(
        "api-v1:get_participation",
        "member",
        for_api(evaluation_routes.READS_MEMBERS_RECORD),
        kwargs=member,
        **API,
    ),
    Route(
        "api-v1:list_cell_participation",
        "cell",
        for_api(evaluation_routes.READS_CELL_RECORDS),
        kwargs=cell,
        **API,
    ),
    Route("api-v1:list_reports", "any", for_api(ANYONE_SIGNED_IN), **API),
    Route("api-v1:get_report", "draft", for_api(report_routes.DRAFT_REPORT), kwargs=report("draft"), **API),
    Route("api-v1:get_report", "submitted", for_api(SEES_CELL), kwargs=report("submitted"), **API),
    Route(
        "api-v1:create_report",
        "cell",
        for_api(report_routes.WRITES_REPORT),
        "POST",
        data=lambda w: {"cell": w.cell.pk, "year": timezone.localdate().year, "quarter": 1},
        ok_status=201,
        changes_state=True,
        **API,
    ),
    Route(
        "api-v1:edit_report",
        "draft",
        for_api(report_routes.DRAFT_REPORT),
        "PATCH",
        kwargs=report("draft"),
        data=lambda w: {"assessment": "Đánh giá đã sửa.", "direction": ""},
        ok_status=200,
        changes_state=True,
        **API,
    ),
    Route(
        "api-v1:submit_report",
        "draft",
        for_api(report_routes.DRAFT_REPORT),
        "POST",
        kwargs=report("draft"),
        ok_status=200,
        changes_state=True,
        **API,
    ),
    Route(
        "api-v1:acknowledge_report",
        "submitted",
        for_api(report_routes.ACKNOWLEDGES_REPORT),
        "POST",
        kwargs=report("submitted"),
        data=lambda w: {"remarks": ""},
        ok_status=200,
        changes_state=True,
        **API,
    ),
    Route(
        "api-v1:return_report",
        "submitted",
        for_api(report_routes.ACKNOWLEDGES_REPORT),
        "POST",
        kwargs=report("submitted"),
        data=lambda w: {"remarks": "Chưa nêu nguyên nhân vắng sinh hoạt."},
        ok_status=200,
        changes_state=True,
        **API,
    ),
    Route("api-v1:list_models", "any", for_api(ANYONE_SIGNED_IN), **API),
    Route(
        "api-v1:get_model",
        "published",
        for_api(library_routes.READS_LIBRARY),
        kwargs=model(library_routes.published),
        **API,
    ),
    Route(
        "api-v1:register_model",
        "cell-session",
        for_api(library_routes.PLANS_CELL),
        "POST",
        kwargs=planned_session,
        data=lambda w: {"note": "Mời các chi bộ dự"},
        ok_status=201,
        changes_state=True,
        **API,
    ),
    Route(
        "api-v1:approve_model",
        "registered",
        for_api(library_routes.REVIEWS_PLAN),
        "POST",
        kwargs=model(library_routes.registered),
        ok_status=200,
        changes_state=True,
        **API,
    ),
    Route(
        "api-v1:decline_model",
        "registered",
        for_api(library_routes.REVIEWS_PLAN),
        "POST",
        kwargs=model(library_routes.registered),
        data=lambda w: {"reason": "Chưa đủ điều kiện"},
        ok_status=200,
        changes_state=True,
        **API,
    ),
    Route(
        "api-v1:withdraw_model",
        "registered",
        for_api(library_routes.PLANS_CELL),
        "POST",
        kwargs=model(library_routes.registered),
        data=lambda w: {"reason": "Buổi sinh hoạt bị hủy"},
        ok_status=200,
        changes_state=True,
        **API,
    ),
    Route(
        "api-v1:publish_model",
        "evaluated",
        for_api(library_routes.MANAGES_CELL),
        "POST",
        kwargs=model(library_routes.approved_evaluated),
        ok_status=200,
        changes_state=True,
        **API,
    ),
    Route(
        "api-v1:adopt_model",
        "other-cells-model",
        for_api(library_routes.ADOPTS_OTHER_CELLS_MODEL),
        "POST",
        kwargs=model(library_routes.other_cells_model),
        data=library_routes.adopt_into("cell"),
        ok_status=201,
        changes_state=True,
        **API,
    ),
    QueryRoute("api-v1:search", "words", for_api(ANYONE_SIGNED_IN), query="?q=van%20hoa", **API),
    Route("api-v1:list_notifications", "own", for_api(ANYONE_SIGNED_IN), **API),
    Route(
        "api-v1:read_notification",
        "own",
        READS_OWN_NOTIFICATION,
        "POST",
        kwargs=notification,
        ok_status=200,
        **API,
    ),
    Route("api-v1:read_all_notifications", "own", for_api(ANYONE_SIGNED_IN), "POST", ok_status=200, **API),
]
