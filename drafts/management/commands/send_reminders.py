"""``manage.py send_reminders``: the automatic reminder to comment, N days before each meeting.

Run it once a day (cron, a systemd timer, or the scheduler of the host); each session gets its
automatic reminder once, so running it more often does no harm.
"""

from typing import Any

from django.core.management.base import BaseCommand

from drafts.services import send_due_reminders


class Command(BaseCommand):
    help = "Remind members who have not commented on a distributed draft (once per session, N days before)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = send_due_reminders()
        self.stdout.write(f"Automatic reminders sent for {count} session(s).")
