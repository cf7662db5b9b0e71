"""The Official Account page: what an officer may save, and what is refused, in Vietnamese."""

from typing import Any

import pytest
from django.urls import reverse

from core import crypto
from zalo.models import ZaloAccount, ZaloTemplate
from zalo.tests.routes import account_data, cell_account


def post(client: Any, world: Any, **changes: Any) -> Any:
    client.force_login(world.officer)
    return client.post(reverse("zalo:account", args=[world.cell.pk]), {**account_data(world), **changes})


def test_the_secret_and_tokens_are_stored_encrypted_and_never_shown(client, world):
    response = post(
        client, world, secret_key="bí-mật", access_token="AT-1", refresh_token="RT-1", expires_in=90000
    )
    assert response.status_code == 302
    account = ZaloAccount.objects.get(organization=world.cell)
    assert (account.secret_key(), account.access_token(), account.refresh_token()) == (
        "bí-mật",
        "AT-1",
        "RT-1",
    )
    assert "RT-1" not in account.refresh_token_encrypted
    assert crypto.decrypt(account.refresh_token_encrypted) == b"RT-1"
    page = client.get(reverse("zalo:account", args=[world.cell.pk])).content.decode()
    assert "RT-1" not in page and "bí-mật" not in page and "AT-1" not in page
    # saved again with the secret fields empty: the stored ones are kept
    post(client, world, name="Tên mới")
    account.refresh_from_db()
    assert (account.name, account.refresh_token()) == ("Tên mới", "RT-1")


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"app_id": "abc"}, "ID ứng dụng"),
        ({"business_url": "https://zalo.example.vn"}, "zalo.me hoặc zaloapp.com"),
        ({"oauth_url": "http://127.0.0.1:8025"}, "zalo.me hoặc zaloapp.com"),
        ({"enabled": "on"}, "Không thể bật gửi tin"),
        ({"access_token": "AT-only"}, "cùng lúc"),
    ],
)
def test_bad_settings_are_refused_in_vietnamese_and_nothing_is_saved(client, world, settings, changes, says):
    settings.ZALO_ALLOW_STANDIN = False
    response = post(client, world, **changes)
    assert response.status_code == 200
    assert says in response.content.decode()
    assert not ZaloAccount.objects.exists()


def test_the_stand_in_address_is_accepted_only_when_allowed(client, world, settings):
    settings.ZALO_ALLOW_STANDIN = True
    assert post(client, world, oauth_url="http://127.0.0.1:8025").status_code == 302


def template_post(client: Any, world: Any, **data: Any) -> Any:
    client.force_login(world.officer)
    form = {"kind": "draft_study", "template_id": "231577", "params": "ten_dang_vien = recipient_name"}
    return client.post(reverse("zalo:template_set", args=[world.cell.pk]), {**form, **data})


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"params": "ten_dang_vien = so_dien_thoai"}, "không phải giá trị"),
        ({"params": "ten_dang_vien recipient_name"}, "Dòng 1"),
        ({"params": "a = title\na = url"}, "hai lần"),
        ({"params": "tên = title"}, "không phải tên tham số"),
        ({"template_id": "mau-1"}, "là một số"),
        ({"kind": "Thông báo"}, "kind"),
    ],
)
def test_a_bad_template_is_refused_in_vietnamese(client, world, data, says):
    cell_account(world)
    response = template_post(client, world, **data)
    assert response.status_code == 200
    if says != "kind":
        assert says in response.content.decode()
    assert not ZaloTemplate.objects.exists()


def test_a_template_is_saved_and_replaced_per_kind(client, world):
    cell_account(world)
    assert template_post(client, world).status_code == 302
    assert (
        template_post(client, world, template_id="999", params="noi_dung = title\nlien_ket = url").status_code
        == 302
    )
    [template] = ZaloTemplate.objects.all()
    assert (template.template_id, template.params) == ("999", {"noi_dung": "title", "lien_ket": "url"})


def test_a_template_needs_an_account_first(client, world):
    response = template_post(client, world)
    assert response.status_code == 200
    assert not ZaloTemplate.objects.exists()
