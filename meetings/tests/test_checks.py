"""The rule checks of the record (docs/domain.md §3): they look at every meeting of the cell this year,
regular ones included — duration, attendance, unexcused absences, runs of absences, Charter art. 8."""

from datetime import date

import pytest

from meetings import rules, selectors, services
from meetings.models import Attendance, Meeting
from meetings.tests.helpers import (
    approve_regular,
    check_codes,
    mark,
    member_of,
    open_meeting,
    reload,
)
from tests.factories import ExemptionFactory, member_in


def checks_by_code(meeting: Meeting, code: str) -> list[rules.Check]:
    return [c for c in selectors.checks(reload(meeting)) if c.code == code]


def test_a_thematic_meeting_under_90_minutes_is_flagged(world, meeting):
    services.mark_all_present(actor=world.secretary, meeting=meeting)
    services.save_field(actor=world.secretary, meeting=meeting, name="end_time", value="15:29")
    assert reload(meeting).minutes_held == 89
    assert "duration" in check_codes(meeting)
    services.save_field(actor=world.secretary, meeting=meeting, name="end_time", value="15:30")
    assert "duration" not in check_codes(meeting)


def test_a_combined_meeting_under_120_minutes_is_flagged(world, distributed):
    meeting = open_meeting(
        world, kind=Meeting.Kind.COMBINED, session=distributed, day=distributed.planned_date
    )
    services.mark_all_present(actor=world.secretary, meeting=meeting)
    for end, flagged in (("15:30", True), ("15:59", True), ("16:00", False)):
        services.save_field(actor=world.secretary, meeting=meeting, name="end_time", value=end)
        assert ("duration" in check_codes(meeting)) is flagged, end


def test_attendance_under_85_percent_is_flagged_exempted_members_left_out(world):
    exempted = member_in(world.cell, full_name="Hoàng Văn Tâm")
    ExemptionFactory(member=exempted)
    # 4 expected, the exempted member absent: 100 %, not 80 %.
    meeting = open_meeting(world, day=date(2026, 3, 5))
    services.mark_all_present(actor=world.secretary, meeting=meeting)
    assert "attendance" not in check_codes(meeting)
    # One of the 4 away (even excused): 75 %.
    mark(world, meeting, member_of(world.member), Attendance.Status.EXCUSED, "Đi công tác")
    assert "attendance" in check_codes(meeting)

    # 7 expected, 6 present: 85.7 %.
    for name in ("Châu Văn Năm", "Kiều Thị Sáu", "Lưu Văn Bảy"):
        member_in(world.cell, full_name=name)
    bigger = open_meeting(world, day=date(2026, 4, 5))
    services.mark_all_present(actor=world.secretary, meeting=bigger)
    mark(world, bigger, member_of(world.member), Attendance.Status.EXCUSED, "Đi công tác")
    assert "attendance" not in check_codes(bigger)


def test_attendance_of_exactly_85_percent_is_not_above_85_and_is_flagged(world):
    """docs/domain.md §3.1 (and the rubric's own criterion "dự họp trên 85%"): attendance must be *above*
    85 %."""
    for i in range(16):
        member_in(world.cell, full_name=f"Nguyễn Văn Số {i:02d}")
    meeting = open_meeting(world, day=date(2026, 3, 5))
    services.mark_all_present(actor=world.secretary, meeting=meeting)
    absent = Attendance.objects.filter(meeting=meeting, member__full_name__startswith="Nguyễn Văn Số")[:3]
    for row in list(absent):
        mark(world, meeting, row.member, Attendance.Status.EXCUSED, "Đi công tác")
    assert selectors.summary(selectors.attendances(reload(meeting))).rate == pytest.approx(85.0)
    assert "attendance" in check_codes(meeting)


def test_an_unexcused_absence_is_listed_by_name(world):
    lan = member_in(world.cell, full_name="Ngô Thị Lan")
    nam = member_in(world.cell, full_name="Bùi Văn Nam")
    meeting = open_meeting(world, day=date(2026, 3, 5))
    mark(world, meeting, lan, Attendance.Status.UNEXCUSED)
    mark(world, meeting, nam, Attendance.Status.EXCUSED, "Ốm")
    services.mark_all_present(actor=world.secretary, meeting=meeting)
    [check] = checks_by_code(meeting, "unexcused")
    assert "Ngô Thị Lan" in check.message and "Bùi Văn Nam" not in check.message


def test_more_than_three_consecutive_absences_this_year_counting_regular_meetings(world, distributed):
    """Three regular meetings and the thematic one: Đức absent (with reason) at all four. A meeting of
    last year does not count; an exempted member never counts as absent."""
    đức = member_of(world.member)
    tâm = member_in(world.cell, full_name="Hoàng Văn Tâm")
    ExemptionFactory(member=tâm)

    def regular_with_đức_away(day, approve):
        earlier = open_meeting(world, day=day)
        mark(world, earlier, đức, Attendance.Status.EXCUSED, "Đi công tác")
        if approve:
            approve_regular(world, earlier)
        else:
            services.mark_all_present(actor=world.secretary, meeting=earlier)

    regular_with_đức_away(date(2025, 12, 10), approve=True)  # last year
    regular_with_đức_away(date(2026, 7, 10), approve=True)
    regular_with_đức_away(date(2026, 9, 10), approve=False)  # still being recorded: counts too
    current = open_meeting(world, kind=Meeting.Kind.THEMATIC, session=distributed, day=date(2026, 10, 15))
    mark(world, current, đức, Attendance.Status.EXCUSED, "Ốm")
    services.mark_all_present(actor=world.secretary, meeting=current)
    # Three in a row this year: not more than three.
    assert "consecutive_absences" not in check_codes(current)

    regular_with_đức_away(date(2026, 8, 10), approve=True)
    [check] = checks_by_code(current, "consecutive_absences")
    assert "Lê Văn Đức" in check.message and "4" in check.message
    assert not any("Hoàng Văn Tâm" in c.message for c in selectors.checks(reload(current)))


def test_attendance_between_absences_breaks_the_run(world):
    đức = member_of(world.member)
    for day, status in (
        (date(2026, 2, 5), Attendance.Status.EXCUSED),
        (date(2026, 3, 5), Attendance.Status.EXCUSED),
        (date(2026, 4, 5), Attendance.Status.PRESENT),
        (date(2026, 5, 5), Attendance.Status.EXCUSED),
    ):
        meeting = open_meeting(world, day=day)
        mark(world, meeting, đức, status, "Ốm" if status == Attendance.Status.EXCUSED else "")
        services.mark_all_present(actor=world.secretary, meeting=meeting)
    last = open_meeting(world, day=date(2026, 6, 5))
    mark(world, last, đức, Attendance.Status.EXCUSED, "Ốm")
    services.mark_all_present(actor=world.secretary, meeting=last)
    assert "consecutive_absences" not in check_codes(last)


def test_three_months_of_unexcused_absence_raise_the_charter_art_8_alert(world, distributed):
    lan = member_in(world.cell, full_name="Ngô Thị Lan")
    tâm = member_in(world.cell, full_name="Hoàng Văn Tâm")
    ExemptionFactory(member=tâm)
    for day in (date(2026, 2, 5), date(2026, 6, 5)):
        earlier = open_meeting(world, day=day)
        mark(world, earlier, lan, Attendance.Status.UNEXCUSED)
        approve_regular(world, earlier)
    current = open_meeting(world, kind=Meeting.Kind.THEMATIC, session=distributed, day=date(2026, 10, 15))
    services.mark_all_present(actor=world.secretary, meeting=current)
    # Two months so far: a warning, not yet the alert.
    assert "charter_art_8" not in check_codes(current)
    [near] = checks_by_code(current, "charter_art_8_near")
    assert "Ngô Thị Lan" in near.message

    mark(world, current, lan, Attendance.Status.UNEXCUSED)
    [alert] = checks_by_code(current, "charter_art_8")
    assert alert.severity == "alert" and "Ngô Thị Lan" in alert.message
    assert not any("Hoàng Văn Tâm" in c.message for c in selectors.checks(reload(current)))


def test_unexcused_absences_of_last_year_do_not_count_towards_the_alert(world):
    lan = member_in(world.cell, full_name="Ngô Thị Lan")
    for day in (date(2025, 10, 5), date(2025, 11, 5), date(2026, 1, 5)):
        earlier = open_meeting(world, day=day)
        mark(world, earlier, lan, Attendance.Status.UNEXCUSED)
        services.mark_all_present(actor=world.secretary, meeting=earlier)
    current = open_meeting(world, day=date(2026, 2, 5))
    mark(world, current, lan, Attendance.Status.UNEXCUSED)
    services.mark_all_present(actor=world.secretary, meeting=current)
    codes = check_codes(current)
    assert "charter_art_8" not in codes and "charter_art_8_near" in codes
