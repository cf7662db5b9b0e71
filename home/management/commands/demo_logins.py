"""``manage.py demo_logins``: the table of demo accounts that ``make run`` prints before serving."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from accounts.models import User
from organizations.demo import ARTICLE_CELL, LOGINS, PASSWORD, SCHOOL, demo_present


class Command(BaseCommand):
    help = "Print the demo logins, their roles and the password."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default=settings.SITE_URL, help="Address to sign in at.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not demo_present():
            self.stdout.write("This database holds no demo data, so there are no demo logins.")
            return
        users = User.objects.filter(username__in=[login.username for login in LOGINS]).select_related(
            "member"
        )
        names = {user.username: _display_name(user) for user in users}
        rows = [("login", "name", "vai trò", "role")]
        rows += [
            (login.username, names.get(login.username, ""), login.role_vi, login.role_en) for login in LOGINS
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(f"Demo logins: {SCHOOL}, {ARTICLE_CELL}"))
        for n, row in enumerate(rows):
            line = (
                "  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            )
            self.stdout.write(self.style.MIGRATE_LABEL(line) if n == 0 else line)
        self.stdout.write(f"Password for every login: {PASSWORD}")
        self.stdout.write(f"Sign in at {options['url'].rstrip('/')}/")
        self.stdout.write("")


def _display_name(user: User) -> str:
    member = getattr(user, "member", None)
    return member.full_name if member is not None else user.get_full_name()
