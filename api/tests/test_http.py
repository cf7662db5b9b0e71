"""What every operation does around its own work (api/http.py): ETag and 304, Idempotency-Key,
rate limits, body caps, the CSRF check of the session, the language of the answers."""

import json

import pytest
from django.core.cache import cache
from django.test import Client

from accounts import services
from accounts.models import AccessToken
from api.models import IdempotencyKey
from core.models import AuditEntry


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def new_token(client: Client, key: str, name: str = "Script", **headers: str):
    return client.post(
        "/api/v1/tokens",
        {"name": name, "days": 30, "scope": "read"},
        content_type="application/json",
        headers={"Idempotency-Key": key, **headers},
    )


@pytest.mark.django_db
class TestETag:
    def test_a_get_carries_a_strong_etag_and_a_repeat_gets_304(self, client, world):
        client.force_login(world.member)
        first = client.get("/api/v1/organizations")
        etag = first["ETag"]
        assert etag.startswith('"') and first["Cache-Control"] == "private, no-cache"
        assert {"Authorization", "Cookie", "Accept-Language"} <= {v.strip() for v in first["Vary"].split(",")}
        again = client.get("/api/v1/organizations", headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
        # The gzip middleware makes compressed answers' tags weak; they still match.
        weak = client.get("/api/v1/organizations", headers={"If-None-Match": f'"x", W/{etag}'})
        assert weak.status_code == 304

    def test_a_change_changes_the_etag(self, client, world):
        client.force_login(world.member)
        etag = client.get("/api/v1/tokens")["ETag"]
        services.create_token(actor=world.member, name="new", days=30, scope="read")
        response = client.get("/api/v1/tokens", headers={"If-None-Match": etag})
        assert response.status_code == 200 and response["ETag"] != etag

    def test_refusals_carry_no_etag(self, client, world):
        client.force_login(world.member)
        response = client.get(f"/api/v1/organizations/{world.foreign_cell.pk}")
        assert response.status_code == 404 and "ETag" not in response


@pytest.mark.django_db
class TestIdempotencyKey:
    def test_a_repeat_gets_the_first_answer_without_a_second_write(self, client, world):
        client.force_login(world.member)
        first = new_token(client, "k-1")
        again = new_token(client, "k-1")
        assert first.status_code == again.status_code == 201
        assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
        assert AccessToken.objects.count() == 1
        assert AuditEntry.objects.filter(action="accounts.token.created").count() == 1
        assert new_token(client, "k-2").status_code == 201
        assert AccessToken.objects.count() == 2

    def test_the_same_key_with_another_body_is_refused(self, client, world):
        client.force_login(world.member)
        new_token(client, "k-1")
        response = new_token(client, "k-1", name="Another")
        assert response.status_code == 422
        assert response.json()["code"] == "idempotency_key_reused"
        assert response.json()["message"].startswith("Idempotency-Key này đã được dùng")
        assert AccessToken.objects.count() == 1

    def test_keys_belong_to_their_caller(self, client, world):
        client.force_login(world.member)
        new_token(client, "k-1")
        other = Client()
        other.force_login(world.secretary)
        assert new_token(other, "k-1").status_code == 201
        assert AccessToken.objects.count() == 2

    def test_a_refusal_is_an_answer_too(self, client, world):
        client.force_login(world.member)
        bad = {"name": "x", "days": 7, "scope": "read"}
        post = lambda: client.post(  # noqa: E731
            "/api/v1/tokens", bad, content_type="application/json", headers={"Idempotency-Key": "k"}
        )
        assert post().status_code == 400
        assert post()["Idempotent-Replayed"] == "true"

    def test_while_the_first_is_running_a_repeat_is_told_to_wait(self, client, world):
        client.force_login(world.member)
        # The first request claimed the key and has not answered yet.
        from api.idempotency import fingerprint

        request = client.post(
            "/api/v1/tokens", {"name": "Script", "days": 30, "scope": "read"}, content_type="application/json"
        ).wsgi_request
        IdempotencyKey.objects.create(user=world.member, key="k", fingerprint=fingerprint(request))
        response = new_token(client, "k")
        assert response.status_code == 409 and response.json()["code"] == "idempotency_key_in_use"
        assert AccessToken.objects.count() == 1  # the request sent above without a key
        # A claim unanswered for ten minutes was left by a process that died: the next repeat runs.
        from datetime import timedelta

        from django.utils import timezone

        IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(minutes=11))
        assert new_token(client, "k").status_code == 201
        assert AccessToken.objects.count() == 2

    def test_old_keys_are_purged(self, client, world):
        from datetime import timedelta

        from django.core.management import call_command
        from django.utils import timezone

        client.force_login(world.member)
        new_token(client, "old")
        new_token(client, "new", name="n")
        IdempotencyKey.objects.filter(key="old").update(created_at=timezone.now() - timedelta(hours=25))
        call_command("purge_idempotency_keys", verbosity=0)
        assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_repeats_run_the_service_once(world):
    """Two requests with one key at the same time: one makes the token, the other waits or replays.
    Meaningful on PostgreSQL (SQLite serialises the writers)."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    def send(_n: int) -> int:
        client = Client()
        client.force_login(world.member)
        try:
            return new_token(client, "same").status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(pool.map(send, range(4)))
    assert AccessToken.objects.count() == 1
    assert statuses.count(201) >= 1 and set(statuses) <= {201, 409}


@pytest.mark.django_db
class TestLimits:
    def test_over_the_rate_429_with_retry_after(self, client, world, settings):
        cache.clear()  # counts of earlier tests' users, whose ids this one's may reuse
        settings.API_RATE_LIMIT = "3/min"
        _token, secret = services.create_token(actor=world.member, name="t", days=30, scope="read")
        for _n in range(3):
            assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
        response = client.get("/api/v1/me", headers=bearer(secret))
        assert response.status_code == 429 and response.json()["code"] == "too_many_requests"
        assert 0 < int(response["Retry-After"]) <= 60
        # Counted per token: the same user's session has its own count.
        client.force_login(world.member)
        assert client.get("/api/v1/me").status_code == 200

    def test_a_json_body_over_the_cap_is_refused_413(self, client, world, settings):
        settings.API_JSON_MAX_KB = 1
        client.force_login(world.member)
        body = json.dumps({"name": "x" * 2000, "days": 30, "scope": "read"})
        response = client.post("/api/v1/tokens", body, content_type="application/json")
        assert response.status_code == 413
        assert response.json() == {
            "code": "too_large",
            "message": "Nội dung yêu cầu lớn hơn 1 KB.",
            "fields": {},
        }

    def test_an_upload_over_the_limit_is_refused_413_in_the_error_shape(self, client, world, settings):
        settings.UPLOAD_MAX_MB = 1
        client.force_login(world.member)
        # The size declared is what counts: nothing is read.
        response = client.generic(
            "POST",
            "/api/v1/tokens",
            b"x",
            content_type="multipart/form-data; boundary=x",
            CONTENT_LENGTH=str(3 * 1024 * 1024),
        )
        assert response.status_code == 413 and response.json()["code"] == "too_large"

    def test_too_many_query_parameters_are_refused_400_in_the_error_shape(self, client, world):
        # Django refuses over DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000) as a suspicious request; the API
        # answers it in its own shape, not with the pages' HTML (found by schemathesis in CI).
        client.force_login(world.member)
        query = "&".join(f"page={n}" for n in range(1500))
        response = client.get(f"/api/v1/plans?{query}")
        assert response.status_code == 400
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["code"] == "bad_request"
        assert response.json()["message"] == "Yêu cầu không hợp lệ."


@pytest.mark.django_db
class TestSessionAndLanguage:
    def test_a_session_post_needs_its_csrf_token(self, world):
        client = Client(enforce_csrf_checks=True)
        client.force_login(world.member)
        body = {"name": "x", "days": 30, "scope": "read"}
        refused = client.post("/api/v1/tokens", body, content_type="application/json")
        assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
        assert not AccessToken.objects.exists()
        client.get("/tai-khoan/ma-truy-cap/")  # the page sets the CSRF cookie
        token = client.cookies["csrftoken"].value
        accepted = client.post(
            "/api/v1/tokens", body, content_type="application/json", headers={"X-CSRFToken": token}
        )
        assert accepted.status_code == 201

    def test_an_anonymous_post_is_401_not_a_csrf_refusal(self):
        client = Client(enforce_csrf_checks=True)
        assert client.post("/api/v1/tokens", {}, content_type="application/json").status_code == 401

    def test_refusals_are_in_vietnamese_by_default(self, client, world):
        response = client.get("/api/v1/me")
        assert response.json()["message"] == "Hãy đăng nhập hoặc gửi mã truy cập hợp lệ."
        assert response["Content-Language"] == "vi"

    def test_accept_language_asks_for_english(self, client, world):
        response = client.get("/api/v1/me", headers={"Accept-Language": "en-GB,en;q=0.8"})
        assert response.json()["message"] == "Sign in or send a valid access token."
        assert response["Content-Language"] == "en"

    def test_the_choice_made_on_the_pages_wins(self, client, world):
        client.cookies["django_language"] = "en"
        client.force_login(world.member)
        response = client.get(
            f"/api/v1/organizations/{world.foreign_cell.pk}", headers={"Accept-Language": "vi"}
        )
        assert response.json()["message"] == "Not found."
        client.cookies["django_language"] = "vi"
        response = client.get(
            f"/api/v1/organizations/{world.foreign_cell.pk}", headers={"Accept-Language": "en"}
        )
        assert response.json()["message"] == "Không tìm thấy."


@pytest.mark.django_db
def test_an_unreadable_multipart_body_with_a_wrong_token_is_answered_in_the_error_shape(client):
    """django-axes reads the fields of a failed sign-in; a body Django cannot parse is a 400 in JSON, not
    Django's HTML page (found by tools/api_fuzz.py)."""
    response = client.generic(
        "POST",
        "/api/v1/sessions/1/draft/versions",
        b"--x\r\nabc",
        content_type="multipart/form-data",
        headers={"Authorization": "Bearer cd_wrong"},
    )
    assert response.status_code == 400 and response.json()["code"] == "bad_request"
