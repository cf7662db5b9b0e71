"""A member chooses how she is notified, on a phone, in a real Chromium (issue 16, item 2).

From her notifications she opens "Cài đặt thông báo", takes meeting notices by Zalo too (a fake Zalo
sender is switched on: this app needs no real one), gives only the start of her quiet hours and is told
in Vietnamese to give both, then saves them. A meeting notice written inside her quiet hours waits for
their end. The secretary opens the cell's default channels from the cell's page.
"""

from collections.abc import Iterator
from datetime import time
from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import World
from notifications import channels, services
from notifications.kinds import Kind
from notifications.models import ChannelChoice, ChannelMessage, DeliveryPreference
from notifications.tests.channel_fakes import FakeSender
from tests.browser import accessibility_violations, assert_no_horizontal_scroll, save_screenshot, url, vi
from tests.test_browser import sign_in


@pytest.fixture
def zalo() -> Iterator[FakeSender]:
    saved = channels.registered()
    fake = FakeSender(channels.ZALO)
    channels.register(fake)
    yield fake
    channels.restore(saved)


@pytest.mark.browser
def test_a_member_chooses_zalo_and_quiet_hours_and_the_secretary_sets_the_cells_defaults(
    transactional_db: None, live_server: Any, world: World, phone: Any, zalo: FakeSender
) -> None:
    sign_in(phone, live_server, world.member.username)
    phone.goto(url(live_server, "notifications:list"))
    phone.get_by_role("link", name=vi("Notification settings")).first.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(vi("Notification settings"))
    no_phone = (
        "Zalo needs your phone number on the cell's roster; there is none. "
        "Ask your cell's secretary to add it."
    )
    expect(phone.get_by_text(vi(no_phone))).to_be_visible()

    meeting_zalo = phone.get_by_label(f"{vi(Kind.MEETING.label)}: Zalo")
    meeting_zalo.check()
    phone.get_by_label(vi("Quiet from")).fill("21:30")
    phone.get_by_role("button", name=vi("Save"), exact=True).click()
    expect(phone.locator(".errorlist").first).to_contain_text(
        vi("Enter both the start and the end of the quiet hours, or neither.")
    )
    assert not ChannelChoice.objects.exists()  # nothing half-saved

    phone.get_by_label(f"{vi(Kind.MEETING.label)}: Zalo").check()
    phone.get_by_label(vi("Quiet until")).fill("06:30")
    phone.get_by_role("button", name=vi("Save"), exact=True).click()
    expect(phone.locator(".msg-success")).to_have_text(vi("Your notification settings are saved."))
    assert_no_horizontal_scroll(phone)
    assert accessibility_violations(phone) == []
    save_screenshot(phone, "channels-member-360.png")
    choice = ChannelChoice.objects.get(user=world.member, kind=Kind.MEETING)
    assert (choice.email, choice.zalo) == (True, True)
    pref = DeliveryPreference.objects.get(user=world.member)
    assert (pref.quiet_from, pref.quiet_until) == (time(21, 30), time(6, 30))

    services.notify(recipients=[world.member], title="Họp chi bộ", body="", url="/", kind=Kind.MEETING)
    assert ChannelMessage.objects.get(recipient=world.member).channel == channels.ZALO

    sign_in(phone, live_server, world.secretary.username)
    phone.goto(url(live_server, "organizations:detail", world.cell.pk))
    phone.get_by_role("link", name=vi("Default notification channels")).click()
    phone.get_by_label(f"{vi(Kind.DRAFT_STUDY.label)}: Zalo").check()
    phone.get_by_role("button", name=vi("Save"), exact=True).click()
    expect(phone.locator(".msg-success")).to_have_text(vi("The cell's default channels are saved."))
    assert_no_horizontal_scroll(phone)
    assert accessibility_violations(phone) == []
    save_screenshot(phone, "channels-cell-360.png")
