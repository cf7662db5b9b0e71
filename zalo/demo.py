"""The Zalo demo step: the school's Đảng ủy has an Official Account pointed at the local stand-in
(``manage.py zalo_standin --port 8025``), sending off until an administrator enables it, with
templates for four kinds of notice. The app id, secret and tokens are invented; the stand-in takes
them as they are stored (zalo/management/commands/zalo_standin.py).

The kinds are those of notifications.kinds: drafts to study, meeting notices, a session postponed or
cancelled (urgent), resolutions."""

from django.conf import settings

from organizations.demo import Demo
from zalo import services

STANDIN = "http://127.0.0.1:8025"
DEMO_TEMPLATES = {
    "draft_study": (
        "231577",
        {"ten_dang_vien": "recipient_name", "noi_dung": "title", "lien_ket": "url"},
    ),
    "meeting": (
        "231578",
        {"ten_dang_vien": "recipient_name", "cuoc_hop": "title", "lien_ket": "url"},
    ),
    "session_changed": (
        "231579",
        {"ten_dang_vien": "recipient_name", "noi_dung": "title", "ly_do": "body", "lien_ket": "url"},
    ),
    "resolution": (
        "231580",
        {"ten_dang_vien": "recipient_name", "nghi_quyet": "title", "lien_ket": "url"},
    ),
}


def add_zalo(demo: Demo) -> None:
    """The Đảng ủy's Official Account against the stand-in (only where a stand-in may be used)."""
    if not settings.ZALO_ALLOW_STANDIN:
        return
    account = services.save_account(
        actor=None,
        organization=demo.party,
        name="Đảng ủy Trường Chính trị Nguyễn Chí Thanh",
        app_id="4318290517384729931",
        secret_key="demo-secret-key",
        access_token="demo-access-token",
        refresh_token="demo-refresh-token",
        expires_in=90000,
        oauth_url=STANDIN,
        business_url=STANDIN,
        openapi_url=STANDIN,
        enabled=False,
    )
    for kind, (template_id, params) in DEMO_TEMPLATES.items():
        services.set_template(actor=None, account=account, kind=kind, template_id=template_id, params=params)
