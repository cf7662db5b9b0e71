"""Demo reports of the article's cell (Chi bộ Khoa Xây dựng Đảng), added after the meetings demo.

* the report of the quarter before last, submitted by the secretary (``bithu``) a week after the
  quarter ended and acknowledged by the Đảng ủy officer (``danguy``) with a remark;
* the report of the last quarter that has ended, submitted and waiting for the Đảng ủy (``danguy``
  finds it among his notices).

Loaded after September these are quarters II and III of this year. Earlier in the year the two last
quarters that have begun are used (the current one counted so far); in the first quarter there is
only the submitted one. The figures are those of the meetings demo; the secretary's assessment is
written from them (absences without reason, overdue tasks), so the text and the numbers agree.
"""

from datetime import date, timedelta

from organizations.demo import ARTICLE_CELL, Demo
from organizations.models import Organization
from planning.models import Session
from reports import services
from reports.documents import ROMAN
from reports.models import Report, period_bounds
from reports.selectors import report_figures

ACKNOWLEDGED_REMARKS = (
    "Đảng ủy ghi nhận kết quả sinh hoạt chuyên đề của chi bộ. Đề nghị chi bộ tiếp tục theo dõi, đôn đốc "
    "thực hiện các nhiệm vụ của nghị quyết chuyên đề đúng thời hạn và báo cáo trong quý tới."
)


def _title(cell: Organization, year: int, quarter: int) -> str:
    session = (
        Session.objects.filter(cell=cell, plan__year=year, quarter=quarter)
        .exclude(status=Session.Status.CANCELLED)
        .order_by("planned_date", "id")
        .first()
    )
    return session.title if session else ""


def _assessment(cell: Organization, year: int, quarter: int, on: date) -> str:
    f = report_figures(cell, year, quarter, on).figures
    title = _title(cell, year, quarter)
    roman = ROMAN[quarter]
    lines = [
        f"Trong quý {roman}, chi bộ duy trì nền nếp sinh hoạt thường kỳ vào ngày 05 hằng tháng"
        + (
            f" và tổ chức sinh hoạt chuyên đề “{title}” đúng kế hoạch, có đồng chí Phó Bí thư Đảng ủy "
            "Trường dự và chỉ đạo."
            if title and f.held
            else "."
        ),
        "Nội dung chuyên đề được chuẩn bị công phu, liên hệ sát với nhiệm vụ giảng dạy, nghiên cứu khoa học "
        "của Khoa; đảng viên phát biểu thẳng thắn, dân chủ, đề xuất nhiều giải pháp cụ thể.",
    ]
    shortcomings = []
    if f.unexcused:
        shortcomings.append(f"còn {f.unexcused} lượt đảng viên vắng sinh hoạt không có lý do")
    if f.excused:
        shortcomings.append(f"{f.excused} lượt vắng có lý do vì đi công tác, học tập")
    if f.tasks_overdue:
        shortcomings.append(f"{f.tasks_overdue} nhiệm vụ theo nghị quyết chuyên đề chưa hoàn thành đúng hạn")
    if shortcomings:
        lines.append("Hạn chế: " + "; ".join(shortcomings) + ".")
    lines.append(
        "Bài học kinh nghiệm: phân công người chuẩn bị sớm; chi ủy trao đổi kỹ với báo cáo viên về mục đích, "
        "yêu cầu của chuyên đề; phân công chi ủy viên theo dõi từng nhiệm vụ của nghị quyết."
    )
    return "\n".join(lines)


def _direction(cell: Organization, year: int, quarter: int) -> str:
    lines = []
    if quarter < 4:
        title = _title(cell, year, quarter + 1)
        if title:
            lines.append(f"Tổ chức sinh hoạt chuyên đề “{title}” theo kế hoạch.")
    else:
        lines.append("Tổng kết sinh hoạt chuyên đề năm, xây dựng kế hoạch sinh hoạt chuyên đề năm tới.")
    lines += [
        "Đôn đốc hoàn thành các nhiệm vụ của nghị quyết chuyên đề; kiểm điểm việc thực hiện tại kỳ sinh hoạt "
        "thường kỳ hằng tháng.",
        "Gặp gỡ, nhắc nhở đảng viên vắng sinh hoạt; bố trí lịch giảng dạy để đảng viên dự sinh hoạt đầy đủ.",
    ]
    return "\n".join(lines)


def _report(demo: Demo, cell: Organization, year: int, quarter: int, submit_on: date) -> Report:
    secretary = demo.users["bithu"]
    report = services.create_report(actor=secretary, cell=cell, year=year, quarter=quarter, today=submit_on)
    services.save_text(
        actor=secretary,
        report=report,
        assessment=_assessment(cell, year, quarter, submit_on),
        direction=_direction(cell, year, quarter),
    )
    return services.submit_report(actor=secretary, report=report, on=submit_on)


def add_reports(demo: Demo) -> None:
    """Add the reports demo (see the module docstring)."""
    today = demo.today
    year = today.year
    cell = next(c for c in demo.cells.values() if c.name == ARTICLE_CELL)
    ended = [q for q in (1, 2, 3, 4) if period_bounds(year, q)[1] < today]
    begun = [q for q in (1, 2, 3, 4) if period_bounds(year, q)[0] <= today]
    quarters = ended[-2:] if len(ended) >= 2 else begun[-2:]

    def submitted_on(quarter: int, days: int) -> date:
        return min(period_bounds(year, quarter)[1] + timedelta(days=days), today)

    if len(quarters) == 2:
        earlier = quarters[0]
        report = _report(demo, cell, year, earlier, submitted_on(earlier, 7))
        services.acknowledge_report(
            actor=demo.users["danguy"],
            report=report,
            remarks=ACKNOWLEDGED_REMARKS,
            on=submitted_on(earlier, 14),
        )
    last = quarters[-1]
    _report(demo, cell, year, last, submitted_on(last, 8))
