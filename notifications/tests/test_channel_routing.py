"""Which channels a notice travels by and when: the member's choice per kind, the cell's default, the
site's; reachability; quiet hours; the digest; urgent kinds; in the notice's transaction; a fixed
number of queries whatever the number of recipients."""

from datetime import datetime, time

import pytest
import time_machine
from django.db import transaction

from conftest import HCM
from notifications import channels, routing, services
from notifications.kinds import Kind
from notifications.models import (
    CellChannelDefault,
    ChannelChoice,
    ChannelMessage,
    DeliveryPreference,
    OutboundEmail,
)
from tests.factories import UserFactory, member_in

URL = "/ke-hoach/buoi/12/"
ZALO, PUSH, EMAIL = channels.ZALO, channels.PUSH, channels.EMAIL


def notify(*users, kind=Kind.MEETING, **kwargs):
    return services.notify(
        recipients=users, title="Họp chi bộ ngày 25/11", body="", url=URL, kind=kind, **kwargs
    )


def by_channel(user):
    """The channels a user's notice went by: e-mail (OutboundEmail) and the channel outbox's rows."""
    found = {row.channel: row for row in ChannelMessage.objects.filter(recipient=user)}
    email = OutboundEmail.objects.filter(notification__recipient=user).first()
    if email is not None:
        found[EMAIL] = email
    return found


def choose(user, kind, **flags):
    ChannelChoice.objects.create(
        user=user, kind=kind, **{"email": False, "zalo": False, "push": False, **flags}
    )


def cell_default(cell, kind, **flags):
    CellChannelDefault.objects.create(
        organization=cell, kind=kind, **{"email": False, "zalo": False, "push": False, **flags}
    )


# --- whose choice counts --------------------------------------------------------------------------


def test_the_site_default_is_the_app_and_e_mail(world, senders):
    [notice] = notify(world.member)
    assert notice.kind == Kind.MEETING
    assert set(by_channel(world.member)) == {EMAIL}


def test_the_cell_default_reaches_members_who_did_not_choose(world, senders):
    cell_default(world.cell, Kind.MEETING, zalo=True)
    notify(world.member, world.other_member)
    assert set(by_channel(world.member)) == {ZALO}  # the secretary's default for the cell
    assert set(by_channel(world.other_member)) == {EMAIL}  # another cell: the site's


def test_a_members_own_choice_beats_the_cell_default(world, senders):
    cell_default(world.cell, Kind.MEETING, zalo=True)
    choose(world.member, Kind.MEETING, push=True, email=True)
    notify(world.member, world.probationary)
    assert set(by_channel(world.member)) == {PUSH, EMAIL}
    assert set(by_channel(world.probationary)) == {ZALO}


def test_the_choice_is_per_kind(world, senders):
    choose(world.member, Kind.MEETING, zalo=True)
    choose(world.member, Kind.LIBRARY)  # nothing but the app
    notify(world.member, kind=Kind.LIBRARY)
    assert by_channel(world.member) == {}
    notify(world.member, kind=Kind.MEETING)
    assert set(by_channel(world.member)) == {ZALO}
    assert ChannelMessage.objects.get(recipient=world.member).kind == Kind.MEETING


def test_a_channel_that_cannot_reach_the_member_or_is_switched_off_is_skipped(world, senders):
    senders[ZALO].reached = {world.probationary.pk}  # only she has a phone number
    senders[PUSH].enabled = False
    for user in (world.member, world.probationary):
        choose(user, Kind.MEETING, zalo=True, push=True)
    notify(world.member, world.probationary)
    assert by_channel(world.member) == {}
    assert set(by_channel(world.probationary)) == {ZALO}
    assert senders[ZALO].bulk_calls == 1  # asked once for everyone, not once per recipient


def test_in_app_only_notices_go_by_no_other_channel(world, senders):
    choose(world.member, Kind.MEETING, zalo=True, email=True)
    notify(world.member, email=False)
    assert by_channel(world.member) == {}


# --- urgent ----------------------------------------------------------------------------------------


def test_urgent_notices_ignore_opt_out_quiet_hours_and_digest(world, senders):
    choose(world.member, Kind.SESSION_CHANGED)  # tried to turn everything off
    DeliveryPreference.objects.create(
        user=world.member, quiet_from=time(0, 0), quiet_until=time(23, 59), digest=True
    )
    notify(world.member, kind=Kind.SESSION_CHANGED)
    sent = by_channel(world.member)
    assert set(sent) == {EMAIL, ZALO, PUSH}
    assert all(row.state == "pending" for row in sent.values())
    assert all(row.next_attempt_at <= row.created_at for row in sent.values())


def test_postponing_a_session_is_urgent():
    assert routing.is_urgent(Kind.SESSION_CHANGED) and not routing.is_urgent(Kind.MEETING)


# --- quiet hours and digest -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("clock", "until"),
    [
        (datetime(2026, 11, 18, 22, 0, tzinfo=HCM), datetime(2026, 11, 19, 6, 30, tzinfo=HCM)),
        (datetime(2026, 11, 19, 5, 0, tzinfo=HCM), datetime(2026, 11, 19, 6, 30, tzinfo=HCM)),
    ],
    ids=["before-midnight", "after-midnight"],
)
def test_quiet_hours_defer_every_channel_to_their_end(world, senders, clock, until):
    choose(world.member, Kind.MEETING, email=True, zalo=True)
    DeliveryPreference.objects.create(user=world.member, quiet_from=time(21, 30), quiet_until=time(6, 30))
    with time_machine.travel(clock, tick=False):
        notify(world.member)
    sent = by_channel(world.member)
    assert set(sent) == {EMAIL, ZALO}
    assert all(row.next_attempt_at == until for row in sent.values())


def test_outside_quiet_hours_messages_go_at_once(world, senders):
    choose(world.member, Kind.MEETING, zalo=True)
    DeliveryPreference.objects.create(user=world.member, quiet_from=time(21, 30), quiet_until=time(6, 30))
    with time_machine.travel(datetime(2026, 11, 18, 12, 0, tzinfo=HCM), tick=False):
        notify(world.member)
        assert ChannelMessage.objects.get(recipient=world.member).next_attempt_at == datetime(
            2026, 11, 18, 12, 0, tzinfo=HCM
        )


def test_digest_members_get_their_notices_held_not_sent(world, senders):
    choose(world.member, Kind.MEETING, email=True, zalo=True)
    DeliveryPreference.objects.create(user=world.member, digest=True, digest_hour=18)
    notify(world.member)
    sent = by_channel(world.member)
    assert set(sent) == {EMAIL, ZALO}
    assert all(isinstance(row, ChannelMessage) and row.state == "held" for row in sent.values())
    assert not OutboundEmail.objects.exists()


# --- the transaction and the cost -------------------------------------------------------------------


def test_nothing_is_queued_when_the_change_rolls_back(world, senders):
    choose(world.member, Kind.MEETING, email=True, zalo=True)
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(world.member)
        raise RuntimeError("the service's change failed after notifying")
    assert not ChannelMessage.objects.exists() and not OutboundEmail.objects.exists()


def test_the_channel_outbox_is_woken_after_commit_and_not_for_held_rows(
    world, senders, django_capture_on_commit_callbacks
):
    from notifications.tasks import deliver_channels

    choose(world.member, Kind.MEETING, zalo=True)
    with django_capture_on_commit_callbacks() as callbacks:
        notify(world.member)
    assert deliver_channels.enqueue in callbacks
    DeliveryPreference.objects.create(user=world.member, digest=True)
    with django_capture_on_commit_callbacks() as callbacks:
        notify(world.member)
    assert deliver_channels.enqueue not in callbacks  # held for the digest: nothing to send now


def _recipients(cell, count, start):
    users = []
    for n in range(count):
        user = UserFactory(username=f"dv{start + n}")
        member_in(cell, user=user, full_name=f"Đảng viên {start + n}")
        users.append(user)
    return users


def test_notify_costs_the_same_number_of_queries_for_3_or_30_recipients(
    world, senders, django_assert_num_queries, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cell_default(world.cell, Kind.MEETING, email=True, zalo=True)
    few, many = _recipients(world.cell, 3, 0), _recipients(world.cell, 30, 100)
    for user in few[:1] + many[:10]:
        choose(user, Kind.MEETING, push=True)
        DeliveryPreference.objects.create(user=user, quiet_from=time(21, 30), quiet_until=time(6, 30))
    with CaptureQueriesContext(connection) as small:
        notify(*few)
    with django_assert_max_num_queries(len(small.captured_queries)):
        notify(*many)
    assert ChannelMessage.objects.filter(recipient__in=many).count() == 30  # zalo for 20, push for 10


def test_an_announcement_is_not_e_mailed_to_who_turned_e_mail_off_for_announcements(world, senders):
    from notifications import announcements
    from notifications.models import Announcement, Notification

    choose(world.member, Kind.ANNOUNCEMENT)  # app only
    choose(world.probationary, Kind.MEETING)  # another kind: announcements still e-mailed
    job = announcements.announce(
        actor=world.officer, organization=world.cell, title="Thông báo", body="Nội dung"
    )
    announcement = announcements.deliver(Announcement.objects.get(pk=job.params["announcement"]))
    assert Notification.objects.filter(recipient=world.member, kind=Kind.ANNOUNCEMENT).exists()
    mailed = set(OutboundEmail.objects.values_list("to", flat=True))
    assert world.member.email not in mailed
    assert {world.probationary.email, world.secretary.email, world.deputy.email} <= mailed
    assert announcement.emailed == len(mailed)
