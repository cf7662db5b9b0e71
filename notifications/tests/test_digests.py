"""Daily digests: one message per member per channel listing every held notice with its link, at the
member's hour, and nothing twice when send_digests runs again."""

from datetime import datetime
from io import StringIO

import time_machine
from django.core.management import call_command

from conftest import HCM
from notifications import channels, digests, services
from notifications.kinds import DIGEST, Kind
from notifications.models import ChannelChoice, ChannelMessage, DeliveryPreference, OutboundEmail

MORNING = datetime(2026, 11, 18, 9, 0, tzinfo=HCM)
EVENING = datetime(2026, 11, 18, 18, 5, tzinfo=HCM)
State = ChannelMessage.State


def _held(world):
    """Three notices held for world.member (e-mail and Zalo) and one for world.probationary (Zalo)."""
    for user in (world.member, world.probationary):
        DeliveryPreference.objects.create(user=user, digest=True, digest_hour=18)
        for kind in (Kind.MEETING, Kind.DRAFT_STUDY, Kind.TASK):
            ChannelChoice.objects.create(user=user, kind=kind, email=user == world.member, zalo=True)
    with time_machine.travel(MORNING, tick=False):
        for n, kind in enumerate((Kind.MEETING, Kind.DRAFT_STUDY, Kind.TASK), start=1):
            services.notify(
                recipients=[world.member] + ([world.probationary] if n == 1 else []),
                title=f"Thông báo số {n}",
                body="",
                url=f"/ke-hoach/buoi/{n}/",
                kind=kind,
            )


def test_nothing_is_sent_before_the_members_hour(world, senders):
    _held(world)
    with time_machine.travel(MORNING, tick=False):
        assert digests.send_due().messages == 0
    assert ChannelMessage.objects.filter(state=State.HELD).count() == 7


def test_one_message_per_member_per_channel_with_every_notice_and_nothing_twice(world, senders, settings):
    settings.SITE_URL = "https://chuyende.example.vn"
    _held(world)
    with time_machine.travel(EVENING, tick=False):
        done = digests.send_due()
        assert (done.members, done.messages, done.notices) == (2, 3, 7)
        again = digests.send_due()
    assert (again.messages, again.notices) == (0, 0)
    [email] = OutboundEmail.objects.all()
    assert email.to == world.member.email
    for n in (1, 2, 3):
        assert (
            f"Thông báo số {n}" in email.body
            and f"https://chuyende.example.vn/ke-hoach/buoi/{n}/" in email.body
        )
    zalo = {row.recipient_id: row for row in ChannelMessage.objects.filter(kind=DIGEST)}
    assert set(zalo) == {world.member.pk, world.probationary.pk}
    assert zalo[world.member.pk].body.count("Thông báo số") == 3
    assert zalo[world.probationary.pk].body.count("Thông báo số") == 1
    assert not ChannelMessage.objects.filter(state=State.HELD).exists()
    assert ChannelMessage.objects.filter(digest=zalo[world.member.pk]).count() == 3
    assert ChannelMessage.objects.filter(digest_email=email).count() == 3


def test_the_digest_goes_out_through_the_channel_outbox(world, senders):
    from notifications import channel_outbox

    _held(world)
    with time_machine.travel(EVENING, tick=False):
        call_command("send_digests", stdout=StringIO())
        assert channel_outbox.drain().sent == 2
    [message, *_] = senders[channels.ZALO].sent
    assert message.kind == DIGEST and message.url == "/thong-bao/"


def test_a_notice_after_the_days_digest_waits_for_tomorrows(world, senders):
    _held(world)
    with time_machine.travel(EVENING, tick=False):
        digests.send_due()
        services.notify(recipients=[world.member], title="Muộn", body="", url="/", kind=Kind.MEETING)
        assert digests.send_due().messages == 0
    with time_machine.travel(datetime(2026, 11, 19, 18, 0, tzinfo=HCM), tick=False):
        assert digests.send_due().notices == 2  # e-mail and Zalo of the late notice


def test_a_member_who_turned_the_digest_off_gets_what_was_held_at_the_next_run(world, senders):
    _held(world)
    DeliveryPreference.objects.filter(user=world.probationary).update(digest=False)
    with time_machine.travel(MORNING, tick=False):
        done = digests.send_due()
    assert (done.members, done.notices) == (1, 1)
