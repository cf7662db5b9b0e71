"""Settings come from the environment; a bad value stops start-up with a message naming it."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = secrets.token_urlsafe(60)


def start(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    # Start from this environment minus what the test decides (and the browser tests' async switch).
    dropped = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "chuyende.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *(args or ("check",))],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_development_mode_starts_with_the_default_key():
    result = start({"DEBUG": "true"})
    assert result.returncode == 0, result.stderr


def test_production_refuses_the_default_secret_key():
    result = start({"DEBUG": "false", "ALLOWED_HOSTS": "chuyende.example.vn"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"DEBUG": "true", "EMAIL_PORT": "smtp"}, "EMAIL_PORT='smtp' is not a whole number"),
        ({"DEBUG": "true", "TIME_ZONE": "Asia/Hue"}, "TIME_ZONE='Asia/Hue' is not a known time zone"),
        ({"DEBUG": "true", "LANGUAGE": "fr"}, "LANGUAGE='fr' is not one of"),
        ({"DEBUG": "true", "DATABASE_URL": "oracle-ish://x"}, "DATABASE_URL is not understood"),
        ({"DEBUG": "true", "EMAIL_USE_TLS": "true", "EMAIL_USE_SSL": "true"}, "cannot both be true"),
        ({"DEBUG": "false", "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must list"),
        ({"DEBUG": "true", "CACHE_URL": "memcached://x"}, "CACHE_URL='memcached://x': use redis://"),
    ],
    ids=[
        "debug",
        "email-port",
        "time-zone",
        "language",
        "database-url",
        "tls-and-ssl",
        "allowed-hosts",
        "cache-url",
    ],
)
def test_a_bad_value_stops_start_up_with_a_clear_message(env, message):
    result = start(env)
    assert result.returncode != 0
    assert message in result.stderr


def test_deploy_check_is_clean_in_production_mode():
    result = start(
        {"DEBUG": "false", "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "chuyende.example.vn"},
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_uploaded_files_are_not_served_from_media(client, world, settings, tmp_path):
    """Even with DEBUG on (make run), /media/… answers 404: files go out through permission-checked views."""
    from django.urls import resolve
    from django.urls.exceptions import Resolver404

    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "session-29-v2.docx").write_bytes(b"PK not approved yet")
    client.force_login(world.other_member)
    assert client.get("/media/drafts/session-29-v2.docx").status_code == 404
    with pytest.raises(Resolver404):
        resolve("/media/drafts/session-29-v2.docx")


def test_several_app_servers_share_a_redis_cache_named_by_cache_url():
    """CACHE_URL=redis://…: what one process stores, another reads (Redis runs on these machines)."""
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server at 127.0.0.1:6379")
    key = f"chuyende-test-{secrets.token_hex(4)}"
    code = "from django.core.cache import cache; cache.set({k!r}, 'một', 30)"
    wrote = start({"DEBUG": "true", "CACHE_URL": url}, "shell", "-c", code.format(k=key))
    assert wrote.returncode == 0, wrote.stderr
    code = "from django.core.cache import cache; print(cache.get({k!r}))"
    read = start({"DEBUG": "true", "CACHE_URL": url}, "shell", "-c", code.format(k=key))
    assert read.returncode == 0 and read.stdout.strip().splitlines()[-1] == "một", read.stderr
    redis.Redis.from_url(url).flushdb()


def test_cache_url_names_the_backend():
    from chuyende.settings import cache_from_url

    assert cache_from_url("locmem://")["BACKEND"].endswith("LocMemCache")  # the default
    assert cache_from_url("redis://r:6379/1") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://r:6379/1",
    }
    assert cache_from_url("dummy://")["BACKEND"].endswith("DummyCache")


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    """The JIT compiled the dashboard's aggregates afresh on each request (issue 12)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.parametrize(
    ("cache_url", "engine"),
    [("redis://127.0.0.1:6379/15", "cached_db"), ("locmem://", "backends.db")],
)
def test_sign_in_sessions_are_read_through_the_cache_only_when_every_server_shares_it(cache_url, engine):
    """A sign-out on one app server must end the session on all: a cache in each process's memory
    would keep it alive on the others."""
    code = "from django.conf import settings; print(settings.SESSION_ENGINE)"
    result = start({"DEBUG": "true", "CACHE_URL": cache_url}, "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].endswith(engine)


def test_database_pool_size_gives_each_process_a_pool_of_postgresql_connections():
    """The ASGI server of the room's live streams shares a pool among its request threads (issue 15):
    eight threads at once are served by at most three connections, and they all get an answer."""
    script = (
        "import threading\n"
        "from django.db import connection, connections\n"
        "from django.conf import settings\n"
        "answers = []\n"
        "def ask():\n"
        "    with connections['default'].cursor() as c:\n"
        "        c.execute('SELECT pg_backend_pid()')\n"
        "        answers.append(c.fetchone()[0])\n"
        "    connections['default'].close()\n"
        "threads = [threading.Thread(target=ask) for _ in range(8)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "print('POOL', connection.pool.max_size, settings.DATABASES['default']['CONN_MAX_AGE'],\n"
        "      len(answers), len(set(answers)))\n"
    )
    done = start(
        {
            "DEBUG": "true",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
            "DATABASE_POOL_SIZE": "3",
        },
        "shell",
        "-c",
        script,
    )
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("POOL "))
    _, size, max_age, answered, backends = line.split()
    assert (size, max_age, answered) == ("3", "0", "8")
    assert 1 <= int(backends) <= 3
