"""Who gets what: every URL of the project, asked by every persona (organizations/permissions.py).

The answers follow one rule set:

* anonymous visitors are sent to the sign-in page, except on the sign-in, password reset and
  language pages, which are public;
* what a persona may not see does not exist for them (404);
* what they may see but not change is refused (403);
* what they may do answers 200 (a page) or 302 (a change that was made).

``ROUTES`` holds one row per route (and per interesting target). A guard test walks the URL
resolver, so a named URL outside Django's admin without a row here fails the suite.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from conftest import World
from core.models import AuditEntry
from organizations.models import Exemption, Member, Membership, Position
from tests.factories import (
    CellFactory,
    ExemptionFactory,
    MembershipFactory,
    PositionFactory,
    UserFactory,
    member_in,
)

# --- The rules ---------------------------------------------------------------------------------

OK = "ok"  # 200 for a page, 302 for a change that was made
LOGIN = "login"  # redirected to the sign-in page, which brings them back afterwards
FORBIDDEN = 403
NOT_FOUND = 404

ANONYMOUS = "anonymous"
SIGNED_IN = (
    "secretary",
    "deputy",
    "member",
    "probationary",
    "other_member",
    "officer",
    "foreign_officer",
    "admin",
)
PERSONAS = (ANONYMOUS, *SIGNED_IN)


def rule(*, ok: Iterable[str], forbidden: Iterable[str] = (), anonymous: str = LOGIN) -> dict[str, Any]:
    """Expected answer per persona; every signed-in persona not named gets 404."""
    expected: dict[str, Any] = dict.fromkeys(SIGNED_IN, NOT_FOUND)
    expected.update(dict.fromkeys(ok, OK))
    expected.update(dict.fromkeys(forbidden, FORBIDDEN))
    expected[ANONYMOUS] = anonymous
    return expected


PUBLIC = rule(ok=SIGNED_IN, anonymous=OK)
ANYONE_SIGNED_IN = rule(ok=SIGNED_IN)
# world.cell and the people in it: its members see it, its secretaries and the Đảng ủy manage it.
SEES_CELL = rule(ok=("secretary", "deputy", "member", "probationary", "officer", "admin"))
MANAGES_CELL = rule(ok=("secretary", "deputy", "officer", "admin"), forbidden=("member", "probationary"))
SEES_PARTY = rule(ok=("officer", "admin"))
SEES_OTHER_CELL = rule(ok=("other_member", "officer", "admin"))
SEES_FOREIGN_CELL = rule(ok=("foreign_officer", "admin"))
# drafts: world.member presents; the secretary and deputy approve; the cell's members comment.
WRITES_DRAFT = rule(ok=("member", "admin"), forbidden=("secretary", "deputy", "probationary", "officer"))
APPROVES_DRAFT = rule(ok=("secretary", "deputy", "admin"), forbidden=("member", "probationary", "officer"))
COMMENTS_ON_DRAFT = rule(ok=("secretary", "deputy", "member", "probationary"), forbidden=("officer", "admin"))
# Only the presenter and the approvers see versions before approval (two are needed to compare).
SEES_UNAPPROVED = rule(ok=("secretary", "deputy", "member", "admin"))
OWNS_COMMENT = rule(ok=("probationary",), forbidden=("secretary", "deputy", "member", "officer", "admin"))
MANAGES_DRAFT_TRACKING = rule(
    ok=("secretary", "deputy", "admin"), forbidden=("member", "probationary", "officer")
)
ANSWERS_COMMENTS = rule(ok=("member",), forbidden=("secretary", "deputy", "probationary", "officer", "admin"))
# planning: the cell's leadership prepares the plan; the Đảng ủy above it reviews it.
PLANS_CELL = rule(ok=("secretary", "deputy", "admin"), forbidden=("member", "probationary", "officer"))
REVIEWS_PLAN = rule(ok=("officer", "admin"), forbidden=("secretary", "deputy", "member", "probationary"))
# Registering to present is for the cell's own members (not the officer or the administrator).
REGISTERS_IN_CELL = rule(ok=("secretary", "deputy", "member", "probationary"), forbidden=("officer", "admin"))
# The Đảng bộ's catalogue is read by all its cells; only members register, whatever their cell.
REGISTERS_FOR_TOPIC = rule(
    ok=("secretary", "deputy", "member", "probationary", "other_member"), forbidden=("officer", "admin")
)
# meetings: the cell's secretaries record and approve; members and the Đảng ủy read.
MANAGES_MEETING = rule(ok=("secretary", "deputy", "admin"), forbidden=("member", "probationary", "officer"))
# Until it is issued, a resolution is the secretaries' draft: nobody else sees it.
DRAFTS_RESOLUTION = rule(ok=("secretary", "deputy", "admin"))
# A task of a resolution: its owner (world.member) and the secretaries mark it done.
COMPLETES_TASK = rule(ok=("secretary", "deputy", "member", "admin"), forbidden=("probationary", "officer"))
PROPOSES_TOPIC = rule(ok=("secretary", "deputy", "member", "probationary", "admin"), forbidden=("officer",))


# --- The objects the rows point at -------------------------------------------------------------


def _plan(world: World, status: str = "draft") -> Any:
    """Next year's plan of world.cell with one dated session (dates in the future can be postponed)."""
    from planning import services as planning

    year = timezone.localdate().year + 1
    plan = planning.create_plan(actor=None, cell=world.cell, year=year)
    planning.add_session(
        actor=None, plan=plan, quarter=1, title="Văn hóa Hồ Chí Minh", planned_date=date(year, 2, 10)
    )
    if status == "submitted":
        planning.submit_plan(actor=None, plan=plan)
    return plan


def draft_plan(world: World) -> dict[str, Any]:
    return {"pk": _plan(world).pk}


def submitted_plan(world: World) -> dict[str, Any]:
    return {"pk": _plan(world, "submitted").pk}


def plan_session(world: World) -> dict[str, Any]:
    return {"pk": _plan(world).sessions.get().pk}


def pending_registration(world: World) -> dict[str, Any]:
    from planning import services as planning

    session = _plan(world).sessions.get()
    registration = planning.register(
        actor=None, member=record(world.probationary), cell=world.cell, session=session
    )
    return {"pk": registration.pk}


def catalogue_topic(world: World) -> dict[str, Any]:
    from planning import services as planning

    group = planning.ensure_topic_groups(world.party)[0]
    return {
        "pk": planning.create_topic(
            actor=None, organization=world.party, group=group, title="Văn hóa công sở"
        ).pk
    }


def topic_group(world: World) -> dict[str, Any]:
    from planning import services as planning

    return {"pk": planning.ensure_topic_groups(world.party)[0].pk}


def topic_data(world: World) -> dict[str, Any]:
    return {
        "group": topic_group(world)["pk"],
        "title": "Chuyển đổi số trong công tác đảng",
        "description": "",
    }


def _draft_session(world: World, stage: str) -> Any:
    """A session of world.cell presented by world.member, brought to ``stage``."""
    from drafts import services as drafts
    from planning import services as planning

    session = _plan(world).sessions.get()
    planning.assign_presenters(actor=None, session=session, members=[record(world.member)])
    if stage == "assigned":
        return session
    drafts.add_version(actor=None, session=session, upload=("du-thao.docx", _docx()))
    if stage == "two-versions":
        drafts.add_version(actor=None, session=session, text="Phiên bản thứ hai của dự thảo.")
        return session
    if stage == "drafting":
        return session
    drafts.submit_draft(actor=None, session=session)
    if stage == "submitted":
        return session
    drafts.approve_draft(actor=None, session=session)
    return session


def _docx() -> bytes:
    import io

    from docx import Document

    document = Document()
    document.add_paragraph("Văn hóa Hồ Chí Minh về học tập, lao động và làm việc.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def assigned_session(world: World) -> dict[str, Any]:
    return {"pk": _draft_session(world, "assigned").pk}


def drafting_session(world: World) -> dict[str, Any]:
    return {"pk": _draft_session(world, "drafting").pk}


def compared_session(world: World) -> dict[str, Any]:
    return {"pk": _draft_session(world, "two-versions").pk}


def submitted_session(world: World) -> dict[str, Any]:
    return {"pk": _draft_session(world, "submitted").pk}


def distributed_session(world: World) -> dict[str, Any]:
    return {"pk": _draft_session(world, "distributed").pk}


def revising_session(world: World) -> dict[str, Any]:
    """After the meeting, with a revised (final) version and no comment left unanswered."""
    from drafts import services as drafts
    from planning.models import Session

    session = _draft_session(world, "distributed")
    Session.objects.filter(pk=session.pk).update(status=Session.Status.REVISING)
    session.refresh_from_db()
    drafts.add_version(actor=None, session=session, text="Bản hoàn chỉnh sau buổi sinh hoạt.")
    return {"pk": session.pk}


def _meeting(world: World, stage: str) -> Any:
    """A regular monthly meeting of world.cell brought to ``stage``: scheduled, noticed, open, marked
    (everyone present), voted, ready (minutes can be approved) or approved."""
    from datetime import time, timedelta

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
    meetings.approve_minutes(actor=None, meeting=meeting)
    return meeting


def meeting_at(stage: str) -> Callable[[World], dict[str, Any]]:
    return lambda world: {"pk": _meeting(world, stage).pk}


def _thematic(world: World, stage: str) -> Any:
    """The thematic meeting of a distributed session presented by world.member, run and approved, the
    final text approved, its resolution written ("draft") or issued with a task for world.member."""
    from datetime import time, timedelta

    from drafts import services as drafts
    from meetings import services as meetings

    session = _draft_session(world, "distributed")
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
    session.refresh_from_db()
    drafts.add_version(actor=None, session=session, text="Bản hoàn chỉnh sau buổi sinh hoạt.")
    drafts.submit_final(actor=None, session=session)
    drafts.approve_final(actor=None, session=session)
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
    if stage == "issued":
        meetings.issue_resolution(actor=None, meeting=meeting)
    return meeting


def thematic_at(stage: str) -> Callable[[World], dict[str, Any]]:
    return lambda world: {"pk": _thematic(world, stage).pk}


def resolution_data(world: World) -> dict[str, Any]:
    return {
        "kind": "NQ",
        "results": "Kết quả",
        "task-TOTAL_FORMS": "1",
        "task-INITIAL_FORMS": "0",
        "task-0-description": "Nhiệm vụ",
        "task-0-owners": [record(world.member).pk],
        "task-0-deadline": date(timezone.localdate().year + 1, 6, 30).isoformat(),
    }


def open_task(world: World) -> dict[str, Any]:
    from meetings.models import ResolutionTask

    meeting = _thematic(world, "issued")
    return {"pk": ResolutionTask.objects.get(resolution__meeting=meeting).pk}


def open_meeting_speech(world: World) -> dict[str, Any]:
    from meetings import services as meetings

    meeting = _meeting(world, "open")
    speech = meetings.add_speech(
        actor=None, meeting=meeting, member_id=record(world.deputy).pk, summary="Ý kiến"
    )
    return {"pk": speech.pk}


def distributed_file(world: World) -> dict[str, Any]:
    return {**distributed_session(world), "number": 1}


def probationary_comment(world: World) -> dict[str, Any]:
    """world.probationary's comment on a distributed draft (made once per test: url and data share it)."""
    from drafts import services as drafts

    if not hasattr(world, "comment_pk"):
        session = _draft_session(world, "distributed")
        comment = drafts.add_comment(actor=world.probationary, session=session, body="Góp ý", anchor="")
        world.comment_pk = comment.pk
    return {"pk": world.comment_pk}


def probationary_comment_pk(world: World) -> int:
    return probationary_comment(world)["pk"]


def calendar_token(world: World) -> dict[str, Any]:
    from notifications.services import create_or_renew_feed

    return {"token": create_or_renew_feed(actor=world.member).token}


def own_notification(world: World) -> dict[str, Any]:
    """A notification for world.member: theirs alone to open."""
    from notifications.services import notify

    [notice] = notify(recipients=[world.member], title="Dự thảo mới", body="", url="/", email=False)
    return {"pk": notice.pk}


def dated_session(world: World) -> dict[str, Any]:
    return plan_session(world)


def later_in_plan_year(world: World) -> dict[str, Any]:
    return {"new_date": date(timezone.localdate().year + 1, 3, 3).isoformat(), "reason": "Trùng lịch"}


def record(user: Any) -> Member:
    """The Party member record linked to a login."""
    return Member.objects.get(user=user)


def today() -> str:
    return timezone.localdate().isoformat()


def cell(world: World) -> dict[str, Any]:
    return {"pk": world.cell.pk}


def cell_mate(world: World) -> dict[str, Any]:
    """Lê Văn Đức, world.member's own record: a cell-mate for everyone else in world.cell."""
    return {"pk": record(world.member).pk}


def open_exemption(world: World) -> dict[str, Any]:
    exemption = ExemptionFactory.create(member=record(world.member), start_date=date(2024, 1, 1))
    return {"pk": exemption.pk}


def cell_membership(world: World) -> dict[str, Any]:
    return {"pk": Membership.objects.get(member__user=world.member, organization=world.cell).pk}


def deputy_position(world: World) -> dict[str, Any]:
    return {"pk": Position.objects.get(member__user=world.deputy).pk}


def new_member_data(world: World) -> dict[str, Any]:
    return {
        "full_name": "Đặng Thị Thu",
        "date_of_birth": "1985-03-02",
        "gender": Member.Gender.FEMALE,
        "party_card_number": "79123456",
        "admission_date": "2010-05-19",
        "official_date": "2011-05-19",
        "status": Member.Status.FULL,
        "job_title": "Giảng viên",
        "joined_on": "2024-09-01",
    }


def member_list_upload(world: World) -> dict[str, Any]:
    rows = [
        "Họ và tên,Ngày sinh,Giới tính,Số thẻ đảng viên,Ngày vào Đảng,Ngày chính thức,Trạng thái",
        "Đặng Thị Thu,02/03/1985,Nữ,79123456,19/05/2010,19/05/2011,Chính thức",
    ]
    content = "\r\n".join([*rows, ""]).encode()
    return {"file": SimpleUploadedFile("danh-sach.csv", content, content_type="text/csv")}


def edited_record_data(world: World) -> dict[str, Any]:
    member = record(world.member)
    return {
        "full_name": member.full_name,
        "date_of_birth": member.date_of_birth.isoformat(),
        "gender": member.gender,
        "party_card_number": member.party_card_number,
        "admission_date": member.admission_date.isoformat(),
        "official_date": member.official_date.isoformat() if member.official_date else "",
        "status": member.status,
        "job_title": "Trưởng khoa",
    }


@dataclass(frozen=True)
class Route:
    """One request to make, and the answer each persona should get."""

    name: str
    target: str
    expected: dict[str, Any]
    method: str = "GET"
    kwargs: Callable[[World], dict[str, Any]] = lambda world: {}
    data: Callable[[World], dict[str, Any]] = lambda world: {}
    # A successful POST goes through a service: audit entries and one success message.
    changes_state: bool = False

    def url(self, world: World) -> str:
        return reverse(self.name, kwargs=self.kwargs(world))


ROUTES = [
    # core and the language switch
    Route("home:home", "page", ANYONE_SIGNED_IN),
    Route("set_language", "to-english", PUBLIC, "POST", data=lambda w: {"language": "en", "next": "/"}),
    # accounts
    Route("accounts:login", "page", PUBLIC),
    Route("accounts:logout", "self", ANYONE_SIGNED_IN, "POST"),
    Route("accounts:password_change", "page", ANYONE_SIGNED_IN),
    Route("accounts:password_change_done", "page", ANYONE_SIGNED_IN),
    Route("accounts:password_reset", "page", PUBLIC),
    Route("accounts:password_reset_done", "page", PUBLIC),
    Route(
        "accounts:password_reset_confirm",
        "stale-link",
        PUBLIC,
        kwargs=lambda w: {"uidb64": "MQ", "token": "stale-token"},
    ),
    Route("accounts:password_reset_complete", "page", PUBLIC),
    # organisations: listing and pages
    Route("organizations:tree", "page", ANYONE_SIGNED_IN),
    Route("organizations:detail", "cell", SEES_CELL, kwargs=cell),
    Route("organizations:detail", "other-cell", SEES_OTHER_CELL, kwargs=lambda w: {"pk": w.other_cell.pk}),
    Route(
        "organizations:detail", "foreign-cell", SEES_FOREIGN_CELL, kwargs=lambda w: {"pk": w.foreign_cell.pk}
    ),
    Route("organizations:detail", "party", SEES_PARTY, kwargs=lambda w: {"pk": w.party.pk}),
    Route("organizations:member", "cell-mate", SEES_CELL, kwargs=cell_mate),
    Route(
        "organizations:member",
        "other-cell-member",
        SEES_OTHER_CELL,
        kwargs=lambda w: {"pk": record(w.other_member).pk},
    ),
    # organisations: managing a cell
    Route("organizations:member_add", "cell", MANAGES_CELL, kwargs=cell),
    Route(
        "organizations:member_add",
        "cell",
        MANAGES_CELL,
        "POST",
        kwargs=cell,
        data=new_member_data,
        changes_state=True,
    ),
    Route("organizations:term_add", "cell", MANAGES_CELL, kwargs=cell),
    Route(
        "organizations:term_add",
        "cell",
        MANAGES_CELL,
        "POST",
        kwargs=cell,
        data=lambda w: {"name": "2030–2035", "start_date": "2030-06-02", "end_date": "2035-06-01"},
        changes_state=True,
    ),
    Route("organizations:position_add", "cell", MANAGES_CELL, kwargs=cell),
    Route(
        "organizations:position_add",
        "cell",
        MANAGES_CELL,
        "POST",
        kwargs=cell,
        data=lambda w: {
            "member": record(w.member).pk,
            "role": Position.Role.DEPUTY_SECRETARY,
            "start_date": today(),
        },
        changes_state=True,
    ),
    Route(
        "organizations:position_end",
        "deputy",
        MANAGES_CELL,
        "POST",
        kwargs=deputy_position,
        data=lambda w: {"end_date": today()},
        changes_state=True,
    ),
    Route(
        "organizations:membership_end",
        "cell-mate",
        MANAGES_CELL,
        "POST",
        kwargs=cell_membership,
        data=lambda w: {"end_date": today()},
        changes_state=True,
    ),
    Route("organizations:import", "cell", MANAGES_CELL, kwargs=cell),
    Route(
        "organizations:import",
        "cell",
        MANAGES_CELL,
        "POST",
        kwargs=cell,
        data=member_list_upload,
        changes_state=True,
    ),
    Route("organizations:import_template", "xlsx", ANYONE_SIGNED_IN, kwargs=lambda w: {"fmt": "xlsx"}),
    # organisations: managing a member's record (members may not edit even their own)
    Route("organizations:member_edit", "cell-mate", MANAGES_CELL, kwargs=cell_mate),
    Route(
        "organizations:member_edit",
        "cell-mate",
        MANAGES_CELL,
        "POST",
        kwargs=cell_mate,
        data=edited_record_data,
        changes_state=True,
    ),
    Route("organizations:exemption_add", "cell-mate", MANAGES_CELL, kwargs=cell_mate),
    Route(
        "organizations:exemption_add",
        "cell-mate",
        MANAGES_CELL,
        "POST",
        kwargs=cell_mate,
        data=lambda w: {"start_date": "2026-01-01", "reason": "Đi học nước ngoài"},
        changes_state=True,
    ),
    Route(
        "organizations:exemption_end",
        "cell-mate",
        MANAGES_CELL,
        "POST",
        kwargs=open_exemption,
        data=lambda w: {"end_date": today()},
        changes_state=True,
    ),
    # planning: plans
    Route("planning:plans", "page", ANYONE_SIGNED_IN),
    Route("planning:plan_create", "cell", PLANS_CELL, kwargs=lambda w: {"cell_pk": w.cell.pk}),
    Route(
        "planning:plan_create",
        "cell",
        PLANS_CELL,
        "POST",
        kwargs=lambda w: {"cell_pk": w.cell.pk},
        data=lambda w: {"year": timezone.localdate().year, "purpose": ""},
        changes_state=False,  # answers with a redirect to the new plan, no message
    ),
    Route("planning:plan", "cell-plan", SEES_CELL, kwargs=draft_plan),
    Route(
        "planning:plan_export", "cell-plan-pdf", SEES_CELL, kwargs=lambda w: {**draft_plan(w), "fmt": "pdf"}
    ),
    Route("planning:session_add", "cell-plan", PLANS_CELL, kwargs=draft_plan),
    Route(
        "planning:session_add",
        "cell-plan",
        PLANS_CELL,
        "POST",
        kwargs=draft_plan,
        data=lambda w: {"quarter": 2, "title": "Phòng, chống lãng phí"},
        changes_state=True,
    ),
    Route("planning:plan_submit", "cell-plan", PLANS_CELL, "POST", kwargs=draft_plan, changes_state=True),
    Route(
        "planning:plan_acknowledge",
        "cell-plan",
        REVIEWS_PLAN,
        "POST",
        kwargs=submitted_plan,
        changes_state=True,
    ),
    Route(
        "planning:plan_return",
        "cell-plan",
        REVIEWS_PLAN,
        "POST",
        kwargs=submitted_plan,
        data=lambda w: {"remarks": "Bổ sung chuyên đề quý III"},
        changes_state=True,
    ),
    # planning: sessions
    Route("planning:session", "cell-session", SEES_CELL, kwargs=plan_session),
    Route("planning:session_edit", "cell-session", PLANS_CELL, kwargs=plan_session),
    Route(
        "planning:session_edit",
        "cell-session",
        PLANS_CELL,
        "POST",
        kwargs=plan_session,
        data=lambda w: {"title": "Văn hóa Hồ Chí Minh về học tập", "quarter": 1},
        changes_state=True,
    ),
    Route(
        "planning:session_remove", "cell-session", PLANS_CELL, "POST", kwargs=plan_session, changes_state=True
    ),
    Route(
        "planning:session_presenters",
        "cell-session",
        PLANS_CELL,
        "POST",
        kwargs=plan_session,
        data=lambda w: {"members": [record(w.member).pk]},
        changes_state=True,
    ),
    Route(
        "planning:session_postpone",
        "cell-session",
        PLANS_CELL,
        "POST",
        kwargs=plan_session,
        data=later_in_plan_year,
        changes_state=True,
    ),
    Route(
        "planning:session_cancel",
        "cell-session",
        PLANS_CELL,
        "POST",
        kwargs=plan_session,
        data=lambda w: {"reason": "Chi bộ sáp nhập"},
        changes_state=True,
    ),
    Route("planning:session_register", "cell-session", REGISTERS_IN_CELL, kwargs=plan_session),
    Route(
        "planning:session_register",
        "cell-session",
        REGISTERS_IN_CELL,
        "POST",
        kwargs=plan_session,
        data=lambda w: {"note": "Xin được chuẩn bị"},
        changes_state=True,
    ),
    Route("planning:registration_accept", "cell", PLANS_CELL, kwargs=pending_registration),
    Route(
        "planning:registration_accept",
        "cell",
        PLANS_CELL,
        "POST",
        kwargs=pending_registration,
        changes_state=True,
    ),
    Route("planning:registration_decline", "cell", PLANS_CELL, kwargs=pending_registration),
    Route(
        "planning:registration_decline",
        "cell",
        PLANS_CELL,
        "POST",
        kwargs=pending_registration,
        data=lambda w: {"reason": "Đã phân công đồng chí khác"},
        changes_state=True,
    ),
    # planning: catalogue, orientation, oversight
    Route("planning:topics", "page", ANYONE_SIGNED_IN),
    Route("planning:topic_register", "party-topic", REGISTERS_FOR_TOPIC, kwargs=catalogue_topic),
    Route(
        "planning:topic_register",
        "party-topic",
        REGISTERS_FOR_TOPIC,
        "POST",
        kwargs=catalogue_topic,
        data=lambda w: {"note": ""},
        changes_state=True,
    ),
    Route("planning:topic_propose", "cell", PROPOSES_TOPIC, kwargs=lambda w: {"cell_pk": w.cell.pk}),
    Route(
        "planning:topic_propose",
        "cell",
        PROPOSES_TOPIC,
        "POST",
        kwargs=lambda w: {"cell_pk": w.cell.pk},
        data=topic_data,
        changes_state=True,
    ),
    Route("planning:catalogue_topic_add", "party", SEES_PARTY, kwargs=lambda w: {"party_pk": w.party.pk}),
    Route(
        "planning:catalogue_topic_add",
        "party",
        SEES_PARTY,
        "POST",
        kwargs=lambda w: {"party_pk": w.party.pk},
        data=topic_data,
        changes_state=True,
    ),
    Route("planning:topic_group_edit", "party-group", SEES_PARTY, kwargs=topic_group),
    Route(
        "planning:topic_group_edit",
        "party-group",
        SEES_PARTY,
        "POST",
        kwargs=topic_group,
        data=lambda w: {
            "name": "Học tập và làm theo Bác",
            "keywords": "Hồ Chí Minh",
            "order": 1,
            "is_active": "on",
        },
        changes_state=True,
    ),
    Route(
        "planning:orientation", "party", SEES_PARTY, kwargs=lambda w: {"party_pk": w.party.pk, "year": 2027}
    ),
    Route(
        "planning:orientation",
        "party",
        SEES_PARTY,
        "POST",
        kwargs=lambda w: {"party_pk": w.party.pk, "year": 2027},
        data=lambda w: {"plans_due": "2027-01-31", "note": ""},
        changes_state=True,
    ),
    Route("planning:oversight", "party", SEES_PARTY, kwargs=lambda w: {"party_pk": w.party.pk}),
    # drafts: writing, approval, reading, comments, responses
    Route("drafts:workspace", "cell-session", SEES_CELL, kwargs=distributed_session),
    Route("drafts:read", "distributed", SEES_CELL, kwargs=distributed_session),
    Route("drafts:version_file", "distributed-v1", SEES_CELL, kwargs=distributed_file),
    Route("drafts:compare", "two-unapproved", SEES_UNAPPROVED, kwargs=compared_session),
    Route("drafts:write", "assigned", WRITES_DRAFT, kwargs=assigned_session),
    Route(
        "drafts:write",
        "assigned",
        WRITES_DRAFT,
        "POST",
        kwargs=assigned_session,
        data=lambda w: {"text": "Dự thảo viết trực tiếp.", "note": "", "expected_version": 0},
        changes_state=True,
    ),
    Route(
        "drafts:upload",
        "assigned",
        WRITES_DRAFT,
        "POST",
        kwargs=assigned_session,
        data=lambda w: {"file": SimpleUploadedFile("du-thao.docx", _docx()), "expected_version": 0},
        changes_state=True,
    ),
    Route(
        "drafts:submit",
        "drafting",
        WRITES_DRAFT,
        "POST",
        kwargs=drafting_session,
        data=lambda w: {"expected_version": 1},
        changes_state=True,
    ),
    Route(
        "drafts:submit_final",
        "revising",
        WRITES_DRAFT,
        "POST",
        kwargs=revising_session,
        data=lambda w: {"expected_version": 2},
        changes_state=True,
    ),
    Route(
        "drafts:approve",
        "submitted",
        APPROVES_DRAFT,
        "POST",
        kwargs=submitted_session,
        data=lambda w: {"expected_version": 1},
        changes_state=True,
    ),
    Route(
        "drafts:return",
        "submitted",
        APPROVES_DRAFT,
        "POST",
        kwargs=submitted_session,
        data=lambda w: {"remarks": "Bổ sung số liệu", "expected_version": 1},
        changes_state=True,
    ),
    Route(
        "drafts:remind",
        "distributed",
        MANAGES_DRAFT_TRACKING,
        "POST",
        kwargs=distributed_session,
        changes_state=True,
    ),
    Route(
        "drafts:comment_add",
        "distributed",
        COMMENTS_ON_DRAFT,
        "POST",
        kwargs=distributed_session,
        data=lambda w: {"body": "Nên bổ sung ví dụ thực tiễn.", "anchor": ""},
        changes_state=True,
    ),
    Route("drafts:responses", "distributed", SEES_CELL, kwargs=distributed_session),
    Route(
        "drafts:responses_export",
        "distributed-docx",
        SEES_CELL,
        kwargs=lambda w: {**distributed_session(w), "fmt": "docx"},
    ),
    Route("drafts:comment_edit", "probationary-comment", OWNS_COMMENT, kwargs=probationary_comment),
    Route(
        "drafts:comment_edit",
        "probationary-comment",
        OWNS_COMMENT,
        "POST",
        kwargs=probationary_comment,
        data=lambda w: {"body": "Góp ý đã sửa"},
        changes_state=True,
    ),
    Route(
        "drafts:comment_delete",
        "probationary-comment",
        OWNS_COMMENT,
        "POST",
        kwargs=probationary_comment,
        changes_state=True,
    ),
    Route(
        "drafts:respond",
        "probationary-comment",
        ANSWERS_COMMENTS,
        "POST",
        kwargs=probationary_comment,
        data=lambda w: {f"c{probationary_comment_pk(w)}-decision": "accepted"},
        changes_state=True,
    ),
    # meetings
    Route("meetings:list", "cell", SEES_CELL, kwargs=lambda w: {"cell_pk": w.cell.pk}),
    Route("meetings:create", "cell", MANAGES_MEETING, kwargs=lambda w: {"cell_pk": w.cell.pk}),
    Route(
        "meetings:create",
        "cell",
        MANAGES_MEETING,
        "POST",
        kwargs=lambda w: {"cell_pk": w.cell.pk},
        data=lambda w: {"kind": "regular", "date": today(), "start_time": "07:30", "place": "Phòng họp"},
        changes_state=True,
    ),
    Route("meetings:detail", "scheduled", SEES_CELL, kwargs=meeting_at("scheduled")),
    Route("meetings:detail", "approved", SEES_CELL, kwargs=meeting_at("approved")),
    Route(
        "meetings:notice_issue",
        "scheduled",
        MANAGES_MEETING,
        "POST",
        kwargs=meeting_at("scheduled"),
        changes_state=True,
    ),
    Route(
        "meetings:notice_file",
        "issued",
        SEES_CELL,
        kwargs=lambda w: {**meeting_at("noticed")(w), "fmt": "docx"},
    ),
    Route(
        "meetings:notice_file",
        "preview",
        MANAGES_MEETING,
        kwargs=lambda w: {**meeting_at("scheduled")(w), "fmt": "docx"},
    ),
    Route(
        "meetings:open",
        "scheduled",
        MANAGES_MEETING,
        "POST",
        kwargs=meeting_at("scheduled"),
        data=lambda w: {"confirmed_without_notice": "on"},
        changes_state=True,
    ),
    Route("meetings:record", "open", MANAGES_MEETING, kwargs=meeting_at("open")),
    Route(
        "meetings:save_field",
        "open",
        MANAGES_MEETING,
        "POST",
        kwargs=meeting_at("open"),
        data=lambda w: {"guests": "Đ/c Hà"},
    ),
    Route(
        "meetings:attendance",
        "open",
        MANAGES_MEETING,
        "POST",
        kwargs=meeting_at("open"),
        data=lambda w: {f"status-{record(w.member).pk}": "present"},
    ),
    Route(
        "meetings:all_present", "open", MANAGES_MEETING, "POST", kwargs=meeting_at("open"), changes_state=True
    ),
    Route(
        "meetings:speech_add",
        "open",
        MANAGES_MEETING,
        "POST",
        kwargs=meeting_at("open"),
        data=lambda w: {"member": record(w.deputy).pk, "kind": "speech", "summary": "Nhất trí"},
    ),
    Route("meetings:speech_delete", "open", MANAGES_MEETING, "POST", kwargs=open_meeting_speech),
    Route(
        "meetings:vote",
        "marked",
        MANAGES_MEETING,
        "POST",
        kwargs=meeting_at("marked"),
        data=lambda w: {"mode": "counts", "votes_for": 3, "against": 0, "other": 0},
        changes_state=True,
    ),
    Route(
        "meetings:vote_clear",
        "voted",
        MANAGES_MEETING,
        "POST",
        kwargs=meeting_at("voted"),
        changes_state=True,
    ),
    Route(
        "meetings:quality",
        "open",
        MANAGES_MEETING,
        "POST",
        kwargs=meeting_at("open"),
        data=lambda w: {"score-attendance": 20, "score-duration": 10},
    ),
    Route(
        "meetings:minutes_approve",
        "ready",
        MANAGES_MEETING,
        "POST",
        kwargs=meeting_at("ready"),
        changes_state=True,
    ),
    Route(
        "meetings:minutes_correct",
        "approved",
        MANAGES_MEETING,
        "POST",
        kwargs=meeting_at("approved"),
        data=lambda w: {"reason": "Sai giờ kết thúc"},
        changes_state=True,
    ),
    Route(
        "meetings:minutes_file",
        "approved",
        SEES_CELL,
        kwargs=lambda w: {**meeting_at("approved")(w), "fmt": "docx"},
    ),
    Route("meetings:resolution", "draft", DRAFTS_RESOLUTION, kwargs=thematic_at("draft")),
    Route("meetings:resolution", "issued", SEES_CELL, kwargs=thematic_at("issued")),
    Route(
        "meetings:resolution",
        "draft",
        DRAFTS_RESOLUTION,
        "POST",
        kwargs=thematic_at("draft"),
        data=resolution_data,
        changes_state=True,
    ),
    Route(
        "meetings:resolution_issue",
        "draft",
        MANAGES_MEETING,
        "POST",
        kwargs=thematic_at("draft"),
        changes_state=True,
    ),
    Route(
        "meetings:resolution_file",
        "issued",
        SEES_CELL,
        kwargs=lambda w: {**thematic_at("issued")(w), "fmt": "docx"},
    ),
    Route(
        "meetings:task_done",
        "member-task",
        COMPLETES_TASK,
        "POST",
        kwargs=open_task,
        data=lambda w: {"note": "Đã thực hiện"},
        changes_state=True,
    ),
    # notifications: calendars
    Route("notifications:calendar", "page", ANYONE_SIGNED_IN),
    Route("notifications:calendar_renew", "self", ANYONE_SIGNED_IN, "POST", changes_state=True),
    Route("notifications:calendar_revoke", "self", ANYONE_SIGNED_IN, "POST"),
    # the feed's secret token is its credential: calendar apps do not sign in
    Route("notifications:feed", "token", PUBLIC, kwargs=calendar_token),
    Route("notifications:session_ics", "cell-session", SEES_CELL, kwargs=dated_session),
    # notifications: everyone has their own; opening one marks it read and redirects to its page
    Route("notifications:list", "self", ANYONE_SIGNED_IN),
    Route("notifications:read_all", "self", ANYONE_SIGNED_IN, "POST"),
    Route("notifications:open", "members-own", {**rule(ok=()), "member": 302}, kwargs=own_notification),
]


def _app_routes() -> list[Route]:
    """Rows kept next to the apps that own the URLs (``<app>/tests/routes.py``, a list ``ROUTES``);
    those modules import ``Route``, the rules and the fixtures above from this module."""
    import importlib

    rows: list[Route] = []
    for app in ("evaluations", "reports", "library", "search"):
        try:
            module = importlib.import_module(f"{app}.tests.routes")
        except ModuleNotFoundError as error:
            if error.name != f"{app}.tests.routes":
                raise
            continue
        rows.extend(module.ROUTES)
    return rows


ROUTES += _app_routes()


def _expected_label(route: Route, expected: Any) -> str:
    if expected == OK:
        return "200" if route.method == "GET" else "302"
    return str(expected)


CASES = [
    pytest.param(
        route,
        persona,
        id=f"{route.name.split(':')[-1]}-{route.target}-{route.method}-{persona}-"
        f"{_expected_label(route, route.expected[persona])}",
    )
    for route in ROUTES
    for persona in PERSONAS
]


def sign_in_as(client: Any, world: World, persona: str) -> None:
    if persona != ANONYMOUS:
        client.force_login(world.persona(persona))


# --- Every route, every persona ----------------------------------------------------------------


@pytest.mark.parametrize(("route", "persona"), CASES)
def test_each_persona_gets_the_answer_the_rules_give(client, world, route, persona):
    expected = route.expected[persona]
    url = route.url(world)
    sign_in_as(client, world, persona)
    audit_before = AuditEntry.objects.count()

    response = client.post(url, route.data(world)) if route.method == "POST" else client.get(url)

    if expected == LOGIN:
        assert response.status_code == 302
        location = urlsplit(response["Location"])
        assert location.path == reverse("accounts:login")
        assert parse_qs(location.query)["next"] == [url]
    elif expected == OK and route.method == "GET":
        assert response.status_code == 200
    elif expected == OK:
        assert response.status_code == 302
        if route.changes_state:
            queued = [(m.level, str(m)) for m in get_messages(response.wsgi_request)]
            assert [level for level, _ in queued] == [messages.SUCCESS], queued
            assert AuditEntry.objects.count() > audit_before
    else:
        assert response.status_code == expected
    if expected != OK:
        assert AuditEntry.objects.count() == audit_before, "a refused request must change nothing"


def _named_urls(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, str]]:
    """(namespace, qualified name) of every named URL under ``patterns``."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            yield from _named_urls(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace, f"{namespace}:{pattern.name}" if namespace else pattern.name


def _guarded_urls() -> dict[str, set[str]]:
    """Every named URL of the project by namespace, except Django's own admin."""
    guarded: dict[str, set[str]] = {}
    for namespace, name in _named_urls(get_resolver().url_patterns):
        if namespace.split(":")[0] != "admin":
            guarded.setdefault(namespace, set()).add(name)
    return guarded


GUARDED_URLS = _guarded_urls()


def test_the_guard_sees_the_urls_of_our_apps():
    assert {"", "home", "accounts", "organizations"} <= set(GUARDED_URLS)
    assert "set_language" in GUARDED_URLS[""]


@pytest.mark.parametrize("namespace", sorted(GUARDED_URLS), ids=lambda namespace: namespace or "root")
def test_every_named_url_has_a_permission_row(namespace):
    missing = GUARDED_URLS[namespace] - {route.name for route in ROUTES}
    assert not missing, f"add a row to ROUTES in tests/test_permissions.py for: {sorted(missing)}"


BACK_OFFICE = ("admin:index", "admin:organizations_member_changelist")


@pytest.mark.parametrize("page", BACK_OFFICE)
@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "admin"])
def test_the_back_office_sends_everyone_but_staff_to_its_sign_in(client, world, persona, page):
    sign_in_as(client, world, persona)
    response = client.get(reverse(page))
    assert response.status_code == 302
    # LoginRequiredMiddleware may answer for the admin before the admin's own check does.
    sign_in_pages = {reverse("admin:login")} | (
        {reverse("accounts:login")} if persona == ANONYMOUS else set()
    )
    assert urlsplit(response["Location"]).path in sign_in_pages


@pytest.mark.parametrize("page", BACK_OFFICE)
def test_the_back_office_opens_for_the_administrator(client, world, page):
    client.force_login(world.admin)
    assert client.get(reverse(page)).status_code == 200


# --- Private data on the member profile --------------------------------------------------------


@pytest.fixture
def private_data(world: World) -> dict[str, Member]:
    """Give the deputy (Trần Thị Hoa) and world.member (Lê Văn Đức) a phone and an e-mail."""
    Member.objects.filter(user=world.deputy).update(phone="0905 111 222", email="hoa.tt@truongchinhtri.vn")
    Member.objects.filter(user=world.member).update(phone="0905 333 444", email="duc.lv@truongchinhtri.vn")
    return {"deputy": record(world.deputy), "member": record(world.member)}


def private_values(member: Member) -> list[str]:
    return [
        member.date_of_birth.strftime("%d/%m/%Y"),
        member.party_card_number,
        member.phone,
        member.email,
    ]


@pytest.mark.parametrize(
    ("viewer", "subject", "shown"),
    [
        pytest.param("member", "deputy", False, id="member-does-not-see-a-cell-mates-private-data"),
        pytest.param(
            "probationary", "deputy", False, id="probationary-does-not-see-a-cell-mates-private-data"
        ),
        pytest.param("member", "member", True, id="member-sees-their-own-private-data"),
        pytest.param("deputy", "deputy", True, id="deputy-sees-their-own-private-data"),
        pytest.param("secretary", "deputy", True, id="secretary-sees-a-cell-members-private-data"),
        pytest.param("secretary", "member", True, id="secretary-sees-another-cell-members-private-data"),
        pytest.param("officer", "deputy", True, id="dang-uy-officer-sees-private-data-in-their-cells"),
        pytest.param("admin", "member", True, id="admin-sees-private-data"),
    ],
)
def test_private_fields_on_the_member_profile(client, world, private_data, viewer, subject, shown):
    member = private_data[subject]
    client.force_login(world.persona(viewer))
    response = client.get(reverse("organizations:member", args=[member.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert member.full_name in page
    for value in private_values(member):
        assert (value in page) is shown, value


# --- Listings never leak -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "listed", "not_listed"),
    [
        pytest.param("member", ["cell"], ["party", "other_cell", "foreign_cell", "other_party"], id="member"),
        pytest.param(
            "secretary", ["cell"], ["party", "other_cell", "foreign_cell", "other_party"], id="secretary"
        ),
        pytest.param("other_member", ["other_cell"], ["party", "cell", "foreign_cell"], id="other-member"),
        pytest.param(
            "officer", ["party", "cell", "other_cell"], ["other_party", "foreign_cell"], id="officer"
        ),
        pytest.param(
            "foreign_officer",
            ["other_party", "foreign_cell"],
            ["party", "cell", "other_cell"],
            id="foreign-officer",
        ),
        pytest.param("admin", ["party", "cell", "other_cell", "other_party", "foreign_cell"], [], id="admin"),
    ],
)
def test_organisation_tree_lists_only_what_the_reader_may_open(client, world, persona, listed, not_listed):
    client.force_login(world.persona(persona))
    response = client.get(reverse("organizations:tree"))
    assert response.status_code == 200
    page = response.content.decode()
    for org in listed:
        assert getattr(world, org).name in page, org
    for org in not_listed:
        assert getattr(world, org).name not in page, org


def test_an_account_linked_to_no_member_sees_an_empty_tree(client, world):
    client.force_login(UserFactory.create(username="nguoingoai"))
    response = client.get(reverse("organizations:tree"))
    assert response.status_code == 200
    page = response.content.decode()
    for org in (world.party, world.cell, world.other_cell, world.other_party, world.foreign_cell):
        assert org.name not in page


def test_the_cell_page_lists_only_the_cells_own_members(client, world):
    client.force_login(world.officer)
    page = client.get(reverse("organizations:detail", args=[world.cell.pk])).content.decode()
    for name in ("Nguyễn Văn Bình", "Trần Thị Hoa", "Lê Văn Đức", "Phạm Thị Mai"):
        assert name in page
    assert "Võ Văn Khánh" not in page  # other_cell
    assert "Hồ Thị Lan" not in page  # foreign_cell


def test_the_party_page_lists_its_cells_for_the_officer(client, world):
    client.force_login(world.officer)
    page = client.get(reverse("organizations:detail", args=[world.party.pk])).content.decode()
    assert world.cell.name in page
    assert world.other_cell.name in page
    assert world.foreign_cell.name not in page


def test_the_home_page_of_a_member_shows_their_cell_only(client, world):
    client.force_login(world.member)
    page = client.get(reverse("home:home")).content.decode()
    assert world.cell.name in page
    assert world.other_cell.name not in page
    assert world.foreign_cell.name not in page


# --- Query counts ------------------------------------------------------------------------------


def _queries_for(client: Any, url: str) -> list[str]:
    """The SQL of one GET, copied at once: the next request clears the connection's query log."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    queries = [query["sql"] for query in captured.captured_queries]
    assert queries, "nothing was captured"
    return queries


def _both(few: list[str], many: list[str]) -> str:
    return "\n".join(["with few:", *few, "with many:", *many])


def test_cell_page_makes_as_many_queries_with_40_extra_members_as_with_5(client, world):
    term = world.cell.terms.get()

    def add_members(count: int) -> None:
        for index in range(count):
            member = member_in(world.cell)
            ExemptionFactory(member=member)
            if index % 2:
                PositionFactory(term=term, member=member, role=Position.Role.COMMITTEE_MEMBER)
            else:
                MembershipFactory(
                    member=member, organization=world.other_cell, kind=Membership.Kind.TEMPORARY
                )

    client.force_login(world.secretary)
    url = reverse("organizations:detail", args=[world.cell.pk])
    add_members(5)
    client.get(url)  # fill the process-wide caches (content types) before counting
    with_5 = _queries_for(client, url)
    add_members(35)
    with_40 = _queries_for(client, url)

    page = client.get(url).content.decode()
    assert page.count('class="person"') == 4 + 40
    assert Exemption.objects.filter(member__memberships__organization=world.cell).count() == 40
    assert len(with_5) == len(with_40), _both(with_5, with_40)


def test_organisation_tree_makes_as_many_queries_for_40_cells_as_for_5(client, world):
    def add_cells(count: int) -> None:
        for _ in range(count):
            member_in(CellFactory.create(parent=world.party))

    client.force_login(world.officer)
    url = reverse("organizations:tree")
    add_cells(5)
    client.get(url)
    with_5 = _queries_for(client, url)
    add_cells(35)
    with_40 = _queries_for(client, url)
    assert client.get(url).content.decode().count('class="node"') == 1 + 2 + 40  # Đảng bộ and cells
    assert len(with_5) == len(with_40), _both(with_5, with_40)


def test_party_page_makes_as_many_queries_for_40_cells_as_for_5(client, world):
    client.force_login(world.officer)
    url = reverse("organizations:detail", args=[world.party.pk])

    def add_cells(count: int) -> None:
        for _ in range(count):
            member_in(CellFactory.create(parent=world.party))

    add_cells(5)
    client.get(url)
    with_5 = _queries_for(client, url)
    add_cells(35)
    with_40 = _queries_for(client, url)
    assert client.get(url).content.decode().count("<tr>") == 1 + 2 + 40  # header, world's cells, new
    assert len(with_5) == len(with_40), _both(with_5, with_40)
