"""Every change to organisations, terms, members, positions and exemptions.

Each function checks permission and state, validates everything, writes inside one transaction and
records one audit entry. Views, the import, the demo loader and (later) the API all call these.
"""

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import log_action
from core.errors import DomainError, PermissionDenied
from core.permissions import require
from organizations.models import Exemption, Member, Membership, Organization, Position, Term
from organizations.permissions import active_q

MEMBER_FIELDS = (
    "full_name",
    "date_of_birth",
    "gender",
    "party_card_number",
    "admission_date",
    "official_date",
    "status",
    "job_title",
    "strengths",
    "email",
    "phone",
)


# --- Organisations and terms -----------------------------------------------------------------


def create_organization(
    *, actor: Any, name: str, kind: str, parent: Organization | None = None, place: str = ""
) -> Organization:
    """Create a Đảng bộ or a Chi bộ under ``parent`` (a Đảng bộ); a root needs an administrator."""
    if parent is None:
        if actor is not None and not getattr(actor, "is_superuser", False):
            raise PermissionDenied(_("Only an administrator can create a top-level organisation."))
    else:
        require(actor, "organization.create_child", parent)
        if parent.kind != Organization.Kind.PARTY_COMMITTEE:
            raise DomainError(_("Organisations can only be created under a Party organisation, not a cell."))
    with transaction.atomic():
        org = Organization(name=name.strip(), kind=kind, parent=parent, place=place.strip(), path="")
        org.full_clean(exclude=["path"])
        org.save()
        # The path uses the id, known only after the first save.
        org.path = f"{parent.path if parent else ''}{org.pk:06d}."
        org.save(update_fields=["path"])
        log_action(actor, "organizations.organization.created", org, {"kind": org.get_kind_display()})
    return org


def create_term(
    *, actor: Any, organization: Organization, name: str, start_date: date, end_date: date | None = None
) -> Term:
    """Open a committee term (nhiệm kỳ); terms of one organisation may not overlap."""
    require(actor, "organization.manage", organization)
    term = Term(organization=organization, name=name.strip(), start_date=start_date, end_date=end_date)
    term.full_clean()
    with transaction.atomic():
        overlapping = Term.objects.select_for_update().filter(organization=organization)
        overlapping = overlapping.filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date))
        if end_date is not None:
            overlapping = overlapping.filter(start_date__lte=end_date)
        if overlapping.exists():
            raise DomainError(
                _("This term overlaps another term of the same organisation."), field="start_date"
            )
        term.save()
        log_action(actor, "organizations.term.created", term, {"name": term.name})
    return term


# --- Members ---------------------------------------------------------------------------------


def add_member(
    *,
    actor: Any,
    cell: Organization,
    data: dict[str, Any],
    joined_on: date | None = None,
    kind: str = Membership.Kind.REGULAR,
) -> Member:
    """Create a member and their membership of ``cell`` in one step."""
    require(actor, "organization.manage", cell)
    if not cell.is_cell:
        raise DomainError(_("Members belong to a cell, not directly to a Party organisation."))
    member = Member(**{key: data.get(key, "") for key in MEMBER_FIELDS if key in data})
    member.full_clean()
    membership_start = joined_on or timezone.localdate()
    with transaction.atomic():
        member.save()
        membership = Membership(member=member, organization=cell, kind=kind, start_date=membership_start)
        membership.full_clean()
        membership.save()
        log_action(
            actor,
            "organizations.member.added",
            member,
            {"cell": cell.name, "kind": membership.get_kind_display()},
        )
    return member


def member_changes(member: Member, data: dict[str, Any]) -> dict[str, Any]:
    """The fields in ``data`` whose values differ from the member's."""
    return {
        key: value for key, value in data.items() if key in MEMBER_FIELDS and getattr(member, key) != value
    }


def update_member(*, actor: Any, member: Member, data: dict[str, Any]) -> list[str]:
    """Change a member's record; returns the names of the fields that changed (none: nothing written)."""
    require(actor, "member.edit", member)
    changes = member_changes(member, data)
    if not changes:
        return []
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        for key, value in changes.items():
            setattr(member, key, value)
        member.full_clean()
        member.save(update_fields=list(changes))
        log_action(
            actor,
            "organizations.member.updated",
            member,
            {
                "fields": ", ".join(
                    str(getattr(Member._meta.get_field(k), "verbose_name", k)) for k in changes
                )
            },
        )
    return list(changes)


def end_membership(*, actor: Any, membership: Membership, end_date: date) -> Membership:
    """Close a membership (transfer out, death, removal). Positions in that cell end with it."""
    require(actor, "organization.manage", membership.organization)
    if membership.end_date is not None:
        raise DomainError(_("This membership has already ended."))
    if end_date < membership.start_date:
        raise DomainError(_("A membership cannot end before it starts."), field="end_date")
    with transaction.atomic():
        membership.end_date = end_date
        membership.save(update_fields=["end_date"])
        Position.objects.filter(
            member=membership.member, term__organization=membership.organization, end_date__isnull=True
        ).update(end_date=end_date)
        log_action(
            actor,
            "organizations.membership.ended",
            membership.member,
            {"cell": membership.organization.name, "date": end_date.isoformat()},
        )
    return membership


def attach_temporarily(
    *, actor: Any, member: Member, cell: Organization, start_date: date, end_date: date | None = None
) -> Membership:
    """Attach a member temporarily to another cell (sinh hoạt tạm thời)."""
    require(actor, "organization.manage", cell)
    if not cell.is_cell:
        raise DomainError(_("Members belong to a cell, not directly to a Party organisation."))
    if member.memberships.filter(active_q(on=start_date), organization=cell).exists():
        raise DomainError(_("This member already belongs to this cell."))
    membership = Membership(
        member=member,
        organization=cell,
        kind=Membership.Kind.TEMPORARY,
        start_date=start_date,
        end_date=end_date,
    )
    membership.full_clean()
    with transaction.atomic():
        membership.save()
        log_action(actor, "organizations.membership.attached", member, {"cell": cell.name})
    return membership


# --- Positions -------------------------------------------------------------------------------


def full_member_count(cell: Organization, on: date | None = None) -> int:
    """Full members regularly belonging to the cell on ``on``: the count Điều lệ art. 24 uses."""
    return Membership.objects.filter(
        active_q(on=on), organization=cell, kind=Membership.Kind.REGULAR, member__status=Member.Status.FULL
    ).count()


def assign_position(
    *, actor: Any, term: Term, member: Member, role: str, start_date: date | None = None
) -> Position:
    """Give a member a position in a term. Refuses a second secretary and a chi ủy where none may exist."""
    cell = term.organization
    require(actor, "organization.manage", cell)
    start_date = start_date or max(term.start_date, timezone.localdate())
    if not member.memberships.filter(
        active_q(on=start_date), organization=cell, kind=Membership.Kind.REGULAR
    ).exists():
        raise DomainError(_("Only a regular member of this cell can hold a position in it."), field="member")
    if member.status != Member.Status.FULL:
        raise DomainError(_("A probationary member cannot hold a position in the committee."), field="member")
    if start_date < term.start_date or (term.end_date is not None and start_date > term.end_date):
        raise DomainError(_("The position must start within the term."), field="start_date")
    if role == Position.Role.COMMITTEE_MEMBER and cell.is_cell:
        minimum = cell.effective_rule_set().param("committee_min_full_members")
        count = full_member_count(cell, start_date)
        if count < minimum:
            raise DomainError(
                _(
                    "A cell with fewer than %(minimum)s full members has no cell committee (Điều lệ Đảng, "
                    "art. 24); this cell has %(count)s."
                )
                % {"minimum": minimum, "count": count},
                field="role",
            )
    position = Position(term=term, member=member, role=role, start_date=start_date)
    with transaction.atomic():
        if role == Position.Role.SECRETARY and (
            Position.objects.select_for_update().filter(term=term, role=role, end_date__isnull=True).exists()
        ):
            raise DomainError(_("This cell already has a secretary in this term."), field="role")
        position.full_clean()
        position.save()
        log_action(
            actor,
            "organizations.position.assigned",
            member,
            {"role": position.get_role_display(), "term": term.name},
        )
    return position


def end_position(*, actor: Any, position: Position, end_date: date) -> Position:
    """End a position (resignation, transfer) so that another member can take it."""
    require(actor, "organization.manage", position.term.organization)
    if position.end_date is not None:
        raise DomainError(_("This position has already ended."))
    if end_date < position.start_date:
        raise DomainError(_("A position cannot end before it starts."), field="end_date")
    with transaction.atomic():
        position.end_date = end_date
        position.save(update_fields=["end_date"])
        log_action(
            actor, "organizations.position.ended", position.member, {"role": position.get_role_display()}
        )
    return position


# --- Exemptions ------------------------------------------------------------------------------


def grant_exemption(
    *, actor: Any, member: Member, start_date: date, reason: str, end_date: date | None = None
) -> Exemption:
    """Record an exemption from Party work and meetings; periods of one member may not overlap."""
    require(actor, "member.edit", member)
    exemption = Exemption(member=member, start_date=start_date, end_date=end_date, reason=reason.strip())
    exemption.full_clean()
    overlapping = member.exemptions.filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date))
    if end_date is not None:
        overlapping = overlapping.filter(start_date__lte=end_date)
    if overlapping.exists():
        raise DomainError(_("This member already has an exemption in this period."), field="start_date")
    with transaction.atomic():
        exemption.save()
        log_action(actor, "organizations.exemption.granted", member, {"reason": exemption.reason})
    return exemption


def end_exemption(*, actor: Any, exemption: Exemption, end_date: date) -> Exemption:
    """End an open exemption (the member takes part again from the next day)."""
    require(actor, "member.edit", exemption.member)
    if exemption.end_date is not None and exemption.end_date <= end_date:
        raise DomainError(_("This exemption has already ended."))
    if end_date < exemption.start_date:
        raise DomainError(_("An exemption cannot end before it starts."), field="end_date")
    with transaction.atomic():
        exemption.end_date = end_date
        exemption.save(update_fields=["end_date"])
        log_action(actor, "organizations.exemption.ended", exemption.member, {"date": end_date.isoformat()})
    return exemption
