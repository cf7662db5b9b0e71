"""Permission rows of the API's meetings operations (gathered by api/tests/routes.py). Each operation is
the same action as a page of meetings/tests/routes.py and takes that page's rule, anonymous callers
getting 401."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from conftest import World
from meetings.tests import routes as meeting_routes
from tests import scenarios
from tests.matrix import ANYONE_SIGNED_IN, MANAGES_MEETING, SEES_CELL, Route, for_api
from tests.scenarios import record

# The pages' rules (tests/matrix.py, meetings/tests/routes.py), with 401 for an anonymous caller.
READS_ANY = for_api(ANYONE_SIGNED_IN)
SEES_MEETING = for_api(SEES_CELL)
# meetings: the cell's secretaries record and approve; members and the Đảng ủy read.
RECORDS_MEETING = for_api(MANAGES_MEETING)
# Until it is issued, a resolution is the secretaries' draft: nobody else sees it.
DRAFTS_RESOLUTION = for_api(meeting_routes.DRAFTS_RESOLUTION)
# A task of a resolution: its owner (world.member) and the secretaries mark it done.
COMPLETES_TASK = for_api(meeting_routes.COMPLETES_TASK)


def meeting_at(stage: str) -> Callable[[World], dict[str, Any]]:
    return lambda world: {"meeting_id": scenarios.regular_meeting(world, stage).pk}


def thematic_at(stage: str) -> Callable[[World], dict[str, Any]]:
    return lambda world: {"meeting_id": scenarios.thematic_meeting(world, stage).pk}


def open_meeting_member(world: World) -> dict[str, Any]:
    return {**meeting_at("open")(world), "member_id": record(world.member).pk}


def open_meeting_speech(world: World) -> dict[str, Any]:
    from meetings import services as meetings

    meeting = scenarios.regular_meeting(world, "open")
    speech = meetings.add_speech(
        actor=None, meeting=meeting, member_id=record(world.deputy).pk, summary="Ý kiến"
    )
    return {"speech_id": speech.pk}


def issued_task(world: World) -> dict[str, Any]:
    from meetings.models import ResolutionTask

    meeting = scenarios.thematic_meeting(world, "resolution-issued")
    return {"task_id": ResolutionTask.objects.get(resolution__meeting=meeting).pk}


def new_meeting(world: World) -> dict[str, Any]:
    day = (timezone.localdate() + timedelta(days=7)).isoformat()
    return {"cell_id": world.cell.pk, "kind": "regular", "date": day, "start_time": "07:30", "place": "P"}


def resolution_data(world: World) -> dict[str, Any]:
    deadline = date(timezone.localdate().year + 1, 6, 30).isoformat()
    return {
        "kind": "NQ",
        "results": "Kết quả",
        "tasks": [{"description": "Nhiệm vụ", "owner_ids": [record(world.member).pk], "deadline": deadline}],
    }


def quality_scores(world: World) -> dict[str, Any]:
    return {"scores": {"attendance": 20, "duration": 10}}


ROUTES = [
    Route("api-v1:list_meetings", "any", READS_ANY, api=True),
    Route("api-v1:get_meeting", "approved", SEES_MEETING, kwargs=meeting_at("approved"), api=True),
    Route(
        "api-v1:create_meeting",
        "cell",
        RECORDS_MEETING,
        "POST",
        data=new_meeting,
        changes_state=True,
        api=True,
        ok_status=201,
    ),
    Route(
        "api-v1:issue_notice",
        "scheduled",
        RECORDS_MEETING,
        "POST",
        kwargs=meeting_at("scheduled"),
        changes_state=True,
        api=True,
        ok_status=200,
    ),
    Route(
        "api-v1:open_record",
        "scheduled",
        RECORDS_MEETING,
        "POST",
        kwargs=meeting_at("scheduled"),
        data=lambda w: {"confirmed_without_notice": True},
        changes_state=True,
        api=True,
        ok_status=200,
    ),
    Route(
        "api-v1:update_meeting_record",
        "open",
        RECORDS_MEETING,
        "PATCH",
        kwargs=meeting_at("open"),
        data=lambda w: {"guests": "Đ/c Hà"},
        api=True,
        ok_status=200,
    ),
    Route("api-v1:get_attendance", "open", SEES_MEETING, kwargs=meeting_at("open"), api=True),
    Route(
        "api-v1:set_attendance",
        "open",
        RECORDS_MEETING,
        "PUT",
        kwargs=open_meeting_member,
        data=lambda w: {"status": "present"},
        api=True,
        ok_status=200,
    ),
    Route(
        "api-v1:set_attendances",
        "open",
        RECORDS_MEETING,
        "POST",
        kwargs=meeting_at("open"),
        data=lambda w: {"marks": [{"member_id": record(w.member).pk, "status": "present"}]},
        api=True,
        ok_status=200,
    ),
    Route(
        "api-v1:mark_all_present",
        "open",
        RECORDS_MEETING,
        "POST",
        kwargs=meeting_at("open"),
        changes_state=True,
        api=True,
        ok_status=200,
    ),
    Route("api-v1:list_speeches", "open", SEES_MEETING, kwargs=meeting_at("open"), api=True),
    Route(
        "api-v1:add_speech",
        "open",
        RECORDS_MEETING,
        "POST",
        kwargs=meeting_at("open"),
        data=lambda w: {"member_id": record(w.deputy).pk, "kind": "speech", "summary": "Nhất trí"},
        api=True,
        ok_status=201,
    ),
    Route(
        "api-v1:delete_speech",
        "open",
        RECORDS_MEETING,
        "DELETE",
        kwargs=open_meeting_speech,
        changes_state=True,
        api=True,
        ok_status=204,
    ),
    Route(
        "api-v1:record_vote",
        "marked",
        RECORDS_MEETING,
        "POST",
        kwargs=meeting_at("marked"),
        data=lambda w: {"mode": "counts", "votes_for": 3, "against": 0, "other": 0},
        changes_state=True,
        api=True,
        ok_status=200,
    ),
    Route(
        "api-v1:clear_vote",
        "voted",
        RECORDS_MEETING,
        "DELETE",
        kwargs=meeting_at("voted"),
        changes_state=True,
        api=True,
        ok_status=204,
    ),
    Route("api-v1:get_quality", "open", RECORDS_MEETING, kwargs=meeting_at("open"), api=True),
    Route(
        "api-v1:score_quality",
        "open",
        RECORDS_MEETING,
        "POST",
        kwargs=meeting_at("open"),
        data=quality_scores,
        changes_state=True,
        api=True,
        ok_status=200,
    ),
    Route(
        "api-v1:get_minutes",
        "approved",
        SEES_MEETING,
        kwargs=lambda w: {**meeting_at("approved")(w), "number": 1},
        api=True,
    ),
    Route(
        "api-v1:approve_minutes",
        "ready",
        RECORDS_MEETING,
        "POST",
        kwargs=meeting_at("ready"),
        changes_state=True,
        api=True,
        ok_status=200,
    ),
    Route(
        "api-v1:correct_minutes",
        "approved",
        RECORDS_MEETING,
        "POST",
        kwargs=meeting_at("approved"),
        data=lambda w: {"reason": "Sai giờ kết thúc"},
        changes_state=True,
        api=True,
        ok_status=200,
    ),
    Route("api-v1:list_resolutions", "any", READS_ANY, api=True),
    Route(
        "api-v1:get_resolution", "draft", DRAFTS_RESOLUTION, kwargs=thematic_at("resolution-draft"), api=True
    ),
    Route("api-v1:get_resolution", "issued", SEES_MEETING, kwargs=thematic_at("resolution-issued"), api=True),
    Route(
        "api-v1:save_resolution",
        "draft",
        DRAFTS_RESOLUTION,
        "PUT",
        kwargs=thematic_at("resolution-draft"),
        data=resolution_data,
        changes_state=True,
        api=True,
        ok_status=200,
    ),
    Route(
        "api-v1:issue_resolution",
        "draft",
        RECORDS_MEETING,
        "POST",
        kwargs=thematic_at("resolution-draft"),
        changes_state=True,
        api=True,
        ok_status=200,
    ),
    Route("api-v1:list_tasks", "any", READS_ANY, api=True),
    Route("api-v1:get_task", "issued", SEES_MEETING, kwargs=issued_task, api=True),
    Route(
        "api-v1:complete_task",
        "member-task",
        COMPLETES_TASK,
        "POST",
        kwargs=issued_task,
        data=lambda w: {"note": "Đã thực hiện"},
        changes_state=True,
        api=True,
        ok_status=200,
    ),
]
