"""The electronic vote (issue 15): who may cast, once; a secret ballot never linked to a voter in the
database; closing with members still to vote records the result through the meetings service with the
adjusted total; double votes refused under concurrency (PostgreSQL)."""

import threading

import pytest
from django.db import connection
from django.utils import translation

from core.errors import DomainError, InvalidTransition, PermissionDenied
from core.models import AuditEntry
from meetings import services as meetings
from meetings.models import Attendance, Meeting
from meetings.tests.helpers import attendance_of, mark, member_of, open_meeting, reload
from organizations.models import Membership
from room import live, services
from room.models import Ballot, NamedVote, Receipt, SecretVoter
from tests.factories import ExemptionFactory, MembershipFactory, UserFactory, member_in

FOR, AGAINST, OTHER = Attendance.Vote.FOR, Attendance.Vote.AGAINST, Attendance.Vote.OTHER


@pytest.fixture(autouse=True)
def english():
    """The refusals are matched in English (the site's language is Vietnamese)."""
    with translation.override("en"):
        yield


@pytest.fixture
def meeting(world):
    meeting = open_meeting(world)
    meetings.mark_all_present(actor=world.secretary, meeting=meeting)
    return reload(meeting)


def test_a_secret_vote_counts_only_and_is_recorded_as_the_secretary_would(world, meeting):
    ballot = services.open_ballot(actor=world.secretary, meeting=meeting, subject="Nghị quyết", secret=True)
    receipts = [
        services.cast_vote(actor=world.secretary, ballot=ballot, choice=FOR).receipt,
        services.cast_vote(actor=world.deputy, ballot=ballot, choice=FOR).receipt,
        services.cast_vote(actor=world.member, ballot=ballot, choice=AGAINST).receipt,
    ]
    assert all(code and len(code) == services.RECEIPT_LENGTH for code in receipts)
    assert len(set(receipts)) == 3
    assert services.tally(ballot) == services.Tally(voted=3, votes_for=2, against=1, other=0)

    result = services.close_ballot(actor=world.secretary, ballot=ballot)

    stored = reload(meeting)
    assert (stored.vote_mode, stored.votes_for, stored.votes_against, stored.votes_other) == (
        Meeting.VoteMode.COUNTS,
        2,
        1,
        0,
    )
    assert stored.vote_subject == "Nghị quyết" and stored.vote_passed is True
    assert result.basis.adjusted_total == 3 and result.basis.needed == 2
    # No member's vote is written to the attendance in a secret vote.
    assert not stored.attendances.exclude(vote="").exists()
    assert Ballot.objects.get(pk=ballot.pk).status == Ballot.Status.CLOSED
    assert SecretVoter.objects.filter(ballot=ballot).count() == 3
    # Each voter's receipt can be checked; a made-up one is not counted.
    assert all(services.receipt_counted(ballot, code.lower()) for code in receipts)
    assert not services.receipt_counted(ballot, "ABCDEFGHJK")
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions[-3:] == ["room.vote.opened", "meetings.vote.recorded", "room.vote.closed"]


def test_no_row_of_a_secret_ballot_links_a_voter_to_a_choice():
    """The schema itself: the voter flag and the receipt hold no choice and no time, and the only choice
    stored for a secret ballot is a count on the ballot row, which names no member."""

    def columns(model):
        return {f.name for f in model._meta.concrete_fields}

    assert columns(SecretVoter) == {"id", "ballot", "member"}
    assert columns(Receipt) == {"code", "ballot"}
    assert "member" not in columns(Ballot)
    # The receipt's key is its random code, not a sequence that would follow the voters' order.
    assert Receipt._meta.pk.name == "code"


def test_a_named_vote_keeps_each_members_choice_in_the_record(world, meeting):
    ballot = services.open_ballot(actor=world.secretary, meeting=meeting, subject="Kết luận", secret=False)
    assert services.cast_vote(actor=world.secretary, ballot=ballot, choice=FOR).receipt is None
    services.cast_vote(actor=world.deputy, ballot=ballot, choice=OTHER)

    result = services.close_ballot(actor=world.secretary, ballot=ballot)

    stored = reload(meeting)
    assert stored.vote_mode == Meeting.VoteMode.NAMED
    assert attendance_of(stored, member_of(world.secretary)).vote == FOR
    assert attendance_of(stored, member_of(world.deputy)).vote == OTHER
    # Lê Văn Đức did not vote: closing with members still to vote counts them as not for.
    assert attendance_of(stored, member_of(world.member)).vote == ""
    assert (stored.votes_for, stored.votes_against, stored.votes_other) == (1, 0, 1)
    assert result.passed is False and result.basis.needed == 2


def test_probationary_and_attached_elsewhere_members_see_but_cannot_cast(world):
    away = member_in(world.cell, full_name="Đỗ Văn Xa", user=UserFactory(username="xa"))
    MembershipFactory(member=away, organization=world.other_cell, kind=Membership.Kind.TEMPORARY)
    meeting = open_meeting(world)
    meetings.mark_all_present(actor=world.secretary, meeting=meeting)
    assert attendance_of(meeting, away).status == Attendance.Status.ELSEWHERE
    ballot = services.open_ballot(actor=world.secretary, meeting=meeting, subject="Nghị quyết", secret=True)

    with pytest.raises(PermissionDenied, match="Probationary"):
        services.cast_vote(actor=world.probationary, ballot=ballot, choice=FOR)
    with pytest.raises(PermissionDenied, match="another cell"):
        services.cast_vote(actor=away.user, ballot=ballot, choice=FOR)
    with pytest.raises(PermissionDenied):  # a member of another cell does not even see it
        services.cast_vote(actor=world.other_member, ballot=ballot, choice=FOR)
    assert services.tally(ballot).voted == 0 and not SecretVoter.objects.exists()


def test_absent_members_cannot_cast_and_the_adjusted_total_leaves_out_exempted_absentees(world):
    exempted = member_in(world.cell, full_name="Bùi Văn Nghỉ")
    ExemptionFactory(member=exempted)
    meeting = open_meeting(world)
    meetings.mark_all_present(actor=world.secretary, meeting=meeting)
    mark(world, meeting, member_of(world.member), Attendance.Status.EXCUSED, reason="Ốm")
    ballot = services.open_ballot(actor=world.secretary, meeting=meeting, subject="Nghị quyết", secret=True)

    with pytest.raises(PermissionDenied, match="present"):
        services.cast_vote(actor=world.member, ballot=ballot, choice=FOR)
    services.cast_vote(actor=world.secretary, ballot=ballot, choice=FOR)
    services.cast_vote(actor=world.deputy, ballot=ballot, choice=FOR)
    result = services.close_ballot(actor=world.secretary, ballot=ballot)

    # 4 full members (the exempted one absent unless marked) − 1 exempted absent = 3; 2 needed, 2 for.
    assert attendance_of(meeting, exempted).status == Attendance.Status.EXEMPTED
    assert (result.basis.full_members, result.basis.exempted_absent) == (4, 1)
    assert (result.basis.adjusted_total, result.basis.needed, result.passed) == (3, 2, True)
    assert reload(meeting).vote_basis["adjusted_total"] == 3


def test_a_vote_is_cast_once_and_not_after_closing(world, meeting):
    for secret in (True, False):
        ballot = services.open_ballot(
            actor=world.secretary, meeting=meeting, subject="Kiến nghị", secret=secret
        )
        services.cast_vote(actor=world.deputy, ballot=ballot, choice=FOR)
        with pytest.raises(InvalidTransition, match="already voted"):
            services.cast_vote(actor=world.deputy, ballot=ballot, choice=AGAINST)
        assert services.tally(ballot) == services.Tally(voted=1, votes_for=1, against=0, other=0)
        services.close_ballot(actor=world.secretary, ballot=ballot)
        with pytest.raises(InvalidTransition, match="closed"):
            services.cast_vote(actor=world.member, ballot=ballot, choice=FOR)
        with pytest.raises(InvalidTransition, match="closed"):
            services.close_ballot(actor=world.secretary, ballot=ballot)
        meetings.clear_vote(actor=world.secretary, meeting=meeting)
    assert NamedVote.objects.count() == 1 and SecretVoter.objects.count() == 1


def test_opening_is_the_recorders_and_needs_the_attendance_and_an_empty_record(world):
    meeting = open_meeting(world)
    with pytest.raises(PermissionDenied):
        services.open_ballot(actor=world.member, meeting=meeting, subject="Nghị quyết", secret=True)
    with pytest.raises(InvalidTransition, match="attendance"):
        services.open_ballot(actor=world.secretary, meeting=meeting, subject="Nghị quyết", secret=True)
    meetings.mark_all_present(actor=world.secretary, meeting=meeting)
    with pytest.raises(DomainError, match="put to the vote"):
        services.open_ballot(actor=world.secretary, meeting=meeting, subject="  ", secret=True)
    ballot = services.open_ballot(actor=world.secretary, meeting=meeting, subject="Nghị quyết", secret=True)
    with pytest.raises(InvalidTransition, match="already open"):
        services.open_ballot(actor=world.secretary, meeting=meeting, subject="Khác", secret=False)
    with pytest.raises(PermissionDenied):
        services.close_ballot(actor=world.member, ballot=ballot)
    with pytest.raises(InvalidTransition, match="Nobody has voted"):
        services.close_ballot(actor=world.secretary, ballot=ballot)
    services.withdraw_ballot(actor=world.secretary, ballot=ballot)
    assert Ballot.objects.get(pk=ballot.pk).status == Ballot.Status.WITHDRAWN
    meetings.record_vote(
        actor=world.secretary, meeting=meeting, mode="counts", votes_for=3, against=0, other=0
    )
    with pytest.raises(InvalidTransition, match="already holds a vote"):
        services.open_ballot(actor=world.secretary, meeting=meeting, subject="Nghị quyết", secret=True)


def test_closing_refuses_to_write_over_a_vote_the_secretary_recorded_meanwhile(world, meeting):
    ballot = services.open_ballot(actor=world.secretary, meeting=meeting, subject="Nghị quyết", secret=True)
    services.cast_vote(actor=world.deputy, ballot=ballot, choice=FOR)
    meetings.record_vote(
        actor=world.secretary, meeting=meeting, mode="counts", votes_for=3, against=0, other=0
    )
    with pytest.raises(InvalidTransition, match="recorded meanwhile"):
        services.close_ballot(actor=world.secretary, ballot=ballot)
    assert Ballot.objects.get(pk=ballot.pk).is_open
    assert reload(meeting).votes_for == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions are what is tested")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("secret", [True, False])
def test_eight_votes_of_one_member_at_once_count_once(world, secret):
    meeting = open_meeting(world)
    meetings.mark_all_present(actor=world.secretary, meeting=meeting)
    ballot = services.open_ballot(actor=world.secretary, meeting=meeting, subject="Nghị quyết", secret=secret)
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def cast(index: int) -> None:
        try:
            barrier.wait()
            services.cast_vote(actor=world.deputy, ballot=ballot, choice=FOR if index % 2 else AGAINST)
            outcomes.append("counted")
        except InvalidTransition:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=cast, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["counted"] + ["refused"] * 7
    assert services.tally(ballot).voted == 1
    assert Receipt.objects.filter(ballot=ballot).count() == (1 if secret else 0)


def test_closing_with_members_still_to_vote_counts_them_as_not_for_on_the_adjusted_total(world):
    """Full members: the secretary, the deputy, world.member, one exempted (absent) and one attached to
    another cell: 5 − 1 attached elsewhere − 1 exempted absent = 3, so 2 votes for are needed. Two of the
    three eligible present vote, one for: the named vote fails, the silent member recorded as not voting."""
    exempted = member_in(world.cell, full_name="Bùi Văn Nghỉ")
    ExemptionFactory(member=exempted)
    away = member_in(world.cell, full_name="Đỗ Văn Xa")
    MembershipFactory(member=away, organization=world.other_cell, kind=Membership.Kind.TEMPORARY)
    meeting = open_meeting(world)
    meetings.mark_all_present(actor=world.secretary, meeting=meeting)
    ballot = services.open_ballot(actor=world.secretary, meeting=meeting, subject="Nghị quyết", secret=False)
    assert live.eligible_present(reload(meeting)) == 3

    services.cast_vote(actor=world.secretary, ballot=ballot, choice=FOR)
    services.cast_vote(actor=world.deputy, ballot=ballot, choice=AGAINST)
    result = services.close_ballot(actor=world.secretary, ballot=ballot)

    basis = result.basis
    assert (basis.full_members, basis.attached_elsewhere, basis.exempted_absent) == (5, 1, 1)
    assert (basis.adjusted_total, basis.needed, result.passed) == (3, 2, False)
    stored = reload(meeting)
    assert (stored.vote_mode, stored.votes_for, stored.votes_against, stored.vote_passed) == (
        Meeting.VoteMode.NAMED,
        1,
        1,
        False,
    )
    assert attendance_of(stored, member_of(world.member)).vote == ""
    assert stored.vote_basis["adjusted_total"] == 3
    # Closed: nobody votes any more, not even the member who had not.
    with pytest.raises(InvalidTransition):
        services.cast_vote(actor=world.member, ballot=ballot, choice=FOR)


def test_a_motion_after_the_records_vote_keeps_its_own_result_and_is_printed_in_the_minutes(world, meeting):
    from meetings.documents import minutes_frame

    first = services.open_ballot(actor=world.secretary, meeting=meeting, subject="Nghị quyết", secret=True)
    services.cast_vote(actor=world.member, ballot=first, choice=FOR)
    services.cast_vote(actor=world.deputy, ballot=first, choice=FOR)
    services.close_ballot(actor=world.secretary, ballot=first)
    recorded = reload(meeting)
    # The record holds its vote: another one is opened as a motion, not over it.
    with pytest.raises(InvalidTransition, match="already holds a vote"):
        services.open_ballot(actor=world.secretary, meeting=meeting, subject="Lại", secret=False)

    motion = services.open_ballot(
        actor=world.secretary, meeting=meeting, subject="Thông qua biên bản", secret=False, motion=True
    )
    services.cast_vote(actor=world.secretary, ballot=motion, choice=FOR)
    services.cast_vote(actor=world.deputy, ballot=motion, choice=AGAINST)
    services.cast_vote(actor=world.member, ballot=motion, choice=OTHER)
    result = services.close_ballot(actor=world.secretary, ballot=motion)

    assert (result.votes_for, result.basis.adjusted_total, result.basis.needed, result.passed) == (
        1,
        3,
        2,
        False,
    )
    stored = Ballot.objects.get(pk=motion.pk)
    assert stored.passed is False and stored.basis["adjusted_total"] == 3 and stored.basis["needed"] == 2
    after = reload(meeting)
    # The record's own vote is untouched; its revision counts the motion (the minutes changed).
    assert (after.votes_for, after.votes_against, after.vote_passed, after.vote_subject) == (
        recorded.votes_for,
        recorded.votes_against,
        recorded.vote_passed,
        "Nghị quyết",
    )
    assert after.revision > recorded.revision
    assert not after.attendances.exclude(vote="").exists()  # a named motion is not the record's vote

    text = str(minutes_frame(after).to_dict())
    assert "Nội dung biểu quyết: Nghị quyết." in text
    assert "Biểu quyết nội dung: Thông qua biên bản (biểu quyết điện tử, biểu quyết công khai)." in text
    assert "nội dung được thông qua khi có ít nhất 2 đồng chí tán thành" in text
    assert "Kết quả: tán thành 1/3 đồng chí (33,3%); không tán thành 1; ý kiến khác 1." in text
    names = [member_of(u).full_name for u in (world.secretary, world.deputy, world.member)]
    assert all(name in text for name in names)
    closed = AuditEntry.objects.filter(action="room.vote.closed").order_by("id").last()
    assert closed is not None and closed.data["motion"] is True


def test_a_secret_motion_without_a_records_vote_prints_counts_only(world, meeting):
    from meetings.documents import minutes_frame

    motion = services.open_ballot(
        actor=world.secretary, meeting=meeting, subject="Đề nghị khen thưởng", secret=True, motion=True
    )
    services.cast_vote(actor=world.member, ballot=motion, choice=FOR)
    services.cast_vote(actor=world.deputy, ballot=motion, choice=FOR)
    services.close_ballot(actor=world.secretary, ballot=motion)

    after = reload(meeting)
    assert after.votes_for is None  # the record's vote is still to take
    text = str(minutes_frame(after).to_dict())
    assert "V. BIỂU QUYẾT" in text and "Nội dung biểu quyết:" not in text
    assert "Biểu quyết nội dung: Đề nghị khen thưởng (biểu quyết điện tử, bỏ phiếu kín)." in text
    assert "tán thành 2/3 đồng chí (66,7%)" in text and "Chi bộ thông qua." in text
    assert member_of(world.member).full_name not in text.split("Đề nghị khen thưởng")[1]
    # And the record's vote may still be opened afterwards.
    assert services.open_ballot(actor=world.secretary, meeting=meeting, subject="Nghị quyết", secret=False)
