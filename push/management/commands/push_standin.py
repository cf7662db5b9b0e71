"""``manage.py push_standin``: the stand-in push service (push/standin.py) for the demo, in the
foreground, printing each push it receives to the demo's subscription, checked and decrypted."""

import contextlib
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from push import vapid
from push.demo import DEMO_PORT, DEMO_TOKEN, demo_browser
from push.standin import PushStandIn, Received


class Command(BaseCommand):
    help = (
        "Run the stand-in push service on 127.0.0.1:8765 for the demo's subscription (user dangvien) and "
        "print every push it receives, with the VAPID check and the decrypted payload. Ctrl-C stops it."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        keys = vapid.keys()
        if keys is None:
            raise CommandError("Web Push is off: set VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY (or DEBUG=true).")
        service = PushStandIn(keys.public_key, port=DEMO_PORT, on_receive=self.show)
        service.add(DEMO_TOKEN, demo_browser())
        self.stdout.write(f"Stand-in push service at {service.origin}/push/{DEMO_TOKEN}")
        with contextlib.suppress(KeyboardInterrupt):
            service.serve_forever()

    def show(self, push: Received) -> None:
        if push.status == 201:
            self.stdout.write(
                f"201 {push.payload.decode() if push.payload else ''}  (signed by {push.claims})"
            )
        else:
            self.stdout.write(f"{push.status} {push.problem}")
