"""World states that several apps' tests need, built through the services as the users would.

Every builder takes the shared ``world`` (conftest.py) and brings one object of world.cell to a named
stage. All but ``regular_meeting`` start from next year's plan of world.cell (dates in the future can
still be postponed) and its session "Văn hóa Hồ Chí Minh", presented by world.member (Lê Văn Đức), so
one of them is called once per test: a second call would make a second plan for the same year.

* ``plan(world, "draft" | "submitted")``;
* ``session_at(world, stage)``: "planned", "assigned", "drafting" (one version), "two-versions",
  "submitted", "distributed" (approved and sent), "revising" (held, a final version written);
* ``regular_meeting(world, stage)``: "scheduled", "noticed", "open", "marked", "voted", "ready",
  "approved";
* ``thematic_meeting(world, stage)``: the distributed session's meeting "held" (minutes approved),
  its "final-approved" text, its "resolution-draft" or its "resolution-issued" with a task for
  world.member;
* ``issued_session`` / ``evaluated_session``: that session, ready to evaluate or evaluated;
* ``model_session(world, stage)``: the evaluated session registered as a model ("registered"),
  "approved" or "published".
"""

import io
from datetime import date, time, timedelta
from typing import Any

from django.utils import timezone

from conftest import World
from organizations.models import Member

SESSION_TITLE = "Văn hóa Hồ Chí Minh"
LESSONS = (
    "Gửi dự thảo trước một tuần\n- Phân công người chuẩn bị ý kiến liên hệ\n\n• Nghị quyết có thời hạn cụ thể"
)


def record(user: Any) -> Member:
    """The Party member record linked to a login."""
    return Member.objects.get(user=user)


def next_year() -> int:
    return timezone.localdate().year + 1


def draft_docx() -> bytes:
    """A one-paragraph Word file, as a presenter uploads it."""
    from docx import Document

    document = Document()
    document.add_paragraph("Văn hóa Hồ Chí Minh về học tập, lao động và làm việc.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- Planning ------------------------------------------------------------------------------------


def plan(world: World, status: str = "draft") -> Any:
    """Next year's plan of world.cell with one session dated 10 February, "draft" or "submitted"."""
    from planning import services as planning

    year = next_year()
    annual_plan = planning.create_plan(actor=None, cell=world.cell, year=year)
    planning.add_session(
        actor=None, plan=annual_plan, quarter=1, title=SESSION_TITLE, planned_date=date(year, 2, 10)
    )
    if status == "submitted":
        planning.submit_plan(actor=None, plan=annual_plan)
    return annual_plan


# --- Drafts --------------------------------------------------------------------------------------


def session_at(world: World, stage: str) -> Any:
    """The plan's session brought to ``stage`` (see the module's docstring)."""
    from drafts import services as drafts
    from planning import services as planning
    from planning.models import Session

    session = plan(world).sessions.get()
    if stage == "planned":
        return session
    planning.assign_presenters(actor=None, session=session, members=[record(world.member)])
    if stage == "assigned":
        return session
    drafts.add_version(actor=None, session=session, upload=("du-thao.docx", draft_docx()))
    if stage == "two-versions":
        drafts.add_version(actor=None, session=session, text="Phiên bản thứ hai của dự thảo.")
        return session
    if stage == "drafting":
        return session
    drafts.submit_draft(actor=None, session=session)
    if stage == "submitted":
        return session
    drafts.approve_draft(actor=None, session=session)
    if stage == "distributed":
        return session
    assert stage == "revising", stage
    # A shortcut past the meeting: the status its minutes would set, and no comment to answer.
    Session.objects.filter(pk=session.pk).update(status=Session.Status.REVISING)
    session.refresh_from_db()
    drafts.add_version(actor=None, session=session, text="Bản hoàn chỉnh sau buổi sinh hoạt.")
    return session


# --- Meetings ------------------------------------------------------------------------------------


def regular_meeting(world: World, stage: str) -> Any:
    """A regular monthly meeting of world.cell yesterday brought to ``stage``: "scheduled", "noticed",
    "open", "marked" (everyone present), "voted", "ready" (the minutes can be approved) or
    "approved"."""
    from meetings import services as meetings

    meeting = meetings.create_meeting(
        actor=None,
        cell=world.cell,
        kind="regular",
        date=timezone.localdate() - timedelta(days=1),
        start_time=time(7, 30),
        place="Phòng họp Khoa",
    )
    if stage == "scheduled":
        return meeting
    if stage == "noticed":
        meetings.issue_notice(actor=None, meeting=meeting)
        return meeting
    meetings.open_record(actor=None, meeting=meeting, confirmed_without_notice=True)
    if stage == "open":
        return meeting
    meetings.mark_all_present(actor=None, meeting=meeting)
    if stage == "marked":
        return meeting
    if stage == "voted":
        meetings.record_vote(actor=None, meeting=meeting, mode="counts", votes_for=3, against=0, other=0)
        return meeting
    meetings.save_field(
        actor=None, meeting=meeting, name="minutes_secretary", value=str(record(world.deputy).pk)
    )
    meetings.save_field(actor=None, meeting=meeting, name="end_time", value="09:30")
    if stage == "ready":
        return meeting
    assert stage == "approved", stage
    meetings.approve_minutes(actor=None, meeting=meeting)
    return meeting


THEMATIC_STAGES = ("held", "final-approved", "resolution-draft", "resolution-issued")


def thematic_meeting(world: World, stage: str) -> Any:
    """The thematic meeting of the distributed session, everyone present, its vote and minutes
    approved ("held"); the final text approved ("final-approved"); its resolution written
    ("resolution-draft": results "Chi bộ thống nhất nội dung chuyên đề.", one task "Xây dựng giờ giảng
    mẫu" for world.member) or issued ("resolution-issued")."""
    from drafts import services as drafts
    from meetings import services as meetings

    assert stage in THEMATIC_STAGES, stage
    session = session_at(world, "distributed")
    meeting = meetings.create_meeting(
        actor=None,
        cell=world.cell,
        kind="thematic",
        date=timezone.localdate() - timedelta(days=1),
        start_time=time(14, 0),
        place="Phòng họp Khoa",
        session=session,
    )
    meetings.open_record(actor=None, meeting=meeting, confirmed_without_notice=True)
    meetings.mark_all_present(actor=None, meeting=meeting)
    presenter = record(world.member)
    for name, value in (
        ("minutes_secretary", str(presenter.pk)),
        ("end_time", "16:00"),
        ("conclusion", "Nhất trí"),
    ):
        meetings.save_field(actor=None, meeting=meeting, name=name, value=value)
    meetings.add_speech(
        actor=None, meeting=meeting, member_id=presenter.pk, kind="presentation", summary="Trình bày"
    )
    meetings.record_vote(actor=None, meeting=meeting, mode="counts", votes_for=3, against=0, other=0)
    meetings.approve_minutes(actor=None, meeting=meeting)
    if stage == "held":
        return meeting
    session.refresh_from_db()
    drafts.add_version(actor=None, session=session, text="Bản hoàn chỉnh sau buổi sinh hoạt.")
    drafts.submit_final(actor=None, session=session)
    drafts.approve_final(actor=None, session=session)
    if stage == "final-approved":
        return meeting
    meetings.save_resolution(
        actor=None,
        meeting=meeting,
        kind="NQ",
        results="Chi bộ thống nhất nội dung chuyên đề.",
        shortcomings="",
        implementation="",
        tasks=[
            meetings.TaskInput("Xây dựng giờ giảng mẫu", [presenter.pk], session.planned_date + timedelta(30))
        ],
    )
    if stage == "resolution-issued":
        meetings.issue_resolution(actor=None, meeting=meeting)
    return meeting


# --- Evaluations and the library -----------------------------------------------------------------


def issued_session(world: World) -> Any:
    """The session held, its final text approved and its resolution issued: ready to be evaluated."""
    from planning.models import Session

    return Session.objects.get(pk=thematic_meeting(world, "resolution-issued").session_id)


def evaluate(session: Any, actor: Any = None, lessons: str = LESSONS) -> Any:
    """Evaluates ``session`` (presenter rated good, ``lessons`` learned) and returns it refreshed."""
    from evaluations.services import evaluate_session

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


def evaluated_session(world: World) -> Any:
    return evaluate(issued_session(world))


def model_session(world: World, stage: str) -> Any:
    """The evaluated session registered as a model session ("registered", note "Mô hình mẫu"), then
    "approved" by the Đảng ủy and "published" by the cell."""
    from library import services

    model = services.register_model(actor=None, session=evaluated_session(world), note="Mô hình mẫu")
    if stage == "registered":
        return model
    model = services.approve_model(actor=None, model=model)
    if stage == "approved":
        return model
    assert stage == "published", stage
    return services.publish_model(actor=None, model=model)
