"""The room's server-sent events (``/hop/<id>/song/``) as a small ASGI application of its own, in front of
Django's (chuyende/asgi.py routes the path here).

Why not a Django view: Django's ASGI handler runs each request's synchronous middleware (the session,
the user, CSRF, messages…) in a thread of the request's own, and a database connection belongs to its
thread. A stream lasts as long as the phone stays, so every open stream kept a PostgreSQL connection (or
a pooled one) until the phone left: 6,000 phones in 300 meetings asked for 6,000 connections
(BENCHMARKS.md § Live updates in the meeting room). Here a stream does only what it needs — the host
check, the session cookie, the user, whether they may see the meeting — through Django's own async
functions, whose database work runs in the process's one thread for synchronous code outside requests:
a process's streams share that thread's one connection, whatever their number, and hold none while open.

The pages give the stream's address with a signed token (``live.stream_url``: the reader, the
meeting and a mark of the session, valid six hours, opened only with the same session cookie), given
by a page that has just checked the reader may see the meeting; a stream opened with it reads nothing
from the database, and its first state is usually the hub's last one: opening costs microseconds, not
a thread's queries, when a room's sixty phones come back after the Wi-Fi dropped. Without a token (a
script with the session cookie) the session, the user and the permission are read as above.

The answers are those of the rest of the site's machine readers: 400 for a host not allowed, 401 when
signed out or for a token changed, expired, of another meeting or another session, 404 when the
meeting cannot be seen or the site polls (``LIVE_UPDATES=poll``), 405 for anything but GET. Then
``live.events`` as the body, until the phone disconnects.
"""

import asyncio
import io
import logging
import re
from importlib import import_module
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import aget_user
from django.core.exceptions import DisallowedHost
from django.core.handlers.asgi import ASGIRequest
from django.db import close_old_connections

from meetings.permissions import visible_meetings
from room import live

logger = logging.getLogger(__name__)

PATH = re.compile(r"^/hop/(?P<pk>[0-9]{1,18})/song/$")

Receive = Any
Send = Any


def match(scope: dict[str, Any]) -> int | None:
    """The meeting's id when ``scope`` asks for a room's stream, else None (the rest of the site)."""
    if scope.get("type") != "http":
        return None
    path = scope.get("path", "")
    root = scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root) :]
    found = PATH.match(path)
    return int(found["pk"]) if found else None


def _sees(user: Any, meeting_id: int) -> bool:
    # A connection broken or past its age since the last stream is replaced, as a request would.
    close_old_connections()
    return visible_meetings(user).filter(pk=meeting_id).exists()


async def _answer(send: Send, status: int) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"cache-control", b"no-store")],
        }
    )
    await send({"type": "http.response.body", "body": b""})


async def _disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def app(scope: dict[str, Any], receive: Receive, send: Send, meeting_id: int) -> None:
    request = ASGIRequest(scope, io.BytesIO())
    try:
        request.get_host()
    except DisallowedHost:
        return await _answer(send, 400)
    if request.method != "GET":
        return await _answer(send, 405)
    if not live.streaming():
        return await _answer(send, 404)
    token = request.GET.get("t")
    if token is not None:
        # The address a page gave (live.stream_url): no session, user or permission to read again.
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if live.stream_reader(token, meeting_id, session_key) is None:
            # Changed, another meeting's or session's, or expired: the page polls.
            return await _answer(send, 401)
    else:
        engine = import_module(settings.SESSION_ENGINE)
        request.session = engine.SessionStore(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
        user = await aget_user(request)
        if not user.is_authenticated:
            return await _answer(send, 401)
        if not await sync_to_async(_sees)(user, meeting_id):
            return await _answer(send, 404)
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"text/event-stream; charset=utf-8"),
                (b"cache-control", b"no-cache"),
                # nginx would hold the events in its buffer otherwise.
                (b"x-accel-buffering", b"no"),
                (b"x-content-type-options", b"nosniff"),
            ],
        }
    )

    events = live.events(meeting_id)

    async def pump() -> None:
        async for event in events:
            await send({"type": "http.response.body", "body": event.encode(), "more_body": True})

    sending = asyncio.ensure_future(pump())
    watching = asyncio.ensure_future(_disconnected(receive))
    try:
        await asyncio.wait({sending, watching}, return_when=asyncio.FIRST_COMPLETED)
        phone_left = watching.done()
    finally:
        for task in (sending, watching):
            task.cancel()
        try:
            await sending
        except (asyncio.CancelledError, OSError):
            pass
        except Exception:
            # The state could not be computed (the database away): the phone's EventSource comes back
            # after `retry`; this stream still leaves the hub and ends its response.
            logger.exception("Live updates: the stream of meeting %s failed", meeting_id)
            phone_left = False
        await events.aclose()  # leaves the hub
    if not phone_left:  # the meeting is gone: end the response
        await send({"type": "http.response.body", "body": b""})
