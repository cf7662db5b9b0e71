"""What every operation of the API does around its own work, applied centrally in api/main.py (issue 14,
items 3–5), so that no operation has to remember it:

* the language of the answer: the one chosen with the site's VI/EN switch (its cookie), else the
  request's ``Accept-Language``, else Vietnamese;
* a JSON body over ``API_JSON_MAX_KB`` is refused (413) before it is read; a file upload over the
  upload limit is refused by core.middleware.UploadLimitMiddleware, in the same shape under /api/;
* ``Idempotency-Key`` on POST (api/idempotency.py);
* a strong ``ETag`` over the body of every successful GET, and 304 with no body when the caller's
  ``If-None-Match`` names it; ``Vary: Authorization, Cookie, Accept-Language`` on every answer;
* a rate limit per access token, or per signed-in user (:class:`CallerThrottle`, ``API_RATE_LIMIT``):
  429 with ``Retry-After``.
"""

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.throttling import SimpleRateThrottle

from api import errors, idempotency

VARY = ("Authorization", "Cookie", "Accept-Language")
# Headers a 304 repeats from the answer it stands for (RFC 9110 §15.4.5).
NOT_MODIFIED_HEADERS = ("ETag", "Cache-Control", "Vary", "Content-Language")


def language_of(request: HttpRequest) -> str:
    """The site's chosen language (cookie), else Accept-Language, else the default (Vietnamese)."""
    return translation.get_language_from_request(request)


def json_too_large(request: HttpRequest) -> bool:
    if request.content_type == "multipart/form-data":
        return False  # files: the upload limit (core.middleware.UploadLimitMiddleware)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.API_JSON_MAX_KB * 1024


def etag_of(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:40] + '"'


def _opaque(tag: str) -> str:
    """An entity tag without its weakness: If-None-Match compares weakly (RFC 9110 §13.1.2), and the
    site's gzip middleware marks the strong tags of compressed answers weak."""
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def matches(if_none_match: str, etag: str) -> bool:
    if if_none_match.strip() == "*":
        return True
    return _opaque(etag) in {_opaque(tag) for tag in if_none_match.split(",")}


def with_etag(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """ETag on a successful GET; 304 when the caller already has this body."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200 or response.streaming:
        return response
    response["ETag"] = etag_of(response.content)
    # Kept by the caller only, and asked again each time (cheaply, with If-None-Match).
    response.headers.setdefault("Cache-Control", "private, no-cache")
    if matches(request.headers.get("If-None-Match", ""), response["ETag"]):
        not_modified = HttpResponseNotModified()
        for header in NOT_MODIFIED_HEADERS:
            if header in response:
                not_modified[header] = response[header]
        return not_modified
    return response


def around_operation(api: NinjaAPI) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """The decorator of every operation's ``run`` (ninja's "view" mode: before authentication)."""

    def decorator(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(run)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            language = language_of(request)
            with translation.override(language):
                request.LANGUAGE_CODE = language
                if json_too_large(request):
                    message = _("The request body is larger than %(size)s KB.") % {
                        "size": settings.API_JSON_MAX_KB
                    }
                    response = errors.answer(api, request, 413, "too_large", message)
                else:
                    try:
                        response = idempotency.keep_answer(request, run(request, *args, **kwargs))
                    except BaseException:
                        idempotency.give_back(request)
                        raise
                response = with_etag(request, response)
            response["Content-Language"] = language
            patch_vary_headers(response, VARY)
            return response

        return wrapped

    return decorator


def install(api: NinjaAPI) -> None:
    """Apply all of the above to every operation of ``api`` (its routers included)."""
    api.add_decorator(around_operation(api), mode="view")
    api.add_decorator(idempotency.claiming, mode="operation")

    @api.exception_handler(idempotency.Replay)
    def replay(request: HttpRequest, error: idempotency.Replay) -> HttpResponse:
        return idempotency.replayed(error.record)


class CallerThrottle(SimpleRateThrottle):
    """``API_RATE_LIMIT`` requests (e.g. ``600/min``) per access token, or per signed-in user for
    the session, counted in the cache (shared by all app servers with CACHE_URL=redis://…). Read at
    each request, so a changed setting applies at once."""

    scope = "caller"

    def __init__(self) -> None:
        self.rate, self.num_requests, self.duration = None, None, None

    def allow_request(self, request: HttpRequest) -> bool:
        if not settings.API_RATE_LIMIT:
            return True
        if self.rate != settings.API_RATE_LIMIT:
            self.rate = settings.API_RATE_LIMIT
            self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token = getattr(request, "access_token", None)
        if token is not None:
            ident = f"token-{token.pk}"
        elif request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None  # refused as unauthenticated before the throttle is asked
        return self.cache_format % {"scope": self.scope, "ident": ident}
