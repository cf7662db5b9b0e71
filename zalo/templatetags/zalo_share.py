"""Filters of the "Chia sẻ qua Zalo" button (zalo/_share.html)."""

import base64
import json
from urllib.parse import urlencode

from django import template
from django.conf import settings

register = template.Library()

# Zalo's share page, as its own share button (sp.zalo.me/plugins/sdk.js) opens it: the link is given as
# base64 of {"url": …}. The script itself is not loaded (the CSP allows this site's scripts only).
SHARE_PAGE = "https://button-share.zalo.me/share_external"


@register.filter
def absolute(path: str) -> str:
    """``path`` on this site's public address (SITE_URL), as a member would open it."""
    return settings.SITE_URL.rstrip("/") + path if str(path).startswith("/") else str(path)


@register.filter
def zalo_share_href(url: str) -> str:
    payload = base64.b64encode(json.dumps({"url": url}).encode()).decode()
    return SHARE_PAGE + "?" + urlencode({"layout": 1, "color": "blue", "customize": "false", "d": payload})
