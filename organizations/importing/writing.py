"""Checking every row against the members on record, then writing them all in one transaction:
:func:`import_members`, the service.

Which member a row is
    * A row with a party card number is the member who has that card number. If nobody has it yet,
      it is the member with the same full name and date of birth who has no card number: a
      probationary member who has since become a full member and received the card.
    * A row without a card number (probationary members receive the card only after becoming full
      members) is the member with that full name and date of birth. A name alone is not enough in
      Vietnam; together with the date of birth a clash is rare, and when several members still match,
      the row is refused and asks for the card number.
    * An empty card number never removes a card number already on record.
    * A row that matches nobody is a new member, added to the cell as a regular member.

What is changed
    Only the fields whose values differ. An optional column absent from the file leaves that field
    as it is; an empty cell in a column that is present clears it. A member who belongs regularly to
    another cell is refused: that cell must end the membership first.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.audit import log_action
from core.errors import DomainError, PermissionDenied
from organizations.importing.columns import COLUMNS
from organizations.importing.reading import Row, read_rows
from organizations.models import Member, Membership, Organization
from organizations.permissions import can

# --- Results and refusals --------------------------------------------------------------------


@dataclass
class RowError:
    """One refused row: its number as the spreadsheet shows it, the name written in it, the reasons."""

    row: int
    full_name: str
    reasons: list[str]


class ImportRejected(DomainError):
    """Some rows are wrong, so nothing was imported; ``rows`` lists each of them with its reasons."""

    def __init__(self, rows: list[RowError]):
        super().__init__(
            ngettext(
                "%(count)s row has errors, so nothing was imported. Correct it in the file and "
                "import it again.",
                "%(count)s rows have errors, so nothing was imported. Correct them in the file and "
                "import it again.",
                len(rows),
            )
            % {"count": len(rows)}
        )
        self.rows = rows


@dataclass
class ImportResult:
    """What an import did: members added to the cell, members updated, rows already up to date."""

    file_name: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0


# --- The service -----------------------------------------------------------------------------


def import_members(*, actor: Any, cell: Organization, uploaded_file: Any) -> ImportResult:
    """Import a cell's member list from an XLSX or CSV file: all rows are checked, then all written.

    Raises :class:`ImportRejected` (with every wrong row) or :class:`DomainError` (the file itself
    cannot be used); in both cases nothing is written. ``actor`` None is the system (commands).
    """
    if actor is not None and not can(actor, "organization.import_members", cell):
        raise PermissionDenied(_("You are not allowed to do this."))
    if not cell.is_cell:
        raise DomainError(_("Members belong to a cell, not directly to a Party organisation."))
    file_name = PurePath(getattr(uploaded_file, "name", "") or "").name[:100]
    today = timezone.localdate()
    rows = read_rows(uploaded_file, today)
    _check(rows, cell, today)
    refused = [RowError(row.number, row.full_name, row.reasons) for row in rows if row.reasons]
    if refused:
        raise ImportRejected(refused)
    result = ImportResult(file_name=file_name)
    try:
        with transaction.atomic():
            for row in rows:
                _write(actor, cell, row, file_name, today, result)
    except IntegrityError:
        # Someone changed the same members between our checks and our writes.
        raise DomainError(
            _("The member list changed while the file was being imported; import it again."),
            field="file",
        ) from None
    return result


# --- Matching and checking -------------------------------------------------------------------


def _open_regular(today: date) -> Q:
    return Q(kind=Membership.Kind.REGULAR) & (Q(end_date__isnull=True) | Q(end_date__gte=today))


def _check(rows: list[Row], cell: Organization, today: date) -> None:
    """Match every row to a member, set its changes on the (unsaved) instance and validate it."""
    cards = {row.card for row in rows if row.card}
    names = {row.full_name for row in rows if row.full_name}
    known = list(Member.objects.filter(Q(party_card_number__in=cards) | Q(full_name__in=names)))
    by_card = {m.party_card_number: m for m in known if m.party_card_number}
    by_person: dict[tuple[str, date], list[Member]] = defaultdict(list)
    for m in known:
        by_person[(m.full_name, m.date_of_birth)].append(m)
    memberships: dict[int, list[Membership]] = defaultdict(list)
    for membership in Membership.objects.filter(_open_regular(today), member__in=known):
        memberships[membership.member_id].append(membership)

    card_rows: dict[str, int] = {}
    person_rows: dict[tuple[Any, ...], int] = {}
    for row in rows:
        repeated_card = row.card in card_rows
        if repeated_card:
            row.reasons.append(
                _("The card number %(card)s is also in row %(row)s.")
                % {"card": row.card, "row": card_rows[row.card]}
            )
        elif row.card:
            card_rows[row.card] = row.number
        if {"full_name", "date_of_birth"} & row.unreadable:
            _prepare(row, None)  # who it is cannot be told; still check the other cells of the row
            continue
        existing = _match(row, by_card, by_person, memberships, cell)
        # The same person twice in one file (a repeated card number has been reported already).
        if existing is not None:
            person: tuple[Any, ...] = ("member", existing.pk)
        else:
            person = ("card", row.card) if row.card else ("person", row.full_name, row.birth)
        if person in person_rows and not repeated_card:
            row.reasons.append(_("This is the same member as in row %(row)s.") % {"row": person_rows[person]})
        person_rows.setdefault(person, row.number)
        if existing is not None:
            open_here = [m for m in memberships[existing.pk] if m.organization_id == cell.pk]
            if len(open_here) < len(memberships[existing.pk]):
                row.reasons.append(
                    _("This member belongs to another cell; that cell must end the membership first.")
                )
                continue
            row.membership = open_here[0] if open_here else None
        _prepare(row, existing)


def _match(
    row: Row,
    by_card: dict[str, Member],
    by_person: dict[tuple[str, date], list[Member]],
    memberships: dict[int, list[Membership]],
    cell: Organization,
) -> Member | None:
    if row.card and row.card in by_card:
        return by_card[row.card]
    candidates = by_person.get((row.full_name, row.birth), []) if row.birth else []
    if row.card:
        candidates = [m for m in candidates if not m.party_card_number]
    if len(candidates) > 1:
        in_cell = [m for m in candidates if any(x.organization_id == cell.pk for x in memberships[m.pk])]
        candidates = in_cell if len(in_cell) == 1 else candidates
    if len(candidates) > 1:
        row.reasons.append(_("Several members have this name and date of birth; add the party card number."))
        return None
    return candidates[0] if candidates else None


def _prepare(row: Row, existing: Member | None) -> None:
    values = dict(row.values)
    if existing is None:
        row.is_new = True
        row.member = Member(**values)
    else:
        if not values.get("party_card_number") and existing.party_card_number:
            values.pop("party_card_number", None)  # an empty cell never takes a card away
        row.changes = [key for key, value in values.items() if getattr(existing, key) != value]
        row.member = existing  # loaded for this import only: a refused file leaves nothing behind
        for key in row.changes:
            setattr(row.member, key, values[key])
        row.joins_cell = row.membership is None
        row.moves_start = bool(
            row.membership and row.joined_on and row.joined_on != row.membership.start_date
        )
    if row.is_new or row.changes:
        try:
            row.member.full_clean(exclude=sorted(row.unreadable | {"user"}))
        except ValidationError as error:
            row.reasons.extend(_reasons(error))


_HEADER_BY_FIELD = {column.key: column.header for column in COLUMNS}


def _reasons(error: ValidationError) -> list[str]:
    reasons = []
    for field_name, messages in error.message_dict.items():
        label = _HEADER_BY_FIELD.get(field_name)
        for message in messages:
            reasons.append(f"{label}: {message}" if label and field_name != NON_FIELD_ERRORS else message)
    return reasons


# --- Writing ------------------------------------------------------------------------------


def _write(
    actor: Any, cell: Organization, row: Row, file_name: str, today: date, result: ImportResult
) -> None:
    member = row.member
    assert member is not None  # every row without reasons has been prepared
    if row.is_new:
        member.save()
    elif row.changes:
        member.save(update_fields=row.changes)
    if row.is_new or row.joins_cell:
        Membership.objects.create(
            member=member, organization=cell, kind=Membership.Kind.REGULAR, start_date=row.joined_on or today
        )
        log_action(actor, "organizations.member.imported", member, {"file": file_name})
    elif row.moves_start and row.membership is not None and row.joined_on is not None:
        row.membership.start_date = row.joined_on
        row.membership.save(update_fields=["start_date"])
    labels = [str(getattr(Member._meta.get_field(key), "verbose_name", key)) for key in row.changes]
    if row.moves_start:
        labels.append(_("In this cell since"))
    if labels:
        log_action(
            actor,
            "organizations.member.import_updated",
            member,
            {"file": file_name, "fields": ", ".join(labels)},
        )
    if row.is_new or row.joins_cell:
        result.created += 1
    elif labels:
        result.updated += 1
    else:
        result.unchanged += 1
