"""The organisation services: every change validated, refused with a clear reason, and logged."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from core.errors import DomainError, PermissionDenied
from core.models import AuditEntry
from organizations import selectors, services
from organizations.models import Member, Membership, Organization, Position
from tests.factories import CellFactory, ExemptionFactory, OrganizationFactory, TermFactory, member_in

FULL = {
    "full_name": "Hoàng Văn Nam",
    "date_of_birth": date(1985, 3, 2),
    "gender": Member.Gender.MALE,
    "party_card_number": "79123456",
    "admission_date": date(2010, 5, 19),
    "official_date": date(2011, 5, 19),
    "status": Member.Status.FULL,
}


def actions_for(obj):
    return list(AuditEntry.objects.filter(object_id=obj.pk).values_list("action", flat=True))


def test_organisations_nest_at_any_depth_with_a_path(db, world):
    org = services.create_organization(
        actor=world.admin, name="Đảng bộ bộ phận Khối giảng dạy", kind="party_committee", parent=world.party
    )
    cell = services.create_organization(
        actor=world.officer, name="Chi bộ Khoa Dân vận", kind="cell", parent=org
    )
    assert cell.path.startswith(org.path) and org.path.startswith(world.party.path)
    assert cell.depth == 2
    assert "organizations.organization.created" in actions_for(cell)


def test_nothing_can_be_created_under_a_cell(world):
    with pytest.raises(DomainError):
        services.create_organization(actor=world.admin, name="X", kind="cell", parent=world.cell)


def test_a_member_cannot_create_organisations(world):
    with pytest.raises(PermissionDenied):
        services.create_organization(actor=world.member, name="X", kind="cell", parent=world.party)


def test_the_secretary_adds_a_member_with_membership_and_audit_entry(world):
    member = services.add_member(
        actor=world.secretary, cell=world.cell, data=FULL, joined_on=date(2024, 9, 1)
    )
    membership = member.memberships.get()
    assert membership.organization == world.cell and membership.kind == Membership.Kind.REGULAR
    entry = AuditEntry.objects.get(object_id=member.pk, action="organizations.member.added")
    assert entry.actor == world.secretary
    assert world.cell.name in entry.sentence


def test_a_plain_member_cannot_add_members(world):
    with pytest.raises(PermissionDenied):
        services.add_member(actor=world.member, cell=world.cell, data=FULL)
    assert not Member.objects.filter(full_name=FULL["full_name"]).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"official_date": None}, "__all__"),
        ({"official_date": date(2009, 1, 1)}, "__all__"),
        ({"admission_date": date(1980, 1, 1)}, "__all__"),
        ({"full_name": ""}, "full_name"),
        ({"gender": "other"}, "gender"),
    ],
    ids=[
        "full-without-official-date",
        "official-before-admission",
        "admitted-before-birth",
        "no-name",
        "gender",
    ],
)
def test_member_dates_and_fields_are_validated(world, change, field):
    with pytest.raises(ValidationError) as error:
        services.add_member(actor=world.secretary, cell=world.cell, data={**FULL, **change})
    assert field in error.value.message_dict
    assert not Member.objects.filter(full_name=FULL["full_name"]).exists()


def test_party_card_numbers_are_unique(world):
    services.add_member(actor=world.secretary, cell=world.cell, data=FULL)
    with pytest.raises(ValidationError) as error:
        services.add_member(actor=world.secretary, cell=world.cell, data={**FULL, "full_name": "Người khác"})
    assert "party card" in str(error.value).lower() or "thẻ" in str(error.value).lower()


def test_update_writes_only_changed_fields_and_says_which(world):
    member = services.add_member(actor=world.secretary, cell=world.cell, data=FULL)
    assert services.update_member(
        actor=world.secretary, member=member, data={**FULL, "job_title": "Giảng viên"}
    ) == ["job_title"]
    assert services.update_member(actor=world.secretary, member=member, data=FULL) == []
    assert actions_for(member).count("organizations.member.updated") == 1


def test_a_member_belongs_regularly_to_one_cell_at_a_time(world):
    member = Member.objects.get(user=world.member)
    with pytest.raises(ValidationError):
        Membership(member=member, organization=world.other_cell, start_date=date(2025, 1, 1)).full_clean()


def test_temporary_attachment_to_another_cell(world):
    member = Member.objects.get(user=world.member)
    services.attach_temporarily(
        actor=world.officer, member=member, cell=world.other_cell, start_date=date(2025, 1, 1)
    )
    roster = selectors.cell_roster(world.cell)
    counts = selectors.roster_counts(roster)
    assert counts["attached_elsewhere"] == 1
    other_counts = selectors.roster_counts(selectors.cell_roster(world.other_cell))
    assert other_counts["attached_here"] == 1


def test_who_is_a_member_of_the_cell_is_said_by_every_caller(world):
    """cell_members: the members of a cell on a day, each standing included or left out on request."""
    exempted = member_in(world.cell, full_name="Đặng Văn An")
    ExemptionFactory(member=exempted, start_date=date(2025, 1, 1))
    away = Member.objects.get(user=world.member)
    guest = Member.objects.get(user=world.other_member)
    for member, cell in ((away, world.other_cell), (guest, world.cell)):
        services.attach_temporarily(
            actor=world.officer, member=member, cell=cell, start_date=date(2025, 1, 1)
        )

    def names(**standing):
        return [m.full_name for m in selectors.cell_members(world.cell, date(2026, 6, 1), **standing)]

    everyone = names(exempted=True, attached_here=True, attached_elsewhere=True)
    # Vietnamese order: by the given name (An, Bình, Đức, Hoa, Khánh, Mai).
    assert everyone == [
        "Đặng Văn An",
        "Nguyễn Văn Bình",
        "Lê Văn Đức",
        "Trần Thị Hoa",
        "Võ Văn Khánh",
        "Phạm Thị Mai",
    ]
    assert "Đặng Văn An" not in names(exempted=False, attached_here=True, attached_elsewhere=True)
    assert "Võ Văn Khánh" not in names(exempted=True, attached_here=False, attached_elsewhere=True)
    assert "Lê Văn Đức" not in names(exempted=True, attached_here=True, attached_elsewhere=False)
    assert names(exempted=True, attached_here=True, attached_elsewhere=True) == everyone
    assert (
        selectors.cell_members(
            world.cell, date(2019, 6, 1), exempted=True, attached_here=True, attached_elsewhere=True
        )
        == []
    )


def test_leaders_and_officers_are_read_from_the_tree(world):
    leaders = {m.user for m in selectors.cell_leader_members(world.cell)}
    assert leaders == {world.secretary, world.deputy}
    assert {m.user for m in selectors.leader_members_under(world.party)} == leaders
    assert not selectors.leader_members_under(world.other_party).exists()
    assert selectors.officers_above(world.cell) == [world.officer]
    assert selectors.officers_above(world.party) == []
    assert selectors.officers_above(world.party, include_self=True) == [world.officer]
    assert world.cell.ancestor_ids() == [world.party.pk]
    assert world.cell.ancestor_ids(include_self=True) == [world.party.pk, world.cell.pk]
    assert world.cell.ancestor_paths(include_self=True) == [world.party.path, world.cell.path]


def test_terms_must_not_overlap_and_must_end_after_they_start(world):
    with pytest.raises(DomainError):
        services.create_term(
            actor=world.secretary, organization=world.cell, name="2027", start_date=date(2027, 1, 1)
        )
    with pytest.raises(ValidationError):
        services.create_term(
            actor=world.officer,
            organization=world.other_cell,
            name="x",
            start_date=date(2025, 1, 1),
            end_date=date(2024, 1, 1),
        )


def test_one_secretary_per_cell_per_term(world):
    term = selectors.current_term(world.cell)
    deputy = Member.objects.get(user=world.deputy)
    with pytest.raises(DomainError) as error:
        services.assign_position(actor=world.admin, term=term, member=deputy, role=Position.Role.SECRETARY)
    assert error.value.field == "role"


def test_a_cell_below_nine_full_members_gets_no_committee_member(world):
    term = selectors.current_term(world.cell)
    member = Member.objects.get(user=world.member)
    with pytest.raises(DomainError) as error:
        services.assign_position(
            actor=world.secretary, term=term, member=member, role=Position.Role.COMMITTEE_MEMBER
        )
    assert "9" in str(error.value.message)


def test_a_cell_with_nine_full_members_is_told_to_elect_a_committee_and_can(world):
    for _ in range(6):  # the world cell has three full members
        member_in(world.cell)
    roster = selectors.cell_roster(world.cell)
    assert any("chi ủy" in w for w in selectors.cell_warnings(world.cell, roster))
    term = selectors.current_term(world.cell)
    member = Member.objects.get(user=world.member)
    services.assign_position(
        actor=world.secretary, term=term, member=member, role=Position.Role.COMMITTEE_MEMBER
    )
    roster = selectors.cell_roster(world.cell)
    assert not any("chi ủy" in w for w in selectors.cell_warnings(world.cell, roster))


def test_probationary_members_and_outsiders_hold_no_position(world):
    term = selectors.current_term(world.cell)
    with pytest.raises(DomainError):
        services.assign_position(
            actor=world.secretary,
            term=term,
            member=Member.objects.get(user=world.probationary),
            role=Position.Role.DEPUTY_SECRETARY,
        )
    with pytest.raises(DomainError):
        services.assign_position(
            actor=world.admin,
            term=term,
            member=Member.objects.get(user=world.other_member),
            role=Position.Role.DEPUTY_SECRETARY,
        )


def test_ending_a_membership_ends_the_positions_in_that_cell(world):
    deputy = Member.objects.get(user=world.deputy)
    membership = deputy.memberships.get()
    services.end_membership(actor=world.secretary, membership=membership, end_date=date(2026, 1, 31))
    assert not deputy.positions.filter(end_date__isnull=True).exists()
    with pytest.raises(DomainError):
        services.end_membership(actor=world.secretary, membership=membership, end_date=date(2026, 2, 1))


def test_exemptions_may_not_overlap_and_end_in_order(world):
    member = Member.objects.get(user=world.member)
    exemption = services.grant_exemption(
        actor=world.secretary, member=member, start_date=date(2026, 1, 1), reason="Điều trị bệnh dài ngày"
    )
    with pytest.raises(DomainError):
        services.grant_exemption(
            actor=world.secretary, member=member, start_date=date(2026, 6, 1), reason="Khác"
        )
    with pytest.raises(DomainError):
        services.end_exemption(actor=world.secretary, exemption=exemption, end_date=date(2025, 12, 1))
    services.end_exemption(actor=world.secretary, exemption=exemption, end_date=date(2026, 3, 1))
    assert actions_for(member)[:2] == ["organizations.exemption.ended", "organizations.exemption.granted"]
    with pytest.raises(ValidationError):
        services.grant_exemption(
            actor=world.secretary,
            member=member,
            start_date=date(2026, 5, 1),
            end_date=date(2026, 4, 1),
            reason="Sai ngày",
        )


def test_exempted_members_are_counted_apart(world):
    ExemptionFactory(member=Member.objects.get(user=world.member), start_date=date(2020, 1, 1))
    counts = selectors.roster_counts(selectors.cell_roster(world.cell))
    assert counts == {
        "total": 4,
        "full": 3,
        "probationary": 1,
        "exempted": 1,
        "attached_here": 0,
        "attached_elsewhere": 0,
    }


def test_rule_set_is_inherited_from_the_parent(world):
    from core.models import RuleSet

    stricter = RuleSet.objects.create(
        code="test", name="Test", legal_basis="-", effective_date=date(2020, 1, 1), params={"x": 1}
    )
    Organization.objects.filter(pk=world.party.pk).update(rule_set=stricter)
    cell = Organization.objects.get(pk=world.cell.pk)
    assert cell.effective_rule_set() == stricter
    assert CellFactory().effective_rule_set().code == "hd12-hd42"


def test_positions_must_start_within_the_term(world):
    term = TermFactory(organization=world.other_cell, start_date=date(2025, 6, 1))
    member = Member.objects.get(user=world.other_member)
    with pytest.raises(DomainError):
        services.assign_position(
            actor=world.admin,
            term=term,
            member=member,
            role=Position.Role.SECRETARY,
            start_date=date(2025, 1, 1),
        )


def test_rule_set_is_the_nearest_ancestors_in_one_query_at_any_depth(db, django_assert_num_queries):
    """A province tree is four levels deep: the rule set is read from the path, not parent by parent."""
    from core.models import RuleSet

    province = OrganizationFactory(name="Đảng bộ Tỉnh")
    district = OrganizationFactory(name="Đảng bộ Huyện", parent=province)
    grassroots = OrganizationFactory(name="Đảng bộ Xã", parent=district)
    deep = Organization.objects.get(pk=CellFactory(parent=grassroots).pk)
    shallow = Organization.objects.get(pk=CellFactory(parent=province).pk)
    outer, inner = (
        RuleSet.objects.create(
            code=code, name=code, legal_basis="-", effective_date=date(2020, 1, 1), params={"x": 1}
        )
        for code in ("outer", "inner")
    )
    Organization.objects.filter(pk=province.pk).update(rule_set=outer)
    Organization.objects.filter(pk=district.pk).update(rule_set=inner)
    with django_assert_num_queries(1):
        assert deep.effective_rule_set() == inner  # the district's, nearer than the province's
    with django_assert_num_queries(1):
        assert shallow.effective_rule_set() == outer
