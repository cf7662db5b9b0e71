"""The push demo step: the cell's full member (``dangvien``) has turned notifications on in one browser, so the
push channel shows as reachable for them (notifications' channel choices) and the VAPID keys exist.

The subscription points at a stand-in push service on this machine (push/standin.py), not at a real
one: no push reaches a real phone from the demo. ``manage.py push_standin`` listens there and prints
each push it receives, checked and decrypted; while nothing listens, a push to it is retried like any
push service that cannot be reached."""

from organizations.demo import Demo
from push import vapid
from push.models import PushSubscription
from push.standin import BrowserKeys

DEMO_PORT = 8765
DEMO_TOKEN = "ok-demo-dangvien"
DEMO_ENDPOINT = f"http://127.0.0.1:{DEMO_PORT}/push/{DEMO_TOKEN}"


def demo_browser() -> BrowserKeys:
    """The demo browser's keys, the same on every run."""
    return BrowserKeys.derived("chuyende-demo-browser")


def add_push(demo: Demo) -> None:
    vapid.keys()  # under DEBUG, makes the development pair in VAR_DIR once
    keys = demo_browser()
    PushSubscription.objects.create(
        user=demo.users["dangvien"],
        endpoint=DEMO_ENDPOINT,
        p256dh=keys.p256dh,
        auth=keys.auth,
        user_agent="Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36",
    )
