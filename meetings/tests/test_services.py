"""The meeting services against the users' rules (docs/domain.md §3–§4), each test asserting what was stored.

* the vote counts against the adjusted total, never against those present;
* the rule checks of the record look at every meeting of the cell this year, regular ones included;
* the quality level follows the rule set's rubric at its boundaries;
* the approved minutes carry every field of docs/domain.md §4, lock the record, and a correction adds a
  version with its reason;
* bad input is refused with nothing written;
* the resolution, its numbers and its tasks; numbers taken at the same moment on PostgreSQL.
"""

import copy
import threading
import unicodedata
import uuid
from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.utils import timezone, translation

from core.errors import DomainError, InvalidTransition, PermissionDenied
from core.models import AuditEntry
from documents.models import IssuedDocument
from documents.wording import day_phrase
from drafts import services as drafts
from drafts.models import Comment, Response
from drafts.tests.conftest import TEXT
from meetings import rules, selectors, services
from meetings.models import Attendance, Meeting, MinutesVersion, Resolution, ResolutionTask, Speech
from notifications.models import Notification
from organizations.models import Member, Membership
from planning import services as planning
from planning.models import Session
from tests.factories import CellFactory, ExemptionFactory, MembershipFactory, UserFactory, member_in

PLACE = "Phòng họp Khoa Xây dựng Đảng"


# --- Helpers -------------------------------------------------------------------------------------


def member_of(user) -> Member:
    return Member.objects.get(user=user)


def reload(meeting: Meeting) -> Meeting:
    return Meeting.objects.get(pk=meeting.pk)


def open_meeting(world, *, day=None, kind=Meeting.Kind.REGULAR, session=None, cell=None, actor=None):
    """Plan a meeting and open its record (the attendance list is made from the roster on ``day``)."""
    actor = actor or world.secretary
    meeting = services.create_meeting(
        actor=actor,
        cell=cell or world.cell,
        kind=kind,
        date=day or timezone.localdate(),
        start_time=time(14, 0),
        place=PLACE,
        session=session,
    )
    return services.open_record(actor=actor, meeting=meeting)


def attendance_of(meeting: Meeting, member: Member) -> Attendance:
    return Attendance.objects.get(meeting=meeting, member=member)


def mark(world, meeting, member, status, reason=""):
    return services.set_attendance(
        actor=world.secretary, meeting=meeting, member_id=member.pk, status=status, reason=reason
    )


def approve_regular(world, meeting):
    """Fill what the minutes of a regular meeting need, and approve them."""
    services.mark_all_present(actor=world.secretary, meeting=meeting)
    services.save_field(
        actor=world.secretary,
        meeting=meeting,
        name="minutes_secretary",
        value=str(member_of(world.deputy).pk),
    )
    services.save_field(actor=world.secretary, meeting=meeting, name="end_time", value="16:00")
    return services.approve_minutes(actor=world.secretary, meeting=meeting)


def hold(world, meeting):
    """Record a thematic meeting of world.cell (everyone present, 3 votes for) and approve its minutes."""
    services.mark_all_present(actor=world.secretary, meeting=meeting)
    services.save_field(
        actor=world.secretary,
        meeting=meeting,
        name="minutes_secretary",
        value=str(member_of(world.deputy).pk),
    )
    services.add_speech(
        actor=world.secretary,
        meeting=meeting,
        member_id=member_of(world.member).pk,
        kind=Speech.Kind.PRESENTATION,
        summary="Trình bày dự thảo.",
    )
    services.save_field(actor=world.secretary, meeting=meeting, name="conclusion", value="Chi bộ thống nhất.")
    services.record_vote(
        actor=world.secretary, meeting=meeting, mode="counts", votes_for=3, against=0, other=0
    )
    services.save_field(actor=world.secretary, meeting=meeting, name="end_time", value="16:00")
    return services.approve_minutes(actor=world.secretary, meeting=meeting)


def finalize(world, session):
    """After the meeting: the presenter revises, answers every comment, submits; the deputy approves."""
    drafts.add_version(actor=world.member, session=session, text="# Bản hoàn chỉnh\n\nĐã tiếp thu ý kiến.")
    for comment in Comment.objects.filter(session=session, parent=None):
        Response.objects.create(comment=comment, decision="accepted")
    drafts.submit_final(actor=world.member, session=session)
    drafts.approve_final(actor=world.deputy, session=session)
    session.refresh_from_db()
    assert session.status == Session.Status.FINAL_APPROVED
    return session


def distributed_session(world, plan, title, day):
    """Another session of the plan, its draft approved and sent to the members."""
    session = planning.add_session(
        actor=world.secretary, plan=plan, quarter=(day.month - 1) // 3 + 1, title=title, planned_date=day
    )
    planning.assign_presenters(actor=world.secretary, session=session, members=[member_of(world.member)])
    drafts.add_version(actor=world.member, session=session, text=TEXT)
    drafts.submit_draft(actor=world.member, session=session)
    drafts.approve_draft(actor=world.secretary, session=session)
    session.refresh_from_db()
    assert session.status == Session.Status.DISTRIBUTED
    return session


def near_day(session, offset):
    """A day ``offset`` days from the session's, in the same year (the plan's)."""
    for delta in (offset, -offset):
        day = session.planned_date + timedelta(days=delta)
        if day.year == session.planned_date.year:
            return day
    raise AssertionError("no day in the same year")


def one_task(world, days=30):
    return services.TaskInput(
        "Xây dựng giờ giảng mẫu", [member_of(world.member).pk], timezone.localdate() + timedelta(days=days)
    )


def save_resolution(world, meeting, tasks):
    return services.save_resolution(
        actor=world.secretary,
        meeting=meeting,
        kind=Resolution.Kind.RESOLUTION,
        results="Chi bộ đã thảo luận sâu, thống nhất cao.",
        shortcomings="Một số ý kiến còn chung chung.",
        implementation="",
        tasks=tasks,
    )


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def flat_text(snapshot: dict) -> str:
    """Every text of a DocumentFrame dict's body: headings, paragraphs, list items, table rows."""
    lines: list[str] = []
    for block in snapshot["body"]:
        if block["kind"] in ("heading", "paragraph"):
            lines.append(block["text"])
        elif block["kind"] == "list":
            lines.extend(block["items"])
        elif block["kind"] == "table":
            lines.extend(" | ".join(row) for row in [block["header"], *block["rows"]])
    return nfc("\n".join(lines))


def check_codes(meeting: Meeting) -> list[str]:
    return [c.code for c in selectors.checks(reload(meeting))]


def checks_by_code(meeting: Meeting, code: str) -> list[rules.Check]:
    return [c for c in selectors.checks(reload(meeting)) if c.code == code]


def basis_dict(full, elsewhere, exempted_absent, adjusted, needed, eligible, suspended=0, detained=0):
    return {
        "full_members": full,
        "attached_elsewhere": elsewhere,
        "exempted_absent": exempted_absent,
        "suspended": suspended,
        "detained": detained,
        "adjusted_total": adjusted,
        "needed": needed,
        "eligible_present": eligible,
    }


def assert_no_vote(meeting: Meeting) -> None:
    meeting = reload(meeting)
    assert meeting.votes_for is None and meeting.votes_against is None and meeting.votes_other is None
    assert meeting.vote_basis is None and meeting.vote_passed is None and meeting.vote_mode == ""
    assert not meeting.attendances.exclude(vote="").exists()


# --- 1. The vote against the adjusted total (docs/domain.md §3) --------------------------------------------


def test_the_domain_example_25_full_1_attached_elsewhere_2_exempted_absent_needs_12(world):
    # world.cell has 3 full members (Bình, Hoa, Đức) and one probationary (Mai): 22 more make 25 full.
    extra = [member_in(world.cell, full_name=f"Nguyễn Văn Số {i:02d}") for i in range(22)]
    away = extra[0]
    MembershipFactory(member=away, organization=world.other_cell, kind=Membership.Kind.TEMPORARY)
    exempted = extra[1:3]
    for person in exempted:
        ExemptionFactory(member=person)
    meeting = open_meeting(world)

    assert attendance_of(meeting, away).status == Attendance.Status.ELSEWHERE
    assert all(attendance_of(meeting, p).status == Attendance.Status.EXEMPTED for p in exempted)
    # The 22 full members who may vote and the probationary member come.
    assert services.mark_all_present(actor=world.secretary, meeting=meeting) == 23

    result = services.record_vote(
        actor=world.secretary, meeting=meeting, mode="counts", votes_for=12, against=10, other=0
    )
    assert (result.basis.adjusted_total, result.basis.needed, result.passed) == (22, 12, True)
    meeting = reload(meeting)
    assert meeting.vote_basis == basis_dict(25, 1, 2, 22, 12, 22)
    assert (meeting.votes_for, meeting.votes_against, meeting.votes_other) == (12, 10, 0)
    assert meeting.vote_passed is True and meeting.vote_mode == "counts"
    # The computation in its parts: 25 − 1 − 2 − 0 − 0 = 22.
    parts = [value for _label, value in services.stored_basis(meeting).parts()]
    assert parts == [25, -1, -2, 0, 0, 22]

    services.clear_vote(actor=world.secretary, meeting=meeting)
    result = services.record_vote(
        actor=world.secretary, meeting=meeting, mode="counts", votes_for=11, against=11, other=0
    )
    assert result.passed is False
    meeting = reload(meeting)
    assert meeting.vote_passed is False and meeting.votes_for == 11
    assert meeting.vote_basis["adjusted_total"] == 22 and meeting.vote_basis["needed"] == 12


def test_a_cell_of_mostly_probationary_members_votes_on_its_three_full_members(world):
    cell = CellFactory(name="Chi bộ Phòng Đào tạo", parent=world.party)
    full = [member_in(cell, full_name=name) for name in ("Lý Văn An", "Mai Thị Bích", "Tô Văn Cường")]
    for i in range(7):
        member_in(cell, full_name=f"Đỗ Thị Dự Bị {i}", status=Member.Status.PROBATIONARY)
    meeting = open_meeting(world, cell=cell, actor=world.admin)
    assert services.mark_all_present(actor=world.admin, meeting=meeting) == 10

    # Ten in the room, but only the three full members vote: four counts cannot be true.
    with pytest.raises(DomainError):
        services.record_vote(
            actor=world.admin, meeting=meeting, mode="counts", votes_for=4, against=0, other=0
        )
    assert_no_vote(meeting)

    result = services.record_vote(
        actor=world.admin, meeting=meeting, mode="counts", votes_for=2, against=1, other=0
    )
    assert result.passed
    assert reload(meeting).vote_basis == basis_dict(3, 0, 0, 3, 2, 3)

    services.clear_vote(actor=world.admin, meeting=meeting)
    named = {full[0].pk: "for", full[1].pk: "against", full[2].pk: "against"}
    result = services.record_vote(actor=world.admin, meeting=meeting, mode="named", named=named)
    assert (result.votes_for, result.against, result.passed) == (1, 2, False)
    assert reload(meeting).vote_passed is False


def test_exempted_members_who_attend_count_and_vote_those_absent_are_left_out(world):
    comes = member_in(world.cell, full_name="Hoàng Văn Tâm")
    stays_away = member_in(world.cell, full_name="Dương Văn Sáu")
    ExemptionFactory(member=comes)
    ExemptionFactory(member=stays_away, reason="Đang điều trị dài ngày")
    meeting = open_meeting(world)
    assert attendance_of(meeting, comes).status == Attendance.Status.EXEMPTED
    assert attendance_of(meeting, stays_away).status == Attendance.Status.EXEMPTED

    mark(world, meeting, comes, Attendance.Status.PRESENT)
    services.mark_all_present(actor=world.secretary, meeting=meeting)
    # The exempted member present may vote; the absent one may not.
    with pytest.raises(DomainError):
        services.record_vote(
            actor=world.secretary, meeting=meeting, mode="named", named={stays_away.pk: "for"}
        )
    assert_no_vote(meeting)
    named = {
        comes.pk: "for",
        member_of(world.secretary).pk: "for",
        member_of(world.deputy).pk: "against",
        member_of(world.member).pk: "for",
    }
    result = services.record_vote(actor=world.secretary, meeting=meeting, mode="named", named=named)

    # 5 full members − 1 exempted and absent = 4; the exempted member who came is counted.
    assert reload(meeting).vote_basis == basis_dict(5, 0, 1, 4, 3, 4)
    assert (result.votes_for, result.against, result.other, result.passed) == (3, 1, 0, True)
    assert attendance_of(meeting, comes).vote == "for"
    assert attendance_of(meeting, stays_away).vote == ""


def test_a_member_attached_elsewhere_is_prefilled_and_left_out_one_attached_here_does_not_vote(world):
    away = member_in(world.cell, full_name="Đặng Thị Thu")
    MembershipFactory(member=away, organization=world.other_cell, kind=Membership.Kind.TEMPORARY)
    visitor = member_of(world.other_member)  # Võ Văn Khánh, regular member of the other cell
    MembershipFactory(member=visitor, organization=world.cell, kind=Membership.Kind.TEMPORARY)
    meeting = open_meeting(world)

    row = attendance_of(meeting, away)
    assert row.status == Attendance.Status.ELSEWHERE and row.full and not row.attached_here
    guest_row = attendance_of(meeting, visitor)
    assert guest_row.status == "" and guest_row.attached_here
    # Bình, Hoa, Đức, Mai and the member attached here.
    assert services.mark_all_present(actor=world.secretary, meeting=meeting) == 5

    with pytest.raises(DomainError):
        services.record_vote(actor=world.secretary, meeting=meeting, mode="named", named={visitor.pk: "for"})
    with pytest.raises(DomainError):
        services.record_vote(
            actor=world.secretary, meeting=meeting, mode="counts", votes_for=4, against=0, other=0
        )
    assert_no_vote(meeting)

    result = services.record_vote(
        actor=world.secretary, meeting=meeting, mode="counts", votes_for=2, against=1, other=0
    )
    # 4 full members of the cell − 1 attached elsewhere = 3; the visitor is in neither.
    assert reload(meeting).vote_basis == basis_dict(4, 1, 0, 3, 2, 3)
    assert result.passed


def test_counts_exceeding_the_eligible_voters_are_refused_and_nothing_is_written(world):
    meeting = open_meeting(world)
    services.mark_all_present(actor=world.secretary, meeting=meeting)
    mark(world, meeting, member_of(world.member), Attendance.Status.EXCUSED, "Ốm")
    revision = reload(meeting).revision

    # Bình and Hoa are the only full members present; Mai is probationary.
    for counts in ((3, 0, 0), (2, 1, 0), (1, 1, 1), (-1, 0, 0)):
        with pytest.raises(DomainError):
            services.record_vote(
                actor=world.secretary,
                meeting=meeting,
                mode="counts",
                votes_for=counts[0],
                against=counts[1],
                other=counts[2],
            )
    with pytest.raises(DomainError):
        services.record_vote(actor=world.secretary, meeting=meeting, mode="counts", votes_for=2)
    with pytest.raises(DomainError):
        services.record_vote(
            actor=world.secretary, meeting=meeting, mode="show", votes_for=1, against=0, other=0
        )

    assert_no_vote(meeting)
    assert reload(meeting).revision == revision
    assert not AuditEntry.objects.filter(action="meetings.vote.recorded").exists()


def test_a_named_vote_computes_the_counts_and_keeps_each_members_vote(world):
    first = member_in(world.cell, full_name="Châu Văn Năm")
    second = member_in(world.cell, full_name="Kiều Thị Sáu")
    meeting = open_meeting(world)
    services.mark_all_present(actor=world.secretary, meeting=meeting)
    bình, hoa, đức = (member_of(u) for u in (world.secretary, world.deputy, world.member))

    result = services.record_vote(
        actor=world.secretary,
        meeting=meeting,
        mode="named",
        named={bình.pk: "for", hoa.pk: "against", đức.pk: "other", first.pk: "for", second.pk: ""},
    )
    assert (result.votes_for, result.against, result.other) == (2, 1, 1)
    # 5 full members: 3 needed; 2 for is not enough.
    assert (result.basis.adjusted_total, result.basis.needed, result.passed) == (5, 3, False)
    meeting = reload(meeting)
    assert (meeting.vote_mode, meeting.votes_for, meeting.votes_against, meeting.votes_other) == (
        "named",
        2,
        1,
        1,
    )
    assert meeting.vote_passed is False and meeting.vote_basis == basis_dict(5, 0, 0, 5, 3, 5)
    votes = dict(meeting.attendances.values_list("member_id", "vote"))
    assert votes[bình.pk] == "for" and votes[hoa.pk] == "against" and votes[đức.pk] == "other"
    assert votes[first.pk] == "for" and votes[second.pk] == ""

    # An unknown choice is refused and the recorded vote stays.
    with pytest.raises(DomainError):
        services.record_vote(actor=world.secretary, meeting=meeting, mode="named", named={bình.pk: "yes"})
    assert reload(meeting).votes_for == 2


def test_a_named_vote_from_a_probationary_member_is_refused(world):
    meeting = open_meeting(world)
    services.mark_all_present(actor=world.secretary, meeting=meeting)
    with translation.override("en"), pytest.raises(DomainError) as refused:
        services.record_vote(
            actor=world.secretary,
            meeting=meeting,
            mode="named",
            named={member_of(world.secretary).pk: "for", member_of(world.probationary).pk: "for"},
        )
    assert "Phạm Thị Mai" in str(refused.value.message)
    assert_no_vote(meeting)


def test_the_vote_is_refused_before_every_attendance_is_marked(world):
    meeting = open_meeting(world)
    for user in (world.secretary, world.deputy, world.probationary):
        mark(world, meeting, member_of(user), Attendance.Status.PRESENT)
    with translation.override("en"), pytest.raises(InvalidTransition) as refused:
        services.record_vote(
            actor=world.secretary, meeting=meeting, mode="counts", votes_for=2, against=0, other=0
        )
    assert "Lê Văn Đức" in str(refused.value.message)
    assert_no_vote(meeting)


def test_attendance_cannot_change_under_a_recorded_vote_until_it_is_cleared(world):
    meeting = open_meeting(world)
    services.mark_all_present(actor=world.secretary, meeting=meeting)
    đức = member_of(world.member)
    services.record_vote(
        actor=world.secretary, meeting=meeting, mode="counts", votes_for=3, against=0, other=0
    )

    with pytest.raises(InvalidTransition):
        mark(world, meeting, đức, Attendance.Status.UNEXCUSED)
    assert attendance_of(meeting, đức).status == Attendance.Status.PRESENT
    assert reload(meeting).votes_for == 3

    services.clear_vote(actor=world.secretary, meeting=meeting)
    assert_no_vote(meeting)
    mark(world, meeting, đức, Attendance.Status.UNEXCUSED)
    assert attendance_of(meeting, đức).status == Attendance.Status.UNEXCUSED

    # Đức is still in the total (absent without reason) but no longer in the room.
    with pytest.raises(DomainError):
        services.record_vote(
            actor=world.secretary, meeting=meeting, mode="counts", votes_for=3, against=0, other=0
        )
    result = services.record_vote(
        actor=world.secretary, meeting=meeting, mode="counts", votes_for=2, against=0, other=0
    )
    assert reload(meeting).vote_basis == basis_dict(3, 0, 0, 3, 2, 2)
    assert result.passed


def test_marking_a_member_attached_elsewhere_does_not_take_them_out_of_the_total(world):
    """Being attached to another cell is a standing of the roster (a temporary membership), not a way
    of attending: a member of this cell who is attached nowhere stays in the adjusted total, whatever
    is typed in the attendance."""
    meeting = open_meeting(world)
    đức = member_of(world.member)
    with pytest.raises(DomainError, match=đức.full_name):
        mark(world, meeting, đức, Attendance.Status.ELSEWHERE)
    for user in (world.secretary, world.deputy, world.probationary):
        mark(world, meeting, member_of(user), Attendance.Status.PRESENT)
    if not attendance_of(meeting, đức).status:
        mark(world, meeting, đức, Attendance.Status.UNEXCUSED)
    services.record_vote(
        actor=world.secretary, meeting=meeting, mode="counts", votes_for=2, against=0, other=0
    )
    # Bình, Hoa and Đức are the cell's full members, none attached elsewhere: 3, not 2.
    basis = reload(meeting).vote_basis
    assert (basis["attached_elsewhere"], basis["adjusted_total"]) == (0, 3)


def test_marking_a_member_exempted_does_not_hide_their_absence(world):
    """Exemption is a decision recorded on the roster (an Exemption with its period and reason); a
    member without one who does not come is absent, and the attendance rules count it."""
    meeting = open_meeting(world, day=date(2026, 3, 5))
    đức = member_of(world.member)
    with pytest.raises(DomainError, match=đức.full_name):
        mark(world, meeting, đức, Attendance.Status.EXEMPTED)
    mark(world, meeting, đức, Attendance.Status.UNEXCUSED)
    services.mark_all_present(actor=world.secretary, meeting=meeting)
    summary = selectors.summary(selectors.attendances(reload(meeting)))
    assert summary.exempted == 0
    # 3 of the 4 members who were expected came: 75 %.
    assert summary.rate == pytest.approx(75.0)
    assert "attendance" in check_codes(meeting)


# --- 2. Rule checks of the record (docs/domain.md §3) ------------------------------------------------------


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


# --- 3. Quality level (rubric of the rule set) -------------------------------------------------------


def scores_totalling(rubric: rules.Rubric, total: int, *, short: str | None = None) -> dict[str, int]:
    """Points adding up to ``total``: the must-be-full criteria kept full as long as possible (``short``
    one point under its maximum), the others lowered first."""
    scores = {c.code: c.points for c in rubric.criteria}
    if short:
        scores[short] -= 1
    excess = sum(scores.values()) - total
    for criterion in sorted(rubric.criteria, key=lambda c: c.must_be_full):
        if criterion.code == short or excess <= 0:
            continue
        taken = min(excess, scores[criterion.code])
        scores[criterion.code] -= taken
        excess -= taken
    assert sum(scores.values()) == total
    return scores


def test_the_seeded_rubric_is_on_100_points_with_the_domains_must_be_full_criteria(world, regular):
    rubric = selectors.rubric_for(regular)
    assert rubric.total == 100
    assert {c.code for c in rubric.criteria if c.must_be_full} == {
        "attendance",
        "duration",
        "participation",
        "minutes",
    }
    assert [lv.label for lv in rubric.levels] == ["Tốt", "Khá", "Trung bình", "Kém"]


@pytest.mark.parametrize(
    ("total", "short", "label"),
    [
        (100, None, "Tốt"),
        (90, None, "Tốt"),
        (90, "attendance", "Khá"),
        (90, "minutes", "Khá"),
        (89, None, "Khá"),
        (70, None, "Khá"),
        (69, None, "Trung bình"),
        (50, None, "Trung bình"),
        (49, None, "Kém"),
        (0, None, "Kém"),
    ],
)
def test_quality_levels_at_the_boundaries(world, regular, total, short, label):
    rubric = selectors.rubric_for(regular)
    scores = scores_totalling(rubric, total, short=short)
    assessment = services.score_quality(actor=world.secretary, meeting=regular, scores=scores)
    assert (assessment.score, assessment.level.label) == (total, label)
    meeting = reload(regular)
    level = next(lv for lv in rubric.levels if lv.label == label)
    assert (meeting.quality_score, meeting.quality_level) == (total, level.code)
    assert meeting.quality_scores == scores
    assert selectors.quality_label(meeting) == label


def test_points_out_of_range_or_unknown_criteria_are_refused_and_the_level_kept(world, regular):
    rubric = selectors.rubric_for(regular)
    full = {c.code: c.points for c in rubric.criteria}
    services.score_quality(actor=world.secretary, meeting=regular, scores=full)
    revision = reload(regular).revision
    for bad in (
        {**full, "attendance": full["attendance"] + 1},
        {**full, "duration": -1},
        {**full, "punctuality": 5},
    ):
        with pytest.raises(DomainError):
            services.score_quality(actor=world.secretary, meeting=regular, scores=bad)
    meeting = reload(regular)
    assert (meeting.quality_score, meeting.quality_level, meeting.quality_scores) == (100, "tot", full)
    assert meeting.revision == revision


# --- 4. The minutes carry every field of docs/domain.md §4 -------------------------------------------------

GUESTS = "Đồng chí Nguyễn Văn Hải, Đảng ủy viên\nĐồng chí Lê Thị Hương, Văn phòng Đảng ủy"
AGENDA = "Khai mạc, giới thiệu đại biểu\nTrình bày dự thảo chuyên đề\nThảo luận, kết luận và biểu quyết"
PRESENTATION = "Trình bày ba nội dung chính của chuyên đề về tự học."
SPEECHES = {
    "Nguyễn Văn Bình": "Đề nghị bổ sung ví dụ về tự học của giảng viên trẻ.",
    "Võ Văn Khánh": "Nên gắn với nhiệm vụ giảng dạy lớp trung cấp cho học viên Lào.",
    "Đồng chí Nguyễn Văn Hải (Đảng ủy viên)": "Ghi nhận sự chuẩn bị chu đáo của chi bộ.",
}
CONCLUSION = "Chi bộ thống nhất nội dung chuyên đề; đồng chí Đức tiếp thu và hoàn thiện trong 10 ngày."


@pytest.fixture
def full_record(world, distributed):
    """A thematic meeting with every kind of attendee, speeches, the vote, the quality level."""
    tâm = member_in(world.cell, full_name="Hoàng Văn Tâm")
    ExemptionFactory(member=tâm, reason="Tuổi cao, sức khỏe yếu")
    thu = member_in(world.cell, full_name="Đặng Thị Thu")
    MembershipFactory(member=thu, organization=world.other_cell, kind=Membership.Kind.TEMPORARY)
    nam = member_in(world.cell, full_name="Bùi Văn Nam")
    lan = member_in(world.cell, full_name="Ngô Thị Lan")
    khánh = member_of(world.other_member)
    MembershipFactory(member=khánh, organization=world.cell, kind=Membership.Kind.TEMPORARY)

    meeting = open_meeting(
        world, kind=Meeting.Kind.THEMATIC, session=distributed, day=distributed.planned_date
    )
    mark(world, meeting, nam, Attendance.Status.EXCUSED, "Đi công tác tại Hà Nội")
    mark(world, meeting, lan, Attendance.Status.UNEXCUSED)
    assert services.mark_all_present(actor=world.secretary, meeting=meeting) == 5

    def save(name, value):
        services.save_field(actor=world.secretary, meeting=meeting, name=name, value=value)

    save("guests", GUESTS)
    save("agenda", AGENDA)
    save("minutes_secretary", str(member_of(world.deputy).pk))
    services.add_speech(
        actor=world.secretary,
        meeting=meeting,
        member_id=member_of(world.member).pk,
        kind=Speech.Kind.PRESENTATION,
        summary=PRESENTATION,
    )
    services.add_speech(
        actor=world.secretary,
        meeting=meeting,
        member_id=member_of(world.secretary).pk,
        summary=SPEECHES["Nguyễn Văn Bình"],
    )
    services.add_speech(
        actor=world.secretary, meeting=meeting, member_id=khánh.pk, summary=SPEECHES["Võ Văn Khánh"]
    )
    services.add_speech(
        actor=world.secretary,
        meeting=meeting,
        speaker_name="Đồng chí Nguyễn Văn Hải (Đảng ủy viên)",
        summary=SPEECHES["Đồng chí Nguyễn Văn Hải (Đảng ủy viên)"],
    )
    save("conclusion", CONCLUSION)
    save("vote_subject", "Thông qua kết luận của chủ trì")
    services.record_vote(
        actor=world.secretary, meeting=meeting, mode="counts", votes_for=3, against=0, other=0
    )
    rubric = selectors.rubric_for(meeting)
    services.score_quality(
        actor=world.secretary, meeting=meeting, scores={c.code: c.points for c in rubric.criteria}
    )
    save("end_time", "16:05")
    return reload(meeting)


def test_the_approved_minutes_contain_every_field_of_domain_4(world, full_record):
    meeting = full_record
    version = services.approve_minutes(actor=world.secretary, meeting=meeting)
    snapshot = MinutesVersion.objects.get(pk=version.pk).snapshot
    text = flat_text(snapshot)
    day = meeting.date

    expected = [
        # time and place
        f"Hồi 14 giờ 00 phút, {day_phrase(day)}, tại {PLACE}",
        # totals split full / probationary / temporarily attached; exempted; attached elsewhere
        "Tổng số đảng viên của chi bộ: 8 đồng chí (chính thức: 7, dự bị: 1)",
        "đảng viên sinh hoạt tạm thời tại chi bộ: 1 đồng chí",
        "Đảng viên được miễn sinh hoạt: 1 đồng chí (Hoàng Văn Tâm)",
        "Đảng viên sinh hoạt tạm thời nơi khác: 1 đồng chí (Đặng Thị Thu)",
        # present, absent with reason (names + reasons), absent without reason (names)
        "Có mặt: 5 đồng chí",
        "Vắng có lý do: 1 đồng chí (Bùi Văn Nam (Đi công tác tại Hà Nội))",
        "Vắng không có lý do: 1 đồng chí (Ngô Thị Lan)",
        # guests, chair, minutes secretary
        "Đồng chí Nguyễn Văn Hải, Đảng ủy viên",
        "Đồng chí Lê Thị Hương, Văn phòng Đảng ủy",
        "Chủ trì: đồng chí Nguyễn Văn Bình",
        "Thư ký: đồng chí Trần Thị Hoa",
        # the presenter and the presentation
        f"Đồng chí Lê Văn Đức trình bày dự thảo chuyên đề “{meeting.session.title}”: {PRESENTATION}",
        # each speaker with their opinion
        *(
            f"{name if name.startswith('Đồng chí') else 'Đồng chí ' + name}: {said}"
            for name, said in SPEECHES.items()
        ),
        # the conclusion
        CONCLUSION,
        # the vote against the adjusted total: 7 full − 1 attached elsewhere − 1 exempted absent = 5
        "Thông qua kết luận của chủ trì",
        "tổng số làm căn cứ biểu quyết: 5 đồng chí",
        "ít nhất 3 đồng chí tán thành",
        "tán thành 3/5 đồng chí",
        "không tán thành 0",
        "ý kiến khác 0",
        "− 1 sinh hoạt tạm thời nơi khác − 1 được miễn sinh hoạt và vắng mặt",
        # quality level, end time
        "Chất lượng buổi sinh hoạt: Tốt (100 điểm)",
        "kết thúc lúc 16 giờ 05 phút",
    ]
    missing = [fragment for fragment in expected if nfc(fragment) not in text]
    assert not missing, f"missing from the minutes: {missing}\n---\n{text}"
    agenda_items = next(b["items"] for b in snapshot["body"] if b["kind"] == "list")
    assert agenda_items == AGENDA.splitlines()

    # Closing signatures: the chair and the minutes secretary.
    assert (snapshot["signer_title"], snapshot["signer_name"]) == ("CHỦ TRÌ", "Nguyễn Văn Bình")
    assert (snapshot["cosigner_title"], snapshot["cosigner_name"]) == ("THƯ KÝ", "Trần Thị Hoa")
    assert (snapshot["doc_type"], snapshot["number"], snapshot["symbol"]) == ("BB", 1, "01-BB/CB")
    assert snapshot["date"] == day.isoformat()
    meeting = reload(meeting)
    assert meeting.minutes_document.symbol == "01-BB/CB"
    assert meeting.minutes_document.snapshot == snapshot


def test_a_named_vote_prints_who_voted_how_in_the_minutes(world, meeting):
    services.mark_all_present(actor=world.secretary, meeting=meeting)
    services.save_field(
        actor=world.secretary,
        meeting=meeting,
        name="minutes_secretary",
        value=str(member_of(world.deputy).pk),
    )
    services.add_speech(
        actor=world.secretary,
        meeting=meeting,
        member_id=member_of(world.member).pk,
        kind=Speech.Kind.PRESENTATION,
        summary="Trình bày dự thảo.",
    )
    services.save_field(actor=world.secretary, meeting=meeting, name="conclusion", value="Thống nhất.")
    services.save_field(actor=world.secretary, meeting=meeting, name="end_time", value="16:00")
    named = {
        member_of(world.secretary).pk: "for",
        member_of(world.deputy).pk: "for",
        member_of(world.member).pk: "against",
    }
    services.record_vote(actor=world.secretary, meeting=meeting, mode="named", named=named)
    snapshot = services.approve_minutes(actor=world.secretary, meeting=meeting).snapshot
    text = flat_text(snapshot)
    assert nfc("tán thành 2/3 đồng chí") in text
    table = next(b for b in snapshot["body"] if b["kind"] == "table")
    assert table["header"] == ["Tán thành", "Không tán thành", "Ý kiến khác"]
    [[voted_for, voted_against, voted_other]] = table["rows"]
    assert set(voted_for.split(", ")) == {"Nguyễn Văn Bình", "Trần Thị Hoa"}
    assert (voted_against, voted_other) == ("Lê Văn Đức", "")


# --- 5. Locking, corrections and the audit trail ----------------------------------------------------


def test_approved_minutes_lock_every_editing_service(world, full_record):
    meeting = full_record
    services.approve_minutes(actor=world.secretary, meeting=meeting)
    before = reload(meeting)
    speech = Speech.objects.filter(meeting=meeting).first()
    lan = Member.objects.get(full_name="Ngô Thị Lan")
    rubric = selectors.rubric_for(meeting)
    edits = {
        "save_field": lambda: services.save_field(
            actor=world.secretary, meeting=meeting, name="conclusion", value="Sửa lại."
        ),
        "set_attendance": lambda: mark(world, meeting, lan, Attendance.Status.PRESENT),
        "mark_all_present": lambda: services.mark_all_present(actor=world.secretary, meeting=meeting),
        "add_speech": lambda: services.add_speech(
            actor=world.secretary, meeting=meeting, member_id=lan.pk, summary="Ý kiến mới."
        ),
        "delete_speech": lambda: services.delete_speech(actor=world.secretary, speech=speech),
        "record_vote": lambda: services.record_vote(
            actor=world.secretary, meeting=meeting, mode="counts", votes_for=2, against=1, other=0
        ),
        "clear_vote": lambda: services.clear_vote(actor=world.secretary, meeting=meeting),
        "score_quality": lambda: services.score_quality(
            actor=world.secretary, meeting=meeting, scores={c.code: 0 for c in rubric.criteria}
        ),
    }
    allowed = []
    for name, edit in edits.items():
        try:
            edit()
        except InvalidTransition:
            continue
        allowed.append(name)
    assert not allowed, f"changed approved minutes: {allowed}"

    after = reload(meeting)
    assert after.status == Meeting.Status.APPROVED and after.revision == before.revision
    assert (after.conclusion, after.votes_for, after.quality_level) == (CONCLUSION, 3, "tot")
    assert Speech.objects.filter(meeting=meeting).count() == 4
    assert attendance_of(meeting, lan).status == Attendance.Status.UNEXCUSED

    with pytest.raises(InvalidTransition):
        services.approve_minutes(actor=world.secretary, meeting=meeting)
    assert MinutesVersion.objects.filter(meeting=meeting).count() == 1


def test_a_correction_needs_a_reason_and_adds_version_2_keeping_version_1(world, full_record):
    meeting = full_record
    first = services.approve_minutes(actor=world.secretary, meeting=meeting)
    first_snapshot = copy.deepcopy(MinutesVersion.objects.get(pk=first.pk).snapshot)

    for reason in ("", "   "):
        with pytest.raises(DomainError):
            services.start_correction(actor=world.secretary, meeting=meeting, reason=reason)
    assert reload(meeting).status == Meeting.Status.APPROVED
    with pytest.raises(PermissionDenied):
        services.start_correction(actor=world.member, meeting=meeting, reason="Sai giờ")

    services.start_correction(actor=world.secretary, meeting=meeting, reason="Ghi sai giờ kết thúc")
    assert reload(meeting).status == Meeting.Status.CORRECTING
    with pytest.raises(InvalidTransition):
        services.start_correction(actor=world.secretary, meeting=meeting, reason="Lần nữa")
    services.save_field(actor=world.secretary, meeting=meeting, name="end_time", value="16:20")
    second = services.approve_minutes(actor=world.secretary, meeting=meeting)

    assert (second.number, second.reason) == (2, "Ghi sai giờ kết thúc")
    assert second.approved_by == world.secretary
    assert "16 giờ 20 phút" in flat_text(second.snapshot)
    assert second.snapshot["symbol"] == "01-BB/CB"
    stored_first = MinutesVersion.objects.get(pk=first.pk)
    assert stored_first.snapshot == first_snapshot and stored_first.reason == ""
    assert "16 giờ 05 phút" in flat_text(stored_first.snapshot)
    assert list(MinutesVersion.objects.filter(meeting=meeting).values_list("number", flat=True)) == [1, 2]
    # One numbered document for the minutes, whatever the versions.
    assert IssuedDocument.objects.filter(doc_type="BB", organization=world.cell).count() == 1
    meeting = reload(meeting)
    assert meeting.status == Meeting.Status.APPROVED and meeting.correction_reason == ""
    with pytest.raises(InvalidTransition):
        services.save_field(actor=world.secretary, meeting=meeting, name="end_time", value="16:30")

    entries = AuditEntry.objects.filter(object_id=meeting.pk, content_type__model="meeting")
    approved = entries.filter(action="meetings.minutes.approved")
    assert sorted(e.data["number"] for e in approved) == [1, 2]
    assert all(e.actor == world.secretary for e in approved)
    correcting = entries.get(action="meetings.minutes.correcting")
    assert correcting.data["reason"] == "Ghi sai giờ kết thúc" and correcting.actor == world.secretary


# --- 6. Bad input and who may write the record ------------------------------------------------------


def test_only_members_on_the_list_can_be_marked_and_only_known_statuses(world, regular):
    outsider = member_of(world.other_member)
    with pytest.raises(DomainError):
        mark(world, regular, outsider, Attendance.Status.PRESENT)
    assert not Attendance.objects.filter(meeting=regular, member=outsider).exists()
    with pytest.raises(DomainError):
        services.set_attendance(
            actor=world.secretary, meeting=regular, member_id="not-a-number", status=Attendance.Status.PRESENT
        )
    đức = member_of(world.member)
    with pytest.raises(DomainError):
        mark(world, regular, đức, "on_leave")
    assert attendance_of(regular, đức).status == ""


def test_a_speech_sent_twice_is_saved_once_and_an_empty_one_is_refused(world, regular):
    client_id = uuid.uuid4()
    first = services.add_speech(
        actor=world.secretary,
        meeting=regular,
        member_id=member_of(world.member).pk,
        summary="Ý kiến về giờ giảng.",
        client_id=str(client_id),
    )
    again = services.add_speech(
        actor=world.secretary,
        meeting=regular,
        member_id=member_of(world.member).pk,
        summary="Ý kiến về giờ giảng.",
        client_id=str(client_id),
    )
    assert again.pk == first.pk
    assert Speech.objects.filter(meeting=regular).count() == 1

    for summary in ("", "   \n "):
        with pytest.raises(DomainError):
            services.add_speech(
                actor=world.secretary, meeting=regular, member_id=member_of(world.member).pk, summary=summary
            )
    with pytest.raises(DomainError):
        services.add_speech(actor=world.secretary, meeting=regular, summary="Không rõ ai nói.")
    with pytest.raises(DomainError):
        services.add_speech(
            actor=world.secretary, meeting=regular, member_id=member_of(world.other_member).pk, summary="x"
        )
    assert Speech.objects.filter(meeting=regular).count() == 1


def test_a_field_changed_meanwhile_is_reported_not_overwritten(world, regular):
    services.save_field(
        actor=world.secretary, meeting=regular, name="conclusion", value="Bản của bí thư.", base=""
    )
    with pytest.raises(services.Conflict) as conflict:
        services.save_field(
            actor=world.deputy, meeting=regular, name="conclusion", value="Bản của phó bí thư.", base=""
        )
    assert conflict.value.current == "Bản của bí thư."
    assert reload(regular).conclusion == "Bản của bí thư."
    # Starting from the current text, the change is saved.
    services.save_field(
        actor=world.deputy,
        meeting=regular,
        name="conclusion",
        value="Bản của phó bí thư.",
        base="Bản của bí thư.",
    )
    assert reload(regular).conclusion == "Bản của phó bí thư."


def test_only_the_named_minutes_secretary_writes_the_record_besides_the_secretaries(world, regular):
    đức = member_of(world.member)
    for user in (world.member, world.probationary, world.other_member):
        with pytest.raises(PermissionDenied):
            services.save_field(actor=user, meeting=regular, name="guests", value="Khách")
    assert reload(regular).guests == ""

    services.save_field(actor=world.secretary, meeting=regular, name="minutes_secretary", value=str(đức.pk))
    regular = reload(regular)  # as the next request loads it
    services.save_field(actor=world.member, meeting=regular, name="guests", value="Đồng chí Hải")
    services.set_attendance(
        actor=world.member, meeting=regular, member_id=đức.pk, status=Attendance.Status.PRESENT
    )
    assert reload(regular).guests == "Đồng chí Hải"
    assert attendance_of(regular, đức).status == Attendance.Status.PRESENT
    for user in (world.probationary, world.other_member):
        with pytest.raises(PermissionDenied):
            services.save_field(actor=user, meeting=regular, name="guests", value="Khách khác")
    # Writing the record is not approving it.
    with pytest.raises(PermissionDenied):
        services.approve_minutes(actor=world.member, meeting=regular)
    assert reload(regular).guests == "Đồng chí Hải"


# --- 7. The resolution and its tasks -----------------------------------------------------------------


@pytest.fixture
def held(world, meeting):
    """The thematic meeting recorded and its minutes approved: the session is held."""
    hold(world, meeting)
    meeting = reload(meeting)
    assert meeting.session.status == Session.Status.HELD
    return meeting


@pytest.mark.new_year
def test_save_resolution_checks_every_task_and_writes_nothing_when_one_is_bad(world, held):
    đức, hoa = member_of(world.member), member_of(world.deputy)
    deadline = timezone.localdate() + timedelta(days=30)
    bad_tasks = [
        services.TaskInput("Xây dựng giờ giảng mẫu", [đức.pk], deadline),
        services.TaskInput("   ", [đức.pk], deadline),
        services.TaskInput("Tổ chức hội thảo", [member_of(world.other_member).pk], deadline),
        services.TaskInput("Biên soạn tài liệu", [], deadline),
        services.TaskInput("Báo cáo kết quả", [hoa.pk], None),
    ]
    with translation.override("en"), pytest.raises(DomainError) as refused:
        save_resolution(world, held, bad_tasks)
    message = str(refused.value.message)
    assert all(f"Task {n}" in message for n in (2, 3, 4, 5)) and "Task 1" not in message
    assert not Resolution.objects.filter(meeting=held).exists()
    assert not ResolutionTask.objects.exists()

    resolution = save_resolution(world, held, [bad_tasks[0]])
    assert list(resolution.tasks.values_list("description", flat=True)) == ["Xây dựng giờ giảng mẫu"]
    # A bad rewrite leaves the saved resolution as it was.
    with pytest.raises(DomainError):
        save_resolution(world, held, [services.TaskInput("Việc mới", [đức.pk], deadline), bad_tasks[4]])
    resolution.refresh_from_db()
    assert resolution.revision == 1
    assert list(resolution.tasks.values_list("description", flat=True)) == ["Xây dựng giờ giảng mẫu"]
    assert list(resolution.tasks.get().owners.all()) == [đức]


@pytest.mark.new_year
def test_a_former_member_of_the_cell_cannot_own_a_task(world, held):
    former = member_in(world.cell, full_name="Trương Văn Cũ")
    Membership.objects.filter(member=former).update(start_date=date(2018, 1, 1), end_date=date(2021, 1, 1))
    task = services.TaskInput("Việc của người đã chuyển đi", [former.pk], timezone.localdate())
    with pytest.raises(DomainError):
        save_resolution(world, held, [task])
    assert not Resolution.objects.filter(meeting=held).exists()


def test_the_resolution_is_issued_after_final_approval_and_only_once(world, held):
    session = held.session
    save_resolution(world, held, [one_task(world)])
    with pytest.raises(InvalidTransition):
        services.issue_resolution(actor=world.secretary, meeting=held)
    assert not IssuedDocument.objects.filter(doc_type="NQ").exists()

    finalize(world, session)
    with pytest.raises(PermissionDenied):
        services.issue_resolution(actor=world.member, meeting=held)
    resolution = services.issue_resolution(actor=world.secretary, meeting=held)
    assert resolution.document.symbol == "01-NQ/CB" and resolution.is_issued
    session.refresh_from_db()
    assert session.status == Session.Status.RESOLUTION_ISSUED

    with pytest.raises(InvalidTransition):
        services.issue_resolution(actor=world.secretary, meeting=held)
    with pytest.raises(InvalidTransition):
        save_resolution(world, held, [one_task(world, days=60)])
    assert IssuedDocument.objects.filter(doc_type="NQ").count() == 1
    text = flat_text(resolution.document.snapshot)
    assert "QUYẾT NGHỊ" in text and "Xây dựng giờ giảng mẫu" in text and "Lê Văn Đức" in text


def test_two_sessions_get_01_NQ_then_02_NQ(world, held):
    first_session = held.session
    second_session = distributed_session(
        world,
        first_session.plan,
        "Chi bộ lãnh đạo Khoa nâng cao năng lực giảng dạy",
        near_day(first_session, 3),
    )
    second = open_meeting(
        world, kind=Meeting.Kind.THEMATIC, session=second_session, day=second_session.planned_date
    )
    hold(world, second)
    for meeting in (held, second):
        finalize(world, reload(meeting).session)
        save_resolution(world, meeting, [one_task(world)])
    symbols = [
        services.issue_resolution(actor=world.secretary, meeting=m).document.symbol for m in (held, second)
    ]
    assert symbols == ["01-NQ/CB", "02-NQ/CB"]


@pytest.mark.new_year
def test_tasks_are_followed_up_by_their_owners_until_done(world, held):
    đức, hoa = member_of(world.member), member_of(world.deputy)
    today = timezone.localdate()
    save_resolution(
        world,
        held,
        [
            services.TaskInput("Dạy giờ giảng mẫu", [đức.pk], today + timedelta(days=30)),
            services.TaskInput("Biên soạn tài liệu tham khảo", [hoa.pk, đức.pk], today + timedelta(days=10)),
        ],
    )
    late, early = ResolutionTask.objects.order_by("position")
    # Not issued yet: nothing to follow up.
    assert list(selectors.open_tasks(world.cell.pk)) == [] and selectors.my_tasks(world.member) == []
    with pytest.raises(InvalidTransition):
        services.complete_task(actor=world.member, task=late)

    finalize(world, held.session)
    services.issue_resolution(actor=world.secretary, meeting=held)
    assert list(selectors.open_tasks(world.cell.pk)) == [early, late]
    assert selectors.my_tasks(world.member) == [early, late]
    assert selectors.my_tasks(world.deputy) == [early]
    assert list(selectors.open_tasks(world.other_cell.pk)) == []

    for outsider in (world.probationary, world.other_member):
        with pytest.raises(PermissionDenied):
            services.complete_task(actor=outsider, task=late)
    late.refresh_from_db()
    assert not late.is_done

    services.complete_task(actor=world.member, task=late, note="Đã dạy mẫu ngày 20/12")
    late.refresh_from_db()
    assert late.is_done and late.done_by == world.member and late.done_note == "Đã dạy mẫu ngày 20/12"
    with pytest.raises(InvalidTransition):
        services.complete_task(actor=world.member, task=late)
    assert list(selectors.open_tasks(world.cell.pk)) == [early]
    assert selectors.my_tasks(world.member) == [early]

    services.complete_task(actor=world.deputy, task=early)
    assert list(selectors.open_tasks(world.cell.pk)) == []
    assert selectors.my_tasks(world.member) == [] and selectors.my_tasks(world.deputy) == []


# --- 8. The notice, and numbers taken at the same moment ----------------------------------------------


@pytest.mark.new_year
def test_the_notice_is_numbered_tb_and_reaches_every_member_of_the_cell(world):
    visitor = member_of(world.other_member)
    MembershipFactory(member=visitor, organization=world.cell, kind=Membership.Kind.TEMPORARY)
    outsider = UserFactory(username="khac2")
    member_in(world.other_cell, user=outsider, full_name="Phan Văn Ngoài")
    day = timezone.localdate() + timedelta(days=7)
    meeting = services.create_meeting(
        actor=world.secretary,
        cell=world.cell,
        kind=Meeting.Kind.REGULAR,
        date=day,
        start_time=time(7, 30),
        place="Phòng họp Khoa",
    )
    with pytest.raises(PermissionDenied):
        services.issue_notice(actor=world.member, meeting=meeting)

    document = services.issue_notice(actor=world.secretary, meeting=meeting)
    assert document.symbol == "01-TB/CB"
    assert reload(meeting).notice == document
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"bithu", "phobithu", "dangvien", "duby", "khac"}
    notice = Notification.objects.get(recipient=world.member)
    assert day.strftime("%d/%m/%Y") in notice.title and "Phòng họp Khoa" in notice.body
    text = flat_text(document.snapshot)
    assert "Phòng họp Khoa" in text and day_phrase(day) in text

    with pytest.raises(InvalidTransition):
        services.issue_notice(actor=world.secretary, meeting=meeting)
    second = services.create_meeting(
        actor=world.secretary,
        cell=world.cell,
        kind=Meeting.Kind.REGULAR,
        date=day + timedelta(days=30),
        start_time=time(7, 30),
        place="Phòng họp Khoa",
    )
    assert services.issue_notice(actor=world.secretary, meeting=second).symbol == "02-TB/CB"
    services.open_record(actor=world.secretary, meeting=meeting)
    count = Notification.objects.count()
    third = open_meeting(world, day=day + timedelta(days=60))
    with pytest.raises(InvalidTransition):
        services.issue_notice(actor=world.secretary, meeting=third)
    assert Notification.objects.count() == count


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks (SELECT … FOR UPDATE) are what is tested"
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_resolutions_of_different_sessions_issued_at_the_same_moment_get_distinct_numbers(world):
    workers = 4
    day = timezone.localdate() + timedelta(days=14)
    plan = planning.create_plan(actor=world.secretary, cell=world.cell, year=day.year)
    meetings = []
    for index in range(workers):
        session = distributed_session(
            world, plan, f"Chuyên đề số {index + 1}", day.replace(day=1) + timedelta(days=index)
        )
        meeting = open_meeting(world, kind=Meeting.Kind.THEMATIC, session=session, day=session.planned_date)
        hold(world, meeting)
        finalize(world, session)
        save_resolution(world, meeting, [one_task(world)])
        meetings.append(meeting)

    barrier = threading.Barrier(workers)
    symbols, errors = [], []

    def issue(meeting):
        try:
            barrier.wait()
            symbols.append(services.issue_resolution(actor=world.secretary, meeting=meeting).document.symbol)
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(m,)) for m in meetings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sorted(symbols) == [f"{n:02d}-NQ/CB" for n in range(1, workers + 1)]
    assert sorted(Resolution.objects.values_list("document__number", flat=True)) == list(
        range(1, workers + 1)
    )
    assert Session.objects.filter(status=Session.Status.RESOLUTION_ISSUED).count() == workers


# --- Found in review ---------------------------------------------------------------------------------


def test_a_failed_vote_cannot_become_an_issued_resolution(world, meeting):
    services.mark_all_present(actor=world.secretary, meeting=meeting)
    for name, value in (("minutes_secretary", str(member_of(world.deputy).pk)), ("end_time", "16:00")):
        services.save_field(actor=world.secretary, meeting=meeting, name=name, value=value)
    services.save_field(actor=world.secretary, meeting=meeting, name="conclusion", value="Chưa thống nhất.")
    services.add_speech(
        actor=world.secretary,
        meeting=meeting,
        member_id=member_of(world.member).pk,
        kind="presentation",
        summary="x",
    )
    result = services.record_vote(
        actor=world.secretary, meeting=meeting, mode="counts", votes_for=1, against=2, other=0
    )
    assert not result.passed
    services.approve_minutes(actor=world.secretary, meeting=meeting)
    finalize(world, Session.objects.get(pk=meeting.session_id))
    save_resolution(world, meeting, [one_task(world)])
    with pytest.raises(InvalidTransition):
        services.issue_resolution(actor=world.secretary, meeting=meeting)
    assert not Resolution.objects.get(meeting=meeting).is_issued
    assert not IssuedDocument.objects.filter(doc_type="NQ").exists()


def test_a_member_attached_elsewhere_who_comes_still_does_not_vote_here(world):
    other = member_in(world.other_cell, full_name="Đoàn Văn Tâm")
    MembershipFactory(member=member_of(world.member), organization=world.other_cell, kind="temporary")
    meeting = open_meeting(world)
    assert attendance_of(meeting, member_of(world.member)).status == Attendance.Status.ELSEWHERE
    mark(world, meeting, member_of(world.member), Attendance.Status.PRESENT)
    services.mark_all_present(actor=world.secretary, meeting=meeting)
    basis = selectors.summary(selectors.attendances(reload(meeting))).basis
    assert (basis.attached_elsewhere, basis.adjusted_total, basis.eligible_present) == (1, 2, 2)
    assert other.pk not in {a.member_id for a in reload(meeting).attendances.all()}


def test_under_a_recorded_vote_nothing_may_change_the_total_but_late_is_fine(world):
    meeting = open_meeting(world)
    services.mark_all_present(actor=world.secretary, meeting=meeting)
    mark(world, meeting, member_of(world.member), Attendance.Status.EXCUSED, "Ốm")
    services.record_vote(
        actor=world.secretary, meeting=meeting, mode="counts", votes_for=2, against=0, other=0
    )
    with pytest.raises(InvalidTransition):
        mark(world, meeting, member_of(world.member), "suspended", "Quyết định đình chỉ")
    mark(world, meeting, member_of(world.deputy), Attendance.Status.LATE)
    assert attendance_of(meeting, member_of(world.deputy)).status == Attendance.Status.LATE
    assert reload(meeting).vote_basis["adjusted_total"] == 3


def test_line_ends_and_trailing_spaces_from_a_phone_are_not_a_conflict(world, meeting):
    services.save_field(actor=world.secretary, meeting=meeting, name="agenda", value="Mục 1\r\nMục 2")
    # The phone's base is what it showed: "\r\n" line ends, as a browser sends them.
    services.save_field(
        actor=world.secretary,
        meeting=meeting,
        name="agenda",
        value="Mục 1\r\nMục 2\r\nMục 3",
        base="Mục 1\r\nMục 2",
    )
    services.save_field(actor=world.secretary, meeting=meeting, name="conclusion", value="Chi bộ thống nhất ")
    services.save_field(
        actor=world.secretary,
        meeting=meeting,
        name="conclusion",
        value="Chi bộ thống nhất cao",
        base="Chi bộ thống nhất ",
    )
    meeting = reload(meeting)
    assert (meeting.agenda, meeting.conclusion) == ("Mục 1\nMục 2\nMục 3", "Chi bộ thống nhất cao")


def test_the_end_must_come_after_the_start_and_a_meeting_is_not_made_twice(world, meeting):
    with pytest.raises(DomainError):
        services.save_field(actor=world.secretary, meeting=meeting, name="end_time", value="13:00")
    assert reload(meeting).end_time is None
    with pytest.raises(DomainError):
        services.create_meeting(
            actor=world.secretary,
            cell=world.cell,
            kind="regular",
            date=meeting.date,
            start_time=meeting.start_time,
            place="Phòng họp",
        )
    assert Meeting.objects.filter(cell=world.cell).count() == 1


def test_the_minutes_secretary_writes_but_does_not_assess_or_appoint(world, meeting):
    services.save_field(
        actor=world.secretary,
        meeting=meeting,
        name="minutes_secretary",
        value=str(member_of(world.member).pk),
    )
    meeting = reload(meeting)
    services.save_field(actor=world.member, meeting=meeting, name="conclusion", value="Ghi bởi thư ký")
    for name in ("chair", "minutes_secretary"):
        with pytest.raises(PermissionDenied):
            services.save_field(
                actor=world.member, meeting=meeting, name=name, value=str(member_of(world.deputy).pk)
            )
    with pytest.raises(PermissionDenied):
        services.score_quality(actor=world.member, meeting=meeting, scores={})
    assert reload(meeting).chair == member_of(world.secretary)
