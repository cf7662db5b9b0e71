"""The notifications that ask for a step and the work queue "Cần đồng chí xử lý" are one source: each such
notification carries the step's key (core.workkeys), which is in its recipient's queue when it is sent;
once the step is done, the notification list says so and the bell no longer counts it."""

from datetime import time, timedelta

from django.urls import reverse
from django.utils import timezone

from drafts import services as drafts
from home.work import open_keys
from meetings import services as meetings
from notifications.models import Notification
from planning import services as planning
from tests import scenarios
from tests.scenarios import record


def asked_since(last: int) -> list[Notification]:
    return list(Notification.objects.filter(pk__gt=last).exclude(work_key="").select_related("recipient"))


def newest() -> int:
    return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_every_notification_asking_for_a_step_finds_it_in_the_recipients_queue(world):
    """Walk the whole cycle; after each step, what it asked of anyone is in their work queue."""
    presenter = record(world.member)
    plan = scenarios.plan(world)
    session = plan.sessions.get()
    meeting = None
    last = newest()
    asked: dict[str, set[str]] = {}

    def step(name, action):
        nonlocal last
        action()
        found = asked_since(last)
        for notification in found:
            keys = open_keys(notification.recipient)
            assert notification.work_key in keys, (name, notification.title, notification.work_key, keys)
        asked[name] = {n.work_key.split(":")[0] + ":" + n.work_key.split(":")[-1] for n in found}
        last = newest()

    step("submit plan", lambda: planning.submit_plan(actor=None, plan=plan))
    step("assign", lambda: planning.assign_presenters(actor=None, session=session, members=[presenter]))
    drafts.add_version(actor=None, session=session, upload=("du-thao.docx", scenarios.draft_docx()))
    step("submit draft", lambda: drafts.submit_draft(actor=None, session=session))
    step("return draft", lambda: drafts.return_draft(actor=None, session=session, remarks="Bổ sung số liệu."))
    drafts.add_version(actor=None, session=session, text="Dự thảo đã bổ sung số liệu.")
    step("submit again", lambda: drafts.submit_draft(actor=None, session=session))
    step("distribute", lambda: drafts.approve_draft(actor=None, session=session))

    def hold():
        nonlocal meeting
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

    step("hold", hold)
    session.refresh_from_db()
    drafts.add_version(actor=None, session=session, text="Bản hoàn chỉnh sau buổi sinh hoạt.")
    step("submit final", lambda: drafts.submit_final(actor=None, session=session))
    step("return final", lambda: drafts.return_final(actor=None, session=session, remarks="Sửa mục II."))
    drafts.add_version(actor=None, session=session, text="Bản hoàn chỉnh, đã sửa mục II.")
    step("submit final again", lambda: drafts.submit_final(actor=None, session=session))
    step("approve final", lambda: drafts.approve_final(actor=None, session=session))
    meetings.save_resolution(
        actor=None,
        meeting=meeting,
        kind="NQ",
        results="Chi bộ thống nhất nội dung chuyên đề.",
        shortcomings="",
        implementation="",
        tasks=[
            meetings.TaskInput("Xây dựng giờ giảng mẫu", [presenter.pk], timezone.localdate() + timedelta(30))
        ],
    )
    step("issue resolution", lambda: meetings.issue_resolution(actor=None, meeting=meeting))

    # Each step that hands work to someone said so in a notification carrying the step's key.
    assert asked == {
        "submit plan": {"plan:acknowledge"},
        "assign": {"session:write"},
        "submit draft": {"session:approve_draft"},
        "return draft": {"session:write"},
        "submit again": {"session:approve_draft"},
        "distribute": {"session:comment"},
        "hold": {"session:revise"},
        "submit final": {"session:approve_final"},
        "return final": {"session:revise"},
        "submit final again": {"session:approve_final"},
        "approve final": set(),  # the presenter is told, nothing is asked
        "issue resolution": {"task:done"},
    }


def test_a_step_done_shows_its_notification_as_dealt_with_and_leaves_the_bell(client, world):
    session = scenarios.session_at(world, "submitted")
    asked = Notification.objects.get(recipient=world.secretary, work_key__endswith=":approve_draft")
    client.force_login(world.secretary)

    def inbox() -> tuple[str, int]:
        html = client.get(reverse("notifications:list")).content.decode()
        item = html.split(f'href="{reverse("notifications:open", args=[asked.pk])}"', 1)[1].split("</li>", 1)[
            0
        ]
        bell = html.split('class="bell-count">', 1)
        return item, int(bell[1].split("<", 1)[0]) if len(bell) > 1 else 0

    item, bell = inbox()
    assert "Cần đồng chí xử lý" in item and "Đã xử lý" not in item
    unread = Notification.objects.filter(recipient=world.secretary, read_at__isnull=True)
    assert bell == unread.count() >= 1
    before = newest()
    drafts.approve_draft(actor=None, session=session)
    new = unread.filter(pk__gt=before).count()  # the draft for study, sent to her as to every member
    assert new == 1

    item, bell_after = inbox()
    assert "Đã xử lý" in item and "Cần đồng chí xử lý" not in item
    asked.refresh_from_db()
    assert asked.read_at is None  # still unread, but nothing left to do: the bell no longer counts it
    assert bell_after == bell - 1 + new
