"""Check-in from a member's phone: the rotating code (current and previous window), only oneself, only
while the record is open, only once (also under concurrency on PostgreSQL), late after the start with the
time, into the same attendance record as the secretary's marking."""

import threading
from datetime import time, timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone, translation

from core.errors import DomainError, InvalidTransition, PermissionDenied
from core.models import AuditEntry
from meetings import services as meetings
from meetings.models import Attendance, Meeting
from meetings.tests.helpers import PLACE, attendance_of, member_of, reload
from room import checkin
from room.models import CheckIn


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def meeting_today(world) -> Meeting:
    """A meeting at 14:00 today, its record opened at 14:00."""
    meeting = meetings.create_meeting(
        actor=world.secretary,
        cell=world.cell,
        kind=Meeting.Kind.REGULAR,
        date=timezone.localdate(),
        start_time=time(14, 0),
        place=PLACE,
    )
    with time_machine.travel(meeting.starts_at, tick=False):
        return meetings.open_record(actor=world.secretary, meeting=meeting, confirmed_without_notice=True)


def test_the_code_changes_with_the_window_and_the_previous_one_is_still_accepted(world):
    meeting = meeting_today(world)
    with time_machine.travel(meeting.starts_at, tick=False):
        first = checkin.current_code(meeting).code
        assert len(first) == 6 and first.isdigit() and checkin.code_valid(meeting, first)
    with time_machine.travel(meeting.starts_at + timedelta(seconds=checkin.WINDOW_SECONDS), tick=False):
        second = checkin.current_code(meeting).code
        assert second != first
        assert checkin.code_valid(meeting, first) and checkin.code_valid(meeting, second)
    with time_machine.travel(meeting.starts_at + timedelta(seconds=2 * checkin.WINDOW_SECONDS), tick=False):
        assert not checkin.code_valid(meeting, first)
    # Another meeting's code is another code.
    other = meetings.create_meeting(
        actor=world.secretary,
        cell=world.cell,
        kind="regular",
        date=meeting.date,
        start_time=time(8),
        place=PLACE,
    )
    with time_machine.travel(meeting.starts_at, tick=False):
        assert checkin.current_code(other).code != first


def test_checking_in_on_time_late_and_once(world):
    meeting = meeting_today(world)
    with time_machine.travel(meeting.starts_at + timedelta(minutes=2), tick=False):
        code = checkin.current_code(meeting).code
        check = checkin.check_in(actor=world.member, meeting=meeting, code=code)
        assert not check.late
        with pytest.raises(InvalidTransition, match="already"):
            checkin.check_in(actor=world.member, meeting=meeting, code=code)
    with time_machine.travel(meeting.starts_at + timedelta(minutes=25), tick=False):
        code = checkin.current_code(meeting).code
        late = checkin.check_in(actor=world.deputy, meeting=meeting, code=code)
        assert late.late and timezone.localtime(late.at).strftime("%H:%M") == "14:25"
    assert attendance_of(meeting, member_of(world.member)).status == Attendance.Status.PRESENT
    assert attendance_of(meeting, member_of(world.deputy)).status == Attendance.Status.LATE
    assert CheckIn.objects.filter(meeting=meeting).count() == 2
    entries = AuditEntry.objects.filter(action="room.checked_in").order_by("id")
    assert [(e.actor, e.data["time"], e.data["late"]) for e in entries] == [
        (world.member, "14:02", False),
        (world.deputy, "14:25", True),
    ]


def test_a_wrong_code_a_stranger_and_a_closed_record_are_refused(world):
    meeting = meeting_today(world)
    with time_machine.travel(meeting.starts_at, tick=False):
        code = checkin.current_code(meeting).code
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        with pytest.raises(DomainError, match="not valid"):
            checkin.check_in(actor=world.member, meeting=meeting, code=wrong)
        with pytest.raises(PermissionDenied):
            checkin.check_in(actor=world.other_member, meeting=meeting, code=code)
        with pytest.raises(PermissionDenied):  # an officer sees the meeting but is not summoned to it
            checkin.check_in(actor=world.officer, meeting=meeting, code=code)
    scheduled = meetings.create_meeting(
        actor=world.secretary,
        cell=world.cell,
        kind="regular",
        date=meeting.date,
        start_time=time(8),
        place=PLACE,
    )
    with pytest.raises(InvalidTransition, match="being recorded"):
        checkin.check_in(actor=world.member, meeting=scheduled, code=checkin.current_code(scheduled).code)
    assert not CheckIn.objects.exists()
    assert attendance_of(reload(meeting), member_of(world.member)).status == ""


def test_the_qr_code_is_an_svg_of_the_url():
    svg = checkin.qr_svg("https://example.org/hop/1/diem-danh/?ma=123456")
    assert svg.startswith("<svg") and "</svg>" in svg and "<script" not in svg


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions are what is tested")
@pytest.mark.django_db(transaction=True)
def test_eight_check_ins_of_one_member_at_once_count_once(world):
    meeting = meeting_today(world)
    code = checkin.current_code(meeting).code
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def go() -> None:
        try:
            barrier.wait()
            checkin.check_in(actor=world.member, meeting=meeting, code=code)
            outcomes.append("in")
        except InvalidTransition:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=go) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["in"] + ["refused"] * 7
    assert CheckIn.objects.count() == 1
    assert AuditEntry.objects.filter(action="room.checked_in").count() == 1


def test_a_code_of_other_digits_is_refused_not_an_error(world):
    from room import checkin

    meeting = meeting_today(world)
    for typed in ("²³⁴ ٣ ๓", "１２３４５６", "٣٣٣٣٣٣", "12345", "1234567", ""):
        assert checkin.code_valid(meeting, typed) is False
    assert checkin.code_valid(meeting, " ".join(checkin.current_code(meeting).code)) is True
