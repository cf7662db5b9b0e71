"""The "Cài đặt thông báo" page of a member and the default channels page of a cell: what they show,
what they save, and bad input refused in Vietnamese with nothing saved."""

import re
from datetime import time

from django.urls import reverse

from notifications import channels
from notifications.kinds import Kind
from notifications.models import CellChannelDefault, ChannelChoice, ChannelMessage, DeliveryPreference

PAGE = "notifications:channels"


def is_checked(page, name):
    [tag] = re.findall(rf'<input[^>]*name="{name}"[^>]*>', page)
    return " checked" in tag


def test_the_page_shows_only_the_channels_the_site_sends_by(world, client):
    client.force_login(world.member)
    page = client.get(reverse(PAGE)).content.decode()
    assert "Cài đặt thông báo" in page
    assert 'name="meeting-email"' in page and 'name="meeting-zalo"' not in page
    # urgent rows are not choices: shown as always on, and explained
    assert 'name="session_changed-email"' not in page and "Khẩn" in page


def test_zalo_and_push_appear_when_switched_on_and_a_missing_phone_is_said(world, client, senders):
    client.force_login(world.member)
    page = client.get(reverse(PAGE)).content.decode()
    assert 'name="meeting-zalo"' in page and 'name="meeting-push"' in page
    assert "số điện thoại" in page  # world.member has no phone on the roster
    world.member.member.phone = "0905123456"
    world.member.member.save(update_fields=["phone"])
    assert "số điện thoại" not in client.get(reverse(PAGE)).content.decode()


def test_the_page_follows_the_cell_default_until_the_member_chooses(world, client, senders):
    CellChannelDefault.objects.create(organization=world.cell, kind=Kind.MEETING, email=False, zalo=True)
    client.force_login(world.member)
    page = client.get(reverse(PAGE)).content.decode()
    assert is_checked(page, "meeting-zalo")
    assert not is_checked(page, "meeting-email")
    assert "mặc định của Chi bộ Khoa Xây dựng Đảng" in page


def test_saving_stores_the_choices_quiet_hours_and_digest(world, client, senders):
    client.force_login(world.member)
    data = {
        "meeting-zalo": "on",
        "draft_study-email": "on",
        "draft_study-push": "on",
        "quiet_from": "21:30",
        "quiet_until": "06:30",
        "digest": "on",
        "digest_hour": "18",
    }
    response = client.post(reverse(PAGE), data)
    assert response.status_code == 302
    choices = {row.kind: row for row in ChannelChoice.objects.filter(user=world.member)}
    assert Kind.SESSION_CHANGED not in choices  # urgent: not a choice
    assert (choices[Kind.MEETING].email, choices[Kind.MEETING].zalo) == (False, True)
    assert (choices[Kind.DRAFT_STUDY].email, choices[Kind.DRAFT_STUDY].push) == (True, True)
    assert not choices[Kind.LIBRARY].email
    pref = DeliveryPreference.objects.get(user=world.member)
    assert (pref.quiet_from, pref.quiet_until, pref.digest, pref.digest_hour) == (
        time(21, 30),
        time(6, 30),
        True,
        18,
    )


def test_a_channel_the_site_does_not_offer_keeps_its_value(world, client, senders):
    ChannelChoice.objects.create(user=world.member, kind=Kind.MEETING, email=True, zalo=True)
    senders[channels.ZALO].enabled = False
    client.force_login(world.member)
    client.post(reverse(PAGE), {"meeting-email": "on", "digest_hour": "7"})
    assert ChannelChoice.objects.get(user=world.member, kind=Kind.MEETING).zalo  # comes back when switched on


def test_half_a_quiet_period_is_refused_in_vietnamese_and_nothing_saved(world, client):
    client.force_login(world.member)
    response = client.post(reverse(PAGE), {"meeting-email": "on", "quiet_from": "21:30", "digest_hour": "7"})
    assert response.status_code == 200
    assert "Nhập cả giờ bắt đầu và giờ kết thúc" in response.content.decode()
    assert not ChannelChoice.objects.exists() and not DeliveryPreference.objects.exists()


def test_a_bad_hour_or_time_is_refused_and_nothing_saved(world, client):
    client.force_login(world.member)
    for data in (
        {"digest_hour": "25"},
        {"digest_hour": "7", "quiet_from": "25:99", "quiet_until": "06:30"},
        {"digest_hour": "7", "quiet_from": "06:30", "quiet_until": "06:30"},
    ):
        response = client.post(reverse(PAGE), data)
        assert response.status_code == 200
        assert 'class="errorlist' in response.content.decode()
    assert not ChannelChoice.objects.exists() and not DeliveryPreference.objects.exists()


def test_the_page_shows_the_last_zalo_delivery(world, client, senders):
    from notifications import services

    ChannelChoice.objects.create(user=world.member, kind=Kind.MEETING, email=False, zalo=True)
    services.notify(recipients=[world.member], title="Họp", body="", url="/", kind=Kind.MEETING)
    ChannelMessage.objects.update(
        state=ChannelMessage.State.REFUSED, last_error="Số điện thoại chưa dùng Zalo."
    )
    client.force_login(world.member)
    page = client.get(reverse(PAGE)).content.decode()
    assert "bị từ chối" in page and "Số điện thoại chưa dùng Zalo." in page


def test_the_secretary_sets_the_cells_defaults(world, client, senders):
    client.force_login(world.secretary)
    url = reverse("notifications:cell_channels", args=[world.cell.pk])
    assert "Kênh thông báo mặc định" in client.get(url).content.decode()
    response = client.post(url, {"meeting-zalo": "on", "meeting-email": "on", "draft_study-push": "on"})
    assert response.status_code == 302
    rows = {row.kind: row for row in CellChannelDefault.objects.filter(organization=world.cell)}
    assert (rows[Kind.MEETING].email, rows[Kind.MEETING].zalo, rows[Kind.MEETING].push) == (True, True, False)
    assert (rows[Kind.DRAFT_STUDY].email, rows[Kind.DRAFT_STUDY].push) == (False, True)
    assert Kind.SESSION_CHANGED not in rows


def test_the_cell_page_links_the_defaults_for_its_managers_only(world, client):
    url = reverse("organizations:detail", args=[world.cell.pk])
    link = reverse("notifications:cell_channels", args=[world.cell.pk])
    client.force_login(world.secretary)
    assert link in client.get(url).content.decode()
    client.force_login(world.member)
    assert link not in client.get(url).content.decode()
    assert reverse(PAGE) in client.get(reverse("notifications:list")).content.decode()
