"""Permission rows of the API's account operations (gathered by api/tests/routes.py): everyone signed
in has an account and tokens of their own; another's token does not exist for them."""

from typing import Any

from accounts import services
from conftest import World
from tests.matrix import SIGNED_IN, Route, api_rule

ANYONE_SIGNED_IN = api_rule(ok=SIGNED_IN)


def members_token(world: World) -> dict[str, Any]:
    token, _secret = services.create_token(actor=world.member, name="Bảng tính", days=30, scope="read")
    return {"token_id": token.pk}


def new_token(world: World) -> dict[str, Any]:
    return {"name": "Bảng tính", "days": 30, "scope": "read"}


ROUTES: list[Route] = [
    Route("api-v1:get_me", "self", ANYONE_SIGNED_IN, api=True),
    Route("api-v1:list_tokens", "self", ANYONE_SIGNED_IN, api=True),
    Route(
        "api-v1:create_token",
        "self",
        ANYONE_SIGNED_IN,
        "POST",
        data=new_token,
        changes_state=True,
        api=True,
        ok_status=201,
    ),
    Route(
        "api-v1:revoke_token",
        "members-token",
        api_rule(ok=("member",)),
        "DELETE",
        kwargs=members_token,
        changes_state=True,
        api=True,
        ok_status=204,
    ),
]
