"""PushSender against the stand-in push service (push/standin.py), which checks what a real one does:
the VAPID signature and claims, and that the encrypted payload decrypts with the browser's keys."""

import json
from datetime import timedelta

import pytest

from notifications.channels import Message, Refused, Retry
from push.models import PushSubscription
from push.sender import PushSender
from push.standin import PushStandIn


@pytest.fixture
def service(vapid_keys, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True  # the stand-in listens on 127.0.0.1
    settings.SITE_URL = "https://chuyende.truongchinhtri.vn"
    with PushStandIn(vapid_keys[0]) as standin:
        yield standin


def subscribe(user, service, behaviour="ok"):
    from push.services import subscribe as store

    browser = service.subscribe(behaviour)
    return store(
        actor=user,
        endpoint=browser["endpoint"],
        p256dh=browser["keys"]["p256dh"],
        auth=browser["keys"]["auth"],
    )


def message(user, **changes):
    values = {
        "outbox_id": 41,
        "recipient_id": user.pk,
        "kind": "draft.distributed",
        "title": "Dự thảo chuyên đề “Văn hóa Hồ Chí Minh” đã được gửi",
        "body": "Đồng chí vui lòng nghiên cứu và góp ý trước ngày 10/02.",
        "url": "/du-thao/7/doc/",
        "params": {},
    }
    values.update(changes)
    return Message(**values)


def test_a_push_is_signed_encrypted_and_decrypts_to_what_was_sent(world, service):
    subscription = subscribe(world.member, service)
    result = PushSender().send(message(world.member))

    [push] = service.received
    assert push.status == 201, push.problem
    assert result.startswith(service.origin + "/message/")
    assert push.json() == {
        "title": "Dự thảo chuyên đề “Văn hóa Hồ Chí Minh” đã được gửi",
        "body": "Đồng chí vui lòng nghiên cứu và góp ý trước ngày 10/02.",
        "url": "https://chuyende.truongchinhtri.vn/du-thao/7/doc/",
        "tag": "notice-41",
    }
    assert push.claims["aud"] == service.origin
    assert push.claims["sub"] == "mailto:vanphong@truongchinhtri.vn"
    assert push.headers["ttl"] == str(24 * 60 * 60)
    assert push.headers["urgency"] == "normal"
    subscription.refresh_from_db()
    assert subscription.last_success_at is not None and subscription.failures == 0


def test_an_urgent_notice_is_sent_with_high_urgency(world, service):
    subscribe(world.member, service)
    PushSender().send(message(world.member, params={"urgent": True}))
    assert service.received[0].headers["urgency"] == "high"


def test_every_subscription_of_the_person_gets_it(world, service):
    subscribe(world.member, service)
    subscribe(world.member, service)
    subscribe(world.deputy, service)
    PushSender().send(message(world.member))
    assert [p.status for p in service.received] == [201, 201]


def test_the_stand_in_refuses_a_push_signed_with_another_key(world, service, settings):
    from push.vapid import generate

    subscribe(world.member, service)
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = generate()
    with pytest.raises(Refused):
        PushSender().send(message(world.member))
    assert service.received[0].status == 403
    assert "k is not the VAPID key" in service.received[0].problem
    assert PushSubscription.objects.get().failures == 1


def test_the_stand_in_checks_the_signature_itself(service, vapid_keys):
    """The check is real: a JWT whose claims were changed after signing is refused."""
    import base64

    from py_vapid import Vapid

    signer = Vapid.from_raw(vapid_keys[1].encode())
    header = signer.sign({"aud": service.origin, "sub": "mailto:a@b.vn", "exp": 2_000_000_000})[
        "Authorization"
    ]
    with pytest.raises(ValueError, match="exp"):  # genuine, but past the 24 hours a service accepts
        service.check_vapid(header)
    token = header.split("t=")[1].split(",")[0]
    claims = token.split(".")[1]
    forged = base64.urlsafe_b64encode(json.dumps({"aud": service.origin, "sub": "mailto:x@y.vn"}).encode())
    forged_header = header.replace(claims, forged.decode().rstrip("="))
    with pytest.raises(ValueError, match="signature"):
        service.check_vapid(forged_header)


def test_a_gone_subscription_is_deleted_and_the_person_refused(world, service):
    subscribe(world.member, service, "gone")
    with pytest.raises(Refused):
        PushSender().send(message(world.member))
    assert service.received[0].status == 410
    assert not PushSubscription.objects.exists()
    assert not PushSender().reaches(world.member)


def test_a_gone_subscription_beside_a_live_one_is_deleted_and_the_push_sent(world, service):
    subscribe(world.member, service, "gone")
    live = subscribe(world.member, service)
    PushSender().send(message(world.member))
    assert list(PushSubscription.objects.all()) == [live]


def test_too_many_requests_is_retried_after_what_the_service_says(world, service):
    subscribe(world.member, service, "busy")
    with pytest.raises(Retry) as retry:
        PushSender().send(message(world.member))
    assert retry.value.after == timedelta(seconds=120)
    assert PushSubscription.objects.exists()


def test_a_service_that_is_down_or_unreachable_is_retried(world, service):
    subscribe(world.member, service, "down")
    with pytest.raises(Retry):
        PushSender().send(message(world.member))
    PushSubscription.objects.all().delete()
    PushSubscription.objects.create(
        user=world.member,
        endpoint="http://127.0.0.1:9/push/ok-x",
        p256dh=service.subscribe()["keys"]["p256dh"],
        auth="AAAAAAAAAAAAAAAAAAAAAA",
    )
    with pytest.raises(Retry):
        PushSender().send(message(world.member))


def test_a_person_without_a_subscription_is_refused(world, service):
    with pytest.raises(Refused):
        PushSender().send(message(world.member))


def test_the_sender_is_registered_for_the_push_channel():
    from notifications import channels

    assert isinstance(channels.sender(channels.PUSH), PushSender)


def test_the_demo_subscription_is_decrypted_by_the_stand_in_the_demo_command_runs(world, service):
    """``manage.py push_standin`` knows the demo browser's keys: they are derived, the same each run."""
    from push.demo import DEMO_TOKEN, demo_browser

    assert demo_browser().p256dh == demo_browser().p256dh
    service.add(DEMO_TOKEN, demo_browser())
    PushSubscription.objects.create(
        user=world.member,
        endpoint=f"{service.origin}/push/{DEMO_TOKEN}",
        p256dh=demo_browser().p256dh,
        auth=demo_browser().auth,
    )
    PushSender().send(message(world.member))
    assert service.received[0].status == 201, service.received[0].problem
    assert service.received[0].json()["tag"] == "notice-41"
