"""The meeting room's demo (issue 15): today's meeting of the article's cell is being recorded, so a
newcomer can try the room with two browsers. ``bithu`` opens the meeting's page, which links to the
check-in code and to the room screen; ``dangvien`` on a phone types the code, asks to speak and votes
once ``bithu`` opens a vote.

The meeting starts at the minute the demo is loaded (the record opens only once a meeting has started),
so whoever checks in more than five minutes later is marked late, as a real member would be."""

from django.utils import timezone

from meetings import services as meetings
from meetings.models import Meeting
from organizations.demo import ARTICLE_CELL, Demo

PLACE = "Phòng họp Khoa Xây dựng Đảng"
AGENDA = (
    "Điểm danh, kiểm tra số lượng đảng viên dự họp.\n"
    "Đánh giá kết quả thực hiện nhiệm vụ tháng; triển khai nhiệm vụ tháng tới.\n"
    "Thảo luận, biểu quyết thông qua kết luận của chi bộ."
)


def add_room(demo: Demo) -> None:
    """Add today's meeting, its record open for check-in, with the secretary marked present."""
    cell = next(c for c in demo.cells.values() if c.name == ARTICLE_CELL)
    now = timezone.localtime()
    meeting = meetings.create_meeting(
        actor=None,
        cell=cell,
        kind=Meeting.Kind.REGULAR,
        date=demo.today,
        start_time=now.time().replace(second=0, microsecond=0),
        place=PLACE,
        agenda=AGENDA,
    )
    # Called at short notice: the members were told at the last monthly meeting, not by a notice (TB).
    meetings.open_record(actor=None, meeting=meeting, confirmed_without_notice=True)
    secretary = demo.users["bithu"].member
    meetings.set_attendance(actor=None, meeting=meeting, member_id=secretary.pk, status="present")
