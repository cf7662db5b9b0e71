"""The demo data: what a newcomer signing in with a demo login must find."""

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.models import AuditEntry
from organizations import demo
from organizations.models import Exemption, Member, Membership, OfficerAssignment, Organization, Position
from organizations.permissions import active_q, visible_members, visible_organizations
from organizations.selectors import current_term
from organizations.services import full_member_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def school() -> Organization:
    assert demo.load_demo() is True
    return Organization.objects.get(name=demo.SCHOOL, parent=None)


@pytest.fixture
def article_cell(school: Organization) -> Organization:
    return school.children.get(name=demo.ARTICLE_CELL)


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def _regular_members(cell: Organization) -> Any:
    return Member.objects.filter(
        active_q("memberships__"), memberships__organization=cell, memberships__kind=Membership.Kind.REGULAR
    )


def _current_role(cell: Organization, role: str) -> Any:
    term = current_term(cell)
    assert term is not None
    return Position.objects.get(active_q(), term=term, role=role).member


def test_loading_twice_changes_nothing(school):
    before = _row_counts()
    assert demo.load_demo() is False
    assert _row_counts() == before
    assert before[AuditEntry._meta.label] > 0


def test_the_demo_is_not_loaded_into_a_database_that_holds_data():
    User.objects.create_user(username="someone", password="x")
    assert demo.load_demo() is False
    assert not Organization.objects.exists()


def test_every_demo_login_signs_in_with_the_demo_password(school):
    for login in demo.LOGINS:
        request = RequestFactory().post("/tai-khoan/dang-nhap/")
        user = authenticate(request, username=login.username, password=demo.PASSWORD)
        assert user is not None, login.username
        assert user.get_username() == login.username
    assert User.objects.get(username="admin").is_superuser


def test_bithu_and_phobithu_lead_the_article_cell_in_the_current_term(article_cell):
    term = current_term(article_cell)
    assert term is not None and term.name == "2025–2030"
    assert _current_role(article_cell, Position.Role.SECRETARY).user.username == "bithu"
    assert _current_role(article_cell, Position.Role.DEPUTY_SECRETARY).user.username == "phobithu"
    assert article_cell.terms.filter(name="2020–2025", end_date__lt=term.start_date).exists()


def test_dangvien_is_a_full_member_and_duby_a_probationary_member_of_the_article_cell(article_cell):
    members = _regular_members(article_cell)
    assert members.get(user__username="dangvien").status == Member.Status.FULL
    assert members.get(user__username="duby").status == Member.Status.PROBATIONARY


def test_danguy_is_an_officer_of_the_party_organisation(school):
    assert OfficerAssignment.objects.filter(user__username="danguy", organization=school).exists()


def test_the_party_organisation_has_at_least_four_cells_of_ten_to_twenty_five_members(school):
    cells = school.children.filter(kind=Organization.Kind.CELL)
    assert cells.count() >= 4
    for cell in cells:
        assert 10 <= _regular_members(cell).count() <= 25, cell.name


def test_a_cell_with_nine_full_members_has_a_cell_committee(article_cell):
    assert full_member_count(article_cell) >= 9
    assert _current_role(article_cell, Position.Role.COMMITTEE_MEMBER)


def test_every_cell_has_probationary_and_exempted_members(school):
    today = timezone.localdate()
    for cell in school.children.all():
        members = _regular_members(cell)
        probationary = members.filter(status=Member.Status.PROBATIONARY)
        assert probationary.exists(), cell.name
        assert Exemption.objects.filter(active_q(), member__in=members).exists(), cell.name
        for member in probationary:
            assert today - timedelta(days=365) < member.admission_date <= today
            assert member.official_date is None and member.party_card_number == ""


def test_member_records_are_plausible(school):
    members = list(Member.objects.prefetch_related("memberships"))
    assert len({m.full_name for m in members}) == len(members)
    assert {m.gender for m in members} == {Member.Gender.MALE, Member.Gender.FEMALE}
    cards = [m.party_card_number for m in members if m.status == Member.Status.FULL]
    assert len(set(cards)) == len(cards) and all(len(c) == 8 and c.isdigit() for c in cards)
    for m in members:
        assert 1962 <= m.date_of_birth.year <= 1999
        assert m.job_title and m.strengths and m.email.endswith(".example.vn")
        assert all(ms.start_date >= m.admission_date for ms in m.memberships.all()), m.full_name
        if m.status == Member.Status.FULL:
            assert m.official_date == m.admission_date.replace(year=m.admission_date.year + 1)


def test_one_member_is_temporarily_attached_to_another_cell(article_cell):
    attachment = Membership.objects.get(active_q(), kind=Membership.Kind.TEMPORARY)
    home = attachment.member.memberships.get(active_q(), kind=Membership.Kind.REGULAR)
    assert home.organization == article_cell != attachment.organization


def test_the_other_party_organisation_stays_out_of_sight_of_the_school(school):
    other = Organization.objects.get(name=demo.OTHER_PARTY)
    outsiders = Member.objects.filter(memberships__organization__parent=other)
    assert outsiders.exists()
    for username in ("danguy", "bithu"):
        user = User.objects.get(username=username)
        assert not visible_organizations(user).filter(path__startswith=other.path).exists()
        assert not visible_members(user).filter(pk__in=outsiders).exists()


def test_every_change_went_through_the_services_and_is_in_the_audit_log(school):
    actions = Counter(AuditEntry.objects.values_list("action", flat=True))
    assert actions["organizations.member.added"] == Member.objects.count()
    assert actions["organizations.position.assigned"] == Position.objects.count()
    assert actions["organizations.exemption.granted"] == Exemption.objects.count()
    assert not AuditEntry.objects.filter(actor__isnull=False).exists()


def test_the_demo_secretary_sees_the_cell_page_with_its_members(client, article_cell):
    client.force_login(User.objects.get(username="bithu"))
    response = client.get(reverse("organizations:detail", args=[article_cell.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for name in _regular_members(article_cell).values_list("full_name", flat=True):
        assert name in page
