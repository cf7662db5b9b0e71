"""Each member's participation record for a year: the evidence for the year-end review (DOMAIN §3).

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
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from drafts.models import Comment, Distribution, Reading, Response
from evaluations.models import SessionEvaluation
from meetings import rules
from meetings.models import Attendance, Meeting, Speech
from organizations.models import Member, Membership
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
STATUS_ITEM = {
    rules.PRESENT: "present",
    rules.LATE: "present",
    rules.EXCUSED: "excused",
    rules.UNEXCUSED: "unexcused",
    rules.EXEMPTED: "exempted",
    rules.ELSEWHERE: "elsewhere",
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
    def attendance_rate(self) -> float | None:
        expected = self.present + self.excused + self.unexcused
        return 100 * self.present / expected if expected else None

    def count(self, item: str) -> int:
        return len(self.presented) if item == "presented" else int(getattr(self, item))


def _year_q(prefix: str, year: int) -> Q:
    return Q(**{f"{prefix}__year": year})


def _cells_of(member_ids: list[int], year: int) -> dict[int, set[int]]:
    """The cells each member belonged to at some time during ``year``."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    cells: dict[int, set[int]] = defaultdict(set)
    for member_id, cell_id in Membership.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start), member_id__in=member_ids, start_date__lte=end
    ).values_list("member_id", "organization_id"):
        cells[member_id].add(cell_id)
    return cells


def _attendance(member_ids: list[int], year: int) -> Any:
    return Attendance.objects.filter(member_id__in=member_ids, meeting__date__year=year).exclude(
        meeting__status=Meeting.Status.SCHEDULED
    )


def _distributions(cell_ids: Iterable[int], year: int) -> Any:
    return Distribution.objects.filter(session__cell_id__in=list(cell_ids), distributed_at__year=year)


def records(members: list[Member], year: int) -> dict[int, Record]:
    """The record of each member for ``year``, in eight queries whatever their number."""
    ids = [m.pk for m in members]
    result = {m.pk: Record(member=m, year=year) for m in members}
    # Meetings: statuses in date order, for the counts and the longest run.
    statuses: dict[int, list[str]] = defaultdict(list)
    for member_id, status, exempted in (
        _attendance(ids, year)
        .exclude(status="")
        .order_by("meeting__date", "meeting__start_time", "meeting_id")
        .values_list("member_id", "status", "exempted")
    ):
        record = result[member_id]
        item = STATUS_ITEM.get(status)
        if exempted and status not in rules.ATTENDED:
            item = "exempted"
        if item:
            setattr(record, item, getattr(record, item) + 1)
        if status == rules.LATE:
            record.late_arrivals += 1
        statuses[member_id].append(rules.EXEMPTED if exempted else status)
    for member_id, history in statuses.items():
        result[member_id].longest_absence = rules.longest_absence_run(history)
    # Drafts sent to their cells (the ones they presented excluded) and opened.
    cells = _cells_of(ids, year)
    all_cells = set().union(*cells.values()) if cells else set()
    presenters = defaultdict(set)
    for session_id, member_id in Assignment.objects.filter(
        session__cell_id__in=all_cells, member_id__in=ids
    ).values_list("session_id", "member_id"):
        presenters[session_id].add(member_id)
    distributed = list(_distributions(all_cells, year).values_list("session_id", "session__cell_id"))
    for session_id, cell_id in distributed:
        for member_id in ids:
            if cell_id in cells.get(member_id, set()) and member_id not in presenters[session_id]:
                result[member_id].drafts += 1
    sent = {session_id for session_id, _cell in distributed}
    for member_id, session_id in Reading.objects.filter(member_id__in=ids, session_id__in=sent).values_list(
        "member_id", "session_id"
    ):
        if member_id not in presenters[session_id]:
            result[member_id].opened += 1
    # Comments, on time or late, and how they were answered.
    deadline = _Deadlines()
    for comment in _comments(ids, year).select_related("session__cell", "response"):
        record = result[comment.author_id]
        record.comments += 1
        if deadline.passed(comment):
            record.late += 1
        response = getattr(comment, "response", None)
        if response is not None and response.decision == Response.Decision.ACCEPTED:
            record.accepted += 1
        elif response is not None and response.decision == Response.Decision.PARTLY:
            record.partly += 1
    # Speeches and presentations.
    for (member_id,) in Speech.objects.filter(
        member_id__in=ids, meeting__date__year=year, kind=Speech.Kind.SPEECH
    ).values_list("member_id"):
        result[member_id].speeches += 1
    for assignment in (
        Assignment.objects.filter(member_id__in=ids, session__planned_date__year=year)
        .exclude(session__status=Session.Status.CANCELLED)
        .select_related("session__evaluation", "session__cell")
        .order_by("session__planned_date")
    ):
        evaluation = getattr(assignment.session, "evaluation", None)
        result[assignment.member_id].presented.append(Presented(assignment.session, evaluation))
    return result


class _Deadlines:
    """The comment deadline of a comment's session (planned date − the rule set's days), one rule-set
    lookup per cell."""

    def __init__(self) -> None:
        self.days: dict[int, int] = {}

    def passed(self, comment: Comment) -> bool:
        session = comment.session
        if session.planned_date is None:
            return False
        if session.cell_id not in self.days:
            self.days[session.cell_id] = session.cell.effective_rule_set().param("comments_due_days_before")
        return comment.created_at.date() > session.planned_date - timedelta(days=self.days[session.cell_id])


def _comments(member_ids: list[int], year: int) -> Any:
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
        rows = (
            _attendance([member.pk], year)
            .exclude(status="")
            .select_related("meeting__session", "meeting__cell")
        )
        lines: list[Line] = []
        for a in rows.order_by("meeting__date", "meeting__start_time"):
            mine = "exempted" if a.exempted and a.status not in rules.ATTENDED else STATUS_ITEM.get(a.status)
            if mine != item:
                continue
            meeting = a.meeting
            title = meeting.session.title if meeting.session else str(meeting.get_kind_display())
            note = a.get_status_display() + (f" · {a.reason}" if a.reason else "")
            lines.append(Line(meeting.date, title, note, reverse("meetings:detail", args=[meeting.pk])))
        return lines
    if item in ("drafts", "opened"):
        cells = _cells_of([member.pk], year).get(member.pk, set())
        opened = set(Reading.objects.filter(member=member).values_list("session_id", flat=True))
        presented = set(Assignment.objects.filter(member=member).values_list("session_id", flat=True))
        lines = []
        for d in _distributions(cells, year).select_related("session").order_by("distributed_at"):
            if d.session_id in presented or (item == "opened" and d.session_id not in opened):
                continue
            note = str(_("opened")) if d.session_id in opened else str(_("not opened"))
            lines.append(
                Line(
                    d.distributed_at.date(),
                    d.session.title,
                    note,
                    reverse("drafts:read", args=[d.session_id]),
                )
            )
        return lines
    if item in ("comments", "late", "accepted"):
        lines = []
        deadline = _Deadlines()
        for c in _comments([member.pk], year).select_related("session__cell", "response"):
            response = getattr(c, "response", None)
            late = deadline.passed(c)
            if item == "late" and not late:
                continue
            if item == "accepted" and (response is None or response.decision != Response.Decision.ACCEPTED):
                continue
            note = response.get_decision_display() if response else str(_("not answered yet"))
            if late:
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
            for s in Speech.objects.filter(member=member, meeting__date__year=year, kind=Speech.Kind.SPEECH)
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
