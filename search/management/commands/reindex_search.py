"""``manage.py reindex_search``: rebuild the search index from the topics, approved draft versions,
issued resolutions and lessons learned. Safe to run at any time, as often as wanted."""

from typing import Any

from django.core.management.base import BaseCommand

from search.services import reindex_all


class Command(BaseCommand):
    help = "Rebuild the search index from its sources (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = reindex_all()
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {count} entries."))
