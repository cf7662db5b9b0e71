"""Topics, the Đảng ủy's orientation, annual plans, their sessions, presenters and registrations
(issue 14, item 1). The pages: /ke-hoach/ (planning/views.py); every operation fetches, asks and calls
what the matching page does."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from api.errors import ERRORS
from api.forms import validated
from api.pagination import Mapped, Pages
from api.types import ID_MAX, YEAR_MAX, YEAR_MIN, LocalTime
from core.web import deny_unless, get_visible_or_404
from organizations.models import Member, Organization
from organizations.permissions import visible_organizations
from planning import hooks, lifecycle, permissions, rules, selectors, services
from planning.forms import (
    AcceptForm,
    PlanForm,
    PostponeForm,
    PresentersForm,
    ReasonForm,
    RegistrationForm,
    RemarksForm,
    SessionForm,
    TopicForm,
)
from planning.models import AnnualPlan, Orientation, Registration, Session, Topic, TopicGroup

router = Router(tags=["planning"])


def _plan(request: HttpRequest, plan_id: int) -> AnnualPlan:
    return get_visible_or_404(
        permissions.visible_plans(request.user).select_related("cell__parent", "document"), pk=plan_id
    )


def _session(request: HttpRequest, session_id: int) -> Session:
    return get_visible_or_404(
        permissions.visible_sessions(request.user).select_related("plan", "cell__parent", "topic__group"),
        pk=session_id,
    )


def _registration(request: HttpRequest, registration_id: int) -> Registration:
    return get_visible_or_404(
        Registration.objects.filter(cell__in=visible_organizations(request.user)).select_related(
            "member", "topic", "session", "cell"
        ),
        pk=registration_id,
    )


def _party(request: HttpRequest, organization_id: int) -> Organization:
    return get_visible_or_404(
        visible_organizations(request.user).filter(kind=Organization.Kind.PARTY_COMMITTEE),
        pk=organization_id,
    )


def _acting_member(request: HttpRequest) -> Member:
    member = selectors.acting_member(request.user)
    if member is None:
        raise PermissionDenied
    return member


# --- Schemas -------------------------------------------------------------------------------------


class PersonOut(Schema):
    id: int = Field(examples=[12])
    full_name: str = Field(examples=["Lê Văn Đức"])


class TopicGroupOut(Schema):
    id: int
    organization_id: int = Field(description="Đảng bộ có nhóm chuyên đề này.", examples=[1])
    name: str = Field(examples=["Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"])
    description: str = Field(examples=[""])
    keywords: str = Field(examples=["Hồ Chí Minh, đạo đức, phong cách"])
    order: int = Field(examples=[1])
    is_active: bool = Field(description="Còn dùng để đề xuất chuyên đề.", examples=[True])


class TopicOut(Schema):
    id: int
    title: str = Field(examples=["Văn hóa Hồ Chí Minh về học tập, lao động và làm việc"])
    description: str = Field(examples=[""])
    group_id: int = Field(examples=[3])
    group_name: str = Field(examples=["Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"])
    organization_id: int = Field(description="Đảng bộ (danh mục) hoặc chi bộ đã đề xuất.", examples=[1])
    source: str = Field(
        description="`orientation` (định hướng của Đảng ủy), `cell` (chi bộ đề xuất) hoặc `member` "
        "(đảng viên đề xuất).",
        examples=["orientation"],
    )
    proposed_by: PersonOut | None = Field(None, examples=[None])


class DeadlineOut(Schema):
    code: str = Field(
        description="`draft`, `approval`, `distribution` hoặc `comments`.", examples=["distribution"]
    )
    label: str = Field(examples=["Gửi đảng viên trước ngày"])
    due: date = Field(examples=["2027-02-09"])


class StepOut(Schema):
    label: str = Field(examples=["Đã phân công báo cáo viên"])
    state: str = Field(description="`done`, `current` hoặc `todo`.", examples=["current"])


class ProgressOut(Schema):
    number: int = Field(examples=[2])
    total: int = Field(examples=[11])
    label: str = Field(examples=["Đã phân công báo cáo viên"])


class NextActionOut(Schema):
    label: str = Field(examples=["Viết dự thảo và trình duyệt"])
    url: str = Field(description="Trang nơi làm việc này.", examples=["/du-thao/buoi/7/"])


class RegistrationOut(Schema):
    id: int
    member: PersonOut
    cell_id: int = Field(examples=[4])
    session_id: int | None = Field(examples=[7])
    topic_id: int | None = Field(examples=[None])
    note: str = Field(examples=["Xin được chuẩn bị chuyên đề này."])
    status: str = Field(description="`pending`, `accepted` hoặc `declined`.", examples=["pending"])
    decision_reason: str = Field(examples=[""])
    created_at: datetime
    decided_at: datetime | None = Field(None, examples=[None])


class SessionOut(Schema):
    id: int
    plan_id: int = Field(examples=[3])
    cell_id: int = Field(examples=[4])
    cell_name: str = Field(examples=["Chi bộ Khoa Xây dựng Đảng"])
    year: int = Field(examples=[2027])
    title: str = Field(examples=["Văn hóa Hồ Chí Minh về học tập, lao động và làm việc"])
    topic_id: int | None = Field(examples=[9])
    quarter: int = Field(examples=[1])
    month: int | None = Field(examples=[2])
    planned_date: date | None = Field(examples=["2027-02-10"])
    planned_time: LocalTime | None = Field(examples=["14:00:00"])
    combined_with_regular: bool = Field(
        description="Sinh hoạt cùng buổi với sinh hoạt thường kỳ (ít nhất 120 phút).", examples=[False]
    )
    status: str = Field(description="Bước của vòng đời buổi sinh hoạt.", examples=["assigned"])
    status_label: str = Field(examples=["Đã phân công báo cáo viên"])
    postponed_from: date | None = Field(None, examples=[None])
    postponed_reason: str = Field(examples=[""])
    cancelled_reason: str = Field(examples=[""])
    presenters: list[PersonOut]
    page_url: str = Field(examples=["/ke-hoach/buoi/7/"])
    ics_url: str | None = Field(
        description="Tệp lịch .ics của buổi sinh hoạt (khi đã có ngày).", examples=["/lich/buoi/7.ics"]
    )


class SessionDetailOut(SessionOut):
    deadlines: list[DeadlineOut] = Field(description="Các hạn tính ngược từ ngày sinh hoạt theo bộ quy tắc.")
    steps: list[StepOut] = Field(description="Các bước của vòng đời, như trang buổi sinh hoạt.")
    progress: ProgressOut | None = Field(description="Bước hiện tại (không có khi buổi đã hủy).")
    next_actions: list[NextActionOut] = Field(description="Việc người gọi làm được tiếp theo.")
    registrations: list[RegistrationOut] = Field(
        description="Người quản lý chi bộ thấy mọi đăng ký; đảng viên chỉ thấy đăng ký của mình."
    )


class PlanOut(Schema):
    id: int
    cell_id: int = Field(examples=[4])
    cell_name: str = Field(examples=["Chi bộ Khoa Xây dựng Đảng"])
    year: int = Field(examples=[2027])
    status: str = Field(
        description="`draft`, `submitted`, `returned` hoặc `acknowledged`.", examples=["submitted"]
    )
    status_label: str = Field(examples=["Đã trình Đảng ủy"])
    revision: int = Field(examples=[1])
    purpose: str = Field(examples=["Nâng cao chất lượng sinh hoạt chi bộ."])
    remarks: str = Field(description="Ý kiến của Đảng ủy khi trả lại.", examples=[""])
    submitted_at: datetime | None = Field(None, examples=["2027-01-15T08:00:00+07:00"])
    acknowledged_at: datetime | None = Field(None, examples=[None])
    document_symbol: str | None = Field(
        None, description="Số, ký hiệu văn bản kế hoạch đã ban hành.", examples=["Số 01-KH/CB"]
    )
    page_url: str = Field(examples=["/ke-hoach/3/"])


class WarningOut(Schema):
    code: str
    message: str = Field(examples=["Quý III chưa có buổi sinh hoạt chuyên đề nào."])


class RemovedSessionOut(Schema):
    entry_id: int = Field(description="Dùng để khôi phục buổi đã xóa.", examples=[51])
    title: str = Field(examples=["Phòng, chống lãng phí"])
    removed_at: datetime


class PlanDetailOut(PlanOut):
    sessions: list[SessionOut]
    warnings: list[WarningOut] = Field(description="Cảnh báo của kế hoạch (không chặn việc trình).")
    removed_sessions: list[RemovedSessionOut] = Field(
        description="Buổi đã xóa còn khôi phục được (chỉ người lập kế hoạch thấy)."
    )


class OrientationOut(Schema):
    organization_id: int = Field(examples=[1])
    year: int = Field(examples=[2027])
    plans_due: date = Field(description="Hạn chi bộ trình kế hoạch năm.", examples=["2027-01-31"])
    note: str = Field(examples=["Tập trung chuyên đề về chuyển đổi số."])
    topics: list[TopicOut] = Field(description="Chuyên đề Đảng ủy đề nghị các chi bộ sinh hoạt.")


# --- Building the answers ---------------------------------------------------------------------


def _person(member: Member) -> PersonOut:
    return PersonOut(id=member.pk, full_name=member.full_name)


def _topic_out(topic: Topic) -> TopicOut:
    return TopicOut(
        id=topic.pk,
        title=topic.title,
        description=topic.description,
        group_id=topic.group_id,
        group_name=topic.group.name,
        organization_id=topic.organization_id,
        source=topic.source,
        proposed_by=_person(topic.proposed_by) if topic.proposed_by else None,
    )


def _registration_out(registration: Registration) -> RegistrationOut:
    return RegistrationOut(
        id=registration.pk,
        member=_person(registration.member),
        cell_id=registration.cell_id,
        session_id=registration.session_id,
        topic_id=registration.topic_id,
        note=registration.note,
        status=registration.status,
        decision_reason=registration.decision_reason,
        created_at=registration.created_at,
        decided_at=registration.decided_at,
    )


def _session_fields(session: Session) -> dict[str, Any]:
    """The fields of :class:`SessionOut`; ``session`` comes with its cell, plan and presenters."""
    return {
        "id": session.pk,
        "plan_id": session.plan_id,
        "cell_id": session.cell_id,
        "cell_name": session.cell.name,
        "year": session.plan.year,
        "title": session.title,
        "topic_id": session.topic_id,
        "quarter": session.quarter,
        "month": session.month,
        "planned_date": session.planned_date,
        "planned_time": session.planned_time,
        "combined_with_regular": session.combined_with_regular,
        "status": session.status,
        "status_label": session.get_status_display(),
        "postponed_from": session.postponed_from,
        "postponed_reason": session.postponed_reason,
        "cancelled_reason": session.cancelled_reason,
        "presenters": [_person(m) for m in session.presenters.all()],
        "page_url": reverse("planning:session", args=[session.pk]),
        "ics_url": reverse("notifications:session_ics", args=[session.pk]) if session.planned_date else None,
    }


def _session_out(session: Session) -> SessionOut:
    return SessionOut(**_session_fields(session))


def _session_detail(request: HttpRequest, session_id: int) -> SessionDetailOut:
    """What the session page shows about a session, read again after any change."""
    session = get_visible_or_404(
        permissions.visible_sessions(request.user)
        .select_related("plan", "cell__parent", "cell__rule_set", "topic__group")
        .prefetch_related(Prefetch("presenters", queryset=Member.objects.order_by("full_name"))),
        pk=session_id,
    )
    manages = permissions.can(request.user, "session.manage", session)
    params = session.cell.effective_rule_set().params
    meeting = hooks.session_page(request.user, session).get("meeting")
    progress = lifecycle.progress(session)
    return SessionDetailOut(
        **_session_fields(session),
        deadlines=[
            DeadlineOut(code=d.code, label=str(d.label), due=d.due)
            for d in rules.deadlines(session.planned_date, params)
        ],
        steps=[StepOut(label=s.label, state=s.state) for s in lifecycle.steps(session)],
        progress=ProgressOut(number=progress.number, total=progress.total, label=progress.label)
        if progress
        else None,
        next_actions=[
            NextActionOut(label=a.label, url=a.url)
            for a in lifecycle.next_actions(request.user, session, meeting)
        ],
        registrations=[
            _registration_out(r)
            for r in selectors.session_registrations(request.user, session, manages=manages)
        ],
    )


def _plan_fields(plan: AnnualPlan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "cell_id": plan.cell_id,
        "cell_name": plan.cell.name,
        "year": plan.year,
        "status": plan.status,
        "status_label": plan.get_status_display(),
        "revision": plan.revision,
        "purpose": plan.purpose,
        "remarks": plan.remarks,
        "submitted_at": plan.submitted_at,
        "acknowledged_at": plan.acknowledged_at,
        "document_symbol": plan.document.symbol if plan.document_id and plan.document else None,
        "page_url": reverse("planning:plan", args=[plan.pk]),
    }


def _plan_detail(request: HttpRequest, plan_id: int) -> PlanDetailOut:
    """What the plan page shows about a plan, read again after any change."""
    plan = _plan(request, plan_id)
    sessions = selectors.plan_sessions(plan)
    for session in sessions:  # plan_sessions leaves them without their plan and cell: the same objects
        session.plan, session.cell = plan, plan.cell
    editor = permissions.can(request.user, "plan.edit", plan)
    return PlanDetailOut(
        **_plan_fields(plan),
        sessions=[_session_out(s) for s in sessions],
        warnings=[
            WarningOut(code=w.code, message=str(w.message)) for w in selectors.warnings_for(plan, sessions)
        ],
        removed_sessions=[
            RemovedSessionOut(entry_id=e.pk, title=e.data.get("title", ""), removed_at=e.created_at)
            for e in (services.removed_sessions(plan) if editor else [])
        ],
    )


# --- Topic groups, topics, orientation ------------------------------------------------------------


class TopicGroupFilter(Schema):
    organization: int | None = Field(None, ge=1, le=ID_MAX, description="Chỉ nhóm chuyên đề của Đảng bộ này.")


@router.get(
    "/topic-groups",
    response={200: list[TopicGroupOut], **ERRORS},
    summary="Các nhóm chuyên đề",
    description="Nhóm chuyên đề của các Đảng bộ có danh mục người gọi xem được, theo thứ tự của Đảng bộ.",
)
@paginate(Pages)
def list_topic_groups(request: HttpRequest, filters: Query[TopicGroupFilter]) -> QuerySet[TopicGroup]:
    groups = permissions.visible_topic_groups(request.user)
    if filters.organization is not None:
        groups = groups.filter(organization_id=filters.organization)
    return groups.order_by("organization_id", "order", "name")


@router.get(
    "/topic-groups/{int:group_id}", response={200: TopicGroupOut, **ERRORS}, summary="Một nhóm chuyên đề"
)
def get_topic_group(request: HttpRequest, group_id: int) -> TopicGroup:
    return get_visible_or_404(permissions.visible_topic_groups(request.user), pk=group_id)


class TopicFilter(Schema):
    organization: int | None = Field(
        None, ge=1, le=ID_MAX, description="Chỉ chuyên đề của Đảng bộ hoặc chi bộ này."
    )
    group: int | None = Field(None, ge=1, le=ID_MAX, description="Chỉ chuyên đề của nhóm này.")
    source: Topic.Source | None = Field(None, description="`orientation`, `cell` hoặc `member`.")


@router.get(
    "/topics",
    response={200: list[TopicOut], **ERRORS},
    summary="Danh mục chuyên đề",
    description="Như trang danh mục chuyên đề: chuyên đề của Đảng bộ và chuyên đề các chi bộ của người gọi "
    "đề xuất, theo nhóm.",
)
@paginate(Pages)
def list_topics(request: HttpRequest, filters: Query[TopicFilter]) -> Sequence[TopicOut]:
    topics = permissions.visible_topics(request.user).select_related("group", "proposed_by")
    if filters.organization is not None:
        topics = topics.filter(organization_id=filters.organization)
    if filters.group is not None:
        topics = topics.filter(group_id=filters.group)
    if filters.source is not None:
        topics = topics.filter(source=filters.source)
    return Mapped(topics.order_by("group__order", "title"), _topic_out)


@router.get("/topics/{int:topic_id}", response={200: TopicOut, **ERRORS}, summary="Một chuyên đề")
def get_topic(request: HttpRequest, topic_id: int) -> TopicOut:
    topic = get_visible_or_404(
        permissions.visible_topics(request.user).select_related("group", "proposed_by"), pk=topic_id
    )
    return _topic_out(topic)


class TopicIn(Schema):
    group: int = Field(description="Nhóm chuyên đề (id).", examples=[3])
    title: str = Field(examples=["Chuyển đổi số trong công tác đảng"])
    description: str = Field("", examples=[""])


@router.post(
    "/organizations/{int:organization_id}/topics",
    response={201: TopicOut, **ERRORS},
    summary="Thêm chuyên đề vào danh mục (Đảng ủy) hoặc đề xuất chuyên đề (chi bộ)",
    description="Với một Đảng bộ: cán bộ Đảng ủy thêm chuyên đề vào danh mục. Với một chi bộ: đảng viên hoặc "
    "cấp ủy chi bộ đề xuất chuyên đề vào một nhóm đang dùng của Đảng bộ.",
)
def create_topic(request: HttpRequest, organization_id: int, payload: TopicIn) -> Status[TopicOut]:
    org = get_visible_or_404(visible_organizations(request.user), pk=organization_id)
    proposer = None
    if org.kind == Organization.Kind.PARTY_COMMITTEE:
        deny_unless(request.user, "catalogue.edit", org)
        groups = TopicGroup.objects.filter(pk__in=[g.pk for g in services.ensure_topic_groups(org)])
    else:
        deny_unless(request.user, "topic.propose", org)
        groups = selectors.proposable_groups(org)
        proposer = selectors.topic_proposer(request.user, org)
    form = validated(TopicForm, payload.model_dump(), groups=groups)
    topic = services.create_topic(
        actor=request.user, organization=org, proposed_by=proposer, **form.cleaned_data
    )
    return Status(201, _topic_out(topic))


@router.get(
    "/organizations/{int:organization_id}/orientations/{int:year}",
    response={200: OrientationOut, **ERRORS},
    summary="Định hướng chuyên đề năm của Đảng ủy",
    description="Hạn trình kế hoạch, hướng dẫn và các chuyên đề Đảng ủy đề nghị, như trang giám sát của "
    "Đảng ủy. 404 khi chưa có định hướng cho năm này.",
)
def get_orientation(request: HttpRequest, organization_id: int, year: int) -> OrientationOut:
    party = _party(request, organization_id)
    deny_unless(request.user, "orientation.edit", party)
    orientation = (
        Orientation.objects.filter(organization=party, year=year)
        .prefetch_related(
            Prefetch(
                "topics", queryset=Topic.objects.select_related("group", "proposed_by").order_by("title")
            )
        )
        .first()
    )
    if orientation is None:
        raise Http404
    return OrientationOut(
        organization_id=party.pk,
        year=orientation.year,
        plans_due=orientation.plans_due,
        note=orientation.note,
        topics=[_topic_out(t) for t in orientation.topics.all()],
    )


# --- Annual plans ------------------------------------------------------------------------------


class PlanFilter(Schema):
    year: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX, description="Năm của kế hoạch.", examples=[2027])
    cell: int | None = Field(None, ge=1, le=ID_MAX, description="Chi bộ (id).")
    status: AnnualPlan.Status | None = Field(
        None, description="`draft`, `submitted`, `returned`, `acknowledged`."
    )


@router.get(
    "/plans",
    response={200: list[PlanOut], **ERRORS},
    summary="Kế hoạch sinh hoạt chuyên đề năm",
    description="Các kế hoạch người gọi mở được, năm mới nhất trước rồi theo tên chi bộ.",
)
@paginate(Pages)
def list_plans(request: HttpRequest, filters: Query[PlanFilter]) -> Sequence[PlanOut]:
    plans = permissions.visible_plans(request.user).select_related("cell", "document")
    if filters.year is not None:
        plans = plans.filter(year=filters.year)
    if filters.cell is not None:
        plans = plans.filter(cell_id=filters.cell)
    if filters.status is not None:
        plans = plans.filter(status=filters.status)
    return Mapped(plans.order_by("-year", "cell__name"), lambda plan: PlanOut(**_plan_fields(plan)))


@router.get(
    "/plans/{int:plan_id}",
    response={200: PlanDetailOut, **ERRORS},
    summary="Một kế hoạch năm với các buổi sinh hoạt",
    description="Như trang kế hoạch: các buổi theo quý, cảnh báo, và (cho người lập kế hoạch) các buổi vừa "
    "xóa còn khôi phục được.",
)
def get_plan(request: HttpRequest, plan_id: int) -> PlanDetailOut:
    return _plan_detail(request, plan_id)


class PlanIn(Schema):
    cell_id: int = Field(description="Chi bộ lập kế hoạch.", examples=[4])
    year: int = Field(examples=[2027])
    purpose: str = Field("", description="Mục đích, yêu cầu (phần I của kế hoạch).", examples=[""])


@router.post(
    "/plans",
    response={201: PlanDetailOut, **ERRORS},
    summary="Lập kế hoạch năm của chi bộ",
    description="Bí thư, phó bí thư chi bộ (hoặc quản trị) lập; mỗi chi bộ một kế hoạch mỗi năm.",
)
def create_plan(request: HttpRequest, payload: PlanIn) -> Status[PlanDetailOut]:
    cell = get_visible_or_404(visible_organizations(request.user), pk=payload.cell_id)
    deny_unless(request.user, "plan.create", cell)
    form = validated(PlanForm, {"year": payload.year, "purpose": payload.purpose})
    plan = services.create_plan(actor=request.user, cell=cell, **form.cleaned_data)
    return Status(201, _plan_detail(request, plan.pk))


@router.post(
    "/plans/{int:plan_id}/submit",
    response={200: PlanDetailOut, **ERRORS},
    summary="Trình kế hoạch lên Đảng ủy",
    description="Từ bản đang soạn hoặc bị trả lại; kế hoạch được ban hành thành văn bản có số.",
)
def submit_plan(request: HttpRequest, plan_id: int) -> PlanDetailOut:
    plan = _plan(request, plan_id)
    deny_unless(request.user, "plan.submit", plan)
    services.submit_plan(actor=request.user, plan=plan)
    return _plan_detail(request, plan_id)


@router.post(
    "/plans/{int:plan_id}/acknowledge",
    response={200: PlanDetailOut, **ERRORS},
    summary="Đảng ủy tiếp nhận kế hoạch",
)
def acknowledge_plan(request: HttpRequest, plan_id: int) -> PlanDetailOut:
    plan = _plan(request, plan_id)
    deny_unless(request.user, "plan.acknowledge", plan)
    services.acknowledge_plan(actor=request.user, plan=plan)
    return _plan_detail(request, plan_id)


class RemarksIn(Schema):
    remarks: str = Field(description="Ý kiến chi bộ cần tiếp thu.", examples=["Bổ sung chuyên đề quý III."])


@router.post(
    "/plans/{int:plan_id}/return",
    response={200: PlanDetailOut, **ERRORS},
    summary="Đảng ủy trả lại kế hoạch kèm ý kiến",
)
def return_plan(request: HttpRequest, plan_id: int, payload: RemarksIn) -> PlanDetailOut:
    plan = _plan(request, plan_id)
    deny_unless(request.user, "plan.return", plan)
    form = validated(RemarksForm, payload.model_dump())
    services.return_plan(actor=request.user, plan=plan, remarks=form.cleaned_data["remarks"])
    return _plan_detail(request, plan_id)


# --- A plan's sessions ----------------------------------------------------------------------------


class SessionIn(Schema):
    topic: int | None = Field(None, description="Chuyên đề trong danh mục (id).", examples=[9])
    title: str = Field("", description="Để trống thì dùng tên chuyên đề.", examples=["Phòng, chống lãng phí"])
    quarter: int = Field(examples=[2])
    month: int | None = Field(None, examples=[5])
    planned_date: date | None = Field(None, examples=["2027-05-12"])
    planned_time: LocalTime | None = Field(None, examples=["14:00"])
    combined_with_regular: bool = Field(False, examples=[False])


def _session_form_data(data: dict[str, Any]) -> dict[str, Any]:
    """A session's fields as the session form's data (empty where not given)."""
    return {
        key: "" if value is None else value for key, value in data.items() if key != "combined_with_regular"
    } | ({"combined_with_regular": "on"} if data.get("combined_with_regular") else {})


@router.post(
    "/plans/{int:plan_id}/sessions",
    response={201: SessionDetailOut, **ERRORS},
    summary="Thêm buổi sinh hoạt chuyên đề vào kế hoạch",
    description="Theo quý, có thể kèm tháng, ngày, giờ; sửa một kế hoạch đã tiếp nhận mở lần điều chỉnh mới.",
)
def add_session(request: HttpRequest, plan_id: int, payload: SessionIn) -> Status[SessionDetailOut]:
    plan = _plan(request, plan_id)
    deny_unless(request.user, "plan.edit", plan)
    form = validated(
        SessionForm, _session_form_data(payload.model_dump()), topics=selectors.topics_for(plan.cell)
    )
    session = services.add_session(actor=request.user, plan=plan, **form.cleaned_data)
    return Status(201, _session_detail(request, session.pk))


class SessionPatch(Schema):
    topic: int | None = Field(None, examples=[9])
    title: str | None = Field(None, examples=["Văn hóa Hồ Chí Minh về học tập"])
    quarter: int | None = Field(None, examples=[1])
    month: int | None = Field(None, examples=[2])
    planned_date: date | None = Field(None, examples=["2027-02-10"])
    planned_time: LocalTime | None = Field(None, examples=["14:00"])
    combined_with_regular: bool | None = Field(None, examples=[False])


@router.patch(
    "/sessions/{int:session_id}",
    response={200: SessionDetailOut, **ERRORS},
    summary="Sửa buổi sinh hoạt trong kế hoạch",
    description="Chỉ các trường gửi lên được đổi (gửi `null` để xóa tháng, ngày, giờ, chuyên đề); chỉ buổi "
    "còn ở bước kế hoạch hoặc đã phân công.",
)
def edit_session(request: HttpRequest, session_id: int, payload: SessionPatch) -> SessionDetailOut:
    session = _session(request, session_id)
    deny_unless(request.user, "plan.edit", session.plan)
    current = {
        "topic": session.topic_id,
        "title": session.title,
        "quarter": session.quarter,
        "month": session.month,
        "planned_date": session.planned_date,
        "planned_time": session.planned_time,
        "combined_with_regular": session.combined_with_regular,
    }
    sent = payload.model_dump(exclude_unset=True)
    form = validated(
        SessionForm, _session_form_data(current | sent), topics=selectors.topics_for(session.cell)
    )
    # Only what was sent changes: a new date alone carries its month along (the service's rule).
    data = {key: value for key, value in form.cleaned_data.items() if key in sent}
    if "title" in data:  # an empty title is the topic's, as on the page
        topic = form.cleaned_data["topic"]
        data["title"] = data["title"] or (topic.title if topic else session.title)
    services.update_session(actor=request.user, session=session, data=data)
    return _session_detail(request, session.pk)


@router.delete(
    "/sessions/{int:session_id}",
    response={204: None, **ERRORS},
    summary="Xóa buổi sinh hoạt khỏi kế hoạch",
    description="Chỉ buổi chưa bắt đầu chuẩn bị (buổi đang chuẩn bị thì hủy kèm lý do). Trong "
    f"{services.UNDO_REMOVAL_HOURS} giờ có thể khôi phục: `removed_sessions` của kế hoạch cho `entry_id`.",
)
def remove_session(request: HttpRequest, session_id: int) -> Status[None]:
    session = _session(request, session_id)
    deny_unless(request.user, "plan.edit", session.plan)
    services.remove_session(actor=request.user, session=session)
    return Status(204, None)


@router.post(
    "/plans/{int:plan_id}/removed-sessions/{int:entry_id}/restore",
    response={200: SessionDetailOut, **ERRORS},
    summary="Khôi phục buổi vừa xóa khỏi kế hoạch",
    description=f"Trong {services.UNDO_REMOVAL_HOURS} giờ sau khi xóa: buổi trở lại với lịch, chuyên đề "
    "và báo cáo viên còn trong chi bộ.",
)
def restore_session(request: HttpRequest, plan_id: int, entry_id: int) -> SessionDetailOut:
    plan = _plan(request, plan_id)
    deny_unless(request.user, "plan.edit", plan)
    session = services.restore_session(actor=request.user, plan=plan, entry_id=entry_id)
    return _session_detail(request, session.pk)


# --- Sessions ---------------------------------------------------------------------------------------


class SessionFilter(Schema):
    year: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX, description="Năm của kế hoạch.", examples=[2027])
    quarter: int | None = Field(None, ge=1, le=4, description="Quý (1–4).", examples=[1])
    cell: int | None = Field(None, ge=1, le=ID_MAX, description="Chi bộ (id).")
    status: Session.Status | None = Field(None, description="Bước của vòng đời, ví dụ `distributed`.")


@router.get(
    "/sessions",
    response={200: list[SessionOut], **ERRORS},
    summary="Các buổi sinh hoạt chuyên đề",
    description="Các buổi của những chi bộ người gọi xem được, theo năm, chi bộ, quý và ngày.",
)
@paginate(Pages)
def list_sessions(request: HttpRequest, filters: Query[SessionFilter]) -> Sequence[SessionOut]:
    sessions = (
        permissions.visible_sessions(request.user)
        .select_related("plan", "cell")
        .prefetch_related(Prefetch("presenters", queryset=Member.objects.order_by("full_name")))
    )
    if filters.year is not None:
        sessions = sessions.filter(plan__year=filters.year)
    if filters.quarter is not None:
        sessions = sessions.filter(quarter=filters.quarter)
    if filters.cell is not None:
        sessions = sessions.filter(cell_id=filters.cell)
    if filters.status is not None:
        sessions = sessions.filter(status=filters.status)
    return Mapped(
        sessions.order_by("-plan__year", "cell__name", "quarter", "month", "planned_date"), _session_out
    )


@router.get(
    "/sessions/{int:session_id}",
    response={200: SessionDetailOut, **ERRORS},
    summary="Một buổi sinh hoạt chuyên đề",
    description="Như trang buổi sinh hoạt: báo cáo viên, các hạn, bước của vòng đời và việc tiếp theo.",
)
def get_session(request: HttpRequest, session_id: int) -> SessionDetailOut:
    return _session_detail(request, session_id)


class PostponeIn(Schema):
    new_date: date = Field(
        description="Ngày mới, sau ngày dự kiến, trong năm của kế hoạch.", examples=["2027-03-03"]
    )
    reason: str = Field(examples=["Trùng lịch kiểm tra của Đảng ủy."])


@router.post(
    "/sessions/{int:session_id}/postpone",
    response={200: SessionDetailOut, **ERRORS},
    summary="Hoãn buổi sinh hoạt sang ngày khác",
    description="Buổi giữ nguyên bước đã đạt; đảng viên được báo.",
)
def postpone_session(request: HttpRequest, session_id: int, payload: PostponeIn) -> SessionDetailOut:
    session = _session(request, session_id)
    deny_unless(request.user, "session.postpone", session)
    form = validated(PostponeForm, payload.model_dump())
    services.postpone_session(actor=request.user, session=session, **form.cleaned_data)
    return _session_detail(request, session_id)


class ReasonIn(Schema):
    reason: str = Field(examples=["Chi bộ sáp nhập."])


@router.post(
    "/sessions/{int:session_id}/cancel",
    response={200: SessionDetailOut, **ERRORS},
    summary="Hủy buổi sinh hoạt kèm lý do",
    description="Buổi đã hủy vẫn nằm trong kế hoạch; chỉ hủy được trước khi họp.",
)
def cancel_session(request: HttpRequest, session_id: int, payload: ReasonIn) -> SessionDetailOut:
    session = _session(request, session_id)
    deny_unless(request.user, "session.cancel", session)
    form = validated(ReasonForm, payload.model_dump())
    services.cancel_session(actor=request.user, session=session, **form.cleaned_data)
    return _session_detail(request, session_id)


class PresentersIn(Schema):
    members: list[int] = Field(
        description="Toàn bộ báo cáo viên (id đảng viên); `[]` để bỏ phân công.", examples=[[12]]
    )


@router.put(
    "/sessions/{int:session_id}/presenters",
    response={200: SessionDetailOut, **ERRORS},
    summary="Phân công báo cáo viên",
    description="Thay toàn bộ danh sách báo cáo viên; chỉ trước khi viết dự thảo. Người được phân công "
    "được báo.",
)
def assign_presenters(request: HttpRequest, session_id: int, payload: PresentersIn) -> SessionDetailOut:
    session = _session(request, session_id)
    deny_unless(request.user, "session.manage", session)
    form = validated(PresentersForm, payload.model_dump(), members=selectors.presenter_choices(session.cell))
    services.assign_presenters(
        actor=request.user, session=session, members=list(form.cleaned_data["members"])
    )
    return _session_detail(request, session_id)


# --- Registrations ----------------------------------------------------------------------------------


class RegistrationIn(Schema):
    note: str = Field("", description="Lời nhắn cho bí thư.", examples=["Tôi đã nghiên cứu chủ đề này."])


@router.post(
    "/sessions/{int:session_id}/registrations",
    response={201: RegistrationOut, **ERRORS},
    summary="Đăng ký làm báo cáo viên của buổi sinh hoạt",
    description="Đảng viên của chi bộ đăng ký; bí thư chấp nhận hoặc từ chối.",
)
def register_for_session(
    request: HttpRequest, session_id: int, payload: RegistrationIn
) -> Status[RegistrationOut]:
    session = _session(request, session_id)
    deny_unless(request.user, "cell.register", session.cell)
    form = validated(RegistrationForm, payload.model_dump())
    registration = services.register(
        actor=request.user,
        member=_acting_member(request),
        cell=session.cell,
        session=session,
        **form.cleaned_data,
    )
    return Status(201, _registration_out(registration))


@router.post(
    "/topics/{int:topic_id}/registrations",
    response={201: RegistrationOut, **ERRORS},
    summary="Đăng ký trình bày một chuyên đề trong danh mục",
    description="Đăng ký vào chi bộ của người gọi; bí thư chấp nhận vào một buổi hoặc một quý.",
)
def register_for_topic(
    request: HttpRequest, topic_id: int, payload: RegistrationIn
) -> Status[RegistrationOut]:
    topic = get_visible_or_404(permissions.visible_topics(request.user).select_related("group"), pk=topic_id)
    member = _acting_member(request)
    cell = selectors.registering_cell(member)
    if cell is None:
        raise PermissionDenied
    form = validated(RegistrationForm, payload.model_dump())
    registration = services.register(
        actor=request.user, member=member, cell=cell, topic=topic, **form.cleaned_data
    )
    return Status(201, _registration_out(registration))


class RegistrationFilter(Schema):
    status: Registration.Status | None = Field(None, description="`pending`, `accepted` hoặc `declined`.")
    cell: int | None = Field(None, ge=1, le=ID_MAX, description="Chi bộ (id).")
    session: int | None = Field(None, ge=1, le=ID_MAX, description="Buổi sinh hoạt (id).")


@router.get(
    "/registrations",
    response={200: list[RegistrationOut], **ERRORS},
    summary="Các đăng ký làm báo cáo viên",
    description="Của các chi bộ người gọi quản lý (để chấp nhận hoặc từ chối) và của chính người gọi; cũ "
    "nhất trước. `status=pending`: những đăng ký đang chờ bí thư.",
)
@paginate(Pages)
def list_registrations(request: HttpRequest, filters: Query[RegistrationFilter]) -> Sequence[RegistrationOut]:
    registrations = permissions.visible_registrations(request.user).select_related("member")
    if filters.status is not None:
        registrations = registrations.filter(status=filters.status)
    if filters.cell is not None:
        registrations = registrations.filter(cell_id=filters.cell)
    if filters.session is not None:
        registrations = registrations.filter(session_id=filters.session)
    return Mapped(registrations.order_by("created_at"), _registration_out)


@router.get(
    "/registrations/{int:registration_id}",
    response={200: RegistrationOut, **ERRORS},
    summary="Một đăng ký làm báo cáo viên",
    description="Người quản lý chi bộ, hoặc chính người đăng ký.",
)
def get_registration(request: HttpRequest, registration_id: int) -> RegistrationOut:
    return _registration_out(
        get_visible_or_404(
            permissions.visible_registrations(request.user).select_related("member"), pk=registration_id
        )
    )


class AcceptIn(Schema):
    session: int | None = Field(
        None, description="Buổi đang mở để nhận (cho đăng ký theo chuyên đề).", examples=[None]
    )
    quarter: int | None = Field(None, description="Hoặc một buổi mới trong quý này.", examples=[3])


@router.post(
    "/registrations/{int:registration_id}/accept",
    response={200: RegistrationOut, **ERRORS},
    summary="Chấp nhận đăng ký: người đăng ký thành báo cáo viên",
    description="Đăng ký cho một buổi: không cần chọn gì. Đăng ký cho một chuyên đề: chọn một buổi đang mở "
    "(`session`) hoặc một quý để thêm buổi mới (`quarter`).",
)
def accept_registration(request: HttpRequest, registration_id: int, payload: AcceptIn) -> RegistrationOut:
    registration = _registration(request, registration_id)
    deny_unless(request.user, "registration.decide", registration)
    if registration.session_id is not None:
        choice: dict[str, Any] = {}
    else:
        data = {k: "" if v is None else v for k, v in payload.model_dump().items()}
        form = validated(AcceptForm, data, sessions=selectors.sessions_to_accept_into(registration.cell))
        choice = {"session": form.cleaned_data.get("session"), "quarter": form.cleaned_data.get("quarter")}
    done = services.accept_registration(actor=request.user, registration=registration, **choice)
    return _registration_out(done)


@router.post(
    "/registrations/{int:registration_id}/decline",
    response={200: RegistrationOut, **ERRORS},
    summary="Từ chối đăng ký kèm lý do",
)
def decline_registration(request: HttpRequest, registration_id: int, payload: ReasonIn) -> RegistrationOut:
    registration = _registration(request, registration_id)
    deny_unless(request.user, "registration.decide", registration)
    form = validated(ReasonForm, payload.model_dump())
    done = services.decline_registration(
        actor=request.user, registration=registration, reason=form.cleaned_data["reason"]
    )
    return _registration_out(done)
