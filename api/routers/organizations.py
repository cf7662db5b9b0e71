"""Organisations, their members, terms and positions, and the member list import (issue 14, item 1).
The pages: /to-chuc/."""

from datetime import date

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from api.errors import ERRORS, ErrorOut
from api.forms import validated
from api.pagination import Pages
from api.types import ID_MAX
from core.permissions import can
from core.web import deny_unless, get_visible_or_404
from organizations import importing, selectors
from organizations.forms import ImportForm
from organizations.models import Member, Organization, Position, Term
from organizations.permissions import active_q, visible_members, visible_organizations

router = Router(tags=["organizations"])

# The largest id a database holds: a filter on a larger one is a field error (SQLite cannot even compare it).


class OrganizationOut(Schema):
    id: int
    name: str = Field(examples=["Chi bộ Khoa Ngữ văn"])
    kind: str = Field(description="`party_committee` (Đảng bộ) hoặc `cell` (Chi bộ).", examples=["cell"])
    parent_id: int | None = Field(examples=[1])
    place: str = Field(examples=["Tam Kỳ"])


class OrganizationFilter(Schema):
    parent: int | None = Field(None, ge=1, le=ID_MAX, description="Chỉ các tổ chức trực thuộc tổ chức này.")
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


# --- Terms and positions (the cell page names the term in force and each member's positions) --------


class PositionOut(Schema):
    id: int
    term_id: int
    member_id: int
    full_name: str = Field(examples=["Nguyễn Văn Bình"])
    role: str = Field(
        description="`secretary` (Bí thư), `deputy_secretary` (Phó bí thư) hoặc `committee_member` "
        "(Chi ủy viên).",
        examples=["secretary"],
    )
    role_label: str = Field(examples=["Bí thư"])
    start_date: date = Field(examples=["2025-06-01"])
    end_date: date | None = Field(None, examples=[None])

    # Read from a Position (with its member).
    @staticmethod
    def resolve_full_name(position: Position) -> str:
        return position.member.full_name

    @staticmethod
    def resolve_role_label(position: Position) -> str:
        return str(position.get_role_display())


class TermOut(Schema):
    id: int
    name: str = Field(examples=["2025–2030"])
    start_date: date = Field(examples=["2025-06-01"])
    end_date: date | None = Field(None, examples=[None])
    current: bool = Field(description="Nhiệm kỳ đang có hiệu lực hôm nay.", examples=[True])
    positions: list[PositionOut]

    # Read from a Term with its positions prefetched and ``current`` set.
    @staticmethod
    def resolve_positions(term: Term) -> list[Position]:
        return list(term.positions.all())


@router.get(
    "/organizations/{int:organization_id}/terms",
    response={200: list[TermOut], **ERRORS},
    summary="Các nhiệm kỳ của tổ chức và chức vụ trong từng nhiệm kỳ",
    description="Mới nhất trước; mỗi nhiệm kỳ kèm các chức vụ (bí thư, phó bí thư, chi ủy viên), cả chức vụ "
    "đã kết thúc. Ai xem được tổ chức thì xem được.",
)
@paginate(Pages)
def list_terms(request: HttpRequest, organization_id: int) -> list[Term]:
    org = get_visible_or_404(visible_organizations(request.user), pk=organization_id)
    deny_unless(request.user, "organization.view", org)
    current = selectors.current_term(org)
    terms = list(
        org.terms.order_by("-start_date", "pk").prefetch_related(
            Prefetch(
                "positions",
                queryset=Position.objects.select_related("member").order_by("role", "start_date", "pk"),
            )
        )
    )
    for term in terms:
        term.current = current is not None and term.pk == current.pk  # type: ignore[attr-defined]
    return terms


class PositionFilter(Schema):
    current: bool | None = Field(
        None, description="`true`: chỉ chức vụ đang giữ hôm nay; `false`: chỉ chức vụ đã kết thúc."
    )


@router.get(
    "/organizations/{int:organization_id}/positions",
    response={200: list[PositionOut], **ERRORS},
    summary="Chức vụ trong tổ chức",
    description="Mọi chức vụ của mọi nhiệm kỳ, nhiệm kỳ mới nhất trước; `current=true` cho ban chi ủy "
    "hôm nay.",
)
@paginate(Pages)
def list_positions(
    request: HttpRequest, organization_id: int, filters: Query[PositionFilter]
) -> QuerySet[Position]:
    org = get_visible_or_404(visible_organizations(request.user), pk=organization_id)
    deny_unless(request.user, "organization.view", org)
    positions = Position.objects.filter(term__organization=org).select_related("member")
    if filters.current is True:
        positions = positions.filter(active_q(), term__in=Term.objects.filter(active_q(), organization=org))
    elif filters.current is False:
        positions = positions.exclude(active_q(), term__in=Term.objects.filter(active_q(), organization=org))
    return positions.order_by("-term__start_date", "role", "start_date")


# --- Importing the member list (one step, as the page: every row checked, then all written) ---------


class ImportResultOut(Schema):
    file_name: str = Field(examples=["danh-sach-chi-bo.xlsx"])
    created: int = Field(description="Đảng viên mới thêm vào chi bộ.", examples=[3])
    updated: int = Field(description="Đảng viên đã có, được cập nhật.", examples=[1])
    unchanged: int = Field(description="Dòng không thay đổi gì.", examples=[20])


class RowErrorOut(Schema):
    row: int = Field(description="Số dòng như bảng tính hiển thị.", examples=[5])
    full_name: str = Field(examples=["Đặng Thị Thu"])
    reasons: list[str] = Field(examples=[["Ngày sinh không hợp lệ."]])


class ImportRejectedOut(ErrorOut):
    """The error shape, with every wrong row of the file (nothing was imported)."""

    rows: list[RowErrorOut] = []


@router.post(
    "/organizations/{int:organization_id}/members/import",
    response={200: ImportResultOut, 400: ImportRejectedOut, **{k: v for k, v in ERRORS.items() if k != 400}},
    summary="Nhập danh sách đảng viên của chi bộ từ tệp XLSX hoặc CSV",
    description="Một bước, như trang nhập danh sách: mọi dòng được kiểm tra trước; nếu có dòng sai thì không "
    "nhập gì và trả về 400 `import_rejected` với từng dòng sai và lý do (`rows`); nếu không, mọi dòng được "
    "ghi trong một giao dịch. Nhập lại cùng một tệp không thay đổi gì. Mẫu tệp: "
    "/to-chuc/nhap-danh-sach/mau.xlsx.",
)
def import_members(
    request: HttpRequest, organization_id: int, file: File[UploadedFile]
) -> Status[ImportResultOut | ImportRejectedOut]:
    cell = get_visible_or_404(
        visible_organizations(request.user).select_related("parent"), pk=organization_id
    )
    deny_unless(request.user, "organization.import_members", cell)
    if not cell.is_cell:
        raise Http404
    form = validated(ImportForm, {}, files={"file": file})
    try:
        result = importing.import_members(
            actor=request.user, cell=cell, uploaded_file=form.cleaned_data["file"]
        )
    except importing.ImportRejected as rejected:
        return Status(
            400,
            ImportRejectedOut(
                code="import_rejected",
                message=str(rejected.message),
                rows=[
                    RowErrorOut(row=r.row, full_name=r.full_name, reasons=r.reasons) for r in rejected.rows
                ],
            ),
        )
    return Status(
        200,
        ImportResultOut(
            file_name=result.file_name,
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
        ),
    )
