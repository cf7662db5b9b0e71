"""The figures the database aggregates (evaluations.participation._meeting_figures: counts by
item and the longest run of absences by "gaps and islands") against the Python computation they
replaced, on varied random histories: exempted and attached-elsewhere flags, suspended, detained,
late, unmarked, meetings not yet recorded and of other years, two meetings on one day (ordered by
start time, then id), members whose meetings are in two cells (a change of cell mid-year)."""

import random
from collections import defaultdict
from datetime import date, time, timedelta

from django.utils import timezone

from drafts.models import Comment, Response
from evaluations import participation
from evaluations.tests.test_participation import _distributed, member
from meetings import rules
from meetings.models import Attendance, Meeting, Speech
from tests.factories import CellFactory, member_in

YEAR = 2026
STATUSES = [
    rules.PRESENT,
    rules.LATE,
    rules.EXCUSED,
    rules.EXCUSED,
    rules.UNEXCUSED,
    rules.UNEXCUSED,
    rules.EXEMPTED,
    rules.ELSEWHERE,
    rules.SUSPENDED,
    rules.DETAINED,
    "",
]


def python_figures(member_ids: list[int], year: int) -> dict[int, tuple[int, ...]]:
    """The computation records() did before the database did it (rows in date order, in Python)."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    history: dict[int, list[str]] = defaultdict(list)
    for member_id, status, exempted, elsewhere in (
        participation._attendance(member_ids, year)
        .order_by("meeting__date", "meeting__start_time", "meeting_id")
        .values_list("member_id", "status", "exempted", "attached_elsewhere")
    ):
        item = participation._item(status, exempted, elsewhere)
        if item:
            counts[member_id][item] += 1
        if status == rules.LATE:
            counts[member_id]["late"] += 1
        history[member_id].append(status if item in ("present", "excused", "unexcused") else rules.EXEMPTED)
    return {
        member_id: (
            *(
                counts[member_id][k]
                for k in ("present", "late", "excused", "unexcused", "exempted", "elsewhere")
            ),
            rules.longest_absence_run(history[member_id]),
        )
        for member_id in history
    }


def test_the_database_figures_equal_the_python_ones_on_random_histories(world):
    rng = random.Random(12)
    cells = [CellFactory(parent=world.party, name=f"Chi bộ {n}") for n in range(2)]
    members = [member_in(cells[n % 2], full_name=f"Đảng viên {n}") for n in range(14)]
    meetings = []
    for cell in cells:
        # Two meetings on one day (by start time), some of last year.
        slots = {
            (date(rng.choice([YEAR, YEAR, YEAR, YEAR - 1]), rng.randint(1, 12), rng.choice([5, 20])), start)
            for start in (time(7, 30), time(14, 0))
            for _n in range(20)
        }
        for day, start in sorted(slots):
            meetings.append(
                Meeting(
                    cell=cell,
                    kind="regular",
                    date=day,
                    start_time=start,
                    place="Phòng họp",
                    status=rng.choice(
                        [Meeting.Status.APPROVED] * 4 + [Meeting.Status.CORRECTING, Meeting.Status.SCHEDULED]
                    ),
                )
            )
    Meeting.objects.bulk_create(meetings)
    rows = []
    for meeting in meetings:
        for m in members:
            # Mostly their own cell's meetings; some in the other cell (moved mid-year, attached).
            if rng.random() < (0.85 if m.memberships.get().organization_id == meeting.cell_id else 0.2):
                rows.append(
                    Attendance(
                        meeting=meeting,
                        member=m,
                        status=rng.choice(STATUSES),
                        full=True,
                        exempted=rng.random() < 0.12,
                        attached_elsewhere=rng.random() < 0.08,
                    )
                )
    Attendance.objects.bulk_create(rows)
    ids = [m.pk for m in members]

    expected = python_figures(ids, YEAR)
    figures = {row[0]: tuple(row[1:]) for row in participation._meeting_figures(ids, YEAR)}
    assert figures == expected
    # The data is varied enough to test something: runs longer than one, every figure used.
    assert max(f[6] for f in figures.values()) >= 3
    assert all(sum(f[i] for f in figures.values()) > 0 for i in range(6))
    # And records() carries them over as they are.
    records = participation.records(members, YEAR)
    for member_id, (present, late, excused, unexcused, exempted, elsewhere, longest) in expected.items():
        r = records[member_id]
        assert (r.present, r.late_arrivals, r.excused, r.unexcused, r.exempted, r.elsewhere) == (
            present,
            late,
            excused,
            unexcused,
            exempted,
            elsewhere,
        )
        assert r.longest_absence == longest


def test_comment_and_speech_counts_equal_the_python_ones(world):
    """Comments: replies, deleted ones and last year's left out; late, accepted, partly accepted,
    rejected and unanswered. Speeches: presentations and other years' meetings left out."""
    rng = random.Random(7)
    today = timezone.localdate()
    sessions = [_distributed(world, f"Chuyên đề {n}", today + timedelta(days=10 + n)) for n in range(2)]
    authors = [
        member(world.member),
        member(world.secretary),
        member(world.deputy),
        member(world.probationary),
    ]
    comments = []
    for n in range(60):
        session = rng.choice(sessions)
        version = session.draft_versions.order_by("-number").first()
        comments.append(
            Comment(
                session=session,
                version=version,
                current_version=version,
                author=rng.choice(authors),
                body=f"Góp ý {n}",
                late=rng.random() < 0.3,
                deleted_at=timezone.now() if rng.random() < 0.1 else None,
            )
        )
    Comment.objects.bulk_create(comments)
    for c in comments[::3]:  # replies: not counted
        Comment.objects.filter(pk=c.pk).update(parent=rng.choice(comments[1::3]))
    Comment.objects.filter(pk__in=[c.pk for c in comments[1::7]]).update(
        created_at=timezone.now() - timedelta(days=400)
    )
    decisions = [*Response.Decision.values, None]
    Response.objects.bulk_create(
        Response(comment=c, decision=d) for c in comments if (d := rng.choice(decisions)) is not None
    )
    meetings = []
    for n, year in enumerate([today.year] * 5 + [today.year - 1] * 2):
        meetings.append(
            Meeting.objects.create(
                cell=world.cell,
                kind="regular",
                date=date(year, n + 1, 5),
                start_time=time(7, 30),
                place="Phòng họp",
                status=rng.choice([*participation.RECORDED, Meeting.Status.SCHEDULED]),
            )
        )
    Speech.objects.bulk_create(
        Speech(
            meeting=rng.choice(meetings),
            member=rng.choice(authors),
            kind=rng.choice(Speech.Kind.values),
            summary="…",
        )
        for _n in range(40)
    )

    expected: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    ids = [a.pk for a in authors]
    for author_id, late, decision in participation._comments(ids, today.year).values_list(
        "author_id", "late", "response__decision"
    ):
        figures = expected[author_id]
        figures[0] += 1
        figures[1] += int(late)
        figures[2] += decision == Response.Decision.ACCEPTED
        figures[3] += decision == Response.Decision.PARTLY
    for (member_id,) in Speech.objects.filter(
        member_id__in=ids,
        meeting__date__year=today.year,
        meeting__status__in=participation.RECORDED,
        kind=Speech.Kind.SPEECH,
    ).values_list("member_id"):
        expected[member_id][4] += 1
    records = participation.records(authors, today.year)
    got = {pk: [r.comments, r.late, r.accepted, r.partly, r.speeches] for pk, r in records.items()}
    assert got == {pk: expected[pk] for pk in ids}
    # Varied enough to test something: every figure used, and some comments and speeches left out.
    assert all(sum(f[i] for f in got.values()) > 0 for i in range(5))
    assert sum(f[0] for f in got.values()) < len(comments) and sum(f[4] for f in got.values()) < 40
