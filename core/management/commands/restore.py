"""``manage.py restore ARCHIVE``: restore a backup (core/backup.py) into an empty database and an empty
MEDIA_ROOT, after checking every checksum; then run ``manage.py migrate`` if the code is newer."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database and an empty MEDIA_ROOT."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive")

    def handle(self, *args: Any, archive: str, **options: Any) -> None:
        try:
            manifest = restore_backup(Path(archive))
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} ({len(manifest['files']) - 1} files). "
            "Run `manage.py migrate` if this code is newer than the backup."
        )
