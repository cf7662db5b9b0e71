"""What the apps above planning add to its pages, without planning importing them.

planning sits below meetings and evaluations (docs/architecture.md), yet its session page shows the
session's meeting, the cycle and what to do next (meetings) and its evaluation and the cell's earlier
lessons (evaluations), and the oversight page lists the resolutions the cells issued (meetings). Each
of those apps registers in its ``AppConfig.ready()`` a function that returns its part of the page's
context, the way the apps register their permission actions with ``core.permissions``.
"""

from collections.abc import Callable
from typing import Any

from planning.models import Session

SessionPart = Callable[[Any, Session], dict[str, Any]]
OversightPart = Callable[[Any, int], dict[str, Any]]

_SESSION_PAGE: list[SessionPart] = []
_OVERSIGHT_PAGE: list[OversightPart] = []


def add_to_session_page(part: SessionPart) -> None:
    """``part(user, session)`` returns context for planning/session_detail.html."""
    if part not in _SESSION_PAGE:
        _SESSION_PAGE.append(part)


def add_to_oversight_page(part: OversightPart) -> None:
    """``part(node, year)`` returns context for planning/oversight.html at the level ``node`` (a Đảng
    bộ); a ``{child path: n}`` under ``"resolutions_by_child"`` fills the rows' resolutions column.
    Its queries must not grow with the number of cells."""
    if part not in _OVERSIGHT_PAGE:
        _OVERSIGHT_PAGE.append(part)


def session_page(user: Any, session: Session) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for part in _SESSION_PAGE:
        context.update(part(user, session))
    return context


def oversight_page(party: Any, year: int) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for part in _OVERSIGHT_PAGE:
        context.update(part(party, year))
    return context
