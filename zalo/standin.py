"""A stand-in for Zalo on this machine, for the tests, the demo and a manual trial (docs/zalo.md).

It answers the three calls the client makes, as the public documentation describes them, and is
strict where Zalo is documented to be: the ``access_token`` / ``secret_key`` headers, the JSON or form
fields and their shapes, the token's lifetime, the refresh token's single use, a daily quota, and
phone numbers that cannot receive ZNS. Everything it received is kept in ``requests`` for assertions.
It is not Zalo: codes it cannot know from the documentation are the documented ones, nothing more.

    standin = StandIn(app_id="1234567890", secret_key="s3cret").start()   # a free port
    ... standin.url, standin.issue_tokens() ...
    standin.stop()
"""

import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class StandIn:
    app_id: str
    secret_key: str
    token_lifetime: int = 90000  # seconds; Zalo documents about 25 hours
    daily_quota: int = 500
    refused_phones: set[str] = field(default_factory=set)
    templates: dict[str, set[str]] = field(default_factory=dict)  # template id → its parameter names
    fail_with_status: int | None = None  # answer every call with this HTTP status (a 5xx)
    delay: float = 0.0  # seconds before answering (a slow service, a timeout)
    host: str = "127.0.0.1"
    port: int = 0

    def __post_init__(self) -> None:
        self.requests: list[Received] = []
        self.access_tokens: dict[str, float] = {}  # token → expiry (time.time())
        self.refresh_tokens: set[str] = set()  # unused ones
        self.sent_today = 0
        self.lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # --- control ---------------------------------------------------------------------------------

    def start(self) -> "StandIn":
        standin = self

        class Handler(_Handler):
            owner = standin

        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def issue_tokens(self, *, lifetime: int | None = None) -> tuple[str, str]:
        """A new access token and refresh token, as the OA's authorisation would give them."""
        with self.lock:
            access, refresh = "AT-" + secrets.token_urlsafe(24), "RT-" + secrets.token_urlsafe(24)
            self.access_tokens[access] = time.time() + (self.token_lifetime if lifetime is None else lifetime)
            self.refresh_tokens.add(refresh)
        return access, refresh

    def accept(self, access: str, refresh: str, expires_at: float | None = None) -> None:
        """Take tokens issued earlier (the demo's, stored in the database) as this stand-in's own."""
        with self.lock:
            if access:
                self.access_tokens[access] = (
                    expires_at if expires_at is not None else time.time() + self.token_lifetime
                )
            if refresh:
                self.refresh_tokens.add(refresh)

    def expire_all(self) -> None:
        with self.lock:
            self.access_tokens = dict.fromkeys(self.access_tokens, 0.0)

    def calls(self, path: str) -> list[Received]:
        return [r for r in self.requests if r.path == path]

    # --- the API ---------------------------------------------------------------------------------

    def handle(self, path: str, headers: dict[str, str], raw: bytes) -> tuple[int, dict[str, Any]]:
        if path == "/v4/oa/access_token":
            body: Any = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        else:
            try:
                body = json.loads(raw or b"null")
            except ValueError:
                body = None
        self.requests.append(Received(path, headers, body))
        if self.delay:
            time.sleep(self.delay)
        if self.fail_with_status:
            return self.fail_with_status, {"error": -100, "message": "Unknown error"}
        if path == "/v4/oa/access_token":
            return 200, self._refresh(headers, body)
        if path == "/message/template":
            return 200, self._template(headers, body)
        if path == "/v3.0/oa/message/cs":
            return 200, self._cs(headers, body)
        return 404, {"error": -106, "message": "Method unsupported"}

    def _token_ok(self, headers: dict[str, str]) -> bool:
        with self.lock:
            expiry = self.access_tokens.get(headers.get("access_token", ""))
        return expiry is not None and expiry > time.time()

    def _refresh(self, headers: dict[str, str], form: dict[str, str]) -> dict[str, Any]:
        if headers.get("secret_key") != self.secret_key:
            return {"error": -104, "error_name": "App secret key invalid"}
        if form.get("app_id") != self.app_id or form.get("grant_type") != "refresh_token":
            return {"error": -101, "error_name": "Application invalid"}
        with self.lock:
            refresh = form.get("refresh_token", "")
            if refresh not in self.refresh_tokens:
                return {"error": -14014, "error_name": "Invalid refresh token"}
            self.refresh_tokens.discard(refresh)  # single use
        access, new_refresh = self.issue_tokens()
        return {"access_token": access, "refresh_token": new_refresh, "expires_in": str(self.token_lifetime)}

    def _template(self, headers: dict[str, str], body: Any) -> dict[str, Any]:
        if not self._token_ok(headers):
            return {"error": -124, "message": "Access token invalid"}
        if not isinstance(body, dict) or not isinstance(body.get("template_data"), dict):
            return {"error": -111, "message": "Template data empty"}
        phone, template_id = str(body.get("phone", "")), str(body.get("template_id", ""))
        if not re.fullmatch(r"84[0-9]{8,10}", phone):
            return {"error": -108, "message": "Phone number invalid"}
        if template_id not in self.templates:
            return {"error": -109, "message": "Template ID invalid"}
        if set(body["template_data"]) != self.templates[template_id] or not all(
            isinstance(v, str) for v in body["template_data"].values()
        ):
            return {"error": -112, "message": "Template data invalid"}
        if not isinstance(body.get("tracking_id", ""), str) or len(body.get("tracking_id", "")) > 48:
            return {"error": -112, "message": "tracking_id invalid"}
        if phone in self.refused_phones:
            return {"error": -118, "message": "Zalo account not existed"}
        with self.lock:
            if self.sent_today >= self.daily_quota:
                return {"error": -144, "message": "OA has exceeded daily quota"}
            self.sent_today += 1
            remaining = self.daily_quota - self.sent_today
        return {
            "error": 0,
            "message": "Success",
            "data": {
                "msg_id": secrets.token_hex(16),
                "sent_time": str(int(time.time() * 1000)),
                "quota": {"dailyQuota": str(self.daily_quota), "remainingQuota": str(remaining)},
            },
        }

    def _cs(self, headers: dict[str, str], body: Any) -> dict[str, Any]:
        if not self._token_ok(headers):
            return {"error": -216, "message": "Access token is invalid"}
        recipient = body.get("recipient") if isinstance(body, dict) else None
        message = body.get("message") if isinstance(body, dict) else None
        if not isinstance(recipient, dict) or not recipient.get("user_id"):
            return {"error": -201, "message": "user_id is invalid"}
        if not isinstance(message, dict) or not isinstance(message.get("text"), str) or not message["text"]:
            return {"error": -201, "message": "message is invalid"}
        return {
            "error": 0,
            "message": "Success",
            "data": {"message_id": secrets.token_hex(16), "user_id": recipient["user_id"]},
        }


class _Handler(BaseHTTPRequestHandler):
    owner: StandIn

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, answer = self.owner.handle(self.path.split("?")[0], headers, raw)
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass


def standin_for(accounts: Any, **options: Any) -> StandIn:
    """A stand-in (not started) that serves ``accounts`` as they are stored: their app id and secret,
    their tokens, and their templates' parameters (``manage.py zalo_standin``, the demo's test)."""
    accounts = list(accounts)
    if len({a.app_id for a in accounts}) != 1:
        raise ValueError("a stand-in serves the accounts of one app")
    standin = StandIn(app_id=accounts[0].app_id, secret_key=accounts[0].secret_key(), **options)
    for account in accounts:
        expires = account.access_token_expires_at.timestamp() if account.access_token_expires_at else None
        standin.accept(account.access_token(), account.refresh_token(), expires)
        for template in account.templates.all():
            standin.templates[template.template_id] = set(template.params)
    return standin
