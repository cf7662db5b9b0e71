"""Static files: hashed names, gzip and Brotli copies, a year in the browser's cache.

The suite itself uses Django's plain storage (no ``collectstatic`` before every run); this test
collects into a temporary STATIC_ROOT with the storage production and ``make run`` use, and asks
WhiteNoise for the files the way a browser does."""

import gzip
import json
import re

import brotli
import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.templatetags.static import static
from django.test import RequestFactory, override_settings

from chuyende.settings import BASE_DIR
from core.staticfiles import StaticFilesMiddleware
from core.tests.test_settings import start

HASHED = "core.staticfiles.HashedStaticFilesStorage"


def _collecting(root) -> dict:
    """``collectstatic`` as ``make run`` does it (DEBUG on, STATIC_MANIFEST=true)."""
    from django.conf import settings

    return {
        "DEBUG": True,
        "STATIC_ROOT": root,
        "STORAGES": {**settings.STORAGES, "staticfiles": {"BACKEND": HASHED}},
        "WHITENOISE_USE_FINDERS": False,
        "WHITENOISE_AUTOREFRESH": False,
        "WHITENOISE_MAX_AGE": 60,
    }


@pytest.fixture(scope="module")
def collected_once(tmp_path_factory):
    """Collected once for the module's tests, which only read the files (20 s of compressing)."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(**_collecting(root)):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def collected(settings, collected_once):
    for name, value in _collecting(collected_once).items():
        setattr(settings, name, value)
    return collected_once


def test_collected_files_have_hashed_names_and_compressed_copies(collected):
    paths = json.loads((collected / "staticfiles.json").read_text())["paths"]
    source = (BASE_DIR / "static" / "chuyende" / "app.css").read_bytes()
    for name in ("chuyende/app.css", "chuyende/confirm.js", "chuyende/meeting.js"):
        hashed = paths[name]
        stem, ext = name.rsplit(".", 1)
        assert re.fullmatch(rf"{re.escape(stem)}\.[0-9a-f]{{12}}\.{ext}", hashed), hashed
        for suffix in ("", ".gz", ".br"):
            assert (collected / (hashed + suffix)).is_file(), hashed + suffix
    app = paths["chuyende/app.css"]
    assert gzip.decompress((collected / (app + ".gz")).read_bytes()) == source
    assert brotli.decompress((collected / (app + ".br")).read_bytes()) == source
    # Pages link the hashed name, even with DEBUG on (as under `make run`).
    assert static("chuyende/app.css") == f"/static/{app}"


def test_whitenoise_serves_a_hashed_file_compressed_and_cached_a_year(collected):
    app = json.loads((collected / "staticfiles.json").read_text())["paths"]["chuyende/app.css"]
    serve = StaticFilesMiddleware(lambda request: HttpResponse("not a static file", status=404))
    factory = RequestFactory()

    response = serve(factory.get(f"/static/{app}", HTTP_ACCEPT_ENCODING="gzip, deflate, br"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=31536000, public, immutable"
    assert response["Content-Encoding"] == "br"
    assert response["Vary"] == "Accept-Encoding"

    response = serve(factory.get(f"/static/{app}", HTTP_ACCEPT_ENCODING="gzip"))
    assert response["Content-Encoding"] == "gzip"

    # Asked for by its plain name, the file may change tomorrow: a minute only.
    response = serve(factory.get("/static/chuyende/app.css"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=60, public"


STORAGE_OF = "from django.conf import settings; print(settings.STORAGES['staticfiles']['BACKEND'])"


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        ({"DEBUG": "true"}, "django.contrib.staticfiles.storage.StaticFilesStorage"),
        ({"DEBUG": "true", "STATIC_MANIFEST": "true"}, HASHED),  # make run
        ({"DEBUG": "false", "SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "chuyende.example.vn"}, HASHED),
    ],
    ids=["development", "make-run", "production"],
)
def test_the_environment_chooses_the_storage(env, backend):
    result = start(env, "shell", "-c", STORAGE_OF)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == backend


def test_a_bad_static_manifest_value_stops_start_up():
    result = start({"DEBUG": "true", "STATIC_MANIFEST": "sometimes"})
    assert result.returncode != 0
    assert "STATIC_MANIFEST='sometimes' is not a boolean" in result.stderr
