"""What waits for a person: the work queue "Cần đồng chí xử lý" on every home page, and its count in
the menu.

One list, gathered from the owners of each kind of step: the session's cycle from the lifecycle table
(planning.lifecycle.waiting_for: assign a presenter, write and submit the draft, approve it, answer the
comments and submit the final text, approve it, issue the resolution, evaluate), and around it the
drafts to comment on before their deadline, the meeting to check in at while it is on, the meeting
records to finish, the registrations to decide,
the plans, reports and model sessions to acknowledge or approve, and the tasks to mark done. Each item
has a stable key (core.workkeys; the notifications that ask for the same step carry it, and the
notification list and the bell ask :func:`open_keys` whether it still waits), its due date when a rule
sets one, and the one address where it is done.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import versions, workkeys
from drafts import selectors as draft_selectors
from drafts.rules import comments_due
from library import selectors as library_selectors
from meetings import selectors as meeting_selectors
from notifications.services import EVERYONE as BELL_EVERYONE
from organizations.permissions import STRUCTURE, scope_for
from planning import lifecycle
from planning import selectors as plan_selectors
from reports import selectors as report_selectors


@dataclass(frozen=True)
class WorkItem:
    key: str  # "session:12:distribute", "plan:3:acknowledge", …
    action: str  # what to do, in words
    subject: str  # on what
    where: str  # whose (the cell)
    due: date | None
    url: str


def _gather(user: Any) -> list[WorkItem]:
    items = [
        WorkItem(w.key, str(w.transition.todo), w.session.title, w.session.cell.name, w.due, w.url)
        for w in lifecycle.waiting_for(user)
    ]
    params: dict[int, dict[str, Any]] = {}  # one rule-set lookup per cell, not per draft
    for row in draft_selectors.drafts_to_read(user):
        session = row.distribution.session
        if session.cell_id not in params:
            params[session.cell_id] = session.cell.effective_rule_set().params
        items.append(
            WorkItem(
                workkeys.comment(session.pk),
                _("Read the draft and comment"),
                session.title,
                session.cell.name,
                comments_due(session, params[session.cell_id]),
                reverse("drafts:read", args=[session.pk]),
            )
        )
    for session in meeting_selectors.sessions_to_meet(user):
        items.append(
            WorkItem(
                workkeys.session_step(session.pk, "meeting"),
                _("Plan the meeting and issue its notice"),
                session.title,
                session.cell.name,
                session.planned_date,
                reverse("meetings:create", args=[session.cell_id]) + f"?session={session.pk}",
            )
        )
    for meeting in meeting_selectors.notices_to_issue(user):
        items.append(
            WorkItem(
                workkeys.meeting_notice(meeting.pk),
                _("Issue the meeting notice"),
                meeting.session.title if meeting.session else str(meeting.get_kind_display()),
                meeting.cell.name,
                meeting.date,
                reverse("meetings:detail", args=[meeting.pk]),
            )
        )
    for meeting in meeting_selectors.meetings_to_check_in(user):
        items.append(
            WorkItem(
                workkeys.meeting_check_in(meeting.pk),
                _("The meeting has begun: check in"),
                meeting.session.title if meeting.session else str(meeting.get_kind_display()),
                meeting.cell.name,
                meeting.date,
                reverse("room:checkin", args=[meeting.pk]),
            )
        )
    for meeting in meeting_selectors.records_to_finish(user):
        started = meeting.status != meeting.Status.SCHEDULED
        items.append(
            WorkItem(
                workkeys.meeting_record(meeting.pk),
                _("Finish the meeting record") if started else _("Start the meeting record"),
                meeting.session.title if meeting.session else str(meeting.get_kind_display()),
                meeting.cell.name,
                meeting.date,
                reverse("meetings:record" if started else "meetings:detail", args=[meeting.pk]),
            )
        )
    for registration in plan_selectors.pending_registrations(user):
        items.append(
            WorkItem(
                workkeys.registration(registration.pk),
                _("Decide on a registration to present"),
                f"{registration.member.full_name}: {registration.session or registration.topic}",
                registration.cell.name,
                None,
                reverse("planning:registration_accept", args=[registration.pk]),
            )
        )
    for plan in plan_selectors.plans_to_acknowledge(user):
        items.append(
            WorkItem(
                workkeys.plan(plan.pk),
                _("Acknowledge the annual plan"),
                str(plan.year),
                plan.cell.name,
                None,
                reverse("planning:plan", args=[plan.pk]),
            )
        )
    for report in report_selectors.reports_to_acknowledge(user):
        items.append(
            WorkItem(
                workkeys.report(report.pk),
                _("Acknowledge the report"),
                str(report),
                report.cell.name,
                None,
                reverse("reports:detail", args=[report.pk]),
            )
        )
    for model in library_selectors.to_approve(user):
        items.append(
            WorkItem(
                workkeys.model_session(model.pk),
                _("Approve the model session"),
                model.session.title if model.session else str(model),
                model.cell.name,
                None,
                reverse("library:detail", args=[model.pk]),
            )
        )
    for task in meeting_selectors.my_tasks(user):
        meeting = task.resolution.meeting
        items.append(
            WorkItem(
                workkeys.task(task.pk),
                _("Mark the task done"),
                task.description,
                task.resolution.document.symbol if task.resolution.document else "",
                task.deadline,
                reverse("meetings:resolution", args=[meeting.pk]) + "#tasks",
            )
        )
    # Overdue and soonest first; what no rule dates comes last, in the order found.
    return sorted(items, key=lambda item: (item.due is None, item.due or date.max))


# Besides the changes that replace its version tokens (home.invalidation), the queue changes with the
# clock: a meeting that has begun asks for its record to be started. A cached queue is kept this long.
CACHE_SECONDS = 60


def queue_names(user: Any) -> list[str] | None:
    """The version tokens of everything the user's queue is read from: the cells the user belongs to
    or leads, the organisations they oversee, themself as a member and as a user, the organisations at
    large. None for an administrator, whose reach names no cells (not cached)."""
    scope = scope_for(user)
    if scope.is_admin:
        return None
    names = [STRUCTURE, f"user:{user.pk}"]
    if scope.member_id is not None:
        names.append(f"member:{scope.member_id}")
    names += [f"cell:{pk}" for pk in scope.cell_ids | scope.managed_cell_ids | scope.approving_cell_ids]
    names += [f"path:{path}" for path in scope.officer_paths]
    return names


def frame_names(request: Any) -> list[str] | None:
    """The tokens of the frame of every page (the menu's count, the bell), for core.pages."""
    names = queue_names(request.user)
    if names is None:
        return None
    return [*names, f"bell:{request.user.pk}", BELL_EVERYONE]


def cache_key(user: Any) -> str | None:
    """Where the user's queue is cached: it holds the version tokens of everything the queue is read
    from (the cells the user belongs to or leads, the organisations they oversee, themself as a member
    and as a user, the organisations at large), the day and the language its texts are in.
    None when the frame is not cached across requests (settings.FRAME_CACHE)."""
    names = queue_names(user)
    if names is None:
        return None
    version = versions.current(names)
    if version is None:
        return None
    return f"work:{user.pk}:{timezone.localdate().isoformat()}:{translation.get_language()}:{version}"


def work_for(user: Any, request: Any = None) -> list[WorkItem]:
    """The user's work queue, gathered once per request (the menu's count and the home page share it)
    and kept in the shared cache until something it is read from changes (home.invalidation)."""
    if not getattr(user, "is_authenticated", False):
        return []
    if request is not None:
        cached = getattr(request, "_work_items", None)
        if cached is not None:
            return cached
    key = cache_key(user)
    items = cache.get(key) if key else None
    if items is None:
        items = _gather(user)
        if key:
            cache.set(key, items, CACHE_SECONDS)
    if request is not None:
        request._work_items = items
    return items


def open_keys(user: Any, request: Any = None) -> set[str]:
    """The keys of the steps still waiting for the user (notifications.services.set_open_work)."""
    return {item.key for item in work_for(user, request)}
