"""Permission rows of the notifications URLs (loaded by tests/test_permissions.py): calendars and
their feeds, and everyone's own notifications."""

from typing import Any

from conftest import World
from tests import scenarios
from tests.matrix import ANYONE_SIGNED_IN, PUBLIC, SEES_CELL, Route, rule


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


# Officers at or above the cell, its secretaries, the administrator; a foreign officer may write
# announcements to their own tree, so the page exists for them, but not world.cell (the form refuses).
ANNOUNCES = rule(ok=("secretary", "deputy", "officer", "foreign_officer", "admin"))
# The announcement: its recipients (world.cell's members with an account) and its author.
READS_ANNOUNCEMENT = rule(ok=("secretary", "deputy", "member", "probationary", "officer"))

ROUTES = [
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
