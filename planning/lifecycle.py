"""The lifecycle of a thematic session, as data, with one owner (docs/domain.md §2).

``TRANSITIONS`` is the whole table: from which states an action may be taken, the state it leads to,
who may take it (an action code decided by the owning app's permissions, through
``core.permissions``), what the audit log says, and the call to action shown to the person who can take
it. ``advance`` is the only code that changes ``Session.status``: the services of planning, drafts,
meetings and evaluations do their own checks and writes, then ask it to move the session. The session
page's progress (``steps``), its next actions (``next_actions``), the work queue and the state diagram in
docs/architecture.md all read the same table; ``tests/test_lifecycle.py`` fails if any other module
assigns a session's status.

Postponing is not a state: it moves the date and keeps the stage (the work done stays valid).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core import workkeys
from core.audit import log_action
from core.errors import InvalidTransition
from core.permissions import can, require
from organizations.permissions import scope_for
from planning import rules
from planning.models import Assignment, Session

S = Session.Status


@dataclass(frozen=True)
class Transition:
    """One arrow of the lifecycle."""

    action: str
    sources: tuple[str, ...]
    target: str
    # Who may take it: an action code of core.permissions, checked on the session — or on the
    # session's meeting where ``on_meeting`` (approving the minutes, issuing the resolution).
    permission: str
    # The audit entry ``advance`` writes on the session; None where the step that causes the move
    # writes its own entry (``logged_as``: a version added, presenters set), so the history does not
    # say it twice.
    audit: str | None
    # The call to action offered to whoever may take it (None: not offered as a next step, e.g.
    # returning a draft is the other outcome of "approve the draft").
    todo: Promise | None = None
    # The page where it is done: a URL name taking the session's (or meeting's) id.
    page: str | None = None
    on_meeting: bool = False
    logged_as: str | None = None
    # The deadline it is due by (a key of planning.rules.deadlines, counted back from the session's
    # date by the rule set), for the work queue; None where no rule sets one.
    due: str | None = None
    anchor: str = ""  # where on the page ("#suggestions")
    # The step it completes, as the work queue and notifications name it (core.workkeys): the arrows
    # that do one piece of work share it (uploading a version and submitting it both "write").
    step: str = ""

    @property
    def step_name(self) -> str:
        return self.step or self.action


# Before the meeting a session may still be cancelled; afterwards it has happened.
BEFORE_MEETING = (S.PLANNED, S.ASSIGNED, S.DRAFTING, S.SUBMITTED, S.RETURNED, S.DISTRIBUTED)

_WRITE = _("Write the draft and submit it")
_REVISE = _("Answer the comments and upload the final text")

TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "assign",
        (S.PLANNED,),
        S.ASSIGNED,
        "session.manage",
        None,
        _("Assign the presenter"),
        "planning:session",
        logged_as="planning.session.presenters_set",
        due="draft",
        anchor="#suggestions",
    ),
    Transition(
        "unassign",
        (S.ASSIGNED,),
        S.PLANNED,
        "session.manage",
        None,
        logged_as="planning.session.presenters_set",
    ),
    Transition(
        "start_drafting",
        (S.PLANNED, S.ASSIGNED),
        S.DRAFTING,
        "draft.write",
        None,
        _WRITE,
        "drafts:workspace",
        logged_as="drafts.version.added",
        due="draft",
        step="write",
    ),
    Transition(
        "submit_draft",
        (S.DRAFTING, S.RETURNED),
        S.SUBMITTED,
        "draft.submit",
        "drafts.draft.submitted",
        _WRITE,
        "drafts:workspace",
        due="draft",
        step="write",
    ),
    Transition("return_draft", (S.SUBMITTED,), S.RETURNED, "draft.return", "drafts.draft.returned"),
    Transition(
        "distribute",
        (S.SUBMITTED,),
        S.DISTRIBUTED,
        "draft.approve",
        "drafts.draft.distributed",
        _("Approve the draft"),
        "drafts:workspace",
        due="approval",
        step="approve_draft",
    ),
    Transition("hold", (S.DISTRIBUTED,), S.HELD, "minutes.approve", "meetings.session.held", on_meeting=True),
    Transition(
        "start_revising",
        (S.HELD,),
        S.REVISING,
        "draft.write",
        None,
        _REVISE,
        "drafts:workspace",
        logged_as="drafts.version.added",
        step="revise",
    ),
    Transition(
        "submit_final",
        (S.REVISING,),
        S.FINAL_SUBMITTED,
        "draft.submit",
        "drafts.final.submitted",
        _REVISE,
        "drafts:workspace",
        step="revise",
    ),
    Transition(
        "approve_final",
        (S.FINAL_SUBMITTED,),
        S.FINAL_APPROVED,
        "draft.approve",
        "drafts.final.approved",
        _("Approve the final text"),
        "drafts:workspace",
    ),
    Transition("return_final", (S.FINAL_SUBMITTED,), S.REVISING, "draft.return", "drafts.final.returned"),
    Transition(
        "issue_resolution",
        (S.FINAL_APPROVED,),
        S.RESOLUTION_ISSUED,
        "resolution.issue",
        "meetings.resolution.issued",
        _("Issue the resolution"),
        "meetings:resolution",
        on_meeting=True,
    ),
    # An evaluation may be revised: evaluating again keeps the session evaluated.
    Transition(
        "evaluate",
        (S.RESOLUTION_ISSUED, S.EVALUATED),
        S.EVALUATED,
        "session.manage",
        "evaluations.session.evaluated",
        _("Evaluate the session"),
        "evaluations:evaluate",
    ),
    Transition("cancel", BEFORE_MEETING, S.CANCELLED, "session.cancel", "planning.session.cancelled"),
)

TRANSITION = {t.action: t for t in TRANSITIONS}


def step_key(session: Session, action: str) -> str:
    """The work key of the step ``action`` belongs to, for a notification asking for it."""
    return workkeys.session_step(session.pk, TRANSITION[action].step_name)


def _sources(*actions: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(state for action in actions for state in TRANSITION[action].sources))


# Still only a line of the plan: its schedule and presenters may change freely.
OPEN: tuple[str, ...] = (S.PLANNED, S.ASSIGNED)
# Held (or beyond) or cancelled: no more postponing or cancelling.
FINISHED: tuple[str, ...] = tuple(state for state in S.values if state not in BEFORE_MEETING)
# The presenter writes versions: before approval, and after the meeting (the "final" text).
WRITING = _sources("start_drafting", "submit_draft", "start_revising", "submit_final")
AFTER_MEETING = _sources("start_revising", "submit_final")

# The steps of the whole cycle as the session page shows them (returned counts as drafting).
CYCLE: tuple[tuple[str, Promise], ...] = (
    (S.PLANNED, _("Planned")),
    (S.ASSIGNED, _("Presenter assigned")),
    (S.DRAFTING, _("Draft being written")),
    (S.SUBMITTED, _("Draft submitted")),
    (S.DISTRIBUTED, _("Draft approved and sent")),
    (S.HELD, _("Meeting held")),
    (S.REVISING, _("Final text revised")),
    (S.FINAL_SUBMITTED, _("Final text submitted")),
    (S.FINAL_APPROVED, _("Final text approved")),
    (S.RESOLUTION_ISSUED, _("Resolution issued")),
    (S.EVALUATED, _("Evaluated")),
)
_ORDER = [str(code) for code, _label in CYCLE]


# --- Reading the table --------------------------------------------------------------------------


def can_take(status: str, action: str) -> bool:
    """Is ``action`` an arrow out of ``status``?"""
    return status in TRANSITION[action].sources


def possible(status: str) -> list[Transition]:
    """Every arrow out of ``status``, in the table's order."""
    return [t for t in TRANSITIONS if status in t.sources]


def states_from(action: str) -> tuple[str, ...]:
    """The states ``action`` may be taken from (for queries: "sessions waiting for …")."""
    return TRANSITION[action].sources


def is_finished(status: str) -> bool:
    return status in FINISHED


# --- Moving a session ---------------------------------------------------------------------------


def advance(
    session: Session,
    action: str,
    *,
    actor: Any,
    on: Any = None,
    data: dict[str, Any] | None = None,
    also: Iterable[str] = (),
) -> str:
    """Take ``action`` on ``session`` and return its new state.

    Called by the service that owns the step, inside its transaction, after its own checks and writes
    (the session row locked by it): checks the arrow exists from the current state and that ``actor``
    may take it (on ``on``, the meeting, for the arrows that belong to it), saves the status (plus the
    fields in ``also`` the caller changed with it) and writes the audit entry with ``data``.
    """
    transition = TRANSITION[action]
    if session.status not in transition.sources:
        raise InvalidTransition(
            _("This step is not possible now: the session is “%(status)s”.")
            % {"status": session.get_status_display()}
        )
    if transition.on_meeting and on is None:
        raise ValueError(f"{action} is checked on the session's meeting: pass on=meeting")
    require(actor, transition.permission, on if transition.on_meeting else session)
    fields = list(also)
    if session.status != transition.target:
        session.status = transition.target
        fields.append("status")
    if fields:
        session.save(update_fields=fields)
    if transition.audit:
        log_action(actor, transition.audit, session, data)
    return session.status


def load_history(sessions: QuerySet[Session], status: str) -> int:
    """Put sessions straight into ``status`` without taking the steps: only for loading history that
    already happened elsewhere (the demo, generated data sets), never for a person's action. Writes no
    audit entry; returns how many rows changed."""
    if status not in S.values:
        raise ValueError(status)
    return sessions.update(status=status)


# --- What the session page shows ------------------------------------------------------------------


@dataclass
class Step:
    label: str
    state: str  # "done", "current" or "todo"


def steps(session: Session) -> list[Step]:
    """The steps of the whole cycle (planned → … → evaluated), marked done, current or to do."""
    status = S.DRAFTING if session.status == S.RETURNED else session.status
    if status == S.CANCELLED:
        return [Step(str(label), "todo") for _code, label in CYCLE]
    index = _ORDER.index(status)
    result = [
        Step(str(label), "done" if position < index else "current" if position == index else "todo")
        for position, (_code, label) in enumerate(CYCLE)
    ]
    if session.status == S.EVALUATED:
        result[-1].state = "done"
    return result


@dataclass
class Progress:
    """The compact form of ``steps``: "Bước 5/11 · Draft approved and sent"."""

    number: int
    total: int
    label: str


def progress(session: Session) -> Progress | None:
    """Which step of the cycle the session is at (None for a cancelled session)."""
    if session.status == S.CANCELLED:
        return None
    all_steps = steps(session)
    current = next((i for i, step in enumerate(all_steps) if step.state == "current"), len(all_steps) - 1)
    return Progress(current + 1, len(all_steps), all_steps[current].label)


@dataclass
class Action:
    label: str
    url: str


def _offered(user: Any, session: Session, meeting: Any) -> Iterator[Action]:
    seen: set[str] = set()
    for transition in possible(session.status):
        # A step back to the same state (evaluating again) is possible, not something left to do.
        if transition.todo is None or transition.page is None or transition.target == session.status:
            continue
        target = meeting if transition.on_meeting else session
        if target is None or not can(user, transition.permission, target):
            continue
        label = str(transition.todo)
        if label not in seen:
            seen.add(label)
            yield Action(label, reverse(transition.page, args=[target.pk]) + transition.anchor)


def next_actions(user: Any, session: Session, meeting: Any = None) -> list[Action]:
    """What the viewer can do next for this session: the arrows of the table they may take now, then
    what goes on around them (reading the draft, the meeting, the issued resolution)."""
    actions = list(_offered(user, session, meeting))
    status = session.status
    if status == S.DISTRIBUTED:
        actions.append(
            Action(str(_("Read the draft and comment")), reverse("drafts:read", args=[session.pk]))
        )
    if meeting is None:
        if not is_finished(status) and can(user, "meeting.create", session.cell):
            actions.append(
                Action(
                    str(_("Plan the meeting")),
                    reverse("meetings:create", args=[session.cell_id]) + f"?session={session.pk}",
                )
            )
        return actions
    if meeting.is_editable and can(user, "meeting.record", meeting):
        # While the meeting is being recorded, that is the thing to do: first.
        actions.insert(
            0, Action(str(_("Continue the meeting record")), reverse("meetings:record", args=[meeting.pk]))
        )
    elif meeting.status == meeting.Status.SCHEDULED and can(user, "meeting.manage", meeting):
        actions.append(Action(str(_("Prepare the meeting")), reverse("meetings:detail", args=[meeting.pk])))
    if status in (S.RESOLUTION_ISSUED, S.EVALUATED):
        actions.append(
            Action(str(_("Read the resolution")), reverse("meetings:resolution", args=[meeting.pk]))
        )
    return actions


# --- What waits for a person (the work queue) -----------------------------------------------------


@dataclass
class Waiting:
    """One arrow of the table that ``user`` can take now on ``session``, with its due date."""

    session: Session
    transition: Transition
    due: date | None
    url: str

    @property
    def key(self) -> str:
        return workkeys.session_step(self.session.pk, self.transition.step_name)


# Who takes each arrow by their own role, for the work queue. These mirror the owning apps' rules
# (drafts.permissions, planning.permissions, meetings.permissions) so that one query finds every session
# waiting for a person; planning/tests/test_work_queue.py checks them against core.permissions.can.
PRESENTER = ("draft.write", "draft.submit")
APPROVER = ("draft.approve", "draft.return")
MANAGER = ("session.manage", "session.cancel", "resolution.issue", "minutes.approve")


def _takes(
    permission: str,
    presenters: set[int],
    session: Session,
    member_id: int | None,
    approving: set[int],
    managed: Any,
) -> bool:
    if permission in PRESENTER:
        return member_id is not None and member_id in presenters
    if permission in APPROVER:  # the cell's approvers, not on their own draft
        return session.cell_id in approving and member_id not in presenters
    if permission in MANAGER:
        return session.cell_id in managed
    return False


def waiting_for(user: Any) -> list[Waiting]:
    """Every step of a session's cycle that waits for ``user``: the arrows of the table offered as a
    call to action, out of each session's state, that the user may take by their own role (presenter,
    approver, secretary) — not an administrator's reach over everything. Three queries whatever the
    number of sessions; postponed dates count, cancelled sessions wait for nothing."""
    scope = scope_for(user)
    offered = [t for t in TRANSITIONS if t.todo is not None and t.page is not None]
    approving = set(scope.approving_cell_ids)
    mine = Q(cell_id__in=approving | set(scope.managed_cell_ids))
    if scope.member_id is not None:
        mine |= Q(presenters__id=scope.member_id)
    states = {state for t in offered for state in t.sources if state != t.target}
    # Last year's and later plans: a session of an older plan left half-way is history, not work.
    sessions = (
        Session.objects.filter(mine, status__in=states, plan__year__gte=timezone.localdate().year - 1)
        .select_related("cell__rule_set", "cell__parent__rule_set", "meeting")
        .distinct()
        .order_by("planned_date", "pk")
    )
    # The presenters of those sessions, in one query that runs even when none waits (a prefetch is
    # skipped for an empty list: a page's query count would then depend on whether work waits).
    presenters: dict[int, set[int]] = {}
    for session_id, member_id in Assignment.objects.filter(
        session_id__in=sessions.order_by().values("pk")
    ).values_list("session_id", "member_id"):
        presenters.setdefault(session_id, set()).add(member_id)
    found: list[Waiting] = []
    params: dict[int, dict[str, Any]] = {}
    for session in sessions:
        for transition in offered:
            if session.status not in transition.sources or session.status == transition.target:
                continue
            if not _takes(
                transition.permission,
                presenters.get(session.pk, set()),
                session,
                scope.member_id,
                approving,
                scope.managed_cell_ids,
            ):
                continue
            target = getattr(session, "meeting", None) if transition.on_meeting else session
            if target is None:
                continue
            due = None
            if transition.due and session.planned_date:
                if session.cell_id not in params:
                    params[session.cell_id] = session.cell.effective_rule_set().params
                due = next(
                    d.due
                    for d in rules.deadlines(session.planned_date, params[session.cell_id])
                    if d.code == transition.due
                )
            url = reverse(transition.page, args=[target.pk]) + transition.anchor
            found.append(Waiting(session, transition, due, url))
    return found


# --- The table in words, for docs/architecture.md --------------------------------------------------


def describe() -> str:
    """The state diagram (Mermaid) and the table in Markdown, as docs/architecture.md shows them;
    ``manage.py lifecycle_diagram --write`` puts it there and planning/tests/test_lifecycle.py keeps it
    in step with ``TRANSITIONS``."""
    lines = ["```mermaid", "stateDiagram-v2", f"    [*] --> {S.PLANNED}"]
    for t in TRANSITIONS:
        for source in t.sources:
            lines.append(f"    {source} --> {t.target}: {t.action}")
    lines += [f"    {S.EVALUATED} --> [*]", f"    {S.CANCELLED} --> [*]", "```", ""]
    lines += [
        "| action | from | to | who may (permission) | audit entry |",
        "|---|---|---|---|---|",
    ]
    for t in TRANSITIONS:
        who = f"`{t.permission}`" + (" on the meeting" if t.on_meeting else "")
        audit = f"`{t.audit}`" if t.audit else f"`{t.logged_as}` (written by the step that moves it)"
        sources = ", ".join(f"`{s}`" for s in t.sources)
        lines.append(f"| `{t.action}` | {sources} | `{t.target}` | {who} | {audit} |")
    return "\n".join(lines) + "\n"
