"""Demo plans: the article's cell's 2023 and 2024 plans (docs/domain.md §6), this year's plans of every
cell in each state the Đảng ủy must read at a glance, and next year's plan being prepared.

Everything goes through the planning services (actor=None, the system), so the history panels tell
the story. Steps that lie in the past are recorded with their dates (``on=``). Sessions of past years
are marked held: their meeting records arrive with the meetings feature.
"""

from datetime import date, time, timedelta

from organizations.demo import ARTICLE_CELL, Demo
from organizations.models import Organization
from planning import lifecycle, services
from planning.models import AnnualPlan, Session, Topic, TopicGroup

# (group index in seed.TOPIC_GROUPS, title)
CATALOGUE = (
    (0, "Văn hóa Hồ Chí Minh về học tập, lao động và làm việc"),
    (0, "Học tập và làm theo phong cách nêu gương của Chủ tịch Hồ Chí Minh"),
    (1, "Chi bộ lãnh đạo Khoa nâng cao năng lực giảng dạy của giảng viên"),
    (5, "Chi bộ lãnh đạo khoa thực hiện nhiệm vụ nghiên cứu khoa học và tổng kết thực tiễn"),
    (3, "Phòng, chống suy thoái tư tưởng chính trị, đạo đức, lối sống trong đội ngũ giảng viên"),
    (4, "Nâng cao chất lượng sinh hoạt chi bộ theo Hướng dẫn 42-HD/BTCTW"),
    (2, "Quán triệt Nghị quyết Đại hội XIV của Đảng"),
    (6, "Giáo dục truyền thống cách mạng của Đảng bộ tỉnh Thừa Thiên Huế"),
    (7, "Xây dựng văn hóa trường Đảng gắn với chuyển đổi số"),
    (4, "Phòng, chống lãng phí trong hoạt động của nhà trường"),
)

# The article's cell, 2023: six thematic/professional sessions (docs/domain.md §6).
PLAN_2023 = (
    (1, date(2023, 2, 15), "Quán triệt Nghị quyết Trung ương 4 khóa XIII về xây dựng, chỉnh đốn Đảng",
     "Phan Thị Diệu Linh"),
    (1, date(2023, 3, 22), "Đổi mới phương pháp giảng dạy các học phần xây dựng Đảng", "Võ Thị Hồng Nhung"),
    (2, date(2023, 5, 17), "Học tập và làm theo phong cách nêu gương của Chủ tịch Hồ Chí Minh",
     "Hoàng Thị Thu Hương"),
    (3, date(2023, 8, 16), "Nâng cao chất lượng biên soạn bài giảng chương trình trung cấp",
     "Tôn Nữ Minh Châu"),
    (3, date(2023, 9, 20), "Đấu tranh phản bác quan điểm sai trái trên không gian mạng", "Huỳnh Ngọc Tuấn"),
    (4, date(2023, 11, 15), "Giáo dục truyền thống cách mạng của Đảng bộ tỉnh Thừa Thiên Huế",
     "Nguyễn Hữu Phước"),
)  # fmt: skip

# 2024: the three topics the article names, and a fourth.
PLAN_2024 = (
    (1, date(2024, 3, 6), "Văn hóa Hồ Chí Minh về học tập, lao động và làm việc", "Phan Thị Diệu Linh"),
    (2, date(2024, 5, 15),
     "Chi bộ lãnh đạo khoa thực hiện nhiệm vụ nghiên cứu khoa học và tổng kết thực tiễn", "Trần Quốc Bảo"),
    (3, date(2024, 9, 11), "Chi bộ lãnh đạo Khoa nâng cao năng lực giảng dạy của giảng viên",
     "Tôn Nữ Minh Châu"),
    (4, date(2024, 11, 20),
     "Phòng, chống suy thoái tư tưởng chính trị, đạo đức, lối sống trong đội ngũ giảng viên",
     "Nguyễn Đình Khánh"),
)  # fmt: skip
ORIENTATION_NOTE = (
    "Mỗi chi bộ xây dựng kế hoạch sinh hoạt chuyên đề năm, bảo đảm ít nhất một chuyên đề mỗi quý."
)
PURPOSE_2024 = (
    "Vận dụng văn hóa Hồ Chí Minh về học tập, lao động và làm việc đối với giảng viên, đảng viên và học "
    "viên nhà trường; nâng cao năng lực giảng dạy chương trình trung cấp lý luận chính trị cho học viên "
    "Lào; đăng ký với Đảng ủy Trường một buổi sinh hoạt chuyên đề mẫu trong năm 2024."
)


def _plan(
    cell: Organization,
    year: int,
    rows: tuple[tuple[int, date, str, str], ...],
    demo: Demo,
    topics: dict[str, Topic],
    purpose: str = "",
) -> AnnualPlan:
    plan = services.create_plan(actor=None, cell=cell, year=year, purpose=purpose)
    for quarter, day, title, presenter in rows:
        session = services.add_session(
            actor=None,
            plan=plan,
            quarter=quarter,
            title=title,
            topic=topics.get(title),
            planned_date=day,
            planned_time=time(14, 0),
            combined_with_regular=day.month in (3, 9),
        )
        services.assign_presenters(actor=None, session=session, members=[demo.members[presenter]])
    return plan


def _hold_past_sessions(plan: AnnualPlan, today: date) -> None:
    # The meeting record (attendance, vote, minutes) comes with the meetings feature; until then the
    # demo marks past sessions as held so that the plan reads as a finished year.
    lifecycle.load_history(
        plan.sessions.filter(planned_date__lt=today).exclude(status=Session.Status.CANCELLED),
        Session.Status.HELD,
    )


def _cell_people(demo: Demo, cell: Organization) -> list[str]:
    return [
        name for name, member in demo.members.items() if member.memberships.filter(organization=cell).exists()
    ]


def add_plans(demo: Demo) -> None:
    """Add the planning demo to a loaded organisation demo (see organizations.demo.load_demo)."""
    today = demo.today
    year = today.year
    party = demo.party
    groups: list[TopicGroup] = services.ensure_topic_groups(party)
    topics = {
        title: services.create_topic(actor=None, organization=party, group=groups[index], title=title)
        for index, title in CATALOGUE
    }
    for orientation_year in (2023, 2024, year, year + 1):
        services.set_orientation(
            actor=None,
            party=party,
            year=orientation_year,
            plans_due=date(orientation_year, 1, 31),
            note=ORIENTATION_NOTE,
            topics=[topics[CATALOGUE[0][1]], topics[CATALOGUE[5][1]]],
        )

    xdd = next(c for c in demo.cells.values() if c.name == ARTICLE_CELL)
    for plan_year, past_rows, purpose in ((2023, PLAN_2023, ""), (2024, PLAN_2024, PURPOSE_2024)):
        plan = _plan(xdd, plan_year, past_rows, demo, topics, purpose)
        services.submit_plan(actor=None, plan=plan, on=date(plan_year, 1, 20))
        services.acknowledge_plan(actor=None, plan=plan, on=date(plan_year, 1, 27))
        _hold_past_sessions(plan, today)

    # This year: each cell's plan in a different state, one cell late.
    states = {
        "xdd": "acknowledged",
        "llcs": "submitted",
        "nnpl": "returned",
        "qldt": "acknowledged",
    }
    for key, cell in demo.cells.items():
        if cell.parent_id != party.pk:
            continue
        state = states.get(key)
        if state is None:
            continue  # the late cell: no plan although it was due on 31 January
        people = _cell_people(demo, cell)
        titles = [t for _group, t in CATALOGUE]
        rows = tuple(
            (
                q,
                date(year, 3 * q - 1, 12 + q),
                titles[(q + len(key)) % len(titles)],
                people[(2 * q) % len(people)],
            )
            for q in (1, 2, 3, 4)
            if not (state == "returned" and q == 3)  # the returned plan misses a quarter
        )
        plan = _plan(cell, year, rows, demo, topics)
        services.submit_plan(actor=None, plan=plan, on=date(year, 1, 22 if key != "llcs" else 28))
        if state == "acknowledged":
            services.acknowledge_plan(actor=None, plan=plan, on=date(year, 2, 2))
        elif state == "returned":
            services.return_plan(
                actor=None,
                plan=plan,
                remarks="Kế hoạch chưa có chuyên đề trong quý III; đề nghị bổ sung và gửi lại Đảng ủy.",
            )
        _hold_past_sessions(plan, today)

    # The article's cell adds a session to its acknowledged plan,
    # so the Đảng ủy sees a revision; the new session's presenter works on it now.
    plan = AnnualPlan.objects.get(cell=xdd, year=year)
    # Three weeks ahead (but within this year), so the presenter's deadlines are on the home page.
    soon = min(today + timedelta(days=20), date(year, 12, 31))
    session = services.add_session(
        actor=None,
        plan=plan,
        quarter=services.quarter_of(soon.month),
        title="Xây dựng văn hóa trường Đảng gắn với chuyển đổi số",
        topic=topics["Xây dựng văn hóa trường Đảng gắn với chuyển đổi số"],
        planned_date=soon,
        planned_time=time(14, 0),
    )
    services.assign_presenters(actor=None, session=session, members=[demo.members["Trần Quốc Bảo"]])

    # Next year's plan, being prepared, with an open slot a probationary member registered for.
    next_plan = services.create_plan(actor=None, cell=xdd, year=year + 1)
    first = services.add_session(
        actor=None,
        plan=next_plan,
        quarter=1,
        title="Văn hóa Hồ Chí Minh về học tập, lao động và làm việc",
        topic=topics["Văn hóa Hồ Chí Minh về học tập, lao động và làm việc"],
        planned_date=date(year + 1, 3, 10),
        planned_time=time(14, 0),
        combined_with_regular=True,
    )
    services.assign_presenters(actor=None, session=first, members=[demo.members["Phan Thị Diệu Linh"]])
    open_slot = services.add_session(
        actor=None,
        plan=next_plan,
        quarter=2,
        title="Giáo dục truyền thống cách mạng của Đảng bộ tỉnh Thừa Thiên Huế",
        topic=topics["Giáo dục truyền thống cách mạng của Đảng bộ tỉnh Thừa Thiên Huế"],
        month=5,
    )
    services.register(
        actor=None,
        member=demo.members["Trương Thị Ngọc Ánh"],
        cell=xdd,
        session=open_slot,
        note="Em đang nghiên cứu lịch sử Đảng bộ tỉnh, xin được chuẩn bị chuyên đề này.",
    )
