"""``manage.py generate_vapid_keys``: a new VAPID key pair for Web Push, as environment lines."""

from typing import Any

from django.core.management.base import BaseCommand

from push.vapid import generate


class Command(BaseCommand):
    help = (
        "Print a new VAPID key pair for Web Push as VAPID_PUBLIC_KEY=… and VAPID_PRIVATE_KEY=… lines "
        "to add to the environment. Changing the pair ends every browser's subscription."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        public, private = generate()
        self.stdout.write(f"VAPID_PUBLIC_KEY={public}")
        self.stdout.write(f"VAPID_PRIVATE_KEY={private}")
