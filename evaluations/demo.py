"""Demo evaluations: the article's cell has evaluated this year's sessions whose resolution is issued
but the newest (waiting for the secretary), and started its year-end review (levels proposed for part
of the members, the rest to do)."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from evaluations import review, services
from evaluations.models import SessionEvaluation
from organizations.demo import ARTICLE_CELL, Demo
from planning.models import Session

EVALUATIONS = (
    (
        "Chuẩn bị công phu, số liệu khảo sát sát thực tế của Khoa; trình bày ngắn gọn, rõ ràng.",
        "Phần giải pháp còn chung, chưa gắn trách nhiệm cụ thể.",
        "excellent",
        "Chi bộ thống nhất cao; đề ra ba nhiệm vụ cụ thể có người thực hiện và thời hạn.",
        "Gửi dự thảo cho đảng viên sớm hơn, ít nhất một tuần trước buổi sinh hoạt\n"
        "Phân công trước người phát biểu mở đầu thảo luận để buổi sinh hoạt sôi nổi",
    ),
    (
        "Nắm vững nội dung, liên hệ tốt với nhiệm vụ giảng dạy cho học viên Lào.",
        "Thời gian trình bày dài, còn ít thời gian thảo luận.",
        "good",
        "Buổi sinh hoạt đạt yêu cầu; một số ý kiến còn chung chung.",
        "Giới hạn phần trình bày trong 20 phút\nMời đại diện phòng Đào tạo dự khi bàn về giảng dạy",
    ),
    (
        "Chủ động đăng ký chuyên đề; tài liệu tham khảo phong phú.",
        "Cần bổ sung số liệu đánh giá kết quả thực hiện.",
        "good",
        "Chi bộ thống nhất nội dung; nghị quyết có tính khả thi.",
        "Kiểm điểm việc thực hiện nghị quyết chuyên đề tại sinh hoạt thường kỳ hằng tháng",
    ),
)


def add_evaluations(demo: Demo) -> None:
    today = demo.today
    cell = next(c for c in demo.cells.values() if c.name == ARTICLE_CELL)
    issued = list(
        Session.objects.filter(cell=cell, status=Session.Status.RESOLUTION_ISSUED).order_by("planned_date")
    )
    # The newest one waits for the secretary's evaluation.
    for session, (strengths, weaknesses, rating, result, lessons) in zip(
        issued[:-1], EVALUATIONS, strict=False
    ):
        services.evaluate_session(
            actor=None,
            session=session,
            presenter_strengths=strengths,
            presenter_weaknesses=weaknesses,
            presenter_rating=rating,
            result=result,
            lessons=lessons,
        )
        day = (session.planned_date or today) + timedelta(days=20)
        SessionEvaluation.objects.filter(session=session).update(
            evaluated_at=timezone.make_aware(datetime.combine(min(day, today), time(10)))
        )
    # The year-end review under way: levels proposed for the first half of the members.
    members = review.roster(cell, today.year)
    params = cell.effective_rule_set().params
    proposals = []
    for index, member in enumerate(members[: len(members) // 2]):
        if review.not_ranked_reason(member, today.year, params):
            proposals.append(review.ProposalInput(member.pk, "not_ranked", None, ""))
        else:
            points = (92, 85, 80, 78, 88, 75)[index % 6]
            proposals.append(
                review.ProposalInput(member.pk, review.expected_level(points, params), points, "")
            )
    review.save_review(actor=None, cell=cell, year=today.year, proposals=proposals)
