"""Permission rows of the drafts URLs (loaded by tests/test_permissions.py): writing, approval,
reading, comments and the presenter's responses. world.member presents; the secretary and the deputy
approve; the cell's members comment."""

from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import World
from tests import scenarios
from tests.matrix import SEES_CELL, Route, rule

WRITES_DRAFT = rule(ok=("member", "admin"), forbidden=("secretary", "deputy", "probationary", "officer"))
APPROVES_DRAFT = rule(ok=("secretary", "deputy", "admin"), forbidden=("member", "probationary", "officer"))
COMMENTS_ON_DRAFT = rule(ok=("secretary", "deputy", "member", "probationary"), forbidden=("officer", "admin"))
# Only the presenter and the approvers see versions before approval (two are needed to compare).
SEES_UNAPPROVED = rule(ok=("secretary", "deputy", "member", "admin"))
OWNS_COMMENT = rule(ok=("probationary",), forbidden=("secretary", "deputy", "member", "officer", "admin"))
MANAGES_DRAFT_TRACKING = rule(
    ok=("secretary", "deputy", "admin"), forbidden=("member", "probationary", "officer")
)
# The printed packs: the secretaries print anyone's; a member prints their own (world.probationary's here).
GETS_PACK = rule(ok=("secretary", "deputy", "probationary", "admin"), forbidden=("member", "officer"))
ANSWERS_COMMENTS = rule(ok=("member",), forbidden=("secretary", "deputy", "probationary", "officer", "admin"))


def session_at(stage: str) -> Callable[[World], dict[str, Any]]:
    return lambda world: {"pk": scenarios.session_at(world, stage).pk}


assigned_session = session_at("assigned")
drafting_session = session_at("drafting")
compared_session = session_at("two-versions")
submitted_session = session_at("submitted")
distributed_session = session_at("distributed")
# After the meeting, with a revised (final) version and no comment left unanswered.
revising_session = session_at("revising")


def distributed_file(world: World) -> dict[str, Any]:
    return {**distributed_session(world), "number": 1}


def probationary_pack(world: World) -> dict[str, Any]:
    from organizations.models import Member

    return {**distributed_session(world), "member_pk": Member.objects.get(user=world.probationary).pk}


def paper_comment_data(world: World) -> dict[str, Any]:
    from django.utils import timezone

    from organizations.models import Member

    return {
        "member": Member.objects.get(user=world.probationary).pk,
        "anchor": "",
        "body": "Góp ý ghi trên phiếu.",
        "handed_in_on": timezone.localdate().isoformat(),
    }


def probationary_comment(world: World) -> dict[str, Any]:
    """world.probationary's comment on a distributed draft (made once per test: url and data share it)."""
    from drafts import services as drafts

    if not hasattr(world, "comment_pk"):
        session = scenarios.session_at(world, "distributed")
        comment = drafts.add_comment(actor=world.probationary, session=session, body="Góp ý", anchor="")
        world.comment_pk = comment.pk
    return {"pk": world.comment_pk}


def probationary_comment_pk(world: World) -> int:
    return probationary_comment(world)["pk"]


ROUTES = [
    Route("drafts:workspace", "cell-session", SEES_CELL, kwargs=distributed_session),
    Route("drafts:read", "distributed", SEES_CELL, kwargs=distributed_session),
    Route("drafts:version_file", "distributed-v1", SEES_CELL, kwargs=distributed_file),
    Route("drafts:compare", "two-unapproved", SEES_UNAPPROVED, kwargs=compared_session),
    Route("drafts:write", "assigned", WRITES_DRAFT, kwargs=assigned_session),
    Route(
        "drafts:write",
        "assigned",
        WRITES_DRAFT,
        "POST",
        kwargs=assigned_session,
        data=lambda w: {"text": "Dự thảo viết trực tiếp.", "note": "", "expected_version": 0},
        changes_state=True,
    ),
    Route(
        "drafts:upload",
        "assigned",
        WRITES_DRAFT,
        "POST",
        kwargs=assigned_session,
        data=lambda w: {
            "file": SimpleUploadedFile("du-thao.docx", scenarios.draft_docx()),
            "expected_version": 0,
        },
        changes_state=True,
    ),
    Route(
        "drafts:submit",
        "drafting",
        WRITES_DRAFT,
        "POST",
        kwargs=drafting_session,
        data=lambda w: {"expected_version": 1},
        changes_state=True,
    ),
    Route(
        "drafts:submit_final",
        "revising",
        WRITES_DRAFT,
        "POST",
        kwargs=revising_session,
        data=lambda w: {"expected_version": 2},
        changes_state=True,
    ),
    Route(
        "drafts:approve",
        "submitted",
        APPROVES_DRAFT,
        "POST",
        kwargs=submitted_session,
        data=lambda w: {"expected_version": 1},
        changes_state=True,
    ),
    Route(
        "drafts:return",
        "submitted",
        APPROVES_DRAFT,
        "POST",
        kwargs=submitted_session,
        data=lambda w: {"remarks": "Bổ sung số liệu", "expected_version": 1},
        changes_state=True,
    ),
    Route(
        "drafts:remind",
        "distributed",
        MANAGES_DRAFT_TRACKING,
        "POST",
        kwargs=distributed_session,
        changes_state=True,
    ),
    Route(
        "drafts:comment_add",
        "distributed",
        COMMENTS_ON_DRAFT,
        "POST",
        kwargs=distributed_session,
        data=lambda w: {"body": "Nên bổ sung ví dụ thực tiễn.", "anchor": ""},
        changes_state=True,
    ),
    Route("drafts:responses", "distributed", SEES_CELL, kwargs=distributed_session),
    Route("drafts:paper", "distributed", MANAGES_DRAFT_TRACKING, kwargs=distributed_session),
    Route(
        "drafts:paper",
        "distributed",
        MANAGES_DRAFT_TRACKING,
        "POST",
        kwargs=distributed_session,
        data=paper_comment_data,
        changes_state=True,
    ),
    Route("drafts:pack", "probationary-pack", GETS_PACK, kwargs=probationary_pack),
    # Starts a background job (no state of the draft changes, nothing audited), as the reports' XLSX.
    Route("drafts:pack_cell", "distributed", MANAGES_DRAFT_TRACKING, "POST", kwargs=distributed_session),
    Route(
        "drafts:responses_export",
        "distributed-docx",
        SEES_CELL,
        kwargs=lambda w: {**distributed_session(w), "fmt": "docx"},
    ),
    Route("drafts:comment_edit", "probationary-comment", OWNS_COMMENT, kwargs=probationary_comment),
    Route(
        "drafts:comment_edit",
        "probationary-comment",
        OWNS_COMMENT,
        "POST",
        kwargs=probationary_comment,
        data=lambda w: {"body": "Góp ý đã sửa"},
        changes_state=True,
    ),
    Route(
        "drafts:comment_delete",
        "probationary-comment",
        OWNS_COMMENT,
        "POST",
        kwargs=probationary_comment,
        changes_state=True,
    ),
    Route(
        "drafts:respond",
        "probationary-comment",
        ANSWERS_COMMENTS,
        "POST",
        kwargs=probationary_comment,
        data=lambda w: {f"c{probationary_comment_pk(w)}-decision": "accepted"},
        changes_state=True,
    ),
]
