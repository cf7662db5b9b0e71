"""The Zalo sender against the stand-in: what is sent, token refresh, quota, refusals and failures."""

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, connections

from notifications import channels
from notifications.channels import Message, Refused, Retry
from zalo import client as zc
from zalo.models import ZaloAccount, ZaloSend
from zalo.sender import ZaloSender
from zalo.tests.conftest import APP_ID, PHONE_84, SECRET, TEMPLATE_ID, make_account

TITLE = "Dự thảo chuyên đề “Văn hóa Hồ Chí Minh về học tập, lao động và làm việc”"


def message(world: Any, *, kind: str = "draft_study", outbox_id: int = 7) -> Message:
    return Message(
        outbox_id=outbox_id,
        recipient_id=world.member.pk,
        kind=kind,
        title=TITLE,
        body="Kính gửi các đồng chí.",
        url="/du-thao/12/doc/",
        params={},
    )


def test_the_sender_is_registered_for_the_zalo_channel():
    assert isinstance(channels.sender("zalo"), ZaloSender)


def test_a_notice_goes_to_the_member_phone_as_the_kind_template_and_its_msg_id_is_kept(
    world, account, standin
):
    msg_id = ZaloSender().send(message(world))

    [call] = standin.calls("/message/template")
    assert call.headers["access_token"] == account.access_token()
    assert call.headers["content-type"] == "application/json"
    assert call.body == {
        "phone": PHONE_84,
        "template_id": TEMPLATE_ID,
        "template_data": {
            "ten_dang_vien": "Lê Văn Đức",
            "noi_dung": TITLE,
            "lien_ket": settings.SITE_URL + "/du-thao/12/doc/",
        },
        "tracking_id": "chuyende-7",
    }
    log = ZaloSend.objects.get()
    assert (log.msg_id, log.error_code, log.quota_remaining) == (msg_id, 0, 499)
    assert len(msg_id) == 32
    assert (log.phone_masked, log.recipient, log.kind, log.outbox_id) == (
        "84912***678",
        world.member,
        "draft_study",
        7,
    )
    assert not standin.calls("/v4/oa/access_token")


def test_an_expired_token_is_refreshed_once_and_the_new_refresh_token_is_stored_encrypted(
    world, account, standin
):
    old_refresh = account.refresh_token()
    ZaloAccount.objects.filter(pk=account.pk).update(access_token_expires_at=datetime(2026, 1, 1, tzinfo=UTC))
    standin.expire_all()

    ZaloSender().send(message(world))

    [refresh] = standin.calls("/v4/oa/access_token")
    assert refresh.headers["secret_key"] == SECRET
    assert refresh.body == {"app_id": APP_ID, "refresh_token": old_refresh, "grant_type": "refresh_token"}
    account.refresh_from_db()
    new_refresh = account.refresh_token()
    assert new_refresh != old_refresh and new_refresh in standin.refresh_tokens
    assert old_refresh not in standin.refresh_tokens  # spent: Zalo's refresh tokens are single-use
    assert new_refresh not in account.refresh_token_encrypted  # stored encrypted, not as it is
    assert account.access_token_expires_at > datetime(2026, 11, 18, tzinfo=UTC)
    [sent] = standin.calls("/message/template")
    assert sent.headers["access_token"] == account.access_token()
    assert ZaloSend.objects.get().error_code == 0


def test_a_token_zalo_refuses_before_its_time_is_refreshed_and_the_call_made_again(world, account, standin):
    standin.expire_all()  # Zalo says -124 although our expiry is a day away

    ZaloSender().send(message(world))

    assert len(standin.calls("/v4/oa/access_token")) == 1
    first, second = standin.calls("/message/template")
    assert first.headers["access_token"] != second.headers["access_token"]
    assert ZaloSend.objects.get().error_code == 0


def test_a_refused_refresh_is_retried_later_and_recorded(world, account, standin):
    standin.expire_all()
    standin.refresh_tokens.clear()  # the stored refresh token is no longer valid

    with pytest.raises(Retry):
        ZaloSender().send(message(world))

    log = ZaloSend.objects.get()
    assert log.error_code == -14014 and "refresh" in log.error_message


def test_an_exhausted_daily_quota_is_retried_at_midnight_in_vietnam(world, account, standin):
    standin.daily_quota = 0

    with pytest.raises(Retry) as raised:
        ZaloSender().send(message(world))

    after = raised.value.after
    assert after is not None
    assert abs(after - zc.until_quota_resets()) < timedelta(seconds=5)
    assert ZaloSend.objects.get().error_code == -144


@pytest.mark.parametrize(
    ("utc", "left"),
    [
        (datetime(2026, 11, 18, 16, 30, tzinfo=UTC), timedelta(minutes=30)),  # 23:30 ICT
        (datetime(2026, 11, 18, 17, 0, tzinfo=UTC), timedelta(hours=24)),  # 00:00 ICT
        (datetime(2026, 11, 18, 2, 0, tzinfo=UTC), timedelta(hours=15)),  # 09:00 ICT
    ],
)
def test_the_quota_resets_at_the_next_midnight_ict(utc, left):
    assert zc.until_quota_resets(utc) == left


def test_a_number_zalo_refuses_is_refused_not_retried(world, account, standin):
    standin.refused_phones = {PHONE_84}

    with pytest.raises(Refused):
        ZaloSender().send(message(world))

    assert ZaloSend.objects.get().error_code == -118


def test_a_5xx_is_retried(world, account, standin):
    standin.fail_with_status = 502

    with pytest.raises(Retry, match="HTTP 502"):
        ZaloSender().send(message(world))

    assert ZaloSend.objects.get().error_code is None


def test_a_timeout_is_retried(world, account, standin, settings):
    settings.ZALO_TIMEOUT_SECONDS = 0.2
    standin.delay = 1.0

    with pytest.raises(Retry, match="Timeout"):
        ZaloSender().send(message(world))


def test_nothing_listens_is_retried(world, account, standin):
    standin.stop()

    with pytest.raises(Retry, match="ConnectionError"):
        ZaloSender().send(message(world))


def test_a_kind_without_template_is_refused(world, account, standin):
    with pytest.raises(Refused, match="no ZNS template"):
        ZaloSender().send(message(world, kind="meeting_postponed"))
    assert not standin.requests


def test_who_is_reached(world, account, standin):
    sender = ZaloSender()
    assert sender.is_enabled()
    assert sender.reaches(world.member)
    assert not sender.reaches(world.secretary)  # no phone on the roster
    world.secretary.member.phone = "12345"
    world.secretary.member.save()
    assert not sender.reaches(world.secretary)  # not a phone number
    world.other_member.member.phone = "+84 983 111 222"  # other_cell: under the same Đảng ủy
    world.other_member.member.save()
    assert sender.reaches(world.other_member)
    assert not sender.reaches(world.foreign_officer)  # not a member anywhere


def test_a_disabled_account_sends_nothing(world, account, standin):
    ZaloAccount.objects.filter(pk=account.pk).update(enabled=False)
    sender = ZaloSender()
    assert not sender.is_enabled()
    assert not sender.reaches(world.member)
    with pytest.raises(Refused):
        sender.send(message(world))
    assert not standin.requests


def test_the_cell_own_account_speaks_before_the_dang_uy(world, account, standin):
    cell_account = make_account(world.cell, standin)
    from zalo.services import account_for

    assert account_for(world.member) == cell_account
    assert account_for(world.other_member) == account  # other_cell has none of its own
    ZaloAccount.objects.filter(pk=cell_account.pk).update(enabled=False)
    assert account_for(world.member) == account


def test_an_oa_message_reaches_a_follower(world, account, standin):
    result = zc.ZaloClient(account).send_oa_text("2468013579", "Chi bộ họp lúc 14:00 thứ Sáu.")

    [call] = standin.calls("/v3.0/oa/message/cs")
    assert call.body == {
        "recipient": {"user_id": "2468013579"},
        "message": {"text": "Chi bộ họp lúc 14:00 thứ Sáu."},
    }
    assert len(result.msg_id) == 32


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks (SELECT … FOR UPDATE) are what is tested"
)
@pytest.mark.django_db(transaction=True)
def test_two_workers_with_an_expired_token_refresh_it_only_once(world, account, standin):
    ZaloAccount.objects.filter(pk=account.pk).update(access_token_expires_at=datetime(2026, 1, 1, tzinfo=UTC))
    standin.expire_all()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def worker(outbox_id: int) -> None:
        try:
            barrier.wait()
            outcomes.append(ZaloSender().send(message(world, outbox_id=outbox_id)))
        except Exception as error:
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(standin.calls("/v4/oa/access_token")) == 1
    assert all(len(outcome) == 32 for outcome in outcomes), outcomes
    assert len(outcomes) == 2
    assert ZaloSend.objects.filter(error_code=0).count() == 2
