"""The frame of every page (the user's scope, the work queue, the bell) cached across requests in the
shared cache (settings.FRAME_CACHE, core.versions): a second request reads it without a query, and
whatever a person does shows on the next page — the queue never offers a step already taken.

Every test runs with the cache on, in local memory, emptied before each test. The work-queue tests of
test_work_queue.py and test_work_notifications.py are imported at the bottom and run again here with
the cache on: the queue must say the same thing cached or not.
"""

from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse

from drafts import services as drafts
from home.work import cache_key, work_for
from meetings import services as meetings
from meetings.models import ResolutionTask
from notifications.models import Notification
from notifications.services import pending
from organizations.models import Membership
from organizations.permissions import scope_for
from planning import services as planning
from tests import scenarios


@pytest.fixture(autouse=True)
def frame_cache(settings):
    settings.FRAME_CACHE = True
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "frame-tests"}
    }
    cache.clear()
    yield
    cache.clear()


def fresh(user):
    """The user as the next request loads it (nothing remembered on the object)."""
    return type(user).objects.get(pk=user.pk)


def keys(user) -> set[str]:
    return {item.key for item in work_for(fresh(user))}


def test_the_next_request_reads_the_queue_and_the_scope_without_a_query(world, django_assert_num_queries):
    session = scenarios.session_at(world, "submitted")
    first = keys(world.secretary)
    assert f"session:{session.pk}:approve_draft" in first
    user = fresh(world.secretary)
    with django_assert_num_queries(0):
        assert {item.key for item in work_for(user)} == first
        assert world.cell.pk in scope_for(user).managed_cell_ids


def test_approving_a_draft_moves_the_step_from_the_approver_to_the_readers_at_once(world):
    session = scenarios.session_at(world, "submitted")
    approve, comment = f"session:{session.pk}:approve_draft", f"session:{session.pk}:comment"
    assert approve in keys(world.secretary)
    assert comment not in keys(world.probationary)  # both queues cached now

    drafts.approve_draft(actor=world.secretary, session=session)

    assert approve not in keys(world.secretary)
    assert comment in keys(world.probationary)


def test_a_comment_takes_the_draft_off_its_readers_queue(world):
    session = scenarios.session_at(world, "distributed")
    comment = f"session:{session.pk}:comment"
    assert comment in keys(world.probationary)
    drafts.add_comment(actor=world.probationary, session=session, body="Đề nghị bổ sung ví dụ thực tế.")
    assert comment not in keys(world.probationary)
    assert comment in keys(world.deputy)  # the others still have it to do


def test_a_task_marked_done_leaves_its_owners_queue(world):
    scenarios.thematic_meeting(world, "resolution-issued")
    task = ResolutionTask.objects.get()
    assert f"task:{task.pk}:done" in keys(world.member)
    meetings.complete_task(actor=world.member, task=task, note="Đã xây dựng giờ giảng mẫu.")
    assert f"task:{task.pk}:done" not in keys(world.member)


def test_a_plan_submitted_by_a_cell_reaches_the_officer_above_it(world):
    plan = scenarios.plan(world)
    acknowledge = f"plan:{plan.pk}:acknowledge"
    assert acknowledge not in keys(world.officer)
    planning.submit_plan(actor=world.secretary, plan=plan)
    assert acknowledge in keys(world.officer)
    assert acknowledge not in keys(world.foreign_officer)  # another Đảng bộ's officer: nothing


def test_a_new_membership_changes_the_scope_and_the_queue_at_once(world):
    session = scenarios.session_at(world, "distributed")
    outsider = world.other_member  # a member of another cell of the same Đảng bộ
    assert world.cell.pk not in scope_for(fresh(outsider)).cell_ids
    assert f"session:{session.pk}:comment" not in keys(outsider)
    Membership.objects.create(
        member=scenarios.record(outsider),
        organization=world.cell,
        kind=Membership.Kind.TEMPORARY,
        start_date=date(2026, 11, 1),
    )
    assert world.cell.pk in scope_for(fresh(outsider)).cell_ids
    assert f"session:{session.pk}:comment" in keys(outsider)


def bell(client) -> int:
    html = client.get(reverse("home:home")).content.decode()
    found = html.split('class="bell-count">', 1)
    return int(found[1].split("<", 1)[0]) if len(found) > 1 else 0


def test_reading_a_notification_lowers_the_bell_on_the_next_page(client, world):
    scenarios.session_at(world, "distributed")
    client.force_login(world.probationary)
    before = bell(client)
    assert before >= 1
    unread = Notification.objects.filter(recipient=world.probationary, read_at__isnull=True)
    first = pending(unread, keys(world.probationary)).first()
    assert client.get(reverse("notifications:open", args=[first.pk])).status_code == 302
    assert bell(client) == before - 1
    client.post(reverse("notifications:read_all"))
    assert bell(client) == 0


def test_a_new_notification_raises_the_bell(client, world):
    session = scenarios.session_at(world, "submitted")
    client.force_login(world.probationary)
    before = bell(client)
    drafts.approve_draft(actor=None, session=session)  # the draft is sent to every member
    assert bell(client) == before + 1


def test_an_announcement_to_the_whole_party_raises_every_bell(
    client, world, django_capture_on_commit_callbacks
):
    from notifications import announcements

    client.force_login(world.probationary)
    before = bell(client)
    with django_capture_on_commit_callbacks(execute=True):  # delivered by a job once committed
        announcements.announce(
            actor=world.officer, organization=world.party, title="Thông báo", body="Họp toàn Đảng bộ."
        )
    assert bell(client) == before + 1


def test_a_change_is_not_hidden_by_a_queue_another_server_cached_before_it_committed(
    world, django_capture_on_commit_callbacks
):
    # Two app servers share the cache. While server A's transaction approves the draft, server B (which
    # cannot see the uncommitted change) caches the old queue under the tokens A has just bumped; A's
    # commit bumps them again, so the old queue is never read.
    session = scenarios.session_at(world, "submitted")
    old = work_for(fresh(world.secretary))
    approve = f"session:{session.pk}:approve_draft"
    assert approve in {item.key for item in old}
    with django_capture_on_commit_callbacks(execute=True):
        drafts.approve_draft(actor=None, session=session)
        key = cache_key(fresh(world.secretary))
        assert key is not None
        cache.set(key, old, 60)  # what server B computed from the committed rows meanwhile
        assert approve in keys(world.secretary)  # before the commit, B's value is what is read...
    assert approve not in keys(world.secretary)  # ...and after it, never again


def test_the_same_pages_with_the_cache_as_without(client, world, settings):
    scenarios.session_at(world, "distributed")
    pages = [(world.secretary, reverse("home:home")), (world.officer, reverse("home:home"))]
    pages += [(world.probationary, reverse("home:home")), (world.member, reverse("notifications:list"))]

    def html(user, url) -> str:
        client.force_login(user)
        text = client.get(url).content.decode()
        return text.split("csrfmiddlewaretoken", 1)[0] + text.rsplit("</form>", 1)[-1]

    for user, url in pages:
        html(user, url)  # warm
        cached = html(user, url)
        settings.FRAME_CACHE = False
        assert html(user, url) == cached, (user, url)
        settings.FRAME_CACHE = True


def test_without_frame_cache_nothing_is_kept_across_requests(world, settings):
    settings.FRAME_CACHE = False
    cache.clear()  # the world was built with the cache on
    scenarios.session_at(world, "submitted")
    work_for(fresh(world.secretary))
    assert cache_key(fresh(world.secretary)) is None
    assert not cache.get_many([f"v:cell:{world.cell.pk}", "v:all"])


# The queue's own specification, again with the cache on.
from home.tests.test_work_notifications import (  # noqa: E402
    test_a_step_done_shows_its_notification_as_dealt_with_and_leaves_the_bell,  # noqa: F401
    test_every_notification_asking_for_a_step_finds_it_in_the_recipients_queue,  # noqa: F401
)
from home.tests.test_work_queue import (  # noqa: E402
    sessions,  # noqa: F401
    test_each_step_has_its_due_date_and_the_page_where_it_is_done,  # noqa: F401
    test_planning_the_meeting_its_notice_and_starting_its_record_wait_in_the_queue,  # noqa: F401
    test_the_home_page_shows_the_queue_first_with_links_overdue_in_red_and_the_count_in_the_menu,  # noqa: F401
    test_the_other_kinds_of_work_are_in_the_same_queue,  # noqa: F401
    test_the_queue_lists_exactly_the_steps_the_permissions_allow,  # noqa: F401
    test_who_waits_for_what,  # noqa: F401
)
