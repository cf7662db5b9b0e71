"""Webhooks as a receiver sees them: a small real HTTP server on 127.0.0.1 checks each request's
HMAC and timestamp the way docs/webhooks.md tells an integrator to; retries, giving up and sending
again; the addresses refused; the pages."""

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError, InvalidTransition, PermissionDenied
from notifications import outbox, services, webhooks
from notifications.models import WebhookDelivery, WebhookEndpoint
from notifications.tests.receiver import TOLERANCE, Receiver, serve
from tests import scenarios

State = WebhookDelivery.State


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    with serve() as state:
        yield state


def _endpoint(
    world: Any, receiver: Receiver, events: tuple[str, ...] = ("plan.submitted",)
) -> WebhookEndpoint:
    endpoint = services.register_webhook(
        actor=world.officer, organization=world.party, url=receiver.url, events=list(events)
    )
    receiver.secret = endpoint.secret_shown
    return endpoint


def _later(minutes: float) -> Any:
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=True)


# --- Signed deliveries ---------------------------------------------------------------------------


def test_a_receiver_verifies_the_signature_and_timestamp_of_a_delivery(world, receiver, settings):
    settings.SITE_URL = "https://chuyende.truongchinhtri.vn"
    endpoint = _endpoint(world, receiver)
    plan = scenarios.plan(world, "submitted")

    assert webhooks.drain().delivered == 1

    [request] = receiver.received
    assert request["verified"]
    delivery = WebhookDelivery.objects.get()
    headers = request["headers"]
    assert headers["X-Chuyende-Event"] == "plan.submitted"
    assert headers["X-Chuyende-Delivery"] == str(delivery.pk)
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    payload = json.loads(request["body"])
    assert payload == delivery.payload
    assert payload["event"] == "plan.submitted"
    assert payload["id"] == str(delivery.event_id)
    assert payload["organization"] == {"id": world.cell.pk, "name": "Chi bộ Khoa Xây dựng Đảng"}
    assert payload["object"] == {
        "id": plan.pk,
        "kind": "plan",
        "title": f"Chi bộ Khoa Xây dựng Đảng · {plan.year}",
        "url": f"https://chuyende.truongchinhtri.vn/ke-hoach/{plan.pk}/",
    }
    assert (payload["year"], payload["quarter"], payload["cell"]) == (plan.year, None, world.cell.pk)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.response_code) == (State.DELIVERED, 1, 200)
    assert delivery.response_excerpt == "đã nhận"
    assert endpoint.deliveries.count() == 1


def test_after_a_new_secret_the_old_one_no_longer_verifies(world, receiver):
    endpoint = _endpoint(world, receiver)
    old = receiver.secret
    rotated = services.rotate_webhook_secret(actor=world.officer, endpoint=endpoint)
    assert rotated.secret_shown != old
    scenarios.plan(world, "submitted")

    webhooks.drain()

    assert [request["verified"] for request in receiver.received] == [False]  # the receiver's check can fail
    receiver.secret = rotated.secret_shown
    assert receiver.verify(receiver.received[0]["headers"], receiver.received[0]["body"])


def test_a_receiver_refuses_a_delivery_replayed_later(world, receiver):
    _endpoint(world, receiver)
    scenarios.plan(world, "submitted")
    webhooks.drain()
    [request] = receiver.received

    with _later(TOLERANCE / 60 + 1):
        assert not receiver.verify(request["headers"], request["body"])


# --- Retries, giving up, sending again -----------------------------------------------------------


def test_a_failed_delivery_is_retried_after_the_backoff(world, receiver):
    _endpoint(world, receiver)
    receiver.answers = [500]
    scenarios.plan(world, "submitted")

    assert webhooks.drain().retrying == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.response_code) == (State.PENDING, 1, 500)
    assert delivery.last_error == "HTTP 500"
    assert delivery.last_attempt_at is not None
    assert delivery.next_attempt_at - delivery.last_attempt_at == outbox.backoff(1)

    assert webhooks.drain().delivered == 0  # not due yet
    assert len(receiver.received) == 1

    with _later(outbox.backoff(1).total_seconds() / 60 + 0.1):
        assert webhooks.drain().delivered == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.response_code) == (State.DELIVERED, 2, 200)
    assert [request["verified"] for request in receiver.received] == [True, True]
    ids = {request["headers"]["X-Chuyende-Delivery"] for request in receiver.received}
    assert ids == {str(delivery.pk)}  # the same delivery, so the receiver can drop a duplicate


def test_after_the_last_attempt_the_delivery_fails_and_can_be_sent_again(world, receiver):
    endpoint = _endpoint(world, receiver)
    receiver.answers = [503] * outbox.MAX_ATTEMPTS
    scenarios.plan(world, "submitted")

    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        with _later(sum(outbox.backoff(n).total_seconds() for n in range(1, attempt)) / 60 + attempt * 0.1):
            webhooks.drain()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.response_code) == (State.FAILED, 8, 503)
    assert len(receiver.received) == outbox.MAX_ATTEMPTS
    assert webhooks.drain().delivered == 0  # failed stays failed

    services.resend_delivery(actor=world.officer, delivery=delivery)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (State.PENDING, 0)
    assert webhooks.drain().delivered == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.response_code) == (State.DELIVERED, 200)
    assert receiver.received[-1]["verified"]
    assert endpoint.deliveries.count() == 1


def test_a_redirect_is_not_followed(world, receiver):
    _endpoint(world, receiver)
    receiver.answers = [302]
    scenarios.plan(world, "submitted")

    webhooks.drain()

    assert len(receiver.received) == 1  # "elsewhere" was never asked
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.response_code) == (State.PENDING, 302)
    assert "redirects are not followed" in delivery.last_error


def test_a_worker_that_died_mid_delivery_is_taken_over_after_the_lease(world, receiver):
    _endpoint(world, receiver)
    scenarios.plan(world, "submitted")
    [claimed] = webhooks.claim()  # the worker dies here
    assert webhooks.claim() == []  # others leave it alone during the lease

    with _later(outbox.LEASE.total_seconds() / 60 + 1):
        assert webhooks.drain().delivered == 1
    claimed.refresh_from_db()
    assert (claimed.state, claimed.attempts) == (State.DELIVERED, 2)


def test_a_deactivated_endpoint_gets_nothing_until_it_is_active_again(world, receiver):
    endpoint = _endpoint(world, receiver)
    scenarios.plan(world, "submitted")
    services.set_webhook_active(actor=world.officer, endpoint=endpoint, active=False)

    assert webhooks.drain().delivered == 0
    with pytest.raises(InvalidTransition):
        services.resend_delivery(actor=world.officer, delivery=WebhookDelivery.objects.get())

    services.set_webhook_active(actor=world.officer, endpoint=endpoint, active=True)
    assert webhooks.drain().delivered == 1
    assert len(receiver.received) == 1


def test_manage_py_outbox_send_drains_the_webhooks_too(world, receiver):
    from io import StringIO

    from django.core.management import call_command

    _endpoint(world, receiver)
    scenarios.plan(world, "submitted")
    out = StringIO()

    call_command("outbox", "--send", stdout=out)

    assert "Webhooks delivered: 1" in out.getvalue()
    assert WebhookDelivery.objects.get().state == State.DELIVERED


def test_the_job_runs_after_the_commit_of_the_change(world, receiver, django_capture_on_commit_callbacks):
    _endpoint(world, receiver)
    with django_capture_on_commit_callbacks(execute=True):
        scenarios.plan(world, "submitted")

    # The embedded task backend runs the job at once: the delivery went out once the change committed.
    assert WebhookDelivery.objects.get().state == State.DELIVERED
    assert [request["verified"] for request in receiver.received] == [True]


# --- Addresses that are refused (SSRF) ------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.vn/x",  # not HTTPS
        "ftp://hooks.example.vn/x",
        "https://127.0.0.1/x",
        "https://localhost/x",
        "https://api.localhost/x",
        "https://10.0.0.5/x",
        "https://192.168.1.10/x",
        "https://169.254.169.254/latest/meta-data/",  # a cloud's metadata service
        "https://[::1]/x",
        "https://[::ffff:127.0.0.1]/x",
        "https://0.0.0.0/x",
        "https://user:secret@hooks.example.vn/x",
        "https://hooks.example.vn:notaport/x",
    ],
)
def test_an_address_off_the_public_internet_or_not_https_is_refused(settings, url):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(DomainError):
        webhooks.check_url(url)


def test_a_public_https_address_is_accepted(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    assert (
        webhooks.check_url(" https://hooks.example.vn/chuyende?x=1 ")
        == "https://hooks.example.vn/chuyende?x=1"
    )
    assert webhooks.check_url("https://93.184.215.14:8443/x") == "https://93.184.215.14:8443/x"


def test_the_setting_allows_a_local_receiver(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    assert webhooks.check_url("http://127.0.0.1:8000/hook") == "http://127.0.0.1:8000/hook"


def test_a_name_that_resolves_to_a_private_address_is_not_connected_to(world, receiver, settings):
    """Registered while allowed (or a name whose DNS changed since): each delivery checks again."""
    endpoint = _endpoint(world, receiver)
    port = receiver.url.split(":")[2].split("/")[0]
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(url=f"https://localhost:{port}/hook/")
    scenarios.plan(world, "submitted")
    settings.WEBHOOKS_ALLOW_PRIVATE = False

    assert webhooks.drain().retrying == 1

    assert receiver.received == []
    delivery = WebhookDelivery.objects.get()
    assert "not on the public Internet" in delivery.last_error
    assert delivery.response_code is None


def test_plain_http_is_not_sent_without_the_setting(world, receiver, settings):
    _endpoint(world, receiver)
    scenarios.plan(world, "submitted")
    settings.WEBHOOKS_ALLOW_PRIVATE = False

    webhooks.drain()

    assert receiver.received == []
    assert "only https" in WebhookDelivery.objects.get().last_error


# --- Registering -----------------------------------------------------------------------------------


def test_the_officer_registers_a_webhook_and_sees_its_secret_once(world):
    endpoint = services.register_webhook(
        actor=world.officer,
        organization=world.party,
        url="https://hooks.example.vn/chuyende",
        events=["report.submitted", "plan.submitted", "plan.submitted"],
    )
    assert endpoint.events == ["plan.submitted", "report.submitted"]
    assert endpoint.secret_shown.startswith("whsec_") and len(endpoint.secret_shown) > 40
    assert WebhookEndpoint.objects.get().secret_shown == ""  # a fresh load does not carry it


@pytest.mark.parametrize("persona", ["secretary", "deputy", "member", "foreign_officer"])
def test_only_the_officers_above_and_administrators_register_webhooks(world, persona):
    with pytest.raises(PermissionDenied):
        services.register_webhook(
            actor=world.persona(persona),
            organization=world.cell,
            url="https://hooks.example.vn/x",
            events=["plan.submitted"],
        )


@pytest.mark.parametrize("events", [[], ["plan.deleted"]])
def test_events_must_be_chosen_from_the_list(world, events):
    with pytest.raises(DomainError) as refused:
        services.register_webhook(
            actor=world.admin, organization=world.cell, url="https://hooks.example.vn/x", events=events
        )
    assert refused.value.field == "events"


# --- The pages -----------------------------------------------------------------------------------


def test_the_register_page_shows_the_secret_once_then_the_log(client, world):
    client.force_login(world.officer)
    response = client.post(
        reverse("notifications:webhook_add", args=[world.party.pk]),
        {"url": "https://hooks.example.vn/chuyende", "events": ["plan.submitted", "resolution.issued"]},
        follow=True,
    )
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret in response.content.decode()
    assert (
        endpoint.secret
        not in client.get(reverse("notifications:webhook", args=[endpoint.pk])).content.decode()
    )


def test_the_register_form_says_why_an_address_is_refused(client, world):
    client.force_login(world.officer)
    response = client.post(
        reverse("notifications:webhook_add", args=[world.party.pk]),
        {"url": "https://192.168.1.10/hook", "events": ["plan.submitted"]},
    )
    assert response.status_code == 200
    assert WebhookEndpoint.objects.count() == 0
    assert response.context["form"].errors["url"]


def test_the_organisation_page_links_its_webhooks_for_its_officer_only(client, world):
    url = reverse("notifications:webhooks", args=[world.cell.pk])
    client.force_login(world.officer)
    assert url in client.get(reverse("organizations:detail", args=[world.cell.pk])).content.decode()
    client.force_login(world.secretary)
    assert url not in client.get(reverse("organizations:detail", args=[world.cell.pk])).content.decode()


def _log_queries(client: Any, endpoint: WebhookEndpoint) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("notifications:webhook", args=[endpoint.pk]))
    assert response.status_code == 200
    return len(queries)


def _deliveries(endpoint: WebhookEndpoint, count: int) -> None:
    import uuid

    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint=endpoint,
            event="plan.submitted",
            event_id=uuid.uuid4(),
            payload={"object": {"title": f"Kế hoạch {n}"}},
            state=State.FAILED if n % 2 else State.DELIVERED,
            attempts=1,
            response_code=500 if n % 2 else 200,
        )
        for n in range(count)
    )


def test_the_delivery_log_makes_the_same_queries_whatever_its_length(client, world):
    endpoint = services.register_webhook(
        actor=None, organization=world.party, url="https://hooks.example.vn/x", events=["plan.submitted"]
    )
    client.force_login(world.officer)
    _deliveries(endpoint, 3)
    few = _log_queries(client, endpoint)
    _deliveries(endpoint, 120)

    many = _log_queries(client, endpoint)

    assert many == few
    assert many <= 12
    page = client.get(reverse("notifications:webhook", args=[endpoint.pk]))
    assert len(page.context["page"].object_list) == 50
    assert page.content.decode().count(">Gửi lại</button>") == 50


def test_the_list_of_webhooks_makes_the_same_queries_whatever_their_number(client, world):
    client.force_login(world.officer)
    for n in range(2):
        services.register_webhook(
            actor=None,
            organization=world.party,
            url=f"https://hooks.example.vn/{n}",
            events=["plan.submitted"],
        )
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("notifications:webhooks", args=[world.party.pk]))
    for n in range(2, 12):
        endpoint = services.register_webhook(
            actor=None,
            organization=world.party,
            url=f"https://hooks.example.vn/{n}",
            events=["plan.submitted"],
        )
        _deliveries(endpoint, 3)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("notifications:webhooks", args=[world.party.pk]))
    assert len(many) == len(few)
    assert response.content.decode().count("hooks.example.vn/") == 12


def test_send_again_from_the_log(client, world):
    endpoint = services.register_webhook(
        actor=None, organization=world.party, url="https://hooks.example.vn/x", events=["plan.submitted"]
    )
    _deliveries(endpoint, 1)
    delivery = WebhookDelivery.objects.get()
    client.force_login(world.officer)

    response = client.post(reverse("notifications:delivery_resend", args=[delivery.pk]))

    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (State.PENDING, 0)


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_at_once_never_take_the_same_delivery(world, settings):
    """SELECT … FOR UPDATE SKIP LOCKED (PostgreSQL): two workers in their own transactions at once."""
    if not connection.features.has_select_for_update_skip_locked:
        pytest.skip("row locks (SELECT … FOR UPDATE SKIP LOCKED) are what is tested")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # queued, not sent
    for n in range(4):
        services.register_webhook(
            actor=None,
            organization=world.party,
            url=f"https://hooks.example.vn/{n}",
            events=["plan.submitted"],
        )
    scenarios.plan(world, "submitted")
    assert WebhookDelivery.objects.count() == 4
    barrier = threading.Barrier(2)
    taken: list[list[int]] = []

    def worker() -> None:
        try:
            with transaction.atomic():
                barrier.wait()
                taken.append([row.pk for row in webhooks.claim(batch=2)])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    first, second = taken
    assert len(first) == len(second) == 2 and not set(first) & set(second)


def test_the_form_names_a_refused_address_beside_the_other_missing_fields():
    from notifications.forms import WebhookForm

    form = WebhookForm(data={"url": "http://127.0.0.1/hook"})
    assert not form.is_valid()
    assert set(form.errors) == {"url", "events"}
