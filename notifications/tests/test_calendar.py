"""iCalendar: a private feed per user (secret, revocable) and one .ics per session, parsed back with
vobject, a parser independent of the icalendar library that writes them."""

import hashlib
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import vobject
from django.urls import reverse
from django.utils import timezone

from notifications import services as feed_services
from notifications.models import CalendarFeed
from organizations.models import Member
from planning import services

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def session(world):
    year = timezone.localdate().year + 1
    plan = services.create_plan(actor=world.secretary, cell=world.cell, year=year)
    session = services.add_session(
        actor=world.secretary,
        plan=plan,
        quarter=1,
        title="Văn hóa Hồ Chí Minh",
        planned_date=date(year, 3, 6),
        planned_time=time(14, 0),
    )
    services.assign_presenters(
        actor=world.secretary, session=session, members=[Member.objects.get(user=world.member)]
    )
    return session


def parse(data: bytes):
    return vobject.readOne(data.decode())


def test_the_session_ics_has_the_meeting_in_ho_chi_minh_time(client, world, session):
    client.force_login(world.probationary)
    response = client.get(reverse("notifications:session_ics", args=[session.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    event = parse(response.content).vevent
    assert event.summary.value.endswith("Văn hóa Hồ Chí Minh")
    start = event.dtstart.value
    assert start == datetime(session.planned_date.year, 3, 6, 14, 0, tzinfo=HCM)
    assert start.utcoffset() == timedelta(hours=7)
    assert event.dtend.value - start == timedelta(minutes=90)
    assert "Lê Văn Đức" in event.description.value


def test_a_member_of_another_cell_cannot_download_the_session(client, world, session):
    client.force_login(world.other_member)
    assert client.get(reverse("notifications:session_ics", args=[session.pk])).status_code == 404


def test_the_private_feed_lists_sessions_and_the_presenters_deadlines(client, world, session):
    feed = feed_services.create_or_renew_feed(actor=world.member)
    client.logout()  # calendar apps do not sign in: the token is the credential
    response = client.get(reverse("notifications:feed", args=[feed.token]))
    assert response.status_code == 200
    calendar = parse(response.content)
    summaries = sorted(e.summary.value for e in calendar.vevent_list)
    assert len(summaries) == 5  # the session and its four deadlines for the presenter
    deadlines = {
        e.summary.value.split(":")[0]: e.dtstart.value
        for e in calendar.vevent_list
        if not isinstance(e.dtstart.value, datetime)
    }
    assert session.planned_date - timedelta(days=10) in deadlines.values()  # draft due


def test_other_members_see_the_session_and_only_the_comment_deadline(world, session):
    from notifications.calendar import user_feed

    calendar = parse(user_feed(world.probationary))
    assert len(calendar.vevent_list) == 2


def test_renewing_or_revoking_the_link_makes_the_old_url_answer_404(client, world, session):
    old = feed_services.create_or_renew_feed(actor=world.member).token
    new = feed_services.create_or_renew_feed(actor=world.member).token
    assert old != new
    assert client.get(reverse("notifications:feed", args=[old])).status_code == 404
    assert client.get(reverse("notifications:feed", args=[new])).status_code == 200
    feed_services.revoke_feed(actor=world.member)
    assert not CalendarFeed.objects.exists()
    assert client.get(reverse("notifications:feed", args=[new])).status_code == 404


def link_on(page: str) -> str:
    found = re.search(r'id="feed" type="text" readonly value="[^"]*/lich/([^/"]+)\.ics"', page)
    assert found, "the page shows no calendar link"
    return found.group(1)


def test_the_calendar_page_shows_the_new_link_once_and_only_its_hash_is_stored(client, world):
    client.force_login(world.member)
    client.post(reverse("notifications:calendar_renew"))
    page = client.get(reverse("notifications:calendar")).content.decode()
    token = link_on(page)
    feed = CalendarFeed.objects.get(user=world.member)
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in feed.token_hash
    assert client.get(reverse("notifications:feed", args=[token])).status_code == 200
    again = client.get(reverse("notifications:calendar")).content.decode()
    assert token not in again and 'id="feed"' not in again  # shown once
    assert "Tạo đường dẫn mới" in again


def test_the_calendar_link_uses_the_public_address_like_the_e_mails(client, world, settings):
    settings.SITE_URL = "https://chuyende.example.vn:8443"
    client.force_login(world.member)
    client.post(reverse("notifications:calendar_renew"))
    # Asked through another name (a proxy that drops the port), the link is still the public one.
    page = client.get(reverse("notifications:calendar"), HTTP_HOST="127.0.0.1").content.decode()
    path = reverse("notifications:feed", args=[link_on(page)])
    assert f"https://chuyende.example.vn:8443{path}" in page
    assert f"webcal://chuyende.example.vn:8443{path}" in page
    assert "http://127.0.0.1" not in page


@pytest.mark.new_year
def test_the_feed_lists_the_regular_monthly_meetings_of_the_cell(world):
    from meetings import services as meetings
    from notifications.calendar import user_feed

    day = timezone.localdate() + timedelta(days=9)
    meetings.create_meeting(
        actor=world.secretary,
        cell=world.cell,
        kind="regular",
        date=day,
        start_time=time(7, 30),
        place="Phòng họp",
    )
    [event] = parse(user_feed(world.probationary)).vevent_list
    assert event.dtstart.value == datetime.combine(day, time(7, 30), tzinfo=HCM)
    assert event.location.value == "Phòng họp"
    assert parse(user_feed(world.other_member)).contents.get("vevent") is None


def test_a_sessions_meeting_on_another_day_replaces_the_sessions_event(world, session):
    from meetings import services as meetings
    from notifications.calendar import user_feed

    moved = session.planned_date + timedelta(days=2)
    meetings.create_meeting(
        actor=world.secretary,
        cell=world.cell,
        kind="thematic",
        date=moved,
        start_time=time(8, 0),
        place="Hội trường B",
        session=session,
    )
    events = parse(user_feed(world.probationary)).vevent_list
    starts = [e.dtstart.value for e in events if isinstance(e.dtstart.value, datetime)]
    assert starts == [datetime.combine(moved, time(8, 0), tzinfo=HCM)]
    [meeting] = [e for e in events if isinstance(e.dtstart.value, datetime)]
    assert "Văn hóa Hồ Chí Minh" in meeting.summary.value and meeting.location.value == "Hội trường B"
