"""API operations after the meeting and around it (issue 14, item 1): evaluations, participation records,
reports, model sessions and their adoption, search and notifications.

The pages: /danh-gia/ (evaluations), /bao-cao/ (reports), /mau/ (model sessions), /tim-kiem/ (search),
/thong-bao/ (notifications). Each operation fetches, asks and calls as the page's view does.
"""

from dataclasses import asdict
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from api.errors import ERRORS
from api.forms import validated
from api.pagination import Pages
from api.types import ID_MAX
from core.permissions import can
from core.web import deny_unless, get_visible_or_404
from evaluations import participation, review
from evaluations import services as evaluation_services
from evaluations.forms import EvaluationForm
from evaluations.models import SessionEvaluation
from library import permissions as library_permissions
from library import services as library_services
from library.forms import AdoptForm, ReasonForm, RegisterForm
from library.models import Adoption, ModelSession
from notifications import services as notification_services
from notifications.models import Notification
from notifications.permissions import visible_notifications
from organizations.models import Organization
from organizations.permissions import visible_members, visible_organizations
from planning.permissions import visible_sessions
from reports import permissions as report_permissions
from reports import selectors as report_selectors
from reports import services as report_services
from reports.forms import ANNUAL, AcknowledgeForm, CreateForm, RemarksForm, TextForm, report_years
from reports.models import Report
from search import selectors as search_selectors
from search.models import SearchEntry

router = Router()

# The largest id a database holds: a filter on a larger one is a field error (SQLite cannot even compare it).


# --- Evaluations ------------------------------------------------------------------------------------


class EvaluationIn(Schema):
    presenter_strengths: str = Field(examples=["Chuẩn bị công phu, liên hệ thực tiễn của khoa."])
    presenter_weaknesses: str = Field("", examples=[""])
    presenter_rating: SessionEvaluation.Rating = Field(examples=["good"])
    result: str = Field(examples=["Chi bộ thống nhất ban hành nghị quyết chuyên đề."])
    lessons: str = Field("", description="Mỗi dòng một bài học.", examples=["Gửi dự thảo sớm hơn 10 ngày."])


class EvaluationOut(Schema):
    session_id: int = Field(examples=[12])
    # The presenter's part only for the presenters and who manages the cell, as on the session page.
    presenter_strengths: str | None
    presenter_weaknesses: str | None
    presenter_rating: str | None
    result: str
    lessons: str
    evaluated_at: datetime


def _evaluation_out(evaluation: SessionEvaluation, presenter: bool = True) -> EvaluationOut:
    return EvaluationOut(
        session_id=evaluation.session_id,
        presenter_strengths=evaluation.presenter_strengths if presenter else None,
        presenter_weaknesses=evaluation.presenter_weaknesses if presenter else None,
        presenter_rating=evaluation.presenter_rating if presenter else None,
        result=evaluation.result,
        lessons=evaluation.lessons,
        evaluated_at=evaluation.evaluated_at,
    )


@router.put(
    "/sessions/{int:session_id}/evaluation",
    response={200: EvaluationOut, **ERRORS},
    tags=["evaluations"],
    summary="Đánh giá buổi sinh hoạt và người trình bày",
    description="Ghi (hoặc sửa) đánh giá của bí thư sau khi nghị quyết đã ban hành; "
    "người trình bày được báo.",
)
def evaluate_session(request: HttpRequest, session_id: int, payload: EvaluationIn) -> EvaluationOut:
    session = get_visible_or_404(
        visible_sessions(request.user).select_related("cell__parent", "plan"), pk=session_id
    )
    deny_unless(request.user, "session.evaluate", session.cell)
    data = validated(EvaluationForm, payload.dict()).cleaned_data
    return _evaluation_out(evaluation_services.evaluate_session(actor=request.user, session=session, **data))


@router.get(
    "/sessions/{int:session_id}/evaluation",
    response={200: EvaluationOut, **ERRORS},
    tags=["evaluations"],
    summary="Đánh giá của một buổi sinh hoạt",
    description="Như trang buổi sinh hoạt: phần đánh giá người trình bày (ưu, khuyết điểm, xếp loại) chỉ "
    "hiện với người trình bày và người quản lý chi bộ; với người khác các trường đó là `null`.",
)
def get_session_evaluation(request: HttpRequest, session_id: int) -> EvaluationOut:
    session = get_visible_or_404(visible_sessions(request.user), pk=session_id)
    evaluation = get_visible_or_404(SessionEvaluation.objects.filter(session=session))
    return _evaluation_out(evaluation, can(request.user, "evaluation.presenter", session))


class RecordOut(Schema):
    member_id: int = Field(examples=[12])
    full_name: str = Field(examples=["Lê Văn Đức"])
    year: int = Field(examples=[2026])
    meetings: int = Field(description="Số cuộc họp chi bộ trong năm.", examples=[14])
    present: int = Field(examples=[13])
    late_arrivals: int
    excused: int
    unexcused: int
    exempted: int
    elsewhere: int
    longest_absence: int
    drafts: int
    opened: int
    comments: int
    late: int
    on_time: int
    accepted: int
    partly: int
    speeches: int
    presented: list[int] = Field(description="Các buổi sinh hoạt đồng chí trình bày trong năm (mã buổi).")


def _record_out(record: participation.Record) -> RecordOut:
    figures = {name: getattr(record, name) for name in RecordOut.model_fields if hasattr(record, name)}
    figures.pop("presented", None)
    figures.pop("year", None)
    return RecordOut(
        **figures,
        member_id=record.member.pk,
        full_name=record.member.full_name,
        year=record.year,
        presented=[p.session.pk for p in record.presented],
    )


def _year(year: int | None) -> int:
    return year or timezone.localdate().year


class YearFilter(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="Năm (mặc định năm nay).", examples=[2026])


@router.get(
    "/members/{int:member_id}/participation",
    response={200: RecordOut, **ERRORS},
    tags=["evaluations"],
    summary="Sổ theo dõi tham gia sinh hoạt của một đảng viên trong năm",
    description="Cùng các con số với trang sổ theo dõi: dự họp, đọc và góp ý dự thảo, phát biểu, trình bày.",
)
def get_participation(request: HttpRequest, member_id: int, filters: Query[YearFilter]) -> RecordOut:
    member = get_visible_or_404(visible_members(request.user), pk=member_id)
    deny_unless(request.user, "record.view", member)
    return _record_out(participation.record(member, _year(filters.year)))


@router.get(
    "/organizations/{int:organization_id}/participation",
    response={200: list[RecordOut], **ERRORS},
    tags=["evaluations"],
    summary="Bảng theo dõi tham gia của cả chi bộ trong năm",
)
@paginate(Pages)
def list_cell_participation(
    request: HttpRequest, organization_id: int, filters: Query[YearFilter]
) -> list[RecordOut]:
    cell = get_visible_or_404(
        visible_organizations(request.user), pk=organization_id, kind=Organization.Kind.CELL
    )
    deny_unless(request.user, "cell.records", cell)
    year = _year(filters.year)
    members = review.roster(cell, year)
    records = participation.records(members, year)
    return [_record_out(records[m.pk]) for m in members]


# --- Reports -----------------------------------------------------------------------------------------


class ReportOut(Schema):
    id: int
    cell_id: int
    year: int = Field(examples=[2026])
    quarter: int | None = Field(description="Quý 1–4; không có với báo cáo năm.", examples=[4])
    status: str = Field(examples=["submitted"])
    assessment: str
    direction: str
    remarks: str
    figures: dict[str, Any] = Field(
        description="Các con số của kỳ: cố định khi nộp, nếu chưa nộp thì tính từ hồ sơ ngay lúc đọc."
    )


def _report_out(report: Report) -> ReportOut:
    data = report_selectors.figures_of(report, timezone.localdate())
    return ReportOut(
        id=report.pk,
        cell_id=report.cell_id,
        year=report.year,
        quarter=report.quarter,
        status=report.status,
        assessment=report.assessment,
        direction=report.direction,
        remarks=report.remarks,
        figures=asdict(data.figures),
    )


def _report(request: HttpRequest, report_id: int) -> Report:
    return get_visible_or_404(
        report_permissions.visible_reports(request.user).select_related("cell__parent", "document"),
        pk=report_id,
    )


class ReportFilter(Schema):
    cell: int | None = Field(None, ge=1, le=ID_MAX, description="Mã chi bộ.")
    year: int | None = Field(None, ge=2000, le=2100)
    quarter: int | None = Field(None, ge=1, le=4)
    status: Report.Status | None = None


class ReportSummaryOut(Schema):
    id: int = Field(examples=[5])
    cell_id: int
    year: int
    quarter: int | None
    status: str


@router.get(
    "/reports",
    response={200: list[ReportSummaryOut], **ERRORS},
    tags=["reports"],
    summary="Các báo cáo đồng chí xem được",
    description="Chi bộ thấy báo cáo của mình; Đảng ủy thấy báo cáo đã nộp của các chi bộ trực thuộc.",
)
@paginate(Pages)
def list_reports(request: HttpRequest, filters: Query[ReportFilter]) -> QuerySet[Report]:
    reports = report_permissions.visible_reports(request.user).order_by("-year", "-quarter")
    for name, lookup in (("cell", "cell_id"), ("year", "year"), ("quarter", "quarter"), ("status", "status")):
        value = getattr(filters, name)
        if value is not None:
            reports = reports.filter(**{lookup: value})
    return reports


@router.get(
    "/reports/{int:report_id}", response={200: ReportOut, **ERRORS}, tags=["reports"], summary="Một báo cáo"
)
def get_report(request: HttpRequest, report_id: int) -> ReportOut:
    return _report_out(_report(request, report_id))


class ReportCreateIn(Schema):
    cell: int = Field(examples=[12])
    year: int = Field(examples=[2026])
    quarter: int | None = Field(None, ge=1, le=4, description="Bỏ trống cho báo cáo năm.", examples=[4])


@router.post(
    "/reports",
    response={201: ReportOut, **ERRORS},
    tags=["reports"],
    summary="Bắt đầu báo cáo quý hoặc năm của chi bộ",
)
def create_report(request: HttpRequest, payload: ReportCreateIn) -> Status[ReportOut]:
    cell = get_visible_or_404(
        visible_organizations(request.user), pk=payload.cell, kind=Organization.Kind.CELL
    )
    deny_unless(request.user, "report.create", cell)
    today = timezone.localdate()
    form = validated(
        CreateForm,
        {"year": payload.year, "quarter": ANNUAL if payload.quarter is None else str(payload.quarter)},
        years=report_years(today),
    )
    report = report_services.create_report(
        actor=request.user, cell=cell, year=form.cleaned_data["year"], quarter=form.quarter()
    )
    return Status(201, _report_out(report))


class ReportTextIn(Schema):
    assessment: str = Field("", examples=["Chi bộ tổ chức đủ các buổi sinh hoạt theo kế hoạch."])
    direction: str = Field("", examples=["Quý tới tập trung vào chuyển đổi số."])


@router.patch(
    "/reports/{int:report_id}",
    response={200: ReportOut, **ERRORS},
    tags=["reports"],
    summary="Sửa phần đánh giá và phương hướng của bí thư",
)
def edit_report(request: HttpRequest, report_id: int, payload: ReportTextIn) -> ReportOut:
    report = _report(request, report_id)
    deny_unless(request.user, "report.edit", report)
    data = validated(TextForm, payload.dict()).cleaned_data
    report = report_services.save_text(
        actor=request.user, report=report, assessment=data["assessment"], direction=data["direction"]
    )
    return _report_out(report)


@router.post(
    "/reports/{int:report_id}/submit",
    response={200: ReportOut, **ERRORS},
    tags=["reports"],
    summary="Nộp báo cáo lên Đảng ủy (các con số được cố định)",
)
def submit_report(request: HttpRequest, report_id: int) -> ReportOut:
    report = _report(request, report_id)
    deny_unless(request.user, "report.submit", report)
    return _report_out(report_services.submit_report(actor=request.user, report=report))


class RemarksIn(Schema):
    remarks: str = Field("", examples=["Bổ sung số liệu dự họp tháng 11."])


@router.post(
    "/reports/{int:report_id}/acknowledge",
    response={200: ReportOut, **ERRORS},
    tags=["reports"],
    summary="Đảng ủy ghi nhận báo cáo",
)
def acknowledge_report(request: HttpRequest, report_id: int, payload: RemarksIn) -> ReportOut:
    report = _report(request, report_id)
    deny_unless(request.user, "report.acknowledge", report)
    remarks = validated(AcknowledgeForm, payload.dict()).cleaned_data["remarks"]
    return _report_out(report_services.acknowledge_report(actor=request.user, report=report, remarks=remarks))


@router.post(
    "/reports/{int:report_id}/return",
    response={200: ReportOut, **ERRORS},
    tags=["reports"],
    summary="Đảng ủy trả lại báo cáo kèm ý kiến",
)
def return_report(request: HttpRequest, report_id: int, payload: RemarksIn) -> ReportOut:
    report = _report(request, report_id)
    deny_unless(request.user, "report.return", report)
    remarks = validated(RemarksForm, payload.dict()).cleaned_data["remarks"]
    return _report_out(report_services.return_report(actor=request.user, report=report, remarks=remarks))


# --- Model sessions ----------------------------------------------------------------------------------


class ModelOut(Schema):
    id: int
    session_id: int
    cell_id: int
    party_id: int
    status: str = Field(examples=["published"])
    note: str
    registered_at: datetime
    decided_at: datetime | None
    published_at: datetime | None
    package: dict[str, Any] | None = Field(
        description="Gói đã cố định khi xuất bản (chủ đề, văn bản, bài học)."
    )

    @staticmethod
    def resolve_package(model: ModelSession) -> dict[str, Any] | None:
        return model.package if model.is_published else None


def _model_out(model: ModelSession) -> ModelOut:
    return ModelOut.model_validate(model)


def _model(request: HttpRequest, model_id: int) -> ModelSession:
    return get_visible_or_404(
        library_permissions.visible_models(request.user).select_related("cell", "party", "session"),
        pk=model_id,
    )


class ModelFilter(Schema):
    status: ModelSession.Status | None = None
    cell: int | None = Field(None, ge=1, le=ID_MAX)


@router.get(
    "/models",
    response={200: list[ModelOut], **ERRORS},
    tags=["models"],
    summary="Các buổi sinh hoạt chuyên đề mẫu đồng chí xem được",
)
@paginate(Pages)
def list_models(request: HttpRequest, filters: Query[ModelFilter]) -> QuerySet[ModelSession]:
    models = library_permissions.visible_models(request.user).order_by("-registered_at")
    if filters.status is not None:
        models = models.filter(status=filters.status)
    if filters.cell is not None:
        models = models.filter(cell_id=filters.cell)
    return models


@router.get(
    "/models/{int:model_id}", response={200: ModelOut, **ERRORS}, tags=["models"], summary="Một mô hình"
)
def get_model(request: HttpRequest, model_id: int) -> ModelOut:
    return _model_out(_model(request, model_id))


class ModelRegisterIn(Schema):
    note: str = Field("", examples=["Cách chuẩn bị dự thảo và lấy ý kiến đảng viên trẻ."])


@router.post(
    "/sessions/{int:session_id}/model",
    response={201: ModelOut, **ERRORS},
    tags=["models"],
    summary="Đăng ký buổi sinh hoạt làm mô hình mẫu với Đảng ủy",
)
def register_model(request: HttpRequest, session_id: int, payload: ModelRegisterIn) -> Status[ModelOut]:
    session = get_visible_or_404(visible_sessions(request.user).select_related("cell", "plan"), pk=session_id)
    deny_unless(request.user, "model.register", session)
    note = validated(RegisterForm, payload.dict()).cleaned_data["note"]
    model = library_services.register_model(actor=request.user, session=session, note=note)
    return Status(201, _model_out(model))


class ReasonIn(Schema):
    reason: str = Field("", examples=["Chưa có nghị quyết ban hành."])


@router.post(
    "/models/{int:model_id}/approve", response={200: ModelOut, **ERRORS}, tags=["models"], summary="Duyệt"
)
def approve_model(request: HttpRequest, model_id: int) -> ModelOut:
    model = _model(request, model_id)
    deny_unless(request.user, "model.approve", model)
    return _model_out(library_services.approve_model(actor=request.user, model=model))


@router.post(
    "/models/{int:model_id}/decline",
    response={200: ModelOut, **ERRORS},
    tags=["models"],
    summary="Không duyệt",
)
def decline_model(request: HttpRequest, model_id: int, payload: ReasonIn) -> ModelOut:
    model = _model(request, model_id)
    deny_unless(request.user, "model.decline", model)
    reason = validated(ReasonForm, payload.dict()).cleaned_data["reason"]
    return _model_out(library_services.decline_model(actor=request.user, model=model, reason=reason))


@router.post(
    "/models/{int:model_id}/withdraw",
    response={200: ModelOut, **ERRORS},
    tags=["models"],
    summary="Rút đăng ký",
)
def withdraw_model(request: HttpRequest, model_id: int, payload: ReasonIn) -> ModelOut:
    model = _model(request, model_id)
    deny_unless(request.user, "model.withdraw", model)
    reason = validated(ReasonForm, payload.dict()).cleaned_data["reason"]
    return _model_out(library_services.withdraw_model(actor=request.user, model=model, reason=reason))


@router.post(
    "/models/{int:model_id}/publish",
    response={200: ModelOut, **ERRORS},
    tags=["models"],
    summary="Xuất bản mô hình cho mọi chi bộ của Đảng bộ",
)
def publish_model(request: HttpRequest, model_id: int) -> ModelOut:
    model = _model(request, model_id)
    deny_unless(request.user, "model.publish", model)
    return _model_out(library_services.publish_model(actor=request.user, model=model))


class AdoptIn(Schema):
    cell: int = Field(description="Chi bộ đưa mô hình vào kế hoạch.", examples=[14])
    year: int = Field(examples=[2027])
    quarter: int = Field(ge=1, le=4, examples=[1])


class AdoptionOut(Schema):
    id: int = Field(examples=[3])
    model_id: int
    cell_id: int
    session_id: int | None
    year: int
    quarter: int
    plan_created: bool = Field(description="Chi bộ chưa có kế hoạch năm đó: một kế hoạch nháp đã được lập.")


@router.post(
    "/models/{int:model_id}/adopt",
    response={201: AdoptionOut, **ERRORS},
    tags=["models"],
    summary="Áp dụng mô hình vào kế hoạch của chi bộ mình",
)
def adopt_model(request: HttpRequest, model_id: int, payload: AdoptIn) -> Status[AdoptionOut]:
    model = _model(request, model_id)
    deny_unless(request.user, "model.adopt", model)
    data = validated(
        AdoptForm, payload.dict(), cells=library_permissions.adoptable_cells(request.user, model)
    ).cleaned_data
    adoption: Adoption = library_services.adopt_model(
        actor=request.user, model=model, cell=data["cell"], year=data["year"], quarter=data["quarter"]
    )
    out = AdoptionOut(
        id=adoption.pk,
        model_id=model.pk,
        cell_id=adoption.cell_id,
        session_id=adoption.session_id,
        year=adoption.year,
        quarter=adoption.quarter,
        plan_created=adoption.plan_created,
    )
    return Status(201, out)


# --- Search ------------------------------------------------------------------------------------------


class SearchIn(Schema):
    q: str = Field(min_length=1, description="Các từ cần tìm (không phân biệt dấu).", examples=["văn hóa"])
    kind: SearchEntry.Kind | None = Field(None, description="Chỉ một loại kết quả.")


class SearchHitOut(Schema):
    kind: str = Field(examples=["draft"])
    title: str
    snippet: str = Field(description="Đoạn văn bản quanh từ tìm thấy.")
    url: str = Field(description="Trang của kết quả trên site.")
    dated: datetime | None = Field(description="Ngày của văn bản (ban hành, duyệt).")


@router.get(
    "/search",
    response={200: list[SearchHitOut], **ERRORS},
    tags=["search"],
    summary="Tìm trong những gì đồng chí xem được",
    description="Như trang tìm kiếm: chủ đề, dự thảo đã duyệt, nghị quyết đã ban hành, bài học; mỗi văn bản "
    "một kết quả, xếp theo mức liên quan. Như trang, chỉ đếm và phân trang 1.000 kết quả tốt nhất: "
    "`count` là 1000 khi có thể còn nhiều hơn.",
)
@paginate(Pages)
def search(request: HttpRequest, params: Query[SearchIn]) -> list[SearchHitOut]:
    query = search_selectors.parse_query(params.q)
    matches = search_selectors.matching(request.user, query)
    found = search_selectors.search(request.user, query)
    if params.kind is not None:
        found = found.filter(kind=params.kind)
        counted = search_selectors.count_of_kind(matches, params.kind)
    else:
        counted = search_selectors.counts_by_kind(matches).counted
    counted = min(counted, search_selectors.MAX_COUNTED)
    return _SearchPage(search_selectors.Ranked(found, query), query, counted)  # type: ignore[return-value]


class _SearchPage:
    """The best matches as the search page reads them (ranked ids, then the page's rows), counted up to
    the page's cap; each slice the paginator takes is turned into hits with their snippets."""

    def __init__(self, ranked: search_selectors.Ranked, query: search_selectors.Query, count: int):
        self.ranked, self.query, self.count = ranked, query, count

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, window: slice) -> list[SearchHitOut]:
        stop = min(window.stop or self.count, self.count)
        return [
            SearchHitOut(
                kind=hit.entry.kind,
                title=hit.entry.title,
                snippet="".join(text for text, _marked in hit.snippet),
                url=hit.entry.url,
                dated=hit.entry.dated,
            )
            for hit in search_selectors.results(self.ranked[window.start : stop], self.query)
        ]


# --- Notifications -----------------------------------------------------------------------------------


class NotificationOut(Schema):
    id: int = Field(examples=[120])
    title: str = Field(examples=["Dự thảo mới: Văn hóa Hồ Chí Minh"])
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None


class NotificationFilter(Schema):
    unread: bool | None = Field(None, description="Chỉ thông báo chưa đọc.")


@router.get(
    "/notifications",
    response={200: list[NotificationOut], **ERRORS},
    tags=["notifications"],
    summary="Thông báo của đồng chí, mới nhất trước",
)
@paginate(Pages)
def list_notifications(request: HttpRequest, filters: Query[NotificationFilter]) -> QuerySet[Notification]:
    notifications = visible_notifications(request.user)
    if filters.unread is not None:
        notifications = notifications.filter(read_at__isnull=filters.unread)
    return notifications


@router.post(
    "/notifications/{int:notification_id}/read",
    response={200: NotificationOut, **ERRORS},
    tags=["notifications"],
    summary="Đánh dấu một thông báo đã đọc",
)
def read_notification(request: HttpRequest, notification_id: int) -> Notification:
    notification = get_visible_or_404(visible_notifications(request.user), pk=notification_id)
    return notification_services.mark_read(actor=request.user, notification=notification)


class CountOut(Schema):
    count: int = Field(description="Số thông báo vừa được đánh dấu đã đọc.", examples=[3])


@router.post(
    "/notifications/read",
    response={200: CountOut, **ERRORS},
    tags=["notifications"],
    summary="Đánh dấu mọi thông báo đã đọc",
)
def read_all_notifications(request: HttpRequest) -> CountOut:
    return CountOut(count=notification_services.mark_all_read(actor=request.user))
