"""Permission rows of the Zalo URLs (loaded by tests/test_permissions.py): an organisation's Official
Account page and its templates."""

from typing import Any

from conftest import World
from tests.matrix import SEES_PARTY, Route, rule

# The account holds the app secret and speaks in the Đảng bộ's name: the officers of the Đảng ủy (or
# above) and the administrators; the cell's own people see the cell, so they are refused.
MANAGES_ZALO = rule(ok=("officer", "admin"), forbidden=("secretary", "deputy", "member", "probationary"))


def cell_account(world: World) -> Any:
    from zalo import services

    return services.save_account(
        actor=None,
        organization=world.cell,
        name="OA Chi bộ",
        app_id="4318290517384729931",
        oauth_url="https://oauth.zaloapp.com",
        business_url="https://business.openapi.zalo.me",
        openapi_url="https://openapi.zalo.me",
        enabled=False,
    )


def cell_template(world: World) -> dict[str, Any]:
    from zalo import services

    template = services.set_template(
        actor=None,
        account=cell_account(world),
        kind="draft_study",
        template_id="231577",
        params={"ten_dang_vien": "recipient_name"},
    )
    return {"pk": template.pk}


def account_data(world: World) -> dict[str, Any]:
    return {
        "name": "OA Đảng ủy",
        "app_id": "4318290517384729931",
        "oauth_url": "https://oauth.zaloapp.com",
        "business_url": "https://business.openapi.zalo.me",
        "openapi_url": "https://openapi.zalo.me",
    }


def template_data(world: World) -> dict[str, Any]:
    return {"kind": "meeting", "template_id": "231578", "params": "ten_dang_vien = recipient_name"}


def cell_with_account(world: World) -> dict[str, Any]:
    cell_account(world)
    return {"pk": world.cell.pk}


ROUTES = [
    Route("zalo:account", "cell", MANAGES_ZALO, kwargs=lambda world: {"pk": world.cell.pk}),
    Route("zalo:account", "party", SEES_PARTY, kwargs=lambda world: {"pk": world.party.pk}),
    Route(
        "zalo:account",
        "save",
        MANAGES_ZALO,
        "POST",
        kwargs=lambda world: {"pk": world.cell.pk},
        data=account_data,
        changes_state=True,
    ),
    Route(
        "zalo:template_set",
        "cell",
        MANAGES_ZALO,
        "POST",
        kwargs=cell_with_account,
        data=template_data,
        changes_state=True,
    ),
    Route("zalo:template_delete", "cell", MANAGES_ZALO, "POST", kwargs=cell_template, changes_state=True),
]
