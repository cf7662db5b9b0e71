"""Read-side helpers of the evaluations for other apps' pages."""

from typing import Any

from evaluations import permissions
from evaluations.models import SessionEvaluation
from planning import lifecycle
from planning.models import Session


def session_page(user: Any, session: Session) -> dict[str, Any]:
    """The evaluations' part of the session page (registered with planning.hooks): the session's
    evaluation, whether the reader sees the presenter's, and the lessons of the cell's earlier sessions
    while this one is being prepared (docs/domain.md §2 step 10)."""
    return {
        "evaluation": SessionEvaluation.objects.filter(session=session).first(),
        "sees_presenter_evaluation": permissions.can(user, "evaluation.presenter", session),
        "lessons": list(
            SessionEvaluation.objects.filter(session__cell=session.cell)
            .exclude(lessons="")
            .exclude(session=session)
            .select_related("session")
            .order_by("-session__planned_date")[:3]
        )
        if not lifecycle.is_finished(session.status)
        else [],
    }
