"""``manage.py send_digests``: send the daily digest of every member whose hour has come (one message
per channel listing the day's notices). Run it every hour from cron; running it more often, or twice,
sends nothing twice (notifications/digests.py)."""

from typing import Any

from django.core.management.base import BaseCommand

from notifications import digests


class Command(BaseCommand):
    help = "Send the daily digests that are due (run hourly; safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        done = digests.send_due()
        self.stdout.write(
            f"Digests: {done.members} members, {done.messages} messages, {done.notices} notices"
        )
