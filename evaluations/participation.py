"""Each member's participation record for a year: the evidence for the year-end review (docs/domain.md §3).

Figures, for one member and one calendar year:

* meetings: every meeting of the member's cells recorded that year (regular and thematic), by how they
  attended — present (late included), excused, unexcused, exempted, attached to another cell — and the
  longest run of absences (excused or not; exempted meetings neither count nor break it);
* drafts: the approved drafts sent to their cells that year (their own excluded) and how many they
  opened;
* comments: the comments they wrote that year (replies not counted), on time or after the deadline, and
  how the presenter answered them (accepted, partly accepted);
* speeches at meetings; sessions they presented, with the secretary's rating of their presentation.

:func:`records` computes them for many members in a fixed number of queries; :func:`details` lists the
meetings, drafts, comments, speeches or sessions behind one figure, so every number explains itself.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.utils.translation import gettext_lazy as _

from drafts.models import Comment, Distribution, Reading, Response
from evaluations.models import SessionEvaluation
from meetings import rules
from meetings.models import Attendance, Meeting, Speech
from organizations.models import Exemption, Member, Membership
from planning.models import Assignment, Session

# The figures a page links to, in the order shown, with the label of their detail list.
ITEMS = {
    "present": _("Meetings attended"),
    "excused": _("Absent with reason"),
    "unexcused": _("Absent without reason"),
    "exempted": _("Exempted"),
    "elsewhere": _("Attached to another cell"),
    "drafts": _("Drafts received"),
    "opened": _("Drafts opened"),
    "comments": _("Comments"),
    "late": _("Comments after the deadline"),
    "accepted": _("Comments accepted"),
    "speeches": _("Speeches"),
    "presented": _("Sessions presented"),
}


@dataclass
class Presented:
    session: Session
    evaluation: SessionEvaluation | None


@dataclass
class Record:
    member: Member
    year: int
    present: int = 0
    late_arrivals: int = 0
    excused: int = 0
    unexcused: int = 0
    exempted: int = 0
    elsewhere: int = 0
    longest_absence: int = 0
    drafts: int = 0
    opened: int = 0
    comments: int = 0
    late: int = 0
    accepted: int = 0
    partly: int = 0
    speeches: int = 0
    presented: list[Presented] = field(default_factory=list)

    @property
    def meetings(self) -> int:
        return self.present + self.excused + self.unexcused + self.exempted + self.elsewhere

    @property
    def on_time(self) -> int:
        return self.comments - self.late

    @property
    def expected(self) -> int:
        """Meetings they were expected at (``meetings.rules.expected_at_meeting``: the absences counted
        are only those), and the meetings they came to although not expected: the member is credited
        for coming."""
        return self.present + self.excused + self.unexcused

    @property
    def attendance_rate(self) -> float | None:
        return 100 * self.present / self.expected if self.expected else None


# Meetings count once their minutes are approved (as in the quarterly reports).
RECORDED = (Meeting.Status.APPROVED, Meeting.Status.CORRECTING)
# A session counts as presented once it is held.
PRESENTED = (
    Session.Status.HELD,
    Session.Status.REVISING,
    Session.Status.FINAL_SUBMITTED,
    Session.Status.FINAL_APPROVED,
    Session.Status.RESOLUTION_ISSUED,
    Session.Status.EVALUATED,
)


def _item(status: str, exempted: bool, elsewhere: bool) -> str | None:
    """Which figure one attendance counts in: attending always counts; an absence counts as excused or
    unexcused only when the member was expected, else as exempted or attached elsewhere (None:
    suspended or detained, in none)."""
    if status in rules.ATTENDED:
        return "present"
    if not rules.expected_at_meeting(status, exempted=exempted, attached_elsewhere=elsewhere):
        return "exempted" if exempted else "elsewhere" if elsewhere else None
    return {rules.EXCUSED: "excused", rules.UNEXCUSED: "unexcused"}.get(status)


def _attendance(member_ids: Any, year: int) -> Any:
    return Attendance.objects.filter(
        member_id__in=member_ids, meeting__date__year=year, meeting__status__in=RECORDED
    ).exclude(status="")


def _received(member_ids: list[int], year: int, among: Any = None) -> dict[int, list[int]]:
    """The drafts sent to each member in ``year`` (session ids in order), by the rule the sending
    follows (drafts.services.recipients_of): a member of the session's cell on its date, not exempted
    unless the draft was sent to exempted members too, and not one of its presenters. Four queries
    (``among``: the same members as a subquery, see :func:`records`)."""
    among = member_ids if among is None else among
    start, end = date(year, 1, 1), date(year, 12, 31)
    periods: dict[int, list[tuple[int, date, date | None]]] = defaultdict(list)
    for member_id, cell_id, since, until in Membership.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start), member_id__in=among, start_date__lte=end
    ).values_list("member_id", "organization_id", "start_date", "end_date"):
        periods[member_id].append((cell_id, since, until))
    exemptions: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for member_id, since, until in Exemption.objects.filter(member_id__in=among).values_list(
        "member_id", "start_date", "end_date"
    ):
        exemptions[member_id].append((since, until))
    cells = {cell_id for spans in periods.values() for cell_id, _s, _u in spans}
    distributions = list(
        Distribution.objects.filter(session__cell_id__in=cells, distributed_at__year=year)
        .order_by("distributed_at")
        .values_list(
            "session_id", "session__cell_id", "session__planned_date", "distributed_at", "include_exempted"
        )
    )
    presenters: dict[int, set[int]] = defaultdict(set)
    for session_id, member_id in Assignment.objects.filter(
        session_id__in=[d[0] for d in distributions], member_id__in=among
    ).values_list("session_id", "member_id"):
        presenters[session_id].add(member_id)

    def within(day: date, since: date, until: date | None) -> bool:
        return since <= day and (until is None or day <= until)

    # Only the members with a period in the session's cell can have received it: looking at those alone
    # keeps a batch of many cells linear in its members, not members × drafts.
    in_cell: dict[int, list[int]] = defaultdict(list)
    for member_id in member_ids:
        for cell_id in dict.fromkeys(c for c, _s, _u in periods[member_id]):
            in_cell[cell_id].append(member_id)
    received: dict[int, list[int]] = defaultdict(list)
    for session_id, cell_id, planned, sent, include_exempted in distributions:
        day = planned or sent.date()
        for member_id in in_cell[cell_id]:
            if member_id in presenters[session_id]:
                continue
            if not any(c == cell_id and within(day, since, until) for c, since, until in periods[member_id]):
                continue
            if not include_exempted and any(
                within(day, since, until) for since, until in exemptions[member_id]
            ):
                continue
            received[member_id].append(session_id)
    return received


def _item_case() -> Case:
    """:func:`_item` as an SQL expression over attendance rows (NULL: in no figure)."""
    return Case(
        When(status__in=rules.ATTENDED, then=Value("present")),
        When(exempted=True, then=Value("exempted")),
        When(attached_elsewhere=True, then=Value("elsewhere")),
        When(status__in=rules.NOT_EXPECTED, then=Value(None)),
        When(status=rules.EXCUSED, then=Value("excused")),
        When(status=rules.UNEXCUSED, then=Value("unexcused")),
        default=Value(None),
        output_field=CharField(),
    )


def _meeting_figures(member_ids: Any, year: int) -> list[tuple[int, ...]]:
    """Per member with a recorded meeting in ``year``: (member, present, late arrivals, excused,
    unexcused, exempted, elsewhere, longest run of absences), aggregated by the database in one query.

    The longest run is the "gaps and islands" method: over the member's meetings in date order that
    count in a run (attended, excused, unexcused: exempted, attached elsewhere and suspended neither
    count nor break it), a running count of the meetings attended numbers the islands of absences
    between two attendances; the longest run is the largest island's count of absences."""
    # Named columns (the query's aliases), not positions: Django orders annotations after fields.
    rows, params = (
        _attendance(member_ids, year)
        .annotate(item=_item_case(), meeting_day=F("meeting__date"), meeting_start=F("meeting__start_time"))
        .order_by()
        .values_list("member_id", "item", "status", "meeting_day", "meeting_start", "meeting_id")
        .query.sql_with_params()
    )

    def count(condition: str) -> str:
        return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"

    # One pipeline, no join back: each meeting's island (the member's meetings attended so far), the
    # figures summed per island, then per member with the longest island's absences. Rows outside
    # runs (exempted, attached elsewhere, suspended) fall in an island but neither count nor break it.
    sql = f"""
        SELECT member_id, SUM(present), SUM(late), SUM(excused), SUM(unexcused), SUM(exempted),
            SUM(elsewhere), MAX(absences)
        FROM (
            SELECT member_id, island,
                {count("item = 'present'")} AS present,
                {count("status = %s")} AS late,
                {count("item = 'excused'")} AS excused,
                {count("item = 'unexcused'")} AS unexcused,
                {count("item = 'exempted'")} AS exempted,
                {count("item = 'elsewhere'")} AS elsewhere,
                {count("item IN ('excused', 'unexcused')")} AS absences
            FROM (
                SELECT member_id, item, status, {count("item = 'present'")} OVER (
                    PARTITION BY member_id ORDER BY meeting_day, meeting_start, meeting_id
                    ROWS UNBOUNDED PRECEDING
                ) AS island
                FROM ({rows}) marks
            ) islands
            GROUP BY member_id, island
        ) runs
        GROUP BY member_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [rules.LATE, *params])
        return [tuple(int(v or 0) for v in row) for row in cursor.fetchall()]


def records(members: list[Member], year: int, among: Any = None) -> dict[int, Record]:
    """The record of each member for ``year``, in a fixed number of queries whatever their number: the
    figures are counted by the database (aggregates per member), only the drafts received are
    decided in Python, over the batch's distributions and memberships.

    ``among``: a subquery of exactly these members' ids (``values("member_id")``), used in the queries
    instead of the list of their ids: with thousands of members a batch, building, sending and
    parsing the lists cost more than the database's work (the year-end archive)."""
    ids = [m.pk for m in members]
    among = ids if among is None else among
    result = {m.pk: Record(member=m, year=year) for m in members}
    for member_id, present, late, excused, unexcused, exempted, elsewhere, longest in _meeting_figures(
        among, year
    ):
        record = result[member_id]
        record.present, record.late_arrivals, record.excused, record.unexcused = (
            present,
            late,
            excused,
            unexcused,
        )
        record.exempted, record.elsewhere, record.longest_absence = exempted, elsewhere, longest
    # Drafts sent to them and opened.
    received = _received(ids, year, among)
    for member_id, sessions in received.items():
        result[member_id].drafts = len(sessions)
    sent = {session_id for sessions in received.values() for session_id in sessions}
    for member_id, session_id in Reading.objects.filter(member_id__in=among, session_id__in=sent).values_list(
        "member_id", "session_id"
    ):
        if session_id in received.get(member_id, ()):
            result[member_id].opened += 1
    # Comments, on time or late (the flag set when it was written), and how they were answered.
    for author_id, comments, late, accepted, partly in (
        _comments(among, year)
        .order_by()
        .values("author_id")
        .annotate(
            n=Count("pk"),
            late_n=Count("pk", filter=Q(late=True)),
            accepted_n=Count("pk", filter=Q(response__decision=Response.Decision.ACCEPTED)),
            partly_n=Count("pk", filter=Q(response__decision=Response.Decision.PARTLY)),
        )
        .values_list("author_id", "n", "late_n", "accepted_n", "partly_n")
    ):
        record = result[author_id]
        record.comments, record.late, record.accepted, record.partly = comments, late, accepted, partly
    # Speeches, and the sessions they presented once held.
    for member_id, speeches in (
        Speech.objects.filter(
            member_id__in=among,
            meeting__date__year=year,
            meeting__status__in=RECORDED,
            kind=Speech.Kind.SPEECH,
        )
        .order_by()
        .values("member_id")
        .annotate(n=Count("pk"))
        .values_list("member_id", "n")
    ):
        result[member_id].speeches = speeches
    for assignment in (
        Assignment.objects.filter(
            member_id__in=among, session__planned_date__year=year, session__status__in=PRESENTED
        )
        .select_related("session__evaluation", "session__cell")
        .order_by("session__planned_date")
    ):
        evaluation = getattr(assignment.session, "evaluation", None)
        result[assignment.member_id].presented.append(Presented(assignment.session, evaluation))
    return result


def _comments(member_ids: Any, year: int) -> Any:
    return Comment.objects.filter(
        author_id__in=member_ids, parent=None, deleted_at=None, created_at__year=year
    ).order_by("created_at")


def record(member: Member, year: int) -> Record:
    return records([member], year)[member.pk]


@dataclass
class Line:
    """One row behind a figure: when, what, and a link."""

    day: date | None
    text: str
    note: str
    url: str


def details(member: Member, year: int, item: str) -> list[Line]:
    """The meetings, drafts, comments, speeches or sessions behind one figure of the record."""
    from django.urls import reverse

    if item in ("present", "excused", "unexcused", "exempted", "elsewhere"):
        lines: list[Line] = []
        rows = _attendance([member.pk], year).select_related("meeting__session")
        for a in rows.order_by("meeting__date", "meeting__start_time"):
            if _item(a.status, a.exempted, a.attached_elsewhere) != item:
                continue
            meeting = a.meeting
            title = meeting.session.title if meeting.session else str(meeting.get_kind_display())
            note = a.get_status_display() + (f" · {a.reason}" if a.reason else "")
            lines.append(Line(meeting.date, title, note, reverse("meetings:detail", args=[meeting.pk])))
        return lines
    if item in ("drafts", "opened"):
        sessions = _received([member.pk], year).get(member.pk, [])
        opened = set(
            Reading.objects.filter(member=member, session_id__in=sessions).values_list(
                "session_id", flat=True
            )
        )
        lines = []
        by_id = {
            d.session_id: d
            for d in Distribution.objects.filter(session_id__in=sessions).select_related("session")
        }
        for session_id in sessions:
            d = by_id[session_id]
            if item == "opened" and session_id not in opened:
                continue
            note = str(_("opened")) if session_id in opened else str(_("not opened"))
            lines.append(
                Line(
                    d.distributed_at.date(), d.session.title, note, reverse("drafts:read", args=[session_id])
                )
            )
        return lines
    if item in ("comments", "late", "accepted"):
        lines = []
        for c in _comments([member.pk], year).select_related("session", "response"):
            response = getattr(c, "response", None)
            if item == "late" and not c.late:
                continue
            if item == "accepted" and (response is None or response.decision != Response.Decision.ACCEPTED):
                continue
            note = response.get_decision_display() if response else str(_("not answered yet"))
            if c.late:
                note = f"{_('after the deadline')} · {note}"
            url = reverse("drafts:read", args=[c.session_id]) + f"#c{c.pk}"
            lines.append(Line(c.created_at.date(), f"{c.session.title}: {c.body[:120]}", note, url))
        return lines
    if item == "speeches":
        return [
            Line(
                s.meeting.date,
                s.meeting.session.title if s.meeting.session else str(s.meeting.get_kind_display()),
                s.summary[:160],
                reverse("meetings:detail", args=[s.meeting_id]),
            )
            for s in Speech.objects.filter(
                member=member, meeting__date__year=year, meeting__status__in=RECORDED, kind=Speech.Kind.SPEECH
            )
            .select_related("meeting__session")
            .order_by("meeting__date")
        ]
    if item == "presented":
        return [
            Line(
                p.session.planned_date,
                p.session.title,
                p.evaluation.get_presenter_rating_display() if p.evaluation else str(_("not evaluated yet")),
                reverse("planning:session", args=[p.session.pk]),
            )
            for p in record(member, year).presented
        ]
    raise KeyError(item)
