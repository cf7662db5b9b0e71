"""Permission rows of the evaluations URLs (loaded by tests/test_permissions.py)."""

from typing import Any

from django.utils import timezone

from conftest import World
from tests import scenarios
from tests.matrix import MANAGES_MEETING, SEES_CELL, SEES_PARTY, Route, rule
from tests.scenarios import record

YEAR = timezone.localdate().year
# The cell's secretaries write; the Đảng ủy above reads; members of the cell are refused.
READS_CELL_RECORDS = rule(
    ok=("secretary", "deputy", "officer", "admin"), forbidden=("member", "probationary")
)
# A member's own record: themselves, their cell's secretaries, the Đảng ủy; cell-mates are refused.
READS_MEMBERS_RECORD = rule(
    ok=("secretary", "deputy", "member", "officer", "admin"), forbidden=("probationary",)
)


def issued_session(world: World) -> dict[str, Any]:
    from planning.models import Session

    session = scenarios.session_at(world, "planned")
    Session.objects.filter(pk=session.pk).update(status=Session.Status.RESOLUTION_ISSUED)
    return {"pk": session.pk}


def evaluation_data(world: World) -> dict[str, Any]:
    return {
        "presenter_strengths": "Chuẩn bị kỹ",
        "presenter_weaknesses": "",
        "presenter_rating": "good",
        "result": "Đạt yêu cầu",
        "lessons": "Gửi dự thảo sớm",
    }


def cell_pk(world: World) -> dict[str, Any]:
    return {"cell_pk": world.cell.pk}


def member_pk(world: World) -> dict[str, Any]:
    return {"member_pk": record(world.member).pk}


def proposals(world: World) -> dict[str, Any]:
    return {
        "nam": str(YEAR),
        f"level-{record(world.member).pk}": "good",
        f"points-{record(world.member).pk}": "80",
    }


def complete_review(world: World) -> dict[str, Any]:
    from evaluations import review

    review.save_review(
        actor=None,
        cell=world.cell,
        year=YEAR,
        proposals=[review.ProposalInput(m.pk, "good", 80, "") for m in review.roster(world.cell, YEAR)],
    )
    return cell_pk(world)


ROUTES = [
    Route("evaluations:evaluate", "issued", MANAGES_MEETING, kwargs=issued_session),
    Route(
        "evaluations:evaluate",
        "issued",
        MANAGES_MEETING,
        "POST",
        kwargs=issued_session,
        data=evaluation_data,
        changes_state=True,
    ),
    Route("evaluations:lessons", "cell", SEES_CELL, kwargs=cell_pk),
    # the year-end archive of a whole Đảng bộ: its officers; sending the form starts the job
    Route("evaluations:party_archive", "party", SEES_PARTY, kwargs=lambda w: {"party_pk": w.party.pk}),
    Route(
        "evaluations:party_archive",
        "party",
        SEES_PARTY,
        "POST",
        kwargs=lambda w: {"party_pk": w.party.pk},
        data=lambda w: {"nam": "2026"},
    ),
    Route("evaluations:cell_records", "cell", READS_CELL_RECORDS, kwargs=cell_pk),
    Route("evaluations:cell_records_xlsx", "cell", READS_CELL_RECORDS, kwargs=cell_pk),
    Route("evaluations:review", "cell", READS_CELL_RECORDS, kwargs=cell_pk),
    Route(
        "evaluations:review",
        "cell",
        {**MANAGES_MEETING, "officer": 403},
        "POST",
        kwargs=cell_pk,
        data=proposals,
        changes_state=True,
    ),
    Route(
        "evaluations:review_issue",
        "complete",
        MANAGES_MEETING,
        "POST",
        kwargs=complete_review,
        data=lambda w: {"nam": str(YEAR)},
        changes_state=True,
    ),
    Route(
        "evaluations:review_file",
        "draft-docx",
        MANAGES_MEETING,
        kwargs=lambda w: {**cell_pk(w), "fmt": "docx"},
    ),
    Route("evaluations:record", "member", READS_MEMBERS_RECORD, kwargs=member_pk),
    Route(
        "evaluations:record_file",
        "member-docx",
        READS_MEMBERS_RECORD,
        kwargs=lambda w: {**member_pk(w), "fmt": "docx"},
    ),
]
