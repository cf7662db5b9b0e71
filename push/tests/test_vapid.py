"""The VAPID key pair: made by the command, checked when read, made once for development."""

from io import StringIO

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from push import vapid


def test_the_command_prints_a_matching_pair_as_environment_lines():
    out = StringIO()
    call_command("generate_vapid_keys", stdout=out)
    lines = dict(line.split("=", 1) for line in out.getvalue().split())
    assert set(lines) == {"VAPID_PUBLIC_KEY", "VAPID_PRIVATE_KEY"}
    public, private = lines["VAPID_PUBLIC_KEY"], lines["VAPID_PRIVATE_KEY"]
    assert len(vapid.unb64url(public)) == 65 and vapid.unb64url(public)[0] == 4
    key = ec.derive_private_key(int.from_bytes(vapid.unb64url(private), "big"), ec.SECP256R1())
    assert vapid.public_key_of(key) == public
    second = StringIO()
    call_command("generate_vapid_keys", stdout=second)
    assert second.getvalue() != out.getvalue()


def test_configured_keys_are_used(vapid_keys):
    keys = vapid.keys()
    assert keys is not None
    assert (keys.public_key, keys.private_key) == vapid_keys
    assert keys.subject == "mailto:vanphong@truongchinhtri.vn"


def test_a_private_key_that_is_not_the_public_keys_stops_with_a_clear_error(settings, vapid_keys):
    settings.VAPID_PRIVATE_KEY = vapid.generate()[1]
    with pytest.raises(ImproperlyConfigured, match="generate_vapid_keys"):
        vapid.keys()


def test_production_without_keys_has_push_off(settings):
    settings.DEBUG = False
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    assert vapid.keys() is None
    from push.sender import PushSender

    assert not PushSender().is_enabled()


def test_development_makes_a_pair_once_into_var_dir(settings, tmp_path):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    first = vapid.keys()
    assert first is not None and (tmp_path / "vapid-keys.json").exists()
    assert vapid.keys() == first
