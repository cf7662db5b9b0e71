"""Evaluating a session and its presenter."""

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError, InvalidTransition
from core.permissions import require
from evaluations.models import SessionEvaluation
from notifications.kinds import Kind
from notifications.services import notify_members, site_text
from planning import lifecycle
from planning.models import Session

# Evaluated after the resolution is issued (docs/domain.md §2 steps 9–10); an evaluation may be revised.
EVALUABLE = lifecycle.states_from("evaluate")


def evaluate_session(
    *,
    actor: Any,
    session: Session,
    presenter_strengths: str,
    presenter_weaknesses: str,
    presenter_rating: str,
    result: str,
    lessons: str,
) -> SessionEvaluation:
    """Record (or revise) the secretary's evaluation; the session becomes ``evaluated`` and the
    presenters are told."""
    require(actor, "session.manage", session)
    errors = []
    if not presenter_strengths.strip():
        errors.append(str(_("Write the presenter's strengths.")))
    if presenter_rating not in SessionEvaluation.Rating.values:
        errors.append(str(_("Choose the presenter's overall rating.")))
    if not result.strip():
        errors.append(str(_("Write the result of the session.")))
    if errors:
        raise DomainError(" ".join(errors))
    with transaction.atomic():
        session = Session.objects.select_for_update(of=("self",)).get(pk=session.pk)
        if session.status not in EVALUABLE:
            raise InvalidTransition(_("A session is evaluated after its resolution is issued."))
        evaluation, created = SessionEvaluation.objects.update_or_create(
            session=session,
            defaults={
                "presenter_strengths": presenter_strengths.strip(),
                "presenter_weaknesses": presenter_weaknesses.strip(),
                "presenter_rating": presenter_rating,
                "result": result.strip(),
                "lessons": lessons.strip(),
                "evaluated_by": actor if getattr(actor, "pk", None) else None,
                "evaluated_at": timezone.now(),
            },
        )
        lifecycle.advance(session, "evaluate", actor=actor)
        if created:
            notify_members(
                kind=Kind.EVALUATION,
                members=session.presenters.all(),
                title=site_text(_("Your session was evaluated: %(title)s"), {"title": session.title}),
                body=site_text(
                    _("The secretary's evaluation of your presentation is on the session's page.")
                ),
                url=reverse("planning:session", args=[session.pk]),
            )
    return evaluation
