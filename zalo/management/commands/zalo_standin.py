"""Run the Zalo stand-in (zalo/standin.py) for the demo or a manual trial:

    DEBUG=true python manage.py zalo_standin --port 8025

It takes the app id, secret, stored tokens and templates of every Official Account that points at
it (``http://127.0.0.1:<port>``), so that the demo's account works against it as it is."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zalo.models import ZaloAccount
from zalo.standin import standin_for


class Command(BaseCommand):
    help = "Run a local stand-in for Zalo's ZNS, OA and OAuth APIs (tests, demo, manual trial)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=8025)
        parser.add_argument("--quota", type=int, default=500, help="ZNS messages allowed per day")
        parser.add_argument(
            "--refuse", action="append", default=[], help="a phone (84…) that cannot receive ZNS"
        )

    def handle(self, *args: Any, port: int, quota: int, refuse: list[str], **options: Any) -> None:
        base = f"http://127.0.0.1:{port}"
        accounts = [a for a in ZaloAccount.objects.all() if a.business_url.rstrip("/") == base]
        if not accounts:
            raise CommandError(
                f"No Zalo Official Account points at {base}: set its addresses on its page first."
            )
        if len({a.app_id for a in accounts}) > 1:
            raise CommandError(
                "The accounts pointing here have different app IDs; the stand-in serves one app."
            )
        standin = standin_for(accounts, daily_quota=quota, port=port)
        standin.refused_phones = set(refuse)
        standin.start()
        self.stdout.write(f"Zalo stand-in on {standin.url} for app {standin.app_id} (Ctrl-C stops it).")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            standin.stop()
