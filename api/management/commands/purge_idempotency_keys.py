"""Delete the Idempotency-Keys older than API_IDEMPOTENCY_HOURS (run it daily, e.g. from cron)."""

from typing import Any

from django.core.management.base import BaseCommand

from api import idempotency


class Command(BaseCommand):
    help = "Delete the Idempotency-Keys older than API_IDEMPOTENCY_HOURS (24 by default)."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = idempotency.purge()
        if options["verbosity"]:
            self.stdout.write(f"{deleted} idempotency key(s) deleted.")
