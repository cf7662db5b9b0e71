"""Factories for tests and benchmarks: realistic Vietnamese data from Faker's vi_VN locale."""

from datetime import date

import factory
from factory.django import DjangoModelFactory

from accounts.models import User
from organizations.models import Exemption, Member, Membership, Organization, Position, Term

factory.Faker._DEFAULT_LOCALE = "vi_VN"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    password = factory.django.Password("chuyende-test")


class OrganizationFactory(DjangoModelFactory):
    """Creates the organisation with its tree path set as the service would."""

    class Meta:
        model = Organization
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Đảng bộ {n}")
    kind = Organization.Kind.PARTY_COMMITTEE
    parent = None
    place = "Huế"
    path = ""

    @factory.post_generation
    def set_path(obj, create, extracted, **kwargs):
        obj.path = f"{obj.parent.path if obj.parent else ''}{obj.pk:06d}."
        obj.save(update_fields=["path"])


class CellFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"Chi bộ {n}")
    kind = Organization.Kind.CELL
    parent = factory.SubFactory(OrganizationFactory)


class TermFactory(DjangoModelFactory):
    class Meta:
        model = Term

    organization = factory.SubFactory(CellFactory)
    name = "2025–2030"
    start_date = date(2025, 6, 1)
    end_date = date(2030, 6, 1)


class MemberFactory(DjangoModelFactory):
    class Meta:
        model = Member

    full_name = factory.Faker("name")
    date_of_birth = factory.Faker("date_between", start_date=date(1960, 1, 1), end_date=date(1998, 12, 31))
    gender = factory.Iterator([Member.Gender.MALE, Member.Gender.FEMALE])
    party_card_number = factory.Sequence(lambda n: f"{79000000 + n}")
    admission_date = date(2015, 5, 19)
    official_date = date(2016, 5, 19)
    status = Member.Status.FULL
    job_title = "Giảng viên"


class ProbationaryMemberFactory(MemberFactory):
    status = Member.Status.PROBATIONARY
    party_card_number = ""
    admission_date = factory.LazyFunction(lambda: date.today().replace(day=1))
    official_date = None


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    member = factory.SubFactory(MemberFactory)
    organization = factory.SubFactory(CellFactory)
    kind = Membership.Kind.REGULAR
    start_date = date(2020, 1, 1)


class PositionFactory(DjangoModelFactory):
    class Meta:
        model = Position

    term = factory.SubFactory(TermFactory)
    member = factory.SubFactory(MemberFactory)
    role = Position.Role.SECRETARY
    start_date = factory.SelfAttribute("term.start_date")


class ExemptionFactory(DjangoModelFactory):
    class Meta:
        model = Exemption

    member = factory.SubFactory(MemberFactory)
    start_date = date(2024, 1, 1)
    reason = "Tuổi cao, sức khỏe yếu"


def member_in(cell: Organization, *, user: User | None = None, **kwargs) -> Member:
    """A member regularly belonging to ``cell`` (optionally linked to a login)."""
    factory_class = (
        ProbationaryMemberFactory if kwargs.get("status") == Member.Status.PROBATIONARY else MemberFactory
    )
    member = factory_class(user=user, **kwargs)
    MembershipFactory(member=member, organization=cell)
    return member
