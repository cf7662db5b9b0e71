"""The vote against the adjusted total (docs/domain.md §3), each test asserting what was stored: the
domain's example, probationary and exempted members, members attached elsewhere or here, counts
beyond the eligible voters, named votes, and the attendance under a recorded vote."""

import threading
from datetime import date

import pytest
from django.db import connection
from django.utils import translation

from core.errors import DomainError, InvalidTransition
from core.models import AuditEntry
from meetings import selectors, services
from meetings.models import Attendance, Meeting
from meetings.tests.helpers import (
    attendance_of,
    check_codes,
    mark,
    member_of,
    open_meeting,
    reload,
)
from organizations.models import Member, Membership
from tests.factories import CellFactory, ExemptionFactory, MembershipFactory, member_in


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


# --- Found in review ---------------------------------------------------------------------------------


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


# --- Sent twice, or by two people at once (issue 13 item 6) ---------------------------------------


def test_the_same_vote_sent_again_changes_nothing_and_different_counts_are_refused(world):
    meeting = open_meeting(world)
    services.mark_all_present(actor=world.secretary, meeting=meeting)
    vote = {"mode": "counts", "votes_for": 3, "against": 0, "other": 0, "first": True}
    services.record_vote(actor=world.secretary, meeting=meeting, **vote)
    again = services.record_vote(actor=world.secretary, meeting=meeting, **vote)  # a double tap
    assert again.passed and AuditEntry.objects.filter(action="meetings.vote.recorded").count() == 1
    with pytest.raises(InvalidTransition) as refused:
        services.record_vote(actor=world.deputy, meeting=meeting, **{**vote, "votes_for": 2, "against": 1})
    assert "3" in str(refused.value.message)
    stored = reload(meeting)
    assert (stored.votes_for, stored.votes_against) == (3, 0)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks (SELECT … FOR UPDATE) are what is tested"
)
@pytest.mark.django_db(transaction=True)
def test_eight_vote_posts_at_once_store_one_vote(world):
    meeting = open_meeting(world)
    services.mark_all_present(actor=world.secretary, meeting=meeting)
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def post(index: int) -> None:
        counts = {"votes_for": 3, "against": 0} if index % 2 else {"votes_for": 2, "against": 1}
        try:
            barrier.wait()
            services.record_vote(
                actor=world.secretary, meeting=meeting, mode="counts", other=0, first=True, **counts
            )
            outcomes.append(f"{counts['votes_for']}")
        except InvalidTransition:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = reload(meeting)
    # One vote is stored; the identical posts agree with it, the others were refused.
    assert outcomes.count(str(stored.votes_for)) == 4 and outcomes.count("refused") == 4
    assert AuditEntry.objects.filter(action="meetings.vote.recorded").count() == 1
