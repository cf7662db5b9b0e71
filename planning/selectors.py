"""Reading plans and sessions for pages, in a fixed number of queries whatever the data size."""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from organizations.models import Exemption, Member, Membership, Organization
from organizations.permissions import active_q, scope_for
from planning import lifecycle, rules
from planning.models import AnnualPlan, Assignment, Registration, Session


def plan_sessions(plan: AnnualPlan) -> list[Session]:
    """The plan's sessions with topic and presenters (two queries)."""
    return list(
        plan.sessions.select_related("topic__group").prefetch_related(
            Prefetch("presenters", queryset=Member.objects.order_by("full_name"))
        )
    )


def _roster(cell: Organization, on: date) -> list[Membership]:
    return list(
        Membership.objects.filter(active_q(on=on), organization=cell, kind=Membership.Kind.REGULAR)
        .select_related("member")
        .prefetch_related(
            Prefetch("member__exemptions", queryset=Exemption.objects.all(), to_attr="all_exemptions")
        )
    )


def _exemptions(member: Any) -> list[Exemption]:
    """The exemptions prefetched by ``_roster``."""
    return member.all_exemptions


def _exempt(member: Any, on: date) -> bool:
    return any(e.start_date <= on and (e.end_date is None or on <= e.end_date) for e in _exemptions(member))


def warnings_for(plan: AnnualPlan, sessions: list[Session]) -> list[rules.PlanWarning]:
    """The live checks of docs/domain.md §2/§3 on a plan (two more queries)."""
    today = timezone.localdate()
    roster = _roster(plan.cell, today)
    params = plan.cell.effective_rule_set().params
    eligible = {m.member_id: m.member.full_name for m in roster if not _exempt(m.member, today)}
    exempted = {m.member_id: [(e.start_date, e.end_date) for e in _exemptions(m.member)] for m in roster}
    planned = [
        rules.PlannedSession(
            session_id=s.pk,
            title=s.title,
            quarter=s.quarter,
            planned_date=s.planned_date,
            presenter_ids=tuple(p.pk for p in s.presenters.all()),
            cancelled=s.status == Session.Status.CANCELLED,
        )
        for s in sessions
    ]
    return rules.plan_warnings(planned, eligible, exempted, params, today)


def revision_changes(plan: AnnualPlan, sessions: list[Session]) -> dict[str, list[str]] | None:
    """What changed since the acknowledged version, when the plan is a later revision."""
    snapshot = plan.acknowledged_snapshot
    if not snapshot or snapshot.get("revision") == plan.revision:
        return None
    before = {row["id"]: row for row in snapshot["sessions"]}
    now = {s.pk: s for s in sessions}
    added = [s.title for pk, s in now.items() if pk not in before]
    removed = [row["title"] for pk, row in before.items() if pk not in now]
    changed = []
    for pk, s in now.items():
        row = before.get(pk)
        if row is None:
            continue
        new = (
            s.title,
            s.quarter,
            s.month,
            s.planned_date.isoformat() if s.planned_date else None,
            s.status == Session.Status.CANCELLED,
        )
        old = (row["title"], row["quarter"], row["month"], row["planned_date"], row["cancelled"])
        if new != old:
            changed.append(s.title)
    return {"added": added, "removed": removed, "changed": changed, "since": [str(snapshot["revision"])]}


@dataclass
class SessionInfo:
    session: Session
    deadlines: list[rules.Deadline]


def presenter_load(cell: Organization, year: int) -> tuple[Counter[int], Counter[int]]:
    """How many sessions each member presents this year and last year (one query)."""
    rows = (
        Assignment.objects.filter(session__cell=cell, session__plan__year__in=(year, year - 1))
        .exclude(session__status=Session.Status.CANCELLED)
        .values("member_id", "session__plan__year")
        .annotate(n=Count("id"))
    )
    this_year: Counter[int] = Counter()
    last_year: Counter[int] = Counter()
    for row in rows:
        (this_year if row["session__plan__year"] == year else last_year)[row["member_id"]] += row["n"]
    return this_year, last_year


def suggestions_for(session: Session) -> list[rules.Suggestion]:
    """Ranked presenters for a session, with reasons (four queries)."""
    on = session.planned_date or timezone.localdate()
    roster = _roster(session.cell, on)
    this_year, last_year = presenter_load(session.cell, session.plan.year)
    registered = set(
        Registration.objects.filter(status=Registration.Status.PENDING)
        .filter(Q(session=session) | Q(topic_id=session.topic_id, topic__isnull=False, cell=session.cell))
        .values_list("member_id", flat=True)
    )
    assigned = set(session.presenters.values_list("id", flat=True))
    topic = session.topic
    topic_text = " ".join(
        part
        for part in (
            session.title,
            topic.title if topic else "",
            topic.description if topic else "",
            topic.group.name if topic else "",
            topic.group.keywords if topic else "",
        )
        if part
    )
    candidates = [
        rules.Candidate(
            member_id=m.member_id,
            name=m.member.full_name,
            strengths=m.member.strengths,
            probationary=m.member.status == Member.Status.PROBATIONARY,
            exempted=_exempt(m.member, on),
            this_year=this_year[m.member_id],
            last_year=last_year[m.member_id],
            registered=m.member_id in registered,
            already_assigned=m.member_id in assigned,
        )
        for m in roster
    ]
    return rules.suggest_presenters(topic_text, candidates)


def my_sessions(user: Any, today: date | None = None) -> list[SessionInfo]:
    """Sessions the user presents that are not finished, with their deadlines (home page)."""
    scope = scope_for(user)
    if scope.member_id is None:
        return []
    today = today or timezone.localdate()
    sessions = (
        Session.objects.filter(presenters__id=scope.member_id)
        .exclude(status__in=lifecycle.FINISHED)
        .filter(Q(planned_date__isnull=True) | Q(planned_date__gte=today))
        .select_related("cell__parent__rule_set", "cell__rule_set", "plan")
        .order_by("planned_date")
    )
    params: dict[int, dict[str, Any]] = {}  # one rule-set lookup per cell, not per session
    result = []
    for s in sessions:
        if s.cell_id not in params:
            params[s.cell_id] = s.cell.effective_rule_set().params
        result.append(SessionInfo(s, rules.deadlines(s.planned_date, params[s.cell_id])))
    return result


def upcoming_cell_sessions(user: Any, today: date | None = None, limit: int = 5) -> list[Session]:
    """The next sessions of the user's cells (home page)."""
    scope = scope_for(user)
    today = today or timezone.localdate()
    return list(
        Session.objects.filter(cell_id__in=scope.cell_ids, planned_date__gte=today)
        .exclude(status=Session.Status.CANCELLED)
        .select_related("cell")
        .prefetch_related("presenters")
        .order_by("planned_date")[:limit]
    )


def pending_registrations(user: Any) -> list[Registration]:
    """Registrations waiting for a decision in the cells the user manages (home page)."""
    scope = scope_for(user)
    return list(
        Registration.objects.filter(status=Registration.Status.PENDING, cell_id__in=scope.managed_cell_ids)
        .select_related("member", "session", "topic", "cell")
        .order_by("created_at")
    )


@dataclass
class OversightRow:
    cell: Organization
    plan: AnnualPlan | None
    per_quarter: list[int]
    late: bool


def oversight(party: Organization, year: int, user: Any) -> list[OversightRow]:
    """Every cell under ``party`` with its plan for ``year`` and sessions per quarter (two queries)."""
    from organizations.permissions import visible_organizations
    from planning.models import Orientation

    cells = list(
        visible_organizations(user)
        .filter(path__startswith=party.path, kind=Organization.Kind.CELL)
        .order_by("name")
    )
    plans = {
        p.cell_id: p
        for p in AnnualPlan.objects.filter(cell__in=cells, year=year).annotate(
            q1=Count("sessions", filter=Q(sessions__quarter=1) & ~Q(sessions__status="cancelled")),
            q2=Count("sessions", filter=Q(sessions__quarter=2) & ~Q(sessions__status="cancelled")),
            q3=Count("sessions", filter=Q(sessions__quarter=3) & ~Q(sessions__status="cancelled")),
            q4=Count("sessions", filter=Q(sessions__quarter=4) & ~Q(sessions__status="cancelled")),
        )
    }
    orientation = Orientation.objects.filter(organization=party, year=year).first()
    due = orientation.plans_due if orientation else None
    today = timezone.localdate()
    rows = []
    for cell in cells:
        plan: Any = plans.get(cell.pk)
        per_quarter = [plan.q1, plan.q2, plan.q3, plan.q4] if plan else [0, 0, 0, 0]
        first = plan.first_submitted_at if plan else None
        late = due is not None and (
            (first is None and today > due) or (first is not None and timezone.localtime(first).date() > due)
        )
        rows.append(OversightRow(cell, plan, per_quarter, bool(late)))
    return rows


def plans_to_acknowledge(user: Any) -> list[AnnualPlan]:
    """Submitted plans of the cells under the Đảng bộ the user serves as officer (home page)."""
    scope = scope_for(user)
    if not scope.officer_paths:
        return []
    query = Q(pk__in=[])
    for prefix in scope.officer_paths:
        query |= Q(cell__path__startswith=prefix)
    return list(
        AnnualPlan.objects.filter(query, status=AnnualPlan.Status.SUBMITTED)
        .exclude(cell__path__in=scope.officer_paths)
        .select_related("cell")
        .order_by("submitted_at")
    )
