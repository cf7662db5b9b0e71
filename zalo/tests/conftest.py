"""The Zalo stand-in on a free port and an Official Account of world.party that points at it."""

from collections.abc import Iterator
from typing import Any

import pytest

from conftest import World
from zalo import services
from zalo.models import ZaloAccount
from zalo.standin import StandIn

APP_ID = "4318290517384729931"
SECRET = "s3cret-of-the-app"
TEMPLATE_ID = "231577"
PARAMS = {"ten_dang_vien": "recipient_name", "noi_dung": "title", "lien_ket": "url"}
PHONE = "0912 345 678"
PHONE_84 = "84912345678"


@pytest.fixture
def standin() -> Iterator[StandIn]:
    server = StandIn(app_id=APP_ID, secret_key=SECRET, templates={TEMPLATE_ID: set(PARAMS)}).start()
    yield server
    server.stop()


def make_account(organization: Any, standin: StandIn, *, enabled: bool = True) -> ZaloAccount:
    access, refresh = standin.issue_tokens()
    account = services.save_account(
        actor=None,
        organization=organization,
        name="Đảng ủy Trường",
        app_id=APP_ID,
        secret_key=SECRET,
        access_token=access,
        refresh_token=refresh,
        expires_in=standin.token_lifetime,
        oauth_url=standin.url,
        business_url=standin.url,
        openapi_url=standin.url,
        enabled=enabled,
    )
    services.set_template(
        actor=None, account=account, kind="draft_study", template_id=TEMPLATE_ID, params=dict(PARAMS)
    )
    return account


@pytest.fixture
def account(world: World, standin: StandIn, settings: Any) -> ZaloAccount:
    """world.party's account, enabled, with a template for "draft_study"; world.member has a phone."""
    settings.ZALO_ALLOW_STANDIN = True
    world.member.member.phone = PHONE
    world.member.member.save(update_fields=["phone"])
    return make_account(world.party, standin)
