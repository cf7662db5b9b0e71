""" "Chia sẻ qua Zalo" on the approved draft's reading page, the meeting notice and the issued resolution:
the link shared is the app's own page (sign-in needed), on the site's public address."""

import base64
import json
import re
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.urls import reverse

from tests import scenarios


def share_link(html: str) -> dict[str, str]:
    """The share button's attributes, and the page link carried in Zalo's share address."""
    match = re.search(r'<a class="btn btn-secondary zalo-share" href="([^"]+)"[^>]*data-url="([^"]+)"', html)
    assert match, "no share button on the page"
    href = match.group(1).replace("&amp;", "&")
    parts = urlsplit(href)
    payload = json.loads(base64.b64decode(parse_qs(parts.query)["d"][0]))
    return {"host": parts.netloc, "url": match.group(2), "zalo_url": payload["url"]}


def test_the_reading_page_of_a_distributed_draft_shares_its_own_address(client, world):
    session = scenarios.session_at(world, "distributed")
    client.force_login(world.member)
    html = client.get(reverse("drafts:read", args=[session.pk])).content.decode()
    link = share_link(html)
    expected = settings.SITE_URL + reverse("drafts:read", args=[session.pk])
    assert link == {"host": "button-share.zalo.me", "url": expected, "zalo_url": expected}
    assert "Chia sẻ qua Zalo" in html and "zalo/share" in html


def test_a_draft_not_approved_yet_has_no_share_button(client, world):
    session = scenarios.session_at(world, "submitted")
    client.force_login(world.secretary)
    html = client.get(reverse("drafts:read", args=[session.pk])).content.decode()
    assert "zalo-share" not in html


def test_the_meeting_notice_is_shared_once_issued(client, world):
    meeting = scenarios.regular_meeting(world, "scheduled")
    client.force_login(world.member)
    url = reverse("meetings:detail", args=[meeting.pk])
    assert "zalo-share" not in client.get(url).content.decode()
    from meetings import services

    services.issue_notice(actor=None, meeting=meeting)
    assert share_link(client.get(url).content.decode())["url"] == settings.SITE_URL + url


def test_the_issued_resolution_is_shared(client, world):
    meeting = scenarios.thematic_meeting(world, "resolution-issued")
    client.force_login(world.member)
    url = reverse("meetings:resolution", args=[meeting.pk])
    assert share_link(client.get(url).content.decode())["zalo_url"] == settings.SITE_URL + url
