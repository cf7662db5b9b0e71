"""API operations: the caller's own account (issue 14, item 2). The pages: /tai-khoan/ma-truy-cap/.

Who am I, and my personal access tokens: listed and revoked with either kind of sign-in, made only
from a signed-in browser (a token cannot make another token, so a leaked token cannot outlive its
revocation through a child of its own).
"""

from datetime import datetime
from typing import cast

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from accounts import services
from accounts.models import AccessToken, User
from api.errors import ERRORS, Refusal
from api.pagination import Pages
from organizations.models import Organization
from organizations.permissions import scope_for

router = Router(tags=["account"])


class CellOut(Schema):
    id: int
    name: str = Field(examples=["Chi bộ Khoa Ngữ văn"])
    kind: str = Field(examples=["cell"])
    member: bool = Field(description="Đảng viên sinh hoạt ở đây.", examples=[True])
    manages: bool = Field(description="Bí thư hoặc phó bí thư đương nhiệm.", examples=[False])
    approves: bool = Field(description="Duyệt dự thảo của chi bộ (bí thư, phó bí thư, chi ủy viên).")


class TokenUsedOut(Schema):
    id: int
    name: str
    scope: str = Field(examples=["read"])


class MeOut(Schema):
    id: int
    username: str = Field(examples=["nvan"])
    full_name: str = Field(examples=["Nguyễn Văn An"])
    email: str = Field(examples=["nvan@example.vn"])
    is_admin: bool = Field(description="Quản trị toàn hệ thống.", examples=[False])
    member_id: int | None = Field(description="Hồ sơ đảng viên của người gọi, nếu có.", examples=[12])
    cells: list[CellOut] = Field(description="Các chi bộ người gọi sinh hoạt hoặc phụ trách.")
    officer_of: list[CellOut] = Field(
        description="Các đảng bộ người gọi là cán bộ đảng ủy (thấy mọi tổ chức trực thuộc)."
    )
    token: TokenUsedOut | None = Field(description="Mã truy cập của lời gọi này (trống với phiên đăng nhập).")


class TokenOut(Schema):
    id: int
    name: str = Field(examples=["Bảng tính của chi bộ"])
    scope: AccessToken.Scope = Field(description="`read` (chỉ đọc) hoặc `write` (đọc và ghi).")
    prefix: str = Field(description="Vài ký tự đầu của mã, để nhận ra nó.", examples=["cd_Xy3kP"])
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None
    last_used_ip: str | None = Field(examples=["203.0.113.7"])


class TokenIn(Schema):
    name: str = Field(max_length=100, examples=["Bảng tính của chi bộ"])
    days: int = Field(description="Thời hạn: 30, 90 hoặc 365 ngày.", examples=[90])
    scope: AccessToken.Scope = Field(examples=["read"])


class NewTokenOut(TokenOut):
    secret: str = Field(
        description="Mã bí mật, chỉ hiện một lần này: gửi nó trong `Authorization: Bearer …`.",
        examples=["cd_3q2-7Vh0cJw9yXyZk1mQm4Wq0lS2uKx8d1BfEo5TtGk"],
    )


def _cell_out(org: Organization, member: bool, manages: bool, approves: bool) -> CellOut:
    return CellOut(id=org.pk, name=org.name, kind=org.kind, member=member, manages=manages, approves=approves)


@router.get(
    "/me",
    response={200: MeOut, **ERRORS},
    summary="Tôi là ai",
    description="Người gọi, các chi bộ của họ và vai trò ở đó, các đảng bộ họ là cán bộ đảng ủy.",
)
def get_me(request: HttpRequest) -> MeOut:
    user = cast(User, request.user)  # authenticated: the operation requires it
    scope = scope_for(user)
    ids = scope.cell_ids | scope.managed_cell_ids | scope.approving_cell_ids
    cells = [
        _cell_out(
            org,
            org.pk in scope.cell_ids,
            org.pk in scope.managed_cell_ids,
            org.pk in scope.approving_cell_ids,
        )
        for org in Organization.objects.filter(pk__in=ids).order_by("path")
    ]
    officer_of = [
        _cell_out(org, False, False, False)
        for org in Organization.objects.filter(path__in=scope.officer_paths).order_by("path")
    ]
    token = getattr(request, "access_token", None)
    return MeOut(
        id=user.pk,
        username=user.get_username(),
        full_name=user.get_full_name(),
        email=user.email,
        is_admin=scope.is_admin,
        member_id=scope.member_id,
        cells=cells,
        officer_of=officer_of,
        token=TokenUsedOut(id=token.pk, name=token.name, scope=token.scope) if token else None,
    )


@router.get(
    "/tokens",
    response={200: list[TokenOut], **ERRORS},
    summary="Các mã truy cập của tôi",
    description="Mới nhất trước, kể cả mã đã hết hạn hoặc đã thu hồi. Mã bí mật không bao giờ hiện lại.",
)
@paginate(Pages)
def list_tokens(request: HttpRequest) -> QuerySet[AccessToken]:
    return AccessToken.objects.filter(user_id=request.user.pk or 0)


@router.post(
    "/tokens",
    response={201: NewTokenOut, **ERRORS},
    summary="Tạo mã truy cập",
    description="Chỉ với phiên đăng nhập của trình duyệt (kèm CSRF), không với một mã truy cập khác. "
    "Mã bí mật chỉ có trong câu trả lời này.",
)
def create_token(request: HttpRequest, data: TokenIn) -> Status[NewTokenOut]:
    if getattr(request, "access_token", None) is not None:
        raise Refusal(
            403, "forbidden", _("A token cannot create tokens: create one on the account page instead.")
        )
    token, secret = services.create_token(
        actor=request.user, name=data.name, days=data.days, scope=data.scope
    )
    return Status(201, NewTokenOut(**TokenOut.model_validate(token).model_dump(), secret=secret))


@router.delete(
    "/tokens/{int:token_id}",
    response={204: None, **ERRORS},
    summary="Thu hồi mã truy cập",
    description="Mã thôi hiệu lực ngay. Một mã có thể tự thu hồi chính nó.",
)
def revoke_token(request: HttpRequest, token_id: int) -> Status[None]:
    token = AccessToken.objects.filter(user_id=request.user.pk or 0, pk=token_id).first()
    if token is None:
        raise Refusal(404, "not_found", _("Not found."))
    services.revoke_token(actor=request.user, token=token)
    return Status(204, None)
