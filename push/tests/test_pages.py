"""The manifest, the service worker script and the sign-out answer, as the browser receives them."""

import json
import re

from django.test import Client
from django.urls import reverse


def test_the_manifest_is_public_json_of_the_right_type(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(response.content)
    assert manifest["name"] == "Sinh hoạt chuyên đề"
    assert manifest["lang"] == "vi" and manifest["display"] == "standalone" and manifest["scope"] == "/"
    assert {icon["purpose"] for icon in manifest["icons"]} == {"any", "maskable"}


def test_the_service_worker_is_served_at_the_root_and_never_cached_long(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert "const VERSION = 1;" in body
    logout = reverse("accounts:logout").replace("-", "\\u002D")  # escapejs
    assert f"const LOGOUT_PATH = '{logout}';" in body
    assert "Không có kết nối mạng" in body  # the offline page, in the site's language


def test_signed_in_pages_register_the_worker_and_name_the_person_for_its_cache(client, world):
    client.force_login(world.member)
    page = client.get(reverse("home:home")).content.decode()
    assert 'data-sw="/sw.js"' in page
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert re.search(r'data-offline-user="[0-9a-f]{16}"', page)  # a keyed hash, not the id
    client.force_login(world.deputy)
    other = client.get(reverse("home:home")).content.decode()
    mark = 'data-offline-user="'
    assert page.split(mark)[1][:16] != other.split(mark)[1][:16]


def test_the_sign_in_page_does_not_register_the_worker(client):
    assert "data-sw=" not in client.get(reverse("accounts:login")).content.decode()


def test_sign_out_tells_the_browser_to_clear_what_the_site_saved(world):
    client = Client()
    client.force_login(world.member)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
