"""Rolling figures up the tree one level at a time, in SQL.

An officer of a Đảng bộ sees the organisations directly under it, each with figures summed over every
cell below that child. The materialised ``path`` makes the grouping one expression: a path is a run of
fixed-width segments (``"000001.000007.000042."``, seven characters each, organizations/services.py),
so the path of the child of ``party`` that holds an organisation is the first ``len(party.path) + 7``
characters of that organisation's path. Group any query by ``child_key(party, "<lookup>__path")`` and
the database does the roll-up; nothing loads every cell into Python.
"""

from typing import Any

from django.db.models import F, QuerySet, Value
from django.db.models.functions import Substr

from organizations.models import Organization

SEGMENT = 7  # "000042." (services.create_organization writes ``f"{pk:06d}."``)


def child_key(party: Organization, path_lookup: str = "path") -> Any:
    """An expression giving, for a row whose organisation path is at ``path_lookup`` (e.g.
    ``"cell__path"``), the path of the organisation directly under ``party`` that holds it (the
    organisation itself when it is a child). Use it under ``party`` only: filter with
    ``under(party, path_lookup)`` first."""
    return Substr(F(path_lookup), 1, Value(len(party.path) + SEGMENT))


def under(party: Organization, path_lookup: str = "path") -> dict[str, str]:
    """Filter keywords for the rows strictly below ``party`` (``.filter(**under(party, "cell__path"))``)."""
    return {f"{path_lookup}__startswith": party.path, f"{path_lookup}__gt": party.path}


def children(party: Organization) -> QuerySet[Organization]:
    """The organisations directly under ``party`` (one level down)."""
    return Organization.objects.filter(parent=party)


def by_child(
    party: Organization, rows: QuerySet[Any], path_lookup: str, **aggregates: Any
) -> dict[str, dict]:
    """``rows`` below ``party`` grouped by the child of ``party`` that holds them: ``{child path:
    {name: value}}`` for the given aggregates (``Count``, ``Sum``…), in one query."""
    grouped = (
        rows.filter(**under(party, path_lookup))
        .annotate(_child=child_key(party, path_lookup))
        .values("_child")
        .order_by()
        .annotate(**aggregates)
    )
    return {row.pop("_child"): row for row in grouped}
