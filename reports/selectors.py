"""The figures of a period, for one cell (its report) or every cell of a Đảng bộ (the dashboard).

Both read the same function, :func:`figures_by_cell`, so the dashboard and a report never disagree.
It runs a fixed number of aggregate queries grouped by cell, whatever the number of cells (about
fifteen; asserted by the tests): no query runs inside a loop over cells.

What each figure counts (docs/domain.md §2–§3), for the cells' own records of the period:

* **planned**: sessions of the cell's plan for the year in the period's quarter(s), not cancelled;
  **held**: of those, the ones whose meeting's minutes are approved, or whose cycle has passed the
  meeting (held … evaluated); **cancelled** apart.
* **meetings**: every meeting of the cell dated in the period whose minutes are approved (regular
  ones included), by kind; **quality**: their quality levels.
* **attendance**: every attendance row of those meetings, as ``meetings.selectors.summary`` counts
  it: exempted members, members attached to another cell, suspended and detained members are not
  expected, unmarked rows do not count; rate = (present + late) / expected.
* **comments**: the drafts of the period's sessions sent to the members; each draft is expected from
  its recipients but its presenters (as ``drafts.services.progress``): **readers** counts these
  member-and-draft pairs, **commented** those with at least one comment or reply; **comments**
  counts comments (not replies, not deleted), **answered** those the presenter responded to.
* **resolutions**: resolutions and conclusions issued (dated) in the period. **Tasks**: the tasks
  of the cell's issued resolutions whose deadline falls in the period: done, still open, or
  overdue (not done and the deadline before ``today``).
* **overdue drafts**: sessions of the period not yet sent to the members whose draft deadline
  (``planning.rules.deadlines``, "draft") is before ``today``.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import (
    BooleanField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from core.models import RuleSet
from core.text import fold
from meetings import rules as meeting_rules
from meetings.models import Attendance, Meeting, Resolution, ResolutionTask
from organizations import rollup
from organizations.models import Exemption, Membership, Organization
from organizations.selectors import vietnamese_name_key
from planning import rules as planning_rules
from planning.models import AnnualPlan, Assignment, Session
from reports.models import OrganizationFigures, QualityFigures, Report, period_bounds

# Minutes approved at least once: the official record of the meeting.
RECORDED = (Meeting.Status.APPROVED, Meeting.Status.CORRECTING)
HELD = (
    Session.Status.HELD,
    Session.Status.REVISING,
    Session.Status.FINAL_SUBMITTED,
    Session.Status.FINAL_APPROVED,
    Session.Status.RESOLUTION_ISSUED,
    Session.Status.EVALUATED,
)
BEFORE_DISTRIBUTION = (
    Session.Status.PLANNED,
    Session.Status.ASSIGNED,
    Session.Status.DRAFTING,
    Session.Status.SUBMITTED,
    Session.Status.RETURNED,
)


def _ratio(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


@dataclass
class Figures:
    """The figures of one cell (or the sum over cells) for one period; see the module docstring."""

    planned: int = 0
    held: int = 0
    cancelled: int = 0
    meetings: int = 0
    regular: int = 0
    thematic: int = 0
    combined: int = 0
    expected: int = 0
    attended: int = 0
    late: int = 0
    excused: int = 0
    unexcused: int = 0
    drafts: int = 0
    readers: int = 0
    commented: int = 0
    comments: int = 0
    answered: int = 0
    resolutions: int = 0
    tasks: int = 0
    tasks_done: int = 0
    tasks_overdue: int = 0
    overdue_drafts: int = 0
    quality: dict[str, int] = field(default_factory=dict)

    @property
    def attendance_rate(self) -> float | None:
        """Percent of the expected members who attended; None without any recorded meeting."""
        return _ratio(self.attended, self.expected)

    @property
    def comment_share(self) -> float | None:
        """Percent of the expected member-and-draft pairs with a comment; None without a draft."""
        return _ratio(self.commented, self.readers)

    @property
    def not_held(self) -> int:
        return self.planned - self.held

    @property
    def tasks_open(self) -> int:
        """Not done and not yet due."""
        return self.tasks - self.tasks_done - self.tasks_overdue

    @property
    def unassessed(self) -> int:
        """Meetings with approved minutes but no quality level."""
        return self.meetings - sum(self.quality.values())

    def add(self, other: "Figures") -> None:
        """Add ``other`` into these figures (the Đảng bộ's totals)."""
        for f in fields(self):
            if f.name == "quality":
                for level, count in other.quality.items():
                    self.quality[level] = self.quality.get(level, 0) + count
            else:
                setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Figures":
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})


# --- Rule sets of many cells at once ---------------------------------------------------------------


def rule_params(cells: Sequence[Organization]) -> dict[int, dict[str, Any]]:
    """Each cell's effective rule-set parameters (``Organization.effective_rule_set``: its own, else
    its nearest ancestor's, else the newest in effect), in one or two queries for any number of
    cells: the whole chains are read at once from the cells' paths."""
    ids = {pk for cell in cells for pk in cell.ancestor_ids(include_self=True)}
    chain = {org.pk: org for org in Organization.objects.filter(pk__in=ids).select_related("rule_set")}
    current: RuleSet | None = None
    params: dict[int, dict[str, Any]] = {}
    for cell in cells:
        found = None
        for pk in reversed(cell.ancestor_ids(include_self=True)):
            node = chain.get(pk)
            if node is not None and node.rule_set_id:
                found = node.rule_set
                break
        if found is None:
            current = current or RuleSet.current()
            found = current
        params[cell.pk] = found.params
    return params


def quality_levels(params: dict[str, Any]) -> list[tuple[str, str]]:
    """(code, label) of the rubric's quality levels, from the highest."""
    rubric = meeting_rules.Rubric.from_params(params["quality_rubric"])
    return [(level.code, level.label) for level in rubric.levels]


# --- The figures -----------------------------------------------------------------------------------


def _quarters(quarter: int | None) -> tuple[int, ...]:
    return (1, 2, 3, 4) if quarter is None else (quarter,)


def _path(prefix: str) -> str:
    return f"{prefix}__path" if prefix else "path"


class Grouping:
    """Which rows the figures cover and how they are grouped, for a model whose cell is reached by
    ``prefix`` (``"cell"``, ``"meeting__cell"``…): by cell id for a list of cells (a report), or,
    for every cell below a party, by the path of the party's child that holds the cell or by the
    cell's own path (organizations/rollup.py). Either way one aggregate query per figure."""

    def __init__(
        self, *, cell_ids: Sequence[int] = (), party: Organization | None = None, by_cell: bool = False
    ) -> None:
        self.cell_ids = list(cell_ids)
        self.party = party
        self.by_cell = by_cell

    def scope(self, prefix: str) -> Q:
        """``prefix`` "" for rows that are organisations themselves."""
        if self.party is None:
            return Q(**{f"{prefix}_id__in" if prefix else "pk__in": self.cell_ids})
        return Q(**rollup.under(self.party, _path(prefix)))

    def key(self, prefix: str) -> Any:
        if self.party is None:
            return F(f"{prefix}_id" if prefix else "pk")
        if self.by_cell:
            return F(_path(prefix))
        return rollup.child_key(self.party, _path(prefix))

    def group(self, rows: QuerySet[Any], prefix: str, *extra: str) -> QuerySet[Any]:
        """``rows`` in scope, as ``values("_key", *extra)`` ready for ``.annotate(<aggregates>)``."""
        return (
            rows.filter(self.scope(prefix)).annotate(_key=self.key(prefix)).values("_key", *extra).order_by()
        )


def figures_by_cell(
    cells: Sequence[Organization], year: int, quarter: int | None, today: date
) -> dict[int, Figures]:
    """The figures of each cell for the quarter (or the year when ``quarter`` is None), as of
    ``today``. A fixed number of queries, whatever the number of cells."""
    result = grouped_figures(Grouping(cell_ids=[cell.pk for cell in cells]), year, quarter, today)
    return {cell.pk: result.get(cell.pk) or Figures() for cell in cells}


def grouped_figures(grouping: Grouping, year: int, quarter: int | None, today: date) -> dict[Any, Figures]:
    """The figures of the period as of ``today`` for each group of ``grouping`` that has any (the
    others have none: ``result.get(key) or Figures()``). A fixed number of aggregate queries."""
    result: dict[Any, Figures] = defaultdict(Figures)
    first, last = period_bounds(year, quarter)
    quarters = _quarters(quarter)
    sessions = Session.objects.filter(plan__year=year, quarter__in=quarters)

    # Sessions planned, held, cancelled.
    held = Q(status__in=HELD) | Q(meeting__status__in=RECORDED)
    for row in grouping.group(sessions, "cell").annotate(
        planned=Count("id", filter=~Q(status=Session.Status.CANCELLED), distinct=True),
        cancelled=Count("id", filter=Q(status=Session.Status.CANCELLED), distinct=True),
        held=Count("id", filter=held & ~Q(status=Session.Status.CANCELLED), distinct=True),
    ):
        figures = result[row["_key"]]
        figures.planned, figures.cancelled, figures.held = row["planned"], row["cancelled"], row["held"]

    # Drafts not sent although their deadline passed (each cell's own deadline rule): the rows are
    # the period's sessions still before distribution, read with their cell's path for its rule set.
    waiting = list(
        grouping.group(
            sessions.filter(status__in=BEFORE_DISTRIBUTION, planned_date__isnull=False),
            "cell",
            "cell_id",
            "cell__path",
            "planned_date",
        )
    )
    params = rule_params([Organization(pk=row["cell_id"], path=row["cell__path"]) for row in waiting])
    for row in waiting:
        due = {d.code: d.due for d in planning_rules.deadlines(row["planned_date"], params[row["cell_id"]])}
        if due["draft"] < today:
            result[row["_key"]].overdue_drafts += 1

    # Meetings with approved minutes, by kind and quality level.
    meetings = Meeting.objects.filter(date__range=(first, last), status__in=RECORDED)
    for row in grouping.group(meetings, "cell", "kind", "quality_level").annotate(n=Count("id")):
        figures = result[row["_key"]]
        figures.meetings += row["n"]
        setattr(figures, row["kind"], getattr(figures, row["kind"]) + row["n"])
        if row["quality_level"]:
            level = row["quality_level"]
            figures.quality[level] = figures.quality.get(level, 0) + row["n"]

    # Attendance over those meetings: joined to the meetings of the period (meeting_date_idx), so
    # only their rows are read, not every year's.
    counted = ~Q(status="") & meeting_rules.expected_at_meeting_q()
    for row in grouping.group(
        Attendance.objects.filter(meeting__date__range=(first, last), meeting__status__in=RECORDED),
        "meeting__cell",
    ).annotate(
        n_expected=Count("id", filter=counted),
        n_attended=Count("id", filter=counted & Q(status__in=meeting_rules.ATTENDED)),
        n_late=Count("id", filter=counted & Q(status=meeting_rules.LATE)),
        n_excused=Count("id", filter=counted & Q(status=meeting_rules.EXCUSED)),
        n_unexcused=Count("id", filter=counted & Q(status=meeting_rules.UNEXCUSED)),
    ):
        figures = result[row["_key"]]
        for name in ("expected", "attended", "late", "excused", "unexcused"):
            setattr(figures, name, row[f"n_{name}"])

    _comment_figures(grouping, sessions, result, year, today)

    # Resolutions issued in the period, and the tasks due in it.
    for row in grouping.group(
        Resolution.objects.filter(issued_at__isnull=False, document__issued_on__range=(first, last)),
        "meeting__cell",
    ).annotate(n=Count("id")):
        result[row["_key"]].resolutions = row["n"]
    for row in grouping.group(
        ResolutionTask.objects.filter(resolution__issued_at__isnull=False, deadline__range=(first, last)),
        "resolution__meeting__cell",
    ).annotate(
        total=Count("id"),
        done=Count("id", filter=Q(done_at__isnull=False)),
        overdue=Count("id", filter=Q(done_at__isnull=True, deadline__lt=today)),
    ):
        figures = result[row["_key"]]
        figures.tasks, figures.tasks_done, figures.tasks_overdue = row["total"], row["done"], row["overdue"]
    return dict(result)


def _active_on(on: Any, start: str = "start_date", end: str = "end_date") -> Q:
    return Q(**{f"{start}__lte": on}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": on}))


def _comment_figures(
    grouping: Grouping, sessions: QuerySet[Session], result: dict[Any, Figures], year: int, today: date
) -> None:
    """Who was expected to comment on the period's distributed drafts and who did (two queries).

    For each draft, the database counts the members of its cell on the session's date (today
    without one) who are not its presenters nor, unless the draft includes them, exempted on that
    date, and of them those who commented: correlated counts summed per group."""
    from drafts.models import Comment, Distribution

    distributed = sessions.exclude(status=Session.Status.CANCELLED).filter(distribution__isnull=False)
    # The draft's date, seen from the members (one level in) and from their exemptions (two levels).
    on = Coalesce(OuterRef("session__planned_date"), Value(today), output_field=DateField())
    on_outer = Coalesce(OuterRef(OuterRef("session__planned_date")), Value(today), output_field=DateField())
    presenter = Assignment.objects.filter(
        session_id=OuterRef(OuterRef("session_id")), member_id=OuterRef("member_id")
    )
    exempted = Exemption.objects.filter(_active_on(on_outer), member_id=OuterRef("member_id"))
    expected = (
        Membership.objects.filter(
            _active_on(on),
            organization_id=OuterRef("session__cell_id"),
            start_date__lte=date(year, 12, 31),
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=date(year, 1, 1)))
        .exclude(Exists(presenter))
        # The exempted are left out unless the draft was sent to them too: the draft's flag is read
        # beside the member, so the exemption is looked up by its member (an index), not hashed.
        .annotate(_included=ExpressionWrapper(OuterRef("include_exempted"), BooleanField()))
        .exclude(Q(_included=False) & Q(Exists(exempted)))
    )
    wrote = Comment.objects.filter(
        session_id=OuterRef(OuterRef("session_id")), author_id=OuterRef("member_id"), deleted_at=None
    )
    for row in grouping.group(Distribution.objects.filter(session__in=distributed), "session__cell").annotate(
        n=Count("id"), readers=Sum(_count(expected)), commented=Sum(_count(expected.filter(Exists(wrote))))
    ):
        figures = result[row["_key"]]
        # SUM over counts: numeric on PostgreSQL.
        figures.drafts, figures.readers, figures.commented = (
            row["n"],
            int(row["readers"]),
            int(row["commented"]),
        )

    for row in grouping.group(
        Comment.objects.filter(session__in=distributed, parent=None, deleted_at=None), "session__cell"
    ).annotate(n=Count("id"), answered=Count("id", filter=Q(response__isnull=False))):
        figures = result[row["_key"]]
        figures.comments, figures.answered = row["n"], row["answered"]


def _count(rows: QuerySet[Any]) -> Any:
    """The number of ``rows`` (a correlated query), 0 when none."""
    return Coalesce(
        Subquery(rows.order_by().annotate(_n=Func(F("pk"), function="COUNT")).values("_n")[:1]), Value(0)
    )


# --- One cell's report: the figures and the lines behind them -------------------------------------


@dataclass
class SessionLine:
    """One session of the period as the report lists it."""

    title: str
    planned_date: str | None  # ISO
    presenters: str
    status: str
    held_on: str | None  # ISO date of the meeting, when its minutes are approved
    quality: str  # level code, "" when not assessed
    note: str  # reason for cancelling or postponing

    @property
    def status_label(self) -> str:
        return str(Session.Status(self.status).label)

    @property
    def planned_on(self) -> date | None:
        return date.fromisoformat(self.planned_date) if self.planned_date else None

    @property
    def held_date(self) -> date | None:
        return date.fromisoformat(self.held_on) if self.held_on else None

    @property
    def cancelled(self) -> bool:
        return self.status == Session.Status.CANCELLED


@dataclass
class ResolutionLine:
    symbol: str
    title: str
    issued_on: str  # ISO
    tasks: int
    done: int

    @property
    def issued_date(self) -> date | None:
        return date.fromisoformat(self.issued_on) if self.issued_on else None


@dataclass
class ReportFigures:
    """Everything a report prints from the records: frozen as JSON when it is submitted, so the page
    and the document keep showing what the Đảng ủy received, whatever changes afterwards."""

    year: int
    quarter: int | None
    as_of: str  # ISO date the figures were computed
    figures: Figures
    sessions: list[SessionLine]
    resolutions: list[ResolutionLine]
    levels: list[tuple[str, str]]
    attendance_min: int
    plan_symbol: str = ""
    plan_date: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["levels"] = [list(level) for level in self.levels]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ReportFigures":
        return cls(
            year=data["year"],
            quarter=data["quarter"],
            as_of=data["as_of"],
            figures=Figures.from_dict(data["figures"]),
            sessions=[SessionLine(**line) for line in data["sessions"]],
            resolutions=[ResolutionLine(**line) for line in data["resolutions"]],
            levels=[(code, label) for code, label in data["levels"]],
            attendance_min=data["attendance_min"],
            plan_symbol=data.get("plan_symbol", ""),
            plan_date=data.get("plan_date", ""),
        )

    @property
    def as_of_date(self) -> date:
        return date.fromisoformat(self.as_of)

    @property
    def quality_rows(self) -> list[tuple[str, int]]:
        """(label, meetings) per level, from the highest, for the page."""
        return [(label, self.figures.quality.get(code, 0)) for code, label in self.levels]

    def level_label(self, code: str) -> str:
        return next((label for level, label in self.levels if level == code), code)

    @property
    def session_rows(self) -> list[tuple[SessionLine, str]]:
        """Each session with the label of its meeting's quality level ("" when none)."""
        return [(line, self.level_label(line.quality) if line.quality else "") for line in self.sessions]


def report_figures(cell: Organization, year: int, quarter: int | None, today: date) -> ReportFigures:
    """The figures of ``cell`` for the period, with its sessions and resolutions listed."""
    first, last = period_bounds(year, quarter)
    figures = figures_by_cell([cell], year, quarter, today)[cell.pk]
    params = rule_params([cell])[cell.pk]
    sessions = (
        Session.objects.filter(cell=cell, plan__year=year, quarter__in=_quarters(quarter))
        .select_related("meeting")
        .prefetch_related("presenters")
        .order_by("quarter", "planned_date", "month", "id")
    )
    lines = []
    for s in sessions:
        meeting: Meeting | None = getattr(s, "meeting", None)
        recorded = meeting is not None and meeting.status in RECORDED
        note = s.cancelled_reason if s.status == Session.Status.CANCELLED else s.postponed_reason
        lines.append(
            SessionLine(
                title=s.title,
                planned_date=s.planned_date.isoformat() if s.planned_date else None,
                presenters=", ".join(
                    p.full_name
                    for p in sorted(s.presenters.all(), key=lambda m: vietnamese_name_key(m.full_name))
                ),
                status=s.status,
                held_on=meeting.date.isoformat() if recorded and meeting else None,
                quality=(meeting.quality_level if recorded and meeting else "") or "",
                note=note,
            )
        )
    resolutions = [
        ResolutionLine(
            symbol=r.document.symbol if r.document else "",
            title=r.meeting.session.title if r.meeting.session else "",
            issued_on=r.document.issued_on.isoformat() if r.document else "",
            tasks=r.tasks_total,
            done=r.tasks_done,
        )
        for r in Resolution.objects.filter(
            meeting__cell=cell, issued_at__isnull=False, document__issued_on__range=(first, last)
        )
        .select_related("document", "meeting__session")
        .annotate(
            tasks_total=Count("tasks"), tasks_done=Count("tasks", filter=Q(tasks__done_at__isnull=False))
        )
        .order_by("document__issued_on", "id")
    ]
    plan = AnnualPlan.objects.filter(cell=cell, year=year).select_related("document").first()
    return ReportFigures(
        year=year,
        quarter=quarter,
        as_of=today.isoformat(),
        figures=figures,
        sessions=lines,
        resolutions=resolutions,
        levels=quality_levels(params),
        attendance_min=params["attendance_min_percent"],
        plan_symbol=plan.document.symbol if plan and plan.document else "",
        plan_date=plan.document.issued_on.isoformat() if plan and plan.document else "",
    )


def figures_of(report: Report, today: date) -> ReportFigures:
    """The report's figures: frozen once submitted, else computed now from the records."""
    if report.figures is not None and report.status != Report.Status.RETURNED:
        return ReportFigures.from_dict(report.figures)
    return report_figures(report.cell, report.year, report.quarter, today)


# --- The Đảng ủy's dashboard: the whole table (the spreadsheet) ---------------------------------------


@dataclass
class DashboardRow:
    cell: Organization
    figures: Figures
    plan_id: int | None
    report: Report | None
    levels: list[int]  # meetings per quality level, in the order of Dashboard.levels

    @property
    def short_name(self) -> str:
        return cell_name(self.cell)


@dataclass
class Dashboard:
    party: Organization
    year: int
    quarter: int | None
    today: date
    rows: list[DashboardRow]
    total: Figures
    levels: list[tuple[str, str]]
    attendance_min: int
    min_sessions: int  # the least number of thematic sessions in the period (per quarter × quarters)
    total_levels: list[int]
    period_over: bool


def _period_report_q(year: int, quarter: int | None) -> dict[str, Any]:
    return {"year": year, **({"quarter": quarter} if quarter else {"quarter__isnull": True})}


def dashboard(party: Organization, year: int, quarter: int | None, user: Any, today: date) -> Dashboard:
    """Every cell under ``party`` (at any depth) the user may open, with its figures for the period,
    its plan and its report: the full table, for the spreadsheet. A fixed number of queries whatever
    the number of cells (the figures grouped by the cell's path under ``party``, no list of ids)."""
    from organizations.permissions import visible_organizations
    from reports.permissions import visible_reports

    cells = list(
        visible_organizations(user)
        .filter(**rollup.under(party), kind=Organization.Kind.CELL)
        .order_by("name")
    )
    stored = stored_figures(party, year, quarter, today, by_cell=True)
    if stored is None:
        by_path = grouped_figures(Grouping(party=party, by_cell=True), year, quarter, today)
    else:
        by_path = stored[0]
    under = rollup.under(party, "cell__path")
    plans = dict(AnnualPlan.objects.filter(**under, year=year).values_list("cell_id", "pk"))
    reports = {
        r.cell_id: r
        for r in visible_reports(user)
        .filter(**under, **_period_report_q(year, quarter))
        .select_related("document")
    }
    params = rule_params([party])[party.pk]
    levels = quality_levels(params)
    total = Figures()
    rows = []
    for cell in cells:
        figures = by_path.get(cell.path) or Figures()
        total.add(figures)
        counts = [figures.quality.get(code, 0) for code, _label in levels]
        rows.append(DashboardRow(cell, figures, plans.get(cell.pk), reports.get(cell.pk), counts))
    return Dashboard(
        party=party,
        year=year,
        quarter=quarter,
        today=today,
        rows=rows,
        total=total,
        levels=levels,
        attendance_min=params["attendance_min_percent"],
        min_sessions=params["min_thematic_sessions_per_quarter"] * len(_quarters(quarter)),
        total_levels=[total.quality.get(code, 0) for code, _label in levels],
        period_over=period_bounds(year, quarter)[1] < today,
    )


# --- The Đảng ủy's dashboard by level: the organisations directly under a party, rolled up -----------

# What needs action, as ``?loc=``: a cell matches, a Đảng bộ under the party when it holds such a cell.
FILTERS = ("chua-sinh-hoat", "chua-nop-ke-hoach", "thieu-bao-cao")
PAGE_SIZE = 50


@dataclass
class Counts:
    """Cells of a row (or of the level) and how many of them need action."""

    cells: int = 0
    members: int = 0
    no_session: int = 0  # no thematic session held in the period
    no_plan: int = 0  # the year's plan never submitted
    no_report: int = 0  # the period's report not received

    def add(self, other: "Counts") -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @property
    def received(self) -> int:
        """Cells whose report for the period was received."""
        return self.cells - self.no_report

    def matches(self, filter_code: str) -> int:
        return {
            "chua-sinh-hoat": self.no_session,
            "chua-nop-ke-hoach": self.no_plan,
            "thieu-bao-cao": self.no_report,
        }[filter_code]


@dataclass
class LevelRow:
    """A Đảng bộ directly under the party (or a cell: directly under it, or anywhere below it on the
    cell-by-cell view) with the figures of every cell it holds."""

    pk: int
    name: str
    path: str
    kind: str
    figures: Figures
    counts: Counts
    levels: list[int] = field(default_factory=list)
    plan_id: int | None = None  # cells on the page
    report: Report | None = None  # cells on the page
    parent_name: str = ""  # cells on the cell-by-cell view
    url: str = ""  # set by the view: a cell's page, or the dashboard one level down

    @property
    def is_cell(self) -> bool:
        return self.kind == Organization.Kind.CELL

    @property
    def full_name(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        return self.name[len("Chi bộ ") :] if self.name.lower().startswith("chi bộ ") else self.name


def _rate_key(value: float | None) -> float:
    return -1.0 if value is None else value


# ``?sap=`` codes and what they sort by (``-code`` for the reverse order); names sort as Vietnamese.
SORTS: dict[str, Any] = {
    "ten": lambda row: vietnamese_name_key(row.name)[1],
    "chi-bo": lambda row: row.counts.cells,
    "dang-vien": lambda row: row.counts.members,
    "da-sinh-hoat": lambda row: (row.figures.held, row.figures.planned),
    "ke-hoach-sh": lambda row: row.figures.planned,
    "du-hop": lambda row: _rate_key(row.figures.attendance_rate),
    "gop-y": lambda row: _rate_key(row.figures.comment_share),
    "chua-sinh-hoat": lambda row: row.counts.no_session,
    "chua-nop-ke-hoach": lambda row: row.counts.no_plan,
    "thieu-bao-cao": lambda row: row.counts.no_report,
    "nhiem-vu-mo": lambda row: row.figures.tasks_open,
    "nhiem-vu-qua-han": lambda row: row.figures.tasks_overdue,
    "du-thao-cham": lambda row: row.figures.overdue_drafts,
}


@dataclass
class Level:
    party: Organization
    year: int
    quarter: int | None
    today: date
    by_cell: bool  # every cell below the party (``?cap=chi-bo``) instead of its children
    page: Page
    rows: list[LevelRow]  # the page's
    found: int  # rows matching the filter and the search, over every page
    total: Figures  # the whole party
    counts: Counts  # the whole party
    levels: list[tuple[str, str]]
    total_levels: list[int]
    attendance_min: int
    min_sessions: int
    period_over: bool
    breadcrumbs: list[Organization]  # from the highest party the user oversees down to this one


def level(
    party: Organization,
    year: int,
    quarter: int | None,
    user: Any,
    today: date,
    *,
    by_cell: bool = False,
    filter_code: str = "",
    search: str = "",
    sort: str = "ten",
    page_number: Any = 1,
) -> Level:
    """The organisations directly under ``party`` (or, ``by_cell``, every cell below it) with the
    figures of the period rolled up from their cells, filtered to what needs action, searched by
    name, sorted and paginated. A fixed number of queries whatever the size of the tree: every
    figure is one aggregate query grouped by the row (organizations/rollup.py); only the page's
    rows are built with their plans and reports."""
    from reports.permissions import can, visible_reports

    grouping = Grouping(party=party, by_cell=by_cell)
    figures, counts = _level_figures(grouping, party, year, quarter, today)
    candidates = (
        Organization.objects.filter(**rollup.under(party), kind=Organization.Kind.CELL)
        if by_cell
        else Organization.objects.filter(parent=party)
    )
    params = rule_params([party])[party.pk]
    quality = quality_levels(params)
    total, total_counts = Figures(), Counts()
    for group_figures in figures.values():
        total.add(group_figures)
    for group_counts in counts.values():
        total_counts.add(group_counts)

    wanted = fold(search.strip())
    rows = []
    for pk, name, path, kind in candidates.values_list("pk", "name", "path", "kind"):
        row = LevelRow(pk, name, path, kind, figures.get(path) or Figures(), counts.get(path) or Counts())
        if filter_code in FILTERS and not row.counts.matches(filter_code):
            continue
        if wanted and wanted not in fold(name):
            continue
        rows.append(row)
    code = sort.lstrip("-")
    key = SORTS.get(code, SORTS["ten"])
    descending = sort.startswith("-")
    rows.sort(key=SORTS["ten"], reverse=descending and code == "ten")
    if code != "ten":
        rows.sort(key=key, reverse=descending)  # stable either way: equal figures stay in name order
    else:
        # By name, the Đảng bộ under the level come first (an officer drills down through them),
        # then the level's own cells.
        rows.sort(key=lambda row: row.is_cell)
    page = Paginator(rows, PAGE_SIZE).get_page(page_number)
    shown: list[LevelRow] = list(page.object_list)

    cell_ids = [row.pk for row in shown if row.is_cell]
    plans = dict(AnnualPlan.objects.filter(cell_id__in=cell_ids, year=year).values_list("cell_id", "pk"))
    reports = {
        r.cell_id: r
        for r in visible_reports(user).filter(cell_id__in=cell_ids, **_period_report_q(year, quarter))
    }
    for row in shown:
        row.levels = [row.figures.quality.get(code, 0) for code, _label in quality]
        row.plan_id = plans.get(row.pk)
        row.report = reports.get(row.pk)
    if by_cell:
        _name_parents(shown)

    above = Organization.objects.filter(pk__in=party.ancestor_ids(include_self=True)).order_by("path")
    breadcrumbs = [org for org in above if can(user, "dashboard.view", org)]
    return Level(
        party=party,
        year=year,
        quarter=quarter,
        today=today,
        by_cell=by_cell,
        page=page,
        rows=shown,
        found=len(rows),
        total=total,
        counts=total_counts,
        levels=quality,
        total_levels=[total.quality.get(code, 0) for code, _label in quality],
        attendance_min=params["attendance_min_percent"],
        min_sessions=params["min_thematic_sessions_per_quarter"] * len(_quarters(quarter)),
        period_over=period_bounds(year, quarter)[1] < today,
        breadcrumbs=breadcrumbs,
    )


def _level_figures(
    grouping: Grouping, party: Organization, year: int, quarter: int | None, today: date
) -> tuple[dict[Any, Figures], dict[Any, Counts]]:
    """The level's figures and counts, kept in the shared cache (settings.FRAME_CACHE) until a row of
    any cell below ``party`` changes (its ``path:`` token: home.invalidation bumps the tokens of every
    organisation above a changed row) or the tree does (``all``), or the day turns. At province scale
    the aggregates take seconds; an officer going back and forth between levels, filters and pages
    reads them again for nothing."""
    from core import versions
    from organizations.permissions import STRUCTURE

    version = versions.current([f"path:{party.path}", STRUCTURE])
    if version is None:
        return grouped_figures(grouping, year, quarter, today), _counts(grouping, year, quarter, today)
    key = f"dashboard:{party.pk}:{int(grouping.by_cell)}:{year}:{quarter or 0}:{today.isoformat()}:{version}"
    found = cache.get(key)
    if found is None:
        found = stored_figures(party, year, quarter, today, by_cell=grouping.by_cell)
        if found is None:  # the shared cache was turned off meanwhile
            found = (grouped_figures(grouping, year, quarter, today), _counts(grouping, year, quarter, today))
        cache.set(key, found, versions.TIMEOUT)
    return found


# --- The figures kept per organisation and period (reports.models.OrganizationFigures) ---------------

FIGURE_COLUMNS = tuple(f.name for f in fields(Figures) if f.name != "quality")
COUNT_COLUMNS = tuple(f.name for f in fields(Counts))
# Beyond this many organisations out of date (a cold start, a new day, a change to the tree), their
# figures are computed for the whole Đảng bộ grouped by path, rather than for a list of ids.
WHOLE_TREE = 200


def stored_figures(
    party: Organization, year: int, quarter: int | None, today: date, *, by_cell: bool
) -> tuple[dict[str, Figures], dict[str, Counts]] | None:
    """What ``_level_figures`` computes (by the path of each child of ``party``, or of each
    organisation ``by_cell``), summed in SQL from the rows kept per organisation; None when the shared
    cache is off (no version tokens to tell a stale row).

    A row is good while it carries its organisation's current tokens and today's date; the others
    (after a change, one cell's) are computed again first, with the aggregates restricted to them. A
    fixed number of queries whatever the size of the tree: the organisations, the rows' versions, at
    most about twenty to compute and write the stale rows, and the two sums."""
    from core import versions
    from organizations.permissions import TREE

    orgs = dict(Organization.objects.filter(**rollup.under(party)).values_list("pk", "path"))
    tokens = versions.current_each({pk: [f"cell:{pk}", TREE] for pk in orgs})
    if tokens is None:
        return None
    period = {"year": year, "quarter": quarter or 0}
    below = rollup.under(party, "organization__path")
    kept = dict(
        OrganizationFigures.objects.filter(**below, **period, as_of=today).values_list(
            "organization_id", "version"
        )
    )
    stale = [pk for pk, token in tokens.items() if kept.get(pk) != token]
    if stale:
        _store(party, orgs, stale, tokens, year, quarter, today)

    key = F("organization__path") if by_cell else rollup.child_key(party, "organization__path")
    figures: dict[str, Figures] = {}
    counts: dict[str, Counts] = {}
    sums = {name: Sum(name) for name in FIGURE_COLUMNS + COUNT_COLUMNS}
    rows = OrganizationFigures.objects.filter(**below, **period).annotate(_key=key).values("_key")
    for row in rows.order_by().annotate(**sums):
        summed: dict[str, Any] = {name: int(row[name]) for name in FIGURE_COLUMNS}
        figures[row["_key"]] = Figures(**summed)
        counts[row["_key"]] = Counts(**{name: int(row[name]) for name in COUNT_COLUMNS})
    levels = QualityFigures.objects.filter(**below, **period).annotate(_key=key).values("_key", "level")
    for row in levels.order_by().annotate(n=Sum("meetings")):
        figures.setdefault(row["_key"], Figures()).quality[row["level"]] = int(row["n"])
    return figures, counts


def _store(
    party: Organization,
    orgs: dict[int, str],
    stale: list[int],
    tokens: dict[int, str],
    year: int,
    quarter: int | None,
    today: date,
) -> None:
    """Compute the rows of the ``stale`` organisations (ids; ``orgs``: every organisation under
    ``party`` by id, with its path) and write them with the tokens read before computing, so a change
    made meanwhile leaves them stale."""
    if len(stale) > WHOLE_TREE:
        whole = Grouping(party=party, by_cell=True)
        by_path = grouped_figures(whole, year, quarter, today)
        counts_by_path = _counts(whole, year, quarter, today)
        ids = list(orgs)
        figures = {pk: by_path.get(orgs[pk]) or Figures() for pk in ids}
        counts = {pk: counts_by_path.get(orgs[pk]) or Counts() for pk in ids}
    else:
        some = Grouping(cell_ids=stale)
        by_id, counts_by_id = grouped_figures(some, year, quarter, today), _counts(some, year, quarter, today)
        ids = stale
        figures = {pk: by_id.get(pk) or Figures() for pk in ids}
        counts = {pk: counts_by_id.get(pk) or Counts() for pk in ids}
    period = {"year": year, "quarter": quarter or 0}
    rows = [
        OrganizationFigures(
            organization_id=pk,
            **period,
            as_of=today,
            version=tokens[pk],
            **{name: getattr(figures[pk], name) for name in FIGURE_COLUMNS},
            **{name: getattr(counts[pk], name) for name in COUNT_COLUMNS},
        )
        for pk in ids
    ]
    levels = [
        QualityFigures(organization_id=pk, **period, level=level, meetings=n)
        for pk in ids
        for level, n in figures[pk].quality.items()
        if n
    ]
    with transaction.atomic():
        OrganizationFigures.objects.bulk_create(
            rows,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["organization", "year", "quarter"],
            update_fields=["as_of", "version", *FIGURE_COLUMNS, *COUNT_COLUMNS],
        )
        gone = QualityFigures.objects.filter(**period)
        if len(ids) == len(orgs):
            gone = gone.filter(**rollup.under(party, "organization__path"))
        else:
            gone = gone.filter(organization_id__in=ids)
        gone.delete()
        # Two requests refreshing the same rows at once write the same figures: keep either.
        QualityFigures.objects.bulk_create(levels, batch_size=500, ignore_conflicts=True)


def _name_parents(rows: list[LevelRow]) -> None:
    """Each cell's Đảng bộ (the organisation one segment up its path), one query for the page."""
    parent_paths = {row.path[: -rollup.SEGMENT] for row in rows}
    names = dict(Organization.objects.filter(path__in=parent_paths).values_list("path", "name"))
    for row in rows:
        row.parent_name = names.get(row.path[: -rollup.SEGMENT], "")


def _counts(grouping: Grouping, year: int, quarter: int | None, today: date) -> dict[Any, Counts]:
    """Per group: its cells, their members today, and how many of the cells held no thematic session
    in the period, never submitted the year's plan, or have not sent the period's report (two
    queries)."""
    held = Session.objects.filter(
        Q(status__in=HELD) | Q(meeting__status__in=RECORDED),
        cell_id=OuterRef("pk"),
        plan__year=year,
        quarter__in=_quarters(quarter),
    ).exclude(status=Session.Status.CANCELLED)
    submitted_plan = AnnualPlan.objects.filter(cell_id=OuterRef("pk"), year=year).filter(
        Q(first_submitted_at__isnull=False) | ~Q(status=AnnualPlan.Status.DRAFT)
    )
    received = Report.objects.filter(
        cell_id=OuterRef("pk"), status__in=Report.ISSUED, **_period_report_q(year, quarter)
    )
    result: dict[Any, Counts] = defaultdict(Counts)
    cells = Organization.objects.filter(kind=Organization.Kind.CELL).annotate(
        _held=Exists(held), _planned=Exists(submitted_plan), _received=Exists(received)
    )
    for row in grouping.group(cells, "").annotate(
        n=Count("id"),
        n_no_session=Count("id", filter=Q(_held=False)),
        n_no_plan=Count("id", filter=Q(_planned=False)),
        n_no_report=Count("id", filter=Q(_received=False)),
    ):
        counts = result[row["_key"]]
        counts.cells, counts.no_session = row["n"], row["n_no_session"]
        counts.no_plan, counts.no_report = row["n_no_plan"], row["n_no_report"]
    # Regular memberships only: a member temporarily attached to another cell is counted once, in
    # their own cell (as the organisation tree counts them), whichever level the figures roll up to.
    members = Membership.objects.filter(
        _active_on(today), organization__kind=Organization.Kind.CELL, kind=Membership.Kind.REGULAR
    )
    for row in grouping.group(members, "organization").annotate(n=Count("member_id", distinct=True)):
        result[row["_key"]].members = row["n"]
    return dict(result)


def reports_to_acknowledge(user: Any) -> list[Report]:
    """Submitted reports of the cells directly under a Đảng bộ the user serves as officer (home
    page): the committee directly above a cell receives its report, as with plans
    (planning.selectors.plans_to_acknowledge)."""
    from organizations.permissions import scope_for

    scope = scope_for(user)
    if not scope.officer_paths:
        return []
    return list(
        Report.objects.filter(cell__parent__path__in=scope.officer_paths, status=Report.Status.SUBMITTED)
        .select_related("cell", "document")
        .order_by("submitted_at")
    )


def cell_name(cell: Organization) -> str:
    """The cell's name without the leading "Chi bộ" (charts and narrow columns)."""
    name = cell.name
    return name[len("Chi bộ ") :] if name.lower().startswith("chi bộ ") else name
