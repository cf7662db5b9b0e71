"""Reading organisations and members for pages, in a fixed number of queries per page."""

from datetime import date
from typing import Any

from django.db.models import Case, CharField, Count, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from core.text import fold
from organizations import rollup
from organizations.models import (
    Exemption,
    Member,
    Membership,
    OfficerAssignment,
    Organization,
    Position,
    Term,
    path_ids,
)
from organizations.permissions import MANAGING_ROLES, active_q, scope_for, visible_organizations


def vietnamese_name_key(full_name: str) -> tuple[str, str]:
    """Vietnamese lists sort by the given name (the last word), then by the whole name."""
    folded = fold(full_name)
    return (folded.split()[-1] if folded else "", folded)


def cell_members(
    cell: Organization,
    on: date | None = None,
    *,
    exempted: bool,
    attached_here: bool,
    attached_elsewhere: bool,
) -> list[Member]:
    """Who is a member of ``cell`` on ``on`` (today by default), in Vietnamese name order (one query).

    A member of the cell holds a membership of it in force on the day: their regular one, or a
    temporary attachment (sinh hoạt tạm thời, docs/domain.md §1). The keywords say who among them counts, and
    every caller says it, because each rule of the domain draws the line in its own place:

    * ``exempted``: include members exempted from Party work and meetings on the day (an
      ``Exemption`` in force);
    * ``attached_here``: include members of another cell temporarily attached to this one;
    * ``attached_elsewhere``: include this cell's members temporarily attached to another cell on the
      day (they attend there).

    For the memberships themselves, with positions and these standings loaded for a page, see
    :func:`cell_roster`.
    """
    on = on or timezone.localdate()
    memberships = Membership.objects.filter(active_q(on=on), organization=cell)
    if not attached_here:
        memberships = memberships.filter(kind=Membership.Kind.REGULAR)
    members = Member.objects.filter(pk__in=memberships.values("member_id"))
    if not exempted:
        members = members.exclude(pk__in=Exemption.objects.filter(active_q(on=on)).values("member_id"))
    if not attached_elsewhere:
        elsewhere = (
            Membership.objects.filter(active_q(on=on), kind=Membership.Kind.TEMPORARY)
            .exclude(organization=cell)
            .values("member_id")
        )
        members = members.exclude(pk__in=elsewhere)
    return sorted(members, key=lambda m: vietnamese_name_key(m.full_name))


def cell_roster(cell: Organization, on: date | None = None) -> list[Membership]:
    """Every membership of the cell in force on ``on`` (today by default): regular and attached here,
    exempted members and members attached elsewhere included, with member, positions, exemptions and
    attachments elsewhere loaded so the page can show each standing (``current_positions``,
    ``current_exemptions``, ``attachments_elsewhere``). Five queries whatever the size of the cell,
    in Vietnamese name order."""
    on = on or timezone.localdate()
    return sorted(
        Membership.objects.filter(active_q(on=on), organization=cell)
        .select_related("member")
        .prefetch_related(
            Prefetch(
                "member__positions",
                queryset=Position.objects.filter(
                    active_q(on=on), active_q("term__", on=on), term__organization=cell
                ),
                to_attr="current_positions",
            ),
            Prefetch(
                "member__exemptions",
                queryset=Exemption.objects.filter(active_q(on=on)),
                to_attr="current_exemptions",
            ),
            Prefetch(
                "member__memberships",
                queryset=Membership.objects.filter(active_q(on=on), kind=Membership.Kind.TEMPORARY)
                .exclude(organization=cell)
                .select_related("organization"),
                to_attr="attachments_elsewhere",
            ),
        ),
        key=lambda m: vietnamese_name_key(m.member.full_name),
    )


def cell_leader_members(cell: Organization, on: date | None = None) -> QuerySet[Member]:
    """The members holding the cell's secretary or deputy secretary position in its term current on
    ``on`` (today by default): who leads the cell, prepares its plans and reports, and hears the
    answers. A queryset, so that :func:`notifications.services.notify_members` reads it as a subquery."""
    return _leader_members(on, term__organization=cell)


def leader_members_under(org: Organization, on: date | None = None) -> QuerySet[Member]:
    """The secretaries and deputy secretaries (current term) of every organisation in ``org``'s subtree,
    ``org`` included: the leaders of every cell of a Đảng bộ."""
    return _leader_members(on, term__organization__path__startswith=org.path)


def _leader_members(on: date | None, **term_lookup: Any) -> QuerySet[Member]:
    positions = Position.objects.filter(
        active_q(on=on), active_q("term__", on=on), role__in=MANAGING_ROLES, **term_lookup
    )
    return Member.objects.filter(pk__in=positions.values("member_id"))


def officers_above(org: Organization, *, include_self: bool = False) -> list[Any]:
    """The users serving the Đảng ủy (``OfficerAssignment``) of every organisation above ``org``, and of
    ``org`` itself with ``include_self`` (one query). A user serving at two levels comes twice."""
    return [
        assignment.user
        for assignment in OfficerAssignment.objects.filter(
            organization__path__in=org.ancestor_paths(include_self=include_self)
        ).select_related("user")
    ]


def roster_counts(roster: list[Membership]) -> dict[str, int]:
    """Totals shown at the top of the cell page (docs/domain.md §4 minutes use the same split)."""
    regular: list[Any] = [m.member for m in roster if m.kind == Membership.Kind.REGULAR]
    return {
        "total": len(regular),
        "full": sum(1 for member in regular if member.status == Member.Status.FULL),
        "probationary": sum(1 for member in regular if member.status == Member.Status.PROBATIONARY),
        "exempted": sum(1 for member in regular if member.current_exemptions),
        "attached_here": sum(1 for m in roster if m.kind == Membership.Kind.TEMPORARY),
        "attached_elsewhere": sum(1 for member in regular if member.attachments_elsewhere),
    }


def cell_warnings(cell: Organization, roster: list[Membership]) -> list[str]:
    """Advice the secretary sees on the cell page; never a block."""
    if not cell.is_cell:
        return []
    warnings: list[str] = []
    minimum = cell.effective_rule_set().param("committee_min_full_members")
    full = roster_counts(roster)["full"]
    roles = {p.role for m in roster for p in getattr(m.member, "current_positions", [])}
    if full >= minimum and Position.Role.COMMITTEE_MEMBER not in roles:
        warnings.append(
            _(
                "The cell has %(count)s full members: with %(minimum)s or more it should elect a cell "
                "committee (chi ủy), Điều lệ Đảng art. 24."
            )
            % {"count": full, "minimum": minimum}
        )
    if Position.Role.SECRETARY not in roles:
        warnings.append(_("The cell has no secretary in the current term."))
    return warnings


# --- The organisation tree, one level at a time --------------------------------------------------
#
# A province holds thousands of organisations: the tree page never builds the whole tree. It shows one
# level (the user's top organisations, or the children of the one opened), each with counts from
# grouped SQL aggregates (organizations.rollup), and a search by name across what the user may see.


def tree_level(user: Any, parent: Organization | None = None) -> QuerySet[Organization]:
    """The organisations of one level of ``user``'s tree, Đảng bộ before cells, then by name: the
    children of ``parent`` the user may see, or (no ``parent``) the user's top organisations, those
    whose parent the user cannot see."""
    visible = visible_organizations(user)
    level = visible.filter(parent=parent) if parent is not None else visible.exclude(parent__in=visible)
    cells_last = Case(When(kind=Organization.Kind.CELL, then=Value(1)), default=Value(0))
    return level.order_by(cells_last, Lower("name"), "pk")


def _grouped(
    orgs: list[Organization],
    parent: Organization | None,
    rows: QuerySet[Any],
    path_lookup: str,
    **aggregates: Any,
) -> dict[str, dict[str, Any]]:
    """``rows`` in the subtrees of ``orgs`` grouped by the one of ``orgs`` that holds them (one query).
    Siblings (``parent`` given) group by a prefix of the path (organizations.rollup); the top
    organisations of a user, at different depths, by the first of their paths that matches."""
    if parent is not None:
        return rollup.by_child(parent, rows, path_lookup, **aggregates)
    if not orgs:
        return {}
    within = Q(pk__in=[])
    for org in orgs:
        within |= Q(**{f"{path_lookup}__startswith": org.path})
    key = Case(
        *[When(**{f"{path_lookup}__startswith": org.path}, then=Value(org.path)) for org in orgs],
        output_field=CharField(),
    )
    grouped = rows.filter(within).annotate(_key=key).values("_key").order_by().annotate(**aggregates)
    return {row.pop("_key"): row for row in grouped}


def count_below(orgs: list[Organization], parent: Organization | None = None) -> list[Organization]:
    """Set on each of ``orgs`` (siblings under ``parent``, or a user's top organisations) how many
    organisations sit directly under it (``sub_count``), the cells (``cell_count``) and the members
    (regular memberships in force, ``member_count``, of which ``probationary_count``) in its whole
    subtree. Three queries whatever the size of the subtrees."""
    today = timezone.localdate()
    subs = dict(
        Organization.objects.filter(parent__in=orgs)
        .values("parent")
        .order_by()
        .annotate(n=Count("id"))
        .values_list("parent", "n")
    )
    cells = _grouped(
        orgs, parent, Organization.objects.filter(kind=Organization.Kind.CELL), "path", n=Count("id")
    )
    members = _grouped(
        orgs,
        parent,
        Membership.objects.filter(active_q(on=today), kind=Membership.Kind.REGULAR),
        "organization__path",
        n=Count("id"),
        probationary=Count("id", filter=Q(member__status=Member.Status.PROBATIONARY)),
    )
    for org in orgs:
        org.sub_count = subs.get(org.pk, 0)  # type: ignore[attr-defined]
        org.cell_count = cells.get(org.path, {}).get("n", 0)  # type: ignore[attr-defined]
        org.member_count = members.get(org.path, {}).get("n", 0)  # type: ignore[attr-defined]
        org.probationary_count = members.get(org.path, {}).get("probationary", 0)  # type: ignore[attr-defined]
    return orgs


def visible_trail(user: Any, org: Organization, *, include_self: bool = False) -> list[Organization]:
    """The organisations above ``org`` (and ``org`` itself with ``include_self``) that ``user`` may
    see, from the top down (one query)."""
    ids = path_ids(org.path) if include_self else path_ids(org.path)[:-1]
    return list(visible_organizations(user).filter(pk__in=ids).order_by("path"))


def search_tree(user: Any, query: str) -> QuerySet[Organization]:
    """The organisations ``user`` may see whose name holds ``query`` (case-insensitive), by name."""
    return visible_organizations(user).filter(name__icontains=query).order_by(Lower("name"), "pk")


def with_trails(user: Any, orgs: list[Organization]) -> list[tuple[Organization, list[Organization]]]:
    """Each of ``orgs`` with the organisations above it that ``user`` may see, from the top down: the
    path shown beside a search result (one query for the whole page)."""
    ids = {pk for org in orgs for pk in path_ids(org.path)[:-1]}
    above = {o.pk: o for o in visible_organizations(user).filter(pk__in=ids)} if ids else {}
    return [(org, [above[pk] for pk in path_ids(org.path)[:-1] if pk in above]) for org in orgs]


def home_context(user: Any) -> dict[str, Any]:
    """What the home page shows: my cells and positions, my exemption, advice for cells I manage."""
    scope = scope_for(user)
    context: dict[str, Any] = {"member": None, "memberships": [], "positions": [], "warnings": []}
    if scope.member_id is not None:
        context["member"] = Member.objects.get(pk=scope.member_id)
        context["memberships"] = list(
            Membership.objects.filter(active_q(), member_id=scope.member_id).select_related("organization")
        )
        context["positions"] = list(
            Position.objects.filter(active_q(), active_q("term__"), member_id=scope.member_id).select_related(
                "term"
            )
        )
        context["exemption"] = Exemption.objects.filter(active_q(), member_id=scope.member_id).first()
        for cell in Organization.objects.filter(pk__in=scope.managed_cell_ids).order_by("name"):
            context["warnings"].extend(f"{cell.name}: {w}" for w in cell_warnings(cell, cell_roster(cell)))
    context["officer_orgs"] = list(OfficerAssignment.objects.filter(user=user).select_related("organization"))
    return context


def current_term(organization: Organization, on: date | None = None) -> Term | None:
    """The term in force on ``on`` (today by default), if any."""
    return organization.terms.filter(active_q(on=on)).order_by("-start_date").first()
