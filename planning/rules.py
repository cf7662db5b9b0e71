"""The planning rules: deadlines, live plan checks and presenter suggestions.

Pure functions over data the caller loads (no queries here), so each rule is tested on constructed
cases, and a page computes them with a fixed number of queries. Every number comes from the
organisation's rule set.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.text import words

# Function words: a pair containing one says nothing about the subject ("của Đảng", "về học").
_STOP = {"va", "cua", "cac", "cho", "trong", "ve", "voi", "la", "nhung", "mot", "tai", "de", "theo"}
# Pairs every text of this domain contains ("chi bộ", "Đảng bộ", "công tác").
_GENERIC = {
    ("chi", "bo"),
    ("dang", "bo"),
    ("dang", "vien"),
    ("dang", "uy"),
    ("cong", "tac"),
    ("nha", "truong"),
}
_SPLIT = re.compile(r"[;,.\n]+")


@dataclass(frozen=True)
class Deadline:
    code: str
    label: str
    due: date


def deadlines(planned_date: date | None, params: dict[str, Any]) -> list[Deadline]:
    """Deadlines counted back from the session date (draft, approval, distribution, comments)."""
    if planned_date is None:
        return []
    return [
        Deadline("draft", _("Draft due"), planned_date - timedelta(days=params["draft_due_days_before"])),
        Deadline(
            "approval", _("Approval due"), planned_date - timedelta(days=params["approval_due_days_before"])
        ),
        Deadline(
            "distribution",
            _("Send to members by"),
            planned_date - timedelta(days=params["distribution_min_days_before"]),
        ),
        Deadline(
            "comments", _("Comments due"), planned_date - timedelta(days=params["comments_due_days_before"])
        ),
    ]


# --- Matching strengths to topics -----------------------------------------------------------------


def _bigrams(text: str) -> set[tuple[str, str]]:
    tokens = words(text)
    return {
        (a, b) for a, b in pairwise(tokens) if a not in _STOP and b not in _STOP and (a, b) not in _GENERIC
    }


def matching_strengths(strengths: str, topic_text: str) -> list[str]:
    """The phrases of a member's strengths that share a meaningful word pair with the topic."""
    topic_pairs = _bigrams(topic_text)
    matched = []
    for phrase in _SPLIT.split(strengths):
        phrase = phrase.strip()
        if phrase and _bigrams(phrase) & topic_pairs:
            matched.append(phrase)
    return matched


# --- Suggested presenters -------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """What the ranking knows of one member of the cell."""

    member_id: int
    name: str
    strengths: str
    probationary: bool
    exempted: bool
    this_year: int
    last_year: int
    registered: bool = False
    already_assigned: bool = False


@dataclass
class Suggestion:
    member_id: int
    name: str
    score: int
    reasons: list[str] = field(default_factory=list)


def suggest_presenters(topic_text: str, candidates: list[Candidate]) -> list[Suggestion]:
    """Rank the cell's members for a session, each with the reasons in words.

    Strength matches and a registration raise a member; sessions already presented this year (and,
    less, last year) lower them, so the work is shared. Exempted members and those already assigned
    are not suggested; probationary members may present (Điều lệ art. 5)."""
    ranked: list[tuple[int, int, str, Suggestion]] = []
    for c in candidates:
        if c.exempted or c.already_assigned:
            continue
        score = 0
        reasons: list[str] = []
        matched = matching_strengths(c.strengths, topic_text)[:3]
        if matched:
            score += 3 * len(matched)
            reasons.append(_("Strengths match the topic: %(strengths)s") % {"strengths": "; ".join(matched)})
        if c.registered:
            score += 4
            reasons.append(_("Registered for this session or topic"))
        score -= 2 * c.this_year + c.last_year
        if c.this_year:
            reasons.append(
                ngettext(
                    "Already presents %(count)d session this year",
                    "Already presents %(count)d sessions this year",
                    c.this_year,
                )
                % {"count": c.this_year}
            )
        else:
            reasons.append(_("Presents no session this year yet"))
        if c.last_year:
            reasons.append(
                ngettext(
                    "Presented %(count)d session last year",
                    "Presented %(count)d sessions last year",
                    c.last_year,
                )
                % {"count": c.last_year}
            )
        if c.probationary:
            reasons.append(_("Probationary member (may present)"))
        ranked.append(
            (-score, c.this_year + c.last_year, c.name, Suggestion(c.member_id, c.name, score, reasons))
        )
    ranked.sort(key=lambda row: (row[0], row[1], row[2].split()[-1] if row[2] else "", row[2]))
    return [row[3] for row in ranked]


# --- Live checks of a plan ------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedSession:
    session_id: int
    title: str
    quarter: int
    planned_date: date | None
    presenter_ids: tuple[int, ...]
    cancelled: bool = False


@dataclass(frozen=True)
class PlanWarning:
    code: str
    message: str


def plan_warnings(
    sessions: list[PlannedSession],
    eligible_members: dict[int, str],
    exempted_on: dict[int, list[tuple[date, date | None]]],
    params: dict[str, Any],
    today: date,
) -> list[PlanWarning]:
    """Warnings a secretary (and the Đảng ủy) see on a plan; never a block.

    ``eligible_members`` maps the ids of regular, non-exempted members to their names;
    ``exempted_on`` maps member ids to their exemption periods."""
    warnings: list[PlanWarning] = []
    live = [s for s in sessions if not s.cancelled]

    minimum = params["min_thematic_sessions_per_quarter"]
    per_quarter = Counter(s.quarter for s in live)
    for quarter in (1, 2, 3, 4):
        if per_quarter[quarter] < minimum:
            warnings.append(
                PlanWarning(
                    "quarter_without_session",
                    _(
                        "Quarter %(quarter)s has no thematic session "
                        "(at least %(minimum)s per quarter, HD 12/HD 42)."
                    )
                    % {"quarter": quarter, "minimum": minimum},
                )
            )

    load = Counter(member_id for s in live for member_id in s.presenter_ids)
    busy = sorted(name for member_id, name in eligible_members.items() if load[member_id] >= 2)
    idle = sorted(name for member_id, name in eligible_members.items() if load[member_id] == 0)
    if busy and idle:
        warnings.append(
            PlanWarning(
                "unbalanced_presenters",
                _("%(busy)s present twice or more while %(idle)s present nothing this year.")
                % {"busy": ", ".join(busy), "idle": ", ".join(idle)},
            )
        )

    gap = params["min_days_between_sessions"]
    dated = sorted((s for s in live if s.planned_date), key=lambda s: s.planned_date or today)
    for first, second in pairwise(dated):
        assert first.planned_date and second.planned_date
        days = (second.planned_date - first.planned_date).days
        if days < gap:
            warnings.append(
                PlanWarning(
                    "sessions_too_close",
                    _("“%(first)s” and “%(second)s” are only %(days)s days apart (at least %(gap)s advised).")
                    % {"first": first.title, "second": second.title, "days": days, "gap": gap},
                )
            )

    for s in live:
        on = s.planned_date or today
        for member_id in s.presenter_ids:
            for start, end in exempted_on.get(member_id, []):
                if start <= on and (end is None or on <= end):
                    warnings.append(
                        PlanWarning(
                            "exempted_presenter",
                            _(
                                "The presenter of “%(title)s” is exempted from Party work "
                                "and meetings on that date."
                            )
                            % {"title": s.title},
                        )
                    )
    return warnings
