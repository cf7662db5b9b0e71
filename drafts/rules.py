"""The rules of a draft's circulation that both the models and the services read."""

from datetime import date, timedelta

from planning.models import Session


def comments_due(session: Session) -> date | None:
    """The comment deadline: counted back from the session's (possibly postponed) date by the rule set."""
    if session.planned_date is None:
        return None
    days = session.cell.effective_rule_set().param("comments_due_days_before")
    return session.planned_date - timedelta(days=days)
