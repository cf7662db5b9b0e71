"""Who may see and do what with model sessions and the library.

* A published model is read by every cell of its Đảng bộ (every member of a cell under it, at any
  depth) and by the Đảng ủy officers of that Đảng bộ or above it; nobody outside the Đảng bộ sees it.
* Before publication (registered, approved, declined, withdrawn) a model is seen by the members of its
  own cell and by the officers above it: it is a matter between the cell and its Đảng ủy.
* The cell's secretary and deputy (current term) register one of its sessions as a model and may
  withdraw it before publication; the officers above the cell approve or decline it; the cell's
  secretaries and the officers publish it once the session is evaluated.
* The secretary or deputy of another cell of the Đảng bộ adopts a published model into their cell's
  plan; a cell does not adopt its own model (it has held it).
* An administrator may do everything (as in the other apps), as the system does.
"""

from typing import Any

from django.db.models import Q, QuerySet

from library.models import ModelSession
from organizations.models import Organization, path_ids
from organizations.permissions import Scope, scope_for
from planning.models import Session


def reader_party_ids(user: Any) -> set[int]:
    """The organisations whose library the user reads: every organisation above (or equal to) one of
    their cells or one they serve as officer."""
    scope = scope_for(user)
    cached = getattr(user, "_library_party_ids", None)
    if cached is not None:
        return cached
    paths = list(
        Organization.objects.filter(pk__in=scope.cell_ids | scope.managed_cell_ids).values_list(
            "path", flat=True
        )
    )
    # Every organisation on the way from the root down to each of them, they included.
    ids = {pk for path in [*paths, *scope.officer_paths] for pk in path_ids(path)}
    if getattr(user, "is_authenticated", False):
        user._library_party_ids = ids
    return ids


def _below_officer(scope: Scope, field_name: str) -> Q:
    condition = Q(pk__in=[])
    for prefix in scope.officer_paths:
        condition |= Q(**{f"{field_name}__startswith": prefix})
    return condition


def visible_models(user: Any) -> QuerySet[ModelSession]:
    """Model sessions the user may open: the published ones of their Đảng bộ, and the others of their
    own cells or of the cells they oversee."""
    scope = scope_for(user)
    models = ModelSession.objects.all()
    if scope.is_admin:
        return models
    if not getattr(user, "is_authenticated", False):
        return models.none()
    published = Q(status=ModelSession.Status.PUBLISHED) & (
        Q(party_id__in=reader_party_ids(user)) | _below_officer(scope, "party__path")
    )
    own = Q(cell_id__in=scope.cell_ids | scope.managed_cell_ids) | _below_officer(scope, "cell__path")
    return models.filter(published | own)


def manages_cell(user: Any, cell_id: int) -> bool:
    scope = scope_for(user)
    return scope.is_admin or cell_id in scope.managed_cell_ids


def oversees(user: Any, org: Organization) -> bool:
    """An officer of the Đảng bộ ``org`` or of one above it (or an administrator)."""
    scope = scope_for(user)
    return scope.is_admin or scope.reaches_path(org.path)


def adoptable_cells(user: Any, model: ModelSession) -> QuerySet[Organization]:
    """The cells of the model's Đảng bộ the user manages, other than the model's own cell."""
    scope = scope_for(user)
    cells = Organization.objects.filter(
        kind=Organization.Kind.CELL, path__startswith=model.party.path
    ).exclude(pk=model.cell_id)
    if scope.is_admin:
        return cells
    return cells.filter(pk__in=scope.managed_cell_ids)


# The action codes this module decides (registered with core.permissions in apps.py).
ACTIONS = frozenset(
    {
        "model.adopt",
        "model.approve",
        "model.decline",
        "model.publish",
        "model.register",
        "model.withdraw",
        "party.oversee",
    }
)


def can(user: Any, action: str, obj: Any) -> bool:
    """May ``user`` do ``action`` to ``obj`` (a session for ``model.register``, a Đảng bộ for
    ``party.oversee``, else a model session)? Unknown actions are refused."""
    if not getattr(user, "is_authenticated", False):
        return False
    if action == "model.register":
        assert isinstance(obj, Session)
        return manages_cell(user, obj.cell_id)
    if action == "party.oversee":
        return obj.kind == Organization.Kind.PARTY_COMMITTEE and oversees(user, obj)
    assert isinstance(obj, ModelSession)
    if action in ("model.approve", "model.decline"):
        return oversees(user, obj.party)
    if action == "model.withdraw":
        return manages_cell(user, obj.cell_id)
    if action == "model.publish":
        return manages_cell(user, obj.cell_id) or oversees(user, obj.party)
    if action == "model.adopt":  # whether it is published yet is the service's question
        return adoptable_cells(user, obj).exists()
    return False
