"""Signing in: username or e-mail, lockout after repeated failures, password change and reset."""

import re

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

LOGIN = reverse("accounts:login")


@pytest.fixture
def person(db):
    return UserFactory(username="bithu", email="Bithu@Truong.example.vn", first_name="Bình")


def sign_in(client, login, password="chuyende-test"):
    return client.post(LOGIN, {"username": login, "password": password})


def test_signs_in_with_username(client, person):
    response = sign_in(client, "bithu")
    assert response.status_code == 302
    assert response.url == reverse("home:home")


def test_signs_in_with_email_whatever_its_case(client, person):
    response = sign_in(client, "bithu@truong.example.VN")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)


def test_wrong_password_is_refused_with_a_message(client, person):
    response = sign_in(client, "bithu", "sai-mat-khau")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].errors["__all__"]


def test_login_is_locked_after_repeated_failures(client, person, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "bithu", "sai-mat-khau")
    response = sign_in(client, "bithu")  # even the right password is refused while locked
    assert response.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    assert "_auth_user_id" not in client.session
    assert f"({settings.AXES_FAILURE_LIMIT})" in response.content.decode()


@pytest.mark.parametrize(
    "variant", ["BITHU", "Bithu", " bithu ", "bithu@truong.example.vn", "BITHU@TRUONG.EXAMPLE.VN"]
)
def test_the_lockout_holds_whatever_case_or_login_is_typed(client, person, settings, variant):
    """Failures typed as ``bithu`` lock the account for every way of naming it, and the other way round."""
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "bithu", "sai-mat-khau")
    sign_in(client, variant, "sai-mat-khau")  # the last try allowed, typed another way
    for login in ("bithu", variant, "BiThU"):
        response = sign_in(client, login)  # the right password
        assert response.status_code == 429, login
        assert "_auth_user_id" not in client.session


def test_an_unknown_login_is_counted_whatever_its_case(client, db, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "khongco" if i % 2 else "KHONGCO", "sai-mat-khau")
    assert sign_in(client, "KhongCo", "sai-mat-khau").status_code == 429


def test_a_login_typed_in_decomposed_unicode_signs_in(client, db):
    UserFactory(username="nguyễn")
    assert sign_in(client, "nguye\u0302\u0303n").status_code == 302


def test_passwords_are_hashed_with_argon2(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = UserFactory(username="argon")
    user.set_password("mot-mat-khau-dai")
    assert identify_hasher(user.password).algorithm == "argon2"


def test_every_page_needs_sign_in(client, db):
    response = client.get(reverse("home:home"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_password_change(client, person):
    client.force_login(person)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "chuyende-test",
            "new_password1": "Huế-mùa-thu-2026",
            "new_password2": "Huế-mùa-thu-2026",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("Huế-mùa-thu-2026")


def test_password_reset_by_email_sets_a_new_password(client, person):
    response = client.post(reverse("accounts:password_reset"), {"email": "bithu@truong.example.vn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/dat-lai-mat-khau/\S+/", mail.outbox[0].body)
    assert link is not None
    path = link.group(0).split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Sông-Hương-2026", "new_password2": "Sông-Hương-2026"},
    )
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.check_password("Sông-Hương-2026")


def test_password_reset_for_an_unknown_address_sends_nothing(client, person):
    response = client.post(reverse("accounts:password_reset"), {"email": "khong-co@example.vn"})
    assert response.status_code == 302  # same answer: it does not reveal which addresses exist
    assert mail.outbox == []
