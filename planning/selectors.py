"""Reading plans and sessions for pages, in a fixed number of queries whatever the data size."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Lower
from django.utils import timezone

from organizations.models import Exemption, Member, Membership, Organization
from organizations.permissions import active_q, scope_for
from planning import lifecycle, rules
from planning.models import AnnualPlan, Assignment, Registration, Session, Topic, TopicGroup


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


# --- What the planning pages and the API both ask ----------------------------------------------


def party_of(cell: Organization) -> Organization | None:
    """The nearest Đảng bộ above a cell (whose catalogue the cell uses)."""
    node = cell.parent
    while node is not None and node.kind != Organization.Kind.PARTY_COMMITTEE:
        node = node.parent
    return node


def topics_for(cell: Organization) -> QuerySet[Topic]:
    """The topics a cell's session may take: its own and its Đảng bộ's catalogue."""
    party = party_of(cell)
    ids = [cell.pk] + ([party.pk] if party else [])
    return Topic.objects.filter(organization_id__in=ids)


def acting_member(user: Any) -> Member | None:
    """The Party member record of the signed-in user, if they have one."""
    scope = scope_for(user)
    return None if scope.member_id is None else Member.objects.get(pk=scope.member_id)


def registering_cell(member: Member) -> Organization | None:
    """The cell a member registers for a catalogue topic in: their own (regular) cell today."""
    membership = (
        member.memberships.filter(active_q(), kind=Membership.Kind.REGULAR)
        .select_related("organization")
        .first()
    )
    return membership.organization if membership is not None else None


def topic_proposer(user: Any, cell: Organization) -> Member | None:
    """Who a topic proposed for ``cell`` is from: the cell (its secretaries, an administrator) or a member."""
    scope = scope_for(user)
    return None if scope.is_admin or cell.pk in scope.managed_cell_ids else acting_member(user)


def proposable_groups(cell: Organization) -> QuerySet[TopicGroup]:
    """The topic groups a topic proposed by a cell may go in: its Đảng bộ's groups in use."""
    party = party_of(cell)
    return (
        TopicGroup.objects.filter(organization=party, is_active=True) if party else TopicGroup.objects.none()
    )


def presenter_choices(cell: Organization) -> QuerySet[Member]:
    """The members a session's presenters are chosen from (the service checks each is in the cell then)."""
    return Member.objects.filter(memberships__organization=cell).distinct()


def sessions_to_accept_into(cell: Organization) -> QuerySet[Session]:
    """The open sessions of this year's and later plans a registration for a topic may be accepted into."""
    return Session.objects.filter(
        cell=cell, status__in=lifecycle.OPEN, plan__year__gte=timezone.localdate().year
    )


def session_registrations(user: Any, session: Session, *, manages: bool) -> list[Registration]:
    """The registrations the session page lists: all of them for whoever manages the session, the
    reader's own otherwise; newest first."""
    registrations = list(session.registrations.select_related("member").order_by("-created_at"))
    if manages:
        return registrations
    member_id = scope_for(user).member_id
    return [r for r in registrations if r.member_id == member_id]


# --- Oversight: the Đảng ủy's view of its cells' plans, one level at a time --------------------
#
# Every figure is an SQL aggregate over the cells of a subtree (organizations.rollup groups them by
# the child of the level shown), so the page costs the same queries and the same HTML for a school's
# six cells as for a province's 3,000: only the rows of one level (or one page of cells) reach Python.

NEEDS = ("chua-nop", "tre", "thieu")  # plan not submitted · plan late · below the minimum this quarter


@dataclass(frozen=True)
class OversightTerms:
    """What the figures of one year are measured against: the Đảng bộ's orientation (its ``plans_due``)
    and rule set (the minimum of thematic sessions per quarter), and the quarter that is "this quarter"
    (the current one for this year, the last for a past year, the first for a coming year)."""

    year: int
    today: date
    due: date | None
    minimum: int
    quarter: int
    orientation: Any = None

    @property
    def late_q(self) -> Q:
        """Cells (annotated by :func:`cell_figures`) whose plan came after the due date, or not yet
        though the date has passed."""
        if self.due is None:
            return Q(pk__in=[])
        limit = timezone.make_aware(datetime.combine(self.due + timedelta(days=1), time.min))
        late = Q(first_submitted__gte=limit)
        if self.today > self.due:
            late |= Q(first_submitted__isnull=True)
        return late

    @property
    def late_sent_q(self) -> Q:
        """Plans first sent after the due date."""
        if self.due is None:
            return Q(pk__in=[])
        return Q(
            first_submitted_at__gte=timezone.make_aware(
                datetime.combine(self.due + timedelta(days=1), time.min)
            )
        )

    @property
    def below_q(self) -> Q:
        return Q(**{f"q{self.quarter}__lt": self.minimum})

    def need_q(self, need: str) -> Q:
        return {
            "chua-nop": Q(first_submitted__isnull=True),
            "tre": self.late_q,
            "thieu": self.below_q,
        }[need]


def oversight_terms(party: Organization, year: int) -> OversightTerms:
    """The terms of ``party``'s oversight page for ``year`` (two queries: orientation, rule set)."""
    from planning.models import Orientation

    today = timezone.localdate()
    orientation = Orientation.objects.filter(organization=party, year=year).first()
    quarter = (today.month - 1) // 3 + 1 if year == today.year else (4 if year < today.year else 1)
    return OversightTerms(
        year=year,
        today=today,
        due=orientation.plans_due if orientation else None,
        minimum=party.effective_rule_set().param("min_thematic_sessions_per_quarter"),
        quarter=quarter,
        orientation=orientation,
    )


def cell_figures(node: Organization, year: int) -> QuerySet[Organization]:
    """The cells of ``node``'s subtree (``node`` itself when it is a cell), each with its plan for
    ``year`` (``plan_id``, ``plan_status``, ``first_submitted``: one plan per cell and year) and its
    sessions planned per quarter, cancelled ones left out (``q1``…``q4``): one query grouped by cell
    over a left join, to filter, sort and paginate in SQL."""
    live = ~Q(p__sessions__status=Session.Status.CANCELLED)
    return (
        Organization.objects.filter(path__startswith=node.path, kind=Organization.Kind.CELL)
        .annotate(p=FilteredRelation("plans", condition=Q(plans__year=year)))
        .annotate(
            plan_id=F("p__id"),
            plan_status=F("p__status"),
            first_submitted=F("p__first_submitted_at"),
            **{f"q{q}": Count("p__sessions", filter=Q(p__sessions__quarter=q) & live) for q in (1, 2, 3, 4)},
        )
    )


def _rollup(node: Organization, terms: OversightTerms) -> dict[str, dict[str, int]]:
    """The figures of every cell below ``node`` summed per organisation directly under it: three
    aggregate queries grouped by the child's path (organizations.rollup), none per cell."""
    from organizations.rollup import by_child

    status = AnnualPlan.Status
    year = terms.year
    live = Session.objects.filter(plan__year=year).exclude(status=Session.Status.CANCELLED)
    enough: dict[str, Any] = {}
    for q in (1, 2, 3, 4):  # cells holding the minimum in the quarter: a set, computed once by the database
        held = (
            live.filter(quarter=q)
            .order_by()
            .values("cell")
            .annotate(n=Count("id"))
            .filter(n__gte=terms.minimum)
        )
        enough[f"ok{q}"] = Count("id", filter=Q(pk__in=held.values("cell")))
    cells = by_child(
        node, Organization.objects.filter(kind=Organization.Kind.CELL), "path", cells=Count("id"), **enough
    )
    plans = by_child(
        node,
        AnnualPlan.objects.filter(year=year, cell__kind=Organization.Kind.CELL).order_by(),
        "cell__path",
        submitted=Count("id", filter=Q(status=status.SUBMITTED)),
        acknowledged=Count("id", filter=Q(status=status.ACKNOWLEDGED)),
        returned=Count("id", filter=Q(status=status.RETURNED)),
        sent=Count("id", filter=Q(first_submitted_at__isnull=False)),
        sent_late=Count("id", filter=terms.late_sent_q),
    )
    sessions = by_child(
        node,
        live.filter(cell__kind=Organization.Kind.CELL).order_by(),
        "cell__path",
        **{f"s{q}": Count("id", filter=Q(quarter=q)) for q in (1, 2, 3, 4)},
    )
    figures = {}
    for path, got in cells.items():
        plan = plans.get(path, {})
        planned = sessions.get(path, {})
        not_submitted = got["cells"] - plan.get("sent", 0)
        overdue = terms.due is not None and terms.today > terms.due
        figures[path] = {
            "cells": got["cells"],
            "submitted": plan.get("submitted", 0),
            "acknowledged": plan.get("acknowledged", 0),
            "returned": plan.get("returned", 0),
            "not_submitted": not_submitted,
            "late": plan.get("sent_late", 0) + (not_submitted if overdue else 0),
            **{f"s{q}": planned.get(f"s{q}", 0) for q in (1, 2, 3, 4)},
            **{f"b{q}": 0 if terms.minimum <= 0 else got["cells"] - got[f"ok{q}"] for q in (1, 2, 3, 4)},
        }
    return figures


@dataclass
class OversightRow:
    """One organisation directly under the level shown, with the figures of every cell below it (a
    cell's own row has ``cells == 1`` and its ``plan``)."""

    org: Organization
    cells: int = 0
    submitted: int = 0
    acknowledged: int = 0
    returned: int = 0
    not_submitted: int = 0
    late: int = 0
    per_quarter: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    below: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    below_now: int = 0
    resolutions: int = 0
    plan: AnnualPlan | None = None

    @property
    def cell(self) -> Organization:
        return self.org

    @property
    def quarters(self) -> list[tuple[int, int]]:
        """(sessions planned, cells below the minimum) per quarter."""
        return list(zip(self.per_quarter, self.below, strict=True))

    def needs(self, need: str) -> bool:
        return {"chua-nop": self.not_submitted, "tre": self.late, "thieu": self.below_now}[need] > 0


SORTS = {  # Đảng bộ before cells at equal figures, as in the tree
    "ten": lambda row: (row.org.is_cell, row.org.name.casefold()),
    "chua-nop": lambda row: (-row.not_submitted, row.org.is_cell, row.org.name.casefold()),
    "tre": lambda row: (-row.late, row.org.is_cell, row.org.name.casefold()),
    "thieu": lambda row: (-row.below_now, row.org.is_cell, row.org.name.casefold()),
}


def oversight_rows(node: Organization, terms: OversightTerms) -> list[OversightRow]:
    """The organisations directly under ``node`` with their rolled-up figures (four queries, whatever
    the number of cells below: the children, then :func:`_rollup`)."""
    figures = _rollup(node, terms)
    rows = []
    for org in Organization.objects.filter(parent=node):
        got = figures.get(org.path)
        row = OversightRow(org)
        if got:
            for name in ("cells", "submitted", "acknowledged", "returned", "not_submitted", "late"):
                setattr(row, name, got[name])
            row.per_quarter = [got[f"s{q}"] for q in (1, 2, 3, 4)]
            row.below = [got[f"b{q}"] for q in (1, 2, 3, 4)]
            row.below_now = row.below[terms.quarter - 1]
        rows.append(row)
    return rows


def attach_plans(rows: list[OversightRow], year: int) -> None:
    """Load the plan of each cell among ``rows`` (one query for the page shown, not for every row)."""
    cells = [row.org.pk for row in rows if row.org.is_cell]
    plans = {p.cell_id: p for p in AnnualPlan.objects.filter(cell_id__in=cells, year=year)} if cells else {}
    for row in rows:
        row.plan = plans.get(row.org.pk)


def oversight_cells(
    node: Organization, terms: OversightTerms, *, need: str = "", query: str = "", sort: str = "ten"
) -> QuerySet[Organization]:
    """The cells of ``node``'s subtree with their figures (:func:`cell_figures`, plus ``is_late``),
    narrowed to what needs action and to a name, in a stable order: a queryset to paginate."""
    cells = cell_figures(node, terms.year).annotate(
        is_late=Case(When(terms.late_q, then=Value(1)), default=Value(0), output_field=IntegerField())
    )
    if need in NEEDS:
        cells = cells.filter(terms.need_q(need))
    if query:
        cells = cells.filter(name__icontains=query)
    first: Any = {
        "chua-nop": F("first_submitted").asc(nulls_first=True),
        "tre": F("is_late").desc(),
        "thieu": F(f"q{terms.quarter}").asc(),
    }.get(sort)
    return cells.order_by(*([first] if first is not None else []), Lower("name"), "pk")


def cell_rows(cells: Any, terms: OversightTerms) -> list[OversightRow]:
    """Rows for a page of :func:`oversight_cells`, with their plans (one query)."""
    rows = []
    for cell in cells:
        per_quarter = [cell.q1, cell.q2, cell.q3, cell.q4]
        below = [int(n < terms.minimum) for n in per_quarter]
        rows.append(
            OversightRow(
                cell,
                cells=1,
                not_submitted=int(cell.first_submitted is None),
                late=cell.is_late,
                per_quarter=per_quarter,
                below=below,
                below_now=below[terms.quarter - 1],
            )
        )
    attach_plans(rows, terms.year)
    return rows


def oversight(party: Organization, year: int, user: Any) -> list[OversightRow]:
    """The organisations directly under ``party`` with their figures for ``year`` and, for the cells
    among them, their plan (four queries)."""
    rows = oversight_rows(party, oversight_terms(party, year))
    attach_plans(rows, year)
    return sorted(rows, key=SORTS["ten"])


def plans_to_acknowledge(user: Any) -> list[AnnualPlan]:
    """Submitted plans of the cells directly under a Đảng bộ the user serves as officer (home page).

    The committee directly above a cell receives its plan (cấp ủy cấp trên trực tiếp); officers higher
    up may still open and acknowledge it, but it is not their work: a province's officers would
    otherwise have every plan of 3,000 cells in their queue. They follow the roll-ups instead."""
    scope = scope_for(user)
    if not scope.officer_paths:
        return []
    return list(
        AnnualPlan.objects.filter(
            cell__parent__path__in=scope.officer_paths, status=AnnualPlan.Status.SUBMITTED
        )
        .select_related("cell")
        .order_by("submitted_at")
    )
