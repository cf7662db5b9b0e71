"""The demo's Official Account: configured against the stand-in, sending off, and working once enabled."""

import pytest

from accounts.models import User
from notifications.channels import Message
from organizations.demo import demo_present, load_demo
from zalo import services
from zalo.demo import DEMO_TEMPLATES, STANDIN, add_zalo
from zalo.models import ZaloAccount
from zalo.sender import ZaloSender
from zalo.standin import standin_for

pytestmark = pytest.mark.django_db


def test_the_demo_account_points_at_the_stand_in_with_sending_off(settings):
    settings.ZALO_ALLOW_STANDIN = True
    assert load_demo(add_zalo)
    account = ZaloAccount.objects.get()
    assert account.organization.parent is None  # the Đảng ủy's
    assert (account.business_url, account.oauth_url, account.enabled) == (STANDIN, STANDIN, False)
    assert set(account.templates.values_list("kind", flat=True)) == set(DEMO_TEMPLATES)
    assert not ZaloSender().is_enabled()
    assert not load_demo(add_zalo) and demo_present()  # loading again changes nothing
    assert ZaloAccount.objects.count() == 1


def test_once_enabled_the_demo_account_sends_through_the_stand_in(settings):
    settings.ZALO_ALLOW_STANDIN = True
    assert load_demo(add_zalo)
    account = ZaloAccount.objects.get()
    standin = standin_for([account]).start()
    try:
        services.save_account(
            actor=None,
            organization=account.organization,
            name=account.name,
            app_id=account.app_id,
            oauth_url=standin.url,
            business_url=standin.url,
            openapi_url=standin.url,
            enabled=True,
        )
        member = User.objects.get(username="dangvien")
        member.member.phone = "0912345678"  # the demo leaves phones empty: no number is reserved for fiction
        member.member.save(update_fields=["phone"])
        sent = ZaloSender().send(
            Message(
                outbox_id=1,
                recipient_id=member.pk,
                kind="draft_study",
                title="Dự thảo",
                body="",
                url="/",
                params={},
            )
        )
    finally:
        standin.stop()
    assert sent and standin.calls("/message/template")[0].body["phone"] == "84912345678"


def test_without_a_stand_in_allowed_the_demo_has_no_account(settings):
    settings.ZALO_ALLOW_STANDIN = False
    assert load_demo(add_zalo)
    assert not ZaloAccount.objects.exists()
