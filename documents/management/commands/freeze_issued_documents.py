"""Store the files of documents issued before they were frozen at issue (issue 17): safe any time."""

from typing import Any

from django.core.management.base import BaseCommand

from documents.files import freeze_document, unfrozen


class Command(BaseCommand):
    help = "Render and store, once, the PDF and DOCX of every issued document that has no stored file yet."

    def handle(self, *args: Any, **options: Any) -> None:
        ids = unfrozen()
        for document_id in ids:
            freeze_document(document_id)
        self.stdout.write(f"{len(ids)} issued document(s) frozen.")
