"""Permission rows of the accounts URLs (loaded by tests/test_permissions.py): signing in and the
password reset are public, the rest is for anyone signed in."""

from typing import Any

from accounts import services
from conftest import World
from tests.matrix import ANYONE_SIGNED_IN, PUBLIC, Route, rule


def members_token(world: World) -> dict[str, Any]:
    token, _secret = services.create_token(actor=world.member, name="Bảng tính", days=30, scope="read")
    return {"pk": token.pk}


ROUTES = [
    Route("accounts:login", "page", PUBLIC),
    Route("accounts:logout", "self", ANYONE_SIGNED_IN, "POST"),
    Route("accounts:password_change", "page", ANYONE_SIGNED_IN),
    Route("accounts:password_change_done", "page", ANYONE_SIGNED_IN),
    Route("accounts:password_reset", "page", PUBLIC),
    Route("accounts:password_reset_done", "page", PUBLIC),
    Route(
        "accounts:password_reset_confirm",
        "stale-link",
        PUBLIC,
        kwargs=lambda w: {"uidb64": "MQ", "token": "stale-token"},
    ),
    Route("accounts:password_reset_complete", "page", PUBLIC),
    # Personal access tokens: each person's own; another's token does not exist for them.
    Route("accounts:tokens", "self", ANYONE_SIGNED_IN),
    Route(
        "accounts:tokens",
        "self",
        ANYONE_SIGNED_IN,
        "POST",
        data=lambda w: {"name": "Bảng tính", "days": "30", "scope": "read"},
        changes_state=True,
    ),
    Route(
        "accounts:token_revoke",
        "members-token",
        rule(ok=("member",)),
        "POST",
        kwargs=members_token,
        changes_state=True,
    ),
]
