"""Permission rows of the meetings URLs (loaded by tests/test_permissions.py): recording a meeting,
its minutes, its resolution and the resolution's tasks."""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.utils import timezone

from conftest import World
from tests import scenarios
from tests.matrix import MANAGES_MEETING, SEES_CELL, Route, rule, today
from tests.scenarios import record

# Until it is issued, a resolution is the secretaries' draft: nobody else sees it.
DRAFTS_RESOLUTION = rule(ok=("secretary", "deputy", "admin"))
# A task of a resolution: its owner (world.member) and the secretaries mark it done.
COMPLETES_TASK = rule(ok=("secretary", "deputy", "member", "admin"), forbidden=("probationary", "officer"))


def meeting_at(stage: str) -> Callable[[World], dict[str, Any]]:
    return lambda world: {"pk": scenarios.regular_meeting(world, stage).pk}


def thematic_at(stage: str) -> Callable[[World], dict[str, Any]]:
    return lambda world: {"pk": scenarios.thematic_meeting(world, stage).pk}


def resolution_data(world: World) -> dict[str, Any]:
    return {
        "kind": "NQ",
        "results": "Kết quả",
        "task-TOTAL_FORMS": "1",
        "task-INITIAL_FORMS": "0",
        "task-0-description": "Nhiệm vụ",
        "task-0-owners": [record(world.member).pk],
        "task-0-deadline": date(timezone.localdate().year + 1, 6, 30).isoformat(),
    }


def open_task(world: World) -> dict[str, Any]:
    from meetings.models import ResolutionTask

    meeting = scenarios.thematic_meeting(world, "resolution-issued")
    return {"pk": ResolutionTask.objects.get(resolution__meeting=meeting).pk}


def open_meeting_speech(world: World) -> dict[str, Any]:
    from meetings import services as meetings

    meeting = scenarios.regular_meeting(world, "open")
    speech = meetings.add_speech(
        actor=None, meeting=meeting, member_id=record(world.deputy).pk, summary="Ý kiến"
    )
    return {"pk": speech.pk}


ROUTES = [
    Route("meetings:list", "cell", SEES_CELL, kwargs=lambda w: {"cell_pk": w.cell.pk}),
    Route("meetings:create", "cell", MANAGES_MEETING, kwargs=lambda w: {"cell_pk": w.cell.pk}),
    Route(
        "meetings:create",
        "cell",
        MANAGES_MEETING,
        "POST",
        kwargs=lambda w: {"cell_pk": w.cell.pk},
        data=lambda w: {"kind": "regular", "date": today(), "start_time": "07:30", "place": "Phòng họp"},
        changes_state=True,
    ),
    Route("meetings:detail", "scheduled", SEES_CELL, kwargs=meeting_at("scheduled")),
    Route("meetings:detail", "approved", SEES_CELL, kwargs=meeting_at("approved")),
    Route(
        "meetings:notice_issue",
        "scheduled",
        MANAGES_MEETING,
        "POST",
        kwargs=meeting_at("scheduled"),
        changes_state=True,
    ),
    Route(
        "meetings:notice_file",
        "issued",
        SEES_CELL,
        kwargs=lambda w: {**meeting_at("noticed")(w), "fmt": "docx"},
    ),
    Route(
        "meetings:notice_file",
        "preview",
        MANAGES_MEETING,
        kwargs=lambda w: {**meeting_at("scheduled")(w), "fmt": "docx"},
    ),
    Route(
        "meetings:open",
        "scheduled",
        MANAGES_MEETING,
        "POST",
        kwargs=meeting_at("scheduled"),
        data=lambda w: {"confirmed_without_notice": "on"},
        changes_state=True,
    ),
    Route("meetings:record", "open", MANAGES_MEETING, kwargs=meeting_at("open")),
    Route(
        "meetings:save_field",
        "open",
        MANAGES_MEETING,
        "POST",
        kwargs=meeting_at("open"),
        data=lambda w: {"guests": "Đ/c Hà"},
    ),
    Route(
        "meetings:attendance",
        "open",
        MANAGES_MEETING,
        "POST",
        kwargs=meeting_at("open"),
        data=lambda w: {f"status-{record(w.member).pk}": "present"},
    ),
    Route(
        "meetings:all_present", "open", MANAGES_MEETING, "POST", kwargs=meeting_at("open"), changes_state=True
    ),
    Route(
        "meetings:speech_add",
        "open",
        MANAGES_MEETING,
        "POST",
        kwargs=meeting_at("open"),
        data=lambda w: {"member": record(w.deputy).pk, "kind": "speech", "summary": "Nhất trí"},
    ),
    Route("meetings:speech_delete", "open", MANAGES_MEETING, "POST", kwargs=open_meeting_speech),
    Route(
        "meetings:vote",
        "marked",
        MANAGES_MEETING,
        "POST",
        kwargs=meeting_at("marked"),
        data=lambda w: {"mode": "counts", "votes_for": 3, "against": 0, "other": 0},
        changes_state=True,
    ),
    Route(
        "meetings:vote_clear",
        "voted",
        MANAGES_MEETING,
        "POST",
        kwargs=meeting_at("voted"),
        changes_state=True,
    ),
    Route(
        "meetings:quality",
        "open",
        MANAGES_MEETING,
        "POST",
        kwargs=meeting_at("open"),
        data=lambda w: {"score-attendance": 20, "score-duration": 10},
    ),
    Route(
        "meetings:minutes_approve",
        "ready",
        MANAGES_MEETING,
        "POST",
        kwargs=meeting_at("ready"),
        changes_state=True,
    ),
    Route(
        "meetings:minutes_correct",
        "approved",
        MANAGES_MEETING,
        "POST",
        kwargs=meeting_at("approved"),
        data=lambda w: {"reason": "Sai giờ kết thúc"},
        changes_state=True,
    ),
    Route(
        "meetings:minutes_file",
        "approved",
        SEES_CELL,
        kwargs=lambda w: {**meeting_at("approved")(w), "fmt": "docx"},
    ),
    Route("meetings:resolution", "draft", DRAFTS_RESOLUTION, kwargs=thematic_at("resolution-draft")),
    Route("meetings:resolution", "issued", SEES_CELL, kwargs=thematic_at("resolution-issued")),
    Route(
        "meetings:resolution",
        "draft",
        DRAFTS_RESOLUTION,
        "POST",
        kwargs=thematic_at("resolution-draft"),
        data=resolution_data,
        changes_state=True,
    ),
    Route(
        "meetings:resolution_issue",
        "draft",
        MANAGES_MEETING,
        "POST",
        kwargs=thematic_at("resolution-draft"),
        changes_state=True,
    ),
    Route(
        "meetings:resolution_file",
        "issued",
        SEES_CELL,
        kwargs=lambda w: {**thematic_at("resolution-issued")(w), "fmt": "docx"},
    ),
    Route(
        "meetings:task_done",
        "member-task",
        COMPLETES_TASK,
        "POST",
        kwargs=open_task,
        data=lambda w: {"note": "Đã thực hiện"},
        changes_state=True,
    ),
]
