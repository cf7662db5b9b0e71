"""Secrets the app must use again, stored encrypted (a Zalo account's tokens, an organisation's signing
certificate and its passphrase).

Fernet (AES-128-CBC with HMAC-SHA256, from ``cryptography``) with the keys of ``ENCRYPTION_KEY``: the
first key encrypts, every key decrypts, so a new key is put first and the old one kept until
``rotate`` has re-encrypted what the database holds. A stolen database without the environment gives
none of them. Development (``DEBUG=true``) derives a key from SECRET_KEY (chuyende/settings.py) so that
``make run`` needs no setting; production refuses to store or read a secret without ``ENCRYPTION_KEY``.
"""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["InvalidToken", "decrypt", "encrypt", "new_key", "rotate"]


def new_key() -> str:
    return Fernet.generate_key().decode()


def _keys() -> list[str]:
    keys = list(settings.ENCRYPTION_KEYS)
    if keys:
        return keys
    raise ImproperlyConfigured(
        "ENCRYPTION_KEY must be set to store or read an encrypted secret when DEBUG is false "
        "(make one with `python manage.py generate_encryption_key`)."
    )


def _fernet() -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in _keys()])
    except ValueError as error:
        raise ImproperlyConfigured(f"ENCRYPTION_KEY holds a key that is not a Fernet key: {error}") from error


def encrypt(data: bytes) -> str:
    """``data`` encrypted with the first key, as ASCII text (for a TextField)."""
    return _fernet().encrypt(data).decode()


def decrypt(token: str) -> bytes:
    """The bytes ``token`` was made from; raises :class:`InvalidToken` when no key opens it or it was
    changed."""
    return _fernet().decrypt(token.encode())


def rotate(token: str) -> str:
    """``token`` encrypted again with the first key (after a new key was put first)."""
    return _fernet().rotate(token.encode()).decode()
