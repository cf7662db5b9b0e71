"""``manage.py create_api_token <username> --name demo --scope read --days 30``: a personal access token
for the API, printed once (as the account page shows it once). For trying the API and for scripts run
by the administrator; people make their own on the account page (/tai-khoan/ma-truy-cap/)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts import services
from accounts.models import AccessToken, User
from core.errors import DomainError


class Command(BaseCommand):
    help = "Create a personal access token for the API and print it once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="manage.py create_api_token", help="What the token is for.")
        parser.add_argument("--scope", choices=AccessToken.Scope.values, default=AccessToken.Scope.READ)
        parser.add_argument("--days", type=int, choices=services.LIFETIMES, default=30)
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="Address for the example call.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['username']!r}.")
        try:
            token, secret = services.create_token(
                actor=user, name=options["name"], days=options["days"], scope=options["scope"]
            )
        except DomainError as error:
            raise CommandError(str(error.message)) from None
        self.stdout.write(secret)
        if options["verbosity"] > 1:
            self.stderr.write(
                f"Token {token.prefix}… of {user.username} ({token.scope}), valid until "
                f"{token.expires_at:%Y-%m-%d}; shown only now. Try:\n"
                f"  curl -H 'Authorization: Bearer {secret}' {options['url'].rstrip('/')}/api/v1/me"
            )
