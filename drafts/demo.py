"""Demo drafts, one in each state a newcomer should see (the issue's list), with realistic text:

* answered — the article cell's 2024 session on teaching capacity (one of the article's topics):
  approved, commented, every comment answered before the meeting;
* under comment — its session three weeks ahead (presented by ``dangvien``): approved and sent,
  some members have commented (one on paper, typed in by the secretary), ``duby`` has not even opened it;
* returned with remarks — next year's first session;
* being written — a session of next year whose presenter has saved a first version.

Runs after planning.demo.add_plans. Members without a demo login comment through the model directly
(the service needs a signed-in author); everything else goes through drafts.services.
"""

from datetime import timedelta

from django.utils import timezone

from drafts import services
from drafts.models import Comment, Distribution, DraftVersion, Reading, Response
from organizations.demo import ARTICLE_CELL, Demo
from planning import lifecycle
from planning import services as planning
from planning.models import AnnualPlan, Session

HOLD_YEAR = 2024
HOLD_TITLE = "Chi bộ lãnh đạo Khoa nâng cao năng lực giảng dạy của giảng viên"
COMMENT_TITLE = "Xây dựng văn hóa trường Đảng gắn với chuyển đổi số"
RETURNED_TITLE = "Văn hóa Hồ Chí Minh về học tập, lao động và làm việc"

TEXT_TEACHING = """# I. Thực trạng năng lực giảng dạy của giảng viên Khoa

Đội ngũ giảng viên của Khoa vững vàng về chính trị, nắm chắc lý luận; tuy vậy phương pháp giảng dạy ở một số học phần còn nặng về truyền thụ một chiều.

Việc giảng dạy chương trình trung cấp lý luận chính trị cho học viên Lào đặt ra yêu cầu cao về ngôn ngữ, tài liệu và cách tổ chức lớp học.

# II. Giải pháp chi bộ lãnh đạo

- Mỗi giảng viên dự giờ ít nhất bốn tiết giảng trong một học kỳ và góp ý sau khi dự giờ
- Tổ chức giờ giảng mẫu theo mô hình “Phát triển năng lực người học”
- Biên soạn tài liệu song ngữ Việt – Lào cho các học phần cốt lõi

Chi bộ giao cho chi ủy theo dõi, đánh giá việc thực hiện và báo cáo kết quả tại các kỳ sinh hoạt quý."""

TEXT_DIGITAL = """# I. Sự cần thiết

Chuyển đổi số đang làm thay đổi cách thức giảng dạy, học tập và quản lý trong nhà trường; văn hóa trường Đảng cần được giữ gìn và phát huy trong môi trường số.

Văn hóa trường Đảng thể hiện ở sự chuẩn mực trong lời nói, tác phong, ở tinh thần kỷ cương, trách nhiệm và sự gương mẫu của đội ngũ giảng viên, đảng viên.

# II. Nội dung chủ yếu

- Xây dựng quy tắc ứng xử của giảng viên, học viên trên không gian mạng
- Số hóa tài liệu, bài giảng; khai thác hiệu quả thư viện điện tử
- Ứng dụng phần mềm quản lý đào tạo, giảm giấy tờ, thủ tục

# III. Trách nhiệm của đảng viên

Mỗi đảng viên gương mẫu sử dụng mạng xã hội đúng mực, không chia sẻ thông tin chưa được kiểm chứng, tích cực đấu tranh phản bác quan điểm sai trái."""

TEXT_HCM = """# I. Văn hóa Hồ Chí Minh về học tập

Chủ tịch Hồ Chí Minh là tấm gương sáng về tinh thần tự học, học suốt đời, học ở mọi nơi, học mọi người.

Người dạy: “Học hỏi là một việc phải tiếp tục suốt đời”.

# II. Liên hệ đối với giảng viên nhà trường

Giảng viên cần thường xuyên cập nhật kiến thức lý luận và thực tiễn để nâng cao chất lượng bài giảng."""

TEXT_WASTE = """# I. Thực trạng

Trong hoạt động của nhà trường vẫn còn tình trạng sử dụng điện, nước, văn phòng phẩm chưa tiết kiệm.

# II. Giải pháp

- Thực hành tiết kiệm trong từng khoa, phòng
- Công khai, minh bạch việc sử dụng kinh phí"""


def _session(demo: Demo, year: int, title: str) -> Session:
    cell = next(c for c in demo.cells.values() if c.name == ARTICLE_CELL)
    return Session.objects.get(plan__cell=cell, plan__year=year, title=title)


def comment_by(session: Session, author_name: str, demo: Demo, anchor: str, body: str) -> Comment:
    """A comment on the distributed draft by the demo member ``author_name``, who may have no login
    account (``services.add_comment`` needs one as its actor): written straight into the table, with
    the member's first reading. The meetings demo uses it too."""
    version = services.distributed_version(session)
    assert version is not None
    Reading.objects.get_or_create(
        session=session, member=demo.members[author_name], defaults={"version": version}
    )
    return Comment.objects.create(
        session=session,
        version=version,
        current_version=version,
        anchor=anchor,
        current_anchor=anchor,
        author=demo.members[author_name],
        body=body,
    )


def _write_approve(session: Session, text: str, demo: Demo) -> None:
    services.add_version(actor=None, session=session, text=text, note="Bản dự thảo lần 1")
    services.submit_draft(actor=None, session=session)
    services.approve_draft(actor=None, session=session)


def add_drafts(demo: Demo) -> None:
    """Add the drafts demo (see the module docstring)."""
    today = demo.today
    users = demo.users

    # Answered: the 2024 session on teaching capacity, commented on and answered before its meeting.
    held = _session(demo, HOLD_YEAR, HOLD_TITLE)
    held_status = held.status
    lifecycle.load_history(Session.objects.filter(pk=held.pk), Session.Status.ASSIGNED)
    held.refresh_from_db()
    _write_approve(held, TEXT_TEACHING, demo)
    first = services.add_comment(
        actor=users["bithu"],
        session=held,
        anchor="p-3",
        body="Đề nghị nêu cụ thể những khó khăn về tài liệu khi giảng dạy cho học viên Lào.",
    )
    second = comment_by(
        held, "Phan Thị Diệu Linh", demo, "p-6", "Nên gắn giờ giảng mẫu với việc đánh giá xếp loại cuối năm."
    )
    third = services.add_comment(
        actor=users["phobithu"],
        session=held,
        anchor="",
        body="Dự thảo bám sát thực tiễn của Khoa; nhất trí cao.",
    )
    presenter = held.presenters.first()
    presenter_user = presenter.user if presenter and presenter.user else None
    for comment, decision, explanation in (
        (first, Response.Decision.ACCEPTED, "Đã bổ sung ở mục I."),
        (
            second,
            Response.Decision.PARTLY,
            "Đưa vào tiêu chí đánh giá giảng viên; việc xếp loại do chi bộ bình xét.",
        ),
        (third, Response.Decision.ACCEPTED, ""),
    ):
        Response.objects.create(
            comment=comment, decision=decision, explanation=explanation, responded_by=presenter_user
        )
    lifecycle.load_history(Session.objects.filter(pk=held.pk), held_status)
    # Past steps carry the dates they would have had.
    meeting = held.planned_date or today
    days_ago = (today - meeting).days
    Distribution.objects.filter(session=held).update(
        distributed_at=timezone.now() - timedelta(days=days_ago + 6), late=False
    )
    DraftVersion.objects.filter(session=held).update(
        created_at=timezone.now() - timedelta(days=days_ago + 12),
        approved_at=timezone.now() - timedelta(days=days_ago + 6),
    )
    Comment.objects.filter(session=held).update(created_at=timezone.now() - timedelta(days=days_ago + 3))
    Reading.objects.filter(session=held).update(first_opened_at=timezone.now() - timedelta(days=days_ago + 5))

    # Under comment: the session three weeks ahead, presented by dangvien.
    upcoming = _session(demo, today.year, COMMENT_TITLE)
    _write_approve(upcoming, TEXT_DIGITAL, demo)
    services.record_open(member=demo.members["Hoàng Thị Thu Hương"], session=upcoming)
    services.record_open(member=demo.members["Nguyễn Đình Khánh"], session=upcoming)
    asked = services.add_comment(
        actor=users["bithu"],
        session=upcoming,
        anchor="p-5",
        body="Quy tắc ứng xử cần cụ thể cho cả giảng viên và học viên các lớp trung cấp.",
    )
    services.add_comment(
        actor=users["phobithu"],
        session=upcoming,
        parent=asked,
        body="Nhất trí; có thể tham khảo quy tắc của Bộ.",
    )
    services.add_comment(
        actor=users["phobithu"],
        session=upcoming,
        anchor="p-9",
        body="Đề nghị nêu rõ trách nhiệm của chi ủy trong việc theo dõi, nhắc nhở.",
    )
    comment_by(upcoming, "Phan Thị Diệu Linh", demo, "p-3", "Nên dẫn thêm Quy định về văn hóa công vụ.")
    Reading.objects.get_or_create(
        session=upcoming,
        member=demo.members["Phan Thị Diệu Linh"],
        defaults={"version": services.distributed_version(upcoming)},
    )

    # On paper: a member without a phone handed in the printed comment sheet; the secretary typed it in.
    services.add_paper_comment(
        actor=users["bithu"],
        session=upcoming,
        member=demo.members["Tôn Nữ Minh Châu"],
        anchor="p-6",
        body="Đề nghị tổ chức tập huấn khai thác thư viện điện tử cho đảng viên lớn tuổi.",
        handed_in_on=today,
    )

    # Returned with remarks: next year's first session.
    next_plan = AnnualPlan.objects.get(cell=upcoming.cell, year=today.year + 1)
    returned = _session(demo, today.year + 1, RETURNED_TITLE)
    services.add_version(actor=None, session=returned, text=TEXT_HCM, note="Bản dự thảo lần 1")
    services.submit_draft(actor=None, session=returned)
    services.return_draft(
        actor=None,
        session=returned,
        remarks="Đề nghị bổ sung phần liên hệ với việc giảng dạy chương trình trung cấp cho học viên Lào.",
    )

    # Being written: a new session of next year whose presenter saved a first version.
    writing = planning.add_session(
        actor=None,
        plan=next_plan,
        quarter=2,
        title="Phòng, chống lãng phí trong hoạt động của nhà trường",
        month=6,
    )
    planning.assign_presenters(actor=None, session=writing, members=[demo.members["Nguyễn Hữu Phước"]])
    services.add_version(actor=None, session=writing, text=TEXT_WASTE, note="Bản nháp")
    assert DraftVersion.objects.filter(session=writing).exists()
