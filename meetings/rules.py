"""The rules of a cell meeting (docs/domain.md §3), as pure functions over data the caller loads.

* the vote: a resolution passes only when the votes *for* exceed half of the **adjusted total**
  (Điều lệ Đảng art. 9.5; QĐ 24-QĐ/TW 9.3.2), not half of those present;
* the attendance checks of HD 12 and Điều lệ art. 8;
* the quality level from a rubric stored as data in the rule set.

The meeting records (attendance, speeches, the vote, minutes) are the next step of the meetings
feature; these rules come first because every screen and document of it shows their results.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

# --- The vote --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Voter:
    """One member summoned to the meeting, as the vote rule sees them."""

    member_id: int
    full: bool  # probationary members never vote (Điều lệ art. 5)
    present: bool = True
    exempted: bool = False  # miễn sinh hoạt: left out of the total when absent; counts when present
    attached_elsewhere: bool = False  # sinh hoạt tạm thời at another cell
    suspended: bool = False  # đình chỉ sinh hoạt
    detained: bool = False  # bị truy tố, tạm giam


@dataclass(frozen=True)
class VoteBasis:
    """The adjusted total and its parts, shown wherever a vote is recorded."""

    full_members: int
    attached_elsewhere: int
    exempted_absent: int
    suspended: int
    detained: int
    adjusted_total: int
    needed: int  # the least number of votes for that passes
    eligible_present: int  # who may vote in the room

    def parts(self) -> list[tuple[str, int]]:
        """The computation in words, in order: total − each deduction = adjusted total."""
        return [
            (_("Full members summoned"), self.full_members),
            (_("temporarily attached to another cell"), -self.attached_elsewhere),
            (_("exempted and absent"), -self.exempted_absent),
            (_("suspended from activity"), -self.suspended),
            (_("prosecuted or detained"), -self.detained),
            (_("Adjusted total"), self.adjusted_total),
        ]


def vote_basis(voters: Iterable[Voter]) -> VoteBasis:
    """The adjusted total of docs/domain.md §3 and the votes needed to pass (more than half of it)."""
    full = [v for v in voters if v.full]
    attached = sum(1 for v in full if v.attached_elsewhere)
    remaining = [v for v in full if not v.attached_elsewhere]
    suspended = sum(1 for v in remaining if v.suspended)
    detained = sum(1 for v in remaining if v.detained and not v.suspended)
    remaining = [v for v in remaining if not v.suspended and not v.detained]
    exempted_absent = sum(1 for v in remaining if v.exempted and not v.present)
    adjusted = len(full) - attached - suspended - detained - exempted_absent
    eligible_present = sum(1 for v in remaining if v.present)
    return VoteBasis(
        full_members=len(full),
        attached_elsewhere=attached,
        exempted_absent=exempted_absent,
        suspended=suspended,
        detained=detained,
        adjusted_total=adjusted,
        needed=adjusted // 2 + 1,
        eligible_present=eligible_present,
    )


@dataclass(frozen=True)
class VoteResult:
    votes_for: int
    against: int
    other: int
    basis: VoteBasis
    passed: bool


class InvalidCount(ValueError):
    """The counts cannot be true (negative, or more votes than eligible voters in the room)."""


def tally(basis: VoteBasis, *, votes_for: int, against: int, other: int) -> VoteResult:
    """Check the counts against who may vote, and decide: passed when votes for ≥ ``basis.needed``."""
    if min(votes_for, against, other) < 0:
        raise InvalidCount(_("Vote counts cannot be negative."))
    cast = votes_for + against + other
    if cast > basis.eligible_present:
        raise InvalidCount(
            _(
                "%(cast)s votes were counted but only %(eligible)s full members who may vote are present "
                "(probationary members do not vote)."
            )
            % {"cast": cast, "eligible": basis.eligible_present}
        )
    return VoteResult(votes_for, against, other, basis, passed=votes_for >= basis.needed)


# --- Attendance --------------------------------------------------------------------------------

# The attendance statuses (meetings.models.Attendance.Status gives them their labels).
PRESENT, LATE, EXCUSED, UNEXCUSED, EXEMPTED, ELSEWHERE, SUSPENDED, DETAINED = (
    "present",
    "late",
    "absent_excused",
    "absent_unexcused",
    "exempted",
    "attached_elsewhere",
    "suspended",
    "detained",
)
ATTENDED = (PRESENT, LATE)
ABSENT = (EXCUSED, UNEXCUSED)
# Marked with these, a member is not expected at the meeting (see expected_at_meeting).
NOT_EXPECTED = (EXEMPTED, ELSEWHERE, SUSPENDED, DETAINED)


def expected_at_meeting(status: str, *, exempted: bool, attached_elsewhere: bool) -> bool:
    """Does a member count in the meeting's attendance target (docs/domain.md §1, §3)? Not when exempted from
    Party work and meetings (even if they come: welcome, and they may vote), not when temporarily
    attached to another cell (they attend there), not when suspended from activity or detained.

    The one rule behind the meeting record, the quarterly figures and the members' records; the
    database form is :func:`expected_at_meeting_q`."""
    return not exempted and not attached_elsewhere and status not in NOT_EXPECTED


def expected_at_meeting_q() -> Q:
    """:func:`expected_at_meeting` as a filter on attendance rows, to count them in the database."""
    return Q(exempted=False, attached_elsewhere=False) & ~Q(status__in=NOT_EXPECTED)


def attendance_rate(statuses: Sequence[str]) -> float | None:
    """Share of the expected members who attended, over statuses that already say who is not expected
    (``NOT_EXPECTED``, as meetings.selectors.rate_status gives them)."""
    expected = [s for s in statuses if s not in NOT_EXPECTED]
    if not expected:
        return None
    return 100 * sum(1 for s in expected if s in ATTENDED) / len(expected)


def longest_absence_run(statuses_in_order: Sequence[str]) -> int:
    """The longest run of consecutive absences (excused or not); exempted meetings neither count nor
    break it."""
    longest = run = 0
    for status in statuses_in_order:
        if status in ABSENT:
            run += 1
            longest = max(longest, run)
        elif status in ATTENDED:
            run = 0
    return longest


def unexcused_months(history: Iterable[tuple[date, str]]) -> int:
    """Distinct months of the year in which the member missed a meeting without a valid reason."""
    return len({(day.year, day.month) for day, status in history if status == UNEXCUSED})


@dataclass(frozen=True)
class Check:
    code: str
    message: str
    severity: str = "warning"  # "warning" or "alert"


def meeting_checks(
    *,
    statuses: dict[str, str],
    minutes_held: int | None,
    combined: bool,
    histories: dict[str, list[tuple[date, str]]],
    params: dict[str, Any],
) -> list[Check]:
    """The rule checks shown on a meeting record. ``statuses`` maps member names to this meeting's
    attendance; ``histories`` maps names to the year's (date, status) list, this meeting included."""
    checks: list[Check] = []
    minimum = params["min_duration_combined_minutes"] if combined else params["min_duration_minutes"]
    if minutes_held is not None and minutes_held < minimum:
        checks.append(
            Check(
                "duration",
                _("The meeting lasted %(held)s minutes; at least %(minimum)s are required.")
                % {"held": minutes_held, "minimum": minimum},
            )
        )
    rate = attendance_rate(list(statuses.values()))
    # HD 12: attendance must be *above* 85 %, so exactly 85 % is flagged.
    if rate is not None and rate <= params["attendance_min_percent"]:
        checks.append(
            Check(
                "attendance",
                _("Attendance was %(rate).0f%%; it should be above %(minimum)s%%.")
                % {"rate": rate, "minimum": params["attendance_min_percent"]},
            )
        )
    unexcused = sorted(name for name, status in statuses.items() if status == UNEXCUSED)
    if unexcused:
        checks.append(
            Check(
                "unexcused", _("Absent without a valid reason: %(names)s.") % {"names": ", ".join(unexcused)}
            )
        )
    limit = params["max_consecutive_absences"]
    months_alert = params["unexcused_absence_months_alert"]
    for name, history in sorted(histories.items()):
        run = longest_absence_run([status for _day, status in sorted(history)])
        if run > limit:
            checks.append(
                Check(
                    "consecutive_absences",
                    _("%(name)s has been absent %(run)s times in a row this year (more than %(limit)s).")
                    % {"name": name, "run": run, "limit": limit},
                )
            )
        months = unexcused_months(history)
        if months >= months_alert:
            checks.append(
                Check(
                    "charter_art_8",
                    _(
                        "%(name)s missed meetings without a valid reason in %(months)s months this year: "
                        "to be considered for removal (Điều lệ Đảng, art. 8)."
                    )
                    % {"name": name, "months": months},
                    severity="alert",
                )
            )
        elif months == months_alert - 1:
            checks.append(
                Check(
                    "charter_art_8_near",
                    _("%(name)s missed meetings without a valid reason in %(months)s months this year.")
                    % {"name": name, "months": months},
                )
            )
    return checks


# --- Quality level -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    code: str
    label: str
    points: int
    must_be_full: bool = False


@dataclass(frozen=True)
class Level:
    code: str
    label: str
    min_points: int
    requires_full: bool = False  # every must-be-full criterion at full marks


@dataclass(frozen=True)
class Rubric:
    criteria: tuple[Criterion, ...]
    levels: tuple[Level, ...]  # from the highest

    @classmethod
    def from_params(cls, data: dict[str, Any]) -> "Rubric":
        return cls(
            criteria=tuple(Criterion(**c) for c in data["criteria"]),
            levels=tuple(Level(**lv) for lv in sorted(data["levels"], key=lambda lv: -lv["min_points"])),
        )

    @property
    def total(self) -> int:
        return sum(c.points for c in self.criteria)


@dataclass
class Assessment:
    score: int
    level: Level
    not_full: list[Criterion] = field(default_factory=list)


def assess(rubric: Rubric, scores: Mapping[str, float]) -> Assessment:
    """The quality level for the points given per criterion (each between 0 and its maximum)."""
    unknown = set(scores) - {c.code for c in rubric.criteria}
    if unknown:
        raise ValueError(f"Unknown criteria: {sorted(unknown)}")
    for criterion in rubric.criteria:
        given = scores.get(criterion.code, 0)
        # Whole points only: the level is decided on exactly the numbers that are stored and printed
        # (5.5 + 9.5 once gave "Tốt" on 90 points while 89 were stored).
        if isinstance(given, bool) or given != int(given):
            raise InvalidCount(_("“%(criterion)s”: write a whole number.") % {"criterion": criterion.label})
        if not 0 <= given <= criterion.points:
            raise InvalidCount(
                _("“%(criterion)s” takes between 0 and %(points)s points.")
                % {"criterion": criterion.label, "points": criterion.points}
            )
    total = sum(int(scores.get(c.code, 0)) for c in rubric.criteria)
    not_full = [c for c in rubric.criteria if c.must_be_full and scores.get(c.code, 0) < c.points]
    for level in rubric.levels:
        if total >= level.min_points and not (level.requires_full and not_full):
            return Assessment(total, level, not_full)
    return Assessment(total, rubric.levels[-1], not_full)
