"""The Zalo sender through the channel outbox, end to end against the stand-in: a notice of a kind the
member chose for Zalo is queued with the notice, sent by the outbox's worker as the account's template,
retried after the quota resets, refused for good for a number Zalo refuses; the recipients Zalo can
reach are found in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import channel_outbox, channels, routing, services
from notifications.kinds import Kind
from notifications.models import ChannelChoice, ChannelMessage
from tests.factories import UserFactory, member_in
from zalo.models import ZaloSend
from zalo.tests.conftest import PHONE_84, TEMPLATE_ID

URL = "/du-thao/12/"
State = ChannelMessage.State


@pytest.fixture
def chose_zalo(world, account):
    ChannelChoice.objects.create(user=world.member, kind=Kind.DRAFT_STUDY, email=False, zalo=True)


def _notify(world) -> ChannelMessage:
    [notice] = services.notify(
        recipients=[world.member],
        title="Dự thảo chuyên đề quý IV",
        body="Mời đồng chí nghiên cứu và góp ý.",
        url=URL,
        kind=Kind.DRAFT_STUDY,
    )
    return ChannelMessage.objects.get(notification=notice, channel=channels.ZALO)


def test_a_notice_reaches_the_members_zalo_through_the_outbox(world, standin, chose_zalo):
    row = _notify(world)
    assert row.state == State.PENDING
    done = channel_outbox.drain()
    assert done.sent == 1
    row.refresh_from_db()
    [call] = standin.calls("/message/template")
    assert call.body["phone"] == PHONE_84 and call.body["template_id"] == TEMPLATE_ID
    assert call.body["template_data"]["noi_dung"] == "Dự thảo chuyên đề quý IV"
    assert call.body["template_data"]["lien_ket"].endswith(URL)
    assert call.body["tracking_id"] == f"chuyende-{row.pk}"
    assert (row.state, row.provider_id) == (State.SENT, ZaloSend.objects.get().msg_id)


def test_an_exhausted_quota_waits_until_it_resets_then_sends(world, standin, chose_zalo):
    standin.daily_quota = 0
    row = _notify(world)
    channel_outbox.drain()
    row.refresh_from_db()
    assert row.state == State.PENDING and row.attempts == 1
    assert row.next_attempt_at > timezone.now() + timedelta(minutes=1)  # not the 1-minute backoff
    local = timezone.localtime(row.next_attempt_at, timezone.get_fixed_timezone(7 * 60))
    assert (local.hour, local.minute) == (0, 0)  # midnight in Vietnam, when Zalo's quota resets
    # The next day: the quota is back and the worker sends it.
    standin.daily_quota, standin.sent_today = 500, 0
    ChannelMessage.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert channel_outbox.drain().sent == 1


def test_a_number_zalo_refuses_is_refused_for_good(world, standin, chose_zalo):
    standin.refused_phones.add(PHONE_84)
    row = _notify(world)
    channel_outbox.drain()
    row.refresh_from_db()
    assert row.state == State.REFUSED and row.last_error
    assert channel_outbox.drain().sent == 0  # not tried again
    assert len(standin.calls("/message/template")) == 1


def test_whom_zalo_reaches_is_asked_in_two_queries(world, account, django_assert_num_queries):
    others = [member_in(world.cell, user=UserFactory(), phone=f"09123456{i:02d}").user for i in range(12)]
    no_phone = member_in(world.cell, user=UserFactory(), phone="").user
    elsewhere = member_in(world.foreign_cell, user=UserFactory(), phone="0912000000").user  # another Đảng bộ
    users = [world.member, *others, no_phone, elsewhere]
    with django_assert_num_queries(3):  # is_enabled, then the two of reachable
        found = routing.reachable(channels.ZALO, users)
    assert found == {world.member.pk, *(user.pk for user in others)}
    # The same answer as asking one by one.
    sender = channels.sender(channels.ZALO)
    assert sender is not None
    assert found == {user.pk for user in users if sender.reaches(user)}
