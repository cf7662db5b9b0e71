"""Vietnamese by default, whatever the browser asks for; English only when chosen with the switch."""

from django.urls import reverse


def test_pages_are_vietnamese_even_when_the_browser_prefers_english(client, db):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    assert '<html lang="vi">' in response.content.decode()
    assert "Đăng nhập" in response.content.decode()


def test_the_switch_chooses_english_and_back(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("accounts:login")})
    assert response.status_code == 302
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en">' in page and "Sign in" in page
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert '<html lang="vi">' in client.get(reverse("accounts:login")).content.decode()


def test_an_unknown_language_cookie_falls_back_to_vietnamese(client, db, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert client.get(reverse("accounts:login"))["Content-Language"] == "vi"
