"""A webhook receiver as an integrator writes one (docs/webhooks.md), a real HTTP server on 127.0.0.1
for the tests: it checks each request's signature and timestamp and answers as scripted."""

import hashlib
import hmac
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOLERANCE = 300  # seconds: how old a timestamp the receiver accepts, as docs/webhooks.md advises


@dataclass
class Receiver:
    """What an integrator writes: check the signature over "<timestamp>.<body>" and the timestamp's age,
    answer with the next scripted status (200 once the script is spent)."""

    secret: str = ""
    answers: list[int] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""

    def verify(self, headers: Any, body: bytes) -> bool:
        timestamp = headers.get("X-Chuyende-Timestamp", "")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > TOLERANCE:
            return False
        expected = hmac.new(
            self.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
        ).hexdigest()
        return hmac.compare_digest(headers.get("X-Chuyende-Signature", ""), f"sha256={expected}")


@contextmanager
def serve() -> Iterator[Receiver]:
    """A receiver listening on a free port of 127.0.0.1 (``url``) until the block ends. The sender
    needs ``WEBHOOKS_ALLOW_PRIVATE`` to reach it."""
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append(
                {"headers": dict(self.headers), "body": body, "verified": state.verify(self.headers, body)}
            )
            status = state.answers.pop(0) if state.answers else 200
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", state.url + "elsewhere")
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.end_headers()
            self.wfile.write("đã nhận".encode() if status == 200 else b"server error")

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep the test output clean

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook/"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
