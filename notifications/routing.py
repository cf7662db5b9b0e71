"""Which channels a notice travels by, and when (docs/channels.md).

For one kind of notice and a set of recipients, :func:`plan` decides per recipient, in a fixed number
of queries whatever their number: the channels chosen (the member's own choice for the kind, else
their cell's default, else the site's: e-mail), kept only where the channel is switched on and reaches
the member; whether they wait for the daily digest; and, inside the member's quiet hours, the time
they may be sent. Urgent kinds go by every reachable channel at once.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from notifications import channels
from notifications.kinds import Kind, is_urgent
from notifications.models import CellChannelDefault, ChannelChoice, DeliveryPreference

# The channels a member may choose, in the order of the settings page (the app is always on).
CHOOSABLE = (channels.EMAIL, channels.ZALO, channels.PUSH)
SITE_DEFAULT = frozenset({channels.EMAIL})


@dataclass(frozen=True)
class Route:
    channels: frozenset[str]  # among CHOOSABLE, chosen and reachable
    digest: bool = False  # held for the daily digest
    not_before: datetime | None = None  # inside quiet hours: sent at their end


def enabled_channels() -> list[str]:
    """The channels this site can send by: e-mail, and each registered sender that is switched on."""
    found = [channels.EMAIL]
    for name in (channels.ZALO, channels.PUSH):
        sender = channels.sender(name)
        if sender is not None and sender.is_enabled():
            found.append(name)
    return found


def _row_channels(row: Any) -> frozenset[str]:
    return frozenset(name for name in CHOOSABLE if getattr(row, name))


def chosen(user_ids: Iterable[int], kind: str) -> dict[int, frozenset[str]]:
    """The channels each user chose for ``kind`` (before reachability): their own choice, their cell's
    default, the site's. Two queries at most."""
    ids = set(user_ids)
    result = {
        row.user_id: _row_channels(row) for row in ChannelChoice.objects.filter(user_id__in=ids, kind=kind)
    }
    missing = ids - result.keys()
    if missing:
        result.update(cell_defaults(missing, kind))
    for pk in ids - result.keys():
        result[pk] = SITE_DEFAULT
    return result


def cell_defaults(user_ids: Iterable[int], kind: str) -> dict[int, frozenset[str]]:
    """The default of each user's current cell for ``kind``, where it set one (a regular membership
    before a temporary attachment)."""
    today = timezone.localdate()
    prefix = "organization__memberships__"
    rows = (
        CellChannelDefault.objects.filter(
            Q(**{f"{prefix}start_date__lte": today})
            & (Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today})),
            kind=kind,
            **{f"{prefix}member__user_id__in": list(user_ids)},
        )
        .order_by(f"{prefix}kind")  # "regular" before "temporary"
        .values_list(f"{prefix}member__user_id", "email", "zalo", "push")
    )
    found: dict[int, frozenset[str]] = {}
    for user_id, email, zalo, push in rows:
        flags = {channels.EMAIL: email, channels.ZALO: zalo, channels.PUSH: push}
        found.setdefault(user_id, frozenset(name for name, on in flags.items() if on))
    return found


def reachable(channel: str, users: Sequence[Any]) -> set[int]:
    """The ids of ``users`` the channel can reach: one bulk question to the sender when it offers
    ``reachable(user_ids)``, else ``reaches(user)`` for each."""
    if channel == channels.EMAIL:
        return {user.pk for user in users if user.email}
    sender = channels.sender(channel)
    if sender is None or not sender.is_enabled() or not users:
        return set()
    bulk = getattr(sender, "reachable", None)
    if bulk is not None:
        return set(bulk([user.pk for user in users]))
    return {user.pk for user in users if sender.reaches(user)}


def quiet_end(now: datetime, start: time, end: time) -> datetime | None:
    """The end of the quiet hours [start, end) if ``now`` (aware) is inside them, else None. A
    period may run over midnight (21:30–06:30)."""
    local = timezone.localtime(now)
    clock = local.time().replace(tzinfo=None)
    if start == end:
        return None
    inside = start <= clock < end if start < end else clock >= start or clock < end
    if not inside:
        return None
    day = local.date() if clock < end else local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, end), local.tzinfo)


def plan(users: Sequence[Any], kind: str, now: datetime | None = None) -> dict[int, Route]:
    """The route of a notice of ``kind`` to each of ``users`` (active accounts with ``pk`` and
    ``email`` loaded)."""
    now = now or timezone.now()
    if not users:
        return {}
    ids = [user.pk for user in users]
    open_channels = enabled_channels()
    reach = {name: reachable(name, users) for name in open_channels}
    if is_urgent(kind):
        return {pk: Route(frozenset(name for name in open_channels if pk in reach[name])) for pk in ids}
    wanted = chosen(ids, kind)
    prefs = {pref.user_id: pref for pref in DeliveryPreference.objects.filter(user_id__in=ids)}
    routes = {}
    for pk in ids:
        names = frozenset(name for name in open_channels if name in wanted[pk] and pk in reach[name])
        pref = prefs.get(pk)
        if pref is None:
            routes[pk] = Route(names)
            continue
        later = None
        if pref.quiet_from is not None and pref.quiet_until is not None:
            later = quiet_end(now, pref.quiet_from, pref.quiet_until)
        routes[pk] = Route(names, digest=pref.digest, not_before=later)
    return routes


def not_before(user_id: int, now: datetime) -> datetime | None:
    """When a message to this user may go out (a digest at its hour may fall in quiet hours)."""
    pref = DeliveryPreference.objects.filter(user_id=user_id).first()
    if pref is None or pref.quiet_from is None or pref.quiet_until is None:
        return None
    return quiet_end(now, pref.quiet_from, pref.quiet_until)


def cell_of(user_id: int) -> Any:
    """The user's current cell (a regular membership before a temporary attachment), or None."""
    from organizations.models import Membership
    from organizations.permissions import active_q

    membership = (
        Membership.objects.filter(active_q(), member__user_id=user_id)
        .select_related("organization")
        .order_by("kind")
        .first()
    )
    return membership.organization if membership else None


def cell_table(cell_id: int | None) -> dict[str, frozenset[str]]:
    """The cell's default channels for every kind (the site's where it set none)."""
    rows = CellChannelDefault.objects.filter(organization_id=cell_id) if cell_id else []
    table = {row.kind: _row_channels(row) for row in rows}
    return {kind: table.get(kind, SITE_DEFAULT) for kind in Kind.values}


def member_table(user_id: int, cell_id: int | None) -> tuple[dict[str, frozenset[str]], set[str]]:
    """The member's channels for every kind, and the kinds they chose themselves (the others follow
    the cell's default)."""
    table = cell_table(cell_id)
    own = {row.kind: _row_channels(row) for row in ChannelChoice.objects.filter(user_id=user_id)}
    table.update(own)
    return table, set(own)
