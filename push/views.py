"""The web app manifest, the service worker, and the JSON endpoints the subscribe button calls."""

import json
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from core.errors import DomainError
from push import services

# Bump when sw.js changes in a way that must drop what the old worker saved (its caches carry it).
SW_VERSION = 1
THEME_COLOR = "#b3261e"  # --red of static/chuyende/app.css
BACKGROUND_COLOR = "#faf8f6"  # --bg


@login_not_required
@require_GET
@cache_control(max_age=3600, public=True)
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest. Browsers fetch it without cookies, so it is public and in the site's
    language."""
    with translation.override(settings.LANGUAGE_CODE):
        data: dict[str, Any] = {
            "name": _("Thematic sessions"),
            "short_name": pgettext("app name on a phone's home screen", "Sessions"),
            "description": _("Workspace for Party cells' thematic sessions"),
            "id": "/",
            "start_url": reverse("home:home"),
            "scope": "/",
            "display": "standalone",
            "orientation": "any",
            "theme_color": THEME_COLOR,
            "background_color": BACKGROUND_COLOR,
            "lang": settings.LANGUAGE_CODE,
            "dir": "ltr",
            "icons": [
                {
                    "src": static("push/icon-192.png"),
                    "sizes": "192x192",
                    "type": "image/png",
                    "purpose": "any",
                },
                {
                    "src": static("push/icon-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "any",
                },
                {
                    "src": static("push/icon-maskable-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
            ],
        }
    return HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json; charset=utf-8"
    )


@login_not_required
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker at the site's root (its scope is the whole site). Never cached long: the
    browser checks it at least daily and on every navigation with ``no-cache``."""
    context = {
        "version": SW_VERSION,
        "precache": [static("chuyende/app.css"), static("chuyende/confirm.js"), static("push/register.js")],
        "logout_path": reverse("accounts:logout"),
        "static_url": settings.STATIC_URL,
        "icon": static("push/icon-192.png"),
        "offline_title": _("You are offline"),
        "offline_text": _("This page has not been saved on this device. Open it again when you are online."),
    }
    response = HttpResponse(
        render_to_string("push/sw.js", context, request=request),
        content_type="text/javascript; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


def _json_body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        raise DomainError(_("The request could not be read: it is not valid JSON.")) from None
    if not isinstance(data, dict):
        raise DomainError(_("The request could not be read: it is not valid JSON."))
    return data


def _refused(error: DomainError, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": str(error.message)}, status=status)


@require_POST
def subscribe(request: HttpRequest) -> JsonResponse:
    """Store the subscription the browser made (``PushSubscription.toJSON()``): 201."""
    try:
        data = _json_body(request)
        keys = data.get("keys")
        if not isinstance(keys, dict):
            raise DomainError(_("The browser sent keys this site cannot use."))
        services.subscribe(
            actor=request.user,
            endpoint=data.get("endpoint"),
            p256dh=keys.get("p256dh"),
            auth=keys.get("auth"),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except DomainError as error:
        return _refused(error)
    return JsonResponse({"subscribed": True}, status=201)


@require_POST
def unsubscribe(request: HttpRequest) -> JsonResponse:
    """Forget this browser's subscription: 200, or 404 if it is not the signed-in person's."""
    try:
        data = _json_body(request)
        removed = services.unsubscribe(actor=request.user, endpoint=data.get("endpoint"))
    except DomainError as error:
        return _refused(error)
    if not removed:
        return JsonResponse({"error": _("This device has no notifications turned on.")}, status=404)
    return JsonResponse({"subscribed": False})
