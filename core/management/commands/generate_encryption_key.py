"""Print a new key for ENCRYPTION_KEY (core/crypto.py)."""

from typing import Any

from django.core.management.base import BaseCommand

from core.crypto import new_key


class Command(BaseCommand):
    help = "Print a new Fernet key for the ENCRYPTION_KEY setting (secrets stored in the database)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(new_key())
