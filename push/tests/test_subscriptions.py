"""The JSON endpoints the "Nhận thông báo" button calls: a person stores and removes their own
browser's subscription, and bad input gets a clear answer in Vietnamese."""

import json

import pytest
from django.urls import reverse

from core.models import AuditEntry
from push.models import PushSubscription
from push.standin import BrowserKeys

ENDPOINT = "https://fcm.googleapis.com/fcm/send/dGVzdC1zdWJzY3JpcHRpb24"


def browser_json(endpoint: str = ENDPOINT) -> dict:
    keys = BrowserKeys()
    return {"endpoint": endpoint, "expirationTime": None, "keys": {"p256dh": keys.p256dh, "auth": keys.auth}}


def post(client, name: str, body) -> object:
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(reverse(name), data, content_type="application/json", HTTP_USER_AGENT="Chrome/131.0")


def test_a_member_stores_the_subscription_their_browser_made(client, world):
    client.force_login(world.member)
    body = browser_json()
    response = post(client, "push:subscribe", body)
    assert response.status_code == 201
    stored = PushSubscription.objects.get()
    assert (stored.user, stored.endpoint, stored.p256dh, stored.auth) == (
        world.member,
        ENDPOINT,
        body["keys"]["p256dh"],
        body["keys"]["auth"],
    )
    assert stored.browser_name == "Chrome"
    assert AuditEntry.objects.filter(action="push.subscription.created").count() == 1


def test_subscribing_again_renews_the_keys_without_a_second_row(client, world):
    client.force_login(world.member)
    post(client, "push:subscribe", browser_json())
    renewed = browser_json()
    assert post(client, "push:subscribe", renewed).status_code == 201
    assert PushSubscription.objects.get().p256dh == renewed["keys"]["p256dh"]


def test_a_browser_that_changes_hands_belongs_to_who_subscribed_last(client, world):
    client.force_login(world.member)
    post(client, "push:subscribe", browser_json())
    client.force_login(world.deputy)
    post(client, "push:subscribe", browser_json())
    assert PushSubscription.objects.get().user == world.deputy


@pytest.mark.parametrize(
    "body, message",
    [
        ("{not json", "Không đọc được yêu cầu: dữ liệu không đúng định dạng JSON."),
        ("[1, 2]", "Không đọc được yêu cầu: dữ liệu không đúng định dạng JSON."),
        ({"keys": {"p256dh": "x", "auth": "y"}}, "Trình duyệt không gửi địa chỉ của dịch vụ thông báo."),
        ({"endpoint": ENDPOINT}, "Trình duyệt gửi khóa mà trang này không dùng được."),
        (
            {"endpoint": ENDPOINT, "keys": {"p256dh": "AAAA", "auth": BrowserKeys().auth}},
            "Trình duyệt gửi khóa mà trang này không dùng được.",
        ),
        (
            {**browser_json(), "endpoint": "http://127.0.0.1:9/push/x"},
            "Không dùng được địa chỉ dịch vụ thông báo này.",
        ),
    ],
    ids=["not-json", "not-an-object", "no-endpoint", "no-keys", "short-key", "private-endpoint"],
)
def test_bad_input_is_refused_with_a_vietnamese_message_and_nothing_stored(client, world, body, message):
    client.force_login(world.member)
    response = post(client, "push:subscribe", body)
    assert response.status_code == 400
    assert response.json() == {"error": message}
    assert not PushSubscription.objects.exists()


def test_a_member_removes_their_own_subscription(client, world):
    client.force_login(world.member)
    post(client, "push:subscribe", browser_json())
    response = post(client, "push:unsubscribe", {"endpoint": ENDPOINT})
    assert response.status_code == 200
    assert not PushSubscription.objects.exists()
    assert AuditEntry.objects.filter(action="push.subscription.deleted").count() == 1


def test_no_one_removes_another_persons_subscription(client, world):
    client.force_login(world.member)
    post(client, "push:subscribe", browser_json())
    client.force_login(world.admin)
    response = post(client, "push:unsubscribe", {"endpoint": ENDPOINT})
    assert response.status_code == 404
    assert PushSubscription.objects.filter(user=world.member).exists()


def test_the_endpoints_need_the_csrf_token(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.member)
    assert post(client, "push:subscribe", browser_json()).status_code == 403
    assert not PushSubscription.objects.exists()


def test_reachable_answers_for_many_people_in_one_query(world, django_assert_num_queries):
    from push.sender import PushSender, reachable

    PushSubscription.objects.create(user=world.member, endpoint=ENDPOINT, p256dh="k", auth="a")
    PushSubscription.objects.create(user=world.member, endpoint=ENDPOINT + "2", p256dh="k", auth="a")
    with django_assert_num_queries(1):
        assert reachable([world.member.pk, world.deputy.pk, world.secretary.pk]) == {world.member.pk}
    assert PushSender().reaches(world.member)
    assert not PushSender().reaches(world.deputy)


@pytest.mark.parametrize(
    "endpoint, accepted",
    [
        (ENDPOINT, True),
        ("https://updates.push.services.mozilla.com/wpush/v2/gAAAA", True),
        ("https://web.push.apple.com/QGuQyavXutnMH", True),
        ("https://push.example.com/x", False),  # a name anyone could point inside the server's network
        ("https://fcm.googleapis.com.example.com/x", False),
        ("https://notfcm.googleapis.com.evil/x", False),
    ],
)
def test_only_the_push_services_browsers_use_are_accepted(client, world, settings, endpoint, accepted):
    settings.PUSH_ALLOW_STANDIN = False
    client.force_login(world.member)
    response = post(client, "push:subscribe", browser_json(endpoint))
    assert (response.status_code < 400) is accepted
    assert PushSubscription.objects.filter(endpoint=endpoint).exists() is accepted


def test_the_sender_never_posts_to_a_stored_address_outside_the_push_services(
    world, settings, monkeypatch, vapid_keys
):
    from notifications.channels import Message, Refused
    from push import sender

    settings.PUSH_ALLOW_STANDIN = False
    PushSubscription.objects.create(user=world.member, endpoint="https://10.0.0.5/x", p256dh="k", auth="a")
    monkeypatch.setattr(sender, "webpush", lambda *a, **k: pytest.fail("posted to a private address"))
    message = Message(
        outbox_id=1, recipient_id=world.member.pk, kind="other", title="T", body="", url="/", params={}
    )
    with pytest.raises(Refused):
        sender.PushSender().send(message)
    assert not PushSubscription.objects.exists()


def test_routing_asks_push_whom_it_reaches_in_one_query(world, django_assert_num_queries, vapid_keys):
    from notifications import channels, routing

    PushSubscription.objects.create(user=world.member, endpoint=ENDPOINT, p256dh="k", auth="a")
    users = [world.member, world.deputy, world.secretary, world.probationary]
    with django_assert_num_queries(1):
        assert routing.reachable(channels.PUSH, users) == {world.member.pk}
