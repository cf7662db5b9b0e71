"""The server's VAPID key pair (RFC 8292), which signs every push so that a push service knows it came
from this site, and the browser's subscription is bound to its public key.

Keys are written as browsers and ``pywebpush`` read them: the public key is the uncompressed P-256
point (65 bytes), the private key the 32-byte scalar, both base64url without padding. Production sets
VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY (``manage.py generate_vapid_keys``); with neither set, push is
off. Under DEBUG with neither set, a pair is made once into VAR_DIR/vapid-keys.json and kept, so that
``make run`` and the demo can push and a browser's subscription survives a restart.
"""

import base64
import functools
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class VapidKeys:
    public_key: str
    private_key: str
    subject: str


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_key_of(private: ec.EllipticCurvePrivateKey) -> str:
    point = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(point)


def generate() -> tuple[str, str]:
    """A new key pair: (public key, private key), base64url."""
    private = ec.generate_private_key(ec.SECP256R1())
    scalar = private.private_numbers().private_value.to_bytes(32, "big")
    return public_key_of(private), b64url(scalar)


def _private_from(text: str) -> ec.EllipticCurvePrivateKey:
    raw = unb64url(text)
    if len(raw) != 32:
        raise ValueError("a VAPID private key is 32 bytes")
    return ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())


def _development_keys() -> tuple[str, str]:
    path = Path(settings.VAR_DIR) / "vapid-keys.json"
    if path.exists():
        stored = json.loads(path.read_text())
        return stored["public_key"], stored["private_key"]
    public, private = generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"public_key": public, "private_key": private}))
    path.chmod(0o600)
    return public, private


@functools.lru_cache(maxsize=4)
def _pair_matches(public: str, private: str) -> bool:
    """Whether ``private`` is the private key of ``public`` (asked on every send and every page with
    the button, hence remembered)."""
    try:
        return public_key_of(_private_from(private)) == public
    except ValueError:
        return False


def keys() -> VapidKeys | None:
    """The configured key pair, the development pair under DEBUG, or None (push is off)."""
    public, private = settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY
    if not public and not private:
        if not settings.DEBUG:
            return None
        public, private = _development_keys()
    if not _pair_matches(public, private):
        raise ImproperlyConfigured(
            "VAPID_PRIVATE_KEY is not the private key of VAPID_PUBLIC_KEY: make a new pair with "
            "`manage.py generate_vapid_keys`."
        )
    return VapidKeys(public_key=public, private_key=private, subject=settings.VAPID_SUBJECT)
