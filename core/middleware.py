"""The site's own middleware: the chosen language and the upload limit.

Language: Vietnamese unless the person chose English with the switch.

Django's LocaleMiddleware also follows the browser's Accept-Language, and many phones in Vietnam
are set to English; the users asked for Vietnamese by default, so only the choice stored by the
language switch (the language cookie) changes it.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class UploadLimitMiddleware:
    """A request body larger than the upload limit (UPLOAD_MAX_MB, plus room for the form's other
    fields) is refused from its declared length, before anything reads it: 413 with a page saying so
    (under /api/, the API's JSON error shape)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.limit = (settings.UPLOAD_MAX_MB + 1) * 1024 * 1024

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.limit:
            if request.path.startswith("/api/"):
                # The API's error shape (api/errors.py), in the language the API would answer in.
                with translation.override(translation.get_language_from_request(request)):
                    message = _("The request is larger than %(limit)s MB.") % {
                        "limit": settings.UPLOAD_MAX_MB
                    }
                body = {"code": "too_large", "message": message, "fields": {}}
                return JsonResponse(body, status=413)
            page = render_to_string("413.html", {"limit": settings.UPLOAD_MAX_MB})
            return HttpResponse(page, status=413)
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """``Permissions-Policy`` on every response (settings.PERMISSIONS_POLICY): the browser features the
    app never uses (camera, microphone, location, payment…) are off for it and anything it frames."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.policy = getattr(settings, "PERMISSIONS_POLICY", "")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Permissions-Policy", self.policy)
        return response
