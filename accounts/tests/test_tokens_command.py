"""``manage.py create_api_token`` prints a working token once, kept hashed like any other."""

import io

import pytest
from django.core.management import CommandError, call_command

from accounts import services
from accounts.models import AccessToken


@pytest.mark.django_db
def test_the_command_prints_a_token_that_works(client, world):
    out = io.StringIO()
    call_command("create_api_token", world.member.username, "--name", "demo", "--days", "30", stdout=out)
    secret = out.getvalue().strip()
    token = AccessToken.objects.get(user=world.member)
    assert token.digest == services.digest_of(secret) and token.scope == "read" and token.name == "demo"
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200 and response.json()["username"] == world.member.username


@pytest.mark.django_db
def test_an_unknown_user_is_refused(world):
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody")
