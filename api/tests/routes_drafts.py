"""Permission rows of the API's drafts operations (gathered by api/tests/routes.py). Each operation is
the same action as a drafts page, so each row takes that page's rule (drafts/tests/routes.py), with
anonymous callers answered 401. world.member presents; the secretary and the deputy approve."""

from collections.abc import Callable
from typing import Any

from conftest import World
from drafts.tests import routes as pages
from tests import scenarios
from tests.matrix import SEES_CELL, Route, for_api

READS_DRAFT = for_api(SEES_CELL)
WRITES_DRAFT = for_api(pages.WRITES_DRAFT)
APPROVES_DRAFT = for_api(pages.APPROVES_DRAFT)
COMMENTS_ON_DRAFT = for_api(pages.COMMENTS_ON_DRAFT)
OWNS_COMMENT = for_api(pages.OWNS_COMMENT)
TRACKS_DRAFT = for_api(pages.MANAGES_DRAFT_TRACKING)
ANSWERS_COMMENTS = for_api(pages.ANSWERS_COMMENTS)


def session_at(stage: str) -> Callable[[World], dict[str, Any]]:
    return lambda world: {"session_id": pages.session_at(stage)(world)["pk"]}


def final_submitted(world: World) -> dict[str, Any]:
    """After the meeting, the revised text submitted for approval."""
    from drafts import services

    session = scenarios.session_at(world, "revising")
    services.submit_final(actor=None, session=session)
    return {"session_id": session.pk}


def probationary_comment(world: World) -> dict[str, Any]:
    return {"comment_id": pages.probationary_comment_pk(world)}


ROUTES = [
    Route("api-v1:get_draft", "distributed", READS_DRAFT, kwargs=session_at("distributed"), api=True),
    Route(
        "api-v1:get_draft_version",
        "distributed-v1",
        READS_DRAFT,
        kwargs=lambda w: {**session_at("distributed")(w), "number": 1},
        api=True,
    ),
    Route(
        "api-v1:download_draft_version",
        "distributed-v1",
        READS_DRAFT,
        kwargs=lambda w: {**session_at("distributed")(w), "number": 1},
        api=True,
    ),
    # Only the presenter and the approvers see versions before approval (two are needed to compare).
    Route(
        "api-v1:compare_draft_versions",
        "two-unapproved",
        for_api(pages.SEES_UNAPPROVED),
        kwargs=session_at("two-versions"),
        api=True,
    ),
    # The matrix sends JSON, not a multipart file: whoever may write the draft passes the permission
    # checks and is answered by the page's form ("this field is required", 400); the others get the
    # page's 403/404. The upload itself is tested in api/tests/test_drafts.py.
    Route(
        "api-v1:upload_draft_version",
        "assigned-no-file",
        WRITES_DRAFT,
        "POST",
        kwargs=session_at("assigned"),
        api=True,
        ok_status=400,
    ),
    Route(
        "api-v1:write_draft_version",
        "assigned",
        WRITES_DRAFT,
        "POST",
        kwargs=session_at("assigned"),
        data=lambda w: {"text": "Dự thảo viết trực tiếp.", "expected_version": 0},
        changes_state=True,
        api=True,
        ok_status=201,
    ),
    Route(
        "api-v1:submit_draft",
        "drafting",
        WRITES_DRAFT,
        "POST",
        kwargs=session_at("drafting"),
        data=lambda w: {"expected_version": 1},
        changes_state=True,
        api=True,
        ok_status=200,
    ),
    Route(
        "api-v1:approve_draft",
        "submitted",
        APPROVES_DRAFT,
        "POST",
        kwargs=session_at("submitted"),
        data=lambda w: {"expected_version": 1},
        changes_state=True,
        api=True,
        ok_status=200,
    ),
    Route(
        "api-v1:return_draft",
        "submitted",
        APPROVES_DRAFT,
        "POST",
        kwargs=session_at("submitted"),
        data=lambda w: {"remarks": "Bổ sung số liệu", "expected_version": 1},
        changes_state=True,
        api=True,
        ok_status=200,
    ),
    Route(
        "api-v1:list_draft_readers", "distributed", TRACKS_DRAFT, kwargs=session_at("distributed"), api=True
    ),
    Route(
        "api-v1:remind_readers",
        "distributed",
        TRACKS_DRAFT,
        "POST",
        kwargs=session_at("distributed"),
        changes_state=True,
        api=True,
        ok_status=200,
    ),
    Route("api-v1:list_comments", "distributed", READS_DRAFT, kwargs=session_at("distributed"), api=True),
    Route(
        "api-v1:add_comment",
        "distributed",
        COMMENTS_ON_DRAFT,
        "POST",
        kwargs=session_at("distributed"),
        data=lambda w: {"body": "Nên bổ sung ví dụ thực tiễn.", "anchor": ""},
        changes_state=True,
        api=True,
        ok_status=201,
    ),
    Route(
        "api-v1:reply_to_comment",
        "probationary-comment",
        COMMENTS_ON_DRAFT,
        "POST",
        kwargs=probationary_comment,
        data=lambda w: {"body": "Đồng ý."},
        changes_state=True,
        api=True,
        ok_status=201,
    ),
    Route(
        "api-v1:edit_comment",
        "probationary-comment",
        OWNS_COMMENT,
        "PATCH",
        kwargs=probationary_comment,
        data=lambda w: {"body": "Góp ý đã sửa"},
        changes_state=True,
        api=True,
        ok_status=200,
    ),
    Route(
        "api-v1:delete_comment",
        "probationary-comment",
        OWNS_COMMENT,
        "DELETE",
        kwargs=probationary_comment,
        changes_state=True,
        api=True,
        ok_status=204,
    ),
    Route("api-v1:list_responses", "distributed", READS_DRAFT, kwargs=session_at("distributed"), api=True),
    Route(
        "api-v1:export_responses",
        "distributed-docx",
        READS_DRAFT,
        kwargs=session_at("distributed"),
        api=True,
    ),
    Route(
        "api-v1:record_response",
        "probationary-comment",
        ANSWERS_COMMENTS,
        "PUT",
        kwargs=probationary_comment,
        data=lambda w: {"decision": "accepted"},
        changes_state=True,
        api=True,
        ok_status=200,
    ),
    Route(
        "api-v1:submit_final_text",
        "revising",
        WRITES_DRAFT,
        "POST",
        kwargs=session_at("revising"),
        data=lambda w: {"expected_version": 2},
        changes_state=True,
        api=True,
        ok_status=200,
    ),
    Route(
        "api-v1:approve_final_text",
        "final-submitted",
        APPROVES_DRAFT,
        "POST",
        kwargs=final_submitted,
        data=lambda w: {"expected_version": 2},
        changes_state=True,
        api=True,
        ok_status=200,
    ),
    Route(
        "api-v1:return_final_text",
        "final-submitted",
        APPROVES_DRAFT,
        "POST",
        kwargs=final_submitted,
        data=lambda w: {"remarks": "Bổ sung phần kết luận", "expected_version": 2},
        changes_state=True,
        api=True,
        ok_status=200,
    ),
]
