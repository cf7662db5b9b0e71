"""Permission rows of the notifications URLs (loaded by tests/test_permissions.py): calendars and
their feeds, everyone's own notifications, and an organisation's webhooks."""

from typing import Any

from conftest import World
from tests import scenarios
from tests.matrix import ANYONE_SIGNED_IN, MANAGES_CELL, PUBLIC, SEES_CELL, SEES_PARTY, Route, rule


def calendar_token(world: World) -> dict[str, Any]:
    from notifications.services import create_or_renew_feed

    return {"token": create_or_renew_feed(actor=world.member).token}


def dated_session(world: World) -> dict[str, Any]:
    return {"pk": scenarios.session_at(world, "planned").pk}


def own_notification(world: World) -> dict[str, Any]:
    """A notification for world.member: theirs alone to open."""
    from notifications.services import notify

    [notice] = notify(recipients=[world.member], title="Dự thảo mới", body="", url="/", email=False)
    return {"pk": notice.pk}


def cell_announcement(world: World) -> dict[str, Any]:
    """An announcement of the Đảng ủy officer to world.cell, delivered to its members."""
    from notifications import announcements
    from notifications.models import Announcement

    job = announcements.announce(
        actor=world.officer, organization=world.cell, title="Họp chi bộ", body="Nội dung"
    )
    announcements.deliver(Announcement.objects.get(pk=job.params["announcement"]))
    return {"pk": job.params["announcement"]}


def announcement_data(world: World) -> dict[str, Any]:
    return {"organization": world.cell.pk, "title": "Thông báo", "body": "Kính gửi các đồng chí.", "link": ""}


def cell_webhook(world: World, active: bool = True) -> Any:
    """A webhook of world.cell (registered by the system), active or deactivated."""
    from notifications.services import register_webhook, set_webhook_active

    endpoint = register_webhook(
        actor=None,
        organization=world.cell,
        url="https://hooks.example.vn/chuyende",
        events=["plan.submitted"],
    )
    if not active:
        set_webhook_active(actor=None, endpoint=endpoint, active=False)
    return endpoint


def failed_delivery(world: World) -> dict[str, Any]:
    """A delivery of world.cell's webhook that failed after every attempt."""
    import uuid

    from notifications.models import WebhookDelivery

    delivery = WebhookDelivery.objects.create(
        endpoint=cell_webhook(world),
        event="plan.submitted",
        event_id=uuid.uuid4(),
        payload={"event": "plan.submitted"},
        state=WebhookDelivery.State.FAILED,
        attempts=8,
        response_code=500,
    )
    return {"pk": delivery.pk}


def webhook_data(world: World) -> dict[str, Any]:
    return {"url": "https://cong-thong-tin.example.vn/hook", "events": ["plan.submitted", "report.submitted"]}


# Webhooks send an organisation's events out of the app: the officers of its Đảng ủy (or above) and
# the administrators decide; the cell's own people see the cell, so they are refused, not left in the dark.
MANAGES_WEBHOOKS = rule(ok=("officer", "admin"), forbidden=("secretary", "deputy", "member", "probationary"))

# Officers at or above the cell, its secretaries, the administrator; a foreign officer may write
# announcements to their own tree, so the page exists for them, but not world.cell (the form refuses).
ANNOUNCES = rule(ok=("secretary", "deputy", "officer", "foreign_officer", "admin"))
# The announcement: its recipients (world.cell's members with an account) and its author.
READS_ANNOUNCEMENT = rule(ok=("secretary", "deputy", "member", "probationary", "officer"))


def channel_data(world: World) -> dict[str, Any]:
    """A member's settings: e-mail for meetings only, quiet from 21:30 to 06:30, no digest."""
    return {"meeting-email": "on", "quiet_from": "21:30", "quiet_until": "06:30", "digest_hour": "7"}


def cell_channel_data(world: World) -> dict[str, Any]:
    return {"meeting-email": "on", "draft_study-email": "on"}


ROUTES = [
    # how a person is notified: everyone their own; a cell's defaults: those who manage the cell
    Route("notifications:channels", "self", ANYONE_SIGNED_IN),
    Route("notifications:channels", "self", ANYONE_SIGNED_IN, "POST", data=channel_data, changes_state=True),
    Route("notifications:cell_channels", "cell", MANAGES_CELL, kwargs=lambda world: {"pk": world.cell.pk}),
    Route(
        "notifications:cell_channels",
        "cell",
        MANAGES_CELL,
        "POST",
        kwargs=lambda world: {"pk": world.cell.pk},
        data=cell_channel_data,
        changes_state=True,
    ),
    # a Đảng bộ has no default channels of its own (its cells do): the page does not exist for it
    Route(
        "notifications:cell_channels",
        "party",
        rule(ok=()),
        kwargs=lambda world: {"pk": world.party.pk},
    ),
    # announcements to every member under an organisation
    Route("notifications:announce", "form", ANNOUNCES),
    Route(
        "notifications:announce",
        "cell",
        {**ANNOUNCES, "foreign_officer": 200},
        "POST",
        data=announcement_data,
        changes_state=True,
    ),
    Route("notifications:announcement", "cell", READS_ANNOUNCEMENT, kwargs=cell_announcement),
    # webhooks of an organisation: of the cell, and of the Đảng bộ (which the cell's people cannot see)
    Route("notifications:webhooks", "cell", MANAGES_WEBHOOKS, kwargs=lambda world: {"pk": world.cell.pk}),
    Route("notifications:webhooks", "party", SEES_PARTY, kwargs=lambda world: {"pk": world.party.pk}),
    Route("notifications:webhook_add", "form", MANAGES_WEBHOOKS, kwargs=lambda world: {"pk": world.cell.pk}),
    Route(
        "notifications:webhook_add",
        "cell",
        MANAGES_WEBHOOKS,
        "POST",
        kwargs=lambda world: {"pk": world.cell.pk},
        data=webhook_data,
        changes_state=True,
    ),
    Route(
        "notifications:webhook", "cell", MANAGES_WEBHOOKS, kwargs=lambda world: {"pk": cell_webhook(world).pk}
    ),
    Route(
        "notifications:webhook_rotate",
        "cell",
        MANAGES_WEBHOOKS,
        "POST",
        kwargs=lambda world: {"pk": cell_webhook(world).pk},
        changes_state=True,
    ),
    Route(
        "notifications:webhook_deactivate",
        "cell",
        MANAGES_WEBHOOKS,
        "POST",
        kwargs=lambda world: {"pk": cell_webhook(world).pk},
        changes_state=True,
    ),
    Route(
        "notifications:webhook_activate",
        "cell",
        MANAGES_WEBHOOKS,
        "POST",
        kwargs=lambda world: {"pk": cell_webhook(world, active=False).pk},
        changes_state=True,
    ),
    Route(
        "notifications:delivery_resend",
        "cell",
        MANAGES_WEBHOOKS,
        "POST",
        kwargs=failed_delivery,
        changes_state=True,
    ),
    # calendars
    Route("notifications:calendar", "page", ANYONE_SIGNED_IN),
    Route("notifications:calendar_renew", "self", ANYONE_SIGNED_IN, "POST", changes_state=True),
    Route("notifications:calendar_revoke", "self", ANYONE_SIGNED_IN, "POST"),
    # the feed's secret token is its credential: calendar apps do not sign in
    Route("notifications:feed", "token", PUBLIC, kwargs=calendar_token),
    Route("notifications:session_ics", "cell-session", SEES_CELL, kwargs=dated_session),
    # everyone has their own; opening one marks it read and redirects to its page
    Route("notifications:list", "self", ANYONE_SIGNED_IN),
    Route("notifications:read_all", "self", ANYONE_SIGNED_IN, "POST"),
    Route("notifications:open", "members-own", {**rule(ok=()), "member": 302}, kwargs=own_notification),
]
