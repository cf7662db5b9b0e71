"""The member and session pages within their query budget (issue 12): each at most 15 queries as the
person who uses it, and the same number once the cell has more comments, notifications, sessions and
meetings. Measured as in production, with the frame shared across requests (settings.FRAME_CACHE, in
local memory here): the first request fills it, the second is counted.
"""

from datetime import date, time

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from drafts import services as drafts
from meetings import services as meetings
from notifications.services import notify
from planning import services as planning
from tests import scenarios

BUDGET = 15


@pytest.fixture(autouse=True)
def frame_cache(settings):
    settings.FRAME_CACHE = True
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "budget-tests"}
    }
    cache.clear()
    yield
    cache.clear()


def count(client, url: str) -> int:
    queries: list[str] = []

    def record(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    assert client.get(url).status_code == 200, url  # fills the frame's cache
    with connection.execute_wrapper(record):
        assert client.get(url).status_code == 200, url
    return len(queries)


def grow(world, session, n: int, start: int = 0) -> None:
    """More of everything the pages list: comments on the draft, notifications, sessions, meetings."""
    readers = [world.secretary, world.deputy, world.probationary]
    for i in range(start, start + n):
        drafts.add_comment(actor=readers[i % 3], session=session, body=f"Góp ý số {i + 1}.")
        planning.add_session(
            actor=None,
            plan=session.plan,
            quarter=2,
            title=f"Chuyên đề thêm {i}",
            planned_date=date(2027, 5, 1 + i),
        )
    for user in (world.member, world.secretary, world.officer):
        for i in range(n):
            notify(recipients=[user], title=f"Thông báo {i}", body="", url="/", email=False)
    meetings.create_meeting(  # one regular meeting a month
        actor=None,
        cell=world.cell,
        kind="regular",
        date=date(2027, 1 + start, 5),
        start_time=time(7, 30),
        place="P1",
    )


def test_every_member_and_session_page_keeps_within_its_budget_whatever_the_data(client, world):
    session = scenarios.session_at(world, "distributed")
    meeting = scenarios.regular_meeting(world, "ready")  # its record open, the minutes to approve
    member = scenarios.record(world.member)
    pages = {
        "member home": (world.member, reverse("home:home")),
        "secretary home": (world.secretary, reverse("home:home")),
        "officer home": (world.officer, reverse("home:home")),
        "cell page": (world.secretary, reverse("organizations:detail", args=[world.cell.pk])),
        "session page (secretary)": (world.secretary, reverse("planning:session", args=[session.pk])),
        "session page (presenter)": (world.member, reverse("planning:session", args=[session.pk])),
        "reading page": (world.probationary, reverse("drafts:read", args=[session.pk])),
        "meeting mode": (world.secretary, reverse("meetings:record", args=[meeting.pk])),
        "minutes": (world.secretary, reverse("meetings:detail", args=[meeting.pk])),
        "participation record": (world.member, reverse("evaluations:record", args=[member.pk])),
        "notifications": (world.member, reverse("notifications:list")),
        "model library": (world.member, reverse("library:list")),
    }

    def measure() -> dict[str, int]:
        found = {}
        for name, (user, url) in pages.items():
            client.force_login(user)
            found[name] = count(client, url)
        return found

    grow(world, session, 3)  # one comment of each reader, one notification of each kind...
    small = measure()
    grow(world, session, 12, start=3)  # ...and many
    large = measure()
    assert large == small
    assert {name: n for name, n in large.items() if n > BUDGET} == {}
