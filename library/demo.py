"""Demo model sessions, added after the evaluations demo (it also runs without it).

* the article's cell (Chi bộ Khoa Xây dựng Đảng) registered this year's first evaluated session as a
  model session with the Đảng ủy Trường, which approved it; after it was held and evaluated the cell
  published it: the library shows its final text, minutes, resolution and lessons to every cell;
* Chi bộ Khoa Lý luận cơ sở adopted it into next year's plan (which it did not have yet: the adoption
  started it as a draft), so the Đảng ủy's overview shows one adoption;
* the cell's next session (three weeks ahead) is registered too and waits for the Đảng ủy's approval.

Everything goes through the services with ``actor=None`` (the system). When no session of this year is
evaluated yet, the newest one with an issued resolution is evaluated here first; when none has reached
that stage (early in the year), only the registration waiting for approval is made.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from drafts.demo import COMMENT_TITLE
from evaluations.services import evaluate_session
from library import services
from library.models import ModelSession
from organizations.demo import ARTICLE_CELL, Demo
from organizations.models import Organization
from planning.models import Session

MODEL_NOTE = (
    "Chi bộ đăng ký buổi sinh hoạt chuyên đề mẫu: dự thảo được chuẩn bị công phu, gửi đảng viên trước một tuần; "
    "mỗi đảng viên liên hệ nhiệm vụ giảng dạy của bản thân; nghị quyết có nhiệm vụ cụ thể, người thực hiện và thời hạn."
)
NEXT_NOTE = "Chi bộ đăng ký sinh hoạt chuyên đề mẫu gắn với chuyển đổi số, mời đại diện các chi bộ dự và rút kinh nghiệm."
# Used only when the evaluations demo has not evaluated the session already.
STRENGTHS = "Chuẩn bị dự thảo công phu, số liệu cập nhật; trình bày ngắn gọn, rõ ràng, gợi mở thảo luận."
WEAKNESSES = "Phần giải pháp còn ít số liệu khảo sát học viên."
RESULT = "Buổi sinh hoạt đạt mục đích, yêu cầu; đảng viên tham gia ý kiến sôi nổi, liên hệ sát với nhiệm vụ của Khoa."
LESSONS = (
    "Gửi dự thảo cho đảng viên trước ít nhất một tuần để có thời gian nghiên cứu, góp ý\n"
    "Phân công trước hai, ba đảng viên chuẩn bị ý kiến liên hệ thực tiễn\n"
    "Nghị quyết chuyên đề phải có nhiệm vụ cụ thể, người thực hiện và thời hạn"
)
ADOPTING_CELL = "llcs"


def _model_session(cell: Organization, year: int) -> Session | None:
    """This year's first evaluated session of the cell, evaluating one with an issued resolution if none is."""
    sessions = Session.objects.filter(cell=cell, plan__year=year).order_by("planned_date", "id")
    evaluated = sessions.filter(status=Session.Status.EVALUATED).first()
    if evaluated is not None:
        return evaluated
    issued = sessions.filter(status=Session.Status.RESOLUTION_ISSUED).first()
    if issued is None:
        return None
    evaluate_session(
        actor=None,
        session=issued,
        presenter_strengths=STRENGTHS,
        presenter_weaknesses=WEAKNESSES,
        presenter_rating="excellent",
        result=RESULT,
        lessons=LESSONS,
    )
    issued.refresh_from_db()
    return issued


def _backdate(model: ModelSession, day: date | None) -> None:
    """Registered a month before the meeting and approved a few days later, as it would have been."""
    if day is None:
        return
    registered = timezone.make_aware(datetime.combine(day - timedelta(days=30), time(9)))
    ModelSession.objects.filter(pk=model.pk).update(
        registered_at=registered, decided_at=registered + timedelta(days=4)
    )


def add_library(demo: Demo) -> None:
    """Add the model sessions demo (see the module docstring)."""
    today = demo.today
    cell = next(c for c in demo.cells.values() if c.name == ARTICLE_CELL)
    session = _model_session(cell, today.year)
    if session is not None:
        model = services.register_model(actor=None, session=session, note=MODEL_NOTE)
        services.approve_model(actor=None, model=model)
        _backdate(model, session.planned_date)
        model = services.publish_model(actor=None, model=model)
        services.adopt_model(
            actor=None, model=model, cell=demo.cells[ADOPTING_CELL], year=today.year + 1, quarter=2
        )
    upcoming = Session.objects.filter(cell=cell, plan__year=today.year, title=COMMENT_TITLE).first()
    if upcoming is not None and upcoming.status != Session.Status.CANCELLED:
        services.register_model(actor=None, session=upcoming, note=NEXT_NOTE)
