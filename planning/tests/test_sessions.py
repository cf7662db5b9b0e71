"""Presenters, registrations, postponing and cancelling a session."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.errors import DomainError, InvalidTransition, PermissionDenied
from core.models import AuditEntry
from organizations.models import Member
from planning import selectors, services
from planning.models import Registration, Session
from tests.factories import ExemptionFactory, member_in


@pytest.fixture
def session(world, plan):
    return services.add_session(
        actor=world.secretary, plan=plan, quarter=2, title="Chuyên đề quý 2", planned_date=date(2026, 5, 20)
    )


def test_assigning_presenters_moves_the_session_to_assigned_and_back(world, session, members):
    services.assign_presenters(
        actor=world.secretary, session=session, members=[members["member"], members["probationary"]]
    )
    session.refresh_from_db()
    assert session.status == Session.Status.ASSIGNED
    assert set(session.presenters.all()) == {members["member"], members["probationary"]}
    services.assign_presenters(actor=world.secretary, session=session, members=[])
    session.refresh_from_db()
    assert session.status == Session.Status.PLANNED


def test_a_presenter_must_belong_to_the_cell(world, session):
    outsider = Member.objects.get(user=world.other_member)
    with pytest.raises(DomainError):
        services.assign_presenters(actor=world.secretary, session=session, members=[outsider])


def test_a_member_registers_and_the_secretary_accepts_which_makes_the_assignment(world, session, members):
    registration = services.register(
        actor=world.member,
        member=members["member"],
        cell=world.cell,
        session=session,
        note="Tôi có tư liệu về chủ đề này",
    )
    assert registration.status == Registration.Status.PENDING
    assert selectors.pending_registrations(world.secretary) == [registration]
    services.accept_registration(actor=world.secretary, registration=registration)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.ACCEPTED
    assert list(session.presenters.all()) == [members["member"]]
    with pytest.raises(InvalidTransition):
        services.decline_registration(actor=world.secretary, registration=registration, reason="x")


@pytest.mark.new_year
def test_accepting_a_topic_registration_creates_a_session_in_the_chosen_quarter(world, members, hcm_topic):
    from planning.models import AnnualPlan

    plan = services.create_plan(actor=world.secretary, cell=world.cell, year=timezone.localdate().year)
    registration = services.register(
        actor=world.member, member=members["member"], cell=world.cell, topic=hcm_topic
    )
    with pytest.raises(DomainError):
        services.accept_registration(actor=world.secretary, registration=registration)
    services.accept_registration(actor=world.secretary, registration=registration, quarter=3)
    session = AnnualPlan.objects.get(pk=plan.pk).sessions.get()
    assert session.topic == hcm_topic and session.quarter == 3
    assert list(session.presenters.all()) == [members["member"]]


def test_declining_needs_a_reason_the_member_sees(world, session, members):
    registration = services.register(
        actor=world.member, member=members["member"], cell=world.cell, session=session
    )
    with pytest.raises(DomainError):
        services.decline_registration(actor=world.secretary, registration=registration, reason="")
    services.decline_registration(
        actor=world.secretary, registration=registration, reason="Đã phân công đồng chí khác"
    )
    registration.refresh_from_db()
    assert registration.status == Registration.Status.DECLINED
    assert registration.decision_reason == "Đã phân công đồng chí khác"


def test_members_of_other_cells_cannot_register_and_members_cannot_decide(world, session, members):
    with pytest.raises(PermissionDenied):
        services.register(
            actor=world.other_member,
            member=Member.objects.get(user=world.other_member),
            cell=world.cell,
            session=session,
        )
    registration = services.register(
        actor=world.probationary, member=members["probationary"], cell=world.cell, session=session
    )
    with pytest.raises(PermissionDenied):
        services.accept_registration(actor=world.member, registration=registration)


def test_the_secretary_sees_ranked_suggestions_with_reasons(world, session, members):
    expert = member_in(world.cell, full_name="Ngô Thị Hạnh", strengths="Tư tưởng Hồ Chí Minh; giảng dạy")
    exempted = member_in(world.cell, full_name="Đặng Văn Lâm", strengths="Tư tưởng Hồ Chí Minh")
    ExemptionFactory(member=exempted, start_date=date(2020, 1, 1))
    session.title = "Học tập tư tưởng Hồ Chí Minh"
    session.save()
    ranked = selectors.suggestions_for(session)
    assert ranked[0].member_id == expert.pk
    assert exempted.pk not in [s.member_id for s in ranked]
    assert members["probationary"].pk in [s.member_id for s in ranked]
    assert all(s.reasons for s in ranked)


def test_postponing_keeps_the_first_date_and_is_logged(world, session):
    later = timezone.localdate() + timedelta(days=400)
    with pytest.raises(DomainError):
        services.postpone_session(actor=world.secretary, session=session, new_date=later, reason="")
    new_date = max(date(2026, 6, 3), timezone.localdate() + timedelta(days=1))
    session = services.postpone_session(
        actor=world.secretary, session=session, new_date=new_date, reason="Trùng lịch kiểm tra của Đảng ủy"
    )
    assert session.postponed_from == date(2026, 5, 20) and session.planned_date == new_date
    entry = AuditEntry.objects.get(action="planning.session.postponed")
    assert "Trùng lịch" in entry.sentence


def test_cancelling_needs_a_reason_and_is_final(world, session):
    with pytest.raises(DomainError):
        services.cancel_session(actor=world.secretary, session=session, reason=" ")
    services.cancel_session(actor=world.secretary, session=session, reason="Chi bộ sáp nhập")
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED
    with pytest.raises(InvalidTransition):
        services.cancel_session(actor=world.secretary, session=session, reason="again")
    with pytest.raises(InvalidTransition):
        services.postpone_session(
            actor=world.secretary, session=session, new_date=date(2026, 12, 1), reason="x"
        )


def test_members_cannot_postpone_or_cancel(world, session):
    with pytest.raises(PermissionDenied):
        services.cancel_session(actor=world.member, session=session, reason="x")
    with pytest.raises(PermissionDenied):
        services.postpone_session(actor=world.officer, session=session, new_date=date(2026, 6, 1), reason="x")


@pytest.mark.new_year
def test_the_presenter_sees_the_session_and_its_deadlines_on_the_home_page(client, world, members):
    plan = services.create_plan(actor=world.secretary, cell=world.cell, year=timezone.localdate().year + 1)
    session = services.add_session(
        actor=world.secretary,
        plan=plan,
        quarter=1,
        title="Văn hóa công sở",
        planned_date=date(plan.year, 3, 4),
    )
    services.assign_presenters(actor=world.secretary, session=session, members=[members["member"]])
    client.force_login(world.member)
    page = client.get("/").content.decode()
    assert "Văn hóa công sở" in page
    # The draft is due 10 days before (23 February in a leap year such as 2028).
    assert (date(plan.year, 3, 4) - timedelta(days=10)).strftime("%d/%m") in page


@pytest.mark.new_year
def test_postponing_stays_within_the_plans_year_and_moves_the_quarter(world):
    year = timezone.localdate().year + 1
    plan = services.create_plan(actor=world.secretary, cell=world.cell, year=year)
    session = services.add_session(
        actor=world.secretary, plan=plan, quarter=1, title="Chuyên đề", planned_date=date(year, 2, 10)
    )
    with pytest.raises(DomainError) as refused:
        services.postpone_session(
            actor=world.secretary, session=session, new_date=date(year + 1, 1, 5), reason="x"
        )
    assert refused.value.field == "new_date"
    session = services.postpone_session(
        actor=world.secretary, session=session, new_date=date(year, 4, 7), reason="Trùng lịch"
    )
    assert (session.quarter, session.month, session.postponed_from) == (2, 4, date(year, 2, 10))


def test_a_removed_session_can_be_put_back_for_a_day_with_its_schedule_and_presenters(
    world, session, members
):
    services.assign_presenters(actor=world.secretary, session=session, members=[members["member"]])
    plan = session.plan
    entry = services.remove_session(actor=world.secretary, session=session)
    assert not plan.sessions.exists()
    assert [e.pk for e in services.removed_sessions(plan)] == [entry.pk]
    with pytest.raises(PermissionDenied):
        services.restore_session(actor=world.member, plan=plan, entry_id=entry.pk)
    back = services.restore_session(actor=world.secretary, plan=plan, entry_id=entry.pk)
    assert (back.title, back.quarter, back.planned_date) == ("Chuyên đề quý 2", 2, date(2026, 5, 20))
    assert list(back.presenters.all()) == [members["member"]] and back.status == Session.Status.ASSIGNED
    assert AuditEntry.objects.filter(action="planning.session.restored", object_id=plan.pk).exists()
    # Once put back, the removal can no longer be undone a second time.
    assert services.removed_sessions(plan) == []
    with pytest.raises(InvalidTransition):
        services.restore_session(actor=world.secretary, plan=plan, entry_id=entry.pk)


def test_a_removal_older_than_the_undo_window_stays_removed(world, session):
    import time_machine

    plan = session.plan
    entry = services.remove_session(actor=world.secretary, session=session)
    with time_machine.travel(timezone.now() + timedelta(hours=services.UNDO_REMOVAL_HOURS, minutes=1)):
        assert services.removed_sessions(plan) == []
        with pytest.raises(InvalidTransition):
            services.restore_session(actor=world.secretary, plan=plan, entry_id=entry.pk)
