"""Builders of the library's tests and permission rows: planned sessions and published models written
straight to the database. A session taken through its whole cycle comes from tests/scenarios.py."""

from datetime import date

from django.utils import timezone

from library import services
from library.models import ModelSession
from organizations.models import Organization
from planning import services as planning
from planning.models import AnnualPlan, Session
from tests.scenarios import next_year


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
