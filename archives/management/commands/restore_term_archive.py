"""``manage.py restore_term_archive FILE [--organization ID]``: check a term archive and restore it for
reading (no size limit, unlike the upload on the page)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from archives import services
from core.errors import DomainError
from organizations.models import Organization


class Command(BaseCommand):
    help = "Check a term archive (manifest and every file's SHA-256) and restore it for reading."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The ZIP made by the Term archives page.")
        parser.add_argument(
            "--organization",
            type=int,
            help="Id of the organisation to keep it under (default: the archive's cell, if it is here "
            "under the same name).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with open(options["file"], "rb") as handle:
                organization = self._organization(handle, options["organization"])
                restored = services.restore_archive(actor=None, organization=organization, upload=handle)
        except OSError as error:
            raise CommandError(str(error)) from error
        except DomainError as error:
            raise CommandError(str(error.message)) from None
        self.stdout.write(
            _("Restored: %(cell)s, term %(term)s, %(files)s files, SHA-256 %(sha256)s (id %(id)s).")
            % {
                "cell": restored.cell_name,
                "term": restored.term_name,
                "files": len(restored.files),
                "sha256": restored.sha256,
                "id": restored.pk,
            }
        )

    def _organization(self, handle: Any, pk: int | None) -> Organization:
        if pk is not None:
            found = Organization.objects.filter(pk=pk).first()
            if found is None:
                raise CommandError(_("There is no organisation with id %(id)s.") % {"id": pk})
            return found
        from archives import restore

        try:
            manifest = restore.check(handle).manifest
        except DomainError as error:
            raise CommandError(str(error.message)) from None
        cell = manifest["cell"]
        found = Organization.objects.filter(pk=cell.get("id"), name=cell.get("name")).first()
        if found is None:
            raise CommandError(
                _("The archive's cell (%(name)s) is not here: name where to keep it with --organization.")
                % {"name": cell.get("name")}
            )
        return found
