"""Permission rows of the push URLs (loaded by tests/test_permissions.py): the manifest and the service
worker are public (browsers fetch the manifest without cookies); a person subscribes their own browser
and removes only their own subscription."""

from typing import Any

from conftest import World
from push.standin import BrowserKeys
from tests.matrix import ANYONE_SIGNED_IN, PUBLIC, Route, rule

ENDPOINT = "https://updates.push.services.mozilla.com/wpush/v2/gAAAAA-route"


def subscription_json(world: World) -> dict[str, Any]:
    keys = BrowserKeys()
    return {"endpoint": ENDPOINT, "keys": {"p256dh": keys.p256dh, "auth": keys.auth}}


def members_subscription(world: World) -> dict[str, Any]:
    from push.models import PushSubscription

    keys = BrowserKeys()
    PushSubscription.objects.create(user=world.member, endpoint=ENDPOINT, p256dh=keys.p256dh, auth=keys.auth)
    return {}


ROUTES = [
    Route("push:manifest", "site", PUBLIC),
    Route("push:service_worker", "site", PUBLIC),
    Route(
        "push:subscribe",
        "own",
        ANYONE_SIGNED_IN,
        "POST",
        data=subscription_json,
        changes_state=True,
        api=True,
        ok_status=201,
    ),
    # world.member's subscription: theirs alone to remove; to anyone else it does not exist.
    Route(
        "push:unsubscribe",
        "members",
        rule(ok=("member",)),
        "POST",
        kwargs=members_subscription,
        data=lambda world: {"endpoint": ENDPOINT},
        changes_state=True,
        api=True,
        ok_status=200,
    ),
]
