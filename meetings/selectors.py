"""Read-side helpers of the meeting pages: counts, the vote basis, rule checks, tasks, the session cycle.

Each loads what it needs in a fixed number of queries, whatever the size of the cell or its history.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from meetings import rules
from meetings.models import Attendance, Meeting, ResolutionTask
from organizations.permissions import scope_for
from organizations.selectors import vietnamese_name_key
from planning import lifecycle
from planning.models import Session


def attendances(meeting: Meeting) -> list[Attendance]:
    """The attendance list in Vietnamese name order (one query)."""
    return sorted(
        meeting.attendances.select_related("member"), key=lambda a: vietnamese_name_key(a.member.full_name)
    )


@dataclass
class Summary:
    total: int  # the cell's own members (not those attached here)
    full: int
    probationary: int
    attached_here: int
    exempted: int
    present: int
    late: int
    excused: int
    unexcused: int
    unmarked: int
    rate: float | None
    basis: rules.VoteBasis


def summary(rows: list[Attendance]) -> Summary:
    own = [a for a in rows if not a.attached_here]
    statuses = [rate_status(a) for a in rows]
    return Summary(
        total=len(own),
        full=sum(1 for a in own if a.full),
        probationary=sum(1 for a in own if not a.full),
        attached_here=len(rows) - len(own),
        exempted=sum(1 for a in own if a.exempted),
        present=sum(1 for a in rows if a.status in rules.ATTENDED),
        late=sum(1 for a in rows if a.status == rules.LATE),
        excused=sum(1 for a in rows if a.status == rules.EXCUSED),
        unexcused=sum(1 for a in rows if a.status == rules.UNEXCUSED),
        unmarked=sum(1 for a in rows if not a.status),
        rate=rules.attendance_rate([s for s in statuses if s]),
        basis=rules.vote_basis(a.voter() for a in rows),
    )


def rate_status(attendance: Attendance) -> str:
    """The attendance as the attendance rules see it: ``rules.EXEMPTED`` for a member not expected at
    the meeting (``rules.expected_at_meeting``: exempted even when they come, attached to another cell,
    suspended or detained), else the status marked ("" while unmarked)."""
    if not rules.expected_at_meeting(
        attendance.status, exempted=attendance.exempted, attached_elsewhere=attendance.attached_elsewhere
    ):
        return rules.EXEMPTED
    return attendance.status


def checks(meeting: Meeting, rows: list[Attendance] | None = None) -> list[rules.Check]:
    """The rule checks of the record (docs/domain.md §3), over every meeting of the cell this year up to this
    one: two queries whatever the number of meetings."""
    rows = attendances(meeting) if rows is None else rows
    params = meeting.cell.effective_rule_set().params
    names = {a.member_id: a.member.full_name for a in rows}
    history: dict[int, list[tuple[date, str]]] = defaultdict(list)
    past = Attendance.objects.filter(
        meeting__cell_id=meeting.cell_id,
        meeting__date__year=meeting.date.year,
        meeting__date__lte=meeting.date,
        member_id__in=list(names),
    ).exclude(meeting__status=Meeting.Status.SCHEDULED)
    for member_id, day, _start, meeting_id, status, exempted in past.values_list(
        "member_id", "meeting__date", "meeting__start_time", "meeting_id", "status", "exempted"
    ).order_by("meeting__date", "meeting__start_time", "meeting_id"):
        if meeting_id == meeting.pk or not status:
            continue
        history[member_id].append((day, rules.EXEMPTED if exempted else status))
    for a in rows:
        if a.status:
            history[a.member_id].append((meeting.date, rate_status(a)))
    return rules.meeting_checks(
        statuses={a.member.full_name: rate_status(a) for a in rows if a.status},
        minutes_held=meeting.minutes_held,
        combined=meeting.kind == Meeting.Kind.COMBINED,
        histories={names[member_id]: h for member_id, h in history.items()},
        params=params,
    )


def rubric_for(meeting: Meeting) -> rules.Rubric:
    """The quality rubric of the rule set the meeting's cell follows."""
    return rules.Rubric.from_params(meeting.cell.effective_rule_set().param("quality_rubric"))


def quality_label(meeting: Meeting) -> str:
    """The name of the quality level the meeting was given, in the rubric's words ("" before scoring)."""
    if not meeting.quality_level:
        return ""
    rubric = rubric_for(meeting)
    return next((lv.label for lv in rubric.levels if lv.code == meeting.quality_level), meeting.quality_level)


@dataclass
class Shortfall:
    """Why the meeting is not at the level its points reach: that level, and the criteria that must
    be full for it and are not (e.g. "Khá (98 điểm)": not "Tốt" because attendance was not full)."""

    level: str
    criteria: list[str]


def quality_shortfall(meeting: Meeting) -> Shortfall | None:
    if not meeting.quality_level or not meeting.quality_scores:
        return None
    rubric = rubric_for(meeting)
    assessment = rules.assess(rubric, meeting.quality_scores)
    by_points = next((lv for lv in rubric.levels if assessment.score >= lv.min_points), None)
    if by_points is None or by_points.code == meeting.quality_level or not assessment.not_full:
        return None
    return Shortfall(by_points.label, [c.label for c in assessment.not_full])


def open_tasks(cell_id: int) -> QuerySet[ResolutionTask]:
    """Tasks of the cell's issued resolutions not done yet, oldest deadline first (owners: see
    :func:`with_owners`)."""
    return (
        ResolutionTask.objects.filter(
            resolution__meeting__cell_id=cell_id, resolution__issued_at__isnull=False, done_at__isnull=True
        )
        .select_related("resolution__document", "resolution__meeting__session")
        .order_by("deadline", "id")
    )


def with_owners(tasks: QuerySet[ResolutionTask]) -> list[ResolutionTask]:
    """``tasks`` in their order, each with ``owner_names`` (its owners' names, in name order), in one
    query whether there are tasks or not: a ``prefetch_related`` would add a second query only when
    some task is found, so a page's query count would depend on the data. ``tasks`` must not filter
    on the owners (the join would be shared, and only the owners filtered for would be named)."""
    rows = tasks.annotate(owner_name=F("owners__full_name")).order_by(*tasks.query.order_by, "owner_name")
    found: dict[int, ResolutionTask] = {}
    names: dict[int, list[str]] = defaultdict(list)
    for row in rows:  # one row per task and owner (a task without owners: one row, no name)
        found.setdefault(row.pk, row)
        if row.owner_name:
            names[row.pk].append(row.owner_name)
    for pk, task in found.items():
        task.owner_names = names[pk]  # type: ignore[attr-defined]
    return list(found.values())


def my_tasks(user: Any) -> list[ResolutionTask]:
    """The open tasks the user carries out, for the home page (one query)."""
    scope = scope_for(user)
    if scope.member_id is None:
        return []
    # EXISTS on the person's owner rows: with ``pk IN (…)`` PostgreSQL hashed every task of the
    # province first (0.45 s at province scale, against 0.5 ms).
    owners = ResolutionTask.owners.through._default_manager
    mine = owners.filter(resolutiontask_id=OuterRef("pk"), member_id=scope.member_id)
    return with_owners(
        ResolutionTask.objects.filter(Exists(mine), resolution__issued_at__isnull=False, done_at__isnull=True)
        .select_related("resolution__document", "resolution__meeting__session")
        .order_by("deadline", "id")
    )


def upcoming_meetings(user: Any) -> list[Meeting]:
    """Meetings of the user's cells from today on, for the home page."""
    scope = scope_for(user)
    if not scope.cell_ids:
        return []
    return list(
        Meeting.objects.filter(cell_id__in=scope.cell_ids, date__gte=timezone.localdate())
        .exclude(status=Meeting.Status.APPROVED)
        .select_related("cell", "session")
        .order_by("date", "start_time")[:10]
    )


def sessions_for_meeting(cell: Any) -> QuerySet[Session]:
    """The sessions of ``cell`` a new meeting may hold (the choices of the meeting form, on the page and
    in the API): not finished, and without a meeting yet."""
    return (
        Session.objects.filter(cell=cell, meeting__isnull=True)
        .exclude(status__in=lifecycle.FINISHED)
        .order_by("planned_date", "id")
    )


def cell_meetings(cell_id: int) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(cell_id=cell_id)
        .select_related("session", "notice", "minutes_document")
        .prefetch_related(Prefetch("resolution__document"))
        .order_by("-date", "-start_time")
    )


def _issued_under(party: Any, year: int) -> QuerySet[Any]:
    from meetings.models import Resolution

    return Resolution.objects.filter(
        meeting__cell__path__startswith=party.path,
        issued_at__isnull=False,
        document__issued_on__year=year,
    )


def _issued_documents(year: int) -> QuerySet[Any]:
    """The issued documents of the resolutions (and conclusions) issued in ``year``: one per issued
    resolution, issued by its meeting's cell on the resolution's date (services.issue_resolution), so
    counting them counts the resolutions. Counted this way, a province's year is read from the
    documents alone (their source and date indexes), not joined to every resolution and meeting:
    4,700 pages read instead of 55,000 at province scale."""
    from django.contrib.contenttypes.models import ContentType

    from documents.models import IssuedDocument
    from meetings.models import Resolution

    return IssuedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(Resolution), issued_on__year=year
    )


def resolutions_under(party: Any, year: int, limit: int | None = None) -> list[Any]:
    """Resolutions issued in ``year`` by the cells under ``party`` (the Đảng ủy's page), the latest
    first (the first ``limit`` of them), with their tasks counted: one query."""
    from django.db.models import Count, IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from meetings.models import ResolutionTask

    def tasks(**done: Any) -> Any:  # correlated counts: the latest few are sorted before any counting
        counted = (
            ResolutionTask.objects.filter(resolution=OuterRef("pk"), **done)
            .order_by()
            .values("resolution")
            .annotate(n=Count("id"))
            .values("n")
        )
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    issued = (
        _issued_under(party, year)
        .select_related("document", "meeting__cell", "meeting__session")
        .annotate(tasks_total=tasks(), tasks_done=tasks(done_at__isnull=False))
        .order_by("-document__issued_on", "-id")
    )
    return list(issued[:limit] if limit is not None else issued)


def session_page(user: Any, session: Any) -> dict[str, Any]:
    """The meetings' part of the session page (registered with planning.hooks): its meeting (the
    cycle and what to do next come from planning.lifecycle, given this meeting)."""
    return {"meeting": Meeting.objects.filter(session=session).first()}


OVERSIGHT_RESOLUTIONS = 10


def oversight_page(node: Any, year: int) -> dict[str, Any]:
    """The meetings' part of the Đảng ủy's oversight page at ``node`` (registered with planning.hooks):
    the latest resolutions issued in ``year`` under it, how many in all, and how many under each
    organisation directly below it (``{child path: n}``, for the rows). Three queries, whatever the
    number of cells."""
    from django.db.models import Count

    from organizations.rollup import by_child

    counts = by_child(node, _issued_documents(year), "organization__path", n=Count("id"))
    return {
        "resolutions": resolutions_under(node, year, limit=OVERSIGHT_RESOLUTIONS),
        "resolutions_total": sum(row["n"] for row in counts.values()),
        "resolutions_by_child": {path: row["n"] for path, row in counts.items()},
    }


def records_to_finish(user: Any) -> list[Meeting]:
    """Meeting records the user keeps (as a secretary of the cell or the appointed minutes secretary)
    that are not approved yet: being recorded, reopened for a correction, or to be started (a meeting
    of the cell that has begun today or earlier without its record opened)."""
    scope = scope_for(user)
    mine = Q(cell_id__in=scope.managed_cell_ids)
    if scope.member_id is not None:
        mine |= Q(minutes_secretary_id=scope.member_id)
    now = timezone.localtime()
    begun = Q(date__lt=now.date()) | Q(date=now.date(), start_time__lte=now.time())
    to_start = Q(status=Meeting.Status.SCHEDULED, cell_id__in=scope.managed_cell_ids) & begun
    return list(
        Meeting.objects.filter(
            (mine & Q(status__in=(Meeting.Status.IN_PROGRESS, Meeting.Status.CORRECTING))) | to_start
        )
        .select_related("cell", "session")
        .order_by("date", "start_time")
    )


def meetings_to_check_in(user: Any) -> list[Meeting]:
    """Today's meetings of the user's cells being recorded, at which the user is expected and not marked
    yet: they check in from their phone (the room's check-in page). Not those exempted or attached
    elsewhere (the record marks them so when it opens), nor a record finished on a later day."""
    scope = scope_for(user)
    if scope.member_id is None:
        return []
    return list(
        Meeting.objects.filter(
            status=Meeting.Status.IN_PROGRESS,
            date=timezone.localdate(),
            attendances__member_id=scope.member_id,
            attendances__status="",
        )
        .select_related("cell", "session")
        .order_by("start_time")
    )


def notices_to_issue(user: Any) -> list[Meeting]:
    """Meetings of the cells the user leads, still to come, whose notice is not issued yet."""
    scope = scope_for(user)
    return list(
        Meeting.objects.filter(
            cell_id__in=scope.managed_cell_ids,
            status=Meeting.Status.SCHEDULED,
            notice__isnull=True,
            date__gte=timezone.localdate(),
        )
        .select_related("cell", "session")
        .order_by("date", "start_time")
    )


def sessions_to_meet(user: Any) -> QuerySet[Session]:
    """Sessions of the cells the user leads whose draft is with the members and whose meeting is not
    planned yet: the next step is to plan it (and issue its notice)."""
    scope = scope_for(user)
    return (
        Session.objects.filter(
            cell_id__in=scope.managed_cell_ids, status=Session.Status.DISTRIBUTED, meeting__isnull=True
        )
        .select_related("cell")
        .order_by("planned_date", "pk")
    )
