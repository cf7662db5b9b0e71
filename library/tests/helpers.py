"""Builders shared by the library's tests and permission rows.

``tests.test_permissions`` imports ``library.tests.routes`` (which imports this module) while it is
itself being imported, so it is imported here inside the functions, never at the top."""

from datetime import date
from typing import Any

from django.utils import timezone

from evaluations.services import evaluate_session
from library import services
from library.models import ModelSession
from organizations.models import Organization
from planning import services as planning
from planning.models import AnnualPlan, Session

LESSONS = (
    "Gửi dự thảo trước một tuần\n- Phân công người chuẩn bị ý kiến liên hệ\n\n• Nghị quyết có thời hạn cụ thể"
)


def evaluate(session: Session, actor: Any = None, lessons: str = LESSONS) -> Session:
    evaluate_session(
        actor=actor,
        session=session,
        presenter_strengths="Chuẩn bị công phu",
        presenter_weaknesses="",
        presenter_rating="good",
        result="Đạt mục đích, yêu cầu",
        lessons=lessons,
    )
    session.refresh_from_db()
    return session


def issued_session(world: Any) -> Session:
    """A session of world.cell (next year's plan) held, its final text approved and its resolution
    issued, presented by world.member: ready to be evaluated."""
    from tests.test_permissions import _thematic

    meeting = _thematic(world, "issued")
    return Session.objects.get(pk=meeting.session_id)


def evaluated_session(world: Any) -> Session:
    return evaluate(issued_session(world))


def approved_model(world: Any, *, evaluated: bool = True) -> ModelSession:
    session = evaluated_session(world) if evaluated else issued_session(world)
    model = services.register_model(actor=None, session=session, note="Mô hình mẫu")
    return services.approve_model(actor=None, model=model)


def published_model(world: Any) -> ModelSession:
    return services.publish_model(actor=None, model=approved_model(world))


def next_year() -> int:
    return timezone.localdate().year + 1


def plan_session(cell: Organization, title: str, quarter: int = 1) -> Session:
    """A planned session of ``cell`` in next year's plan (the plan made if needed)."""
    plan = AnnualPlan.objects.filter(cell=cell, year=next_year()).first()
    if plan is None:
        plan = planning.create_plan(actor=None, cell=cell, year=next_year())
    return planning.add_session(actor=None, plan=plan, quarter=quarter, title=title)


def stored_model(cell: Organization, title: str, party: Organization | None = None) -> ModelSession:
    """A published model written straight to the database with a small package: for listings and
    permissions, where running a whole session's cycle per model would only slow the tests down."""
    session = plan_session(cell, title)
    return ModelSession.objects.create(
        session=session,
        cell=cell,
        party=party or services.party_of(cell),
        status=ModelSession.Status.PUBLISHED,
        registered_at=timezone.now(),
        published_at=timezone.now(),
        package={
            "version": 1,
            "topic": {"title": title, "group": "Xây dựng Đảng"},
            "session": {
                "cell": cell.name,
                "year": next_year(),
                "quarter": 1,
                "date": date(next_year(), 2, 10).isoformat(),
                "presenters": ["Lê Văn Đức"],
            },
            "final_text": {"version": 2, "kind": "html", "html": "<p>Bản hoàn chỉnh</p>", "pages": []},
            "minutes": {
                "symbol": "01-BB/CB",
                "version": 1,
                "kind": "thematic",
                "attendance": {"members": 4, "exempted": 0, "present": 4, "excused": 0, "unexcused": 0},
                "blocks": [{"kind": "heading", "text": "IV. KẾT LUẬN CỦA CHỦ TRÌ"}],
            },
            "resolution": {
                "kind": "NQ",
                "title": "NGHỊ QUYẾT",
                "symbol": "01-NQ/CB",
                "issued_on": None,
                "results": ["Kết quả"],
                "shortcomings": [],
                "tasks": [],
            },
            "evaluation": {"result": "Đạt", "lessons": ["Bài học"]},
            "quality": {"level": "good", "label": "Tốt", "score": 95},
        },
    )
