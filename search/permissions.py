"""Who finds which search entry: the rules of the source apps, as one ``WHERE`` on the index.

* An entry of a Đảng bộ (its topic catalogue) is found by everyone in it: the members of its cells at
  any depth and its officers, and by the officers of the Đảng bộ above it (planning.visible_topics).
* An entry of a cell (a topic it proposed, approved draft versions, an issued resolution, lessons) is
  found by the cell's members (probationary and temporarily attached ones included) and by the Đảng
  ủy officers of every organisation above it (planning, drafts, meetings and evaluations permissions).
* An administrator finds everything; nobody finds another Đảng bộ's entries.

What only some of a cell may see (versions awaiting approval, an unissued resolution) is never indexed
(``search/services.py``), so no rule here needs to know the person's role in the cell.
"""

from typing import Any

from django.db.models import Q, QuerySet

from organizations.models import Organization, path_ids
from organizations.permissions import scope_for
from search.models import SearchEntry


def visible_entries(user: Any) -> QuerySet[SearchEntry]:
    """The entries ``user`` may find (at most one query to compute, on top of ``scope_for``).

    The rule reads the entry's ``organization_id`` for a member's cells and the catalogues above
    them (short lists, answered by the index on the column: no join), and an officer's path prefix
    through a join (one ``LIKE 'path%'``, however many cells are below: never a list of them)."""
    scope = scope_for(user)
    entries = SearchEntry.objects.all()
    if scope.is_admin:
        return entries
    cells = scope.cell_ids | scope.managed_cell_ids
    paths = list(Organization.objects.filter(pk__in=cells).values_list("path", flat=True)) if cells else []
    # A catalogue is read by everyone below its Đảng bộ: the entry's organisation is the person's cell,
    # an officer's organisation, or one of their ancestors (a path is the ids from the root down).
    catalogues = {pk for path in (*paths, *scope.officer_paths) for pk in path_ids(path)}
    reach = Q(audience=SearchEntry.Audience.CELL, organization_id__in=cells) | Q(
        audience=SearchEntry.Audience.ORGANISATION, organization_id__in=catalogues
    )
    # Officers find every entry at or below their organisation.
    for prefix in scope.officer_paths:
        reach |= Q(organization__path__startswith=prefix)
    return entries.filter(reach)
