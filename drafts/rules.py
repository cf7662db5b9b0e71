"""The rules of a draft's circulation that both the models and the services read."""

from datetime import date, timedelta
from typing import Any

from planning.models import Session


def comments_due(session: Session, params: dict[str, Any] | None = None) -> date | None:
    """The comment deadline: counted back from the session's (possibly postponed) date by the rule set
    (``params``: the cell's rule-set parameters when the caller has them already)."""
    if session.planned_date is None:
        return None
    if params is None:
        params = session.cell.effective_rule_set().params
    return session.planned_date - timedelta(days=params["comments_due_days_before"])
