"""The API under schemathesis (issue 14, "What must be shown"; run by .ci/run).

Starts the app as production runs it (DEBUG off, gunicorn, 2 workers) on a fresh database loaded
with the demo data, gives each demo persona a read-write personal access token (and, for the page
check, a browser session of the same user), then runs schemathesis against /api/v1/openapi.json
as each persona in turn. The run fails on any

* server error (``not_a_server_error``);
* answer that does not match the OpenAPI document (``response_schema_conformance``, status codes,
  content types);
* object read through the API that the same persona's page does not show
  (``reads_only_what_pages_show``, tools/api_fuzz_hooks.py).

Writes are fuzzed too (the tokens may write): the database is thrown away afterwards.

Usage: python tools/api_fuzz.py [DATABASE_URL] [--max-examples N] [--personas a,b]
(default: SQLite in a temporary directory; a PostgreSQL URL's database is dropped and created again).
"""

import argparse
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SCHEMATHESIS = str(Path(PYTHON).with_name("schemathesis"))
PERSONAS = ("admin", "danguy", "bithu", "phobithu", "dangvien", "duby")
FORWARDED = ("X-Forwarded-Proto", "https")
CHECKS = (
    "not_a_server_error,response_schema_conformance,status_code_conformance,"
    "content_type_conformance,reads_only_what_pages_show"
)

# Printed by the shell code below, one line per persona: "<username> <token> <session key>".
CREDENTIALS = """
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from accounts import services
store = import_module(settings.SESSION_ENGINE).SessionStore
for name in {names!r}:
    user = get_user_model().objects.get(username=name)
    _token, secret = services.create_token(actor=user, name="fuzz", scope="write", days=30)
    session = store()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    print("CREDENTIALS", name, secret, session.session_key)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fail(why: str) -> None:
    print(f"API FUZZ FAILED: {why}", flush=True)
    raise SystemExit(1)


def fresh_database(database_url: str) -> None:
    server = urllib.parse.urlsplit(database_url)
    if server.scheme.startswith("postgres"):
        admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
        name = server.path.lstrip("/")
        drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
        subprocess.run(["psql", admin_url, "-qc", drop], check=True)
        subprocess.run(["psql", admin_url, "-qc", f'CREATE DATABASE "{name}"'], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("database_url", nargs="?", default="")
    parser.add_argument("--max-examples", type=int, default=8, help="per operation and phase")
    parser.add_argument("--personas", default=",".join(PERSONAS))
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="chuyende-api-fuzz-"))
    database_url = args.database_url or f"sqlite:///{work / 'db.sqlite3'}"
    fresh_database(database_url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "SITE_URL": "https://127.0.0.1",
        # As production runs behind its TLS proxy: every request below says it came over HTTPS.
        "SECURE_PROXY_SSL_HEADER": "true",
        "VAR_DIR": str(work),
        "STATIC_ROOT": str(work / "static"),
        # The fuzzer sends thousands of requests a minute: the limits are tested elsewhere.
        "API_RATE_LIMIT": "100000/min",
        # schemathesis also sends wrong and missing tokens on purpose: every one counts as a failed
        # sign-in from 127.0.0.1, which would lock the address out after five (tested elsewhere).
        "AXES_FAILURE_LIMIT": "1000000",
    }

    def manage(*command: str) -> str:
        done = subprocess.run(
            [PYTHON, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if done.returncode != 0:
            fail(f"manage.py {' '.join(command)}: {done.stderr[-3000:]}")
        return done.stdout

    print("api fuzz: migrate, demo data, tokens", flush=True)
    manage("migrate", "--no-input", "-v0")
    manage("collectstatic", "--no-input", "-v0")
    manage("load_demo")
    personas = [p for p in args.personas.split(",") if p]
    lines = manage("shell", "-c", CREDENTIALS.format(names=personas)).splitlines()
    found = [line.split() for line in lines if line.startswith("CREDENTIALS ")]
    credentials = {parts[1]: (parts[2], parts[3]) for parts in found}
    if sorted(credentials) != sorted(personas):
        fail(f"tokens for {sorted(credentials)}, expected {sorted(personas)}")

    server = subprocess.Popen(
        # No limit on the request line: gunicorn answers a line over 4 KB with its own 414 page before
        # the app sees it, and the fuzzer's long query strings are meant for the app, not for gunicorn.
        [
            PYTHON,
            "-m",
            "gunicorn",
            "chuyende.wsgi",
            "--workers",
            "2",
            "--limit-request-line",
            "0",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(work / "gunicorn.log", "w"),  # noqa: SIM115 - closed with the process
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                request = urllib.request.Request(f"{base}/healthz", headers=dict([FORWARDED]))
                urllib.request.urlopen(request, timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    fail("the server did not answer /healthz within 60 s")
                time.sleep(0.2)
        failed = []
        for persona in personas:
            token, session = credentials[persona]
            print(f"api fuzz: as {persona}", flush=True)
            done = subprocess.run(
                [
                    SCHEMATHESIS,
                    "run",
                    f"{base}/api/v1/openapi.json",
                    "--header",
                    f"Authorization: Bearer {token}",
                    "--header",
                    ": ".join(FORWARDED),
                    "--checks",
                    CHECKS,
                    "--phases",
                    "examples,coverage,fuzzing",
                    "--max-examples",
                    str(args.max_examples),
                    # One thread: hypothesis describes its strategies with ast.parse, which CPython 3.11
                    # before 3.11.8 cannot run in two threads at once ("SystemError: AST constructor
                    # recursion depth mismatch", CPython gh-106905), and this machine has 3.11.7.
                    "--workers",
                    "1",
                    "--seed",
                    "1",
                    "--suppress-health-check",
                    "all",
                    "--no-color",
                ],
                cwd=ROOT,
                env={
                    **env,
                    "SCHEMATHESIS_HOOKS": "tools.api_fuzz_hooks",
                    "PYTHONPATH": str(ROOT),
                    "FUZZ_BASE": base,
                    "FUZZ_SESSION": session,
                },
                capture_output=True,
                text=True,
            )
            summary = done.stdout[done.stdout.find("=== SUMMARY") :] if "=== SUMMARY" in done.stdout else ""
            print(summary or done.stdout[-3000:], flush=True)
            if done.returncode != 0:
                print(done.stdout[-20000:], done.stderr[-3000:], flush=True)
                failed.append(persona)
        if failed:
            fail(f"schemathesis found problems as {', '.join(failed)} (see above)")
        print("api fuzz: no server error, no answer outside the schema, nothing the pages hide", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
