"""``manage.py make_term_archives``: the archive of every cell's term that has ended and has none yet.
Run it daily (cron, beside ``send_reminders``); a term archived already is left alone."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from archives import services


class Command(BaseCommand):
    help = "Make the archive of every cell's committee term that has ended and has no archive yet."

    def handle(self, *args: Any, **options: Any) -> None:
        made = services.archive_ended_terms()
        for archive in made:
            self.stdout.write(
                _("%(cell)s, term %(term)s: version %(version)s, %(size)s bytes, SHA-256 %(sha256)s.")
                % {
                    "cell": archive.organization.name,
                    "term": archive.term.name,
                    "version": archive.version,
                    "size": archive.size,
                    "sha256": archive.sha256,
                }
            )
        self.stdout.write(_("%(count)s archives made.") % {"count": len(made)})
