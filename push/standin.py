"""A stand-in Web Push service for the tests and the demo: a local HTTP server in a thread that takes a
push as a real push service does and checks what one would.

It follows RFC 8030 (a POST to the subscription's endpoint with a TTL header, 201 Created), RFC 8292
(``Authorization: vapid t=<JWT>, k=<public key>``: the JWT's ES256 signature made with the k key,
``aud`` the endpoint's origin, ``exp`` in the future and at most 24 hours ahead, ``sub`` present, and k
the VAPID public key the subscription was made with) and RFC 8291 (the aes128gcm body decrypted with
the subscription's private key and auth secret, which only the browser holds: here
:class:`BrowserKeys`, made like a browser makes them). A push that fails a check is answered 400/401/403
as a service would and recorded with the reason.

The endpoint's last path segment chooses the answer: ``…/gone-…`` 410 Gone (the browser withdrew the
subscription), ``…/busy-…`` 429 Too Many Requests with ``Retry-After: 120``, ``…/down-…`` 503;
anything else 201.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

RETRY_AFTER_SECONDS = 120
MAX_EXPIRY_SECONDS = 24 * 60 * 60


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class BrowserKeys:
    """What a browser makes when it subscribes: a P-256 key pair and a 16-byte auth secret."""

    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth_secret: bytes = field(default_factory=lambda: secrets.token_bytes(16))

    @property
    def p256dh(self) -> str:
        return _b64(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    @property
    def auth(self) -> str:
        return _b64(self.auth_secret)

    @classmethod
    def derived(cls, seed: str) -> "BrowserKeys":
        """Keys that are the same on every run (the demo's browser, so that the stand-in started by
        ``manage.py push_standin`` can decrypt what is sent to it)."""
        scalar = int.from_bytes(hashlib.sha256(f"{seed}:p256dh".encode()).digest(), "big")
        private = ec.derive_private_key(scalar % (2**255) + 1, ec.SECP256R1())
        return cls(private_key=private, auth_secret=hashlib.sha256(f"{seed}:auth".encode()).digest()[:16])


@dataclass
class Received:
    """One push as the service saw it."""

    token: str
    status: int
    headers: dict[str, str]
    claims: dict[str, Any] | None = None
    payload: bytes | None = None
    problem: str = ""

    def json(self) -> Any:
        return json.loads(self.payload or b"null")


class PushStandIn:
    """Start with ``with PushStandIn(vapid_public_key) as service:``; ``service.subscribe()`` gives the
    JSON a browser's ``PushSubscription.toJSON()`` would, with an endpoint on this service."""

    def __init__(
        self,
        vapid_public_key: str,
        host: str = "127.0.0.1",
        port: int = 0,
        on_receive: Callable[[Received], None] | None = None,
    ) -> None:
        self.vapid_public_key = vapid_public_key
        self.on_receive = on_receive
        self.received: list[Received] = []
        self._browsers: dict[str, BrowserKeys] = {}
        self._lock = threading.Lock()
        self._host = host
        self._server = ThreadingHTTPServer((host, port), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://{self._host}:{self._server.server_address[1]}"

    def __enter__(self) -> "PushStandIn":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()

    def add(self, token: str, keys: BrowserKeys) -> None:
        """Know an existing subscription (the demo's) by its endpoint's last segment."""
        with self._lock:
            self._browsers[token] = keys

    def serve_forever(self) -> None:
        """Serve in this thread until interrupted (``manage.py push_standin``)."""
        self._server.serve_forever()

    def subscribe(self, behaviour: str = "ok", keys: BrowserKeys | None = None) -> dict[str, Any]:
        """A new subscription on this service (``behaviour``: ok, gone, busy, down)."""
        keys = keys or BrowserKeys()
        token = f"{behaviour}-{secrets.token_hex(8)}"
        with self._lock:
            self._browsers[token] = keys
        return {"endpoint": f"{self.origin}/push/{token}", "keys": {"p256dh": keys.p256dh, "auth": keys.auth}}

    # --- What a push service checks ------------------------------------------------------------

    def check_vapid(self, authorization: str) -> dict[str, Any]:
        """The JWT's claims, if the VAPID header is right; else ValueError saying why."""
        scheme, _, params = authorization.partition(" ")
        if scheme.lower() != "vapid":
            raise ValueError("Authorization is not the vapid scheme")
        values = dict(part.strip().split("=", 1) for part in params.split(",") if "=" in part)
        token, key = values.get("t", ""), values.get("k", "")
        if key != self.vapid_public_key:
            raise ValueError("k is not the VAPID key the subscription was made with")
        try:
            header_b64, claims_b64, signature_b64 = token.split(".")
            header = json.loads(_unb64(header_b64))
            claims = json.loads(_unb64(claims_b64))
            signature = _unb64(signature_b64)
        except ValueError:
            raise ValueError("t is not a JWT") from None
        if header.get("alg") != "ES256":
            raise ValueError("the JWT is not signed with ES256")
        if len(signature) != 64:
            raise ValueError("an ES256 signature is 64 bytes")
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _unb64(key))
        der = encode_dss_signature(
            int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        )
        try:
            public.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            raise ValueError("the JWT's signature does not verify with k") from None
        if claims.get("aud") != self.origin:
            raise ValueError(f"aud {claims.get('aud')!r} is not the endpoint's origin {self.origin}")
        now = time.time()
        exp = claims.get("exp")
        if not isinstance(exp, int) or exp <= now or exp > now + MAX_EXPIRY_SECONDS:
            raise ValueError("exp is not within the next 24 hours")
        if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
            raise ValueError("sub is missing")
        return claims

    def decrypt(self, token: str, body: bytes) -> bytes:
        keys = self._browsers[token]
        return http_ece.decrypt(
            body, private_key=keys.private_key, auth_secret=keys.auth_secret, version="aes128gcm"
        )

    def _handle(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str]]:
        token = path.rsplit("/", 1)[-1]
        record = Received(token=token, status=201, headers=headers)
        try:
            if token not in self._browsers or not path.startswith("/push/"):
                record.status, record.problem = 404, "no such subscription"
            elif token.startswith("gone-"):
                record.status, record.problem = 410, "the subscription is gone"
            elif token.startswith("busy-"):
                record.status, record.problem = 429, "too many requests"
            elif token.startswith("down-"):
                record.status, record.problem = 503, "service unavailable"
            elif "ttl" not in headers:
                record.status, record.problem = 400, "TTL header missing"
            else:
                try:
                    record.claims = self.check_vapid(headers.get("authorization", ""))
                except ValueError as error:
                    record.status, record.problem = 403, str(error)
                else:
                    if headers.get("content-encoding") != "aes128gcm":
                        record.status, record.problem = 400, "Content-Encoding is not aes128gcm"
                    else:
                        try:
                            record.payload = self.decrypt(token, body)
                        except Exception as error:  # any failure to decrypt is the sender's
                            record.status, record.problem = 400, f"cannot decrypt: {error}"
        finally:
            with self._lock:
                self.received.append(record)
            if self.on_receive is not None:
                self.on_receive(record)
        answer_headers = (
            {"Location": f"{self.origin}/message/{secrets.token_hex(6)}"} if record.status == 201 else {}
        )
        if record.status == 429:
            answer_headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return record.status, answer_headers

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                headers = {name.lower(): value for name, value in self.headers.items()}
                status, answer = service._handle(self.path, headers, body)
                self.send_response(status)
                for name, value in answer.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
