"""Organisations and their members, read-only (issue 14, item 1). The pages: /to-chuc/."""

from datetime import date

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from api.errors import ERRORS
from api.pagination import Pages
from core.permissions import can
from core.web import get_visible_or_404
from organizations import selectors
from organizations.models import Member, Organization
from organizations.permissions import visible_members, visible_organizations

router = Router(tags=["organizations"])


class OrganizationOut(Schema):
    id: int
    name: str = Field(examples=["Chi bộ Khoa Ngữ văn"])
    kind: str = Field(description="`party_committee` (Đảng bộ) hoặc `cell` (Chi bộ).", examples=["cell"])
    parent_id: int | None = Field(examples=[1])
    place: str = Field(examples=["Tam Kỳ"])


class OrganizationFilter(Schema):
    parent: int | None = Field(None, description="Chỉ các tổ chức trực thuộc tổ chức này.")
    kind: Organization.Kind | None = Field(None, description="`party_committee` hoặc `cell`.")


class MemberOut(Schema):
    id: int
    full_name: str = Field(examples=["Nguyễn Văn An"])
    status: str = Field(description="Chính thức (`official`) hay dự bị (`probationary`).")
    job_title: str
    # Personal details only for whom the member page shows them to (member.view_private).
    date_of_birth: date | None = None
    email: str | None = None
    phone: str | None = None


class RosterEntryOut(Schema):
    member: MemberOut
    kind: str = Field(description="Sinh hoạt chính thức (`regular`) hay tạm thời (`temporary`).")
    start_date: date


def _member_out(member: Member, private: bool) -> MemberOut:
    out = MemberOut(
        id=member.pk, full_name=member.full_name, status=member.status, job_title=member.job_title
    )
    if private:
        out.date_of_birth, out.email, out.phone = member.date_of_birth, member.email, member.phone
    return out


@router.get(
    "/organizations",
    response={200: list[OrganizationOut], **ERRORS},
    summary="Các tổ chức đồng chí xem được",
    description="Đảng bộ và chi bộ trong phạm vi của người gọi, theo thứ tự cây tổ chức.",
)
@paginate(Pages)
def list_organizations(request: HttpRequest, filters: Query[OrganizationFilter]) -> QuerySet[Organization]:
    orgs = visible_organizations(request.user).order_by("path")
    if filters.parent is not None:
        orgs = orgs.filter(parent_id=filters.parent)
    if filters.kind is not None:
        orgs = orgs.filter(kind=filters.kind)
    return orgs


@router.get(
    "/organizations/{int:organization_id}",
    response={200: OrganizationOut, **ERRORS},
    summary="Một tổ chức",
)
def get_organization(request: HttpRequest, organization_id: int) -> Organization:
    return get_visible_or_404(visible_organizations(request.user), pk=organization_id)


@router.get(
    "/organizations/{int:organization_id}/members",
    response={200: list[RosterEntryOut], **ERRORS},
    summary="Danh sách đảng viên của chi bộ hôm nay",
    description="Như trang chi bộ: đảng viên sinh hoạt chính thức và tạm thời; thông tin cá nhân chỉ "
    "hiện với người quản lý chi bộ.",
)
@paginate(Pages)
def list_members(request: HttpRequest, organization_id: int) -> list[RosterEntryOut]:
    cell = get_visible_or_404(visible_organizations(request.user), pk=organization_id)
    private = can(request.user, "organization.manage", cell)
    return [
        RosterEntryOut(member=_member_out(m.member, private), kind=m.kind, start_date=m.start_date)
        for m in selectors.cell_roster(cell)
    ]


@router.get("/members/{int:member_id}", response={200: MemberOut, **ERRORS}, summary="Một đảng viên")
def get_member(request: HttpRequest, member_id: int) -> MemberOut:
    member = get_visible_or_404(visible_members(request.user), pk=member_id)
    return _member_out(member, can(request.user, "member.view_private", member))
