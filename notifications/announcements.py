"""General announcements (thông báo chung) to every current member under an organisation.

:func:`announce` writes the announcement and starts a background job (core/jobs.py) that delivers it.
:func:`deliver` walks the recipients in user-id order, :data:`BATCH` at a time; each batch's notices
(one ``INSERT … SELECT``), its e-mails (outbox rows, notifications/outbox.py, another) and the announcement's
``cursor`` are committed in one transaction. A worker that dies mid-way leaves the last committed batch
as the cursor; the job is taken up again (``manage.py jobs``) and goes on after it: nobody is notified
twice, nobody is forgotten. The queries are a fixed number per batch, whatever the number of members.

Who receives it: every person with an active account whose membership of a cell at or under the
organisation is current on the day it was written — regular members and those temporarily attached
there — exempted members included (an announcement informs; it does not call them to a meeting).
Ended memberships and other trees are out.

Channels: an announcement is written in the app for everyone and e-mailed to those who did not turn
e-mail off for announcements (their own choice, ``ChannelChoice``; a condition of the same
``INSERT … SELECT``, no work per member). Those who chose Zalo or push for announcements themselves, and
whom that channel reaches, get it there too (:func:`channel_copies`: a fixed number of queries per
batch); a Zalo message goes only if the Official Account has a template for announcements, the Đảng
ủy's decision on what 90,000 template messages cost. It does not wait for quiet hours or the digest:
docs/channels.md says why.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import jobs, versions
from core.audit import log_action
from core.errors import PermissionDenied
from core.models import Job
from core.text import nfc, shorten
from notifications import channels, outbox, routing, services
from notifications.kinds import Kind
from notifications.models import Announcement, ChannelChoice, ChannelMessage, Notification
from notifications.tasks import deliver_channels, deliver_outbox
from organizations.models import Member, Membership, Organization
from organizations.permissions import active_q, scope_for

KIND = "notifications.announcement"
BATCH = 10000


def may_announce(user: Any, organization: Organization) -> bool:
    """An officer at or above the organisation, a secretary (or deputy) of the cell, or the
    administrator."""
    if not getattr(user, "is_authenticated", False):
        return False
    scope = scope_for(user)
    return (
        scope.is_admin or organization.pk in scope.managed_cell_ids or scope.reaches_path(organization.path)
    )


def targets(user: Any) -> QuerySet[Organization]:
    """What the user may choose: their own organisations (where they are an officer, the cells they
    lead) and those directly below them — a short list even for a province."""
    scope = scope_for(user)
    if scope.is_admin:
        mine = Q(parent__isnull=True)
    else:
        mine = Q(pk__in=scope.managed_cell_ids) | Q(path__in=scope.officer_paths)
    own = Organization.objects.filter(mine)
    return Organization.objects.filter(Q(pk__in=own.values("pk")) | Q(parent__in=own.values("pk"))).order_by(
        "path"
    )


def _memberships(announcement: Announcement) -> QuerySet[Membership]:
    return Membership.objects.filter(
        active_q(on=announcement.members_on), organization__path__startswith=announcement.organization.path
    )


def recipients(announcement: Announcement) -> QuerySet[Any]:
    """The active accounts of the members the announcement goes to (see the module's docstring)."""
    members = Member.objects.filter(pk__in=_memberships(announcement).values("member_id"))
    return get_user_model().objects.filter(is_active=True, member__in=members)


def unreachable(announcement: Announcement) -> int:
    """Members it goes to who have no active account (nothing can reach them in the app)."""
    return (
        Member.objects.filter(pk__in=_memberships(announcement).values("member_id"))
        .filter(Q(user__isnull=True) | Q(user__is_active=False))
        .count()
    )


def announce(*, actor: Any, organization: Organization, title: str, body: str, link: str = "") -> Job:
    """Write the announcement and start delivering it in the background; returns the job."""
    if not may_announce(actor, organization):
        raise PermissionDenied(_("You may not send announcements to this organisation."))
    with transaction.atomic():
        announcement = Announcement.objects.create(
            author=actor,
            organization=organization,
            title=shorten(nfc(title).strip(), 200),
            body=nfc(body).strip(),
            link=link.strip(),
            members_on=timezone.localdate(),
        )
        log_action(
            actor,
            "notifications.announcement.created",
            announcement,
            {"organization": organization.pk, "title": announcement.title},
        )
        return jobs.start(
            actor=actor,
            kind=KIND,
            title=_("Announcement “%(title)s” to %(organization)s")
            % {"title": announcement.title, "organization": organization.name},
            params={"announcement": announcement.pk},
        )


def channel_copies(*, url: str, recipient_ids: tuple[int, int], now: Any) -> int:
    """A Zalo or push message for each notice of ``url`` written at ``now`` to a recipient whose id is
    within ``recipient_ids`` (first, last), who chose that channel for announcements themselves and
    whom it reaches; in the caller's transaction, in a fixed number of queries whatever the batch's
    size. Returns how many were queued."""
    choices = {
        user_id: (zalo, push)
        for user_id, zalo, push in ChannelChoice.objects.filter(
            Q(zalo=True) | Q(push=True),
            kind=Kind.ANNOUNCEMENT,
            user_id__gte=recipient_ids[0],
            user_id__lte=recipient_ids[1],
        ).values_list("user_id", "zalo", "push")
    }
    if not choices:
        return 0
    notices = dict(
        Notification.objects.filter(
            url=url, created_at=now, recipient_id__in=list(choices), kind=Kind.ANNOUNCEMENT
        ).values_list("recipient_id", "pk")
    )
    users = list(get_user_model().objects.filter(pk__in=list(notices)).only("pk", "email"))
    rows = []
    open_channels = routing.enabled_channels()
    for index, channel in enumerate((channels.ZALO, channels.PUSH)):
        if channel not in open_channels:
            continue
        chose = [user for user in users if choices[user.pk][index]]
        for user_id in sorted(routing.reachable(channel, chose)):
            rows.append(
                ChannelMessage(
                    notification_id=notices[user_id],
                    channel=channel,
                    recipient_id=user_id,
                    kind=Kind.ANNOUNCEMENT,
                    created_at=now,
                    next_attempt_at=now,
                )
            )
    return len(ChannelMessage.objects.bulk_create(rows))


def deliver(announcement: Announcement, progress: jobs.Progress | None = None) -> Announcement:
    """Deliver the announcement from its cursor on, one committed batch at a time."""
    users = recipients(announcement)
    total = users.count()
    url = reverse("notifications:announcement", args=[announcement.pk])
    title = shorten(announcement.title, 255)
    body = shorten(announcement.body, 300)
    # The text every notice gets, for the e-mails' text (not read back from the table each batch).
    sample = Notification(title=title, body=body, url=url)
    notices = connection.ops.quote_name(Notification._meta.db_table)
    users_table = connection.ops.quote_name(users.model._meta.db_table)
    while True:
        batch = list(
            users.filter(pk__gt=announcement.cursor).order_by("pk").values_list("pk", flat=True)[:BATCH]
        )
        if not batch:
            break
        now = timezone.now()
        # The database writes the batch's notices and e-mails itself (INSERT … SELECT): no model object
        # per member, the same rows bulk_create would write.
        chosen, params = (
            users.filter(pk__gte=batch[0], pk__lte=batch[-1]).values_list("pk").query.sql_with_params()
        )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {notices} (recipient_id, title, body, url, created_at, work_key, kind) "
                f"SELECT u.id, %s, %s, %s, %s, %s, %s FROM {users_table} u WHERE u.id IN ({chosen})",
                [
                    title,
                    body,
                    url,
                    connection.ops.adapt_datetimefield_value(now),
                    "",
                    Kind.ANNOUNCEMENT,
                    *params,
                ],
            )
            reached = cursor.rowcount
            versions.bump([services.EVERYONE])  # every bell counts again (FRAME_CACHE)
            emailed = outbox.queue_copies(
                url=url, recipient_ids=(batch[0], batch[-1]), now=now, sample=sample, kind=Kind.ANNOUNCEMENT
            )
            if channel_copies(url=url, recipient_ids=(batch[0], batch[-1]), now=now):
                transaction.on_commit(deliver_channels.enqueue, robust=True)
            Announcement.objects.filter(pk=announcement.pk).update(
                cursor=batch[-1], reached=F("reached") + reached, emailed=F("emailed") + emailed
            )
        announcement.refresh_from_db(fields=["cursor", "reached", "emailed"])
        if progress:
            progress(announcement.reached, max(total, announcement.reached))
    Announcement.objects.filter(pk=announcement.pk).update(delivered_at=timezone.now())
    announcement.refresh_from_db()
    if announcement.emailed:
        deliver_outbox.enqueue()
    return announcement
