"""The search demo step: index everything the earlier steps created.

The earlier steps write through the services (the index follows by signals) but also backdate rows
with ``QuerySet.update``, which signals do not see; rebuilding at the end makes the index match the
demo exactly. It must therefore be the last step passed to ``organizations.demo.load_demo``."""

from organizations.demo import Demo
from search.services import reindex_all


def add_search(demo: Demo) -> None:
    """Rebuild the search index over the demo data."""
    reindex_all()
