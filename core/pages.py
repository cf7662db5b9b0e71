"""Member and session pages kept rendered in the shared cache, for the viewer who saw them, until
anything they show changes (issue 12: the session page's throughput, the member pages' p95).

A page is cached per viewer — never shared between two people — under a key made of:

- the version tokens (core.versions) of what the page shows (``cell:<id>`` for a session, its draft
  and comments, its meeting; ``member:<id>`` for a participation record) and of the frame every page
  carries (the work queue's and the bell's tokens, which the app above registers with
  :func:`register_frame`): a change to any of them is a new key, so a comment, a reply, an edit, a
  tombstone, a new version, a mark of attendance or approved minutes shows at once to every viewer;
- the viewer (id, name, flags), the full path, the language and the day.

It lives :data:`TIMEOUT` seconds, as the cached work queue does, because a few things on a page change
with the clock alone (a meeting that has begun, a deadline passed).

The CSRF token is never stored: the page is rendered with this request's token, which is replaced by a
placeholder before storing, and each answer puts its own request's token back. A request with messages
waiting (after a POST) is rendered afresh, so that they are shown and consumed.

An answer carries an ETag (the key, and the viewer's CSRF secret) and ``Cache-Control: private,
no-cache``: a phone that opens the page again while nothing changed gets ``304 Not Modified`` and no
body. Only with the frame cache (``settings.FRAME_CACHE``, a shared Redis): otherwise every page is
rendered afresh, as before.
"""

import hashlib
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.shortcuts import render as django_render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control

from core import versions

# As long as a cached work queue (home.work.CACHE_SECONDS): what changes with the clock alone.
TIMEOUT = 60
# Stand for the CSRF token and for each fresh id ({% new_uuid %}, a comment form's client_id) in a
# stored page. A NUL cannot come from any text we store (core.hygiene removes control characters), so
# no user text can turn into someone's token.
PLACEHOLDER = "\x00csrf\x00"
UUID_PLACEHOLDER = "\x00uuid\x00"
# Set in the context of a page rendered to be stored: {% new_uuid %} then writes the placeholder.
FRESH_IDS = "_fresh_ids_per_answer"

# The tokens of the frame of every page (the work queue, the bell), from the app that owns it; None
# from it means "do not cache this viewer's pages" (an administrator, whose reach names no cells).
FrameNames = Callable[[HttpRequest], Iterable[str] | None]
_frame: list[FrameNames] = []


def register_frame(names: FrameNames) -> None:
    """Say which version tokens the frame of every page is read from (home registers the queue's and
    the bell's in its ``AppConfig.ready``)."""
    if names not in _frame:
        _frame.append(names)


def _messages_waiting(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    if storage is None:
        return False
    return bool(getattr(storage, "_queued_messages", None)) or bool(storage._loaded_messages)


def key_for(request: HttpRequest, names: Iterable[str], vary: Iterable[Any] = ()) -> str | None:
    """Where the page ``request`` asks for is cached for its viewer, or None when it is not cached."""
    user: Any = request.user
    if not versions.enabled() or not user.is_authenticated or request.method != "GET":
        return None
    all_names = set(names)
    for frame in _frame:
        more = frame(request)
        if more is None:
            return None
        all_names |= set(more)
    version = versions.current(all_names)
    if version is None:
        return None
    viewer = (user.pk, user.username, user.get_full_name(), user.is_staff, user.is_superuser, user.is_active)
    parts = (
        version,
        viewer,
        request.get_full_path(),
        translation.get_language(),
        timezone.localdate().isoformat(),
        tuple(vary),
    )
    return "page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _etag(request: HttpRequest, key: str) -> str:
    # The viewer's CSRF secret (not the per-answer masked token) is part of it: a page kept by the
    # browser carries a token of that secret, which a new sign-in replaces.
    secret = request.META.get("CSRF_COOKIE", "")
    return '"' + hashlib.sha256(f"{key}:{secret}".encode()).hexdigest()[:32] + '"'


def render(
    request: HttpRequest,
    template_name: str,
    names: Iterable[str],
    context: Callable[[], dict[str, Any]],
    *,
    vary: Iterable[Any] = (),
) -> HttpResponse:
    """Render ``template_name`` with ``context()`` — called only when the page is not in the cache —
    or answer the page cached for this viewer under the tokens ``names`` (see the module's docstring).
    The caller has already fetched what the page is about through the permission checks."""
    key = None if _messages_waiting(request) else key_for(request, names, vary)
    if key is None:
        return django_render(request, template_name, context())
    token = get_token(request)  # also sets the CSRF cookie when the browser has none yet
    etag = _etag(request, key)
    stored = cache.get(key)
    if stored is not None and etag in _if_none_match(request):
        response: HttpResponse = HttpResponseNotModified()
    else:
        if stored is None:
            values = context()
            values["csrf_token"] = token  # every {% csrf_token %} of this render shows this one string
            values[FRESH_IDS] = True
            stored = render_to_string(template_name, values, request).replace(token, PLACEHOLDER)
            cache.set(key, stored, TIMEOUT)
        response = HttpResponse(_personal(stored, token))
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _personal(stored: str, token: str) -> str:
    """A stored page made this answer's: its CSRF token, and new ids where the page wants fresh ones."""
    html = stored.replace(PLACEHOLDER, token)
    if UUID_PLACEHOLDER in html:
        parts = html.split(UUID_PLACEHOLDER)
        html = parts[0] + "".join(str(uuid.uuid4()) + part for part in parts[1:])
    return html


def _if_none_match(request: HttpRequest) -> list[str]:
    header = request.headers.get("If-None-Match", "")
    return [part.strip().removeprefix("W/") for part in header.split(",") if part.strip()]
