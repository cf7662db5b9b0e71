"""Personal access tokens: made on the account page (shown once, kept hashed), used as
``Authorization: Bearer …`` with their scope, recorded, expiring, revoked, and counted like failed
sign-ins when wrong."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import services
from accounts.models import AccessToken
from api.auth import TOKEN_LOGIN
from core.models import AuditEntry


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def read_token(world):
    return services.create_token(actor=world.member, name="Bảng tính", days=30, scope="read")


@pytest.fixture
def write_token(world):
    return services.create_token(actor=world.secretary, name="Đồng bộ", days=90, scope="write")


@pytest.mark.django_db
class TestTheAccountPage:
    def test_a_new_token_is_shown_once_and_kept_hashed(self, client, world):
        client.force_login(world.member)
        response = client.post(
            "/tai-khoan/ma-truy-cap/", {"name": "Bảng tính", "days": "30", "scope": "read"}, follow=True
        )
        token = AccessToken.objects.get(user=world.member)
        secret = response.context["new_secret"]
        assert secret.startswith("cd_") and len(secret) >= 3 + 43
        assert secret in response.content.decode()
        # Only the digest and a short prefix are stored.
        assert token.digest == services.digest_of(secret) and secret not in token.digest
        assert secret.startswith(token.prefix) and len(token.prefix) < 12
        assert AuditEntry.objects.filter(action="accounts.token.created", object_id=token.pk).exists()
        # Shown once: the next visit lists the token without its secret.
        again = client.get("/tai-khoan/ma-truy-cap/").content.decode()
        assert "Bảng tính" in again and secret not in again
        assert timezone.now() + timedelta(days=29) < token.expires_at < timezone.now() + timedelta(days=31)

    def test_an_expiry_must_be_chosen(self, client, world):
        client.force_login(world.member)
        response = client.post("/tai-khoan/ma-truy-cap/", {"name": "X", "days": "7", "scope": "read"})
        assert response.status_code == 200 and response.context["form"].errors["days"]
        assert not AccessToken.objects.exists()

    def test_the_owner_revokes_and_nobody_else_can(self, client, world, read_token):
        token, secret = read_token
        client.force_login(world.secretary)
        assert client.post(f"/tai-khoan/ma-truy-cap/{token.pk}/thu-hoi/").status_code == 404
        client.force_login(world.member)
        assert client.post(f"/tai-khoan/ma-truy-cap/{token.pk}/thu-hoi/").status_code == 302
        token.refresh_from_db()
        assert token.revoked_at is not None
        assert AuditEntry.objects.filter(action="accounts.token.revoked", object_id=token.pk).exists()
        assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401


@pytest.mark.django_db
class TestUsingAToken:
    def test_a_token_acts_as_its_user(self, client, world, read_token):
        token, secret = read_token
        body = client.get("/api/v1/me", headers=bearer(secret)).json()
        assert body["username"] == world.member.username
        assert body["token"] == {"id": token.pk, "name": "Bảng tính", "scope": "read"}
        assert [cell["id"] for cell in body["cells"]] == [world.cell.pk]
        assert body["cells"][0]["member"] is True and body["cells"][0]["manages"] is False

    def test_who_am_i_takes_a_fixed_number_of_queries(self, client, world, django_assert_max_num_queries):
        _token, secret = services.create_token(actor=world.officer, name="t", days=30, scope="read")
        # The lockout check, the token and its user, its use, the scope (4), the cells, the Đảng bộ.
        with django_assert_max_num_queries(9):
            body = client.get("/api/v1/me", headers=bearer(secret)).json()
        assert [org["id"] for org in body["officer_of"]] == [world.party.pk]

    def test_its_use_is_recorded_at_most_once_a_minute(self, client, world, read_token):
        token, secret = read_token
        client.get("/api/v1/tokens", headers=bearer(secret), REMOTE_ADDR="203.0.113.7")
        token.refresh_from_db()
        first_use = token.last_used_at
        assert first_use is not None and token.last_used_ip == "203.0.113.7"
        client.get("/api/v1/tokens", headers=bearer(secret), REMOTE_ADDR="203.0.113.7")
        token.refresh_from_db()
        assert token.last_used_at == first_use  # not written again within the minute
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=first_use - timedelta(minutes=2))
        client.get("/api/v1/tokens", headers=bearer(secret), REMOTE_ADDR="203.0.113.7")
        token.refresh_from_db()
        assert token.last_used_at > first_use

    def test_a_read_token_may_not_change_anything(self, client, world, read_token):
        token, secret = read_token
        response = client.delete(f"/api/v1/tokens/{token.pk}", headers=bearer(secret))
        assert response.status_code == 403
        assert response.json()["message"] == (
            "Mã truy cập này chỉ được đọc: hãy tạo mã đọc và ghi để thay đổi dữ liệu."
        )
        token.refresh_from_db()
        assert token.revoked_at is None

    def test_a_write_token_may(self, client, world, write_token):
        token, secret = write_token
        assert client.delete(f"/api/v1/tokens/{token.pk}", headers=bearer(secret)).status_code == 204
        token.refresh_from_db()
        assert token.revoked_at is not None
        assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401

    def test_an_expired_token_is_refused(self, client, world, read_token):
        token, secret = read_token
        AccessToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        response = client.get("/api/v1/me", headers=bearer(secret))
        assert response.status_code == 401 and response.json()["code"] == "unauthenticated"

    def test_a_disabled_user_token_is_refused(self, client, world, read_token):
        _token, secret = read_token
        world.member.is_active = False
        world.member.save(update_fields=["is_active"])
        assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401

    def test_a_token_cannot_make_tokens(self, client, world, write_token):
        _token, secret = write_token
        response = client.post(
            "/api/v1/tokens",
            {"name": "con", "days": 30, "scope": "write"},
            content_type="application/json",
            headers=bearer(secret),
        )
        assert response.status_code == 403
        assert AccessToken.objects.filter(user=world.secretary).count() == 1

    def test_wrong_tokens_lock_the_address_out(self, client, world, read_token, settings):
        settings.AXES_FAILURE_LIMIT = 3
        _token, secret = read_token
        for _attempt in range(2):
            assert client.get("/api/v1/me", headers=bearer("cd_wrong")).status_code == 401
        assert client.get("/api/v1/me", headers=bearer("cd_wrong")).status_code == 429  # the third
        response = client.get("/api/v1/me", headers=bearer(secret))  # even the right one, for a while
        assert response.status_code == 429
        body = response.json()
        assert body["code"] == "locked_out"
        assert body["message"] == (
            "Quá nhiều lần thử sai (3). Mã truy cập từ địa chỉ này bị từ chối trong 15 phút."
        )
        assert int(response["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
        # Another address is not locked out.
        assert client.get("/api/v1/me", headers=bearer(secret), REMOTE_ADDR="198.51.100.1").status_code == 200

    def test_failures_are_counted_as_sign_in_failures_of_no_account(self, client, world):
        from axes.models import AccessAttempt

        client.get("/api/v1/me", headers=bearer("cd_wrong"))
        attempt = AccessAttempt.objects.get()
        assert attempt.username == TOKEN_LOGIN and attempt.failures_since_start == 1


@pytest.mark.django_db
class TestTokenOperations:
    def test_a_session_makes_a_token_and_sees_its_secret_once(self, client, world):
        client.force_login(world.member)
        response = client.post(
            "/api/v1/tokens",
            {"name": "Script", "days": 90, "scope": "write"},
            content_type="application/json",
        )
        assert response.status_code == 201
        body = response.json()
        assert body["secret"].startswith("cd_") and body["scope"] == "write"
        assert "secret" not in client.get("/api/v1/tokens").json()["items"][0]
        assert AuditEntry.objects.filter(action="accounts.token.created").count() == 1
        assert client.get("/api/v1/me", headers=bearer(body["secret"])).status_code == 200

    def test_a_bad_lifetime_is_refused_with_the_field(self, client, world):
        client.force_login(world.member)
        response = client.post(
            "/api/v1/tokens", {"name": "Script", "days": 7, "scope": "read"}, content_type="application/json"
        )
        assert response.status_code == 400
        assert response.json()["fields"] == {"days": ["Hãy chọn thời hạn của mã."]}

    def test_someone_elses_token_does_not_exist(self, client, world, read_token):
        token, _secret = read_token
        client.force_login(world.secretary)
        assert client.delete(f"/api/v1/tokens/{token.pk}").status_code == 404
        assert client.get("/api/v1/tokens").json()["count"] == 0

    def test_listing_takes_a_fixed_number_of_queries(self, client, world, django_assert_max_num_queries):
        for n in range(5):
            services.create_token(actor=world.member, name=f"t{n}", days=30, scope="read")
        client.force_login(world.member)
        with django_assert_max_num_queries(6):
            assert client.get("/api/v1/tokens").json()["count"] == 5
