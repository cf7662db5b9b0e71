"""Secrets stored encrypted (core/crypto.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from core import crypto


def test_round_trip_and_no_plain_text() -> None:
    token = crypto.encrypt("mật khẩu chứng thư".encode())
    assert "mật".encode() not in token.encode()
    assert crypto.decrypt(token).decode() == "mật khẩu chứng thư"


def test_a_changed_token_is_refused() -> None:
    token = crypto.encrypt(b"secret")
    changed = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]
    with pytest.raises(crypto.InvalidToken):
        crypto.decrypt(changed)


def test_rotation_keeps_old_secrets_readable(settings) -> None:
    old, new = crypto.new_key(), crypto.new_key()
    settings.ENCRYPTION_KEYS = [old]
    token = crypto.encrypt(b"secret")
    settings.ENCRYPTION_KEYS = [new, old]
    assert crypto.decrypt(token) == b"secret"
    rotated = crypto.rotate(token)
    settings.ENCRYPTION_KEYS = [new]
    assert crypto.decrypt(rotated) == b"secret"
    with pytest.raises(crypto.InvalidToken):
        crypto.decrypt(token)


def test_production_needs_a_key(settings) -> None:
    settings.ENCRYPTION_KEYS = []
    with pytest.raises(ImproperlyConfigured, match="ENCRYPTION_KEY"):
        crypto.encrypt(b"secret")
    settings.ENCRYPTION_KEYS = ["not a key"]
    with pytest.raises(ImproperlyConfigured, match="not a Fernet key"):
        crypto.encrypt(b"secret")


def test_the_command_prints_a_working_key(settings, capsys) -> None:
    call_command("generate_encryption_key")
    settings.ENCRYPTION_KEYS = [capsys.readouterr().out.strip()]
    assert crypto.decrypt(crypto.encrypt(b"x")) == b"x"
