"""Read-only queries for the library's pages: a fixed number of queries per page, whatever the number
of model sessions, cells or adoptions."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from library import permissions
from library.models import Adoption, ModelSession
from organizations.models import Organization
from organizations.permissions import scope_for
from planning.models import Session

# An adoption counts while its session is in the adopting cell's plan and not cancelled.
LIVE_SESSION = [status for status in Session.Status.values if status != Session.Status.CANCELLED]


def published(user: Any) -> QuerySet[ModelSession]:
    """The library: published models the user may read, newest first, with how many cells adopted each."""
    return (
        permissions.visible_models(user)
        .filter(status=ModelSession.Status.PUBLISHED)
        .select_related("cell")
        .annotate(adoption_count=Count("adoptions", filter=Q(adoptions__session__status__in=LIVE_SESSION)))
        .order_by("-published_at", "-id")
    )


def own_models(user: Any) -> list[ModelSession]:
    """Registrations of the cells the user belongs to or leads, not yet published (those are in the
    library)."""
    scope = scope_for(user)
    return list(
        ModelSession.objects.filter(cell_id__in=scope.cell_ids | scope.managed_cell_ids)
        .exclude(status=ModelSession.Status.PUBLISHED)
        .select_related("cell", "session")
        .order_by("-registered_at", "-id")
    )


def registrable_sessions(user: Any) -> list[Session]:
    """Sessions of this year's and next year's plans of the cells the user leads that could be
    registered as a model: not cancelled and not registered already."""
    scope = scope_for(user)
    year = timezone.localdate().year
    return list(
        Session.objects.filter(cell_id__in=scope.managed_cell_ids, plan__year__in=(year, year + 1))
        .exclude(status=Session.Status.CANCELLED)
        .exclude(model_registrations__status__in=ModelSession.LIVE_STATUSES)
        .select_related("cell", "plan")
        .order_by("plan__year", "quarter", "planned_date", "id")
    )


def overseen_parties(user: Any) -> list[Organization]:
    """The Đảng bộ the user serves as officer (their pages of models to approve and adoptions)."""
    scope = scope_for(user)
    if scope.is_admin:
        return list(Organization.objects.filter(kind=Organization.Kind.PARTY_COMMITTEE))
    return list(
        Organization.objects.filter(path__in=scope.officer_paths, kind=Organization.Kind.PARTY_COMMITTEE)
    )


def to_approve(user: Any) -> list[ModelSession]:
    """Registrations waiting for the Đảng ủy the user serves (for their home page): those registered
    with that Đảng bộ itself, not with the Đảng bộ below it (theirs decide those)."""
    scope = scope_for(user)
    if not scope.officer_paths:
        return []
    return list(
        ModelSession.objects.filter(
            party__path__in=scope.officer_paths, status=ModelSession.Status.REGISTERED
        )
        .select_related("cell", "session")
        .order_by("registered_at", "id")
    )


def _adoptions() -> Prefetch:
    return Prefetch(
        "adoptions",
        queryset=Adoption.objects.select_related("cell", "session").order_by("cell__name", "year"),
    )


def party_models(party: Organization) -> dict[str, list[ModelSession]]:
    """Every model of the Đảng bộ's cells by status, for the Đảng ủy (two queries)."""
    models = (
        ModelSession.objects.filter(party=party)
        .select_related("cell", "session")
        .prefetch_related(_adoptions())
        .order_by("cell__name", "-registered_at")
    )
    grouped: dict[str, list[ModelSession]] = {status: [] for status in ModelSession.Status.values}
    for model in models:
        grouped[model.status].append(model)
    return grouped


@dataclass
class AdoptionRow:
    model: ModelSession
    adoptions: list[Adoption]
    cells_total: int

    @property
    def cells_adopting(self) -> int:
        live = [a for a in self.adoptions if a.session is not None and a.session.status in LIVE_SESSION]
        return len({a.cell_id for a in live})


def adoption_overview(party: Organization) -> list[AdoptionRow]:
    """Which cells adopted which published model, with where each adopted session stands (three
    queries)."""
    cells = Organization.objects.filter(kind=Organization.Kind.CELL, path__startswith=party.path)
    cells_total = cells.count()
    models = (
        ModelSession.objects.filter(party=party, status=ModelSession.Status.PUBLISHED)
        .select_related("cell")
        .prefetch_related(_adoptions())
        .order_by("-published_at", "-id")
    )
    # A model's own cell does not adopt it: the others are the ones it can reach.
    return [AdoptionRow(m, list(m.adoptions.all()), max(cells_total - 1, 0)) for m in models]


@dataclass
class SessionLinks:
    """What the session page shows about model sessions: the model it was registered as, and the
    model it was adopted from."""

    model: ModelSession | None
    adoption: Adoption | None


def session_links(session: Session) -> SessionLinks:
    model = ModelSession.objects.filter(session=session).order_by("-registered_at", "-id").first()
    adoption = Adoption.objects.filter(session=session).select_related("model__cell").first()
    return SessionLinks(model, adoption)
