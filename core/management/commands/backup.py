"""``manage.py backup [--output DIR_OR_FILE]``: the database, the uploads and a manifest in one archive
(core/backup.py). Run it nightly; see the README's production section for restoring."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, write_backup


class Command(BaseCommand):
    help = "Write a backup archive (database, uploaded files, manifest with checksums)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", default=str(Path(settings.VAR_DIR) / "backups"))

    def handle(self, *args: Any, output: str, **options: Any) -> None:
        target = Path(output)
        if not target.suffix:
            target.mkdir(parents=True, exist_ok=True)
        try:
            made = write_backup(target)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{made.path} ({made.files} files, {made.size // 1024} KB)")
