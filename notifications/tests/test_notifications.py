"""Notifying people: one notification per active recipient, e-mailed only after commit, read by its
recipient alone, and counted in the top bar of every page."""

import re

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks.signals import task_enqueued
from django_tasks_db.models import DBTaskResult

from core.errors import PermissionDenied
from notifications import outbox, services
from notifications.models import Notification, OutboundEmail
from notifications.tasks import deliver_outbox
from tests.factories import UserFactory

SESSION_URL = "/ke-hoach/buoi/12/"
TITLE = "Dự thảo chuyên đề “Văn hóa Hồ Chí Minh” đã được gửi để nghiên cứu"
BODY = "Đồng chí Lê Văn Đức đã gửi dự thảo. Đề nghị các đồng chí nghiên cứu và góp ý trước ngày 05/3."


def notify(*recipients, url=SESSION_URL, **kwargs):
    return services.notify(recipients=recipients, title=TITLE, body=BODY, url=url, **kwargs)


def notices_of(user):
    return Notification.objects.filter(recipient=user)


# --- notify() ----------------------------------------------------------------------------------


def test_each_distinct_recipient_gets_one_notification(world):
    created = notify(world.member, world.probationary, world.member)
    assert len(created) == 2
    assert {n.recipient_id for n in created} == {world.member.pk, world.probationary.pk}
    notice = notices_of(world.member).get()
    assert (notice.title, notice.body, notice.url) == (TITLE, BODY, SESSION_URL)
    assert notice.read_at is None and notice.email_sent_at is None


def test_inactive_users_are_not_notified(world):
    world.probationary.is_active = False
    world.probationary.save(update_fields=["is_active"])
    notify(world.member, world.probationary)
    assert notices_of(world.member).count() == 1
    assert not notices_of(world.probationary).exists()


def test_members_are_notified_through_their_login_accounts(world):
    """notify_members reaches each member's account; a member without one is skipped, and a queryset
    of members is read in the one query that finds the active accounts (the channels' routing adds a
    fixed number, whatever the number of members: test_channel_routing)."""
    from organizations.models import Member

    members = Member.objects.filter(memberships__organization=world.cell)
    with CaptureQueriesContext(connection) as queries:
        created = services.notify_members(members=members, title=TITLE, body=BODY, url=SESSION_URL)
    assert {n.recipient_id for n in created} == {
        world.secretary.pk,
        world.deputy.pk,
        world.member.pk,
        world.probationary.pk,
    }
    # The accounts in one query; then the routing's (notifications.routing): the channels switched
    # on, whom each reaches, the recipients' choices, their cells' defaults, their quiet hours and
    # digest — as many for one member as for four.
    with CaptureQueriesContext(connection) as alone:
        services.notify_members(
            members=Member.objects.filter(pk=world.member.member.pk), title=TITLE, body=BODY, url=SESSION_URL
        )

    def selects(captured: CaptureQueriesContext) -> int:
        return len([q for q in captured.captured_queries if q["sql"].startswith("SELECT")])

    assert selects(queries) == selects(alone) <= 6
    no_account = Member.objects.filter(user__isnull=True)
    assert services.notify_members(members=list(no_account), title=TITLE, body=BODY, url=SESSION_URL) == []


def test_notice_texts_are_in_the_site_language_whatever_the_actor_reads(settings):
    from django.utils import translation
    from django.utils.translation import gettext_lazy as _

    settings.LANGUAGE_CODE = "vi"
    with translation.override("en"):
        title = services.site_text(_("Draft to approve: %(title)s"), {"title": "Văn hóa"})
        typed = services.site_text("100% %(nhất trí)s", {"title": "x"})
    assert title == "Dự thảo cần duyệt: Văn hóa"
    assert typed == "100% %(nhất trí)s"  # a person's words are never %-formatted


def test_the_title_is_one_line(world):
    services.notify(recipients=[world.member], title="Dự thảo\r\nmới ", body="", url=SESSION_URL)
    assert notices_of(world.member).get().title == "Dự thảo mới"


def test_a_long_title_is_cut_at_a_word(world):
    title = "Dự thảo chuyên đề " + "văn hóa " * 40
    services.notify(recipients=[world.member], title=title, body="", url=SESSION_URL)
    stored = notices_of(world.member).get().title
    assert len(stored) <= 255 and stored.endswith("…")
    assert stored[:-1].split()[-1] in ("văn", "hóa")  # a whole word before the ellipsis


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/ke-hoach/", "javascript:alert(1)", "ke-hoach/"]
)
def test_a_notification_cannot_point_outside_the_site(world, url):
    with pytest.raises(ValueError):
        notify(world.member, url=url)
    assert not Notification.objects.exists()


def test_e_mails_leave_only_after_the_transaction_commits(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        notify(world.member, world.probationary)
        assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert sorted(m.to[0] for m in mail.outbox) == ["dangvien@example.vn", "duby@example.vn"]
    assert not Notification.objects.filter(email_sent_at__isnull=True).exists()


def test_nothing_is_notified_or_e_mailed_when_the_transaction_rolls_back(
    world, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(world.member, world.probationary)
        raise RuntimeError("the caller's change failed")
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_one_background_task_sends_the_whole_batch(world, django_capture_on_commit_callbacks):
    enqueued = []

    def count(sender, task_result, **kwargs):
        enqueued.append(task_result)

    task_enqueued.connect(count)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            created = notify(world.secretary, world.deputy, world.member, world.probationary)
    finally:
        task_enqueued.disconnect(count)
    assert len(enqueued) == 1
    assert enqueued[0].args == []  # the rows of the outbox are the queue
    assert enqueued[0].return_value == {"sent": 4, "retrying": 0, "failed": 0}
    assert len(mail.outbox) == 4
    assert {e.notification_id for e in OutboundEmail.objects.filter(state="sent")} == {n.pk for n in created}


def test_recipients_without_an_address_are_notified_in_the_app_only(
    world, django_capture_on_commit_callbacks
):
    no_address = UserFactory(username="khongthu", email="")
    with django_capture_on_commit_callbacks(execute=True):
        notify(world.member, no_address)
    assert [m.to for m in mail.outbox] == [["dangvien@example.vn"]]
    assert notices_of(no_address).get().email_sent_at is None


def test_in_app_only_notifications_are_not_e_mailed(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(world.member, email=False)
    assert callbacks == [] and mail.outbox == []
    assert notices_of(world.member).count() == 1


def test_the_e_mail_has_the_title_the_text_and_an_absolute_link(
    world, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://chuyende.truongchinhtri.vn"
    with django_capture_on_commit_callbacks(execute=True):
        notify(world.member)
    [message] = mail.outbox
    assert message.subject == f"[chuyende] {TITLE}"
    assert message.body.startswith(f"{BODY}\n\nhttps://chuyende.truongchinhtri.vn{SESSION_URL}\n")
    assert "https://chuyende.truongchinhtri.vn/thong-bao/" in message.body
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"


def test_running_the_task_again_sends_nothing_twice(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(world.member)
    assert deliver_outbox.call() == {"sent": 0, "retrying": 0, "failed": 0}
    assert outbox.drain().sent == 0
    assert len(mail.outbox) == 1


# --- reading -----------------------------------------------------------------------------------


def test_only_the_recipient_may_mark_it_read(world):
    [notice] = notify(world.member)
    with pytest.raises(PermissionDenied):
        services.mark_read(actor=world.probationary, notification=notice)
    services.mark_read(actor=world.member, notification=notice)
    assert notices_of(world.member).get().read_at is not None


def test_the_list_shows_only_ones_own_notifications(client, world):
    services.notify(recipients=[world.member], title="Dành cho Đức", body="", url=SESSION_URL)
    services.notify(recipients=[world.probationary], title="Dành cho Mai", body="", url=SESSION_URL)
    client.force_login(world.member)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Dành cho Đức" in page
    assert "Dành cho Mai" not in page


def test_unread_notifications_stand_out_in_the_list(client, world):
    first, second = (
        services.notify(recipients=[world.member], title=title, body="", url=SESSION_URL)[0]
        for title in ("Cũ", "Mới")
    )
    services.mark_read(actor=world.member, notification=first)
    client.force_login(world.member)
    page = client.get(reverse("notifications:list")).content.decode()
    assert page.count('class="notice unread"') == 1
    assert page.index(reverse("notifications:open", args=[second.pk])) < page.index(
        reverse("notifications:open", args=[first.pk])
    ), "newest first"


def test_opening_marks_it_read_and_goes_to_its_page(client, world):
    [notice] = notify(world.member)
    client.force_login(world.member)
    response = client.get(reverse("notifications:open", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == SESSION_URL
    assert notices_of(world.member).get().read_at is not None


def test_someone_elses_notification_does_not_exist_for_them(client, world):
    [notice] = notify(world.member)
    client.force_login(world.probationary)
    assert client.get(reverse("notifications:open", args=[notice.pk])).status_code == 404
    assert notices_of(world.member).get().read_at is None


def test_a_link_to_another_site_is_not_followed(client, world):
    notice = Notification.objects.create(recipient=world.member, title="Lừa đảo", url="https://evil.example/")
    client.force_login(world.member)
    response = client.get(reverse("notifications:open", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("notifications:list")


def test_marking_all_read_leaves_other_peoples_notifications_alone(client, world):
    notify(world.member, world.probationary)
    notify(world.member)
    client.force_login(world.member)
    response = client.post(reverse("notifications:read_all"))
    assert response.status_code == 302
    assert not notices_of(world.member).filter(read_at__isnull=True).exists()
    assert notices_of(world.probationary).get().read_at is None


# --- the counter in the top bar ----------------------------------------------------------------


def _notification_queries(captured):
    return [q["sql"] for q in captured.captured_queries if "notifications_notification" in q["sql"]]


def test_the_top_bar_counts_unread_notifications_in_one_query(client, world):
    for _ in range(3):
        notify(world.member)
    services.mark_read(actor=world.member, notification=notify(world.member)[0])
    client.force_login(world.member)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("home:home")).content.decode()
    assert re.search(r'<span class="bell-count">3</span>', page)
    assert 'aria-label="' in page and re.search(r'class="bell"[^>]*aria-label="[^"]*3[^"]*"', page)
    assert len(_notification_queries(captured)) == 1


def test_the_list_page_counts_once_for_the_bar_and_its_button(client, world):
    notify(world.member)
    client.force_login(world.member)
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("notifications:list"))
    counts = [q for q in _notification_queries(captured) if "read_at" in q and "IS NULL" in q]
    assert len(counts) == 1, counts


def test_no_unread_notifications_shows_a_bell_without_a_number(client, world):
    client.force_login(world.member)
    page = client.get(reverse("home:home")).content.decode()
    assert 'class="bell"' in page and "bell-count" not in page


def test_anonymous_visitors_have_no_counter_and_no_query(client, world):
    notify(world.member)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("accounts:login")).content.decode()
    assert 'class="bell"' not in page
    assert _notification_queries(captured) == []


# --- query counts ------------------------------------------------------------------------------


def test_the_list_makes_as_many_queries_with_40_notifications_as_with_3(client, world):
    client.force_login(world.member)
    url = reverse("notifications:list")

    def add(count):
        for index in range(count):
            services.notify(recipients=[world.member], title=f"Thông báo {index}", body=BODY, url=SESSION_URL)

    add(3)
    client.get(url)  # fill the process-wide caches before counting
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(37)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert page.count('class="notice unread"') == 30  # one page
    assert len(few.captured_queries) == len(many.captured_queries), [q["sql"] for q in many.captured_queries]


def test_with_the_database_queue_the_job_holds_primary_keys_until_a_worker_runs_it(
    world, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        created = notify(world.member, world.probationary)
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "notifications.tasks.deliver_outbox"
    assert queued.args_kwargs == {"args": [], "kwargs": {}}
    assert mail.outbox == []
    assert OutboundEmail.objects.filter(state="pending").count() == len(created)

    # What db_worker does with the row (the worker itself closes the test's database connection).
    queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
    assert sorted(m.to[0] for m in mail.outbox) == ["dangvien@example.vn", "duby@example.vn"]
