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

from organizations.models import Organization
from organizations.permissions import scope_for
from search.models import SearchEntry


def _path_and_ancestors(path: str) -> set[str]:
    """``"000001.000007."`` → ``{"000001.", "000001.000007."}`` (materialised paths end with a dot)."""
    return {path[: index + 1] for index, char in enumerate(path) if char == "."}


def visible_entries(user: Any) -> QuerySet[SearchEntry]:
    """The entries ``user`` may find (at most one query to compute, on top of ``scope_for``)."""
    scope = scope_for(user)
    entries = SearchEntry.objects.all()
    if scope.is_admin:
        return entries
    cells = scope.cell_ids | scope.managed_cell_ids
    paths = list(Organization.objects.filter(pk__in=cells).values_list("path", flat=True)) if cells else []
    # A catalogue is read by everyone below its Đảng bộ: the entry's organisation is the person's cell,
    # an officer's organisation, or one of their ancestors.
    within: set[str] = set()
    for path in (*paths, *scope.officer_paths):
        within |= _path_and_ancestors(path)
    reach = Q(audience=SearchEntry.Audience.CELL, organization_id__in=cells) | Q(
        audience=SearchEntry.Audience.ORGANISATION, organization__path__in=within
    )
    # Officers find every entry at or below their organisation.
    for prefix in scope.officer_paths:
        reach |= Q(organization__path__startswith=prefix)
    return entries.filter(reach)
