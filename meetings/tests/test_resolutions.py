"""The resolution and its tasks: every task checked before anything is written, issued only after the
final text is approved and only once, numbered per term (also when issued at the same moment, on
PostgreSQL), only on a vote that passed, and its tasks followed up until done."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from core.errors import DomainError, InvalidTransition, PermissionDenied
from documents.models import IssuedDocument
from meetings import selectors, services
from meetings.models import Meeting, Resolution, ResolutionTask
from meetings.tests.helpers import (
    distributed_session,
    finalize,
    flat_text,
    hold,
    member_of,
    near_day,
    one_task,
    open_meeting,
    reload,
    save_resolution,
)
from organizations.models import Membership
from planning import services as planning
from planning.models import Session
from tests.factories import member_in


@pytest.fixture
def held(world, meeting):
    """The thematic meeting recorded and its minutes approved: the session is held."""
    hold(world, meeting)
    meeting = reload(meeting)
    assert meeting.session.status == Session.Status.HELD
    return meeting


@pytest.mark.new_year
def test_save_resolution_checks_every_task_and_writes_nothing_when_one_is_bad(world, held):
    đức, hoa = member_of(world.member), member_of(world.deputy)
    deadline = timezone.localdate() + timedelta(days=30)
    bad_tasks = [
        services.TaskInput("Xây dựng giờ giảng mẫu", [đức.pk], deadline),
        services.TaskInput("   ", [đức.pk], deadline),
        services.TaskInput("Tổ chức hội thảo", [member_of(world.other_member).pk], deadline),
        services.TaskInput("Biên soạn tài liệu", [], deadline),
        services.TaskInput("Báo cáo kết quả", [hoa.pk], None),
    ]
    with translation.override("en"), pytest.raises(DomainError) as refused:
        save_resolution(world, held, bad_tasks)
    message = str(refused.value.message)
    assert all(f"Task {n}" in message for n in (2, 3, 4, 5)) and "Task 1" not in message
    assert not Resolution.objects.filter(meeting=held).exists()
    assert not ResolutionTask.objects.exists()

    resolution = save_resolution(world, held, [bad_tasks[0]])
    assert list(resolution.tasks.values_list("description", flat=True)) == ["Xây dựng giờ giảng mẫu"]
    # A bad rewrite leaves the saved resolution as it was.
    with pytest.raises(DomainError):
        save_resolution(world, held, [services.TaskInput("Việc mới", [đức.pk], deadline), bad_tasks[4]])
    resolution.refresh_from_db()
    assert resolution.revision == 1
    assert list(resolution.tasks.values_list("description", flat=True)) == ["Xây dựng giờ giảng mẫu"]
    assert list(resolution.tasks.get().owners.all()) == [đức]


@pytest.mark.new_year
def test_a_former_member_of_the_cell_cannot_own_a_task(world, held):
    former = member_in(world.cell, full_name="Trương Văn Cũ")
    Membership.objects.filter(member=former).update(start_date=date(2018, 1, 1), end_date=date(2021, 1, 1))
    task = services.TaskInput("Việc của người đã chuyển đi", [former.pk], timezone.localdate())
    with pytest.raises(DomainError):
        save_resolution(world, held, [task])
    assert not Resolution.objects.filter(meeting=held).exists()


def test_the_resolution_is_issued_after_final_approval_and_only_once(world, held):
    session = held.session
    save_resolution(world, held, [one_task(world)])
    with pytest.raises(InvalidTransition):
        services.issue_resolution(actor=world.secretary, meeting=held)
    assert not IssuedDocument.objects.filter(doc_type="NQ").exists()

    finalize(world, session)
    with pytest.raises(PermissionDenied):
        services.issue_resolution(actor=world.member, meeting=held)
    resolution = services.issue_resolution(actor=world.secretary, meeting=held)
    assert resolution.document.symbol == "01-NQ/CB" and resolution.is_issued
    session.refresh_from_db()
    assert session.status == Session.Status.RESOLUTION_ISSUED

    with pytest.raises(InvalidTransition):
        services.issue_resolution(actor=world.secretary, meeting=held)
    with pytest.raises(InvalidTransition):
        save_resolution(world, held, [one_task(world, days=60)])
    assert IssuedDocument.objects.filter(doc_type="NQ").count() == 1
    text = flat_text(resolution.document.snapshot)
    assert "QUYẾT NGHỊ" in text and "Xây dựng giờ giảng mẫu" in text and "Lê Văn Đức" in text


def test_two_sessions_get_01_NQ_then_02_NQ(world, held):
    first_session = held.session
    second_session = distributed_session(
        world,
        first_session.plan,
        "Chi bộ lãnh đạo Khoa nâng cao năng lực giảng dạy",
        near_day(first_session, -3),
    )
    second = open_meeting(
        world, kind=Meeting.Kind.THEMATIC, session=second_session, day=second_session.planned_date
    )
    hold(world, second)
    for meeting in (held, second):
        finalize(world, reload(meeting).session)
        save_resolution(world, meeting, [one_task(world)])
    symbols = [
        services.issue_resolution(actor=world.secretary, meeting=m).document.symbol for m in (held, second)
    ]
    assert symbols == ["01-NQ/CB", "02-NQ/CB"]


@pytest.mark.new_year
def test_tasks_are_followed_up_by_their_owners_until_done(world, held):
    đức, hoa = member_of(world.member), member_of(world.deputy)
    today = timezone.localdate()
    save_resolution(
        world,
        held,
        [
            services.TaskInput("Dạy giờ giảng mẫu", [đức.pk], today + timedelta(days=30)),
            services.TaskInput("Biên soạn tài liệu tham khảo", [hoa.pk, đức.pk], today + timedelta(days=10)),
        ],
    )
    late, early = ResolutionTask.objects.order_by("position")
    # Not issued yet: nothing to follow up.
    assert list(selectors.open_tasks(world.cell.pk)) == [] and selectors.my_tasks(world.member) == []
    with pytest.raises(InvalidTransition):
        services.complete_task(actor=world.member, task=late)

    finalize(world, held.session)
    services.issue_resolution(actor=world.secretary, meeting=held)
    assert list(selectors.open_tasks(world.cell.pk)) == [early, late]
    assert selectors.my_tasks(world.member) == [early, late]
    assert selectors.my_tasks(world.deputy) == [early]
    assert list(selectors.open_tasks(world.other_cell.pk)) == []

    for outsider in (world.probationary, world.other_member):
        with pytest.raises(PermissionDenied):
            services.complete_task(actor=outsider, task=late)
    late.refresh_from_db()
    assert not late.is_done

    services.complete_task(actor=world.member, task=late, note="Đã dạy mẫu ngày 20/12")
    late.refresh_from_db()
    assert late.is_done and late.done_by == world.member and late.done_note == "Đã dạy mẫu ngày 20/12"
    with pytest.raises(InvalidTransition):
        services.complete_task(actor=world.member, task=late)
    assert list(selectors.open_tasks(world.cell.pk)) == [early]
    assert selectors.my_tasks(world.member) == [early]

    services.complete_task(actor=world.deputy, task=early)
    assert list(selectors.open_tasks(world.cell.pk)) == []
    assert selectors.my_tasks(world.member) == [] and selectors.my_tasks(world.deputy) == []


@pytest.mark.new_year
def test_the_home_and_cell_pages_list_open_tasks_with_their_owners_at_the_same_query_cost(
    client, world, held
):
    """The owners come with the tasks in the same query: a page costs as many queries with open tasks
    as without (the bench compares query counts between sizes of data)."""
    pages = [reverse("home:home"), reverse("meetings:list", args=[world.cell.pk])]
    client.force_login(world.secretary)

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    before = [queries(url) for url in pages]
    đức, hoa = member_of(world.member), member_of(world.deputy)
    secretary = member_of(world.secretary)
    deadline = timezone.localdate() + timedelta(days=10)
    save_resolution(
        world,
        held,
        [
            services.TaskInput("Biên soạn tài liệu tham khảo", [hoa.pk, secretary.pk, đức.pk], deadline),
            services.TaskInput("Dạy giờ giảng mẫu", [secretary.pk], deadline + timedelta(days=5)),
        ],
    )
    finalize(world, held.session)
    services.issue_resolution(actor=world.secretary, meeting=held)
    owners = ", ".join(sorted([hoa.full_name, secretary.full_name, đức.full_name]))
    for url, count in zip(pages, before, strict=True):
        assert queries(url) == count
        html = client.get(url).content.decode()
        assert "Biên soạn tài liệu tham khảo" in html and owners in html and "Dạy giờ giảng mẫu" in html
    mine = selectors.my_tasks(world.secretary)
    assert [t.description for t in mine] == ["Biên soạn tài liệu tham khảo", "Dạy giờ giảng mẫu"]
    assert [t.owner_names for t in mine] == [owners.split(", "), [secretary.full_name]]


@pytest.mark.new_year
def test_the_oversight_counts_a_resolution_once_issued_in_the_year_of_its_date(world, held):
    """The officers' oversight counts issued resolutions through their issued documents: under the
    cell's branch, in the year the resolution is dated, not before it is issued."""

    def counted(on_year: int) -> tuple[int, dict[str, int]]:
        figures = selectors.oversight_page(world.party, on_year)
        return figures["resolutions_total"], figures["resolutions_by_child"]

    save_resolution(world, held, [one_task(world)])
    finalize(world, held.session)
    assert counted(held.date.year) == (0, {}) and counted(timezone.localdate().year) == (0, {})
    resolution = services.issue_resolution(actor=world.secretary, meeting=held)
    year = resolution.document.issued_on.year
    branch = world.cell.path[: len(world.party.path) + 7]
    assert counted(year) == (1, {branch: 1})
    assert counted(year + 1) == (0, {}) and counted(year - 1) == (0, {})
    assert [r.pk for r in selectors.resolutions_under(world.party, year)] == [resolution.pk]


def test_a_resolution_is_not_dated_before_its_meeting(world, held):
    finalize(world, held.session)
    save_resolution(world, held, [one_task(world)])
    with pytest.raises(DomainError, match=held.date.strftime("%d/%m/%Y")) as refused:
        services.issue_resolution(
            actor=world.secretary, meeting=held, issued_on=held.date - timedelta(days=1)
        )
    assert refused.value.field == "issued_on"
    with translation.override("vi"):
        assert "Nghị quyết được ban hành từ ngày họp" in str(refused.value.message)
    assert not Resolution.objects.get(meeting=held).is_issued
    assert not IssuedDocument.objects.filter(doc_type="NQ").exists()
    assert Session.objects.get(pk=held.session_id).status == Session.Status.FINAL_APPROVED

    resolution = services.issue_resolution(actor=world.secretary, meeting=held, issued_on=held.date)
    assert resolution.document.issued_on == held.date


# --- Numbers taken at the same moment ------------------------------------------------------------

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks (SELECT … FOR UPDATE) are what is tested"
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_resolutions_of_different_sessions_issued_at_the_same_moment_get_distinct_numbers(world):
    workers = 4
    day = timezone.localdate() - timedelta(days=14)
    plan = planning.create_plan(actor=world.secretary, cell=world.cell, year=day.year)
    meetings = []
    for index in range(workers):
        session = distributed_session(
            world, plan, f"Chuyên đề số {index + 1}", day.replace(day=1) + timedelta(days=index)
        )
        meeting = open_meeting(world, kind=Meeting.Kind.THEMATIC, session=session, day=session.planned_date)
        hold(world, meeting)
        finalize(world, session)
        save_resolution(world, meeting, [one_task(world)])
        meetings.append(meeting)

    barrier = threading.Barrier(workers)
    symbols, errors = [], []

    def issue(meeting):
        try:
            barrier.wait()
            symbols.append(services.issue_resolution(actor=world.secretary, meeting=meeting).document.symbol)
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(m,)) for m in meetings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sorted(symbols) == [f"{n:02d}-NQ/CB" for n in range(1, workers + 1)]
    assert sorted(Resolution.objects.values_list("document__number", flat=True)) == list(
        range(1, workers + 1)
    )
    assert Session.objects.filter(status=Session.Status.RESOLUTION_ISSUED).count() == workers


# --- Found in review ---------------------------------------------------------------------------------


def test_a_failed_vote_cannot_become_an_issued_resolution(world, meeting):
    services.mark_all_present(actor=world.secretary, meeting=meeting)
    for name, value in (("minutes_secretary", str(member_of(world.deputy).pk)), ("end_time", "16:00")):
        services.save_field(actor=world.secretary, meeting=meeting, name=name, value=value)
    services.save_field(actor=world.secretary, meeting=meeting, name="conclusion", value="Chưa thống nhất.")
    services.add_speech(
        actor=world.secretary,
        meeting=meeting,
        member_id=member_of(world.member).pk,
        kind="presentation",
        summary="x",
    )
    result = services.record_vote(
        actor=world.secretary, meeting=meeting, mode="counts", votes_for=1, against=2, other=0
    )
    assert not result.passed
    services.approve_minutes(actor=world.secretary, meeting=meeting)
    finalize(world, Session.objects.get(pk=meeting.session_id))
    save_resolution(world, meeting, [one_task(world)])
    with pytest.raises(InvalidTransition):
        services.issue_resolution(actor=world.secretary, meeting=meeting)
    assert not Resolution.objects.get(meeting=meeting).is_issued
    assert not IssuedDocument.objects.filter(doc_type="NQ").exists()


LONG_TASK = (
    "Xây dựng giờ giảng mẫu về văn hóa Hồ Chí Minh cho học viên lớp trung cấp lý luận chính trị khóa 2026"
)


def test_the_meetings_history_names_a_long_task_in_whole_words(client, world):
    from tests import scenarios

    meeting = scenarios.thematic_meeting(world, "resolution-issued")
    task = ResolutionTask.objects.get(resolution__meeting=meeting)
    ResolutionTask.objects.filter(pk=task.pk).update(description=LONG_TASK)
    task.refresh_from_db()
    services.complete_task(actor=world.member, task=task)

    client.force_login(world.secretary)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    sentence = next(line for line in page.splitlines() if "nhiệm vụ" in line and "<time" in line)
    named = sentence.split(": ", 1)[1].split("</li>")[0]
    assert named.endswith("…") and LONG_TASK.startswith(named[:-1])
    assert LONG_TASK[len(named) - 1] == " "  # the cut falls between two words
    assert (
        str(task) == "Xây dựng giờ giảng mẫu về văn hóa Hồ Chí Minh cho học viên…"
    )  # the back office's name
